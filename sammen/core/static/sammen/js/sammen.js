// Small progressive enhancements. Every page works without them.
(function () {
  "use strict";

  function ready(callback) {
    if (document.readyState !== "loading") callback();
    else document.addEventListener("DOMContentLoaded", callback);
  }

  function enhance(root) {
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

    // [data-described-files]: one file input for several images, and a description field
    // for each ([data-file-description]). Only as many show as files are chosen, each
    // named with its file, so the form keeps few stops for the keyboard. Without this
    // script they all show. On an idea that has images, ticking "Remove" on some
    // (name=remove_image) makes room for as many new ones: the help (data-room-texts,
    // by the number of free places) and the fields follow, and [data-image-room] says
    // when more files are chosen than fit.
    root.querySelectorAll("[data-described-files]:not([data-enhanced])").forEach(function (picker) {
      picker.dataset.enhanced = "1";
      var input = picker.querySelector("input[type=file]");
      var group = picker.querySelector("[data-file-descriptions]");
      var rows = Array.prototype.slice.call(picker.querySelectorAll("[data-file-description]"));
      if (!input || !group) return;
      var form = picker.closest("form") || document;
      var removals = Array.prototype.slice.call(form.querySelectorAll("input[name=remove_image]"));
      var help = document.getElementById(input.id + "_helptext");
      var status = picker.querySelector("[data-image-room]");
      var texts = {};
      try { texts = JSON.parse(picker.dataset.roomTexts || "{}"); } catch (error) { texts = {}; }
      var most = rows.length; // a description field for each image the idea can have
      var now = parseInt(picker.dataset.imagesNow, 10) || 0;
      function room() {
        var ticked = removals.filter(function (box) { return box.checked; }).length;
        return most - Math.max(now - ticked, 0);
      }
      function follow() {
        var files = input.files || [];
        var free = room();
        var shown = 0;
        rows.forEach(function (row, index) {
          var field = row.querySelector("input");
          var label = row.querySelector("label");
          if (!field || !label) return;
          label.dataset.label = label.dataset.label || label.textContent;
          var file = files[index];
          if (!file && files.length) field.value = "";
          // A file beyond the room gets no field until a removal makes room for it.
          row.hidden = file ? index >= free : !field.value;
          label.textContent = file ? label.dataset.label + " (" + file.name + ")" : label.dataset.label;
          if (!row.hidden) shown += 1;
        });
        group.hidden = shown === 0;
        var text = texts[free];
        if (help && text) help.textContent = text[0];
        if (status) {
          var over = text && files.length > free ? text[1] : "";
          if (status.textContent !== over) status.textContent = over;
          status.classList.toggle("notice", !!over);
          status.classList.toggle("notice--warning", !!over);
        }
      }
      input.addEventListener("change", follow);
      removals.forEach(function (box) { box.addEventListener("change", follow); });
      follow();
    });
  }

  // Keep people where they were when new content replaces what held the focus. htmx
  // gives the focus back to a control that comes back with the same id; when that
  // control is gone (a quiz's form once answered, "Next" on the last step), the new
  // content's [data-focus-after-swap] takes it, not the page.
  function focusInside(target) {
    var active = document.activeElement;
    return active && active !== document.body && target.contains(active) ? active : null;
  }

  function focusLost() {
    var active = document.activeElement;
    return !active || active === document.body;
  }

  function focusAgain(content, was) {
    if (!was || !focusLost()) return;
    var same = was.id && document.getElementById(was.id);
    if (same && content.contains(same)) same.focus();
    if (!focusLost()) return;
    var next = content.closest("[data-focus-after-swap]") || content.querySelector("[data-focus-after-swap]");
    if (!next) return;
    if (next.tabIndex < 0 && !next.hasAttribute("tabindex")) next.setAttribute("tabindex", "-1");
    next.focus();
  }

  // live.js swaps its event stream's snapshots itself, without htmx's swap events.
  window.sammen = { focusInside: focusInside, focusAgain: focusAgain };

  // After an htmx swap, the focus as above; then say what changed: [data-announce] in
  // the new content (its value, or else its text) goes to the page's polite live
  // region, which is always there, since a region inserted along with its text is
  // often not read.
  var focusWas = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    focusWas = target ? focusInside(target) : null;
  });
  document.addEventListener("htmx:afterSwap", function (event) {
    var content = event.target;
    if (!(content instanceof Element)) return;
    focusAgain(content, focusWas);
    focusWas = null;
    var notes = content.matches("[data-announce]") ? [content] : [];
    notes = notes.concat(Array.prototype.slice.call(content.querySelectorAll("[data-announce]")));
    announce(notes.map(function (note) {
      return (note.getAttribute("data-announce") || note.textContent).replace(/\s+/g, " ").trim();
    }).join(" "));
  });

  function announce(text) {
    var region = document.getElementById("announcer");
    if (!region || !text) return;
    region.textContent = "";
    // A moment apart, so the same words twice in a row are read twice.
    setTimeout(function () { region.textContent = text; }, 50);
  }

  ready(function () { enhance(document); });
  document.addEventListener("htmx:load", function (event) { enhance(event.target); });
})();
