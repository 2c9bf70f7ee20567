"""The finding memo (npkit/engine/memo.py) changes speed, never results: a memoised evaluation
equals one computed from scratch, for every case file and for random facts. Computed from
scratch, no reads are traced (every field counts as read), so the counterfactual search then
tries every pair: the pruned search must find the same counterfactuals."""

from dataclasses import fields, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import facts

from npkit.casefile.library import library
from npkit.engine import memo
from npkit.engine.assessment import assess, evaluate
from npkit.law.facts import Facts
from npkit.render.json import to_dict


def untraced(self, f, compute, inputs=(), intern=None):
    """The memo and the interner bypassed: computed directly, every field counted as read."""
    return compute(f), memo.ALL_FIELDS


def fresh(f: Facts):
    """Every test computed directly, bypassing both caches."""
    evaluate.cache_clear()
    original = memo.ReadMemo.get_traced
    memo.ReadMemo.get_traced = untraced
    try:
        return evaluate.__wrapped__(f)
    finally:
        memo.ReadMemo.get_traced = original


def test_every_case_assesses_the_same_with_and_without_the_memo(monkeypatch):
    cases = library().cases
    evaluate.cache_clear()
    memoised = [to_dict(assess(c)) for c in cases]
    evaluate.cache_clear()
    monkeypatch.setattr(memo.ReadMemo, "get_traced", untraced)
    direct = [to_dict(assess(c)) for c in cases]
    assert len(cases) >= 14 and memoised == direct
    assert sum(len(d["counterfactuals"]) for d in direct) > 100


@settings(max_examples=150)
@given(st.lists(facts, min_size=2, max_size=6))
def test_random_facts_evaluate_the_same_after_others_filled_the_memo(seq):
    evaluate.cache_clear()
    for f in seq:
        evaluate(f)  # fills the memo with findings for neighbouring facts
    last = seq[-1]
    got = evaluate.__wrapped__(last)
    assert got.outcomes() == fresh(last).outcomes()


def test_a_property_counts_as_reading_the_fields_behind_it():
    m = memo.ReadMemo()
    m.get(Facts(age=15), lambda f: f.is_child)
    assert m.get(Facts(age=15, harm="death"), lambda f: pytest.fail("recomputed")) is True
    assert m.get(Facts(age=30), lambda f: f.is_child) is False  # age was read: not reused


def test_a_test_that_copies_the_facts_is_never_reused_for_other_facts():
    m = memo.ReadMemo()
    calls = []

    def compute(f):
        calls.append(f)
        return replace(f, age=17).harm

    m.get(Facts(harm="none"), compute)
    m.get(Facts(harm="none", escape_opportunity=True), compute)
    assert len(calls) == 2


def test_the_memo_is_dropped_when_it_grows_past_its_limit(monkeypatch):
    monkeypatch.setattr(memo, "MAX_ENTRIES", 3)
    memos = memo.MemoSet()
    for age in range(5):
        memos("t").get(Facts(age=20 + age), lambda f: f.age)
        memos.trim()
    assert memos("t").size <= 3


def test_the_traced_view_gives_every_field_and_property_and_notes_what_was_read():
    f = Facts(age=16, claimed_age=15, means=frozenset({"deception"}), rewards="none",
              threats=(), harm="death")
    names = [fd.name for fd in fields(Facts)]
    for name in names:
        view, reads = memo._traced(f)
        assert getattr(view, name) == getattr(f, name) and reads == {name}
    for name, value in vars(Facts).items():
        if isinstance(value, property):
            view, reads = memo._traced(f)
            assert getattr(view, name) == getattr(f, name), name
            assert reads and reads <= set(names), name


def test_an_evaluation_that_notes_no_reads_gives_the_same_outcomes():
    """The search's pairs skip noting what each outcome read (nothing reads it): their
    outcomes are the same, every path of every case."""
    from npkit.engine.assessment import LazyEvaluation
    from npkit.law.facts import facts_for

    for case in library().cases:
        f = facts_for(case)
        evaluate.cache_clear()
        paths = [p for p in evaluate(f).outcomes() if ".conditions." not in p]
        noting = LazyEvaluation(f, outcomes_only=True)
        quiet = LazyEvaluation(f, outcomes_only=True, note_reads=False)
        assert [quiet.outcome(p) for p in paths] == [noting.outcome(p) for p in paths]
        assert quiet.reads == {} and set(noting.reads) == set(paths)
    evaluate.cache_clear()


def test_outcome_only_duress_and_rows_keep_their_outcomes_not_their_findings():
    """Nothing rests on a duress variant or a row, so the search keeps only their outcomes
    (fewer objects for the collector); the outcomes are those of the findings."""
    from npkit.engine.assessment import _OUTCOMES, LazyEvaluation
    from npkit.engine.findings import Finding
    from npkit.law.facts import facts_for

    for case in library().cases:
        f = facts_for(case)
        evaluate.cache_clear()
        paths = [p for p in evaluate(f).outcomes() if ".conditions." not in p]
        leaves = [p for p in paths if not p.startswith(("victim.", "models."))]
        got = [LazyEvaluation(f, outcomes_only=True).outcome(p) for p in leaves]
        kept = [v for key, m in _OUTCOMES._memos.items() if key != "victim" and key[0] != "model"
                for _, table, _ in m._tables.values() for v in table.values()]
        assert kept and not any(isinstance(v, Finding) for v in kept), case.id
        whole = LazyEvaluation(f, outcomes_only=True)
        assert got == [(whole.duress(p.split(".")[1]) if p.startswith("duress.")
                        else whole.row(*p.split(".")[:2])).outcome for p in leaves]
    evaluate.cache_clear()
