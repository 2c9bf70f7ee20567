/* What ipywidgets' views leave out for a screen reader, put back on module pages (issue 14).
 * No library, nothing fetched; it only sets attributes, never text or HTML.
 *
 * 1. An unset tooltip is written as title="null", which Chromium reads as the name "null":
 *    that attribute is removed wherever it appears.
 * 2. RadioButtons are a bare list of radios ("Yes, radio button"): the list becomes a
 *    role=radiogroup named by its question. The question is named by the widget's classes
 *    npk-labelledby--<id> (npkit.course.widgets.ui.labelled_by: the ids of the question's
 *    elements, in order), else by the widget's own visible description.
 * 3. ToggleButtons: the buttons become a role=group named the same way, and each button
 *    carries aria-pressed, kept in step with ipywidgets' "mod-active" class (the chosen one).
 * 4. Icon elements inside buttons (<i>, Font Awesome's glyphs drawn by CSS) are aria-hidden,
 *    so a button's name is its words, never a private-use glyph.
 * ipywidgets draws views late and redraws them, so a MutationObserver repeats this for new
 * nodes and for class and title changes.
 */
(function () {
  "use strict";

  var PREFIX = "npk-labelledby--";
  var RADIOS = ".widget-radio, .jupyter-widget-radio";
  var TOGGLES = ".widget-toggle-buttons, .jupyter-widget-toggle-buttons";
  var TOGGLE = "button.widget-toggle-button";
  var ICON = "button i, button .fa";
  var seq = 0;

  function each(root, selector, fn) {
    if (root.matches && root.matches(selector)) { fn(root); }
    if (root.querySelectorAll) {
      var found = root.querySelectorAll(selector);
      for (var i = 0; i < found.length; i++) { fn(found[i]); }
    }
  }

  function dropNullTitle(el) {
    if (el.getAttribute("title") === "null") { el.removeAttribute("title"); }
  }

  function ownLabel(widget) {
    for (var i = 0; i < widget.children.length; i++) {
      var c = widget.children[i];
      if (c.classList.contains("widget-label") && c.textContent.trim() &&
          c.style.display !== "none") {
        if (!c.id) { seq += 1; c.id = "npk-choice-label-" + seq; }
        return c.id;
      }
    }
    return "";
  }

  // The ids that name a choice widget: its npk-labelledby-- classes, else its description.
  function names(widget) {
    var ids = [];
    widget.classList.forEach(function (c) {
      if (c.indexOf(PREFIX) === 0 && c.length > PREFIX.length) { ids.push(c.slice(PREFIX.length)); }
    });
    return ids.length ? ids.join(" ") : ownLabel(widget);
  }

  function setAttr(el, name, value) {
    if (value) {
      if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
    } else if (el.hasAttribute(name)) {
      el.removeAttribute(name);
    }
  }

  function group(widget, role) {
    // RadioButtons: the box holding the radios; ToggleButtons: the div holding the buttons.
    var box = null;
    for (var i = 0; i < widget.children.length; i++) {
      var c = widget.children[i];
      if (!c.classList.contains("widget-label") && c.tagName === "DIV") { box = c; break; }
    }
    if (!box) { return; }
    setAttr(box, "role", role);
    setAttr(box, "aria-labelledby", names(widget));
  }

  function pressed(button) {
    setAttr(button, "aria-pressed", button.classList.contains("mod-active") ? "true" : "false");
  }

  function hideIcon(el) { setAttr(el, "aria-hidden", "true"); }

  function fix(root) {
    if (root.nodeType !== 1) { return; }
    each(root, "[title='null']", dropNullTitle);
    each(root, RADIOS, function (w) { group(w, "radiogroup"); });
    each(root, TOGGLES, function (w) { group(w, "group"); });
    each(root, TOGGLE, pressed);
    each(root, ICON, hideIcon);
  }

  function changed(el, attribute) {
    if (attribute === "title") {
      dropNullTitle(el);
    } else if (el.matches(TOGGLE)) {
      pressed(el);
    } else if (el.matches(RADIOS)) {
      group(el, "radiogroup");
    } else if (el.matches(TOGGLES)) {
      group(el, "group");
    }
  }

  function start() {
    fix(document.body);
    if (!window.MutationObserver) { return; }
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        if (r.type === "attributes") {
          changed(r.target, r.attributeName);
        } else {
          for (var i = 0; i < r.addedNodes.length; i++) { fix(r.addedNodes[i]); }
          // A description or its visibility changed: the widget's name may have too.
          var w = r.target.closest && r.target.closest(RADIOS + ", " + TOGGLES);
          if (w) { changed(w, "class"); }
        }
      });
    }).observe(document.body, {
      childList: true, subtree: true, attributes: true, attributeFilter: ["class", "title"]
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();

/* A new page of questions (module 7's quiz): its heading carries data-npk-focus="N", N the
 * learner's page turns so far. When N changes just after the learner acted (a click or a
 * key), the heading (tabindex=-1) takes the focus, so keyboard and screen reader users start
 * reading the new page at its top; a page restored as it loads keeps the focus where it is.
 */
(function () {
  "use strict";

  var RECENT_MS = 10000;
  var lastAction = 0;
  var seen = "";

  ["click", "keydown"].forEach(function (type) {
    document.addEventListener(type, function () { lastAction = Date.now(); }, true);
  });

  function look() {
    var el = document.querySelector("[data-npk-focus]");
    if (!el) { return; }
    var n = el.id + "#" + el.getAttribute("data-npk-focus");
    if (n === seen) { return; }
    seen = n;
    if (Date.now() - lastAction < RECENT_MS) {
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: "start" });
    }
  }

  function start() {
    if (!window.MutationObserver || !document.body) { return; }
    look();
    new MutationObserver(look).observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
