// Keyboard marking: type a score and press Enter (the form submits); Page Down / Page Up move to the next /
// previous answer without saving; Escape returns focus to the score field.
(function () {
  "use strict";
  var score = document.getElementById("id_score");
  document.addEventListener("keydown", function (event) {
    var link = null;
    if (event.key === "PageDown") link = document.querySelector("[data-next]");
    if (event.key === "PageUp") link = document.querySelector("[data-previous]");
    if (link) {
      event.preventDefault();
      window.location.href = link.href;
    } else if (event.key === "Escape" && score) {
      score.focus();
      score.select();
    }
  });
  if (score) {
    score.focus();
    score.select();
  }
})();
