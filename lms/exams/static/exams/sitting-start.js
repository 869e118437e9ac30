/* Before the exam opens: a countdown to the window's start, from the server's clock. */
(function () {
  "use strict";
  var root = document.getElementById("sitting-start");
  var target = root && root.querySelector("[data-until-start]");
  if (!target) { return; }
  var startsAt = parseInt(root.getAttribute("data-starts-at"), 10);
  var offset = (parseInt(root.getAttribute("data-now"), 10) || Date.now()) - Date.now();
  var days = root.getAttribute("data-text-days") || "{d}";
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  // Reload once when the countdown reaches zero on this page. A page opened after the start time (the
  // proctor has not opened the session yet) looks again every 30 s instead of reloading in a loop.
  var counting = false;
  function tick() {
    var left = Math.max(0, Math.floor((startsAt - (Date.now() + offset)) / 1000));
    var d = Math.floor(left / 86400);
    var h = Math.floor((left % 86400) / 3600);
    target.textContent = (d ? days.replace("{d}", d) + " " : "") + pad(h) + ":" + pad(Math.floor((left % 3600) / 60)) + ":" +
      pad(left % 60);
    if (left > 0) { counting = true; } else if (counting) {
      // Every page of a hall reaches zero in the same second: spread the reloads over three seconds so the
      // server meets a slope, not a wall (the start button is what candidates press; this only shows it).
      counting = false;
      window.setTimeout(function () { window.location.reload(); }, Math.floor(Math.random() * 3000));
    }
  }
  if (startsAt) {
    tick();
    if (!counting) { window.setTimeout(function () { window.location.reload(); }, 30000); }
    window.setInterval(tick, 1000);
  }
})();
