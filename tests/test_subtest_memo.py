"""The parts of a test filed by the facts they read (npkit.engine.memo.subtest: the duress
conditions, the victim test's elements, the models' own tests, a row's coverage) change speed,
never results. With the part memo on, every case assesses as with it off, and random facts
evaluate the same after other facts filled it, findings, the fields each outcome read and
outcome-only findings alike. A part filed under fewer fields than it read is caught by these
same comparisons (the last tests leave one out on purpose and see them fail)."""

import importlib
import pkgutil
from contextlib import contextmanager

from hypothesis import given, settings
from hypothesis import strategies as st
from test_properties import facts

import npkit.law
from npkit.casefile.library import library
from npkit.engine import memo
from npkit.engine.assessment import LazyEvaluation, assess, evaluate
from npkit.law import duress as duress_mod
from npkit.law.facts import Facts, ThreatFact, facts_for
from npkit.law.wording import unworded
from npkit.render.json import to_dict


def _users() -> list:
    """Every law module that files parts of its tests with the memo."""
    found = []
    for info in pkgutil.walk_packages(npkit.law.__path__, "npkit.law."):
        module = importlib.import_module(info.name)
        if getattr(module, "subtest", None) is memo.subtest:
            found.append(module)
    return found


def _direct(fn, f, *args):
    return fn(f, *args)


@contextmanager
def parts_off():
    """The part memo switched off in every law module that uses it."""
    saved = {m: m.subtest for m in _users()}
    try:
        for module in saved:
            module.subtest = _direct
        yield
    finally:
        for module, fn in saved.items():
            module.subtest = fn


def _dicts(cases) -> list[dict]:
    evaluate.cache_clear()
    return [to_dict(assess(c, o.id)) for c in cases for o in c.offences]


def _whole(f: Facts) -> tuple:
    """Everything an evaluation of ``f`` gives, worked out afresh (no cached evaluation)."""
    e = evaluate.__wrapped__(f)
    trees = [n.to_dict() for n in (e.victim, *e.duress.values(), *e.models.values(),
                                   *e.jurisdictions.values(), *e.instruments.values())]
    return trees, e.reads


def _outcomes_only(f: Facts) -> dict[str, str]:
    lazy = LazyEvaluation(f, outcomes_only=True)
    return {p: lazy.outcome(p) for p in evaluate(f).outcomes() if ".conditions." not in p}


def test_the_parts_are_filed_by_the_duress_and_victim_tests():
    names = {m.__name__ for m in _users()}
    assert {"npkit.law.duress", "npkit.law.trafficking", "npkit.law.models.causation",
            "npkit.law.models.closed_list", "npkit.law.models.compulsion",
            "npkit.law.models.dual_factor", "npkit.law.models.presumption",
            "npkit.law.jurisdictions"} <= names


def test_every_case_assesses_the_same_with_and_without_the_part_memo():
    cases = library().cases
    with_parts = _dicts(cases)
    assert memo.SUBTESTS.size > 0  # the parts were filed
    with parts_off():
        without = _dicts(cases)
    assert len(with_parts) >= 16 and with_parts == without
    assert sum(len(d["counterfactuals"]) for d in without) > 100


@settings(max_examples=60, deadline=None)
@given(st.lists(facts, min_size=2, max_size=5))
def test_random_facts_evaluate_the_same_after_others_filled_the_part_memo(seq):
    evaluate.cache_clear()
    for f in seq[:-1]:
        evaluate(f)  # files parts for neighbouring facts, worded ...
        with unworded():
            _outcomes_only(f)  # ... and outcome-only
    last = seq[-1]
    got = _whole(last), _outcomes_only(last)
    evaluate.cache_clear()
    memo.SUBTESTS.clear()
    fresh = _whole(last), _outcomes_only(last)
    assert got == fresh


