"""Module 7's quiz in pages (issue 14), as a learner meets it in Chromium at 1366x768.

- Paging by keyboard: Enter on "Next page" / "Previous page" turns the page; the status line
  (role=status) says which page it is, the progress bar (a named progressbar) counts the
  answers, the new page's heading has the focus, and a page's key appears only after that
  page's "Check answers". On every page nothing is cut off, and axe-core finds no serious
  violation.
- With a learner code, answers on every page, the checked page and the page shown come back
  after a reload.
- A lecturer's link ending in ``&page=4`` opens module 4's page.

Every wait is for something the page must show; none is a fixed time.
"""

from __future__ import annotations

import re

import pytest
from browser_support import axe_violations, describe_violations, settle
from layout_checks import CUT_OFF
from test_browser_dashboards import NOTEBOOK, wait_for_module

from npkit.course.training.modules import MODULES

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips (or fails on CI) before any test below runs
    expect = None
else:
    expect.set_options(timeout=60_000)

LAPTOP, PHONE = {"width": 1366, "height": 768}, {"width": 390, "height": 844}
TITLES = {m.number: m.title for m in MODULES}
PAGES = 6
KEY = "The answer is"  # what an unanswered question says once its page is checked


def heading(page, module: int):
    return page.get_by_role("heading", name=f"Module {module}: {TITLES[module]}", exact=True)


def progress(page, text: str):
    return page.get_by_role("progressbar", name=text, exact=True)


def press(page, name: str, key: str = "Enter") -> None:
    """Focus the button and press ``key``: what a keyboard user does. First the page settles:
    a page turn still on its way from the kernel moves the focus to its heading, and would take
    the key with it (CI run 26 lost the second of two "Previous page" presses that way)."""
    settle(page)
    button = page.get_by_role("button", name=name, exact=True)
    button.focus()
    page.keyboard.press(key)


def open_quiz(site, visit, learner: str, viewport=LAPTOP, **query):
    v = visit(viewport=viewport)
    v.page.goto(site.module_url(NOTEBOOK[7], learner=learner, **query))
    wait_for_module(v.page, 7)
    return v


def test_paging_by_keyboard_announces_the_page_and_keeps_each_key_for_its_page(
        site, visit, learner):
    v = open_quiz(site, visit, learner)
    page = v.page
    expect(heading(page, 1)).to_be_visible()
    expect(progress(page, "Page 1 of 6 · 0 of 49 answered")).to_be_visible()
    assert page.get_by_role("button", name="Previous page").is_disabled()

    # answer the first question of page 1 from the keyboard, and check the page
    first = page.get_by_role("radiogroup").first
    expect(first).to_have_accessible_name(re.compile(r"^Question 1 of 8 "))
    first.get_by_role("radio").first.focus()
    page.keyboard.press("Space")
    expect(first.get_by_role("radio").first).to_be_checked()
    expect(progress(page, "Page 1 of 6 · 1 of 49 answered")).to_be_attached()
    press(page, "Check answers")
    expect(page.locator("[data-npk-reveal]")).to_have_text(
        re.compile(r"Your score: \d of 8 \(7 not answered\)"))
    expect(page.get_by_text(KEY).first).to_be_visible()

    heights = {}
    for number in range(2, PAGES + 1):
        press(page, "Next page")
        status = page.locator("[role=status]", has_text=f"Page {number} of 6: ")
        expect(status).to_have_text(f"Page {number} of 6: Module {number}: {TITLES[number]}. "
                                    "1 of 49 questions answered.")
        expect(heading(page, number)).to_be_focused()
        expect(progress(page, f"Page {number} of 6 · 1 of 49 answered")).to_be_visible()
        settle(page)
        # decide first: page 1's key went with page 1, this page's is not given yet
        assert KEY not in page.evaluate("() => document.body.innerText")
        assert not page.locator("[data-npk-reveal]").count()
        expect(page.get_by_role("radiogroup")).to_have_count(page.locator(".npk-question").count())
        cut = page.evaluate(CUT_OFF)
        assert not cut, f"page {number}: {len(cut)} cut:\n  " + "\n  ".join(cut[:20])
        heights[number] = page.evaluate("() => document.documentElement.scrollHeight")
    assert page.get_by_role("button", name="Next page").is_disabled()
    # the longest page (13 questions) is a fraction of the single page (15,830 px)
    assert max(heights.values()) < 15_830 / 2, heights

    press(page, "Previous page")
    expect(heading(page, 5)).to_be_focused()
    expect(page.locator("[role=status]", has_text="Page 5 of 6: ")).to_be_visible()
    # back to page 1: its answer and its key are still there
    page.get_by_role("combobox", name="Go to page").select_option(label=f"Module 1: {TITLES[1]}")
    expect(heading(page, 1)).to_be_visible()
    expect(page.get_by_role("radiogroup").first.get_by_role("radio").first).to_be_checked()
    expect(page.get_by_text(KEY).first).to_be_visible()
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    assert not v.problems(), v.problems()


