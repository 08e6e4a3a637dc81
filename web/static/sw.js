// backcoach service worker: keeps the app's shell (styles, scripts,
// icons, the offline page), the pages of today's plan and session, and
// the exercise pictures, so that a guided session works without a
// network once it has been opened. The server fills in the version and
// the list of shell files.
"use strict";

var VERSION = "__VERSION__";
var SHELL = ["__SHELL__"];
var SHELL_CACHE = "backcoach-shell-" + VERSION;
var PAGE_CACHE = "backcoach-pages";
var PICTURE_CACHE = "backcoach-pictures-" + VERSION;

// Pages kept for offline use: Today, the plan, the session player, the
// exercise pages and the pages about the back (learn). Everything else is
// only ever fetched.
function keepsPage(url) {
  var p = url.pathname;
  return p === "/" || p === "/plan" || p === "/session" || /^\/plans\/[a-z2-7]{26}(\/session)?$/.test(p) ||
    /^\/exercises(\/[a-z0-9-]+)?$/.test(p) || /^\/learn(\/[a-z0-9-]+)?$/.test(p);
}

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(SHELL_CACHE).then(function (cache) { return cache.addAll(SHELL); }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (keys) {
      return Promise.all(keys.map(function (k) {
        if ((k.indexOf("backcoach-shell-") === 0 && k !== SHELL_CACHE) || (k.indexOf("backcoach-pictures-") === 0 && k !== PICTURE_CACHE)) {
          return caches.delete(k);
        }
      }));
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var req = event.request;
  var url = new URL(req.url);
  if (url.origin !== self.location.origin) return;
  if (req.method === "POST" && req.mode === "navigate" && url.pathname === "/diary") {
    // A check-in sent offline: the offline page says it is kept on the
    // device (app.js).
    event.respondWith(fetch(req).catch(function () { return caches.match("/offline"); }));
    return;
  }
  if (req.method !== "GET") return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(cacheFirst(req, SHELL_CACHE));
    return;
  }
  if (/^\/exercises\/[a-z0-9-]+\/(picture|moving)$/.test(url.pathname)) {
    event.respondWith(cacheFirst(req, PICTURE_CACHE));
    return;
  }
  if (req.mode === "navigate") {
    event.respondWith(networkFirst(req, keepsPage(url)));
  }
});

// cacheFirst answers from the cache, fetching and keeping what is missing.
function cacheFirst(req, name) {
  return caches.open(name).then(function (cache) {
    return cache.match(req).then(function (hit) {
      if (hit) return hit;
      return fetch(req).then(function (res) {
        if (res.ok) cache.put(req, res.clone());
        return res;
      });
    });
  });
}

// networkFirst asks the server, keeping a copy of the pages that work
// offline; without a network it answers with the kept copy, or the
// offline page.
function networkFirst(req, keep) {
  return fetch(req).then(function (res) {
    if (keep && res.ok && res.type === "basic" && !res.redirected) {
      var copy = res.clone();
      caches.open(PAGE_CACHE).then(function (cache) { cache.put(req, copy); });
    }
    return res;
  }).catch(function () {
    return caches.open(PAGE_CACHE).then(function (cache) {
      return cache.match(req, { ignoreSearch: false }).then(function (hit) {
        return hit || caches.match("/offline");
      });
    });
  });
}

// A page asks for a page it links to be kept ahead of time (Today's
// Start, the player of today's plan), so that it opens offline.
self.addEventListener("message", function (event) {
  var path = event.data && event.data.keep;
  if (typeof path !== "string" || path.charAt(0) !== "/") return;
  var url = new URL(path, self.location.origin);
  if (url.origin !== self.location.origin || !keepsPage(url)) return;
  event.waitUntil(fetch(url.href, { credentials: "same-origin" }).then(function (res) {
    if (res.ok && !res.redirected) {
      return caches.open(PAGE_CACHE).then(function (cache) { return cache.put(url.href, res); });
    }
  }).catch(function () {}));
});

// A break reminder's notification, shown through the worker where pages
// cannot show one themselves (phones), brings the app forward when tapped.
self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  event.waitUntil(self.clients.matchAll({ type: "window", includeUncontrolled: true }).then(function (list) {
    for (var i = 0; i < list.length; i++) {
      if ("focus" in list[i]) return list[i].focus();
    }
    return self.clients.openWindow("/");
  }));
});
