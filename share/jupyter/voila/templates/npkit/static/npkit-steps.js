/* Long modules, one step at a time (issue 14). No library, nothing fetched; text is only ever
 * set with textContent.
 *
 * A module opts in from the catalogue (npkit.course.training.modules.Module.steps): the
 * template then marks the page <body data-npk-steps>. Every "##" heading of the notebook
 * starts a step; the cells before the first one (the module header, its learner line, the
 * disclaimer) stay on show above the steps.
 *
 * - A labelled nav lists the steps ("2. One case in every state"), the current one with
 *   aria-current="step"; each step ends with Previous and Next links.
 * - The step is in the address (#step-3), so a reload or a shared link opens it; the query
 *   (?learner=...) is left as it is. A fragment naming an element inside a step opens that
 *   step too (the headings' own anchor links, links from elsewhere in the page).
 * - A move by the learner puts focus on the step's heading and a role=status line says
 *   "Step 3 of 5: ...". Back and Forward go through the steps visited.
 * - The other steps' cells get the hidden attribute only: widgets in them keep their state.
 *   Without this script (or before it runs) every step is on show, and so it is in print
 *   (npkit.css).
 */
(function () {
  "use strict";

  // The page's words in its language, their {fields} filled in: npkit-lang.js (loaded first).
  var T = window.npkitText, fill = window.npkitFill;

  var steps = [];  // {title, heading, cells: [cell divs], pager}
  var current = 0;  // 1-based; 0 before the first step is shown
  var nav = null;
  var status = null;

  function titleOf(heading) {
    var copy = heading.cloneNode(true);
    copy.querySelectorAll(".anchor-link, .jp-InternalAnchorLink").forEach(function (a) {
      a.remove();
    });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text) { el.textContent = text; }
    return el;
  }

  function link(n, text, className) {
    var a = element("a", className, text);
    a.href = "#step-" + n;
    a.setAttribute("data-npk-step-link", String(n));
    return a;
  }

  function label(n) { return n + ". " + steps[n - 1].title; }

  // The cells of the page, each with the step it belongs to; false if there are fewer than two.
  function collect(main) {
    var step = null;
    Array.prototype.forEach.call(main.children, function (cell) {
      if (!cell.hasAttribute("cell-index")) { return; }
      var heading = cell.querySelector(".jp-MarkdownCell h2");
      if (heading) {
        step = {title: titleOf(heading), heading: heading, cells: []};
        steps.push(step);
      }
      if (step) { step.cells.push(cell); }
    });
    return steps.length > 1;
  }

  // "Previous step: 2. Title": the arrow is for the eye only.
  function pagerLink(n, words, arrow, before) {
    var a = link(n, "", before ? "npk-step-prev" : "npk-step-next");
    var dir = element("span", "npk-pager-dir");
    var glyph = element("span", "", arrow);
    glyph.setAttribute("aria-hidden", "true");
    if (before) {
      dir.appendChild(glyph);
      dir.appendChild(document.createTextNode(" " + words));
    } else {
      dir.appendChild(document.createTextNode(words + " "));
      dir.appendChild(glyph);
    }
    a.appendChild(dir);
    a.appendChild(element("span", "npk-sr", ": "));
    a.appendChild(document.createTextNode(label(n)));
    return a;
  }

  function pagerFor(n) {
    var pager = element("nav", "npk-step-pager");
    pager.setAttribute("aria-label", fill(T("Step {n} of {total}"), { n: n, total: steps.length }));
    if (n > 1) {
      pager.appendChild(pagerLink(n - 1, T("Previous step"), "\u2190", true));
    }
    if (n < steps.length) {
      pager.appendChild(pagerLink(n + 1, T("Next step"), "\u2192", false));
    }
    return pager;
  }

  function build(main) {
    nav = element("nav", "npk-steps");
    nav.setAttribute("aria-label", T("Steps of this module"));
    var intro = element("p", "npk-steps-intro",
      fill(T("This module has {n} steps. You can move between them at any time."),
        { n: steps.length }));
    nav.appendChild(intro);
    var list = element("ol");
    steps.forEach(function (step, i) {
      var n = i + 1;
      var item = element("li");
      item.appendChild(link(n, label(n)));
      list.appendChild(item);
      step.cells.forEach(function (cell) { cell.setAttribute("data-npk-step", String(n)); });
      step.heading.setAttribute("tabindex", "-1");
      step.pager = pagerFor(n);
      step.pager.setAttribute("data-npk-step", String(n));
      var last = step.cells[step.cells.length - 1];
      main.insertBefore(step.pager, last.nextSibling);
    });
    nav.appendChild(list);
    status = element("p", "npk-sr npk-steps-status");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    main.insertBefore(nav, steps[0].cells[0]);
    main.insertBefore(status, steps[0].cells[0]);
    document.body.classList.add("npk-steps-on");
  }

  // The step an address fragment names: #step-N, or an element inside a step; 0 if none.
  function stepOf(hash) {
    var m = /^#step-(\d+)$/.exec(hash || "");
    if (m) {
      var n = parseInt(m[1], 10);
      return n >= 1 && n <= steps.length ? n : 0;
    }
    var id = "";
    try { id = decodeURIComponent((hash || "").slice(1)); } catch (e) { return 0; }
    var target = id ? document.getElementById(id) : null;
    var cell = target && target.closest ? target.closest("[data-npk-step]") : null;
    return cell ? parseInt(cell.getAttribute("data-npk-step"), 10) : 0;
  }

  function show(n, how) {
    how = how || {};
    current = n;
    steps.forEach(function (step, i) {
      var on = i + 1 === n;
      step.cells.concat([step.pager]).forEach(function (el) { el.hidden = !on; });
    });
    nav.querySelectorAll("a[data-npk-step-link]").forEach(function (a) {
      if (a.getAttribute("data-npk-step-link") === String(n)) {
        a.setAttribute("aria-current", "step");
      } else {
        a.removeAttribute("aria-current");
      }
    });
    if (how.push && window.location.hash !== "#step-" + n) {
      window.history.pushState(window.history.state, "", "#step-" + n);
    }
    if (how.announce) {
      status.textContent = fill(T("Step {n} of {total}: {title}"),
        { n: n, total: steps.length, title: steps[n - 1].title });
    }
    if (how.focus) {
      var heading = steps[n - 1].heading;
      heading.focus({preventScroll: true});
      heading.scrollIntoView({block: "start"});
    }
  }

  function onClick(event) {
    var a = event.target.closest && event.target.closest("a[data-npk-step-link]");
    if (!a || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey ||
        event.shiftKey || event.altKey) {
      return;  // a new tab or window opens the step from its address
    }
    event.preventDefault();
    show(parseInt(a.getAttribute("data-npk-step-link"), 10),
         {push: true, focus: true, announce: true});
  }

  // An element inside a step that the fragment names, brought into view once it is on show.
  function toTarget(hash) {
    if (/^#step-\d+$/.test(hash)) { return; }
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (target) { target.scrollIntoView({block: "start"}); }
  }

  function onAddress() {
    var n = stepOf(window.location.hash);
    if (!n) { return; }
    if (n !== current) { show(n, {focus: true, announce: true}); }
    toTarget(window.location.hash);
  }

  function start() {
    if (!document.body || !document.body.hasAttribute("data-npk-steps")) { return; }
    var main = document.getElementById("npk-main");
    if (!main || !collect(main)) { steps = []; return; }
    build(main);
    // Back and Forward move between steps: this script, not the browser, places the page.
    if ("scrollRestoration" in window.history) { window.history.scrollRestoration = "manual"; }
    var first = stepOf(window.location.hash);
    show(first || 1, {});
    if (first) { toTarget(window.location.hash); }
    document.addEventListener("click", onClick);
    window.addEventListener("popstate", onAddress);
    window.addEventListener("hashchange", onAddress);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
