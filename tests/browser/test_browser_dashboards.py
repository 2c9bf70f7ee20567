"""The training modules as a learner meets them: Voila pages in headless Chromium.

The browser test files share one Voila server per pytest-xdist worker (conftest.py, ``site``):
``make test`` runs ``-n 2 --dist loadscope``, a file to a worker, and tests/conftest.py hands
the browser files out first, so both workers run them.

Nothing here waits a fixed time: every wait is for something the page must show (a control, a
table row, a changed outcome), with Playwright's auto-waiting ``expect``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from browser_support import (
    FIND_MODEL,
    IMG_PAYLOAD,
    NOTEBOOK,
    PENDING_OUTPUTS,
    SCRIPT_PAYLOAD,
    SEND_CLICK,
    XSS_CASE_ID,
    XSS_CHARGE,
    XSS_PASSAGE,
    XSS_TITLE,
    axe_violations,
    describe_violations,
    each_step,
    expect,
    known_learner,
    open_context,
    open_step_of,
)

from npkit.course.training.modules import MODULES, WORKSHOP_PAGES

IMMINENT = "An imminent threat of serious harm aimed at them"
XSS_SHORT = XSS_TITLE.split(":")[0]  # the case menus show a case by its short name
JOIN, TRAINER = (p.notebook for p in WORKSHOP_PAGES)  # not modules: named by their notebook
LANDING = "landing"
# The pages every learner meets, in the state they meet them: the landing page on a first visit
# (no learner yet: "Get a learner code") and with a learner, module 0 before and the others
# after the learner has a code.
PAGES = [
    ("landing-first-visit", LANDING, False),
    ("landing-with-learner", LANDING, True),
    (f"{NOTEBOOK[0][:-6]}-anonymous", 0, False),
    *((NOTEBOOK[n][:-6], n, True) for n in NOTEBOOK if n),
    # With no learner code (as from the trainer's join link) the page adds one and reloads.
    (f"{JOIN[:-6]}-without-learner", JOIN, False),
    (TRAINER[:-6], TRAINER, False),
]
PAGE_IDS = [p[0] for p in PAGES]

# One control per page that only exists once the page's widgets have rendered (role, name).
CONTROL = {
    0: ("heading", re.compile(r"^Module 0\b")),
    1: ("button", "Check my tags"),
    2: ("button", "Compare with npkit"),
    3: ("button", "Show what the sources say"),
    4: ("combobox", "Link model"),
    5: ("checkbox", IMMINENT),
    6: ("button", "Compare with Fitzgerald"),
    7: ("button", "Check answers"),
    JOIN: ("textbox", "Session code"),
    TRAINER: ("button", "Start a session"),
}


def notebook(target: int | str) -> str:
    """A module's notebook by its number; a workshop page's is its name."""
    return NOTEBOOK[target] if isinstance(target, int) else target


def wait_for_module(page, number: int | str) -> None:
    """Until the page's known control is visible and no cell output is still pending. In a
    module shown one step at a time, the page is left on the step that holds the control."""
    role, name = CONTROL[number]
    if number == JOIN:  # the join page first reloads with the code the server issued
        expect(page).to_have_url(re.compile(r"[?&]learner=[^&#]"))
    control = page.get_by_role(role, name=name, include_hidden=True).first
    open_step_of(page, control)
    expect(page.get_by_role(role, name=name).first).to_be_visible()
    page.wait_for_function(f"() => !document.querySelector('{PENDING_OUTPUTS}')")


def wait_for_landing(page) -> None:
    for m in MODULES:
        expect(page.locator(f"a[href*='{m.notebook}']").first).to_be_attached()


def open_module(site, visit, number: int, **query):
    v = visit()
    v.page.goto(site.module_url(NOTEBOOK[number], **query))
    wait_for_module(v.page, number)
    return v


def widget_errors(page) -> list[str]:
    """Text ipywidgets shows when a widget view cannot be rendered."""
    found = page.get_by_text(re.compile(r"Error displaying widget"))
    return [found.nth(i).inner_text()[:200] for i in range(found.count())]


def no_injected_markup(page) -> dict:
    """window.__xss, and any element a payload would have created had it reached innerHTML."""
    return page.evaluate("""() => ({
        xss: typeof window.__xss === 'undefined' ? null : window.__xss,
        imgs: document.querySelectorAll('img[src="x"]').length,
        scripts: [...document.querySelectorAll('script')]
            .filter(s => s.textContent.includes('window.__xss=')).length,
    })""")


CLEAN = {"xss": None, "imgs": 0, "scripts": 0}


# --------------------------------------------------------------------------- harness self-test


def test_harness_catches_what_it_must(browser):
    """The recording and axe checks below can fail: a page with an external stylesheet, a
    console error, an uncaught error and an unlabelled image trips every one of them."""
    v = open_context(browser)
    try:
        v.page.route("http://127.0.0.1:9/", lambda r: r.fulfill(
            content_type="text/html",
            body="<html lang='en'><head><title>t</title>"
                 "<link rel='stylesheet' href='https://cdn.jsdelivr.net/npm/x.css'></head>"
                 "<body><main><img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='>"
                 "<script>console.error('boom'); throw new Error('bang')</script>"
                 "</main></body></html>"))
        v.page.goto("http://127.0.0.1:9/")
        expect(v.page.locator("img")).to_be_attached()
        v.page.evaluate("() => 0")  # a round trip: events raised before it have arrived
        assert any("cdn.jsdelivr.net" in u for u in v.external), v.external
        assert any("boom" in e for e in v.console_errors), v.console_errors
        assert any("bang" in e for e in v.page_errors), v.page_errors
        assert "image-alt" in {x["id"] for x in axe_violations(v.page)}
    finally:
        v.close()


# --------------------------------------------------------------------------- 1 and 4: every page


@dataclass
class Report:
    """What one visit of a page found (shared by the offline/console test and the axe test,
    so each page is loaded once)."""

    rendered: str = ""  # "" when the page rendered, else why not
    problems: list[str] = field(default_factory=list)
    violations: list[dict] = field(default_factory=list)


@pytest.fixture(scope="module")  # as long as ``browser`` (tests/browser/conftest.py)
def page_report(browser, site):
    cache: dict[str, Report] = {}

    def get(name: str, target, with_learner: bool) -> Report:
        if name in cache:
            return cache[name]
        report = cache[name] = Report()
        v = open_context(browser)
        query = {"learner": known_learner(site.store, f"audit-{name}")} if with_learner else {}
        try:
            if target == LANDING:
                v.page.goto(site.url("/", **query))
                wait_for_landing(v.page)
            else:
                v.page.goto(site.module_url(notebook(target), **query))
                wait_for_module(v.page, target)
                report.problems += [f"widget error: {e}" for e in widget_errors(v.page)]
            if target == LANDING:
                report.violations = axe_violations(v.page)
            else:  # every step of a module shown one step at a time
                for step in each_step(v.page):
                    found = axe_violations(v.page)
                    report.violations += [dict(x, id=f"{x['id']} (step {step})") if step
                                          else x for x in found]
        except Exception as e:  # noqa: BLE001 - reported by the test that asked
            report.rendered = f"{type(e).__name__}: {e}"
        finally:
            report.problems = v.problems() + report.problems
            v.close()
        return report

    return get


@pytest.mark.parametrize(("name", "target", "with_learner"), PAGES, ids=PAGE_IDS)
def test_page_renders_offline_without_errors(page_report, site, name, target, with_learner):
    """Landing page, modules 00-07 and the two workshop pages: widgets render, nothing is
    fetched from another host (every such request is aborted and listed), no console error, no
    uncaught error."""
    report = page_report(name, target, with_learner)
    assert not report.rendered, (f"{name} did not render: {report.rendered}\n"
                                 f"server log:\n{site.log_tail()}")
    assert not report.problems, f"{name}:\n  " + "\n  ".join(report.problems)


@pytest.mark.parametrize(("name", "target", "with_learner"), PAGES, ids=PAGE_IDS)
def test_page_has_no_serious_accessibility_violations(page_report, name, target, with_learner):
    """axe-core (node_modules/axe-core) finds no violation of impact serious or critical."""
    report = page_report(name, target, with_learner)
    if report.rendered:
        pytest.fail(f"{name} did not render: {report.rendered}")
    assert not report.violations, (
        f"{name}: axe-core found serious or critical violations:\n"
        + describe_violations(report.violations))


# --------------------------------------------------------------------------- 2: the scenario lab


# The download link's data: URI holds the case file; true once it names the change.
HOLDS_CHANGE = """() => [...document.querySelectorAll('a[download]')].some(a =>
    a.href.startsWith('data:') && atob(a.href.split(',')[1]).includes('an imminent threat'))"""


def test_scenario_lab_imminent_threat_then_download_validates(site, visit, learner, tmp_path,
                                                                capsys):
    """Jane in module 5: tick the imminent threat, duress (England & Wales) now succeeds; the
    downloaded scenario passes ``npkit validate`` and says what changed."""
    from npkit.casefile.loader import load_case
    from npkit.cli import main
    from npkit.engine.assessment import assess

    v = open_module(site, visit, 5, learner=learner)
    page = v.page
    now = page.locator("tr[data-key='duress.england_wales'] td").nth(1)
    expect(now).to_contain_text("fails")

    page.get_by_role("checkbox", name=IMMINENT).check()
    expect(now).to_contain_text("succeeds")
    expect(page.get_by_role("status").filter(has_text="Duress (England & Wales)")).to_contain_text(
        "fails → succeeds")
    # The link is made when asked for (issue 16), by keyboard here; a screen reader hears it.
    page.get_by_role("button", name="Prepare the case file to download").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="The case file is ready")).to_be_attached()
    # The link may be redrawn after the matrix: wait until the file it holds names the change.
    link = page.get_by_role("link", name=re.compile("Download this scenario as a case file"))
    page.wait_for_function(HOLDS_CHANGE)

    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename == "jane_edited.yaml"
    path = tmp_path / download.suggested_filename
    download.save_as(path)

    capsys.readouterr()
    code = main(["validate", str(path)])
    out = capsys.readouterr()
    assert code == 0, f"npkit validate {path.name} exited {code}:\n{out.out}{out.err}"
    case = load_case(path)
    assert case.id == "jane_edited"
    assert assess(case, counterfactuals=False).duress["england_wales"].outcome == "succeeds"
    assert not v.problems(), v.problems()


# --------------------------------------------------------------------------- 3: keyboard only

FOCUSED = """() => {
    const e = document.activeElement;
    if (!e || e === document.body || e === document.documentElement) return null;
    const r = e.getBoundingClientRect();
    const group = e.closest('[role=radiogroup]');
    const glabel = group && document.getElementById(
        (group.getAttribute('aria-labelledby') || '').split(' ')[0]);
    return {
        tag: e.tagName.toLowerCase(), type: e.type || '',
        label: e.labels && e.labels.length ? e.labels[0].innerText.trim() : '',
        text: (e.innerText || '').trim().slice(0, 80),
        group: glabel ? glabel.innerText.trim() : '',
        checked: !!e.checked,
        visible: r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden',
        focusVisible: e.matches(':focus-visible'),
        ring: (getComputedStyle(e).outlineStyle !== 'none'
               && parseFloat(getComputedStyle(e).outlineWidth) > 0)
              || getComputedStyle(e).boxShadow !== 'none',
    };
}"""


class Keyboard:
    """Moves focus with Tab / Shift+Tab only and checks after every step that focus is on a
    visible element that shows it (``:focus-visible``, drawn as an outline or a box-shadow
    ring)."""

    def __init__(self, page, limit: int = 250):
        self.page = page
        self.limit = limit
        self.trail: list[str] = []

    def focused(self) -> dict:
        info = self.page.evaluate(FOCUSED)
        assert info, ("after " + (self.trail[-1] if self.trail else "start")
                      + " nothing on the page has focus; path so far: " + " > ".join(
                          self.trail[-8:]))
        where = info["group"] or info["label"] or info["text"] or info["tag"]
        assert info["visible"], f"focus is on a hidden element: {info}"
        assert info["focusVisible"], f"focus on {where!r} is not visible (:focus-visible): {info}"
        assert info["ring"], f"focus on {where!r} shows neither an outline nor a ring: {info}"
        return info

    def step(self, key: str = "Tab") -> dict:
        self.page.keyboard.press(key)
        info = self.focused()
        self.trail.append(f"{key}:{info['tag']}:{info['group'] or info['label'] or info['text']}")
        return info

    def tab_to(self, wanted, key: str = "Tab") -> dict:
        for _ in range(self.limit):
            info = self.step(key)
            if wanted(info):
                return info
        raise AssertionError(f"{key} never reached the control; path: {' > '.join(self.trail)}")


def test_duress_module_by_keyboard_only(site, visit, learner):
    """Module 2 with no mouse: change the case with the arrow keys and back, answer the four
    conditions for Jane with Tab and Space, press Compare with Enter; duress fails for Jane in
    every variant and the answers (npkit's own) agree on every condition."""
    v = open_module(site, visit, 2, learner=learner)
    page = v.page
    keys = Keyboard(page)
    story = page.locator("details summary", has_text="'s story:").first
    expect(story).to_contain_text("Jane's story")

    keys.tab_to(lambda f: f["tag"] == "select" and f["label"] == "Case")
    last = page.evaluate("() => document.activeElement.selectedIndex"
                         " === document.activeElement.options.length - 1")
    away, home = ("ArrowUp", "ArrowDown") if last else ("ArrowDown", "ArrowUp")
    page.keyboard.press(away)
    expect(story).not_to_contain_text("Jane's story")
    page.keyboard.press(home)
    expect(story).to_contain_text("Jane's story")
    keys.focused()

    # Jane, England & Wales (Fitzgerald 2024, V.B.1): no imminent threat; she could not
    # reasonably escape; not proportionate; she did not knowingly join her coercers.
    answers = {"1. Was Jane threatened": "No", "2. Could Jane reasonably escape": "No",
               "3. Was the harm threatened": "No", "4. Did Jane knowingly join": "No"}
    for group, answer in answers.items():
        keys.tab_to(lambda f, g=group, a=answer: f["type"] == "radio"
                    and f["group"].startswith(g) and f["label"] == a)
        page.keyboard.press("Space")
        assert keys.focused()["checked"], f"Space did not choose {answer!r} for {group!r}"

    compare = keys.tab_to(lambda f: f["tag"] == "button" and f["text"] == "Compare with npkit")
    back = keys.step("Shift+Tab")
    assert back["group"].startswith("4. Did Jane knowingly join"), back
    assert keys.step("Tab")["text"] == compare["text"]
    page.keyboard.press("Enter")

    table = page.locator("table", has=page.locator("caption",
                                                   has_text="Each condition of duress"))
    duress = table.locator("tr", has=page.locator("th", has_text=re.compile(r"^Duress$")))
    expect(duress).to_be_visible()
    cells = duress.locator("td")
    expect(cells).to_have_count(4)  # your answer (—), then the three variants
    for i in range(1, 4):
        expect(cells.nth(i)).to_contain_text("fails")
    match = table.locator("tr", has=page.locator("th", has_text="Your answers match npkit on"))
    expect(match.locator("td").nth(0)).to_have_text("4 of 4 answered")
    expect(match.locator("td").nth(1)).to_have_text("4 of 4")  # England & Wales
    assert not v.problems(), v.problems()


def radio_group(page, label: str):
    """A choice group by (the start of) its name: the question it answers."""
    return page.get_by_role("radiogroup", name=label)


def saved(store, code: str, module: int) -> dict:
    """What the store at ``store`` keeps of ``code``'s answers in ``module``."""
    from npkit.store.learners import Store

    with Store.open(store) as s:
        return s.load(code, module)


def test_answers_survive_a_reload(site, visit, learner):
    """The learner's answers in module 2 come back after a reload (same learner code): the
    two conditions answered, the two left open, and the comparison."""
    v = open_module(site, visit, 2, learner=learner)
    page = v.page
    radio_group(page, "1. Was Jane threatened").get_by_role("radio", name="No").check()
    radio_group(page, "2. Could Jane reasonably escape").get_by_role("radio", name="Yes").check()
    page.get_by_role("button", name="Compare with npkit").click()
    answered = page.locator("tr", has=page.locator("th", has_text="Your answers match npkit on"))
    # Changes reach the kernel in order, and each is saved as it arrives: once the comparison
    # counts both answers, both are in the store.
    expect(answered.locator("td").first).to_have_text("2 of 4 answered")
    # The press is saved before the comparison is drawn (tests/widgets/test_saved_before_shown.py),
    # so a reload as soon as the table shows must find it, though leaving the page shuts its
    # kernel down at once (ci52 and ci65 lost it here when the save came after the drawing).
    assert (saved(site.store, learner, 2).get("duress") or {}).get("compared"), \
        "the comparison is on show but not saved"
    page.reload()
    wait_for_module(page, 2)
    expect(radio_group(page, "1. Was Jane threatened").get_by_role("radio", name="No")
           ).to_be_checked()
    expect(radio_group(page, "2. Could Jane reasonably escape").get_by_role("radio", name="Yes")
           ).to_be_checked()
    for label in ("3. Was the harm threatened", "4. Did Jane knowingly join"):
        for choice in ("Yes", "No"):
            expect(radio_group(page, label).get_by_role("radio", name=choice)).not_to_be_checked()
    expect(answered.locator("td").first).to_have_text("2 of 4 answered")
    # Console errors are not checked here: leaving a page is the next test's subject.


def test_leaving_a_module_shuts_its_kernel_down(site, visit, learner):
    """When a learner leaves a module, the page asks Voila to shut its kernel down (a beacon
    to /voila/api/shutdown/<kernel id>); Voila must accept it, or every visit leaves a kernel
    running until the idle cull, 30 minutes later."""
    v = open_module(site, visit, 0, learner=learner)
    page = v.page
    kernel = re.escape(page.evaluate("() => window.jupyterapp.widgetManager.kernel.id"))
    page.goto(site.url("/", learner=learner))
    found = site.wait_for_log(rf"Kernel shutdown: {kernel}|\d{{3}} POST /voila/api/shutdown/"
                              rf"{kernel}.*")
    assert found, f"no shutdown request for kernel {kernel}:\n{site.log_tail(10)}"
    assert found.group(0).startswith("Kernel shutdown"), (
        f"Voila refused to shut the kernel down: {found.group(0)}")


# --------------------------------------------------------------------------- 5: hostile text


def assert_clean(page, where: str) -> None:
    found = no_injected_markup(page)
    assert found == CLEAN, f"{where}: markup from a case file or an answer got in: {found}"


def open_details(page, summary_text: str):
    summary = page.locator("details > summary", has_text=summary_text).first
    summary.click()
    details = summary.locator("xpath=..")
    expect(details).to_have_attribute("open", "")
    return details


def shown_as_text(page, where: str, scope=None) -> None:
    """Once the hostile passage is on the page (escaped or not, it starts "Xavier typed"):
    nothing ran or was injected, and the passage, title and charge read as text."""
    scope = scope or page
    expect(scope.locator(".npk-passage", has_text="Xavier typed").first).to_be_attached()
    assert_clean(page, where)
    expect(scope.get_by_text(XSS_PASSAGE).first).to_be_visible()


def test_hostile_case_and_answers_stay_text(site, visit, learner):
    """A case file whose title, narrative and charge carry <script> and <img onerror>, and a
    trainee's answer carrying the same: shown as text in modules 1, 3 and 5, never run."""
    # Module 1: the tagger shows the passage and the title.
    v = open_module(site, visit, 1, learner=learner)
    page = v.page
    page.get_by_role("combobox", name="Case to tag").select_option(label=XSS_SHORT)
    shown_as_text(page, "module 1")
    expect(page.get_by_role("heading", name=XSS_TITLE).first).to_be_visible()

    # Module 3: the models table's case panel (narrative, charge), the charge picker, and the
    # discussion box holding a hostile answer.
    v = open_module(site, visit, 3, learner=learner)
    page = v.page
    open_step_of(page, page.get_by_role("combobox", name="Case", exact=True,
                                        include_hidden=True).first)
    page.get_by_role("combobox", name="Case", exact=True).select_option(label=XSS_SHORT)
    details = open_details(page, "Read the case: Xavier")
    shown_as_text(page, "module 3", details)
    expect(details.get_by_text(XSS_CHARGE, exact=False).first).to_be_visible()
    # The menus show short choices; the whole title and charge are beside them, as text.
    beside = page.locator(".npk-choice-line")
    expect(beside.filter(has_text=XSS_TITLE).first).to_be_visible()
    expect(beside.filter(has_text=XSS_CHARGE).first).to_be_visible()
    answer = f"I think {SCRIPT_PAYLOAD} {IMG_PAYLOAD}"
    open_step_of(page, page.get_by_role("textbox", name="Your answer", include_hidden=True))
    box = page.get_by_role("textbox", name="Your answer")
    box.fill(answer)
    page.get_by_role("button", name="Show what the sources say").click()
    expect(page.get_by_text("What the sources say", exact=True)).to_be_visible()
    assert_clean(page, "module 3, after the answer")
    expect(box).to_have_value(answer)

    # Module 5: the lab's story and the download's case file preview.
    v = open_module(site, visit, 5, learner=learner)
    page = v.page
    page.get_by_role("combobox", name="Case to explore").select_option(label=XSS_SHORT)
    details = open_details(page, "Read the story: Xavier")
    shown_as_text(page, "module 5", details)
    expect(details.get_by_text(XSS_CHARGE, exact=False).first).to_be_visible()
    page.get_by_role("button", name="Prepare the case file to download").click()
    expect(page.get_by_text(f"{XSS_CASE_ID}_edited.yaml").first).to_be_visible()
    open_details(page, "Show the case file")
    assert_clean(page, "module 5, with the download")


def test_hostile_nickname_stays_text(site, visit):
    """A nickname typed on the landing page (the learner's own text) carrying markup: shown as
    text on the landing page and, carried in the URL, on the module it leads to."""
    v = visit()
    page = v.page
    page.goto(site.url("/"))
    wait_for_landing(page)
    page.get_by_label("Nickname (optional)").fill(IMG_PAYLOAD)
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_text(IMG_PAYLOAD).first).to_be_visible()
    assert_clean(page, "landing page")

    page.get_by_role("link", name=re.compile("Begin with module 0")).click()
    expect(page).to_have_url(re.compile(r"00_start_here\.ipynb\?learner=[a-z0-9-]+&nick=%3Cimg"))
    wait_for_module(page, 0)
    expect(page.get_by_text(IMG_PAYLOAD).first).to_be_visible()
    assert_clean(page, "module 0")
    assert not v.problems(), v.problems()


