/* The exam sitting page. Self-hosted, no dependencies, no inline script (CSP without 'unsafe-inline').

   - Every change is saved at once (typing after a short pause) with a per-attempt sequence number; the
     server keeps a save only if its number is newer than the stored one, so retries and reordering are
     harmless.
   - Unsent saves live in localStorage (surviving a reload or a closed tab) and are re-sent in order when
     the network returns; the page says in words where things stand: 已保存 / 正在保存 / 离线，N 题待上传.
   - The countdown runs from the server's deadline, corrected for the offset between the two clocks. The
     server submits at the deadline; this page only shows it.
   - A save refused for bad input stays queued and the candidate is told; a save refused because another
     device took over stops all saving. */
(function () {
  "use strict";
  var root = document.getElementById("sitting");
  if (!root || !window.fetch || !window.JSON) { return; }

  // The paper as the server sent it, before this script changes anything: the offline copy (see below).
  var pageUrl = root.getAttribute("data-page-url");
  var servedHtml = "<!DOCTYPE html>\n" + document.documentElement.outerHTML;
  // Pressing "start" answers with the paper itself (no redirect, one request less at the synchronised
  // start): give the address bar the paper's own address, so that a reload is a GET of the paper.
  if (window.history && window.history.replaceState && window.location.pathname !== pageUrl) {
    window.history.replaceState(null, "", pageUrl);
  }
  var attemptId = root.getAttribute("data-attempt");
  var token = root.getAttribute("data-device-token");
  var storeKey = "exam-sitting:" + attemptId;
  var pollSeconds = parseInt(root.getAttribute("data-poll-seconds"), 10) || 20;
  var grace = parseInt(root.getAttribute("data-grace"), 10) || 10;
  var deadline = parseInt(root.getAttribute("data-deadline"), 10) || 0;
  var text = function (name) { return root.getAttribute("data-text-" + name) || ""; };
  var csrfInput = root.querySelector("input[name=csrfmiddlewaretoken]");
  var csrf = csrfInput ? csrfInput.value : "";
  var questions = Array.prototype.slice.call(root.querySelectorAll("section.question"));
  var byPosition = {};
  questions.forEach(function (q) { byPosition[q.getAttribute("data-position")] = q; });

  var saveState = document.getElementById("save-state");
  var alertBox = document.getElementById("sitting-alert");
  var countdown = document.getElementById("countdown");

  var stopped = false;        // taken over or finished: nothing more is sent
  var inflight = false;
  var networkDown = !navigator.onLine;
  var retryTimer = null;
  var timeUp = false;

  // --- storage ---------------------------------------------------------------------------------------
  function load() {
    try {
      var raw = window.localStorage.getItem(storeKey);
      var data = raw ? JSON.parse(raw) : null;
      if (data && typeof data === "object") { return data; }
    } catch (e) { /* unreadable: start afresh, the server holds everything sent */ }
    return {};
  }
  var store = load();
  store.answers = store.answers || {};
  store.queue = store.queue || {};
  store.seq = Math.max(store.seq || 0, parseInt(root.getAttribute("data-max-seq"), 10) || 0);
  if (typeof store.offset !== "number") {
    store.offset = (parseInt(root.getAttribute("data-now"), 10) || Date.now()) - Date.now();
  }
  function persist() {
    try { window.localStorage.setItem(storeKey, JSON.stringify(store)); } catch (e) { /* storage full */ }
  }

  // --- reading and writing the inputs ----------------------------------------------------------------
  function readAnswer(q) {
    var type = q.getAttribute("data-type");
    var inputs = Array.prototype.slice.call(q.querySelectorAll("input[name^=q], textarea[name^=q]"));
    if (type === "single" || type === "multiple") {
      return inputs.filter(function (i) { return i.checked; }).map(function (i) { return i.value; }).sort();
    }
    if (type === "true_false") {
      var chosen = inputs.filter(function (i) { return i.checked; })[0];
      return chosen ? [chosen.value === "true"] : [];
    }
    if (type === "fill_blank") {
      var values = inputs.map(function (i) { return i.value; });
      return values.some(function (v) { return v.trim() !== ""; }) ? values : [];
    }
    var essay = inputs[0] ? inputs[0].value : "";
    return essay.trim() ? [essay] : [];
  }

  function writeAnswer(q, answer) {
    var type = q.getAttribute("data-type");
    var inputs = Array.prototype.slice.call(q.querySelectorAll("input[name^=q], textarea[name^=q]"));
    answer = answer || [];
    if (type === "single" || type === "multiple") {
      inputs.forEach(function (i) { i.checked = answer.indexOf(i.value) !== -1; });
    } else if (type === "true_false") {
      inputs.forEach(function (i) { i.checked = answer.length > 0 && String(answer[0]) === i.value; });
    } else if (type === "fill_blank") {
      inputs.forEach(function (i, n) { i.value = answer[n] || ""; });
    } else if (inputs[0]) {
      inputs[0].value = answer[0] || "";
    }
  }

  function flagOf(q) { var box = q.querySelector("[data-flag]"); return !!(box && box.checked); }

  function isAnswered(q) { return readAnswer(q).length > 0; }

  // --- the queue ---------------------------------------------------------------------------------------
  function pendingItems() {
    return Object.keys(store.queue).map(function (k) { return store.queue[k]; })
      .sort(function (a, b) { return a.seq - b.seq; });
  }
  function sendable() { return pendingItems().filter(function (i) { return !i.refused; }); }

  function change(q) {
    if (stopped) { return; }
    var position = q.getAttribute("data-position");
    store.seq += 1;
    var item = { position: parseInt(position, 10), seq: store.seq, answer: readAnswer(q), flagged: flagOf(q) };
    store.queue[position] = item;
    store.answers[position] = { answer: item.answer, seq: item.seq, flagged: item.flagged };
    persist();
    showRefused(q, "");
    refreshNavigator(q);
    flush();
  }

  function showRefused(q, message) {
    var box = q.querySelector("[data-refused]");
    if (!box) { return; }
    box.textContent = message;
    box.hidden = !message;
  }

  function headers() {
    return { "Content-Type": "application/json", "X-CSRFToken": csrf, "X-Device-Token": token };
  }

  function scheduleRetry(ms) {
    if (retryTimer) { return; }
    retryTimer = window.setTimeout(function () { retryTimer = null; flush(); }, ms);
  }

  function flush() {
    render();
    if (stopped || inflight) { return; }
    var next = sendable()[0];
    if (!next) { return; }
    inflight = true;
    render();
    fetch(root.getAttribute("data-save-url"), {
      method: "POST", credentials: "same-origin", headers: headers(),
      body: JSON.stringify({ position: next.position, seq: next.seq, answer: next.answer, flagged: next.flagged })
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        inflight = false;
        networkDown = false;
        handleResult(next, response.status, data);
      });
    }, function () {
      inflight = false;
      networkDown = true;
      render();
      scheduleRetry(3000);
    });
  }

  function handleResult(item, status, data) {
    var key = String(item.position);
    var current = store.queue[key];
    if (status === 200 && data.ok) {
      if (current && current.seq <= data.seq) { delete store.queue[key]; }
      persist();
      flush();
      return;
    }
    var code = data.code || "";
    if (code === "taken_over") { stop(text("taken-over")); return; }
    if (code === "time_up" || code === "submitted") { finish(data.message); return; }
    if (status >= 400 && status < 500 && data.message && code !== "not_open") {
      // Bad input: keep the answer queued, say so at the question, do not resend it until it changes.
      if (current && current.seq === item.seq) { current.refused = data.message; }
      persist();
      var q = byPosition[key];
      if (q) { showRefused(q, text("refused").replace("{message}", data.message)); }
      flush();
      return;
    }
    // The server is unwell or the session lapsed for a moment: keep everything and try again.
    networkDown = true;
    render();
    scheduleRetry(5000);
  }

  function stop(message) {
    stopped = true;
    alertBox.textContent = message;
    alertBox.hidden = false;
    Array.prototype.forEach.call(root.querySelectorAll("#paper input, #paper textarea, #submit-open"), function (el) {
      el.disabled = true;
    });
    render();
  }

  function finish(message) {
    stop(message || text("time-up"));
    try { window.localStorage.removeItem(storeKey); } catch (e) { /* ignore */ }
    window.setTimeout(function () { window.location.reload(); }, 1500);
  }

  // --- what the page shows ---------------------------------------------------------------------------
  function render() {
    if (!saveState) { return; }
    var waiting = sendable().length;
    var refused = pendingItems().filter(function (i) { return i.refused; });
    var state;
    if (stopped) {  // taken over or finished: the sticky bar says so wherever the candidate has scrolled
      state = text("stopped");
      saveState.className = "save-state refused";
    } else if (waiting && (networkDown || !navigator.onLine)) {
      state = text("offline").replace("{n}", waiting);
      saveState.className = "save-state offline";
    } else if (waiting || inflight) {
      state = text("saving");
      saveState.className = "save-state saving";
    } else if (refused.length) {
      state = text("refused").replace("{message}", refused[0].refused);
      saveState.className = "save-state refused";
    } else {
      state = text("saved");
      saveState.className = "save-state saved";
    }
    if (saveState.textContent !== state) { saveState.textContent = state; }
  }

  function refreshNavigator(q) {
    var cell = root.querySelector("[data-nav='" + q.getAttribute("data-position") + "']");
    if (!cell) { return; }
    cell.classList.toggle("answered", isAnswered(q));
    cell.classList.toggle("flagged", flagOf(q));
  }

  // --- time ---------------------------------------------------------------------------------------------
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    if (!deadline) { return; }
    var left = Math.max(0, Math.floor((deadline - (Date.now() + store.offset)) / 1000));
    var h = Math.floor(left / 3600);
    var m = Math.floor((left % 3600) / 60);
    var s = left % 60;
    countdown.textContent = (h ? h + ":" : "") + pad(m) + ":" + pad(s);
    countdown.parentNode.classList.toggle("urgent", left <= 300);
    if (left === 0 && !timeUp) {
      timeUp = true;
      alertBox.textContent = text("time-up");
      alertBox.hidden = false;
      // The server submits at deadline + grace; ask it a moment after.
      window.setTimeout(pollState, (grace + 1) * 1000);
    }
  }

  function pollState() {
    var sent = Date.now();
    fetch(root.getAttribute("data-state-url"), { credentials: "same-origin", headers: { "X-Device-Token": token } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var received = Date.now();
        store.offset = data.now - Math.round((sent + received) / 2);
        persist();
        if (data.deadline) { deadline = data.deadline; }
        networkDown = false;
        if (data.status === "submitted") { finish(); return; }
        if (!data.holds && !stopped) { stop(text("taken-over")); return; }
        if (timeUp && Date.now() + store.offset > deadline) { window.setTimeout(pollState, 3000); }
        flush();
      }, function () {
        networkDown = true;
        render();
        if (timeUp) { window.setTimeout(pollState, 5000); }
      });
  }

  // --- events for the proctor ---------------------------------------------------------------------------
  function report(kind) {
    if (stopped || !navigator.onLine) { return; }
    fetch(root.getAttribute("data-event-url"), {
      method: "POST", credentials: "same-origin", headers: headers(), keepalive: true,
      body: JSON.stringify({ kind: kind })
    }).catch(function () { /* an event lost offline is only a hint for the proctor */ });
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") { report("tab_hidden"); } else { pollState(); flush(); }
  });
  var wasFullscreen = false;
  document.addEventListener("fullscreenchange", function () {
    if (document.fullscreenElement) { wasFullscreen = true; return; }
    if (wasFullscreen) { wasFullscreen = false; report("fullscreen_left"); }
  });
  var fullscreenButton = document.getElementById("fullscreen");
  if (fullscreenButton) {
    if (!document.documentElement.requestFullscreen) {
      fullscreenButton.hidden = true;
    } else {
      fullscreenButton.addEventListener("click", function () {
        document.documentElement.requestFullscreen().catch(function () { /* refused by the browser */ });
      });
    }
  }

  // --- one question at a time or the whole paper ---------------------------------------------------------
  var current = store.current && byPosition[store.current] ? store.current : (questions[0] &&
    questions[0].getAttribute("data-position"));
  function setMode(mode) {
    store.mode = mode;
    persist();
    root.classList.toggle("mode-one", mode === "one");
    root.classList.toggle("mode-all", mode !== "one");
    Array.prototype.forEach.call(root.querySelectorAll("[data-mode]"), function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-mode") === mode ? "true" : "false");
    });
    show(current, false);
  }
  // On a phone the numbers are a strip that scrolls sideways: keep the current one in view, without
  // scrolling the page itself (scrollIntoView would).
  function revealInStrip(cell) {
    var strip = cell.closest(".nav-grid");
    if (!strip || strip.scrollWidth <= strip.clientWidth) { return; }
    strip.scrollLeft = cell.offsetLeft - (strip.clientWidth - cell.offsetWidth) / 2;
  }
  function show(position, focus) {
    if (!byPosition[position]) { return; }
    current = String(position);
    store.current = current;
    persist();
    questions.forEach(function (q) { q.classList.toggle("current", q.getAttribute("data-position") === current); });
    Array.prototype.forEach.call(root.querySelectorAll("[data-nav]"), function (cell) {
      if (cell.getAttribute("data-nav") === current) {
        cell.setAttribute("aria-current", "true");
        revealInStrip(cell);
      } else { cell.removeAttribute("aria-current"); }
    });
    if (focus) {
      var target = byPosition[current];
      target.scrollIntoView({ block: "start" });
      var heading = target.querySelector("h3");
      if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus({ preventScroll: true }); }
    }
  }
  Array.prototype.forEach.call(root.querySelectorAll("[data-mode]"), function (b) {
    b.addEventListener("click", function () { setMode(b.getAttribute("data-mode")); });
  });
  Array.prototype.forEach.call(root.querySelectorAll("[data-nav]"), function (cell) {
    cell.addEventListener("click", function (e) {
      e.preventDefault();
      show(cell.getAttribute("data-nav"), true);
    });
  });
  questions.forEach(function (q, index) {
    var prev = q.querySelector("[data-prev]");
    var next = q.querySelector("[data-next]");
    if (prev) {
      prev.disabled = index === 0;
      prev.addEventListener("click", function () { show(questions[index - 1].getAttribute("data-position"), true); });
    }
    if (next) {
      next.disabled = index === questions.length - 1;
      next.addEventListener("click", function () { show(questions[index + 1].getAttribute("data-position"), true); });
    }
  });

  // --- wiring the inputs ---------------------------------------------------------------------------------
  var typingTimers = {};
  questions.forEach(function (q) {
    var position = q.getAttribute("data-position");
    // What this device knows is newer than what the (possibly cached) page was rendered with.
    var known = store.answers[position];
    if (known && known.seq > (parseInt(q.getAttribute("data-seq"), 10) || 0)) {
      writeAnswer(q, known.answer);
      var box = q.querySelector("[data-flag]");
      if (box) { box.checked = !!known.flagged; }
    }
    var queued = store.queue[position];
    if (queued && queued.refused) { showRefused(q, text("refused").replace("{message}", queued.refused)); }
    refreshNavigator(q);
    q.addEventListener("change", function () {
      window.clearTimeout(typingTimers[position]);
      change(q);
    });
    q.addEventListener("input", function (e) {
      if (e.target.type === "radio" || e.target.type === "checkbox") { return; }
      window.clearTimeout(typingTimers[position]);
      typingTimers[position] = window.setTimeout(function () { change(q); }, 800);
      var counter = q.querySelector("[data-count]");
      if (counter && e.target.hasAttribute("data-essay")) {
        counter.textContent = e.target.value.length + " / " + root.getAttribute("data-essay-max");
      }
    });
  });

  // --- submitting ------------------------------------------------------------------------------------------
  var confirmBox = document.getElementById("submit-confirm");
  var submitError = confirmBox.querySelector("[data-submit-error]");
  function listOf(filter) {
    var items = questions.filter(filter).map(function (q) { return q.getAttribute("data-position"); });
    return items.length ? items.join("、") : text("none");
  }
  document.getElementById("submit-open").addEventListener("click", function () {
    confirmBox.querySelector("[data-unanswered]").textContent = listOf(function (q) { return !isAnswered(q); });
    confirmBox.querySelector("[data-flagged]").textContent = listOf(flagOf);
    submitError.hidden = true;
    confirmBox.hidden = false;
    confirmBox.focus();
  });
  document.getElementById("submit-cancel").addEventListener("click", function () { confirmBox.hidden = true; });
  var confirmButton = document.getElementById("submit-confirm-button");
  confirmButton.addEventListener("click", function () {
    var waiting = sendable().length;
    if (waiting) {
      submitError.textContent = text("pending-submit").replace("{n}", waiting);
      submitError.hidden = false;
      flush();
      return;
    }
    confirmButton.disabled = true;
    fetch(root.getAttribute("data-submit-url"), { method: "POST", credentials: "same-origin", headers: headers(),
      body: "{}" })
      .then(function (r) { return r.json().catch(function () { return {}; }).then(function (d) { return [r, d]; }); })
      .then(function (pair) {
        var data = pair[1];
        confirmButton.disabled = false;
        if (data.ok || data.code === "submitted" || data.code === "time_up") { finish(" "); return; }
        if (data.code === "taken_over") { stop(text("taken-over")); return; }
        submitError.textContent = data.message || "";
        submitError.hidden = false;
      }, function () {
        confirmButton.disabled = false;
        submitError.textContent = text("offline").replace("{n}", sendable().length);
        submitError.hidden = false;
      });
  });

  // --- start ------------------------------------------------------------------------------------------------
  window.addEventListener("online", function () { networkDown = false; pollState(); flush(); });
  window.addEventListener("offline", function () { networkDown = true; render(); });
  if ("serviceWorker" in navigator && window.caches) {
    navigator.serviceWorker.register(root.getAttribute("data-sw-url"), { scope: root.getAttribute("data-sw-scope") })
      .then(function () {
        // This very page may have come before the worker existed, or from the start button's POST, which
        // the worker does not keep: put the page as served (not fetched again: at the start every request
        // counts) and its files in the offline cache now.
        var assets = [];
        Array.prototype.forEach.call(document.querySelectorAll("link[rel=stylesheet][href], script[src]"), function (el) {
          assets.push(el.getAttribute("href") || el.getAttribute("src"));
        });
        return window.caches.open("exam-sitting-v1").then(function (cache) {
          var page = new Response(servedHtml, { headers: { "Content-Type": "text/html; charset=utf-8" } });
          return Promise.all([cache.put(pageUrl, page), cache.addAll(assets)]);
        });
      })
      .catch(function () { /* no offline reload on this browser; saving still queues */ });
  }
  setMode(store.mode === "one" ? "one" : "all");
  tick();
  window.setInterval(tick, 1000);
  window.setInterval(function () { pollState(); }, pollSeconds * 1000);
  window.setInterval(function () { if (sendable().length) { flush(); } }, 5000);
  pollState();
  flush();
})();
