"""The assessment tree: every node is a test, its outcome, why, and where the rule comes from."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .citations import Citation, Confidence


@dataclass(frozen=True, slots=True)
class Reason:
    text: str
    source: Citation

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "source": str(self.source), "citation": self.source.to_dict()}


@dataclass(slots=True)
class Finding:
    """One test applied to the facts.

    ``outcome`` is the word the renderers show (``met``, ``victim``, ``fails``,
    ``protected`` ...); ``holds`` is the same as a boolean where that makes sense
    (condition met, defence succeeds, person protected).
    """

    test: str
    title: str
    outcome: str
    holds: bool | None
    reasons: list[Reason]
    facts: dict[str, Any] = field(default_factory=dict)
    children: list[Finding] = field(default_factory=list)

    def child(self, test: str) -> Finding:
        for c in self.children:
            if c.test == test or c.test.endswith("." + test):
                return c
        raise KeyError(f"{self.test} has no child {test!r}")

    def walk(self) -> Iterator[Finding]:
        yield self
        for c in self.children:
            yield from c.walk()

    @property
    def citations(self) -> list[Citation]:
        return [r.source for r in self.reasons]

    @property
    def is_npkit_reading(self) -> bool:
        return any(c.confidence is Confidence.NPKIT_READING for c in self.citations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "title": self.title,
            "outcome": self.outcome,
            "holds": self.holds,
            "reasons": [r.to_dict() for r in self.reasons],
            "facts": {k: _plain(v) for k, v in self.facts.items()},
            "children": [c.to_dict() for c in self.children],
        }


def _plain(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def condition(test: str, title: str, holds: bool, reasons: list[Reason], **facts: Any) -> Finding:
    """A yes/no condition node."""
    return Finding(test, title, "met" if holds else "not_met", holds, reasons, facts)
