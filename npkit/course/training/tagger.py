"""Score the element tagger: the trainee's tags for each passage against the case file's.

The answer key is the ``tags`` of each passage in the case file; nothing here knows the law.
Every input is treated as untrusted (it may come from a crafted widget message): unknown tags,
non-string values and passage indexes outside the narrative are dropped, never trusted.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from npkit.casefile.case import Case
from npkit.i18n import N_
from npkit.law.vocabulary import Act, Means, Purpose, describe

ELEMENTS = {"act": Act, "means": Means, "purpose": Purpose}
# marked for the catalogue, shown as _(title)
ELEMENT_TITLES = {"act": N_("Act"), "means": N_("Means"), "purpose": N_("Purpose")}


def tag_choices() -> list[tuple[str, str]]:
    """(label, tag) pairs for every element a passage can show."""
    out = []
    for kind, enum in ELEMENTS.items():
        for term in enum:
            out.append((f"{kind}: {term.replace('_', ' ')} — {describe(enum, term)}",
                        f"{kind}.{term}"))
    return out


VALID_TAGS = frozenset(tag for _, tag in tag_choices())
TAG_LABELS = {tag: label for label, tag in tag_choices()}
TAG_ORDER = {tag: i for i, (_, tag) in enumerate(tag_choices())}


def choices_by_element() -> dict[str, list[tuple[str, str]]]:
    """``tag_choices()`` grouped by element (act, means, purpose), in vocabulary order."""
    groups: dict[str, list[tuple[str, str]]] = {kind: [] for kind in ELEMENTS}
    for label, tag in tag_choices():
        groups[tag.split(".", 1)[0]].append((label, tag))
    return groups


def tag_label(tag: str) -> str:
    """The trainee-facing label of a valid tag, e.g. ``means: fraud — fraud about the job``."""
    return TAG_LABELS[tag]


def sort_tags(tags: Iterable[str]) -> list[str]:
    """Valid tags in the order the tagger offers them (act, means, purpose)."""
    return sorted((t for t in tags if t in TAG_ORDER), key=TAG_ORDER.__getitem__)


def count_by_element(tags: Iterable[str]) -> dict[str, int]:
    """How many of ``tags`` are acts, means and purposes (elements with none left out), so
    feedback can say what was missed without giving the answer away."""
    counts: dict[str, int] = {}
    for t in sort_tags(tags):
        kind = t.split(".", 1)[0]
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def clean_tags(tags: object) -> frozenset[str]:
    """Only the offered tags out of an untrusted value (anything not a collection gives none)."""
    if isinstance(tags, (str, bytes)) or not isinstance(tags, Iterable):
        return frozenset()
    return frozenset(t for t in tags if isinstance(t, str) and t in VALID_TAGS)


def clean_index(case: Case, index: object) -> int | None:
    """``index`` if it names a passage of ``case``, else ``None``."""
    if isinstance(index, bool) or not isinstance(index, int):
        return None
    return index if 0 <= index < len(case.narrative) else None


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

    @property
    def verdict(self) -> str:
        """``correct`` (nothing missed, nothing wrong), ``partly correct`` (some right tags)
        or ``not correct``."""
        if not self.missed and not self.extra:
            return "correct"
        return "partly correct" if self.correct else "not correct"


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

    @property
    def wrong(self) -> int:
        return sum(len(p.extra) for p in self.passages)

    @property
    def all_correct(self) -> int:
        """How many passages are tagged exactly right."""
        return sum(p.verdict == "correct" for p in self.passages)


def score(case: Case, answers: Mapping[int, Iterable[str]]) -> TaggerResult:
    """Compare ``answers`` (passage index -> tags) with the case's tags. Unknown tags and
    indexes (e.g. from a crafted widget message) are ignored, never trusted."""
    out = []
    for i, passage in enumerate(case.narrative):
        given = clean_tags(answers.get(i, ()))
        key = frozenset(passage.tags)
        out.append(PassageFeedback(i, given & key, key - given, given - key))
    return TaggerResult(tuple(out))


# (label, value): labels marked for the catalogue, shown as _(label)
VICTIM_ANSWERS = ((N_("a victim of trafficking"), "victim"), (N_("not a victim"), "not_victim"))


def victim_agreement(given: object, outcome: str) -> str:
    """Compare a trainee's victim / not-victim answer with npkit's ``victim.outcome``:
    ``agrees``, ``differs`` or ``not answered`` (anything not offered counts as no answer)."""
    allowed = {value for _, value in VICTIM_ANSWERS}
    if not isinstance(given, str) or given not in allowed:
        return "not answered"
    return "agrees" if given == outcome else "differs"
