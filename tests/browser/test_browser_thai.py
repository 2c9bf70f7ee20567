"""The course in Thai, in headless Chromium (issue 17).

- The landing page and every module in Thai (``/?lang=th``, ``/voila/render/th/NN.ipynb``):
  ``lang="th"`` on the page, the draft notice with its link to the English original, the
  language switch, Thai text drawn with a Thai system font (never a web font), no mojibake, no
  console error, no request to another host, and no serious axe-core violation.
- No English left but citations: in the module text (the notebooks' markdown,
  npkit.course.build), on every module page as a whole (its widgets and the page scripts'
  words too) and on the two workshop pages, join and trainer.
- The choice is kept: in the learner's links (``&lang=th``), in the browser (the landing page
  and ``/join`` follow it without ``?lang=``).
- Module 5 in Thai at 1280x800: no text overflows its control (layout_checks.CUT_OFF); the
  screenshot is kept under build/test-artifacts/ (or ``$NPKIT_TEST_ARTIFACTS``), never committed.

Every wait is for something the page must show; none is a fixed time.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from browser_support import (
    NOTEBOOK,
    PENDING_OUTPUTS,
    ROOT,
    axe_violations,
    describe_violations,
    expect,
)
from layout_checks import CUT_OFF

from npkit.course.training.modules import MODULES, WORKSHOP_PAGES
from npkit.i18n import translations

JOIN, TRAINER = (p.notebook for p in WORKSHOP_PAGES)  # not modules: named by their notebook

# Every page in Thai shows no English but citations, anywhere: the module pages and the two
# workshop pages (test_module_in_thai, test_no_english_on_the_workshop_pages).

THAI = re.compile("[\u0e00-\u0e7f]")
# What UTF-8 Thai looks like read as Latin-1 or cp1252 (à¸, à¹), other double-decoded UTF-8
# (Ã, â€), and the replacement character of bytes that were not text.
MOJIBAKE = re.compile("\ufffd|à¸|à¹|Ã[\u0080-\u00bf]|â€")
# Fonts that draw Thai: Debian's TLWG set (fonts-thai-tlwg, installed by .ci/run) and Noto
# (fonts-noto-core), and those of Windows and macOS a trainee's laptop has.
THAI_FONTS = {"Noto Sans Thai", "Noto Sans Thai UI", "Noto Serif Thai", "Loma", "Garuda",
              "Sawasdee", "Waree", "Kinnari", "Norasi", "Umpush", "Purisa", "Laksaman",
              "Tlwg Typo", "Tlwg Typist", "Tlwg Typewriter", "Tlwg Mono", "Leelawadee UI",
              "Tahoma", "Thonburi", "Sukhumvit Set"}
NOTICE = "คำแปลนี้เป็นฉบับร่าง"  # "This translation is a draft" (npkit.po)
ORIGINAL = "อ่านต้นฉบับภาษาอังกฤษ"  # "Read the English original"
SWITCH = "ภาษา"  # the top bar's language switch ("Language")
ARTIFACTS = Path(os.environ.get("NPKIT_TEST_ARTIFACTS") or ROOT / "build" / "test-artifacts")

# English left in a page's text: four or more English words in a row, outside what stays
# English by design: citations (a parenthesis with no Thai in it, <cite>, the citation lines
# of the widgets), names of cases and documents in italics, code, and elements marked lang=en.
ENGLISH_RUNS = """(root) => {
    const keep = 'code, pre, cite, em, [lang="en"], .npk-cite, .npk-term-cite, .npk-source, '
        + '.npk-citation, .npk-cites, script, style, .npk-sr[hidden]';
    const parts = [];
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const e = n.parentElement;
        if (!e || e.closest(keep)) continue;
        parts.push(n.nodeValue);
    }
    const text = parts.join(' ').replace(/\\s+/g, ' ')
        .replace(/\\([^()\\u0e00-\\u0e7f]*\\)/g, ' ');
    const words = /[A-Za-z][A-Za-z'’-]*(?:[ ,;:]+[A-Za-z][A-Za-z'’-]*){3,}/g;
    return [...new Set(text.match(words) || [])];
}"""

# Every widget output drawn: Voila's renderer holds its placeholder text until the view is in.
LOADED = """() => ![...document.querySelectorAll('.jp-OutputArea-output')]
    .some(e => e.textContent.trim().startsWith('Loading widget'))"""

# The fonts Chromium drew a node's text with (DevTools CSS.getPlatformFontsForNode).
def platform_fonts(page, selector: str) -> list[dict]:
    cdp = page.context.new_cdp_session(page)
    try:
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        assert node, f"no element {selector}"
        return cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        cdp.detach()


def check_thai_page(v, what: str, font_selector: str) -> None:
    page = v.page
    expect(page.locator("html")).to_have_attribute("lang", "th")
    notice = page.get_by_role("note").filter(has_text=NOTICE)
    expect(notice).to_be_visible()
    original = notice.get_by_role("link", name=ORIGINAL)
    expect(original).to_have_attribute("hreflang", "en")
    expect(original).to_have_attribute("href", re.compile(r"lang=en"))
    switch = page.get_by_role("navigation", name=SWITCH, exact=True)
    expect(switch.get_by_role("link", name="ไทย")).to_have_attribute("aria-current", "true")
    expect(switch.get_by_role("link", name="English")).to_have_attribute("lang", "en")
    text = page.locator("body").inner_text()
    assert THAI.search(text), f"{what}: no Thai text on the page"
    bad = sorted(set(MOJIBAKE.findall(text)))
    assert not bad, f"{what}: mojibake on the page: {bad}"
    fonts = platform_fonts(page, font_selector)
    assert not [f for f in fonts if f.get("isCustomFont")], \
        f"{what}: a web font drew {font_selector}: {fonts}"
    thai = [f["familyName"] for f in fonts if f["familyName"] in THAI_FONTS and f["glyphCount"]]
    assert thai, (f"{what}: the Thai of {font_selector} was drawn with {fonts}, no Thai font "
                  "(install fonts-thai-tlwg: .ci/run)")
    violations = axe_violations(page)
    assert not violations, f"{what}: axe-core:\n{describe_violations(violations)}"
    assert not v.problems(), f"{what}:\n" + "\n".join(v.problems())


def wait_for_thai_module(page) -> None:
    """Until every cell has run and been drawn: the pager after the last cell is there, no
    output is pending and no widget is still being drawn (Voila's widget renderer shows
    "Loading widget..." until the widget's view is there)."""
    expect(page.locator("nav.npk-pager")).to_be_attached()
    page.wait_for_function(f"() => !document.querySelector('{PENDING_OUTPUTS}')")
    page.wait_for_function(LOADED, timeout=120_000)


def test_landing_page_in_thai(site, visit):
    v = visit()
    v.page.goto(site.url("/", lang="th"), timeout=120_000)
    expect(v.page.get_by_role("heading", level=1)).to_have_text(THAI)
    for m in MODULES:  # every module listed, linked to its Thai page, with the language
        link = v.page.locator(f"a[href*='/voila/render/th/{m.notebook}']").first
        expect(link).to_be_attached()
    check_thai_page(v, "the landing page", "h1")


def open_thai_module(site, visit, number):
    """A fresh visitor on module ``number``'s Thai page, once every cell has been drawn."""
    v = visit()
    v.page.goto(site.module_url(f"th/{NOTEBOOK[number]}", lang="th"), timeout=180_000)
    wait_for_thai_module(v.page)
    return v, v.page


@pytest.mark.parametrize("number", sorted(NOTEBOOK))
def test_module_in_thai(site, visit, number):
    v, page = open_thai_module(site, visit, number)
    what = f"module {number} in Thai"
    original = page.get_by_role("note").get_by_role("link", name=ORIGINAL)
    expect(original).to_have_attribute("href", re.compile(rf"/voila/render/{NOTEBOOK[number]}"))
    expect(page.locator("body")).to_have_attribute("data-npk-lang", "th")
    # The module's own text (the notebook's markdown): Thai, with citations left in English.
    markdown = page.locator(".jp-RenderedMarkdown")
    assert markdown.count(), f"{what}: no module text"
    english = [run for i in range(markdown.count())
               for run in markdown.nth(i).evaluate(ENGLISH_RUNS)]
    assert not english, f"{what}: English left in the module text: {english}"
    check_thai_page(v, what, ".jp-RenderedMarkdown h2")
    assert not page.get_by_text(re.compile("Error displaying widget")).count(), what
    # Nothing left in English anywhere on the page: the widgets' words too (one visit for both,
    # as a module page costs a kernel).
    english = page.locator("#npk-main").evaluate(ENGLISH_RUNS)
    assert not english, f"module {number} in Thai still shows English: {english}"


def test_the_lab_in_thai_after_changes(site, visit):
    """Module 5 in Thai once the trainee has changed facts and asked what would have to change:
    the list of changes, the outcome notes and the counterfactuals are Thai too."""
    th = translations("th").gettext
    v = visit()
    page = v.page
    page.goto(site.module_url(f"th/{NOTEBOOK[5]}", lang="th"), timeout=180_000)
    wait_for_thai_module(page)
    for fact in ("An imminent threat of serious harm aimed at them",
                 "The traffickers ordered the act", "They gave informed consent"):
        box = page.get_by_role("checkbox", name=th(fact))
        box.set_checked(not box.is_checked())
    expect(page.locator(".npk-lab li").filter(
        has_text=th("added: an imminent threat of serious harm aimed at them"))).to_be_attached()
    expect(page.locator(".npk-lab li").filter(has_text=th("informed consent"))).to_be_attached()
    page.get_by_role("button", name=th("What would have to change?")).click()
    expect(page.locator(".npk-lab").get_by_text("การเปลี่ยนแปลงที่น้อยที่สุด")).to_be_attached()
    # The parts made when asked for (issue 16): every other outcome, and the download link.
    page.get_by_role("button", name=th("Every other outcome")).click()
    expect(page.get_by_role("status").filter(
        has_text=th("Every other outcome is listed below."))).to_be_attached()
    page.get_by_role("button", name=th("Prepare the case file to download")).click()
    expect(page.get_by_role("link", name=th("Download this scenario as a case file"))
           ).to_be_visible()
    page.wait_for_function(LOADED, timeout=120_000)
    english = page.locator("#npk-main").evaluate(ENGLISH_RUNS)
    assert not english, f"module 5 in Thai, after changes, still shows English: {english}"
    assert not v.problems(), "\n".join(v.problems())


# The workshop pages as a trainee and a trainer first meet them (no session yet), each with
# the control it is opened for, named in Thai: the join page reloads with the learner code the
# server issued first (as in test_browser_dashboards.py).
WORKSHOP_CONTROLS = {JOIN: ("textbox", "Session code"), TRAINER: ("button", "Start a session")}


@pytest.mark.parametrize("notebook", [JOIN, TRAINER])
def test_no_english_on_the_workshop_pages(site, visit, notebook):
    v = visit()
    page = v.page
    page.goto(site.module_url(f"th/{notebook}", lang="th"), timeout=180_000)
    if notebook == JOIN:
        expect(page).to_have_url(re.compile(r"[?&]learner=[^&#]"))
    role, english = WORKSHOP_CONTROLS[notebook]
    name = translations("th").gettext(english)
    assert name != english and THAI.search(name), f"no Thai for {english!r} in npkit.po"
    expect(page.get_by_role(role, name=name).first).to_be_visible()
    page.wait_for_function(f"() => !document.querySelector('{PENDING_OUTPUTS}')")
    page.wait_for_function(LOADED, timeout=120_000)
    expect(page.locator("html")).to_have_attribute("lang", "th")
    english_runs = page.locator("#npk-main").evaluate(ENGLISH_RUNS)
    assert not english_runs, f"{notebook} in Thai still shows English: {english_runs}"


def test_the_choice_is_kept(site, visit, learner):
    v = visit()
    page = v.page
    page.goto(site.url("/", learner=learner), timeout=120_000)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Language", exact=True) \
        .get_by_role("link", name="ไทย").click()
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page).to_have_url(re.compile(r"[?&]lang=th"))
    assert page.evaluate("() => localStorage.getItem('npkit-lang')") == "th"
    # The learner's links carry the language and the learner's code.
    first = page.locator(f"a[href*='/voila/render/th/{MODULES[0].notebook}']").first
    first.hover()  # npkit.js completes a link when the learner comes near it
    expect(first).to_have_attribute("href", re.compile(r"lang=th"))
    expect(first).to_have_attribute("href", re.compile(rf"learner={learner}"))
    # The browser remembers it: the landing page without ?lang= is Thai...
    page.goto(site.url("/"), timeout=120_000)
    expect(page.locator("html")).to_have_attribute("lang", "th")
    # ... and the workshop's join address leads to the Thai join page.
    page.goto(site.url("/join/K7M2QX"), timeout=180_000)
    expect(page).to_have_url(re.compile(r"/voila/render/th/08_workshop_join\.ipynb\?"))
    expect(page.locator("html")).to_have_attribute("lang", "th")
    # Back to English with the switch.
    page.goto(site.url("/"), timeout=120_000)
    page.get_by_role("navigation", name=SWITCH, exact=True) \
        .get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(site.url("/"), timeout=120_000)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert not v.problems(), "\n".join(v.problems())


def test_module_5_in_thai_at_1280x800(site, visit):
    v = visit(viewport={"width": 1280, "height": 800})
    page = v.page
    page.goto(site.module_url(f"th/{NOTEBOOK[5]}", lang="th"), timeout=180_000)
    wait_for_thai_module(page)
    expect(page.locator(".npk-lab").first).to_be_visible()
    # the top bar's line from npkit.js, in Thai (window.npkitText): no learner code here
    expect(page.locator("#npk-who")).to_contain_text("หน้านี้ไม่มีรหัสผู้เรียน")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "module5-th-1280x800.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000, f"{shot}: an empty screenshot"
    cut = page.evaluate(CUT_OFF)
    assert not cut, f"module 5 in Thai at 1280x800 (screenshot {shot}):\n" + "\n".join(cut)
    assert not v.problems(), "\n".join(v.problems())
