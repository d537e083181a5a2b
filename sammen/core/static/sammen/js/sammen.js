// Small progressive enhancements. Every page works without them.
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState !== "loading") callback();
    else document.addEventListener("DOMContentLoaded", callback);
  }

  function enhance(root) {
    // Forms marked data-autosubmit submit when a select changes; their button hides.
    root.querySelectorAll("form[data-autosubmit]:not([data-enhanced])").forEach(function (form) {
      form.dataset.enhanced = "1";
      var button = form.querySelector("button[type=submit]");
      if (button) button.classList.add("visually-hidden");
      form.querySelectorAll("select").forEach(function (select) {
        select.addEventListener("change", function () { form.requestSubmit(); });
      });
    });
    // Buttons with data-copy copy the value of the element they name.
    root.querySelectorAll("button[data-copy]:not([data-enhanced])").forEach(function (button) {
      button.dataset.enhanced = "1";
      button.addEventListener("click", function () {
        var field = document.querySelector(button.getAttribute("data-copy"));
        if (!field) return;
        field.select();
        if (navigator.clipboard) navigator.clipboard.writeText(field.value);
        button.setAttribute("aria-live", "polite");
        button.dataset.label = button.dataset.label || button.textContent;
        button.textContent = "✓";
        setTimeout(function () { button.textContent = button.dataset.label; }, 1500);
      });
    });
  }

  ready(function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
