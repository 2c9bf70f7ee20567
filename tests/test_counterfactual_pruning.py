"""The counterfactual search skips fact changes that provably cannot flip an outcome (issue 16).
What it skips must never change what it finds: the pruned search equals the search as it was
before, which evaluated every change and every pair in full (copied here, the memo bypassed),
for every case and for random facts; and the shortcuts it rests on hold."""

from itertools import combinations

from hypothesis import given, settings
from test_properties import facts

from npkit.casefile.library import library
from npkit.engine import memo
from npkit.engine.assessment import evaluate
from npkit.engine.counterfactuals import (
    Counterfactual,
    Step,
    _join,
    apply_edits,
    changes,
    counterfactuals,
)
from npkit.law.facts import Facts, facts_for


def direct(self, f, compute, inputs=(), intern=None):
    return compute(f), memo.ALL_FIELDS


def exhaustive(f: Facts, per_outcome: int = 3) -> list[dict]:
    """The search as it was before pruning (main at 22e7bdd), evaluating every change and
    every pair in full with the memo bypassed: the independent reference."""
    evaluate.cache_clear()
    original = memo.ReadMemo.get_traced
    memo.ReadMemo.get_traced = direct
    try:
        base = evaluate.__wrapped__(f).outcomes()
        cands = changes(f)
        single = [evaluate.__wrapped__(c.facts).outcomes() for c in cands]
        both: dict[tuple[int, int], dict] = {}  # a pair's outcomes, computed in full once
        found = []
        for path, before in base.items():
            if ".conditions." in path:
                continue
            hits = [Counterfactual(path, str(before), str(single[i][path]), (c.text,),
                                   (Step(c.text, c.edits),))
                    for i, c in enumerate(cands) if single[i][path] != before]
            alone = {i for i in range(len(cands)) if single[i][path] != before}
            for i, j in combinations(range(len(cands)), 2):
                if len(hits) >= per_outcome:
                    break
                a, b = cands[i], cands[j]
                if i in alone or j in alone or a.key == b.key:
                    continue
                if a.fields & b.fields or not (a.edits and b.edits):
                    continue
                if (i, j) not in both:
                    both[i, j] = evaluate.__wrapped__(apply_edits(f, a.edits + b.edits)).outcomes()
                after = both[i, j][path]
                if after != before:
                    hits.append(Counterfactual(path, str(before), str(after), _join(a, b),
                                               (Step(a.text, a.edits), Step(b.text, b.edits))))
            found.extend(hits[:per_outcome])
        return [c.to_dict() for c in found]
    finally:
        memo.ReadMemo.get_traced = original
        evaluate.cache_clear()


def pruned(f: Facts) -> list[dict]:
    evaluate.cache_clear()
    return [c.to_dict() for c in counterfactuals(f)]


def test_every_case_finds_the_same_counterfactuals_as_trying_every_pair():
    found = 0
    for case in library().cases:
        f = facts_for(case)
        got = pruned(f)
        assert got == exhaustive(f), case.id
        found += sum(len(c["changes"]) == 2 for c in got)
    assert found > 50  # pairs were found, not only single changes


@settings(max_examples=15)  # each example runs the old search in full
@given(facts)
def test_random_facts_find_the_same_counterfactuals_as_trying_every_pair(f):
    assert pruned(f) == exhaustive(f)


@settings(max_examples=100)
@given(facts)
def test_a_change_applied_from_its_edits_gives_its_facts(f):
    """The pruning compares a pair with one change alone: both must start from the same facts."""
    for c in changes(f):
        assert apply_edits(f, c.edits) == c.facts, c.key


def test_the_reads_of_an_outcome_cover_what_changes_it():
    """A change of a field no outcome read leaves every outcome as it was; a change of a read
    field is what the search tries (jane's duress outcome reads the threats)."""
    jane = facts_for(next(c for c in library().cases if c.id == "jane"))
    e = evaluate(jane)
    assert "threats" in e.reads["duress.england_wales.outcome"]
    assert set(e.reads) == {p for p in e.outcomes() if ".conditions." not in p}
    for c in changes(jane):
        g = evaluate(c.facts).outcomes()
        for path, read in e.reads.items():
            if not read & {x.field.partition("[")[0] for x in c.edits}:
                assert g[path] == e.outcomes()[path], (c.key, path)
