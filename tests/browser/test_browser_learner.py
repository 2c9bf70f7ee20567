"""Learner codes and progress as a learner meets them (issue 14): a code the course never issued
gets "No answers are saved under ... yet. Is the code right?" with "Re-enter" and "Start fresh",
on the landing page and on a module page; a mistyped one gets a message saying what is wrong;
the landing page shows each module's progress and "Continue where you left off".

Nothing waits a fixed time: every wait is for what the page must show.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request

from browser_support import NOTEBOOK, axe_violations, describe_violations, expect
from test_browser_dashboards import wait_for_module

from npkit.store.learners import Store

UNKNOWN = "green-seal-694"
QUESTION = f"No answers are saved under {UNKNOWN} yet. Is the code right?"
FOCUSED_NAME = "() => document.activeElement && document.activeElement.textContent.trim()"


def known(site, code: str) -> bool:
    with Store.open(site.store) as s:
        return s.is_known(code)


def assert_axe_clean(page, where: str) -> None:
    found = axe_violations(page)
    assert not found, f"{where}: axe-core found:\n{describe_violations(found)}"


def landing(site, visit, **query):
    v = visit()
    v.page.goto(site.url("/", **query))
    expect(v.page.get_by_role("heading", name="Keep your answers")).to_be_visible()
    return v


def type_code(page, text: str) -> None:
    page.get_by_text("I already have a code").click()
    page.get_by_label("Your code").fill(text)
    page.get_by_role("button", name="Continue", exact=True).click()


def radio(page, group: str, choice: str):
    """A radio of the choice group named (at its start) ``group``: the question it answers."""
    return page.get_by_role("radiogroup", name=group).get_by_role("radio", name=choice)


def test_an_unknown_code_on_the_landing_page_asks_before_anything_is_kept(site, visit):
    """Typed with capitals and spaces, a code nobody was given gets the question, announced
    (role=alert), with Re-enter focused; Re-enter by keyboard puts the code back in the field.
    Nobody is created. Then Start fresh, by keyboard, gives a new code the course knows."""
    v = landing(site, visit)
    page = v.page
    type_code(page, "Green Seal 694")
    alert = page.get_by_role("alert").filter(has_text="No answers are saved")
    expect(alert).to_have_text(QUESTION)
    reenter = page.get_by_role("button", name="Re-enter", exact=True)
    fresh = page.get_by_role("button", name="Start fresh", exact=True)
    expect(reenter).to_be_visible()
    expect(fresh).to_be_visible()
    expect(reenter).to_be_focused()
    assert_axe_clean(page, "landing page, unknown code")
    assert not known(site, UNKNOWN)
    expect(page.get_by_text(re.compile("^Your code:"))).to_be_hidden()  # no learner adopted

    page.keyboard.press("Enter")
    expect(alert).to_have_count(0)
    field = page.get_by_label("Your code")
    expect(field).to_be_focused()
    expect(field).to_have_value(UNKNOWN)

    page.keyboard.press("Enter")  # the same code again: the same question
    expect(alert).to_have_text(QUESTION)
    expect(reenter).to_be_focused()
    page.keyboard.press("Tab")
    expect(fresh).to_be_focused()
    page.keyboard.press("Enter")
    shown = page.locator("#npk-code-shown")
    expect(shown).to_have_text(re.compile(r"^[a-z]+-[a-z]+-\d{4}$"))
    code = shown.inner_text()
    assert code != UNKNOWN and known(site, code) and not known(site, UNKNOWN)
    expect(alert).to_have_count(0)
    expect(page.get_by_role("link", name=re.compile("Begin with module 0"))).to_have_attribute(
        "href", re.compile(rf"00_start_here\.ipynb\?learner={code}$"))
    assert not v.problems(), v.problems()


def test_a_mistyped_code_gets_a_specific_message_and_a_known_one_is_taken(site, visit):
    v = landing(site, visit)
    page = v.page
    type_code(page, "hello")
    field = page.get_by_label("Your code")
    expect(page.locator("#npk-code-error")).to_have_text(
        "“hello” is not a learner code. A code has three parts, two words and a number, such "
        "as amber-otter-4271.")
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect(page.get_by_role("alert")).to_have_count(0)  # a mistake, not an unknown code

    with Store.open(site.store) as s:
        me = s.issue("Amber")
    field.fill(f"  {me.code.upper().replace('-', '_')} ")
    page.get_by_role("button", name="Continue", exact=True).click()
    expect(page.locator("#npk-code-shown")).to_have_text(me.code)
    expect(page.locator("#npk-nick-shown")).to_have_text(" (Amber)")  # from the store
    assert not v.problems(), v.problems()


def test_an_unknown_code_in_a_module_address_saves_nothing_until_the_learner_chooses(site,
                                                                                     visit):
    """Module 2 opened with a code nobody was given: the page says so at the top, its answers
    are not saved, and nobody is created. Re-enter leads to the start page's code field with
    the code in it; Start fresh reopens the module under a new code the course knows."""
    v = visit()
    page = v.page
    page.goto(site.module_url(NOTEBOOK[2], learner=UNKNOWN))
    alert = page.get_by_role("alert").filter(has_text="No answers are saved")
    expect(alert).to_have_text(QUESTION)
    expect(page.get_by_role("button", name="Compare with npkit")).to_be_visible()
    expect(page.locator(".npk-learner[data-state='problem']")).to_contain_text(
        "Until then nothing on this page is saved")
    radio(page, "1. Was Jane threatened", "No").check()
    page.get_by_role("button", name="Compare with npkit").click()
    expect(page.get_by_text("1 of 4 answered").first).to_be_visible()
    assert not known(site, UNKNOWN)
    # The module's links no longer carry the code that names nobody.
    expect(page.locator("a.npk-pager-next")).not_to_have_attribute("href", re.compile(UNKNOWN))
    assert_axe_clean(page, "module 2, unknown code")

    page.get_by_role("button", name="Re-enter", exact=True).click()
    expect(page).to_have_url(re.compile(r"/(\?[^#]*)?$"))  # the start page, fragment gone
    expect(page.get_by_label("Your code")).to_have_value(UNKNOWN)
    expect(page.get_by_label("Your code")).to_be_focused()

    page.goto(site.module_url(NOTEBOOK[2], learner=UNKNOWN, nick="Gus"))
    page.get_by_role("button", name="Start fresh", exact=True).click()
    expect(page).to_have_url(re.compile(r"02_duress\.ipynb\?learner=[a-z]+-[a-z]+-\d{4}&nick=Gus$"))
    code = re.search(r"learner=([a-z0-9-]+)", page.url).group(1)
    assert known(site, code) and not known(site, UNKNOWN)
    expect(page.locator(".npk-learner[data-state='saved']")).to_contain_text(
        "your answers are saved")
    expect(page.get_by_role("alert").filter(has_text="No answers are saved")).to_have_count(0)


def test_the_landing_page_shows_progress_and_where_to_continue(site, visit, learner):
    """After an answer in module 2 and a look at module 3, the landing page shows both
    modules' progress, says which module keeps nothing, and "Continue" leads to module 3."""
    v = visit()
    page = v.page
    page.goto(site.url("/", learner=learner))
    expect(page.locator("#npk-progress-summary")).to_have_text("You have opened 0 of 8 modules.")
    expect(page.get_by_role("link", name=re.compile("Begin with module 0"))).to_be_visible()

    page.goto(site.module_url(NOTEBOOK[2], learner=learner))
    radio(page, "1. Was Jane threatened", "No").check()
    page.get_by_role("button", name="Compare with npkit").click()
    expect(page.get_by_text("1 of 4 answered").first).to_be_visible()  # handled, so saved
    page.goto(site.module_url(NOTEBOOK[3], learner=learner))
    wait_for_module(page, 3)  # "Show what the sources say" on show (module 3 is in steps)
    # module 3 keeps the learner's guesses (decide first), though none is made here
    expect(page.locator(".npk-learner").filter(has_text="your answers are saved")).to_be_visible()

    page.goto(site.url("/", learner=learner))
    card = {n: page.locator(".npk-module-card").nth(n) for n in NOTEBOOK}
    expect(card[2].locator("[data-npk-progress]")).to_have_text(
        re.compile(r"^Answers saved, the latest on \d{4}-\d\d-\d\d\.$"))
    expect(card[3].locator("[data-npk-progress]")).to_have_text(
        re.compile(r"^Opened on \d{4}-\d\d-\d\d; no answers saved yet\.$"))
    expect(card[1].locator("[data-npk-progress]")).to_have_text("Not opened yet.")
    for n in (0,):
        expect(card[n]).to_contain_text("nothing on it is saved")
    for n in (1, 2, 3, 4, 5, 6, 7):
        expect(card[n]).not_to_contain_text("nothing on it is saved")
    expect(page.locator("#npk-progress-summary")).to_have_text("You have opened 2 of 8 modules.")
    go_on = page.get_by_role("link", name=re.compile("Continue where you left off"))
    expect(go_on).to_have_text(re.compile(r"Continue where you left off: module 3, The "
                                          r"non-punishment models"))
    expect(go_on).to_have_attribute("href", re.compile(rf"03_models\.ipynb\?learner={learner}$"))
    assert_axe_clean(page, "landing page with progress")
    assert not v.problems(), v.problems()


def fetch_status(request) -> int:
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code


def test_the_api_wants_its_xsrf_token_and_keeps_codes_out_of_the_log(site, learner):
    """A POST from outside the page (no _xsrf cookie and header) is refused, and so is a
    code in the API's address; the server's log (which holds the requests that fail) names no
    learner code or nickname."""
    check = site.url("/npkit/api/learner/check")
    assert fetch_status(urllib.request.Request(
        check, method="POST", data=json.dumps({"code": learner}).encode(),
        headers={"Content-Type": "application/json"})) == 403
    assert fetch_status(urllib.request.Request(f"{check}?code={learner}")) == 405
    missing = site.url("/voila/render/missing.ipynb", learner=learner, nick="Zed")
    assert fetch_status(urllib.request.Request(missing)) == 404
    assert site.wait_for_log(r"404 GET /voila/render/missing\.ipynb\?learner=\[hidden\]"
                             r"&nick=\[hidden\]")
    log = site.log.read_text(encoding="utf-8", errors="replace")
    assert learner not in log and "Zed" not in log
