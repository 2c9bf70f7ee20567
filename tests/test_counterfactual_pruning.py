"""The counterfactual search skips fact changes that provably cannot flip an outcome (issue 16).
What it skips must never change what it finds: the pruned search equals a search that tries
every pair (the memo bypassed and every field counted as read), for every case and for random
facts; and the shortcuts it rests on hold."""

from hypothesis import given, settings
from test_properties import facts

from npkit.casefile.library import library
from npkit.engine import memo
from npkit.engine.assessment import evaluate
from npkit.engine.counterfactuals import apply_edits, changes, counterfactuals
from npkit.law.facts import Facts, facts_for


def exhaustive(f: Facts) -> list[dict]:
    """The search with no read traced: every pair of changes is evaluated."""
    evaluate.cache_clear()
    original = memo.ReadMemo.get_traced
    memo.ReadMemo.get_traced = lambda self, g, compute, inputs=(): (compute(g), memo.ALL_FIELDS)
    try:
        return [c.to_dict() for c in counterfactuals(f)]
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


@settings(max_examples=40)
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
