// Writes from live pages carry one CSRF token, the page's own, and a write the server or
// the network refuses says so on screen. Runs on every live page, streaming or not.
(function () {
  "use strict";

  function pageToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  // Forms that htmx or the event stream re-rendered may hold a token made for another
  // request, and Django reads the form's token before the header. Send the page's token,
  // as the header, from this one place.
  document.addEventListener("htmx:configRequest", function (event) {
    var token = pageToken();
    if (event.detail.verb === "get" || !token) return;
    delete event.detail.parameters.csrfmiddlewaretoken;
    event.detail.headers["X-CSRFToken"] = token;
  });

  function alertBox() { return document.getElementById("live-alert"); }

  function isWrite(event) {
    return event.detail.requestConfig && event.detail.requestConfig.verb !== "get";
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var box = alertBox();
    if (box && isWrite(event)) box.replaceChildren();
  });

  function refused(event, reason) {
    var box = alertBox();
    if (!box || !isWrite(event)) return;
    var message = document.createElement("p");
    message.className = "flash flash--error";
    message.textContent = box.getAttribute("data-refused-" + reason) || box.getAttribute("data-refused-error");
    box.replaceChildren(message);
    // "Your question is in" from an earlier write would now say the opposite of what happened.
    var target = event.detail.target;
    if (target && target.querySelectorAll) {
      target.querySelectorAll("[role=status]").forEach(function (note) { note.remove(); });
    }
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    refused(event, status === 403 || status === 429 ? String(status) : "error");
  });
  document.addEventListener("htmx:sendError", function (event) { refused(event, "offline"); });
  document.addEventListener("htmx:timeout", function (event) { refused(event, "offline"); });
})();

