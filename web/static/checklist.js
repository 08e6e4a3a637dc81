// backcoach: the safety check's checklists. A list of check boxes is one
// stop for Tab, and the arrow keys (with Home and End) move through it, so
// a keyboard reaches "None of these" and the Next button in a few keys.
// "None of these" and the signs exclude each other. Without this script
// every box is its own Tab stop and the server checks the answers alike.
"use strict";

(function () {
  function checklist(list) {
    var boxes = Array.prototype.slice.call(list.querySelectorAll("input[type=checkbox]"));
    if (boxes.length === 0) return;
    var none = list.querySelector("input[data-none]");

    // The box that takes the Tab stop: the focused one, else the first
    // ticked, else the first.
    function rove(to) {
      boxes.forEach(function (b) { b.tabIndex = b === to ? 0 : -1; });
    }
    var start = boxes.filter(function (b) { return b.checked; })[0] || boxes[0];
    if (boxes.indexOf(document.activeElement) >= 0) start = document.activeElement;
    rove(start);

    list.addEventListener("focusin", function (e) {
      if (boxes.indexOf(e.target) >= 0) rove(e.target);
    });
    list.addEventListener("keydown", function (e) {
      var i = boxes.indexOf(e.target);
      if (i < 0 || e.altKey || e.ctrlKey || e.metaKey) return;
      var to = -1;
      switch (e.key) {
        case "ArrowDown": case "ArrowRight": to = (i + 1) % boxes.length; break;
        case "ArrowUp": case "ArrowLeft": to = (i - 1 + boxes.length) % boxes.length; break;
        case "Home": to = 0; break;
        case "End": to = boxes.length - 1; break;
        default: return;
      }
      e.preventDefault();
      boxes[to].focus();
    });

    if (none) {
      list.addEventListener("change", function (e) {
        if (!e.target.checked) return;
        if (e.target === none) {
          boxes.forEach(function (b) { if (b !== none) b.checked = false; });
        } else {
          none.checked = false;
        }
      });
    }
  }

  function init() {
    document.querySelectorAll("[data-checklist]").forEach(checklist);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
