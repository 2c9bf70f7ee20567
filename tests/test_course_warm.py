"""npkit.course.warm: the fork server builds every module page's widgets once in every course
language, then closes them, so that each forked kernel's first page costs what a second one
does (issue 16). What it must leave behind is caches, never an open widget, and the fork
server's own language; and one scenario lab, unopened, that a page's kernel takes only if it
is the lab that page would build. Nothing here is timed (benchmarks/ measures it)."""

from __future__ import annotations

import pytest
from ipywidgets.widgets import widget as _widget

from npkit.course import forkserver, warm
from npkit.course.widgets import ui


@pytest.fixture(autouse=True)
def english():
    """The warm-up runs in English, as the fork server does; the language is the process's."""
    from npkit import i18n

    before = i18n.current()
    i18n.use("en")
    yield
    i18n.use(before)


def _models(widget) -> set[str]:
    """``widget`` and every widget it refers to (children, layout, style), by model id."""
    seen: dict[str, object] = {}
    todo = [widget]
    while todo:
        w = todo.pop()
        if w.model_id in seen:
            continue
        seen[w.model_id] = w
        for name in w.keys:
            value = getattr(w, name, None)
            items = value if isinstance(value, tuple | list) else [value]
            todo.extend(v for v in items if isinstance(v, _widget.Widget))
    return set(seen)


def test_the_fork_server_warms_the_pages_then_keeps_a_lab_ready():
    assert forkserver.WARM.index("npkit.course.warm:pages") < forkserver.WARM.index(
        "npkit.course.warm:ready_lab")


def test_every_page_builds_and_nothing_is_left_open():
    before = dict(_widget._instances)
    done = warm.pages()
    assert done["failed"] == [], done["failed"]  # a page's build that no longer matches its code
    # the eight modules' headers and pages: the lab alone has about a hundred models
    assert done["built"] > 300
    assert _widget._instances == before


def test_a_page_built_after_gets_open_widgets_only():
    from npkit.course.widgets.base import library_or_errors
    from npkit.course.widgets.scenario_lab import ScenarioLab

    warm.pages()
    before = set(_widget._instances)
    # the shared layouts and styles the warm-up made were closed with it: a page built now
    # must get new ones, not hand the browser a model that no longer exists
    lab = ScenarioLab(library_or_errors()[0], start="jane")
    try:
        models = _models(lab.widget)
        assert len(models) > 50
        missing = [m for m in models if m not in _widget._instances]
        assert missing == []
        assert any(ui.is_shared(_widget._instances[m]) for m in models)
    finally:  # only what this test made: a shared look made before is other widgets' too
        for m in [m for m in _widget._instances if m not in before]:
            _widget._instances[m].close()


def test_a_page_that_fails_to_build_is_named_and_the_rest_still_built(monkeypatch):
    def broken():
        raise ValueError("no such case")

    real = warm._pages
    monkeypatch.setattr(warm, "_pages", lambda cases: {"broken": broken, **real(cases)})
    before = dict(_widget._instances)
    done = warm.pages()
    assert done["failed"] == ["broken (th): ValueError: no such case",
                              "broken (en): ValueError: no such case"]
    assert done["built"] > 300
    assert _widget._instances == before


def _canonical(widget, memo=None):
    """``widget``'s state and its parts', every model id replaced by what it names: two pages
    built apart compare equal when they show and share the same."""
    memo = {} if memo is None else memo
    if id(widget) not in memo:
        memo[id(widget)] = "(being read)"
        state = {}
        for name in widget.keys:
            value = getattr(widget, name, None)
            if isinstance(value, _widget.Widget):
                value = _canonical(value, memo)
            elif isinstance(value, tuple | list):
                value = [_canonical(v, memo) if isinstance(v, _widget.Widget) else v
                         for v in value]
            state[name] = value
        memo[id(widget)] = (type(widget).__name__, repr(sorted(state.items())))
    return memo[id(widget)]


@pytest.fixture
def ready_lab():
    """The fork server's ready labs (one a language), made here; whatever the test leaves of
    them is dropped."""
    from npkit.course.widgets import first_state
    from npkit.course.widgets.scenario_lab import ScenarioLab

    warm.ready_lab()
    ready = dict(ScenarioLab._ready)
    before = set(_widget._instances)
    yield ready
    ScenarioLab._ready = {}
    for *_, made in ready.values():
        for widget in made:
            first_state.discard_kept(widget)
    for m in [m for m in _widget._instances if m not in before]:
        _widget._instances[m].close()


