/* Before the exam opens: a countdown to the window's start, from the server's clock. */
(function () {
  "use strict";
  var root = document.getElementById("sitting-start");
  // One press is one start: a double tap would send a second POST that the server takes for a second device.
  var startForm = root && root.querySelector("form.start-form");
  if (startForm) {
    startForm.addEventListener("submit", function () {
      var pressed = startForm.querySelector("button[type=submit]");
      window.setTimeout(function () { if (pressed) { pressed.disabled = true; } }, 0);
    });
    window.addEventListener("pageshow", function (event) {  // back to this page from the history cache
      if (event.persisted) {
        Array.prototype.forEach.call(startForm.querySelectorAll("button"), function (b) { b.disabled = false; });
      }
    });
  }
  var target = root && root.querySelector("[data-until-start]");
  if (!target) { return; }
  var startsAt = parseInt(root.getAttribute("data-starts-at"), 10);
  var offset = (parseInt(root.getAttribute("data-now"), 10) || Date.now()) - Date.now();
  var days = root.getAttribute("data-text-days") || "{d}";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // When the countdown reaches zero on this page, the start button (already here, hidden) is shown: a
  // thousand pages reaching zero in the same second do not reload at once. Pressed before the proctor has
  // opened the session, it brings the candidate back here with the reason. A page opened after the start
  // time (the session not open yet) looks again every 30 s.
  var form = root.querySelector("[data-shown-at-start]");
  var before = root.querySelector("[data-before-start]");
  var counting = false;
  function tick() {
    // Rounded up: zero means the start time has passed on the server's clock, not that under a second is
    // left (a button shown a moment early would only be refused).
    var left = Math.max(0, Math.ceil((startsAt - (Date.now() + offset)) / 1000));
    var d = Math.floor(left / 86400);
    var h = Math.floor((left % 86400) / 3600);
    target.textContent = (d ? days.replace("{d}", d) + " " : "") + pad(h) + ":" + pad(Math.floor((left % 3600) / 60)) + ":" +
      pad(left % 60);
    if (left > 0) { counting = true; } else if (counting) {
      counting = false;
      if (form) {
        form.hidden = false;
        if (before) { before.hidden = true; }
        // A refusal from pressing too early no longer applies.
        Array.prototype.forEach.call(document.querySelectorAll(".messages"), function (el) { el.hidden = true; });
        var button = form.querySelector("button, input:not([type=hidden])");
        if (button) { button.focus(); }
      } else {
        window.location.reload();
      }
    }
  }
  if (startsAt) {
    tick();
    if (!counting) { window.setTimeout(function () { window.location.reload(); }, 30000); }
    window.setInterval(tick, 1000);
  }
})();
