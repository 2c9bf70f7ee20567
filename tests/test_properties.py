"""Invariants that must hold for any facts, checked with hypothesis."""

from dataclasses import replace

from citation_checks import citation_problem
from fact_strategies import any_facts
from hypothesis import given, settings
from hypothesis import strategies as st

from npkit.law.duress import VARIANTS, duress
from npkit.law.models import MODELS
from npkit.law.trafficking import victim
from npkit.law.vocabulary import (
    Means,
)

facts = any_facts()


@settings(max_examples=300, deadline=None)
@given(facts, st.integers(0, 17))
def test_a_child_never_needs_means(f, age):
    child = replace(f, age=age)
    assert victim(child).holds == victim(replace(child, means=frozenset())).holds
    if child.acts and child.purposes:
        assert victim(child).holds


@settings(max_examples=300, deadline=None)
@given(facts)
def test_duress_never_succeeds_without_an_imminent_threat(f):
    for v in VARIANTS:
        d = duress(f, v)
        if d.holds:
            assert d.child("imminent_threat").holds
            assert any(t.imminence in ("imminent", "continuing") for t in f.threats)
    assert not any(duress(replace(f, threats=()), v).holds for v in VARIANTS)


@settings(max_examples=300, deadline=None)
@given(facts, st.sampled_from([e.value for e in Means]))
def test_adding_a_means_never_unmakes_a_victim(f, extra):
    if victim(f).holds:
        assert victim(replace(f, means=f.means | {extra})).holds


@settings(max_examples=300, deadline=None)
@given(facts)
def test_no_model_protects_a_non_victim_except_by_presumption(f):
    # the presumption may protect a non-victim: a missing fact is not a rebuttal (its own
    # properties are in tests/test_victim_properties.py)
    v = victim(f)
    if not v.holds:
        for name, fn in MODELS.items():
            if name != "presumption":
                assert fn(f, v).outcome == "not_protected", name


@settings(max_examples=300, deadline=None)
@given(facts)
def test_broad_compulsion_protects_whenever_strict_does(f):
    v = victim(f)
    if MODELS["compulsion_strict"](f, v).holds:
        assert MODELS["compulsion_broad"](f, v).holds


@settings(max_examples=300, deadline=None)
@given(facts)
def test_narrower_causation_readings_never_protect_more(f):
    v = victim(f)
    broad = MODELS["causation"](f, v).holds
    for narrow in ("causation_temporal", "causation_direct"):
        if MODELS[narrow](f, v).holds:
            assert broad


@settings(max_examples=300, deadline=None)
@given(facts)
def test_every_finding_has_a_reason_with_a_source(f):
    v = victim(f)
    nodes = [v] + [fn(f, v) for fn in MODELS.values()] + [duress(f, k) for k in VARIANTS]
    for root in nodes:
        for node in root.walk():
            assert node.reasons, node.test
            problems = [citation_problem(r.source, r.text) for r in node.reasons]
            assert not any(problems), (node.test, problems)
