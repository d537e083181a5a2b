// The presenter's buttons follow the poll on the stage. They are not part of the shared
// snapshots, so when the poll on the stage opens or closes elsewhere (another screen, the
// organiser's page, its time limit), and the buttons still say otherwise, fetch them again.
(function () {
  "use strict";

  var stage = document.getElementById("stage");
  var controls = "#presenter-controls";
  if (!stage || !window.MutationObserver) return;

  function outOfStep() {
    var poll = stage.querySelector(".stage-poll[data-key]");
    var button = document.querySelector(controls + ' [data-key="o"]');
    if (!poll || !button || !button.form) return false;
    var shown = poll.getAttribute("data-key").split("-"); // "poll", id, state
    var action = button.form.getAttribute("action") || "";
    var match = action.match(/\/polls\/(\d+)\/(open|close)\/$/);
    if (!match || match[1] !== shown[1]) return false;
    return (match[2] === "close") !== (shown[2] === "open");
  }

  var asked = 0;
  new MutationObserver(function () {
    if (!outOfStep() || !window.htmx || Date.now() - asked < 2000) return;
    asked = Date.now();
    window.htmx.ajax("GET", location.pathname, { target: controls, select: controls, swap: "outerHTML" });
  }).observe(stage, { childList: true, subtree: true });
})();
