// backcoach guided session player: a timer state machine in plain
// JavaScript. The page carries the plan as JSON (#player-data): each
// exercise split into timed segments (get into position, the work, the
// other side, the next set) by the server. The pain asked before the
// session picks what it holds from the page's openings, one for each pain
// 0 to 10, which the server worked out with the pain gate: the player
// never applies the thresholds itself. The player runs them, keeps
// the screen awake, can speak its cues, and posts the session at the
// end; without a network the record waits on the device and is sent on
// a later visit.
"use strict";

(function () {
  var root = document.getElementById("player");
  var dataEl = document.getElementById("player-data");
  if (!root || !dataEl) return;
  var data = JSON.parse(dataEl.textContent);
  var scale = data.time_scale > 0 ? data.time_scale : 1;
  var items = data.items;
  var opening = null; // what the pain before allows, from data.openings
  var PENDING = "backcoach-pending-sessions";
  var MUTE = "backcoach-mute";

  // The session's state.
  var st = {
    phase: "before",     // before, gate, ready, run, rest, skip, signs-now, signs-more, goon, stop, quit, after, done
    back: null,          // the phase to return to from skip or quit
    wasRunning: false,
    idx: 0,              // the current exercise
    seg: 0,              // the current segment of it
    left: 0,             // session seconds left in the segment or rest
    rep: 0,
    paused: false,
    started: null,       // when pain before was given
    active: 0,           // session seconds, pauses and questions left out
    spent: items.map(function () { return 0; }),
    outcomes: items.map(function () { return null; }),
    painBefore: null,
    painAfter: null,
    flags: [],
    clientID: newID(),
    resumeItem: 0,
    resumePhase: "ready",
    saved: false
  };

  var last = 0;
  var timer = null;
  var wakeLock = null;
  var speak = true;     // the cues speak once the first tap allows sound
  var audio = null;
  var shown = "";       // the screen on view, to move the focus to a new one
  var refocus = false;  // a new exercise on the same screen

  // newID names this session's record, so that sending it twice keeps
  // it once.
  function newID() {
    var b = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  function $(sel) { return root.querySelector(sel); }
  function bind(name, text) {
    root.querySelectorAll('[data-bind="' + name + '"]').forEach(function (el) { el.textContent = text; });
  }
  // list fills an element with one child per line: li in a list, p else.
  function list(name, lines) {
    root.querySelectorAll('[data-list="' + name + '"]').forEach(function (el) {
      el.textContent = "";
      var tag = el.tagName === "UL" || el.tagName === "OL" ? "li" : "p";
      lines.forEach(function (line) {
        var c = document.createElement(tag);
        c.textContent = line;
        el.appendChild(c);
      });
      el.hidden = lines.length === 0;
    });
  }

  // useOpening makes the session hold what the pain before allows.
  function useOpening(o) {
    opening = o;
    items = o.items;
    st.spent = items.map(function () { return 0; });
    st.outcomes = items.map(function () { return null; });
    st.idx = 0;
  }
  // show puts one screen on view. While a session is under way the
  // player fills the window (the site's navigation hides) with its
  // controls pinned to the bottom; the focus goes to a new screen's
  // heading.
  function show(screen) {
    root.querySelectorAll(".screen").forEach(function (el) { el.hidden = el.id !== "screen-" + screen; });
    root.dataset.state = screen === "exercise" && st.phase === "run" && currentSeg().kind === "work" ? "work" : screen;
    if (screen === "before" || screen === "done") delete root.dataset.immersive;
    else root.dataset.immersive = "1";
    if (screen !== shown || refocus) {
      shown = screen;
      refocus = false;
      var h = root.querySelector("#screen-" + screen + " h2");
      if (h) h.focus({ preventScroll: true });
      var body = $(".player-body");
      if (body) body.scrollTop = 0;
    }
  }

  // Cues: said to screen readers through the live region, and aloud when
  // the person turned speech on.
  function cue(text, beep) {
    var live = document.getElementById("cue");
    if (live) {
      live.textContent = "";
      setTimeout(function () { live.textContent = text; }, 30);
    }
    if (beep) tone();
    if (speak && window.speechSynthesis) {
      window.speechSynthesis.cancel();
      var u = new SpeechSynthesisUtterance(text);
      u.rate = 0.95;
      window.speechSynthesis.speak(u);
    }
  }

  function tone() {
    if (!speak) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var o = audio.createOscillator();
      var g = audio.createGain();
      o.frequency.value = 880;
      g.gain.value = 0.08;
      o.connect(g);
      g.connect(audio.destination);
      o.start();
      o.stop(audio.currentTime + 0.18);
    } catch (e) {}
  }

  // The screen stays awake while a session runs.
  function keepAwake() {
    if (!("wakeLock" in navigator) || wakeLock) return;
    navigator.wakeLock.request("screen").then(function (l) {
      wakeLock = l;
      l.addEventListener("release", function () { wakeLock = null; });
    }).catch(function () {});
  }
  function letSleep() {
    if (wakeLock) wakeLock.release().catch(function () {});
    wakeLock = null;
  }
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible" && st.started && !ended()) keepAwake();
  });

  function ended() { return st.phase === "done" || st.phase === "stop" || st.phase === "after"; }
  function item() { return items[st.idx]; }
  function currentSeg() { return item().segments[st.seg] || item().segments[0]; }

  // The clock: session seconds advance with real time times the scale,
  // only while a segment or a rest runs and the session is not paused.
  function startClock() {
    last = performance.now();
    if (!timer) timer = setInterval(tick, 100);
  }
  function stopClock() {
    if (timer) clearInterval(timer);
    timer = null;
  }
  function running() { return (st.phase === "run" || st.phase === "rest") && !st.paused; }

  function tick() {
    var now = performance.now();
    var d = (now - last) / 1000 * scale;
    last = now;
    if (!running()) return;
    advance(d);
    render();
  }

  function advance(d) {
    while (d > 0 && running()) {
      var step = Math.min(d, st.left);
      st.left -= step;
      st.active += step;
      if (st.phase === "run") {
        st.spent[st.idx] += step;
        repCue();
        tenLeft(step);
      }
      d -= step;
      if (st.left <= 1e-9) {
        if (st.phase === "run") nextSegment();
        else if (st.phase === "rest") showItem(st.idx + 1);
      }
    }
  }

  function tenLeft(step) {
    var s = currentSeg();
    if (s.kind !== "work" || s.dose === "reps" || s.seconds < 20) return;
    if (st.left <= 10 && st.left + step > 10) cue("10 seconds left");
  }

  function repCue() {
    var s = currentSeg();
    if (s.kind !== "work" || s.dose !== "reps") return;
    var rep = Math.min(s.reps, Math.floor((s.seconds - st.left) / s.per_rep) + 1);
    if (rep !== st.rep) {
      st.rep = rep;
      if (rep > 1) cue(String(rep));
    }
  }

  function startSegment() {
    var s = currentSeg();
    st.left = s.seconds;
    st.rep = 0;
    if (s.kind === "transition") {
      cue(s.label + ".");
    } else if (s.dose === "reps") {
      st.rep = 1;
      cue(s.reps + " slow repetitions. 1");
    } else if (s.dose === "hold") {
      cue("Hold for " + Math.round(s.seconds) + " seconds.");
    } else {
      cue("Keep going for " + Math.round(s.seconds) + " seconds.");
    }
  }

  function nextSegment() {
    var s = currentSeg();
    if (s.kind === "work") cue(st.seg + 1 < item().segments.length ? "Relax." : "Done.", true);
    st.seg++;
    if (st.seg < item().segments.length) {
      startSegment();
      return;
    }
    record(st.idx, "done", "");
    if (st.idx + 1 >= items.length) {
      finish();
      return;
    }
    st.phase = "rest";
    st.left = data.rest_seconds;
    cue("Rest. Next: " + items[st.idx + 1].name + ".");
  }

  function record(i, outcome, reason) {
    st.outcomes[i] = { exercise_id: items[i].id, outcome: outcome, reason: reason, seconds: Math.round(st.spent[i]) };
  }

  function showItem(i) {
    if (i >= items.length) {
      finish();
      return;
    }
    st.idx = i;
    st.seg = 0;
    st.phase = "ready";
    st.paused = false;
    st.left = item().segments[0].seconds;
    root.querySelectorAll(".item").forEach(function (el) { el.hidden = el.dataset.item !== items[i].id; });
    refocus = true;
    cue(item().name + ". " + item().dose + ". Press start when you are ready.");
  }

  function finish() {
    markRemaining();
    st.phase = "after";
    stopClock();
    cue("That was the last exercise. How is the pain now?", true);
  }

  function markRemaining() {
    for (var i = 0; i < items.length; i++) {
      if (!st.outcomes[i]) record(i, "skipped", data.ended_early_reason);
    }
  }

  // Drawing.
  function fmt(sec) {
    sec = Math.max(0, Math.ceil(sec - 1e-6));
    if (sec < 60) return String(sec);
    return Math.floor(sec / 60) + ":" + String(sec % 60).padStart(2, "0");
  }

  // bar shows the controls that fit the moment: Start or Pause, Back and
  // Skip while exercising, Next during a rest, Stop until the end.
  function bar() {
    var p = st.phase;
    var el = $(".player-bar");
    el.hidden = ended() || p === "done" || p === "signs-now" || p === "signs-more" || p === "goon" || p === "stop";
    var on = function (action, yes) { $('.player-bar [data-action="' + action + '"]').hidden = !yes; };
    on("start", p === "ready");
    on("pause", p === "run");
    on("skip-rest", p === "rest");
    on("back", p === "ready" || p === "run" || p === "rest");
    on("skip", p === "ready" || p === "run");
    var pause = $('.player-bar [data-action="pause"]');
    pause.textContent = st.paused ? "Resume" : "Pause";
    // A button that hid under the focus hands it on: Start to Pause,
    // Pause back to Start.
    var had = document.activeElement;
    if (had && el.contains(had) && had.hidden) {
      var next = el.querySelector("button:not([hidden])");
      if (next && !el.hidden) next.focus();
    }
    $('[data-action="quit"]').hidden = !st.started || ended() || p === "done" || p === "signs-now" || p === "signs-more" || p === "goon";
    var mute = $('[data-action="mute"]');
    mute.hidden = p === "done";
    mute.setAttribute("aria-pressed", speak ? "false" : "true");
    bind("position", p === "ready" || p === "run" ? "Exercise " + (st.idx + 1) + " of " + items.length : "Guided session");
  }

  function render() {
    bar();
    switch (st.phase) {
      case "before": show("before"); break;
      case "gate":
        show("gate");
        bind("gate-title", opening.title);
        list("gate-message", opening.message);
        list("gate-items", items.map(function (it) { return it.name + " — " + it.dose; }));
        bind("gate-accept", opening.mode === "none" ? "Try the breathing exercise" : "Start the gentle session");
        break;
      case "ready":
      case "run": renderExercise(); break;
      case "rest":
        show("rest");
        bind("rest", fmt(st.left));
        bind("next", items[st.idx + 1] ? items[st.idx + 1].name : "");
        break;
      default: show(st.phase);
    }
  }

  // totalSeconds is the whole exercise's time, shown before it starts.
  function totalSeconds(it) {
    var t = 0;
    it.segments.forEach(function (x) { t += x.seconds; });
    return t;
  }

  function renderExercise() {
    show("exercise");
    var it = item();
    var s = currentSeg();
    bind("name", it.name);
    bind("dose", it.dose);
    bind("stop-if", it.stop_if.join("; "));
    list("changes", it.changes);
    var phase = "";
    if (st.phase === "ready") {
      phase = "Ready when you are: first " + s.seconds + " s to get into position";
    } else if (s.kind === "transition") {
      phase = s.label;
    } else {
      phase = s.dose === "hold" ? "Hold" : s.dose === "reps" ? "Slow repetitions" : "Keep moving";
      if (s.sides > 1) phase += " · side " + s.side + " of " + s.sides;
      if (s.sets > 1) phase += " · set " + s.set + " of " + s.sets;
    }
    if (st.paused) phase = "Paused";
    bind("phase", phase);
    bind("countdown", fmt(st.phase === "ready" ? totalSeconds(it) : st.left));
    bind("rep", st.phase === "run" && s.kind === "work" && s.dose === "reps" ? "Repetition " + Math.max(st.rep, 1) + " of " + s.reps : "");
    var total = 0, done = 0;
    it.segments.forEach(function (x, k) {
      total += x.seconds;
      if (k < st.seg) done += x.seconds;
    });
    if (st.phase === "run") done += s.seconds - st.left;
    $(".seg-progress").value = total ? done / total : 0;
  }

  // Actions.
  var actions = {
    start: function () {
      if (st.phase !== "ready") return;
      st.phase = "run";
      st.seg = 0;
      startSegment();
      startClock();
    },
    pause: function () {
      if (st.phase !== "run") return;
      st.paused = !st.paused;
      last = performance.now();
      cue(st.paused ? "Paused." : "Go on.");
    },
    back: function () {
      if (st.phase === "run" && (st.seg > 0 || currentSeg().seconds - st.left > 2)) {
        st.spent[st.idx] = 0;
        showItem(st.idx);
        return;
      }
      var to = st.phase === "rest" ? st.idx : Math.max(st.idx - 1, 0);
      st.outcomes[to] = null;
      st.spent[to] = 0;
      showItem(to);
    },
    skip: function () {
      if (st.phase !== "ready" && st.phase !== "run") return;
      st.back = st.phase;
      st.wasRunning = st.phase === "run" && !st.paused;
      st.paused = true;
      st.phase = "skip";
    },
    "skip-rest": function () {
      if (st.phase === "rest") showItem(st.idx + 1);
    },
    cancel: function () {
      if (st.phase !== "skip" && st.phase !== "quit") return;
      st.phase = st.back;
      st.paused = st.phase === "run" ? !st.wasRunning : false;
      last = performance.now();
    },
    accept: function () {
      if (st.phase !== "gate") return;
      keepAwake();
      startClock();
      showItem(0);
    },
    decline: function () {
      // The link goes back to Today; nothing was done, nothing is kept.
      if (st.phase === "gate") st.started = null;
    },
    symptoms: function () { stopForSymptoms(); },
    "signs-next": function () { signsNow(); },
    "signs-done": function () { signsMore(); },
    mute: function () {
      speak = !speak;
      if (!speak && window.speechSynthesis) window.speechSynthesis.cancel();
      try { localStorage.setItem(MUTE, speak ? "" : "1"); } catch (err) {}
    },
    "go-on": function () {
      if (st.phase !== "goon") return;
      if (st.resumePhase === "before" || st.resumePhase === "gate") {
        st.phase = st.resumePhase;
      } else {
        showItem(st.resumeItem);
      }
    },
    end: function () {
      if (st.phase !== "goon") return;
      if (st.resumePhase === "before" || st.resumePhase === "gate") {
        location.assign("/");
        return;
      }
      finish();
    },
    quit: function () {
      if (ended() || st.phase === "quit") return;
      if (!st.started || st.phase === "gate") {
        st.started = null;
        location.assign("/");
        return;
      }
      st.back = st.phase;
      st.wasRunning = st.phase === "run" && !st.paused;
      if (st.phase === "run") st.paused = true;
      st.phase = "quit";
    },
    "quit-yes": function () {
      if (st.phase !== "quit") return;
      finish();
    }
  };

  // A stop for pain spreading, numbness or feeling unwell: the exercise
  // under way is recorded as stopped, and two checklists follow: the
  // signs that need help now, then the others that can newly appear.
  function stopForSymptoms() {
    if (ended() || st.phase === "signs-now" || st.phase === "signs-more" || st.phase === "goon") return;
    var phase = st.phase === "skip" || st.phase === "quit" ? st.back : st.phase;
    st.resumePhase = phase;
    st.resumeItem = st.idx;
    if (phase === "run") {
      record(st.idx, "stopped", data.symptoms_reason);
      st.resumeItem = st.idx + 1;
    } else if (phase === "rest") {
      st.resumeItem = st.idx + 1;
    }
    st.paused = false;
    st.flags = [];
    resetSigns("emergency");
    resetSigns("other");
    st.phase = "signs-now";
    cue("Stopped. Do you have any of these right now?");
  }

  // The checklists, drawn once from the page's data.
  function fillSigns() {
    data.flags.forEach(function (f) {
      var box = $('[data-signs="' + (f.urgency === "emergency" ? "emergency" : "other") + '"]');
      var label = document.createElement("label");
      label.className = "check";
      var input = document.createElement("input");
      input.type = "checkbox";
      input.value = f.id;
      label.appendChild(input);
      label.appendChild(document.createTextNode(" " + f.question));
      box.insertBefore(label, box.querySelector(".none"));
    });
    root.querySelectorAll("[data-signs]").forEach(function (box) {
      var none = box.querySelector("[data-none]");
      box.addEventListener("change", function (e) {
        if (e.target === none && none.checked) {
          box.querySelectorAll("input[value]").forEach(function (i) { i.checked = false; });
        } else if (e.target !== none && e.target.checked) {
          none.checked = false;
        }
      });
    });
  }
  function resetSigns(which) {
    var box = $('[data-signs="' + which + '"]');
    box.querySelectorAll("input").forEach(function (i) { i.checked = false; });
    box.removeAttribute("aria-describedby");
    bind(which === "emergency" ? "signs-now-error" : "signs-more-error", "");
  }
  // ticked returns the signs ticked on a checklist, or null (with a
  // message) when nothing was ticked, not even "none of these".
  function ticked(which, errName) {
    var box = $('[data-signs="' + which + '"]');
    var ids = [];
    box.querySelectorAll("input[value]:checked").forEach(function (i) { ids.push(i.value); });
    if (!ids.length && !box.querySelector("[data-none]").checked) {
      bind(errName, "Tick the signs you have, or \u201cNone of these\u201d.");
      box.setAttribute("aria-describedby", errName);
      var first = box.querySelector("input");
      if (first) first.focus();
      return null;
    }
    bind(errName, "");
    box.removeAttribute("aria-describedby");
    return ids;
  }

  function signsNow() {
    if (st.phase !== "signs-now") return;
    var ids = ticked("emergency", "signs-now-error");
    if (!ids) return;
    st.flags = ids;
    if (ids.length) {
      stopWith("emergency", data.levels.emergency.title, data.levels.emergency.advice);
      check(); // tells the server, which remembers it for today
      return;
    }
    st.phase = "signs-more";
  }

  function signsMore() {
    if (st.phase !== "signs-more") return;
    var ids = ticked("other", "signs-more-error");
    if (!ids) return;
    st.flags = ids;
    if (!ids.length) {
      st.phase = "goon";
      return;
    }
    check().then(function (res) {
      if (res && res.exercise_allowed) {
        st.phase = "goon";
      } else if (res) {
        stopWith(res.urgency, res.title, res.advice);
      } else {
        // Offline: the safer answer.
        stopWith("urgent", data.levels.urgent.title, data.levels.urgent.advice);
      }
      render();
    });
  }

  // check asks the server what the answers mean (triage decides there).
  function check() {
    return fetch(data.check_url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ flags: st.flags })
    }).then(function (r) { return r.ok ? r.json() : null; }).catch(function () { return null; });
  }

  function stopWith(urgency, title, advice) {
    var reason = (data.warning_reason_prefix + st.flags.join(", ")).slice(0, 200);
    if (st.resumePhase !== "before" && st.resumePhase !== "gate") {
      var i = Math.min(st.idx, items.length - 1);
      var o = st.outcomes[i];
      if (!o || o.reason === data.symptoms_reason) record(i, "stopped", reason);
      markRemaining();
    }
    st.phase = "stop";
    stopClock();
    letSleep();
    bind("stop-title", title);
    var ul = $('[data-bind="stop-advice"]');
    ul.textContent = "";
    advice.forEach(function (a) {
      var li = document.createElement("li");
      li.textContent = a;
      ul.appendChild(li);
    });
    $("[data-calls]").hidden = urgency !== "emergency";
    cue(title + ". " + advice[0]);
    if (st.started) save(false);
  }

  // Saving: the record of the session, as the server keeps it.
  function recordOut() {
    return {
      client_id: st.clientID,
      plan_id: data.plan_id,
      started_at: st.started.toISOString(),
      duration_seconds: Math.round(st.active),
      pain_before: st.painBefore,
      pain_after: st.painAfter,
      exercises: st.outcomes.filter(function (o) { return o; }),
      flags: st.flags
    };
  }

  // save sends the record. Online, the answer carries the end screen's
  // words; offline, or when the sign-in has expired, the record waits on
  // the device and is sent on a later visit (app.js), after signing in
  // again where needed.
  function save(atEnd) {
    if (st.saved) return;
    st.saved = true;
    var rec = recordOut();
    var savedLine = $('[data-bind="stop-saved"]');
    fetch(data.save_url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      credentials: "same-origin",
      body: JSON.stringify(rec)
    }).then(function (r) {
      return r.json().then(function (body) { return { ok: r.ok, status: r.status, body: body }; });
    }).then(function (res) {
      if (res.ok) {
        if (savedLine) savedLine.textContent = "The session is saved.";
        if (atEnd) ending(res.body.ending, res.body.progress, res.body.url, "");
        return;
      }
      if (res.status === 401 || res.status === 403) {
        keepForLater(rec);
        var text = "Your sign-in has expired, so the session is kept on this device: sign in again and it is sent.";
        if (savedLine) savedLine.textContent = text;
        $("[data-signin]").hidden = false;
        if (atEnd) ending(null, null, "", text);
        return;
      }
      if (res.status >= 500) throw new Error("server");
      st.saved = false;
      done("The session could not be saved", res.body.detail || "The server refused it.");
    }).catch(function () {
      keepForLater(rec);
      var text = "You are offline: the session is kept on this device and sent the next time you open backcoach online.";
      if (savedLine) savedLine.textContent = text;
      if (atEnd) ending(null, null, "", text);
    });
  }

  // ending fills the end screen: the server's words (guide.EndingOf)
  // when it answered, else the same words from the page's data.
  function ending(words, progress, url, note) {
    var doneN = 0, skipped = 0, stopped = 0;
    st.outcomes.forEach(function (o) {
      if (!o) return;
      if (o.outcome === "done") doneN++;
      else if (o.outcome === "skipped") skipped++;
      else stopped++;
    });
    if (!words) words = localEnding(doneN);
    var parts = [doneN + " of " + items.length + " done"];
    if (skipped) parts.push(skipped + " skipped");
    if (stopped) parts.push(stopped + " stopped");
    bind("done-count", parts.join(", "));
    bind("done-pain", st.painAfter === null ? "before " + st.painBefore : st.painBefore + " \u2192 " + st.painAfter + " (out of 10)");
    var p = progress;
    if (!p) {
      // Not sent yet: this session counts as if it were.
      p = data.progress;
      p = { streak: p.done_today ? p.streak : p.streak + 1, week_sessions: p.week_sessions + 1, last_week_sessions: p.last_week_sessions };
    }
    bind("done-streak", p.streak === 1 ? "1 day" : p.streak + " days in a row");
    var week = p.week_sessions === 1 ? "1 session" : p.week_sessions + " sessions";
    if (p.week_sessions > p.last_week_sessions) week += ", up from " + p.last_week_sessions + " the week before";
    else if (p.week_sessions < p.last_week_sessions) week += ", " + p.last_week_sessions + " the week before";
    else week += ", as many as the week before";
    bind("done-week", week);
    $("[data-congratulate]").hidden = !words.congratulate;
    root.classList.toggle("celebrate", !!words.congratulate);
    list("done-lines", words.lines);
    var link = $("[data-session-link]");
    if (url) {
      link.href = url;
      link.textContent = "See the session";
    }
    done(words.title, note);
  }

  // localEnding is guide.EndingOf's choice made with what the page
  // carries: the rise from each pain before was worked out by the server.
  function localEnding(doneN) {
    var e = data.ending;
    var b = st.painBefore, a = st.painAfter;
    if (a !== null && a >= e.rose_from[b]) {
      return { title: e.finished, congratulate: false, lines: e.rose.map(function (l) {
        return l.replace("{before}", b).replace("{after}", a).replace("{rise}", a - b);
      }) };
    }
    if (!doneN) return { title: e.finished, congratulate: false, lines: e.nothing_done };
    return { title: e.well_done, congratulate: true, lines: [] };
  }

  function keepForLater(rec) {
    try {
      var list = JSON.parse(localStorage.getItem(PENDING) || "[]");
      list.push(rec);
      localStorage.setItem(PENDING, JSON.stringify(list));
    } catch (e) {}
  }

  function done(title, text) {
    st.phase = "done";
    bind("done-title", title);
    bind("done-text", text);
    render();
  }

  // Pain before and after.
  root.querySelectorAll("[data-scale] [data-pain]").forEach(function (btn) {
    btn.addEventListener("click", function () {
      var pain = Number(btn.dataset.pain);
      var which = btn.parentElement.dataset.scale;
      if (which === "before" && st.phase === "before") {
        st.painBefore = pain;
        if (!st.started) st.started = new Date();
        useOpening(data.openings[data.gate[pain]]);
        if (opening.mode !== "full") {
          st.phase = "gate";
          cue(opening.title + ". " + opening.message[0]);
        } else {
          keepAwake();
          startClock();
          showItem(0);
        }
      } else if (which === "after" && st.phase === "after") {
        st.painAfter = pain;
        letSleep();
        bind("done-title", "Saving\u2026");
        st.phase = "done";
        save(true);
      }
      render();
    });
  });

  try { if (localStorage.getItem(MUTE) === "1") speak = false; } catch (err) {}
  if (!("speechSynthesis" in window)) {
    var note = $("[data-sound-note]");
    if (note) note.hidden = true;
  }
  $("[data-signin]").href = data.signin_url;
  fillSigns();

  root.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-action]");
    if (!btn || !root.contains(btn)) return;
    var fn = actions[btn.dataset.action];
    if (fn) {
      fn();
      render();
      // A bar button that hid as it was pressed (Start, Pause) hands the
      // focus on to the one that took its place.
      if (btn.hidden && btn.closest(".player-bar")) {
        var next = $(".player-bar button:not([hidden])");
        if (next) next.focus();
      }
    }
  });

  // Skip reasons, as buttons.
  var reasons = $("[data-reasons]");
  data.skip_reasons.forEach(function (r) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button choice";
    b.textContent = r.charAt(0).toUpperCase() + r.slice(1);
    b.addEventListener("click", function () {
      if (st.phase !== "skip") return;
      record(st.idx, "skipped", r);
      showItem(st.idx + 1);
      render();
    });
    reasons.appendChild(b);
  });

  // Keys: space pauses or starts, s skips, b goes back.
  document.addEventListener("keydown", function (e) {
    if (e.target.closest("input, textarea, select") || e.altKey || e.ctrlKey || e.metaKey) return;
    var key = e.key;
    if (key === " " && (st.phase === "run" || st.phase === "ready") && !e.target.closest("button")) {
      e.preventDefault();
      (st.phase === "run" ? actions.pause : actions.start)();
      render();
    }
  });

  window.addEventListener("beforeunload", function (e) {
    if (st.started && !ended() && st.phase !== "done" && !st.saved) {
      e.preventDefault();
      e.returnValue = "";
    }
  });

  if (!navigator.onLine) document.getElementById("offline-note").hidden = false;
  window.__player = st; // read by end-to-end tests
  render();
})();
