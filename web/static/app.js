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
    document.querySelectorAll("[data-detect-zone]").forEach(function (btn) {
      btn.addEventListener("click", function () {
        var input = document.getElementById("time_zone");
        var zone = deviceZone();
        if (input && zone) {
          input.value = zone;
          input.focus();
        }
      });
    });
    document.querySelectorAll("[data-select-on-focus]").forEach(function (el) {
      el.addEventListener("focus", function () { el.select(); });
    });
    if (document.body.dataset.signedOut) forgetOfflinePages();
    sendPendingSessions();
  }

  // After signing out or deleting the account, the pages kept for
  // offline use belonged to the person who left: remove them.
  function forgetOfflinePages() {
    if (window.caches) {
      caches.keys().then(function (keys) {
        keys.forEach(function (k) { if (k.indexOf("backcoach-pages") === 0) caches.delete(k); });
      });
    }
    try { localStorage.removeItem("backcoach-pending-sessions"); } catch (e) {}
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
