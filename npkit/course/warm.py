"""What the fork server does once so that no trainee's kernel does it first: build every course
module's widgets, as its page builds them while it opens, then close them (issue 16).

A page's first build in a process costs about three times its next one: the scenario lab
32 ms of CPU the first time and about 10 ms after (2026-12-06). The difference is work done
once per process, not per page: traitlets setting up each widget class and its shared
layouts' and styles' classes, Jinja2 making each template's first render, the case library
read from npkit's shared cache, the law's data and the engine's memo of each case's
assessment. Done here, before the fork server forks (npkit.course.forkserver ``WARM``), every
kernel starts with it done, in pages shared copy-on-write.

What :func:`pages` leaves behind is caches, never a widget: each one it builds is closed before it
returns (ipywidgets' ``_instances`` as it was, so a kernel's page never holds or sends them), and a
shared layout or style found closed is made again in the kernel (``ui.shared``). No learner is
bound and nothing is displayed: the store, the page's address and the kernel stay out of it.
It builds in every course language (a Thai page's kernel reads Thai data), the fork server's
own language last and left in use, as a kernel starts.

One page is kept rather than closed: :func:`ready_lab` builds a scenario lab per language and
keeps it unopened (its widgets are in none of ipywidgets' registers and have no comm), for the
lab page's kernel to take and open (``ScenarioLab.for_page``) instead of building its own.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

from npkit import i18n
from npkit.course.training.modules import MODULES
from npkit.i18n.languages import LANGUAGES


def _pages(cases: list) -> dict[str, Callable[[], object]]:
    """Each module's widgets as its notebook builds them (notebooks/0N_*.py) from the case
    library ``cases``, in course order, by notebook. A page whose code changes and no longer
    matches only loses its warm start (tests/test_course_warm.py names a build that fails)."""
    from npkit.course.training.quiz import bank
    from npkit.course.widgets.asean import AseanCase, AseanTable
    from npkit.course.widgets.base import disclaimer
    from npkit.course.widgets.decision_path import DecisionPath, WhyPunish, context_panel
    from npkit.course.widgets.duress_checklist import DuressChecklist
    from npkit.course.widgets.models_table import Discussion, ModelsTable, OffenceCategories
    from npkit.course.widgets.quiz import Quiz
    from npkit.course.widgets.scenario_lab import ScenarioLab
    from npkit.course.widgets.tagger import ElementTagger, VictimQuestion

    return {
        "disclaimer": disclaimer,
        "01_is_this_trafficking": lambda: (
            ElementTagger(cases, "jane"),
            *(VictimQuestion(cases, c) for c in ("john", "child", "sarah"))),
        "02_duress": lambda: DuressChecklist(cases, "jane"),
        "03_models": lambda: (ModelsTable(cases, "jane"), OffenceCategories(cases),
                              Discussion()),
        "04_asean": lambda: (AseanTable(instruments=False), AseanCase(cases, "jane")),
        "05_scenario_lab": lambda: ScenarioLab(cases, start="jane"),
        "06_prosecutors_decision": lambda: (context_panel(), DecisionPath(cases, "jane"),
                                            WhyPunish("Jane")),
        "07_check_yourself": lambda: Quiz(bank(cases)),
    }


def _each_language() -> Iterator[str]:
    """Every course language in use in turn, the process's own last (the one a kernel starts
    in), which stays in use afterwards even if the caller stops early or raises."""
    language = i18n.current()
    try:
        for lang in [*(x for x in LANGUAGES if x != language), language]:
            i18n.use(lang)
            yield lang
    finally:
        i18n.use(language)


def pages() -> dict:
    """Build, then close, every module page's widgets and header, in every course language.
    Returns what was done: ``built`` (widgets made and closed) and ``failed`` (each build that
    raised, named: a kernel then does that work itself, as before)."""
    from ipywidgets.widgets import widget as _widget

    from npkit.course.widgets.base import library_or_errors, module_header

    before = set(_widget._instances)
    failed = []
    try:
        for lang in _each_language():
            # the library once per language (a broken case file is in its error panel)
            builds = {**{f"header {m.number}": (lambda n=m.number: module_header(n))
                         for m in MODULES}, **_pages(library_or_errors()[0])}
            for name, build in builds.items():
                try:
                    build()
                except Exception as e:  # noqa: BLE001 - a kernel builds it for itself
                    failed.append(f"{name} ({lang}): {type(e).__name__}: {e}")
                    print(f"npkit warm-up: not built: {failed[-1]}", file=sys.stderr)
    finally:
        made = [m for m in _widget._instances if m not in before]
        for model_id in made:
            widget = _widget._instances.get(model_id)
            if widget is not None:
                widget.close()
    return {"built": len(made), "failed": failed}


def ready_lab() -> None:
    """Build the scenario lab as its page opens it (notebooks/05_scenario_lab.py), in every
    course language, and keep each unopened for a page's kernel to take
    (``ScenarioLab.for_page``). Run after :func:`pages`, not inside it: :func:`pages` closes
    the shared layouts and styles its pages opened, and a lab kept there would name closed
    ones; built after, it makes its own (kept with it)."""
    from npkit.casefile.library import library
    from npkit.course.widgets.scenario_lab import ScenarioLab

    for _lang in _each_language():
        # the cases alone: library_or_errors would open its (empty) error panel here
        ScenarioLab.build_ready(library().cases, start="jane")
