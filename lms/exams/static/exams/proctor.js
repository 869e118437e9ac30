/* The proctor console refreshes its candidate cells every few seconds (open action forms are left alone). */
(function () {
  "use strict";
  var root = document.getElementById("proctor");
  if (!root || !window.fetch) { return; }
  var url = root.getAttribute("data-rows-url");
  var every = (parseInt(root.getAttribute("data-refresh-seconds"), 10) || 5) * 1000;
  var refreshed = root.querySelector("[data-refreshed]");
  var counts = root.querySelector("[data-counts]");
  var statusBox = root.querySelector("[data-session-status]");

  function setText(cell, value) { if (cell && cell.textContent !== value) { cell.textContent = value; } }

  function events(cell, list) {
    if (!cell) { return; }
    var ul = document.createElement("ul");
    ul.className = "proctor-events";
    list.forEach(function (e) {
      var li = document.createElement("li");
      li.textContent = e.at + " " + e.kind + (e.detail ? "：" + e.detail : "");
      ul.appendChild(li);
    });
    if (cell.innerHTML !== ul.outerHTML) { cell.innerHTML = ""; cell.appendChild(ul); }
  }

  function refresh() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        data.rows.forEach(function (row) {
          var tr = root.querySelector("tr[data-attempt='" + row.id + "']");
          if (!tr) { return; }
          tr.setAttribute("data-status", row.status);
          setText(tr.querySelector("[data-cell=status_label]"), row.status_label);
          setText(tr.querySelector("[data-cell=answered]"), row.answered + " / " + row.total);
          setText(tr.querySelector("[data-cell=last_saved_at]"), row.last_saved_at);
          setText(tr.querySelector("[data-cell=deadline]"), row.deadline + (row.extension ? " (+" + row.extension + ")" : ""));
          events(tr.querySelector("[data-cell=events]"), row.events);
        });
        setText(refreshed, data.time);
        setText(statusBox, data.session_status);
        setText(counts, data.counts);
      })
      .catch(function () { /* the next refresh will try again */ });
  }
  Array.prototype.forEach.call(root.querySelectorAll("[data-confirm]"), function (button) {
    button.addEventListener("click", function (e) {
      if (!window.confirm(button.textContent.trim() + "？")) { e.preventDefault(); }
    });
  });
  window.setInterval(refresh, every);
})();
