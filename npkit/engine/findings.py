"""The assessment tree: every node is a test, its outcome, why, and where the rule comes from.

Findings are immutable (tuples, frozen): the engine shares and caches them. Each names its
**decisive** reason, the one that settled the outcome, so renderers, widgets and the quiz never
guess it, and the **exception** that applied, if a named one did (for example a child needs no
means). A reason carries a stable ``code``; its text comes from :mod:`npkit.law.wording`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from npkit.law.citations import Citation, Confidence
from npkit.law.wording import is_unworded, say


@dataclass(frozen=True, slots=True)
class Reason:
    text: str
    source: Citation
    code: str = ""
    params: tuple[tuple[str, Any], ...] = ()

    def __init__(self, text: str, source: Citation, code: str = "",
                 params: tuple[tuple[str, Any], ...] = ()) -> None:
        # as dataclass's own, without object.__setattr__ per field (see Finding.__init__)
        _r_text(self, text)
        _r_source(self, source)
        _r_code(self, code)
        _r_params(self, params)

    @classmethod
    def of(cls, code: str, source: Citation, **params: Any) -> Reason:
        """A reason worded by the catalogue: ``Reason.of("duress.no_escape.none", cite)``.
        Within :func:`npkit.law.wording.unworded`, a blank one with no parameters."""
        if is_unworded():
            return cls("", source, code)
        return cls(say(code, **params), source, code, tuple(sorted(params.items())))

    @property
    def mark(self) -> Confidence | None:
        """The caveat a user must see with this reason (npkit's reading, outside law)."""
        conf = self.source.confidence
        return conf if conf.is_caveat else None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "code": self.code,
                "params": {k: _plain(v) for k, v in self.params},
                "source": str(self.source), "citation": self.source.to_dict()}

    def brief(self) -> dict[str, Any]:
        """``{code, text, source}``: the decisive reason as the JSON output gives it."""
        return {"code": self.code, "text": self.text, "source": str(self.source),
                "confidence": self.source.confidence.value}


_NO_FACTS: Mapping[str, Any] = MappingProxyType({})
_NEW_DICT: Any = object()  # Finding's facts when none are given: a new dict


@dataclass(frozen=True, slots=True)
class Finding:
    """One test applied to the facts.

    ``outcome`` is the word the renderers show (``met``, ``victim``, ``fails``,
    ``protected`` ...); ``holds`` is the same as a boolean where that makes sense
    (condition met, defence succeeds, person protected). ``decisive`` defaults to the first
    reason; a law module names another where the first is only context. ``also_rests_on``
    lists further reasons the outcome depends on, so their caveats show at the outcome.
    """

    test: str
    title: str
    outcome: str
    holds: bool | None
    reasons: tuple[Reason, ...]
    facts: Mapping[str, Any] = field(default_factory=dict)
    children: tuple[Finding, ...] = ()
    decisive: Reason | None = None
    exception: str = ""
    also_rests_on: tuple[Reason, ...] = ()

    def __init__(self, test: str, title: str, outcome: str, holds: bool | None,
                 reasons: tuple[Reason, ...], facts: Mapping[str, Any] = _NEW_DICT,
                 children: tuple[Finding, ...] = (), decisive: Reason | None = None,
                 exception: str = "", also_rests_on: tuple[Reason, ...] = ()) -> None:
        # The __init__ dataclass would write sets each field with object.__setattr__ (the
        # class is frozen), which made building findings about a tenth of a counterfactual
        # search; the slots' own setters do the same. Same fields, defaults and order
        # (tests/test_findings_core.py compares it with the generated one).
        if facts is _NEW_DICT:
            facts = {}
        elif facts and is_unworded():
            # an outcome-only finding shows nothing, so it keeps no facts either: findings
            # that differ only there are then one (npkit.engine.intern), and what rests on
            # them is reused. Nothing in the law reads a finding's facts.
            facts = _NO_FACTS
        if type(reasons) is not tuple:  # most are made with tuples already
            reasons = tuple(reasons)
        if type(children) is not tuple:
            children = tuple(children or ())
        if type(also_rests_on) is not tuple:
            also_rests_on = tuple(also_rests_on)
        if decisive is None and reasons:
            decisive = reasons[0]
        _f_test(self, test)
        _f_title(self, title)
        _f_outcome(self, outcome)
        _f_holds(self, holds)
        _f_reasons(self, reasons)
        _f_facts(self, facts)
        _f_children(self, children)
        _f_decisive(self, decisive)
        _f_exception(self, exception)
        _f_also_rests_on(self, also_rests_on)

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
    def marks(self) -> tuple[Confidence, ...]:
        """The caveats the outcome rests on (npkit's reading, outside law), in a fixed order."""
        basis = ((self.decisive,) if self.decisive else ()) + self.also_rests_on
        found = {r.mark for r in basis} - {None}
        return tuple(c for c in Confidence if c in found)

    @property
    def is_npkit_reading(self) -> bool:
        return any(c.confidence is Confidence.NPKIT_READING for c in self.citations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "test": self.test,
            "title": self.title,
            "outcome": self.outcome,
            "holds": self.holds,
            "decisive": self.decisive.brief() if self.decisive else None,
            "exception": self.exception or None,
            "marks": [m.value for m in self.marks],
            "reasons": [r.to_dict() for r in self.reasons],
            "facts": {k: _plain(v) for k, v in self.facts.items()},
            "children": [c.to_dict() for c in self.children],
        }


# the slots' setters, which a frozen class's own __setattr__ refuses
(_r_text, _r_source, _r_code, _r_params) = (
    Reason.__dict__[name].__set__ for name in ("text", "source", "code", "params"))
(_f_test, _f_title, _f_outcome, _f_holds, _f_reasons, _f_facts, _f_children, _f_decisive,
 _f_exception, _f_also_rests_on) = (Finding.__dict__[fd.name].__set__ for fd in fields(Finding))


def _plain(value: Any) -> Any:
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    return value


def condition(test: str, title: str, holds: bool, reasons: list[Reason], *,
              decisive: Reason | None = None, exception: str = "", **facts: Any) -> Finding:
    """A yes/no condition node."""
    return Finding(test, title, "met" if holds else "not_met", holds, tuple(reasons), facts,
                   decisive=decisive, exception=exception)
