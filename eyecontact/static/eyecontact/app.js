// Eye Contact's small enhancements; every page also works without them.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }

  ready(function () {
    // The main menu folds away on small screens behind the "Menu" button.
    var toggle = document.querySelector(".menu-toggle");
    var nav = document.getElementById("site-nav");
    if (toggle && nav) {
      toggle.addEventListener("click", function () {
        var open = toggle.getAttribute("aria-expanded") === "true";
        toggle.setAttribute("aria-expanded", String(!open));
        nav.classList.toggle("is-open", !open);
      });
    }
    // A long note shows its first lines and a button to read the rest.
    function foldNotes(root) {
      root.querySelectorAll(".note:not([data-folded])").forEach(function (note, index) {
        note.setAttribute("data-folded", "");
        if (note.scrollHeight <= 260) return;
        if (!note.id) note.id = "note-" + Date.now().toString(36) + "-" + index;
        note.classList.add("is-folded");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "link-button note-toggle";
        button.setAttribute("aria-controls", note.id);
        button.setAttribute("aria-expanded", "false");
        button.textContent = "Show the whole note";
        button.addEventListener("click", function () {
          var folded = note.classList.toggle("is-folded");
          button.setAttribute("aria-expanded", String(!folded));
          button.textContent = folded ? "Show the whole note" : "Show less";
        });
        note.insertAdjacentElement("afterend", button);
      });
    }
    foldNotes(document);
    document.body.addEventListener("htmx:afterSwap", function (event) { foldNotes(event.target); });
    // A chart too wide for its box scrolls sideways: let the keyboard reach it too.
    function focusableCharts() {
      document.querySelectorAll(".chart-box, .chart-figure").forEach(function (box) {
        var chart = box.querySelector("svg.chart");
        if (!chart) return;
        if (box.scrollWidth > box.clientWidth + 1) {
          box.setAttribute("tabindex", "0");
          box.setAttribute("role", "group");
          box.setAttribute("aria-label", chart.getAttribute("aria-label") || "Chart");
        } else if (box.getAttribute("tabindex") === "0") {
          box.removeAttribute("tabindex");
          box.removeAttribute("role");
          box.removeAttribute("aria-label");
        }
      });
    }
    focusableCharts();
    window.addEventListener("resize", focusableCharts);
    // After the first login, the user's time zone is taken from the browser (and can be
    // changed in their settings); the page is drawn again if its times were in another zone.
    var pick = document.body.getAttribute("data-time-zone-pick");
    var zone = window.Intl && Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (pick && zone && window.fetch) {
      var body = new URLSearchParams({ time_zone: zone });
      var token = document.querySelector('meta[name="csrf-token"]');
      fetch(pick, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": token ? token.getAttribute("content") : "" },
      })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (answer) { if (answer && answer.changed) window.location.reload(); })
        .catch(function () { /* the installation's zone stays until the next page */ });
    }
    // The workspace menu closes when a click lands elsewhere.
    document.addEventListener("click", function (event) {
      document.querySelectorAll("details.switcher[open]").forEach(function (menu) {
        if (!menu.contains(event.target)) menu.removeAttribute("open");
      });
    });
  });
})();
