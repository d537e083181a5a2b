// The door of a meeting: after a check-in from the search, the search box takes the next
// name; on the scan page, the camera reads QR codes where the browser has the
// BarcodeDetector API. Without it, or without JavaScript, the code is typed in the form.
(function () {
  "use strict";

  var SCAN_EVERY_MS = 250;
  var SAME_CODE_AGAIN_MS = 4000;

  // htmx swaps 2xx answers only: a code that is not this meeting's (404) says so too.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    if (target && target.id === "scan-result" && event.detail.xhr.status === 404) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // After a check-in, ready the box for the next name or code: typing replaces it.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (!target || !target.id) return;
    var box = null;
    if (target.id.indexOf("attendee-") === 0) box = document.querySelector("[data-door-search]");
    var video = document.querySelector("[data-scanner-video]");
    // While the camera scans, a focused box would only bring up the phone's keyboard.
    if (target.id === "scan-result" && !(video && !video.hidden)) {
      box = document.querySelector("[data-scanner-form] input[name=code]");
    }
    if (box) {
      box.focus();
      box.select();
    }
  });

  function startScanner(root) {
    var form = root.querySelector("[data-scanner-form]");
    var input = form && form.querySelector("input[name=code]");
    var video = root.querySelector("[data-scanner-video]");
    var start = root.querySelector("[data-scanner-start]");
    var status = root.querySelector("[data-scanner-status]");
    if (!form || !input || !video || !start || !status) return;
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices ||
        !navigator.mediaDevices.getUserMedia) return;

    window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") < 0) return;
      start.hidden = false;
      start.addEventListener("click", function () { run(); });
    }).catch(function () {});

    var last = "";
    var lastAt = 0;

    function run() {
      start.disabled = true;
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (stream) {
          var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
          video.srcObject = stream;
          video.hidden = false;
          start.hidden = true;
          status.textContent = status.dataset.scanning;
          video.play();
          tick(detector);
        })
        .catch(function () {
          start.disabled = false;
          status.textContent = status.dataset.denied;
        });
    }

    function tick(detector) {
      if (video.readyState < 2) {
        setTimeout(function () { tick(detector); }, SCAN_EVERY_MS);
        return;
      }
      detector.detect(video).then(function (codes) {
        var value = codes.length ? String(codes[0].rawValue || "").trim() : "";
        var now = Date.now();
        if (value && (value !== last || now - lastAt > SAME_CODE_AGAIN_MS)) {
          last = value;
          lastAt = now;
          input.value = value;
          form.requestSubmit();
        }
      }).catch(function () {}).then(function () {
        setTimeout(function () { tick(detector); }, SCAN_EVERY_MS);
      });
    }
  }

  function ready(callback) {
    if (document.readyState !== "loading") callback();
    else document.addEventListener("DOMContentLoaded", callback);
  }

  ready(function () {
    document.querySelectorAll("[data-scanner]").forEach(startScanner);
  });
})();
