"""The catalogue of training modules, shown by module 0 and the dashboard's landing page.

A module's number, notebook, title and time are here: they name a page and state no law. What
each module sets out to teach is course content, some of it naming law and its sources, so it
is data with citations (npkit/course/data/objectives.yaml, read by :func:`objectives`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from npkit import i18n
from npkit.cite_spec import FollowableCite, PinpointCheck
from npkit.course.training.content import DATA, ContentError, Text, entries, item_lines, read, shown
from npkit.datacache import shared_data
from npkit.i18n import N_
from npkit.law.citations import Citation, Confidence


@dataclass(frozen=True, slots=True)
class Module:
    """``keeps_answers``: the module has exercises whose answers the store keeps (its notebook
    binds widgets with ``bind_learner``; tests/test_learner.py checks the two agree). The others
    are for reading and discussion: the landing page and the module say nothing is saved.

    ``steps``: a long module shown one step at a time under Voila, each ``##`` heading of its
    notebook starting a step (the template's npkit-steps.js; every step is on show in print,
    without JavaScript and in JupyterLab)."""

    number: int
    slug: str
    title: str
    minutes: int
    keeps_answers: bool = True
    steps: bool = False

    @property
    def notebook(self) -> str:
        return f"{self.number:02d}_{self.slug}.ipynb"

    @property
    def objectives(self) -> tuple[Objective, ...]:
        """What the module sets out to teach (npkit/course/data/objectives.yaml)."""
        return objectives()[self.number]


@dataclass(frozen=True, slots=True)
class Objective:
    """A learning objective and the sources of what it says about law (none for one about
    using the course). Shown as its text: ``str(objective)``."""

    text: str
    cite: tuple[Citation, ...] = ()

    def __str__(self) -> str:
        return self.text

    @property
    def marks(self) -> tuple[Confidence, ...]:
        """The caveats its sources carry (npkit's reading, outside law), in a fixed order."""
        found = {c.confidence for c in self.cite if c.confidence.is_caveat}
        return tuple(c for c in Confidence if c in found)


# Titles and summaries are marked for the catalogue and shown as _(title) (npkit.i18n).
MODULES: tuple[Module, ...] = (
    Module(0, "start_here", N_("Start here"), 10, keeps_answers=False),
    Module(1, "is_this_trafficking", N_("Is this trafficking?"), 25),
    Module(2, "duress", N_("Duress, condition by condition"), 25),
    Module(3, "models", N_("The non-punishment models"), 30, steps=True),
    Module(4, "asean", N_("Across ASEAN"), 20, steps=True),
    Module(5, "scenario_lab", N_("Scenario lab"), 30),
    Module(6, "prosecutors_decision", N_("The prosecutor's decision"), 25, steps=True),
    Module(7, "check_yourself", N_("Check yourself"), 20),
)


@dataclass(frozen=True, slots=True)
class Page:
    """A page of the course that is not a numbered module (the workshop pages): listed on the
    landing page under its own heading, with no place in the module order."""

    notebook: str
    title: str
    audience: str
    summary: str


WORKSHOP_PAGES: tuple[Page, ...] = (
    Page("08_workshop_join.ipynb", N_("Join a workshop"), N_("trainees"),
         N_("Type the code on the trainer's screen and a nickname, then answer the case's "
            "questions on your own screen. Nobody else sees your answers.")),
    Page("09_workshop_trainer.ipynb", N_("Run a workshop"), N_("trainers"),
         N_("Start a live poll on a case's questions, put the join code on the projector, "
            "watch the answers arrive, then reveal npkit's answer with its reasons and "
            "sources.")),
)


# --- the objectives: npkit/course/data/objectives.yaml ---------------------------------------

OBJECTIVE_TEXT = ("text",)  # the fields a th: overlay may translate


class _ObjectiveEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    TEXT: ClassVar[tuple[str, ...]] = OBJECTIVE_TEXT

    text: Text
    cite: tuple[FollowableCite, ...] = ()


class _ModuleEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    module: int = Field(strict=True, ge=0)
    objectives: tuple[_ObjectiveEntry, ...] = Field(min_length=1)


def load_objectives(path: Path, *, check: PinpointCheck | None = None, lang: str | None = None
                    ) -> dict[int, tuple[Objective, ...]]:
    """Every module's objectives; a :class:`ContentError` names the file, line, module and
    field of each problem, and a module of the catalogue with no entry (or an entry for no
    module)."""
    raw, node = read(path, _ObjectiveEntry.TEXT, lang)
    found = {e.value.module: tuple(Objective(o.text, tuple(c.citation() for c in o.cite))
                                   for o in e.value.objectives)
             for e in entries(path, raw, item_lines(node), _ModuleEntry, check=check,
                              key="module")}
    numbers = [m.number for m in MODULES]
    missing = [n for n in numbers if n not in found]
    unknown = sorted(set(found) - set(numbers))
    if missing or unknown:
        raise ContentError(f"{shown(path)}: " + "; ".join(
            ([f"no objectives for module(s) {missing}"] if missing else [])
            + ([f"no module numbered {unknown} in the catalogue"] if unknown else [])))
    return found


def objectives(lang: str | None = None) -> dict[int, tuple[Objective, ...]]:
    """Every module's objectives in ``lang`` (default: the current language), read once each."""
    return _objectives(i18n.current() if lang is None else lang)


@cache
def _objectives(lang: str) -> dict[int, tuple[Objective, ...]]:
    path = DATA / "objectives.yaml"  # checked once for every kernel (npkit.datacache)
    return shared_data(f"course-objectives-{lang}", [path],
                       lambda: load_objectives(path, lang=lang), dict)