@pytest.mark.parametrize("lang", ["en", "th"])
def test_the_ready_lab_is_the_lab_a_page_builds(ready_lab, lang):
    from npkit import i18n
    from npkit.course.widgets import first_state
    from npkit.course.widgets.base import library_or_errors
    from npkit.course.widgets.scenario_lab import ScenarioLab

    assert set(ready_lab) == {"en", "th"} and i18n.current() == "en"
    i18n.use(lang)  # a Thai page sets its language first (build._speak)
    cases, problems = library_or_errors()
    lab = ScenarioLab.for_page(cases, start="jane", problems=problems)
    assert lab is ready_lab[lang][2]  # taken, not built again
    assert ScenarioLab._ready == {}
    fresh = ScenarioLab(cases, start="jane", problems=library_or_errors()[1])
    assert _canonical(lab.widget) == _canonical(fresh.widget)
    assert lab.widget.children[0] is problems and lab.problems is problems
    models = _models(lab.widget)  # every model the page's state names is open
    assert len(models) > 50 and [m for m in models if m not in _widget._instances] == []
    (other,) = set(ready_lab) - {lang}  # the other language's lab never reaches a page
    assert ready_lab[other][2].widget.comm is None
    assert not any(first_state.waiting(x) for x in ready_lab[other][3])
    assert lab.edit("quick.imminent_threat", True)  # and it works as a lab
    assert ScenarioLab.for_page(cases, start="jane", problems=problems) is not lab


@pytest.mark.parametrize("change", ["language", "start", "cases"])
def test_a_ready_lab_built_otherwise_is_not_taken_nor_opened(ready_lab, change):
    from npkit import i18n
    from npkit.course.widgets import first_state
    from npkit.course.widgets.base import library_or_errors
    from npkit.course.widgets.scenario_lab import ScenarioLab

    cases, problems = library_or_errors()
    start = "jane"
    if change == "language":
        # a fork server that built its lab in English only, and a Thai page
        for widget in ScenarioLab._ready.pop("th")[3]:
            first_state.discard_kept(widget)
        i18n.use("th")
    elif change == "start":
        start = "john"
    else:
        cases = [c for c in cases if c.id != "sarah"]
    lab = ScenarioLab.for_page(cases, start=start, problems=problems)
    assert lab not in [r[2] for r in ready_lab.values()]
    assert lab.picker.value == start and lab.widget.children[0] is problems
    assert [m for m in _models(lab.widget) if m not in _widget._instances] == []
    for _start, _cases, ready, made in ready_lab.values():  # never reach a page
        assert ready.widget.comm is None
        assert not any(first_state.waiting(x) for x in made)


PAGE = r"""
import json, re, sys
from npkit import i18n
from npkit.course import warm
if sys.argv[1] == "warm":
    i18n.use("en")
    assert warm.pages()["failed"] == []
    warm.ready_lab()
    assert i18n.current() == "en"  # as a kernel starts
if sys.argv[2] != "en":
    i18n.use(sys.argv[2])
from ipywidgets.widgets import widget as _widget
from npkit.course.training.conclusions import conclusion
from npkit.course.widgets.base import library_or_errors, module_header
from npkit.course.widgets.scenario_lab import ScenarioLab
from npkit.course.widgets.quiz import Quiz
from npkit.course.training.quiz import bank
cases = library_or_errors()[0]
module_header(5)
ready = dict(ScenarioLab._ready)
lab = ScenarioLab.for_page(cases, start="jane")
Quiz(bank(cases))
shown = [f"{getattr(w, 'description', '')}|{getattr(w, 'value', '')}|{getattr(w, 'options', '')}"
         for w in _widget._instances.values()]
shown.append(conclusion("jane_imminent", "duress.malaysia"))
# element ids made from a counter differ between the two runs, and say nothing
print(json.dumps(sorted(re.sub(r"npk-q-[0-9a-f]+-[0-9]+", "Q", s) for s in shown)))
print(json.dumps(lab is (ready.get(i18n.current()) or [None] * 3)[2]))
"""


@pytest.mark.parametrize("lang, word", [("th", "เจน"), ("en", "Jane")])
def test_a_page_after_the_warm_up_is_the_page_without_it(lang, word):
    """The fork server builds every page in Thai, then in English, stays in English and
    keeps an English scenario lab ready; a kernel then takes that lab (an English page) or
    builds its page (in Thai after ``i18n.use``) with the caches the warm-up left
    (the case library, the engine's memo, the templates). What it shows must be what a kernel
    that never warmed up shows, in either language. Each in a fresh interpreter."""
    import json
    import subprocess
    import sys

    def page(mode: str) -> list[str]:
        run = subprocess.run([sys.executable, "-c", PAGE, mode, lang], capture_output=True,
                             text=True, timeout=120)
        assert run.returncode == 0, run.stderr[-2000:]
        *_, shown, taken = run.stdout.splitlines()
        assert json.loads(taken) is (mode == "warm")  # the fork server's lab, or a new one
        return json.loads(shown)

    warm_page, cold_page = page("warm"), page("cold")
    assert len(cold_page) > 100
    assert sum(word in s for s in cold_page) > 5  # in the page's language
    assert warm_page == cold_page
