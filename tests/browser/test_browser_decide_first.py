"""Decide first, for real (issue 14), as a learner meets it in Chromium.

Per module (1, 2, 3, 4, 6, 7), one page load: before the learner's first answer, no conclusion
is on the page, neither in what it shows (``document.body.innerText``) nor in what a screen
reader is given (Chromium's accessibility tree, as Playwright's ARIA snapshot of the body).
Then the learner answers and presses Check or Compare: the conclusion appears, a
``role=status`` summary holds the result, it has been scrolled into view, and axe-core still
finds no serious violation.

Nothing waits a fixed time: every wait is for something the page must show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from browser_support import (
    NOTEBOOK,
    PENDING_OUTPUTS,
    axe_violations,
    describe_violations,
    each_step,
    expect,
    open_step_of,
)

# True once the element is inside the window (the result was scrolled to).
IN_VIEW = """(el) => { const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight; }"""


@dataclass(frozen=True)
class Exercise:
    module: int
    ready: tuple[str, str]  # (role, name) of a control that exists once the widgets render
    hidden: tuple[str, ...]  # conclusion text: nowhere on the page before the first answer
    shown: tuple[str, ...]  # the same kind of text, on the page after the press
    status: str  # what the role=status summary says after the press (a regular expression)


def answer_1(page):
    # John's question, the first of module 1's three
    page.get_by_role("radio", name="a victim of trafficking").first.check()
    page.get_by_role("button", name="Show npkit's analysis").first.click()


def answer_2(page):
    page.get_by_role("radio", name="No").first.check()  # 1. Imminent threat
    page.get_by_role("button", name="Compare with npkit").click()


def answer_3(page):
    # the checkboxes are one group named by the question (npkit.js)
    group = page.get_by_role("group", name=re.compile(r"^Which of these 8 models protect Jane"))
    group.get_by_role("checkbox", name="Causation (but-for)").check()
    page.get_by_role("button", name="Compare with npkit").click()


def answer_4(page):
    group = page.get_by_role("group", name=re.compile(r"^Which of these 10 ASEAN states"))
    group.get_by_role("checkbox", name="Philippines").check()
    page.get_by_role("button", name="Compare with npkit").click()


def answer_6(page):
    page.get_by_role("radio", name="identification and investigation").check()
    page.get_by_role("button", name="Check", exact=True).click()


def answer_7(page):
    page.get_by_role("radio", name="victim", exact=True).first.check()
    page.get_by_role("button", name="Check answers").click()


ANSWER = {1: answer_1, 2: answer_2, 3: answer_3, 4: answer_4, 6: answer_6, 7: answer_7}
CONCLUDE = "What the sources conclude"
EXERCISES = [
    Exercise(1, ("button", "Check my tags"),
             (CONCLUDE, "What this case teaches", "Lesson", "nobody can consent",
              "npkit finds"),
             (CONCLUDE, "What this case teaches", "nobody can consent"),
             r"You said John is a victim of trafficking: . agrees\. npkit finds: . victim"),
    Exercise(2, ("button", "Compare with npkit"),
             (CONCLUDE, "Duress fails", "fails under", "fails in all three",
              "Your answers match npkit"),
             (CONCLUDE, "Your answers match npkit"),
             r"Duress for Jane: fails under all 3 versions\."),
    Exercise(3, ("button", "Compare with npkit"),
             (CONCLUDE, "Lesson", "Duress succeeds under", "non-punishment models protect",
              "most models protect her", "You guessed"),
             (CONCLUDE, "What this case teaches", "Duress succeeds under"),
             r"You guessed that 1 of the 8 models protects Jane; npkit finds that \d of 8 do"),
    Exercise(4, ("button", "Compare with npkit"),
             ("protected in", "Across the 10 ASEAN states", "You guessed"),
             ("protected in", "Across the 10 ASEAN states"),
             r"You guessed that 1 of the 10 ASEAN states protects Jane; npkit finds that "),
    Exercise(6, ("button", "Check"),
             (CONCLUDE, "Lesson", "What this case teaches", "npkit's answer",
              "every later stage the case reached"),
             (CONCLUDE, "What this case teaches", "npkit's answer"),
             r"right.*the answer is|Right: .identification and investigation"),
    Exercise(7, ("button", "Check answers"),
             ("duress-ew-john", "The answer is", "Your score", "the key:"),
             ("The answer is", "Your score"),
             r"Your score: \d+ of \d+"),
]


def found(text: str, phrases) -> list[str]:
    return [p for p in phrases if p in text]


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda e: f"module-{e.module}")
def test_no_conclusion_before_the_first_answer(site, visit, learner, ex):
    v = visit(viewport={"width": 1366, "height": 768})
    page = v.page
    page.goto(site.module_url(NOTEBOOK[ex.module], learner=learner))
    role, name = ex.ready
    ready = page.get_by_role(role, name=name, exact=True, include_hidden=True).first
    open_step_of(page, ready)  # a module in steps: the step of the exercise
    expect(page.get_by_role(role, name=name, exact=True).first).to_be_visible()
    page.wait_for_function(f"() => !document.querySelector('{PENDING_OUTPUTS}')")

    # What every step shows and gives a screen reader (one step at a time in modules 3, 4).
    shown, heard = "", ""
    for _ in each_step(page):
        shown += page.evaluate("() => document.body.innerText") + "\n"
        heard += page.locator("body").aria_snapshot() + "\n"
    open_step_of(page, ready)
    assert not found(shown, ex.hidden), f"module {ex.module} shows before the first answer: " \
        f"{found(shown, ex.hidden)}"
    assert not found(heard, ex.hidden), f"module {ex.module} gives a screen reader before " \
        f"the first answer: {found(heard, ex.hidden)}"

    ANSWER[ex.module](page)
    status = page.locator("[data-npk-reveal]").last
    expect(status).to_have_text(re.compile(ex.status))
    assert status.evaluate("(el) => el.closest('[role=status]') !== null")
    page.wait_for_function(IN_VIEW, arg=status.element_handle())
    for phrase in ex.shown:
        expect(page.get_by_text(phrase).first).to_be_attached()
    if ex.module == 2:
        # A changed answer redraws the result with the same press number: no jump.
        page.get_by_role("radio", name="Yes").first.check()
        y = page.evaluate("() => window.scrollY")
        expect(status).to_contain_text("Your answers match npkit on 0 of 4 conditions")
        assert page.evaluate("() => window.scrollY") == y
    violations = axe_violations(page)
    assert not violations, (f"module {ex.module} after the answer:\n"
                            + describe_violations(violations))
    assert not v.problems(), v.problems()
