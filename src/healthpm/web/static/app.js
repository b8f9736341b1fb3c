// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  function startTimers(root) {
    root.querySelectorAll("[data-timer]").forEach(function (el) {
      if (el.dataset.started) return;
      el.dataset.started = "1";
      var start = Date.now();
      var limit = parseInt(el.dataset.timer, 10) || 0;
      var field = document.getElementById(el.dataset.timerField || "");
      function tick() {
        var s = Math.floor((Date.now() - start) / 1000);
        var shown = limit ? Math.max(limit - s, 0) : s;
        el.textContent = Math.floor(shown / 60) + ":" + String(shown % 60).padStart(2, "0");
        if (field) field.value = String(s);
      }
      tick();
      setInterval(tick, 1000);
    });
  }
  document.addEventListener("DOMContentLoaded", function () { startTimers(document); });
  document.addEventListener("htmx:load", function (e) { startTimers(e.target); });
})();
