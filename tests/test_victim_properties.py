"""Properties of counterfactuals (their changes as data) and of the presumption model, checked
with hypothesis and on every case file (issue 11 §2 and §6)."""

from dataclasses import replace
from pathlib import Path

import pytest
from fact_strategies import any_facts
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npkit.casefile.library import get_case
from npkit.engine.assessment import evaluate
from npkit.engine.counterfactuals import Edit, apply_edits, counterfactuals, diff
from npkit.law.facts import Facts, facts_for
from npkit.law.models import MODELS
from npkit.law.trafficking import victim

CASES = sorted(p.stem for p in (Path(__file__).parents[1] / "cases").glob("*.yaml"))


facts = any_facts(sets=3, max_threats=2, ages=(10, 40))


def check_counterfactuals(f: Facts) -> None:
    base = evaluate(f).outcomes()
    for cf in counterfactuals(f):
        assert cf.before == str(base[cf.path])
        assert len(cf.steps) == len(cf.changes) or len(cf.steps) == 2
        assert all(s.edits for s in cf.steps), cf.sentence()
        # re-applied through its edits alone, it gives the outcome it states
        after = evaluate(apply_edits(f, cf.edits)).outcomes()[cf.path]
        assert str(after) == cf.after, cf.sentence()
        if len(cf.steps) == 2:
            a, b = cf.steps
            assert not {e.field for e in a.edits} & {e.field for e in b.edits}, cf.sentence()
            for step in cf.steps:  # neither change flips it alone
                alone = evaluate(apply_edits(f, step.edits)).outcomes()[cf.path]
                assert str(alone) == cf.before, (cf.sentence(), step.text)
        # the JSON carries the same edits
        d = cf.to_dict()
        assert [(e["field"], e["from"], e["to"]) for e in d["edits"]] == [
            (e.field, e.before, e.after) for e in cf.edits]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(facts)
def test_every_counterfactual_reapplied_gives_its_outcome_and_pairs_are_minimal(f):
    check_counterfactuals(f)


@pytest.mark.parametrize("case_id", CASES)
def test_case_counterfactuals_reapply(case_id):
    check_counterfactuals(facts_for(get_case(case_id)))


@settings(max_examples=200, deadline=None)
@given(facts, facts)
def test_diff_then_apply_is_the_identity(f, g):
    assert apply_edits(f, diff(f, g)) == g


def test_an_edit_made_from_other_facts_is_refused():
    f = Facts(age=20)
    with pytest.raises(ValueError):
        apply_edits(f, [Edit("age", 30, 16)])


# --- the presumption: a missing fact is not a rebuttal ----------------------------------


def _consent_stands(f: Facts) -> bool:
    v = victim(f, presume_minority=True)
    return f.informed_consent and v.child("consent").outcome == "effective" and not v.holds


@settings(max_examples=300, deadline=None)
@given(facts)
def test_presumption_is_rebutted_only_by_facts_that_show_it(f):
    node = MODELS["presumption"](f, victim(f))
    indicators = bool(f.acts) and bool(f.means or f.purposes)
    shown = _consent_stands(f) or not f.but_for_trafficking
    assert node.holds == (indicators and not shown)
    if node.child("rebutted").holds:
        assert node.child("rebutted").decisive.code in (
            "models.presumption.rebutted.consent", "models.presumption.rebutted.no_link")


@settings(max_examples=300, deadline=None)
@given(facts, st.sampled_from(["means", "purposes"]))
def test_removing_a_fact_never_rebuts_a_presumption_that_still_arises(f, field):
    before = MODELS["presumption"](f, victim(f))
    g = replace(f, **{field: frozenset()})
    after = MODELS["presumption"](g, victim(g))
    if before.holds and after.child("indicators").holds and not _consent_stands(g):
        assert after.holds
