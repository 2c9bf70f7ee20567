"""Score the element tagger: the trainee's tags for each passage against the case file's."""

from __future__ import annotations

from dataclasses import dataclass

from ..case import Case
from ..vocabulary import Act, Means, Purpose, describe

ELEMENTS = {"act": Act, "means": Means, "purpose": Purpose}


def tag_choices() -> list[tuple[str, str]]:
    """(label, tag) pairs for every element a passage can show."""
    out = []
    for kind, enum in ELEMENTS.items():
        for term in enum:
            out.append((f"{kind}: {term.replace('_', ' ')} — {describe(enum, term)}",
                        f"{kind}.{term}"))
    return out


VALID_TAGS = frozenset(tag for _, tag in tag_choices())


@dataclass(frozen=True, slots=True)
class PassageFeedback:
    index: int
    correct: frozenset[str]
    missed: frozenset[str]
    extra: frozenset[str]

    @property
    def points(self) -> int:
        return len(self.correct)

    @property
    def possible(self) -> int:
        return len(self.correct) + len(self.missed)


@dataclass(frozen=True, slots=True)
class TaggerResult:
    passages: tuple[PassageFeedback, ...]

    @property
    def score(self) -> int:
        # a wrong tag costs what a right one earns, so tagging everything does not pay
        return max(0, sum(p.points - len(p.extra) for p in self.passages))

    @property
    def possible(self) -> int:
        return sum(p.possible for p in self.passages)


def score(case: Case, answers: dict[int, set[str]]) -> TaggerResult:
    """Compare ``answers`` (passage index -> tags) with the case's tags. Unknown tags and
    indexes (e.g. from a crafted widget message) are ignored, never trusted."""
    out = []
    for i, passage in enumerate(case.narrative):
        given = frozenset(t for t in answers.get(i, set()) if t in VALID_TAGS)
        key = frozenset(passage.tags)
        out.append(PassageFeedback(i, given & key, key - given, given - key))
    return TaggerResult(tuple(out))
