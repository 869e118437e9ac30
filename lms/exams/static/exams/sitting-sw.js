/* Offline reload of the exam sitting page. Served from /exams/attempt/sw.js (scope /exams/attempt/).

   Pages under the scope are fetched from the network first and a copy is kept; when the network is gone,
   the last copy is shown, so a candidate who reloads or reopens the tab offline still sees his paper and
   the answers queued in localStorage are sent once the network returns. Static files are cached the
   same way. Saves and other POSTs are never touched: they go to the network or fail, and the page queues
   them. */
"use strict";
var CACHE = "exam-sitting-v1";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

function networkFirst(request) {
  return fetch(request).then(function (response) {
    // Not a redirect: signed out, the page's address answers with the sign-in page, which is no copy of it.
    if (response && response.ok && response.type === "basic" && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(request, copy); });
    }
    return response;
  }, function () {
    return caches.open(CACHE).then(function (cache) { return cache.match(request, { ignoreVary: true }); })
      .then(function (hit) { return hit || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) { return; }
  var isPage = request.mode === "navigate" && /^\/(?:[a-z-]+\/)?exams\/attempt\/\d+\/$/.test(url.pathname);
  var isStatic = url.pathname.indexOf("/static/") === 0;
  if (isPage || isStatic) { event.respondWith(networkFirst(request)); }
});
