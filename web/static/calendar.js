// backcoach: the Calendar feed page. A button copies the feed's address;
// without script (or without the clipboard) the address is still there
// to select and copy by hand.
"use strict";

(function () {
  function init() {
    document.querySelectorAll("button[data-copy]").forEach(function (btn) {
      var field = document.getElementById(btn.dataset.copy);
      var status = btn.parentNode.querySelector("[data-copy-status]");
      if (!field || !navigator.clipboard) return;
      btn.hidden = false;
      btn.addEventListener("click", function () {
        navigator.clipboard.writeText(field.value).then(function () {
          if (status) status.textContent = "Copied.";
        }, function () {
          field.focus();
          field.select();
          if (status) status.textContent = "Select the address and copy it.";
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
