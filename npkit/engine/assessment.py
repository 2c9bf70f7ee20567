"""``assess(case)``: every test applied to one charge, as a tree of findings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from npkit import DISCLAIMER
from npkit.casefile.case import Case
from npkit.engine.findings import Finding, Reason
from npkit.engine.gcpause import gc_paused
from npkit.engine.memo import SUBTESTS, MemoSet
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
    # outcome path -> the fields of the facts its finding (and the findings it rests on) read:
    # facts that agree on them reach the same outcome (npkit.engine.memo). Not output.
    reads: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

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
# The counterfactual search's findings for changed facts: only their outcomes are kept, so
# they are not worded (npkit.law.wording.unworded), and never handed out as findings.
_OUTCOMES = MemoSet(unworded=True)


class LazyEvaluation:
    """The findings for one set of facts, each computed when first asked for (and filed in the
    memo). :func:`evaluate` asks for all of them; the counterfactual search asks a changed set
    of facts only for the outcomes the change could flip, which is a fraction of them, and
    only for outcomes (``outcomes_only``: findings without words, from their own memo).
    ``reads`` is :attr:`Evaluation.reads` for the outcomes asked so far; with
    ``note_reads=False`` it is left empty (the search reads it for single changes only)."""

    __slots__ = ("f", "reads", "_victim", "_models", "_memo", "_note")

    def __init__(self, f: Facts, *, outcomes_only: bool = False, note_reads: bool = True,
                 ) -> None:
        self._memo = _OUTCOMES if outcomes_only else _MEMO
        self._memo.trim()
        SUBTESTS.trim()
        self.f = f
        self.reads: dict[str, frozenset[str]] = {}
        self._note = note_reads
        self._victim: Finding | None = None
        self._models: dict[str, Finding] = {}

    def victim(self) -> Finding:
        if self._victim is None:
            memo = self._memo
            self._victim, read = memo("victim").get_traced(self.f, victim_test,
                                                           intern=memo.intern)
            if self._note:
                self.reads["victim.outcome"] = read
        return self._victim

    def model(self, name: str) -> Finding:
        found = self._models.get(name)
        if found is None:
            victim = self.victim()
            memo = self._memo
            found, read = memo(("model", name)).get_traced(
                self.f, lambda g, fn=MODELS[name]: fn(g, victim), id(victim), memo.intern)
            self._models[name] = found
            if self._note:
                self.reads[_MODEL_PATHS[name]] = read | self.reads["victim.outcome"]
        return found

    def duress(self, variant: str) -> Finding:
        return self._duress(variant, "duress", duress)

    def _duress(self, variant: str, kind: str, test: Callable) -> Any:
        found, read = self._memo((kind, variant)).get_traced(self.f, lambda g: test(g, variant))
        if self._note:
            self.reads[_DURESS_PATHS[variant]] = read
        return found

    def row(self, group: str, code: str) -> Finding:
        return self._row(group, code, apply_row)

    def _row(self, group: str, code: str, test: Callable) -> Any:
        data, model_name, test_name, path, basis = _row_index()[group][code]
        victim = self.victim()
        model = self.model(model_name) if basis != "victim.outcome" else None
        # apply_row reads the victim and the row's own model only: the ctx says so
        ctx = {"_victim": victim, model_name: model} if model else {"_victim": victim}
        found, read = self._memo((group, code, test)).get_traced(
            self.f, lambda g: test(g, data, ctx, test_name), (id(victim), id(model)))
        if self._note:
            self.reads[path] = read | self.reads[basis]
        return found

    def outcome(self, path: str) -> str:
        """The outcome at ``path``, a key of :meth:`Evaluation.outcomes` (not a condition).
        Outcome-only, a duress variant's or a row's finding is not kept, only its outcome:
        nothing rests on them (a model rests on the victim finding, a row on both)."""
        group, key = _path(path)
        if group == "victim":
            return self.victim().outcome
        if group == "models":
            return self.model(key).outcome
        leaf = self._memo is _OUTCOMES
        if group == "duress":
            return (self._duress(key, "duress.outcome", _duress_outcome) if leaf
                    else self.duress(key).outcome)
        return (self._row(group, key, _row_outcome) if leaf
                else self.row(group, key).outcome)


def _duress_outcome(f: Facts, variant: str) -> str:
    return duress(f, variant).outcome


def _row_outcome(f: Facts, data: Any, ctx: dict[str, Finding], test: str) -> str:
    return apply_row(f, data, ctx, test).outcome


# The outcome paths the search asks for by the thousand, made and split once.
_MODEL_PATHS = {name: f"models.{name}.outcome" for name in MODELS}
_DURESS_PATHS = {v: f"duress.{v}.outcome" for v in VARIANTS}
_SPLIT: dict[str, tuple[str, str]] = {}


def _path(path: str) -> tuple[str, str]:
    """"models.causation.outcome" -> ("models", "causation")."""
    split = _SPLIT.get(path)
    if split is None:
        group, _, key = path.removesuffix(".outcome").partition(".")
        split = _SPLIT[path] = (group, key)
    return split


@lru_cache(maxsize=1)
def _row_index() -> dict[str, dict[str, tuple[Any, str, str, str, str]]]:
    """group -> code -> (data row, its model, its test name, its outcome path, the outcome
    path of what it rests on: its model, or the victim test for a row with none)."""
    jurisdictions, instruments = _rows()
    return {group: {k: (row, m, f"{group}.{k}", f"{group}.{k}.outcome",
                        f"models.{m}.outcome" if m in MODELS else "victim.outcome")
                    for k, row, m in rows}
            for group, rows in (("jurisdictions", jurisdictions), ("instruments", instruments))}


@lru_cache(maxsize=4096)
def evaluate(f: Facts) -> Evaluation:
    """Apply every test to ``f``. Cached: facts are immutable and the law is pure; each test's
    finding is also reused for facts that agree on every field it read (:mod:`npkit.engine.memo`),
    which is most of a counterfactual search."""
    lazy = LazyEvaluation(f)
    victim = lazy.victim()
    models = {name: lazy.model(name) for name in MODELS}
    return Evaluation(
        victim=victim,
        duress={v: lazy.duress(v) for v in VARIANTS},
        models=models,
        jurisdictions={code: lazy.row("jurisdictions", code) for code, _, _ in _rows()[0]},
        instruments={key: lazy.row("instruments", key) for key, _, _ in _rows()[1]},
        reads=lazy.reads,
    )


def _clear_caches() -> None:
    """Forget every cached evaluation and finding (benchmarks measure a cold search)."""
    _lru_clear()
    _MEMO.clear()
    _OUTCOMES.clear()
    SUBTESTS.clear()


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
    with gc_paused():  # npkit.engine.gcpause
        return _assess(case, offence_id, counterfactuals)


def _assess(case: Case, offence_id: str | None, counterfactuals: bool) -> Assessment:
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
