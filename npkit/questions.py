"""Answer keys for the questions a case file asks the room (workshop mode), derived from
npkit's assessment so they are never typed twice."""

from __future__ import annotations

from dataclasses import dataclass

from .assessment import assess
from .case import Case, Question, expected_values
from .findings import Reason


@dataclass(frozen=True, slots=True)
class AnswerKey:
    question: Question
    choices: tuple[tuple[str, str], ...]  # (label, value); empty for free text
    correct: frozenset[str]  # empty for free text
    why: tuple[Reason, ...]

    @property
    def free_text(self) -> bool:
        return self.question.kind == "free_text"

    def is_correct(self, value: str | list[str] | None) -> bool | None:
        """Right or wrong; None for free text. Unknown values are simply wrong."""
        if self.free_text:
            return None
        given = frozenset([value] if isinstance(value, str) else value or [])
        return given == self.correct


def _label(value: str) -> str:
    return value.replace("_", " ")


def answer_key(case: Case, question: Question) -> AnswerKey:
    a = assess(case, counterfactuals=False)
    if question.kind == "free_text":
        return AnswerKey(question, (), frozenset(), ())
    if question.kind == "outcome":
        group, _, key = question.path.partition(".")
        node = a.victim if group == "victim" else getattr(a, group)[key]
        choices = tuple((_label(v), v) for v in expected_values(f"{question.path}.outcome"))
        return AnswerKey(question, choices, frozenset({node.outcome}), tuple(node.reasons))
    nodes = getattr(a, question.group)
    choices = tuple((n.title, k) for k, n in nodes.items())
    correct = frozenset(k for k, n in nodes.items() if n.outcome == question.outcome)
    why = _unique_reasons(n for k, n in nodes.items() if k in correct)
    return AnswerKey(question, choices, correct, why)


def _unique_reasons(nodes) -> tuple[Reason, ...]:
    """Every reason the nodes give, each text once (several models share e.g. the victim
    finding and the identification caveat), in the order the assessment lists the nodes."""
    seen: dict[str, Reason] = {}
    for node in nodes:
        for r in node.reasons:
            seen.setdefault(r.text, r)
    return tuple(seen.values())


def answer_keys(case: Case) -> list[AnswerKey]:
    return [answer_key(case, q) for q in case.questions]