# --------------------------------------------------------------------------- 6: crafted messages

FORCE_ENABLE_AND_CLICK = """async (id) => {
    const model = await window.jupyterapp.widgetManager.get_model(id);
    model.set('disabled', false);
    model.save_changes();
    model.send({event: 'click'}, {});
}"""

ANSWER_IN_STATE = """async () => {
    const manager = window.jupyterapp.widgetManager;
    const state = (await manager.get_state({drop_defaults: false})).state;
    return Object.values(state).some(s => s.model_name === 'HTMLModel'
        && String(s.state.value || '').includes('The answer: the elements in'));
}"""


def test_crafted_click_on_disabled_button_changes_nothing(site, visit, learner):
    """Module 1's "Show the answer" is disabled until the trainee has checked their tags. A
    click message sent straight to its model, and a crafted "disabled = false" followed by a
    click, change nothing; the same message after "Check my tags" does show the answer, so the
    message really reaches the kernel."""
    v = open_module(site, visit, 1, learner=learner)
    page = v.page
    show = page.get_by_role("button", name="Show the answer")
    expect(show).to_be_disabled()
    show_id = page.evaluate(FIND_MODEL, ["ButtonModel", "Show the answer"])
    next_id = page.evaluate(FIND_MODEL, ["ButtonModel", "Next passage"])
    answer = page.get_by_role("heading", name=re.compile("^The answer: the elements in"))

    assert page.evaluate(SEND_CLICK, show_id) is True  # disabled, yet the message goes out
    page.evaluate(FORCE_ENABLE_AND_CLICK, show_id)
    # The kernel handles comm messages in order: once a later legitimate click has shown its
    # effect, the crafted ones before it have been handled.
    page.evaluate(SEND_CLICK, next_id)
    expect(page.get_by_text(re.compile(r"^Passage 2 of \d+\.")).first).to_be_visible()
    expect(answer).to_have_count(0)
    assert page.evaluate(ANSWER_IN_STATE) is False

    # Positive control: after checking, the same crafted click shows the answer.
    page.get_by_role("button", name="Check my tags").click()
    expect(show).to_be_enabled()
    page.evaluate(SEND_CLICK, show_id)
    expect(answer).to_be_visible()
    assert not v.problems(), v.problems()
