// backcoach: the small behaviours every page shares. No inline script
// anywhere: the Content-Security-Policy allows only files like this one.
"use strict";

(function () {
  // The browser's own time zone, for sign-up and settings.
  function deviceZone() {
    try {
      return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
    } catch (e) {
      return "";
    }
  }

  function init() {
    document.querySelectorAll("input[data-time-zone]").forEach(function (el) {
      if (!el.value) el.value = deviceZone();
    });
    document.querySelectorAll("select[data-zone-picker]").forEach(zonePicker);
    document.querySelectorAll("[data-select-on-focus]").forEach(function (el) {
      el.addEventListener("focus", function () { el.select(); });
    });
    if (document.body.dataset.signedOut) forgetOfflinePages();
    sendPendingSessions();
    keepCheckIns();
    keepOffline();
    if (document.body.dataset.breaks === "on") breakReminders();
  }

  // The settings' time zone picker: while the saved zone is still the
  // default, this device's zone is chosen (and said so, to be saved);
  // otherwise a button offers it. Without script the list works alone.
  function zonePicker(sel) {
    var zone = deviceZone();
    var has = zone && Array.prototype.some.call(sel.options, function (o) { return o.value === zone; });
    if (!has || sel.value === zone) return;
    var note = sel.parentNode.querySelector("[data-zone-note]");
    if (sel.value === sel.dataset.zoneDefault) {
      sel.value = zone;
      if (note) note.hidden = false;
      return;
    }
    var btn = sel.parentNode.querySelector("[data-detect-zone]");
    if (!btn) return;
    btn.hidden = false;
    btn.addEventListener("click", function () {
      sel.value = zone;
      btn.hidden = true;
      if (note) note.hidden = false;
      sel.focus();
    });
  }

  // After signing out or deleting the account, the pages kept for
  // offline use belonged to the person who left: remove them.
  function forgetOfflinePages() {
    if (window.caches) {
      caches.keys().then(function (keys) {
        keys.forEach(function (k) { if (k.indexOf("backcoach-pages") === 0) caches.delete(k); });
      });
    }
    try {
      localStorage.removeItem("backcoach-pending-sessions");
      localStorage.removeItem(PENDING_CHECKINS);
    } catch (e) {}
  }

  // Pages a link marks (Today's Start) are kept by the service worker
  // ahead of time, so that they open offline.
  function keepOffline() {
    if (!navigator.serviceWorker || !navigator.serviceWorker.controller) return;
    document.querySelectorAll("a[data-keep-offline]").forEach(function (a) {
      navigator.serviceWorker.controller.postMessage({ keep: a.getAttribute("href") });
    });
  }

  // Sessions finished offline wait in localStorage until they can be sent.
  function sendPendingSessions() {
    var list;
    try { list = JSON.parse(localStorage.getItem("backcoach-pending-sessions") || "[]"); } catch (e) { return; }
    if (!list.length || !navigator.onLine) return;
    var rest = [];
    var sends = list.map(function (s) {
      return fetch("/sessions", {
        method: "POST",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(s)
      }).then(function (r) {
        if (r.status >= 500 || r.status === 401) rest.push(s);
      }).catch(function () { rest.push(s); });
    });
    Promise.all(sends).then(function () {
      try { localStorage.setItem("backcoach-pending-sessions", JSON.stringify(rest)); } catch (e) {}
    });
  }

  // Check-ins typed when the sign-in has expired, or offline, are kept on
  // this device like the player's sessions, and sent once their owner is
  // signed in again, with their form key: a resend is never a second
  // entry. A form posted the ordinary way is noted just before it goes
  // (IN_FLIGHT); the page that answers tells what became of it: the
  // sign-in page (the sign-in expired), the offline page, or anything
  // else (the server has it). Today's quick log goes through htmx, whose
  // answer is read directly.
  var PENDING_CHECKINS = "backcoach-pending-checkins";
  var IN_FLIGHT = "backcoach-checkin-in-flight";

  function readList(store, key) {
    try { return JSON.parse(store.getItem(key) || "[]"); } catch (e) { return []; }
  }
  function writeList(store, key, list) {
    try {
      if (list.length) store.setItem(key, JSON.stringify(list));
      else store.removeItem(key);
    } catch (e) {}
  }

  function draftOf(form) {
    return {
      owner: document.body.dataset.person || "",
      action: form.getAttribute("action"),
      body: new URLSearchParams(new FormData(form)).toString(),
      page: location.pathname + location.search,
      at: Date.now()
    };
  }

  function keepDraft(d) {
    var list = readList(localStorage, PENDING_CHECKINS).filter(function (x) { return x.body !== d.body; });
    list.push(d);
    writeList(localStorage, PENDING_CHECKINS, list);
  }

  // note shows a line about kept check-ins, with a link when given.
  function note(where, text, link, href) {
    var p = document.createElement("p");
    p.className = "notice";
    p.setAttribute("role", "status");
    p.dataset.keptCheckin = "";
    p.textContent = text;
    if (link) {
      p.appendChild(document.createTextNode(" "));
      var a = document.createElement("a");
      a.href = href;
      a.textContent = link;
      p.appendChild(a);
    }
    where.parentNode.insertBefore(p, where);
    return p;
  }

  function keepCheckIns() {
    if (!window.URLSearchParams || !window.FormData) return;
    document.addEventListener("submit", function (e) {
      var form = e.target;
      if (e.defaultPrevented || !form.matches || !form.matches("form[data-keep-checkin]")) return;
      try { sessionStorage.setItem(IN_FLIGHT, JSON.stringify(draftOf(form))); } catch (err) {}
    });
    document.body.addEventListener("htmx:responseError", function (e) { keptByHTMX(e, e.detail.xhr.status === 401); });
    document.body.addEventListener("htmx:sendError", function (e) { keptByHTMX(e, false); });
    landed();
    sendPendingCheckIns();
  }

  // keptByHTMX keeps the quick log that could not be sent.
  function keptByHTMX(e, signedOut) {
    var form = e.detail.elt;
    if (!form || !form.matches || !form.matches("form[data-keep-checkin]")) return;
    if (!signedOut && e.type !== "htmx:sendError") return;
    keepDraft(draftOf(form));
    var old = form.querySelector("[data-kept-checkin]");
    if (old) old.parentNode.removeChild(old);
    var live = form.querySelector("[aria-live]") || form.lastElementChild;
    var at = live.firstChild || live.appendChild(document.createTextNode(""));
    if (signedOut) {
      note(at, "Your sign-in has expired, so this check-in is kept on this device: sign in again and it is saved.",
        "Sign in again", "/signin?next=" + encodeURIComponent(location.pathname + location.search));
    } else {
      note(at, "You are offline: this check-in is kept on this device and saved the next time you open backcoach online.");
    }
  }

  // landed reads what became of a check-in posted the ordinary way.
  function landed() {
    var d;
    try {
      d = JSON.parse(sessionStorage.getItem(IN_FLIGHT) || "null");
      sessionStorage.removeItem(IN_FLIGHT);
    } catch (e) { return; }
    if (!d || Date.now() - d.at > 10 * 60 * 1000) return;
    var signin = document.querySelector("form[data-sign-in-again]");
    var offline = document.querySelector("[data-offline-notice]");
    if (signin) {
      keepDraft(d);
      var next = signin.querySelector("input[name=next]");
      if (next) next.value = d.page;
      note(signin, "What you typed in the check-in is kept on this device: sign in again and it is saved.");
    } else if (offline) {
      keepDraft(d);
      note(offline.querySelector("h1").nextElementSibling, "You are offline: your check-in is kept on this device and saved the next time you open backcoach online.");
    }
  }

  // sendPendingCheckIns sends the kept check-ins of the person signed in.
  function sendPendingCheckIns() {
    var said = "";
    try {
      said = sessionStorage.getItem("backcoach-checkin-sent") || "";
      sessionStorage.removeItem("backcoach-checkin-sent");
    } catch (e) {}
    var main = document.getElementById("main");
    if (said && main) note(main.firstElementChild, said);
    var me = document.body.dataset.person;
    var list = readList(localStorage, PENDING_CHECKINS);
    if (!me || !list.length || !navigator.onLine || !window.fetch) return;
    var rest = [], sent = 0, refused = 0;
    var sends = list.map(function (d) {
      if (d.owner !== me) {
        rest.push(d);
        return null;
      }
      return fetch(d.action, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        credentials: "same-origin",
        // When it was typed, so that it lands on its own day.
        body: d.body + "&typed_at=" + encodeURIComponent(new Date(d.at).toISOString())
      }).then(function (r) {
        if (r.ok) sent++;
        else if (r.status === 401 || r.status === 409 || r.status === 429 || r.status >= 500) rest.push(d);
        else refused++;
      }).catch(function () { rest.push(d); });
    });
    Promise.all(sends).then(function () {
      writeList(localStorage, PENDING_CHECKINS, rest);
      if (!sent && !refused) return;
      var text = sent ? (sent === 1 ? "The check-in kept on this device is saved." : sent + " check-ins kept on this device are saved.") : "";
      if (refused) text += (text ? " " : "") + "A check-in kept on this device was incomplete and could not be saved: please check in again.";
      var p = location.pathname;
      if (sent && (p === "/" || p === "/diary")) {
        // Reload, so that the page shows the entry.
        try { sessionStorage.setItem("backcoach-checkin-sent", text); } catch (e) {}
        location.reload();
        return;
      }
      if (main) note(main.firstElementChild, text);
    });
  }

  // Break reminders. The server runs the reminder (the same engine as the
  // desktop's); this page only reports how long ago it saw input, and
  // shows what the server sends: a prompt, and a notification when the
  // person allowed them. No rule of the reminder lives here.
  function breakReminders() {
    var prompt = document.getElementById("break-prompt");
    var live = document.getElementById("break-live");
    if (!prompt || !window.EventSource || !window.fetch) return;
    var api = "/api/v1/breaks/";
    var lastInput = Date.now(), lastReported = 0, reportEvery = 30000, locked = false;
    var offer = null, before = null, source = null;
    // A guided session must not be interrupted: a break due meanwhile
    // waits until it ends.
    var quiet = !!document.getElementById("player");

    function say(text) {
      live.textContent = "";
      setTimeout(function () { live.textContent = text; }, 30);
    }

    function post(path, body) {
      return fetch(api + path, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify(body || {})
      }).then(function (r) {
        return r.json().then(function (b) { return { ok: r.ok, status: r.status, body: b }; });
      });
    }

    // Activity: the time since the last input this page saw, sent about
    // every 30 seconds while input comes, at once after a quiet spell,
    // and whenever the page is shown or hidden.
    function report() {
      var idle = Math.min(86400, Math.max(0, Math.floor((Date.now() - lastInput) / 1000)));
      lastReported = Date.now();
      post("activity", { idle_seconds: idle, visible: document.visibilityState === "visible", locked: locked, quiet: quiet })
        .then(function (r) { if (r.status === 409) stop(); })
        .catch(function () {});
    }
    function input() {
      var back = Date.now() - lastInput > 30000;
      lastInput = Date.now();
      if (back) report();
    }
    ["keydown", "pointerdown", "pointermove", "wheel", "touchstart", "scroll"].forEach(function (type) {
      window.addEventListener(type, input, { passive: true, capture: true });
    });
    document.addEventListener("visibilitychange", report);
    var timer = setInterval(function () {
      if (lastInput > lastReported && Date.now() - lastReported >= reportEvery) report();
    }, 5000);

    function stop() {
      clearInterval(timer);
      if (source) source.close();
      hide();
    }

    // The prompt: an alert dialog in the page, with focus moved to it and
    // given back when it goes.
    function show(o) {
      offer = o;
      document.getElementById("break-prompt-title").textContent = o.summary;
      var list = prompt.querySelector("[data-break-lines]");
      list.textContent = "";
      (o.rest ? o.advice : o.exercises.map(function (x) { return x.name + ": " + x.dose; })).forEach(function (line) {
        var li = document.createElement("li");
        li.textContent = line;
        list.appendChild(li);
      });
      prompt.querySelector("[data-break-disclaimer]").textContent = o.disclaimer;
      var snooze = prompt.querySelector('[data-break-action="snooze"]');
      snooze.hidden = !o.can_snooze;
      snooze.textContent = "Snooze " + o.snooze_minutes + " min";
      prompt.querySelector("[data-break-error]").hidden = true;
      if (prompt.hidden) {
        before = document.activeElement;
        prompt.hidden = false;
      }
      // Focus goes to the prompt, unless the person is typing: a key
      // meant for a field must never press Start.
      if (typing()) say(o.summary + ". The reminder is at the bottom of the page.");
      else prompt.querySelector('[data-break-action="start"]').focus();
      notify(o);
    }
    function hide() {
      offer = null;
      if (prompt.hidden) return;
      var had = prompt.contains(document.activeElement);
      prompt.hidden = true;
      if (had && before && document.contains(before)) before.focus();
      before = null;
    }

    function typing() {
      var el = document.activeElement;
      return !!el && !prompt.contains(el) && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
    }

    // A form with something typed in it: leaving the page would lose it.
    function unsaved() {
      return Array.prototype.some.call(document.querySelectorAll("main input, main textarea, main select"), function (el) {
        if (el.type === "checkbox" || el.type === "radio") return el.checked !== el.defaultChecked;
        if (el.tagName === "SELECT") return Array.prototype.some.call(el.options, function (o) { return o.selected !== o.defaultSelected; });
        return el.type !== "hidden" && el.value !== el.defaultValue;
      });
    }

    // goTo opens the break's page here, or in a new tab when leaving this
    // one would lose what was typed.
    function goTo(url) {
      if (!unsaved()) {
        location.assign(url);
        return;
      }
      var err = prompt.querySelector("[data-break-error]");
      err.textContent = "";
      var a = document.createElement("a");
      a.href = url;
      a.target = "_blank";
      a.rel = "noopener";
      a.textContent = "Open the break in a new tab";
      err.appendChild(document.createTextNode("Your break has started. This page has something typed in it, so it stays open: "));
      err.appendChild(a);
      err.hidden = false;
      prompt.hidden = false;
      a.focus();
    }

    function notify(o) {
      if (!("Notification" in window) || Notification.permission !== "granted") return;
      var body = o.rest ? o.advice[0] : o.exercises.map(function (x) { return x.name + ": " + x.dose; }).join("\n");
      var opts = { body: body, tag: "backcoach-break", icon: "/favicon.ico" };
      try {
        var n = new Notification(o.summary, opts);
        n.onclick = function () { window.focus(); prompt.querySelector('[data-break-action="start"]').focus(); n.close(); };
      } catch (e) {
        if (navigator.serviceWorker) navigator.serviceWorker.ready.then(function (reg) { reg.showNotification(o.summary, opts); });
      }
    }

    // The answers, sent to the server, which decides what follows.
    var answers = {
      start: function () { return post("start", {}); },
      snooze: function () { return post("snooze"); },
      skip: function () { return post("skip"); },
      pause: function () { return post("pause", { minutes: 60 }); },
      tomorrow: function () { return post("pause", { until: "tomorrow" }); }
    };
    prompt.addEventListener("click", function (e) {
      var btn = e.target.closest("[data-break-action]");
      if (!btn) return;
      var what = btn.dataset.breakAction;
      answers[what]().then(function (r) {
        if (!r.ok) {
          var err = prompt.querySelector("[data-break-error]");
          err.textContent = r.body.detail || "That did not work; try again.";
          err.hidden = false;
          return;
        }
        hide();
        if (what === "start" && r.body.running) goTo(r.body.running.url);
        if (what === "pause" || what === "tomorrow") say("Break reminders are paused.");
      }).catch(function () {
        var err = prompt.querySelector("[data-break-error]");
        err.textContent = "backcoach cannot be reached just now; try again in a moment.";
        err.hidden = false;
      });
    });
    prompt.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && offer && offer.can_snooze) {
        e.preventDefault();
        prompt.querySelector('[data-break-action="snooze"]').click();
      }
    });

    // Notifications are asked for on a click, as browsers require; so is
    // the browser's idle detection, which lets the page see input on the
    // whole computer rather than on this page only.
    var ask = document.querySelector("[data-break-notify]");
    if (ask && "Notification" in window && Notification.permission === "default") {
      ask.hidden = false;
      ask.addEventListener("click", function () {
        ask.hidden = true;
        Notification.requestPermission().catch(function () {});
        if (window.IdleDetector) IdleDetector.requestPermission().then(function (p) { if (p === "granted") watchIdle(); }).catch(function () {});
      });
    }
    function watchIdle() {
      if (!window.IdleDetector) return;
      var d = new IdleDetector();
      d.addEventListener("change", function () {
        locked = d.screenState === "locked";
        lastInput = d.userState === "active" ? Date.now() : Math.min(lastInput, Date.now() - 60000);
        report();
      });
      d.start({ threshold: 60000 }).catch(function () {});
      setInterval(function () { if (d.userState === "active") lastInput = Date.now(); }, 10000);
    }
    if (navigator.permissions && window.IdleDetector) {
      navigator.permissions.query({ name: "idle-detection" }).then(function (p) { if (p.state === "granted") watchIdle(); }).catch(function () {});
    }

    // The events.
    source = new EventSource(api + "events");
    function on(name, fn) {
      source.addEventListener(name, function (e) { fn(JSON.parse(e.data)); });
    }
    var state = window.__breaks = { listening: false }; // read by browser tests
    on("status", function (s) {
      state.listening = true;
      if (s.report_every_seconds > 0) reportEvery = s.report_every_seconds * 1000;
      if (s.offer) show(s.offer); else hide();
    });
    on("offer", show);
    on("withdraw", function () { hide(); });
    on("started", function () { hide(); });
    on("ended", function () {
      var over = document.querySelector("[data-break-over]");
      if (over) over.hidden = false;
      say("The break is over. Back to what you were doing, and sit tall.");
    });
    on("limit", function (l) {
      say(l.message);
      if ("Notification" in window && Notification.permission === "granted") {
        try { new Notification("Today's computer time is up", { body: l.message, tag: "backcoach-limit" }); } catch (e) {}
      }
    });
    source.addEventListener("error", function () {
      if (source.readyState === EventSource.CLOSED) stop();
    });
    report();
  }

  if ("serviceWorker" in navigator) {
    window.addEventListener("load", function () {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () {});
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