// Live sessions: listen to the session's event stream and swap in the server's snapshots.
// Without this script every page still works: forms post and the page reloads.
(function () {
  "use strict";

  var root = document.querySelector("[data-live-stream]");
  if (!root || !window.EventSource) return;

  var seen = {}; // target id -> time of the newest snapshot applied
  var upvoted = {};
  (root.getAttribute("data-upvoted") || "").split(/\s+/).forEach(function (id) {
    if (id) upvoted[id] = true;
  });
  var attendee = root.getAttribute("data-attendee") || "";
  var sort = new URLSearchParams(location.search).get("sort") === "newest" ? "newest" : "top";
  var reduceMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  var status = document.querySelector("[data-live-status]");
  var statusText = document.querySelector("[data-live-status-text]");

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  // Snapshots are shared by everyone, so they carry no CSRF token and no personal state:
  // add both here.
  function personalise(element) {
    var token = csrfToken();
    element.querySelectorAll("form[method=post]").forEach(function (form) {
      if (!form.querySelector("input[name=csrfmiddlewaretoken]") && token) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "csrfmiddlewaretoken";
        input.value = token;
        form.appendChild(input);
      }
    });
    element.querySelectorAll("[data-author]").forEach(function (item) {
      if (attendee && item.getAttribute("data-author") === attendee) {
        var vote = item.querySelector("form.live-question__vote");
        if (vote) vote.hidden = true;
      }
    });
    element.querySelectorAll("button.live-vote[data-question]").forEach(function (button) {
      var id = button.getAttribute("data-question");
      if (upvoted[id]) {
        button.setAttribute("aria-pressed", "true");
        var up = button.form && button.form.querySelector("input[name=up]");
        if (up) up.value = "0";
      }
    });
    if (sort === "newest") sortQuestions(element);
  }

  function sortQuestions(element) {
    element.querySelectorAll("[data-sortable]").forEach(function (list) {
      var items = Array.prototype.slice.call(list.children);
      items.sort(function (a, b) {
        var key = function (item) {
          return [item.dataset.pinned === "1" ? 0 : 1, item.dataset.answered === "1" ? 1 : 0, -Number(item.dataset.created || 0)];
        };
        var ka = key(a), kb = key(b);
        for (var i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
        return 0;
      });
      items.forEach(function (item) { list.appendChild(item); });
    });
  }

  // Replace a region's content. When both old and new children carry data-key, keep the
  // children whose key did not change (a poll someone is filling in stays as it is).
  function swap(target, html) {
    var incoming = document.createElement("div");
    incoming.innerHTML = html;
    var newChildren = Array.prototype.slice.call(incoming.children);
    var keyed = newChildren.length > 0 && newChildren.every(function (child) { return child.dataset.key; });
    if (keyed) {
      var old = {};
      Array.prototype.forEach.call(target.children, function (child) {
        if (child.dataset.key) old[child.dataset.key] = child;
      });
      var fragment = document.createDocumentFragment();
      var byId = {};
      Array.prototype.forEach.call(target.children, function (child) {
        if (child.id) byId[child.id] = child;
      });
      newChildren.forEach(function (child) {
        if (!old[child.dataset.key] && child.id && byId[child.id]) keepOwnAnswer(byId[child.id], child);
        fragment.appendChild(old[child.dataset.key] || child);
      });
      target.replaceChildren(fragment);
    } else {
      target.replaceChildren.apply(target, Array.prototype.slice.call(incoming.childNodes));
    }
    personalise(target);
    if (window.htmx) window.htmx.process(target);
  }

  // A poll that changed state (say, it closed) arrives as everyone's snapshot, without
  // this person's answer: carry over the answer the server wrote into the old card.
  function keepOwnAnswer(oldCard, newCard) {
    var own = oldCard.querySelector(".live-poll__done");
    var into = newCard.querySelector(".live-poll__answer");
    if (!own || !into || into.querySelector("form, .live-poll__done")) return;
    var copy = own.cloneNode(true);
    copy.hidden = false;
    into.prepend(copy);
  }

  // The images come with the page (present.html), so the big screen needs no emoji font.
  function float(kind, count) {
    var layer = document.querySelector("[data-reactions]");
    var image = layer && layer.querySelector('template[data-reaction="' + CSS.escape(kind) + '"]');
    if (!image) return;
    for (var i = 0; i < Math.min(count, 12); i++) {
      var bubble = document.createElement("span");
      bubble.className = "reaction-float" + (reduceMotion ? " reaction-float--still" : "");
      bubble.appendChild(image.content.cloneNode(true));
      bubble.style.left = 5 + Math.random() * 85 + "%";
      bubble.style.animationDelay = (i * 0.12).toFixed(2) + "s";
      layer.appendChild(bubble);
      setTimeout(function (node) { node.remove(); }, reduceMotion ? 1500 : 4200, bubble);
    }
  }

  function apply(message) {
    var at = message.at || 0;
    Object.keys(message.swap || {}).forEach(function (id) {
      if ((seen[id] || 0) > at) return; // an older snapshot arriving late
      var target = document.getElementById(id);
      if (!target) return;
      seen[id] = at;
      swap(target, message.swap[id]);
    });
    Object.keys(message.react || {}).forEach(function (kind) { float(kind, message.react[kind]); });
  }

  function setStatus(live) {
    if (!status) return;
    status.hidden = false;
    status.classList.toggle("live-status--off", !live);
    if (statusText) statusText.textContent = live ? status.dataset.on || statusText.textContent : status.dataset.off || "…";
  }
  if (status && statusText) {
    status.dataset.on = statusText.textContent;
    status.dataset.off = "…";
  }

  var source = new EventSource(root.getAttribute("data-live-stream"));
  source.onopen = function () { setStatus(true); };
  source.onerror = function () { setStatus(false); };
  // Too many of this person's screens listen at once: this, the oldest, stops, and says so.
  source.addEventListener("replaced", function () {
    source.close();
    setStatus(false);
    if (statusText && status.dataset.replaced) statusText.textContent = status.dataset.replaced;
  });
  source.onmessage = function (event) {
    try {
      apply(JSON.parse(event.data));
    } catch (error) {
      // A broken message must not stop the next ones.
    }
  };

  // A vote or an answer sent by this page: remember it, so snapshots show it as ours.
  document.addEventListener("htmx:afterRequest", function (event) {
    var form = event.detail.elt;
    if (form && form.matches && form.matches("form.live-question__vote")) {
      var button = form.querySelector("button[data-question]");
      var up = form.querySelector("input[name=up]");
      if (button && up && event.detail.successful) {
        if (up.value === "1") upvoted[button.getAttribute("data-question")] = true;
        else delete upvoted[button.getAttribute("data-question")];
      }
    }
  });
  document.addEventListener("htmx:afterSwap", function (event) { personalise(event.target.parentNode || event.target); });

  document.querySelectorAll("[data-sort]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      event.preventDefault();
      sort = link.getAttribute("data-sort");
      document.querySelectorAll("[data-sort]").forEach(function (other) {
        if (other === link) other.setAttribute("aria-current", "true");
        else other.removeAttribute("aria-current");
      });
      var list = document.getElementById("live-questions");
      if (!list) return;
      if (sort === "newest") sortQuestions(list);
      else if (window.htmx) window.htmx.ajax("GET", location.pathname + "?part=questions", { target: "#live-questions", swap: "outerHTML" });
      history.replaceState(null, "", "?sort=" + sort + "#questions");
    });
  });

  // Presenter: keyboard shortcuts and full screen.
  if (root.hasAttribute("data-presenter")) {
    document.addEventListener("click", function (event) {
      if (!event.target.closest) return;
      if (event.target.closest("[data-fullscreen]")) toggleFullscreen();
      var joinToggle = event.target.closest("[data-toggle-join]");
      if (joinToggle) {
        // Only this screen: the projector shows the code, or more room for the results.
        var hidden = document.body.classList.toggle("presenter--hide-join");
        joinToggle.setAttribute("aria-pressed", hidden ? "false" : "true");
      }
    });
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var tag = (event.target.tagName || "").toLowerCase();
      if (tag === "input" || tag === "textarea" || tag === "select") return;
      var key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
      if (key === "f") { toggleFullscreen(); event.preventDefault(); return; }
      var button = document.querySelector('#presenter-controls [data-key="' + key + '"]');
      if (button) { button.click(); event.preventDefault(); }
    });
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) document.exitFullscreen();
    else if (document.documentElement.requestFullscreen) document.documentElement.requestFullscreen();
  }
})();
