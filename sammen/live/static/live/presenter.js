// The presenter's buttons follow the poll on the stage. They are not part of the shared
// snapshots, so when the poll on the stage opens or closes elsewhere (another screen, the
// organiser's page, its time limit), fetch them again.
(function () {
  "use strict";

  var stage = document.getElementById("stage");
  var controls = "#presenter-controls";
  if (!stage || !window.MutationObserver) return;

  function shown() {
    var poll = stage.querySelector(".stage-poll[data-key]");
    return poll ? poll.getAttribute("data-key").split("-") : []; // poll, id, state
  }

  var last = shown();
  new MutationObserver(function () {
    var now = shown();
    var sameState = now.join("-") === last.join("-");
    var samePoll = now.length && last.length && now[1] === last[1];
    last = now;
    if (sameState || !samePoll || !window.htmx) return;
    window.htmx.ajax("GET", location.pathname, { target: controls, select: controls, swap: "outerHTML" });
  }).observe(stage, { childList: true, subtree: true });
})();
