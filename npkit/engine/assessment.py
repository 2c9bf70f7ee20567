"""``assess(case)``: every test applied to one charge, as a tree of findings."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from npkit import DISCLAIMER
from npkit.casefile.case import Case
from npkit.engine.findings import Finding, Reason
from npkit.engine.memo import MemoSet
from npkit.law.duress import VARIANTS, duress
from npkit.law.facts import Facts, facts_for
from npkit.law.jurisdictions import apply_row, spec
from npkit.law.models import MODELS
from npkit.law.trafficking import victim as victim_test


@dataclass(slots=True)
class Evaluation:
    """The findings for one set of facts (no case text, no counterfactuals)."""

    victim: Finding
    duress: dict[str, Finding]
    models: dict[str, Finding]
    jurisdictions: dict[str, Finding]
    instruments: dict[str, Finding]

    def outcomes(self) -> dict[str, str]:
        """Flat ``path -> outcome`` map, the keys of the JSON output."""
        out = {"victim.outcome": self.victim.outcome}
        for group in ("duress", "models", "jurisdictions", "instruments"):
            for key, node in getattr(self, group).items():
                out[f"{group}.{key}.outcome"] = node.outcome
        for key, node in self.duress.items():
            for c in node.children:
                out[f"duress.{key}.conditions.{c.test.rsplit('.', 1)[1]}"] = bool(c.holds)
        return out


@lru_cache(maxsize=1)
def _rows() -> tuple[tuple, tuple]:
    """Jurisdiction and instrument rows, read once (the loaders hand out fresh copies, and
    evaluate() runs thousands of times in a counterfactual search)."""
    from npkit.law.jurisdiction_data import instruments, jurisdictions

    return (tuple((k, row, spec(row).model) for k, row in jurisdictions().items()),
            tuple((k, row, spec(row).model) for k, row in instruments().items()))


_MEMO = MemoSet()


@lru_cache(maxsize=4096)
def evaluate(f: Facts) -> Evaluation:
    """Apply every test to ``f``. Cached: facts are immutable and the law is pure; each test's
    finding is also reused for facts that agree on every field it read (:mod:`npkit.engine.memo`),
    which is most of a counterfactual search."""
    _MEMO.trim()
    victim = _MEMO("victim").get(f, victim_test)
    models = {name: _MEMO(("model", name)).get(f, lambda g, fn=fn: fn(g, victim), id(victim))
              for name, fn in MODELS.items()}

    def row(group: str, code: str, data: Any, model_name: str) -> Finding:
        model = models.get(model_name)
        # apply_row reads the victim and the row's own model only: the ctx says so
        ctx = {"_victim": victim, model_name: model} if model else {"_victim": victim}
        return _MEMO((group, code)).get(
            f, lambda g: apply_row(g, data, ctx, f"{group}.{code}"), (id(victim), id(model)))

    return Evaluation(
        victim=victim,
        duress={v: _MEMO(("duress", v)).get(f, lambda g, v=v: duress(g, v)) for v in VARIANTS},
        models=models,
        jurisdictions={code: row("jurisdictions", code, data, m) for code, data, m in _rows()[0]},
        instruments={key: row("instruments", key, data, m) for key, data, m in _rows()[1]},
    )


def _clear_caches() -> None:
    """Forget every cached evaluation and finding (benchmarks measure a cold search)."""
    _lru_clear()
    _MEMO.clear()


_lru_clear = evaluate.cache_clear
evaluate.cache_clear = _clear_caches


@dataclass(slots=True)
class Assessment:
    case: Case
    facts: Facts
    evaluation: Evaluation
    counterfactuals: list[Any] = field(default_factory=list)
    other_offences: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def offence(self):
        return self.case.offence(self.facts.offence_id)

    @property
    def victim(self) -> Finding:
        return self.evaluation.victim

    @property
    def duress(self) -> dict[str, Finding]:
        return self.evaluation.duress

    @property
    def models(self) -> dict[str, Finding]:
        return self.evaluation.models

    @property
    def jurisdictions(self) -> dict[str, Finding]:
        return self.evaluation.jurisdictions

    @property
    def instruments(self) -> dict[str, Finding]:
        return self.evaluation.instruments

    def outcomes(self) -> dict[str, str]:
        return self.evaluation.outcomes()

    @property
    def tree(self) -> Finding:
        e = self.evaluation
        groups = [
            e.victim,
            _group("duress", "Duress", e.duress),
            _group("models", "Non-punishment models", e.models),
            _group("jurisdictions", "ASEAN Member States", e.jurisdictions),
            _group("instruments", "International instruments", e.instruments),
        ]
        return Finding("assessment", self.case.title, "assessed", None, [], {}, groups)


def _group(test: str, title: str, nodes: dict[str, Finding]) -> Finding:
    return Finding(test, title, "group", None, [], {}, list(nodes.values()))


def assess(case: Case, offence_id: str | None = None, *, counterfactuals: bool = True,
           ) -> Assessment:
    """Assess one charge (the principal charge by default) of ``case``."""
    f = facts_for(case, offence_id)
    result = Assessment(case, f, evaluate(f))
    if counterfactuals:
        from npkit.engine.counterfactuals import counterfactuals as search

        result.counterfactuals = search(f)
    for o in case.offences:
        if o.id != f.offence_id:
            result.other_offences[o.id] = evaluate(facts_for(case, o.id)).outcomes()
    return result


__all__ = ["DISCLAIMER", "Assessment", "Evaluation", "Reason", "assess", "evaluate"]
