/* npkit's watch over a module page's link to its kernel (module pages only: index.html.j2).
 *
 * A module page works only while its kernel lives: the widgets live in the kernel. The kernel
 * goes when the server shuts it down (the idle cull after a laptop slept, a restart of the
 * course) or when it dies. The page used to look the same and silently do nothing. Voila's page
 * does not even notice a kernel the server shut down (its websocket stays open), so this script
 * watches three things:
 *  - the kernel connection's own signals (window.jupyterapp.widgetManager.kernel, a
 *    @jupyterlab/services KernelConnection): status "dead", "restarting" or "autorestarting" (a
 *    restarted kernel has lost the page's widgets) and connection "connecting" (the websocket
 *    closed) or "disconnected";
 *  - every message a control sends to the kernel: it counts as acknowledged when the kernel
 *    reports "idle" after handling it (npkit's learner module saves a change while handling it);
 *  - the server, GET <base>api/kernels/<id> (404: the kernel is gone; no answer: the course is
 *    not reachable), when a change has waited ACK_WAIT ms for its acknowledgement, when the
 *    websocket drops, when the page comes back into view (a laptop waking) and, as a backstop
 *    for a kernel shut down under a connected page (the idle cull never does that; an
 *    administrator may), every CHECK_EVERY ms while the page is visible.
 * When the kernel is gone, or the course does not answer: a banner in plain words (role=alert)
 * with a Reload button, every control of the page disabled, and the lines saying the answers
 * are kept hidden. If the course answers again with the same kernel alive, all is undone.
 *
 * What it promises about a change made just before the loss: a change the kernel acknowledged is
 * saved. A change sent but not acknowledged when the loss is noticed is named in the banner as
 * not saved, and named again after the reload (sessionStorage), so it is never lost silently. It
 * is not sent again by itself: the learner gives it again.
 * Text is only ever set with textContent, never as HTML. Its words are the page's language's
 * (T: window.npkitText of npkit-lang.js; the catalogue's entries of context "npkit.js"), whole
 * sentences with {fields}.
 */
