/* Module pages only: keep results where the learner's eyes are (issue 14). No library, nothing
 * fetched; text is only ever set with textContent.
 *
 * 1. A table too wide for the page scrolls sideways inside its box (div.npk-scroll: some
 *    widget templates have one; every other table in a widget gets one here). Such a box gets
 *    a visible cue ("Scroll sideways…") that stays at its left edge, and becomes a focusable,
 *    named region so a keyboard can scroll it too. A box that fits shows no cue and is no tab
 *    stop. CSS alone cannot tell whether a box overflows, hence this script.
 * 2. The scenario lab's outcome panel stays in view beside the facts (CSS: sticky) and scrolls
 *    on its own when it is taller than the window. After a change, the panel scrolls itself
 *    (never the page) so that the first row the change moved is in view: the matrix names
 *    those rows in data-last (npkit.course.widgets.outcome_matrix).
 * 3. Module 1's tagger: "Next passage" and "Previous passage" sit under the tags. A click with
 *    the mouse brings the top of the tagger back into view, where the new passage and the first
 *    tags are; pressed from the keyboard, nothing moves (focus stays on the button).
 * Widget values are redrawn as a whole (innerHTML), so a MutationObserver and a
 * ResizeObserver run both again, at most once per animation frame.
 */
(function () {
  "use strict";

  // The page's words in its language, their {fields} filled in: npkit-lang.js (loaded first).
  var T = window.npkitText, fill = window.npkitFill;

  // The cue in the page's language (npkit-lang.js's window.npkitText; else the English).
  function cueWords() {
    return T("Scroll sideways to see every column \u2192");
  }

  function captionOf(box) {
    var caption = box.querySelector("caption");
    var text = caption ? caption.textContent.replace(/\s+/g, " ").trim() : "";
    return text ? fill(T("Table, scrolls sideways: {caption}"), { caption: text }) :
      T("Table, scrolls sideways");
  }

  function wrapTable(table) {
    var parent = table.parentElement;
    if (!parent || parent.classList.contains("npk-scroll")) { return; }
    var box = document.createElement("div");
    box.className = "npk-scroll";
    parent.insertBefore(box, table);
    box.appendChild(table);
  }

  function markScrollBox(box) {
    var cue = box.firstElementChild;
    if (!cue || !cue.classList.contains("npk-scroll-cue")) {
      cue = document.createElement("p");
      cue.className = "npk-scroll-cue";
      cue.setAttribute("aria-hidden", "true");  // the region's name says it already
      cue.textContent = cueWords();
      box.insertBefore(cue, box.firstChild);
    }
    var overflows = box.scrollWidth > box.clientWidth + 1;
    if (overflows === box.hasAttribute("data-overflow")) {
      return;
    }
    if (overflows) {
      box.setAttribute("data-overflow", "");
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", captionOf(box));
    } else {
      ["data-overflow", "tabindex", "role", "aria-label"].forEach(function (name) {
        box.removeAttribute(name);
      });
    }
  }

  // The distance to scroll ``panel`` (only it) so that ``row`` is inside it, or 0.
  function scrollNeeded(panel, row) {
    var p = panel.getBoundingClientRect();
    var r = row.getBoundingClientRect();
    if (r.top < p.top) { return r.top - p.top - 8; }
    if (r.bottom > p.bottom) { return Math.min(r.bottom - p.bottom + 8, r.top - p.top - 8); }
    return 0;
  }

  var shown = new WeakSet();  // matrices whose moved row has been brought into view once

  function showMovedRow(table) {
    if (shown.has(table)) { return; }
    shown.add(table);
    var keys = (table.getAttribute("data-last") || "").split(" ").filter(Boolean);
    var panel = table.closest(".npk-lab-outcomes");
    if (!keys.length || !panel || panel.scrollHeight <= panel.clientHeight + 1) { return; }
    var row = table.querySelector("tr[data-key='" + keys[0].replace(/[^\w.-]/g, "") + "']");
    if (row) { panel.scrollTop += scrollNeeded(panel, row); }
  }

  var pending = false;

  function update() {
    pending = false;
    document.querySelectorAll(".npk table").forEach(wrapTable);
    document.querySelectorAll(".npk-scroll").forEach(markScrollBox);
    document.querySelectorAll(".npk-lab-outcomes table[data-last]").forEach(showMovedRow);
  }

  function schedule() {
    if (!pending) {
      pending = true;
      window.requestAnimationFrame(update);
    }
  }

  function backToPassage(event) {
    var button = event.target.closest && event.target.closest(".npk-tagger-tags button");
    if (!button || event.detail === 0) { return; }  // detail 0: Enter or Space, not a click
    var label = button.textContent.trim();
    // the tagger's words in the page's language (the same as the widget's, npkit.po)
    if (label !== T("Next passage") && label !== T("Previous passage")) { return; }
    var tagger = button.closest(".npk-tagger");
    if (tagger && tagger.getBoundingClientRect().top < 0) {
      tagger.scrollIntoView({block: "start"});
    }
  }

  function start() {
    document.addEventListener("click", backToPassage);
    new MutationObserver(schedule).observe(document.body, {childList: true, subtree: true});
    if (window.ResizeObserver) {
      new ResizeObserver(schedule).observe(document.body);
    }
    window.addEventListener("resize", schedule);
    schedule();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
