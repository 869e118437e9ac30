/* Lesson study time. While the lesson is visible this sends a heartbeat every few seconds; the server
   measures the time between heartbeats itself (the page never reports a duration). When the end of the
   lesson scrolls into view, the next heartbeat says so. Self-hosted, no dependencies. */
(function () {
  "use strict";
  var lesson = document.getElementById("lesson");
  var end = document.getElementById("lesson-end");
  if (!lesson || !end || !window.fetch) { return; }
  var url = lesson.getAttribute("data-heartbeat-url");
  var every = (parseInt(lesson.getAttribute("data-heartbeat-seconds"), 10) || 15) * 1000;
  var status = end.querySelector("[data-status]");
  var bar = end.querySelector("[data-bar]");
  var reachedEnd = false;
  var completed = false;
  var timer = null;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (match) { return decodeURIComponent(match[1]); }
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function show(data) {
    var percent = Math.min(100, Math.round(100 * data.seconds_spent / Math.max(1, data.min_seconds)));
    if (bar) { bar.style.width = (data.completed ? 100 : percent) + "%"; }
    if (data.completed) {
      completed = true;
      end.classList.add("is-complete");
      if (status) { status.textContent = status.getAttribute("data-text-done"); }
    } else if (data.reached_end && status) {
      status.textContent = status.getAttribute("data-text-wait");
    }
  }

  function beat() {
    if (document.visibilityState === "hidden") { return; }
    var body = new URLSearchParams();
    body.set("reached_end", reachedEnd ? "1" : "0");
    fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
      body: body.toString()
    }).then(function (r) { return r.ok ? r.json() : null; }).then(function (data) {
      if (data) { show(data); }
    }).catch(function () { /* offline for a moment: the next heartbeat simply starts a new interval */ });
  }

  function start() { if (!timer) { timer = window.setInterval(beat, every); } }
  function stop() { if (timer) { window.clearInterval(timer); timer = null; } }

  if ("IntersectionObserver" in window) {
    new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting && !reachedEnd) { reachedEnd = true; beat(); }
      });
    }).observe(end);
  } else {
    window.addEventListener("scroll", function () {
      if (!reachedEnd && end.getBoundingClientRect().top < window.innerHeight) { reachedEnd = true; beat(); }
    });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") { beat(); start(); } else { stop(); }
  });
  beat();
  start();
})();
