"""Answer keys for the questions a case file asks the room (workshop mode), derived from
npkit's assessment so they are never typed twice."""

from __future__ import annotations

from dataclasses import dataclass

from npkit.casefile.case import Case, Question
from npkit.engine.assessment import assess
from npkit.engine.findings import Finding, Reason
from npkit.law.citations import Confidence
from npkit.law.registry import group_outcomes


@dataclass(frozen=True, slots=True)
class AnswerKey:
    question: Question
    choices: tuple[tuple[str, str], ...]  # (label, value); empty for free text
    correct: frozenset[str]  # empty for free text
    why: tuple[Reason, ...]  # the decisive reason(s) first, then the others
    marks: tuple[Confidence, ...] = ()  # caveats npkit's answer rests on (Finding.marks)
    # For a ``which`` question, beside each of ``why``: the titles of the findings (states,
    # models) that give the reason, so a reason never stands without its state or model.
    why_from: tuple[str, ...] = ()

    @property
    def rests_on(self) -> str:
        """The caveats in words ("npkit's reading; from outside npkit's sources: verify before
        use"), or ''."""
        return "; ".join(m.label for m in self.marks if m.is_caveat)

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
        # every outcome of the group, so that the choices do not give away the answer
        choices = tuple((_label(v), v) for v in group_outcomes(group))
        return AnswerKey(question, choices, frozenset({node.outcome}), _why([node]),
                         _marks([node]))
    nodes = getattr(a, question.group)
    choices = tuple((n.title, k) for k, n in nodes.items())
    correct = frozenset(k for k, n in nodes.items() if n.outcome == question.outcome)
    chosen = [n for k, n in nodes.items() if k in correct]
    why = _why(chosen)
    return AnswerKey(question, choices, correct, why, _marks(chosen), _givers(why, chosen))


def _why(nodes: list[Finding]) -> tuple[Reason, ...]:
    """The engine's decisive reason of each node first, then every other reason they give;
    each text once (several models share e.g. the victim finding and the identification
    caveat), in the order the assessment lists the nodes."""
    seen: dict[str, Reason] = {}
    decisive = [n.decisive for n in nodes if n.decisive]
    for r in decisive + [r for n in nodes for r in n.reasons]:
        seen.setdefault(r.text, r)
    return tuple(seen.values())


def _givers(why: tuple[Reason, ...], nodes: list[Finding]) -> tuple[str, ...]:
    """For each reason, the titles of the nodes that give it (decisive or not), joined."""
    def gives(n: Finding, text: str) -> bool:
        return any(r.text == text for r in (n.decisive, *n.reasons) if r is not None)
    return tuple("; ".join(n.title for n in nodes if gives(n, r.text)) for r in why)


def _marks(nodes: list[Finding]) -> tuple[Confidence, ...]:
    found = {m for n in nodes for m in n.marks}
    return tuple(c for c in Confidence if c in found)


def answer_keys(case: Case) -> list[AnswerKey]:
    return [answer_key(case, q) for q in case.questions]
