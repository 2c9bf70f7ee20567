"""What "interactive" means on each page, and the script that times it inside the page.

A page is interactive when (1) every widget output of the page is drawn: Voila has replaced
every output placeholder of the HTML (``script[type="application/vnd.voila.cell-output+json"]``)
with its output and no widget output still says "Loading widget..." (ipywidgets' text until
the view is built), and (2) its key widget is in the DOM, visible (or in a step of the module
not yet shown, which npkit-steps.js hides with the ``hidden`` attribute only) and enabled:
ipywidgets only draws a widget once the page's widget manager has connected to the kernel and
fetched the widget's state, so a click on it then reaches the kernel. The floor page and every
module end on this same condition (the floor's key widget is its only one); a module's key
widget alone may be drawn before the rest of the page, which would flatter the module.
``keyReady`` records when (2) alone first held, for comparison. The time is
``performance.now()`` in the page (milliseconds since navigation started): a
``MutationObserver``, installed before any of the page's own scripts run, checks the
conditions in the next animation frame after each change of the DOM (when the browser lays the
page out anyway, so the check adds no layout of its own). No polling from Python, no round trip
in the figure.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from npkit.course.training.modules import MODULES

from .site import FLOOR

# The scenario lab's fact the toggle benchmark flips, and the checkbox that must be ready.
TOGGLE_FACT = "An imminent threat of serious harm aimed at them"
LAB = next(m.notebook for m in MODULES if m.slug == "scenario_lab")


@dataclass(frozen=True)
class Page:
    notebook: str
    label: str
    # every condition must hold: ("button", text) | ("checkbox", label) | ("select", label)
    # | ("heading", text prefix) | ("css", selector)
    ready: tuple[tuple[str, str], ...]


PAGES: dict[str, Page] = {
    FLOOR: Page(FLOOR, "floor (one button)", (("button", "Floor"),)),
    **{m.notebook: Page(m.notebook, f"{m.number:02d} {m.title}", cond) for m, cond in zip(
        MODULES,
        [
            (("heading", "Module 0"),),
            (("button", "Check my tags"),),
            (("button", "Compare with npkit"),),
            (("button", "Show what the sources say"),),
            (("select", "Link model"),),
            (("css", "table.npk-matrix"), ("checkbox", TOGGLE_FACT)),
            (("button", "Compare with Fitzgerald"),),
            (("button", "Check answers"),),
        ], strict=True)},
}

# Installed in every page before its own scripts (Playwright's add_init_script). Sets
# window.__npkBench = {ready, firstWidget, errors: [...]} as the page fills in.
_INIT = r"""
(() => {
  const conditions = __CONDITIONS__;
  const bench = window.__npkBench = {ready: null, keyReady: null, allDrawn: null,
                                     firstWidget: null, errors: []};
  const text = el => (el.textContent || '').replace(/\s+/g, ' ').trim();
  const shown = el => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  // A module shown in steps (npkit-steps.js) hides its other steps' cells with the hidden
  // attribute only: a widget there is drawn, connected and enabled, one click from use.
  const inHiddenStep = el => document.body.classList.contains('npk-steps-on')
    && !!el.closest('[hidden]');
  const usable = el => el && (shown(el) || inHiddenStep(el)) && !el.disabled;
  const found = ([kind, what]) => {
    if (kind === 'css') return [...document.querySelectorAll(what)].some(shown);
    if (kind === 'button')
      return [...document.querySelectorAll('button')].some(b => text(b) === what && usable(b));
    if (kind === 'checkbox')
      return [...document.querySelectorAll('input[type=checkbox]')].some(i => {
        const l = i.closest('label'); return l && text(l) === what && usable(i); });
    if (kind === 'select')
      return [...document.querySelectorAll('.widget-dropdown')].some(d => {
        const l = d.querySelector('label'); const s = d.querySelector('select');
        return l && text(l) === what && usable(s); });
    if (kind === 'heading')
      return [...document.querySelectorAll('h1, h2, h3')].some(h =>
        text(h).startsWith(what) && shown(h));
    return false;
  };
  // Every widget output drawn: no output placeholder left, none still loading its view.
  const PENDING = 'script[type="application/vnd.voila.cell-output+json"]';
  const LOADING = 'Loading widget...';
  const drawn = () => document.readyState !== 'loading' && !document.querySelector(PENDING)
    && ![...document.querySelectorAll('.jp-OutputArea-output')].some(o =>
      !o.firstElementChild && o.textContent === LOADING);
  const ERRORS = [['Error displaying widget', 'a widget could not be displayed'],
                  ['This part of the module could not be shown', 'a cell failed']];
  const check = () => {
    const now = performance.now();
    if (bench.firstWidget === null && document.querySelector('.jupyter-widgets'))
      bench.firstWidget = now;
    if (bench.allDrawn === null && drawn()) bench.allDrawn = now;
    if (bench.keyReady === null && conditions.every(found)) bench.keyReady = now;
    if (bench.ready === null && bench.allDrawn !== null && bench.keyReady !== null) {
      bench.ready = now;
      const body = document.body ? document.body.innerText : '';
      for (const [needle, what] of ERRORS) if (body.includes(needle)) bench.errors.push(what);
      observer.disconnect();
    }
  };
  // Checked once per frame after a change, when the browser lays the page out anyway (a
  // check per mutation would force a layout each time and slow big pages down).
  let pending = false;
  const observer = new MutationObserver(() => {
    if (!pending) { pending = true; requestAnimationFrame(() => { pending = false; check(); }); }
  });
  observer.observe(document, {childList: true, subtree: true, attributes: true,
                              attributeFilter: ['disabled', 'class', 'style', 'hidden']});
})();
"""


def init_script(page: Page) -> str:
    return _INIT.replace("__CONDITIONS__", json.dumps([list(c) for c in page.ready]))


# What the page measured, read once ``__npkBench.ready`` is set.
READ_TIMINGS = """() => {
  const nav = performance.getEntriesByType('navigation')[0] || {};
  let kernel = null;
  try {
    kernel = JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId;
  } catch (e) {}
  const b = window.__npkBench;
  if (b.ready === null) {  // not interactive (yet): say what the page shows instead
    const body = document.body ? document.body.innerText : '';
    if (body.includes('This part of the module could not be shown'))
      b.errors.push('a cell failed');
    if (body.includes('Error displaying widget')) b.errors.push('a widget could not be displayed');
  }
  return {ready_ms: b.ready, first_widget_ms: b.firstWidget, errors: b.errors,
          key_ready_ms: b.keyReady, all_drawn_ms: b.allDrawn,
          time_origin: performance.timeOrigin, kernel_id: kernel,
          response_start_ms: nav.responseStart, response_end_ms: nav.responseEnd,
          dom_content_loaded_ms: nav.domContentLoadedEventEnd,
          load_ms: nav.loadEventEnd, status: nav.responseStatus};
}"""

IS_READY = "() => window.__npkBench && window.__npkBench.ready !== null"

# Toggle the fact ``n`` times; each sample is the time from just before the click to the first
# change of the outcome matrix's DOM. Between toggles, wait until the page has been quiet for
# ``settle`` ms (the lab redraws several panels per change), so toggles never queue.
TOGGLE = r"""async ({label, n, settle, timeout}) => {
  const text = el => (el.textContent || '').replace(/\s+/g, ' ').trim();
  const box = [...document.querySelectorAll('input[type=checkbox]')]
    .find(i => i.closest('label') && text(i.closest('label')) === label);
  const matrix = document.querySelector('table.npk-matrix').closest('.widget-html-content');
  const quiet = () => new Promise(resolve => {
    let timer = setTimeout(done, settle);
    const limit = setTimeout(done, 10 * settle + 5000);
    const mo = new MutationObserver(() => {
      clearTimeout(timer); timer = setTimeout(done, settle); });
    function done() { clearTimeout(timer); clearTimeout(limit); mo.disconnect(); resolve(); }
    mo.observe(document.body, {childList: true, subtree: true, characterData: true,
                               attributes: true});
  });
  const samples = [], failures = [];
  const initial = box.checked;
  await quiet();
  for (let i = 0; i < n; i++) {
    const redrawn = new Promise(resolve => {
      const mo = new MutationObserver(() => { const t = performance.now(); mo.disconnect();
                                              clearTimeout(limit); resolve(t); });
      const limit = setTimeout(() => { mo.disconnect(); resolve(null); }, timeout);
      mo.observe(matrix, {childList: true, subtree: true, characterData: true});
    });
    const t0 = performance.now();
    box.click();
    const t1 = await redrawn;
    if (t1 === null) failures.push(i); else samples.push(t1 - t0);
    await quiet();
  }
  return {samples, failures, back_to_start: box.checked === initial};
}"""
