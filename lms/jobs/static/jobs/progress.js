// The job progress screen: poll the job's status and move the bar; reload when the job has finished,
// so the server renders the result (counts, errors, downloads). No inline script (CSP).
(function () {
  "use strict";
  var root = document.querySelector("[data-job-status-url]");
  if (!root) return;
  var url = root.getAttribute("data-job-status-url");
  var bar = root.querySelector("[data-job-bar]");
  var state = root.querySelector("[data-job-state]");
  var count = root.querySelector("[data-job-count]");
  var message = root.querySelector("[data-job-message]");
  var offline = root.querySelector("[data-job-offline]");
  var delay = 1000;

  function show(data) {
    if (data.total) {
      bar.max = data.total;
      count.textContent = data.percent + "%";
    }
    // Nothing done yet: an indeterminate (moving) bar says the job is alive.
    if (data.done > 0) {
      bar.value = data.done;
    } else {
      bar.removeAttribute("value");
    }
    bar.textContent = data.percent + "%";
    state.textContent = data.status_label;
    message.textContent = data.message || "";
    root.setAttribute("data-job-status", data.status);
  }

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) {
        offline.hidden = true;
        delay = 1000;
        show(data);
        if (data.finished) {
          window.location.reload();
        } else {
          window.setTimeout(poll, delay);
        }
      })
      .catch(function () {
        offline.hidden = false;
        delay = Math.min(delay * 2, 10000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, 500);
})();