@settings(max_examples=60, deadline=None)
@given(facts)
def test_random_facts_evaluate_the_same_with_the_part_memo_off(f):
    evaluate.cache_clear()
    got = _whole(f), _outcomes_only(f)
    evaluate.cache_clear()
    with parts_off():
        off = _whole(f), _outcomes_only(f)
    evaluate.cache_clear()
    assert got == off


def test_worded_and_outcome_only_parts_are_filed_apart():
    jane = facts_for(next(c for c in library().cases if c.id == "jane"))
    evaluate.cache_clear()
    LazyEvaluation(jane, outcomes_only=True).duress("england_wales")  # unworded parts first
    worded = evaluate(jane)
    for node in worded.duress["england_wales"].walk():
        assert all(r.text for r in node.reasons), node.test
    assert worded.victim.child("act").reasons[0].text


def test_on_plain_facts_a_part_just_runs():
    """Outside an evaluation (a unit test, a rule page) nothing is filed."""
    evaluate.cache_clear()
    calls = []
    assert memo.subtest(lambda f, x: calls.append(x) or f.age, Facts(age=3), "x") == 3
    assert memo.subtest(lambda f, x: calls.append(x) or f.age, Facts(age=3), "x") == 3
    assert calls == ["x", "x"] and memo.SUBTESTS.size == 0


def test_a_reused_part_counts_as_read_by_the_test_that_asked_for_it():
    """The test that asks for a part is filed under the part's fields too, computed or
    reused."""
    calls = []

    def part(h):
        calls.append(h)
        return h.escape_opportunity

    def whole(g):
        return memo.subtest(part, g)

    evaluate.cache_clear()
    _, first = memo.ReadMemo().get_traced(Facts(escape_opportunity=True), whole)
    _, again = memo.ReadMemo().get_traced(Facts(escape_opportunity=True, age=4), whole)
    assert len(calls) == 1  # the second time the part was reused
    assert first == again == {"escape_opportunity"}
    evaluate.cache_clear()


def test_the_part_memo_is_cleared_with_the_evaluations():
    """The benchmark's cold run clears every cache it finds (evaluate.cache_clear): the parts
    go with it."""
    evaluate.cache_clear()
    assess(next(c for c in library().cases if c.id == "jane"))
    assert memo.SUBTESTS.size > 0
    evaluate.cache_clear()
    assert memo.SUBTESTS.size == 0
    assert all(m.size == 0 for m in memo.SUBTESTS._memos.values())


# --- the comparisons above can fail ----------------------------------------------------------


class _Hiding:
    """A traced view whose reads of ``hidden`` are not noted: a part that reads it is filed
    as if it had not (a key that leaves a read field out)."""

    def __init__(self, view, hidden: str) -> None:
        self._view, self._hidden = view, hidden

    def __getattr__(self, name):
        if name == self._hidden:
            return getattr(self._view._facts, name)
        return getattr(self._view, name)


def _leaky(monkeypatch, hidden: str) -> None:
    conditions = duress_mod._condition

    def condition(f, name, variant):
        return conditions(_Hiding(f, hidden) if type(f) is memo._Traced else f, name, variant)

    monkeypatch.setattr(duress_mod, "_condition", condition)


def test_a_part_filed_without_a_field_it_read_is_caught_on_the_cases(monkeypatch):
    cases = library().cases
    with parts_off():
        right = _dicts(cases)
    _leaky(monkeypatch, "threats")  # the imminent-threat condition reads the threats
    assert _dicts(cases) != right
    evaluate.cache_clear()


def test_a_part_filed_without_a_field_it_read_is_caught_on_random_facts(monkeypatch):
    """Two facts that differ only in the field left out: the second reuses the first's part."""
    _leaky(monkeypatch, "escape_opportunity")
    threat = (ThreatFact("self", "death", "imminent"),)
    first = Facts(threats=threat, escape_opportunity=False)
    second = Facts(threats=threat, escape_opportunity=True)
    evaluate.cache_clear()
    _whole(first)
    leaky = _whole(second)
    evaluate.cache_clear()
    assert leaky != _whole(second)
    evaluate.cache_clear()
