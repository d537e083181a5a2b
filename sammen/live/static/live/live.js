// Writes from live pages carry one CSRF token, the page's own, and a write the server or
// the network refuses says so on screen. Runs on every live page, streaming or not.
(function () {
  "use strict";

  // The page's CSRF token, which the base template puts in htmx's headers.
  function pageToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

(function () {

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
    // The last write's "Your question is in" must not stand beside this one's refusal.
    var said = document.getElementById("announcer");
    if (said && isWrite(event)) said.textContent = "";
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
      target.querySelectorAll("[role=status], [data-announce]").forEach(function (note) { note.remove(); });
    }
  }

  document.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    refused(event, status === 403 || status === 429 ? String(status) : "error");
  });
  document.addEventListener("htmx:sendError", function (event) { refused(event, "offline"); });
  document.addEventListener("htmx:timeout", function (event) { refused(event, "offline"); });
})();

// Live sessions: apply the snapshots the session's event stream sends.
// Without this script every page still works: forms post and the page reloads.
//
// htmx's SSE extension (vendor/htmx-ext-sse-*.min.js) holds the stream: the page's root
// says `hx-ext="sse" sse-connect="…/events/"`, so the extension opens it, opens it again
// when the browser gives up on it (EventSource retries by itself after a dropped
// connection, not after an error status such as a proxy's 502), and closes it for good on
// the server's "replaced" event (`sse-close`). `hx-trigger="sse:message"` hands each
// snapshot to this script, which applies it by hand. A snapshot is JSON, {"at": when the
// server read it, "swap": {target id: HTML}, "react": {reaction: count}}, not HTML for
// sse-swap and out-of-band swaps, because those would only replace regions; what a live
// page needs besides would stay here, hooked onto their events:
//  - skip a region when an older snapshot of it arrives after a newer one ("at"),
//  - keep the poll someone is filling in while the list around it changes (data-key),
//  - add what shared HTML leaves out: this page's CSRF token, its own upvotes, its own
//    questions' vote buttons hidden, the newest-first order, its own answer to a poll,
//  - float reactions, which are counts rather than HTML.
// Keeping the JSON also keeps the wire format bench/live.py and the stream tests read.
(function () {
  "use strict";

  var root = document.querySelector("[sse-connect]");
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

  // Snapshots are shared by everyone, so they carry no CSRF token and no personal state:
  // add both here.
  function personalise(element) {
    var token = pageToken();
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
    // A snapshot that replaces the control in focus gives the focus to the same control
    // in the new content (or to its [data-focus-after-swap]), never to the page: as
    // after an htmx swap, by sammen.js's functions.
    var focus = window.sammen;
    var focusWas = focus ? focus.focusInside(target) : null;
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
    if (focusWas) focus.focusAgain(target, focusWas);
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
      setTimeout(function (node) { node.remove(); }, reduceMotion ? 2600 + i * 120 : 4200, bubble);
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

  root.addEventListener("htmx:sseOpen", function () { setStatus(true); });
  root.addEventListener("htmx:sseError", function () { setStatus(false); });
  // Too many of this person's screens listen at once: this, the oldest, stops (the
  // extension closed it on "replaced"), and says so.
  root.addEventListener("htmx:sseClose", function (event) {
    if (event.detail.type !== "message") return;
    setStatus(false);
    if (statusText && status.dataset.replaced) statusText.textContent = status.dataset.replaced;
  });
  root.addEventListener("sse:message", function (event) {
    try {
      apply(JSON.parse(event.detail.data));
    } catch (error) {
      // A broken message must not stop the next ones.
    }
  });

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

  // Presenter: keyboard shortcuts, which the presenter can turn off (WCAG 2.1.4: speech
  // input types letters), and full screen.
  if (root.hasAttribute("data-presenter")) {
    var shortcutsKey = "sammen:presenter-shortcuts";
    var shortcuts = true;
    try {
      shortcuts = localStorage.getItem(shortcutsKey) !== "off";
    } catch (error) {
      // No storage (a private window): the choice lasts as long as the page.
    }
    // The controls come back from the server after each step: show this screen's choices.
    var showToggles = function () {
      var keys = document.querySelector("[data-shortcuts-toggle]");
      if (keys) keys.setAttribute("aria-pressed", shortcuts ? "true" : "false");
      var joinShown = !document.body.classList.contains("presenter--hide-join");
      var join = document.querySelector("[data-toggle-join]");
      if (join) join.setAttribute("aria-pressed", joinShown ? "true" : "false");
    };
    showToggles();
    document.addEventListener("htmx:afterSwap", showToggles);
    document.addEventListener("click", function (event) {
      if (!event.target.closest) return;
      if (event.target.closest("[data-fullscreen]")) toggleFullscreen();
      if (event.target.closest("[data-toggle-join]")) {
        // Only this screen: the projector shows the code, or more room for the results.
        document.body.classList.toggle("presenter--hide-join");
        showToggles();
      }
      if (event.target.closest("[data-shortcuts-toggle]")) {
        shortcuts = !shortcuts;
        try {
          localStorage.setItem(shortcutsKey, shortcuts ? "on" : "off");
        } catch (error) {
          // Kept for this page only.
        }
        showToggles();
      }
    });
    document.addEventListener("keydown", function (event) {
      if (!shortcuts || event.altKey || event.ctrlKey || event.metaKey) return;
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
})();