(function () {
  "use strict";

  // The page's words in its language, their {fields} filled in: npkit-lang.js (loaded first).
  var T = window.npkitText, fill = window.npkitFill;

  var ACK_WAIT = 1500;      // ms a change waits for the kernel before the server is asked
  var CHECK_EVERY = 60000;  // ms between checks while the page is visible (a backstop)
  var RETRY_EVERY = 5000;   // ms between checks while the course does not answer
  var UNSAVED_KEY = "npkit-unsaved:";
  var CODE = /^[a-z0-9][a-z0-9-]{3,39}$/;  // a learner code, as in npkit.js
  var CONTROLS = "input, button, select, textarea, [role=slider], [contenteditable=true]";

  var kernel = null;
  var manager = null;
  var state = "ok";     // "ok", "interrupted" (the course does not answer) or "gone" (final)
  var sent = {};        // msg_id -> {what}: changes not acknowledged yet
  var checking = false;
  var leaving = false;
  var retryTimer = null;
  var ackTimer = null;
  var observer = null;

  function modulePage() {
    return !!document.body && document.body.classList.contains("npk-module");
  }

  function workshopPage() {
    return document.body.classList.contains("npk-workshop");
  }

  function hasLearner() {
    return CODE.test(new URLSearchParams(window.location.search).get("learner") || "");
  }

  function kernelUrl() {
    var base = (document.body.getAttribute("data-base-url") || "/voila/").replace(/voila\/$/, "");
    return base + "api/kernels/" + encodeURIComponent(kernel.id);
  }

  // --- acknowledgements --------------------------------------------------------------------

  // A control's name for the learner: its description, else the question that names it
  // (ui.labelled_by's npk-labelledby-- classes), cut to the question itself when that is short.
  function describe(model) {
    var text = model && (model.get("description") || asked(model) ||
      model.get("placeholder") || "");
    text = String(text || "").replace(/\s+/g, " ").trim();
    var mark = text.indexOf("?");
    return (mark > 0 && mark < 80 ? text.slice(0, mark + 1) : text).slice(0, 80);
  }

  function asked(model) {
    var prefix = "npk-labelledby--";
    return (model.get("_dom_classes") || []).filter(function (c) {
      return c.indexOf(prefix) === 0;
    }).map(function (c) {
      var el = document.getElementById(c.slice(prefix.length));
      return el ? el.textContent : "";
    }).join(" ");
  }

  function track(msg) {
    var content = msg && msg.content;
    var method = content && content.data && content.data.method;
    if (!msg.header || msg.header.msg_type !== "comm_msg" ||
        (method !== "update" && method !== "custom")) { return; }
    var entry = { what: "" };
    sent[msg.header.msg_id] = entry;
    if (manager && content.comm_id) {
      manager.get_model(content.comm_id).then(function (model) {
        var name = describe(model);
        // "update": a value the learner set; "custom": a button pressed.
        if (name) {
          entry.what = fill(method === "custom" ? T("your press of \u201c{label}\u201d") :
            T("your change to \u201c{label}\u201d"), { label: name });
        }
      }, function () { /* a model that is gone has no name to give */ });
    }
    scheduleAckCheck();
  }

  function acknowledge(msg) {
    if (msg.header.msg_type === "status" && msg.content.execution_state === "idle" &&
        msg.parent_header && sent[msg.parent_header.msg_id]) {
      delete sent[msg.parent_header.msg_id];
    }
  }

  function waiting() {
    return Object.keys(sent);
  }

  // While changes wait for the kernel, the server is asked every ACK_WAIT ms whether the kernel
  // is still there (a slow answer from a live kernel costs one small request each time).
  function scheduleAckCheck() {
    if (ackTimer || state === "gone") { return; }
    ackTimer = setTimeout(function () {
      ackTimer = null;
      if (waiting().length) {
        check();
        scheduleAckCheck();
      }
    }, ACK_WAIT);
  }

  function unsavedLabels() {
    var labels = [];
    waiting().forEach(function (id) {
      var label = sent[id].what || T("your last change");
      if (labels.indexOf(label) < 0) { labels.push(label); }
    });
    return labels;
  }

  // --- asking the server -------------------------------------------------------------------

  function check() {
    if (!kernel || checking || leaving || state === "gone") { return; }
    checking = true;
    var done = function () { checking = false; };
    window.fetch(kernelUrl(), { cache: "no-store", credentials: "same-origin",
                                headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status === 404) { return lose("gone"); }
        if (response.status >= 502 && response.status <= 504) {  // a proxy without the course
          return lose("interrupted");
        }
        if (!response.ok) { return null; }
        return response.json().then(function (model) {
          if (model && model.execution_state === "dead") {
            lose("gone");
          } else if (state === "interrupted" && kernel.connectionStatus === "connected") {
            recover();
          }
        });
      }, function () {
        lose("interrupted");
      })
      .then(done, done);
  }

  // --- what the learner sees ---------------------------------------------------------------

  function say(parent, tag, text, className) {
    var node = document.createElement(tag);
    node.textContent = text;
    if (className) { node.className = className; }
    parent.appendChild(node);
    return node;
  }

  // ["your change to “A”", "your press of “B”"] -> "your change to “A” and your press of “B”"
  function listed(labels) {
    var all = labels.map(String);
    if (all.length < 2) { return all.join(""); }
    var head = all[0];
    for (var i = 1; i < all.length - 1; i++) {
      head = fill(T("{list}, {item}"), { list: head, item: all[i] });
    }
    return fill(T("{first} and {last}"), { first: head, last: all[all.length - 1] });
  }

  function capital(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  function placeAfterTopbar(node) {
    var bar = document.querySelector(".npk-topbar");
    if (bar && bar.parentNode) {
      bar.parentNode.insertBefore(node, bar.nextSibling);
    } else {
      document.body.insertBefore(node, document.body.firstChild);
    }
  }

  function showBanner(labels) {
    var old = document.getElementById("npk-lost");
    if (old) { old.parentNode.removeChild(old); }
    var box = document.createElement("div");
    box.id = "npk-lost";
    box.className = "npk-lost-banner";
    box.setAttribute("role", "alert");
    var first = document.createElement("p");
    say(first, "strong", T("This page lost its connection to the course."));
    first.appendChild(document.createTextNode(" " + (
      workshopPage() ? T("Reload to carry on: what you already sent is kept.") :
        hasLearner() ? T("Reload: your saved answers will come back.") :
          T("Reload the page to carry on."))));
    box.appendChild(first);
    if (labels.length && (hasLearner() || workshopPage())) {
      say(box, "p", capital(fill(labels.length > 1 ?
        T("{changes} were not saved: give them again after reloading.") :
        T("{changes} was not saved: give it again after reloading."),
      { changes: listed(labels) })), "npk-lost-unsaved");
    }
    if (state === "interrupted") {
      say(box, "p", T("The course is not answering just now. If reloading does not bring the " +
        "page back, wait a minute and try again, or tell your trainer."));
    }
    var button = say(box, "button", T("Reload the page"), "npk-button npk-primary");
    button.type = "button";
    button.addEventListener("click", function () { window.location.reload(); });
    placeAfterTopbar(box);
    button.focus();
  }

  // The controls of the page, off while the kernel is away; data-npk-off remembers how each was.
  function disableControls(root) {
    var found = root.querySelectorAll ? root.querySelectorAll(CONTROLS) : [];
    for (var i = 0; i < found.length; i++) {
      var el = found[i];
      if (el.closest("#npk-lost") || el.hasAttribute("data-npk-off")) { continue; }
      if ("disabled" in el) {
        el.setAttribute("data-npk-off", el.disabled ? "disabled" : "");
        el.disabled = true;
      } else {
        el.setAttribute("data-npk-off", el.getAttribute("tabindex") || "");
        el.setAttribute("aria-disabled", "true");
        el.setAttribute("tabindex", "-1");
      }
    }
  }

  function enableControls() {
    var found = document.querySelectorAll("[data-npk-off]");
    for (var i = 0; i < found.length; i++) {
      var el = found[i];
      var was = el.getAttribute("data-npk-off");
      el.removeAttribute("data-npk-off");
      if ("disabled" in el) {
        el.disabled = was === "disabled";
      } else {
        el.removeAttribute("aria-disabled");
        if (was) { el.setAttribute("tabindex", was); } else { el.removeAttribute("tabindex"); }
      }
    }
  }

  function remember(labels) {
    try {
      if (labels.length && hasLearner()) {
        window.sessionStorage.setItem(UNSAVED_KEY + window.location.pathname,
                                      JSON.stringify(labels));
      } else {
        window.sessionStorage.removeItem(UNSAVED_KEY + window.location.pathname);
      }
    } catch (e) { /* private browsing: the banner has said it */ }
  }

  function lose(kind) {
    if (leaving || state === "gone" || (state === kind)) { return; }
    state = kind;
    var labels = unsavedLabels();
    remember(labels);
    document.body.classList.add("npk-lost");
    disableControls(document);
    if (!observer && window.MutationObserver) {
      // Outputs that arrive late bring controls of their own.
      observer = new MutationObserver(function (records) {
        for (var i = 0; i < records.length; i++) {
          for (var j = 0; j < records[i].addedNodes.length; j++) {
            var node = records[i].addedNodes[j];
            if (node.nodeType === 1) {
              if (node.matches(CONTROLS)) { disableControls(node.parentNode); }
              disableControls(node);
            }
          }
        }
      });
      observer.observe(document.body, { childList: true, subtree: true });
    }
    showBanner(labels);
    clearInterval(retryTimer);
    retryTimer = kind === "interrupted" ? setInterval(check, RETRY_EVERY) : null;
  }

  function recover() {
    if (state !== "interrupted") { return; }
    state = "ok";
    clearInterval(retryTimer);
    retryTimer = null;
    if (observer) { observer.disconnect(); observer = null; }
    var box = document.getElementById("npk-lost");
    if (box) { box.parentNode.removeChild(box); }
    document.body.classList.remove("npk-lost");
    enableControls();
    remember([]);
  }

  // After a reload: the changes the banner named as not saved, named once more.
  function showUnsavedNote() {
    var labels = null;
    try {
      var key = UNSAVED_KEY + window.location.pathname;
      labels = JSON.parse(window.sessionStorage.getItem(key) || "null");
      window.sessionStorage.removeItem(key);
    } catch (e) {
      return;
    }
    if (!Array.isArray(labels) || !labels.length) { return; }
    var note = document.createElement("div");
    note.className = "npk-lost-note";
    note.setAttribute("role", "status");
    say(note, "p", fill(labels.length > 1 ?
      T("Before this page was reloaded, {changes} could not be saved. Please give them again.") :
      T("Before this page was reloaded, {changes} could not be saved. Please give it again."),
    { changes: listed(labels) }));
    placeAfterTopbar(note);
  }

  // --- wiring ------------------------------------------------------------------------------

  function watch(widgetManager) {
    manager = widgetManager;
    kernel = widgetManager && widgetManager.kernel;
    if (!kernel) { return; }
    var send = kernel.sendShellMessage;
    kernel.sendShellMessage = function (msg) {
      track(msg);
      try {
        return send.apply(kernel, arguments);
      } catch (e) {
        check();  // e.g. "Kernel is dead"
        throw e;
      }
    };
    kernel.iopubMessage.connect(function (_kernel, msg) { acknowledge(msg); });
    kernel.statusChanged.connect(function (_kernel, status) {
      if (status === "dead" || status === "restarting" || status === "autorestarting") {
        lose("gone");
      }
    });
    kernel.connectionStatusChanged.connect(function (_kernel, status) {
      if (status === "disconnected") {
        lose("gone");
      } else {
        check();  // "connecting": is the kernel still there? "connected": back for good?
      }
    });
    setInterval(function () { if (!document.hidden) { check(); } }, CHECK_EVERY);
    document.addEventListener("visibilitychange", function () {
      if (!document.hidden) { check(); }
    });
    window.addEventListener("focus", check);
    window.addEventListener("online", check);
    window.addEventListener("pageshow", check);
  }

  function whenWidgetManager(callback) {
    var tries = 0;
    (function poll() {
      var app = window.jupyterapp;
      if (app && app.widgetManagerPromise) {
        app.widgetManagerPromise.promise.then(callback);
      } else if (++tries < 3000) {  // ten minutes: a module may wait long for its kernel
        setTimeout(poll, 200);
      }
    })();
  }

  // Read-only, for the browser tests and for anyone debugging a page: what waits for the
  // kernel, and the page's state.
  window.npkitConnection = Object.freeze({
    waiting: function () { return unsavedLabels(); },
    state: function () { return state; }
  });

  function start() {
    if (!modulePage()) { return; }
    showUnsavedNote();
    // Leaving shuts the kernel down (Voila's page asks for it): that is no loss to report.
    window.addEventListener("pagehide", function () { leaving = true; });
    window.addEventListener("beforeunload", function () { leaving = true; });
    whenWidgetManager(watch);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
