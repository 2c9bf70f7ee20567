"""Modules 3 and 4, decide first: the trainee ticks the models (or states) they expect to
protect the person, then compares the guess with npkit's outcomes.

Grading only: each outcome is the engine's (a finding's ``outcome``); a tick says "protects",
no tick "does not protect", so a guess agrees when the tick matches ``protected``. Ticks are
untrusted (a widget message): anything not among the items offered is dropped.

    g = compare_guess(assess(jane).models, ["causation", "presumption"])
    g.guessed, g.protected, g.agreed, g.total   # 2, 6, 4, 8
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

PROTECTED = "protected"
DISCRETIONARY = "discretionary"


def clean_ticks(ticks: object, offered: Iterable[str]) -> tuple[str, ...]:
    """The ticked keys that are among ``offered``, in the order offered, each once; anything
    else (not a list, not a string, not offered) is dropped."""
    if not isinstance(ticks, list | tuple | set | frozenset):
        return ()
    chosen = {t for t in ticks if isinstance(t, str)}
    return tuple(k for k in offered if k in chosen)


@dataclass(frozen=True, slots=True)
class GuessItem:
    key: str
    title: str
    outcome: str  # npkit's (the engine's) outcome
    guessed: bool  # the trainee ticked it: "protects"

    @property
    def agrees(self) -> bool:
        return self.guessed == (self.outcome == PROTECTED)


@dataclass(frozen=True, slots=True)
class GuessResult:
    items: tuple[GuessItem, ...]

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def guessed(self) -> int:
        return sum(i.guessed for i in self.items)

    @property
    def protected(self) -> int:
        return sum(i.outcome == PROTECTED for i in self.items)

    @property
    def discretionary(self) -> int:
        return sum(i.outcome == DISCRETIONARY for i in self.items)

    @property
    def agreed(self) -> int:
        return sum(i.agrees for i in self.items)

    @property
    def differ(self) -> tuple[GuessItem, ...]:
        return tuple(i for i in self.items if not i.agrees)


def compare_guess(found: Mapping[str, object], ticks: object) -> GuessResult:
    """The trainee's ``ticks`` beside npkit's findings ``found`` (key -> a finding with
    ``title`` and ``outcome``), in the order of ``found``."""
    chosen = set(clean_ticks(ticks, found))
    return GuessResult(tuple(GuessItem(k, str(f.title), str(f.outcome), k in chosen)
                             for k, f in found.items()))
