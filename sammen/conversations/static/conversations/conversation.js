// Conversations: keyboard shortcuts for voting, focus after each vote, and a
// character count while writing a statement. Every page works without this file.
(function () {
  "use strict";

  function isTyping(target) {
    return target instanceof Element &&
      target.closest("input, textarea, select, [contenteditable=''], [contenteditable='true']");
  }

  // A, D and P vote agree, disagree and pass on the statement in the voting card, while
  // the focus is in that card: elsewhere a letter is only a letter (WCAG 2.1.4), so
  // a speech-input or screen-reader user on a link does not vote by accident.
  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey || event.repeat) return;
    if (isTyping(event.target)) return;
    var card = document.getElementById("vote-card");
    if (!card || !(event.target instanceof Node) || !card.contains(event.target)) return;
    var key = (event.key || "").toLowerCase();
    if (key.length !== 1) return;
    var button = card.querySelector("[data-vote-key='" + key + "']");
    if (!button || button.disabled) return;
    event.preventDefault();
    button.click();
  });

  // After a vote the card is replaced: give focus to the new statement, so keyboard and
  // screen-reader users carry on where they were.
  document.addEventListener("htmx:afterSettle", function (event) {
    var card = document.getElementById("vote-card");
    if (!card || !(event.target === card || card.contains(event.target) || event.target.contains(card))) return;
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    var next = document.getElementById("current-statement") || card.querySelector(".vote-card__status, h2");
    if (next) {
      if (!next.hasAttribute("tabindex")) next.setAttribute("tabindex", "-1");
      next.focus({ preventScroll: true });
      var rect = card.getBoundingClientRect();
      if (rect.top < 0 || rect.top > window.innerHeight * 0.5) card.scrollIntoView({ block: "start" });
    }
  });

  // The statement form: count characters as people type.
  function countCharacters(root) {
    root.querySelectorAll("[data-statement-text]:not([data-counted])").forEach(function (field) {
      field.setAttribute("data-counted", "1");
      var counter = document.querySelector("[data-statement-count]");
      if (!counter) return;
      var update = function () { counter.textContent = String(field.value.length); };
      field.addEventListener("input", update);
      update();
    });
  }
  if (document.readyState !== "loading") countCharacters(document);
  else document.addEventListener("DOMContentLoaded", function () { countCharacters(document); });
})();