@pytest.mark.parametrize("size", [LAPTOP, PHONE], ids=["1366x768", "390x844"])
def test_nothing_is_cut_on_any_page_once_checked(site, visit, learner, size):
    """What test_browser_layout.py measures on module 7's first page, on every page, with its
    feedback and the score table shown (the single page was measured with all of them)."""
    v = open_quiz(site, visit, learner, viewport=size)
    page = v.page
    for number in range(1, PAGES + 1):
        if number > 1:
            press(page, "Next page")
            expect(heading(page, number)).to_be_focused()
        press(page, "Check answers")
        expect(page.locator("[data-npk-reveal]")).to_have_attribute("data-npk-reveal",
                                                                    str(number))
        expect(page.get_by_text(KEY).first).to_be_attached()
        settle(page)
        cut = page.evaluate(CUT_OFF)
        assert not cut, f"page {number}: {len(cut)} cut:\n  " + "\n  ".join(cut[:20])
    assert not v.problems(), v.problems()


def test_answers_on_every_page_are_kept_after_a_reload(site, visit, learner):
    v = open_quiz(site, visit, learner)
    page = v.page
    page.get_by_role("radiogroup").first.get_by_role("radio").nth(1).check()
    # each page turn lands (its heading focused) before the next key: a key pressed while a
    # turn is on its way goes with the focus to the heading (CI run 36 lost the second press)
    press(page, "Next page")
    expect(heading(page, 2)).to_be_focused()
    press(page, "Next page")
    expect(heading(page, 3)).to_be_focused()
    group = page.get_by_role("radiogroup").nth(1)
    expect(group).to_have_accessible_name(re.compile(r"^Question 2 of 8 "))
    group.get_by_role("radio").first.check()
    press(page, "Check answers")
    expect(page.locator("[data-npk-reveal]")).to_contain_text("Your score:")
    expect(progress(page, "Page 3 of 6 · 2 of 49 answered")).to_be_attached()
    settle(page)

    page.reload()
    wait_for_module(page, 7)
    # the page shown, its answer and its check come back; the focus is left alone
    expect(heading(page, 3)).to_be_visible()
    expect(progress(page, "Page 3 of 6 · 2 of 49 answered")).to_be_visible()
    expect(page.get_by_role("radiogroup").nth(1).get_by_role("radio").first).to_be_checked()
    expect(page.get_by_text("Your score:")).to_be_visible()
    expect(page.get_by_text(KEY).first).to_be_visible()
    assert not heading(page, 3).evaluate("(el) => el === document.activeElement")
    press(page, "Previous page")
    expect(heading(page, 2)).to_be_focused()
    press(page, "Previous page")
    expect(heading(page, 1)).to_be_focused()
    expect(page.get_by_role("radiogroup").first.get_by_role("radio").nth(1)).to_be_checked()
    assert KEY not in page.evaluate("() => document.body.innerText")  # page 1: not checked
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)
    assert not v.problems(), v.problems()


def test_a_lecturers_link_opens_one_modules_page(site, visit, learner):
    v = open_quiz(site, visit, learner, page="4")
    expect(heading(v.page, 4)).to_be_visible()
    expect(progress(v.page, "Page 4 of 6 · 0 of 49 answered")).to_be_visible()
    assert not v.problems(), v.problems()
