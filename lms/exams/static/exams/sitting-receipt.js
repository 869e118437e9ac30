/* After submitting: nothing is left to send, so the device forgets its copy of the answers. */
(function () {
  "use strict";
  var root = document.getElementById("sitting-receipt");
  if (!root) { return; }
  try { window.localStorage.removeItem("exam-sitting:" + root.getAttribute("data-attempt")); } catch (e) { /* ignore */ }
})();
