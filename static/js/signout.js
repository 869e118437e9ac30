/* Signing out on a shared phone or PC leaves no exam behind for the next person: the copies of exam pages
   kept for offline reload are deleted, and so is the sitting state of every exam on this device — except
   answers not yet uploaded. Those are the officer's and are never thrown away: the officer is told, and
   they upload when he signs in again and opens the exam. (The copies hold no key; without the officer's
   sign-in nothing can be saved from them. What they would show is the paper and its answers.) */
(function () {
  "use strict";
  var form = document.querySelector("form[data-sign-out]");
  if (!form) { return; }
  var PREFIX = "exam-sitting:";
  var CACHE = "exam-sitting-v1";  // sitting-sw.js and sitting.js keep the pages there
  var PAGE = /\/exams\/attempt\/\d+\/$/;

  function unsentCount() {
    var count = 0;
    try {
      for (var i = 0; i < window.localStorage.length; i++) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) {
          var store = JSON.parse(window.localStorage.getItem(key) || "{}");
          count += Object.keys(store.queue || {}).length;
        }
      }
    } catch (e) { /* storage unavailable: nothing kept there */ }
    return count;
  }

  function forgetSittings() {
    try {
      for (var i = window.localStorage.length - 1; i >= 0; i--) {
        var key = window.localStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) {
          var store = JSON.parse(window.localStorage.getItem(key) || "{}");
          var queued = Object.keys(store.queue || {});
          if (!queued.length) { window.localStorage.removeItem(key); continue; }
          // Only what is still to upload stays: the queue, its answers and the sequence it numbers from.
          var answers = {};
          queued.forEach(function (position) {
            if (store.answers && store.answers[position]) { answers[position] = store.answers[position]; }
          });
          window.localStorage.setItem(key, JSON.stringify({ queue: store.queue, answers: answers, seq: store.seq }));
        }
      }
    } catch (e) { /* ignore */ }
    if (!window.caches) { return Promise.resolve(); }
    return window.caches.open(CACHE).then(function (cache) {
      return cache.keys().then(function (requests) {
        return Promise.all(requests.filter(function (request) {
          return PAGE.test(new URL(request.url).pathname);
        }).map(function (request) { return cache.delete(request); }));
      });
    });
  }

  form.addEventListener("submit", function (event) {
    if (form.getAttribute("data-forgotten") === "1") { return; }
    event.preventDefault();
    var unsent = unsentCount();
    if (unsent && !window.confirm(form.getAttribute("data-text-unsent").replace("{n}", unsent))) { return; }
    var submitted = false;
    function signOut() {
      if (submitted) { return; }
      submitted = true;
      form.setAttribute("data-forgotten", "1");
      form.submit();
    }
    window.setTimeout(signOut, 2000);  // a browser that never answers must not keep the officer signed in
    forgetSittings().then(signOut, signOut);
  });
})();
