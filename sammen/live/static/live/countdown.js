// Countdowns of timed quiz questions, on phones and the big screen.
// Deadlines come from the server, and so does "now": the page carries the server's time
// when it was made, so a phone with a wrong clock still counts right. When the time is
// up the page asks the server to look; the server closes the question by its own clock.
(function () {
  "use strict";

  var root = document.querySelector("[data-server-now]");
  if (!root) return;
  var offset = Number(root.getAttribute("data-server-now")) - Date.now();
  var checks = {}; // deadline -> [tries, time of the last try]

  function pad(number) { return number < 10 ? "0" + number : String(number); }

  function askServer(deadline) {
    var check = checks[deadline] || [0, 0];
    if (check[0] >= 5 || Date.now() - check[1] < 3000) return;
    checks[deadline] = [check[0] + 1, Date.now()];
    var url = root.getAttribute("data-time-check") || location.pathname;
    fetch(url, { credentials: "same-origin", headers: { "HX-Request": "true" } }).catch(function () {});
  }

  function tick() {
    var now = Date.now() + offset;
    document.querySelectorAll("[data-deadline]").forEach(function (element) {
      var deadline = Number(element.getAttribute("data-deadline"));
      var left = Math.ceil((deadline - now) / 1000);
      var text = left > 0 ? Math.floor(left / 60) + ":" + pad(left % 60) : element.getAttribute("data-done");
      if (element.textContent !== text) element.textContent = text;
      element.classList.toggle("live-countdown--ending", left > 0 && left <= 5);
      element.classList.toggle("live-countdown--done", left <= 0);
      if (now > deadline + 500) askServer(deadline);
    });
  }

  tick();
  setInterval(tick, 250);
})();
