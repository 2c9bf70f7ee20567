"""What test_browser_layout.py measures in a page (JavaScript run by ``page.evaluate``).

Kept apart from the test so that a developer can run the same measure on a page by hand."""

from __future__ import annotations

# Every table cell, button, menu and label a learner can see whose text is cut: its own text is
# wider than its box (scrollWidth > clientWidth, 1 px allowed), a menu option is wider than the
# menu leaves room for, or the element reaches past the edge of a box that clips it (any
# overflow-x but visible), or past the window. A table box that scrolls sideways
# (div.npk-scroll) with a visible cue (.npk-scroll-cue, npkit-layout.js) may hold cells beyond
# its edge: the learner is told to scroll, and the box itself must then fit.
CUT_OFF = """() => {
    const SLACK = 1;
    const ARROW = 24;  // room Chromium keeps for a native menu's arrow
    const shown = (e) => {
        const r = e.getBoundingClientRect();
        if (r.width <= 1 || r.height <= 1) return false;
        if (getComputedStyle(e).visibility === 'hidden') return false;
        return !e.closest('.npk-sr, [hidden]');
    };
    const clips = (e) => getComputedStyle(e).overflowX !== 'visible';
    const scrolls = (e) => ['auto', 'scroll'].includes(getComputedStyle(e).overflowX);
    const cued = (e) => e.matches('.npk-scroll') && scrolls(e)
        && [...e.children].some(c => c.matches('.npk-scroll-cue') && shown(c));
    const ctx = document.createElement('canvas').getContext('2d');
    const textWidth = (e, text) => {
        const s = getComputedStyle(e);
        ctx.font = `${s.fontStyle} ${s.fontWeight} ${s.fontSize} ${s.fontFamily}`;
        return ctx.measureText(text).width;
    };
    const name = (e) => (e.innerText || e.getAttribute('aria-label') || '')
        .replace(/\\s+/g, ' ').trim().slice(0, 70);
    const cut = [];
    const view = document.documentElement.clientWidth;
    const chosen = 'td, th, button, select, label, .widget-label';
    for (const e of document.querySelectorAll(chosen)) {
        if (!shown(e)) continue;
        const what = `${e.tagName.toLowerCase()} "${e.tagName === 'SELECT'
            ? [...e.selectedOptions].map(o => o.text).join('') : name(e)}"`;
        if (e.scrollWidth > e.clientWidth + SLACK) {
            cut.push(`${what}: its content is ${e.scrollWidth} px wide in ${e.clientWidth} px`);
            continue;
        }
        if (e.tagName === 'SELECT') {
            const s = getComputedStyle(e);
            // ipywidgets draws its own arrow inside the padding (appearance: none)
            const arrow = s.appearance === 'none' ? 0 : ARROW;
            const room = e.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight)
                - arrow;
            const longest = [...e.options].map(o => [textWidth(e, o.text), o.text])
                .sort((a, b) => b[0] - a[0])[0];
            if (longest && longest[0] > room + SLACK) {
                cut.push(`${what}: the option "${longest[1].slice(0, 60)}" needs `
                         + `${Math.round(longest[0])} px, the menu has ${Math.round(room)} px`);
                continue;
            }
        }
        let box = e.getBoundingClientRect();
        let problem = '';
        for (let a = e.parentElement; a && a !== document.body && !problem;
             a = a.parentElement) {
            if (!clips(a)) continue;
            const r = a.getBoundingClientRect();
            const left = r.left + a.clientLeft, right = left + a.clientWidth;
            if (box.right <= right + SLACK && box.left >= left - SLACK) continue;
            if (cued(a)) { box = r; continue; }  // scrolls, and says so: the box must fit
            problem = `reaches ${Math.round(box.right - right)} px past the edge of `
                + `${a.tagName.toLowerCase()}.${[...a.classList].slice(0, 3).join('.')}`
                + ` (overflow-x ${getComputedStyle(a).overflowX}, no scroll cue)`;
        }
        if (!problem && (box.right > view + SLACK || box.left < -SLACK)) {
            problem = `reaches past the window (${Math.round(box.left)}..${Math.round(box.right)}`
                + ` px of ${view} px)`;
        }
        if (problem) cut.push(`${what}: ${problem}`);
    }
    return cut;
}"""
