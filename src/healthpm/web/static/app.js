// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function clock(seconds) {
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  function startTimers(root) {
    root.querySelectorAll("[data-timer]").forEach(function (el) {
      if (el.dataset.started) return;
      el.dataset.started = "1";
      var start = Date.now();
      var limit = parseInt(el.dataset.timer, 10) || 0;
      var field = document.getElementById(el.dataset.timerField || "");
      function tick() {
        var s = Math.floor((Date.now() - start) / 1000);
        el.textContent = clock(limit ? Math.max(limit - s, 0) : s);
        if (field) field.value = String(s);
      }
      tick();
      setInterval(tick, 1000);
    });
  }

  // A mock interview's total countdown: it ends at the deadline the server set; at zero the
  // current answer is submitted (if any) and the page says time is up.
  function startDeadlines(root) {
    root.querySelectorAll("[data-deadline]").forEach(function (el) {
      if (el.dataset.started) return;
      el.dataset.started = "1";
      var end = Date.now() + 1000 * (parseInt(el.dataset.deadline, 10) || 0);
      var form = document.getElementById(el.dataset.deadlineForm || "");
      var done = false;
      function tick() {
        var left = Math.max(0, Math.round((end - Date.now()) / 1000));
        el.textContent = clock(left);
        if (left <= 60) el.classList.add("timer-low");
        if (left === 0 && !done) {
          done = true;
          var note = document.getElementById(el.dataset.deadlineNote || "");
          if (note) note.hidden = false;
          if (form) {
            var up = form.querySelector("input[name=time_up]");
            if (up) up.value = "1";
            form.requestSubmit ? form.requestSubmit() : form.submit();
          }
        }
      }
      tick();
      setInterval(tick, 1000);
    });
  }

  // Words and a speaking-time estimate (about 130 spoken words a minute) under an answer box.
  function startWordCounts(root) {
    root.querySelectorAll("textarea[data-word-count]").forEach(function (area) {
      if (area.dataset.counting) return;
      area.dataset.counting = "1";
      var out = document.getElementById(area.dataset.wordCount);
      if (!out) return;
      function update() {
        var words = (area.value.match(/\S+/g) || []).length;
        var secs = Math.round(words / 130 * 60);
        out.textContent = words + " word" + (words === 1 ? "" : "s") +
          " · about " + (secs < 60 ? secs + " s" : Math.floor(secs / 60) + " min " + (secs % 60) + " s") + " spoken";
      }
      area.addEventListener("input", update);
      update();
    });
  }

  // Plain forms that score an answer: disable the button and show the waiting note.
  function busyForms(root) {
    root.querySelectorAll("form[data-busy]").forEach(function (form) {
      if (form.dataset.busyReady) return;
      form.dataset.busyReady = "1";
      form.addEventListener("submit", function () {
        form.classList.add("is-busy");
        form.querySelectorAll("button[type=submit]").forEach(function (b) {
          setTimeout(function () { b.disabled = true; }, 0);
        });
      });
    });
  }

  function navToggle() {
    var header = document.querySelector(".site-header");
    var button = document.querySelector(".nav-toggle");
    if (!header || !button) return;
    button.addEventListener("click", function () {
      var open = header.classList.toggle("nav-open");
      button.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function enhance(root) {
    startTimers(root);
    startDeadlines(root);
    startWordCounts(root);
    busyForms(root);
  }
  document.addEventListener("DOMContentLoaded", function () { navToggle(); enhance(document); });
  document.addEventListener("htmx:load", function (e) { enhance(e.target); });
})();
