"""The facts the case format gained in issue 11 §5, from the YAML a trainer writes to the
outcome, its decisive code and its marks; the old form of the rewards fact; the warnings
``npkit validate`` gives on facts that contradict each other; and ids it suggests."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
from builders import ana_variant
from hypothesis import given, settings
from hypothesis import strategies as st

from npkit.casefile.case import SLUG_MAX, SLUG_PATTERN, suggest_id
from npkit.casefile.editing import edit_period
from npkit.casefile.loader import CaseFileError, case_from_text, load_case, load_cases
from npkit.cli import main
from npkit.engine.assessment import evaluate
from npkit.engine.counterfactuals import apply_edits, counterfactuals
from npkit.law.citations import Confidence
from npkit.law.facts import Facts, facts_for
from npkit.law.facts import ThreatFact as T
from tests.builders import threatened, trafficked

FIXTURES = Path(__file__).parent / "fixtures"
CASES = Path(__file__).parent.parent / "cases"
ANA = FIXTURES / "cases" / "ana.yaml"
READING, OUTSIDE = Confidence.NPKIT_READING, Confidence.OUTSIDE_SOURCES


ana = ana_variant


def line_of(path: Path, snippet: str) -> int:
    hits = [i for i, line in enumerate(path.read_text().splitlines(), 1) if snippet in line]
    assert len(hits) == 1, hits
    return hits[0]


def codes(node) -> set[str]:
    return {r.code for n in node.walk() for r in n.reasons}


# --------------------------------------------------------------------------- the YAML shape


NEW_FACTS = {
    "  age: 24\n": "  claimed_age: 16\n",
    "      deceived_about: [nature_of_work, conditions]\n":
        "      deceived_about: [nature_of_work, conditions]\n      age: 16\n",
    "    means: [deception, confiscated_documents, threat_of_force, confinement]\n":
        "    means: [deception, confiscated_documents, threat_of_force, confinement]\n"
        "    rewards: alongside_coercion\n    unknown: [purposes]\n",
    "    purposes: [forced_criminality]\n": "",
    "      - target: self\n        severity: serious_harm\n":
        "      - target: close_family_elsewhere\n        severity: beating\n",
    "    harm: property_major\n": "    harm: loss_of_liberty\n    harmed_other_victims: true\n",
}


def test_every_new_fact_is_read_from_the_case_file_into_the_facts(tmp_path):
    case = load_case(ana(tmp_path, NEW_FACTS))
    f = facts_for(case)
    assert (f.age, f.claimed_age, f.age_at_recruitment) == (None, 16, 16)
    assert f.rewards == "alongside_coercion"
    assert f.purposes_unknown and not f.means_unknown and f.unknown_purposes
    assert f.threats[0].target == "close_family_elsewhere" and f.threats[0].severity == "beating"
    assert f.harm == "loss_of_liberty" and f.harmed_other_victims
    assert f.age_unknown and f.claimed_child and not f.is_child


def test_defaults_keep_the_old_facts():
    f = Facts()
    assert (f.claimed_age, f.age_at_recruitment, f.rewards) == (None, None, "none")
    assert not (f.means_unknown or f.purposes_unknown or f.harmed_other_victims)


def test_an_element_both_listed_and_unknown_is_an_error_at_its_line(tmp_path):
    path = ana(tmp_path, {"    purposes: [forced_criminality]\n":
                          "    purposes: [forced_criminality]\n    unknown: [purposes]\n"})
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    [error] = info.value.errors
    assert error.field == "periods[0].purposes" and "either listed or unknown" in error.message
    assert error.line == line_of(path, "purposes: [forced_criminality]")


# --------------------------------------------------------------------------- the old form


@pytest.mark.parametrize(("old", "new"), [("true", "instead_of_coercion"), ("false", "none")])
def test_the_old_yes_no_rewards_fact_still_reads(tmp_path, old, new):
    path = ana(tmp_path, {"    purposes: [forced_criminality]\n":
                          f"    purposes: [forced_criminality]\n"
                          f"    rewarded_rather_than_coerced: {old}\n"})
    case = load_case(path)
    assert case.periods[0].rewards == new
    assert case.periods[0].rewarded_rather_than_coerced is (old == "true")
    [warning] = [w for w in load_cases(path).warnings
                 if w.field == "periods[0].rewarded_rather_than_coerced"]
    assert warning.line == line_of(path, "rewarded_rather_than_coerced")
    assert f"rewards: {new}" in warning.message


def test_the_old_fact_that_is_not_yes_or_no_is_an_error(tmp_path):
    path = ana(tmp_path, {"    purposes: [forced_criminality]\n":
                          "    purposes: [forced_criminality]\n"
                          "    rewarded_rather_than_coerced: often\n"})
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    assert "not true or false" in str(info.value)


def test_editing_through_the_old_name_round_trips_as_the_scenario_lab_does():
    sarah = load_case(CASES / "sarah.yaml")
    second = sarah.period("second")
    assert second.rewards == "instead_of_coercion"
    off = edit_period(sarah, "second", rewarded_rather_than_coerced=False).period("second")
    assert off.rewards == "none"
    on = edit_period(sarah, "first", rewarded_rather_than_coerced=True).period("first")
    assert on.rewards == "instead_of_coercion"
    both = edit_period(sarah, "second", rewards="alongside_coercion",
                       rewarded_rather_than_coerced=False).period("second")
    assert both.rewards == "alongside_coercion"  # false clears only 'instead of coercion'


def test_facts_still_accept_the_old_field_name():
    old = Facts(rewarded_rather_than_coerced=True)
    assert old.rewards == "instead_of_coercion"
    assert replace(old, rewards="none").rewards == "none"
    assert old == Facts(rewards="instead_of_coercion")


def test_no_case_file_uses_the_old_form_any_more():
    for folder in (CASES, FIXTURES / "cases", FIXTURES / "mixed"):
        for path in folder.glob("*.yaml"):
            assert "rewarded_rather_than_coerced" not in path.read_text(), path


# --------------------------------------------------------------------------- duress


def test_england_wales_counts_close_family_elsewhere_and_marks_the_reading():
    f = threatened(severity="death", target="close_family_elsewhere", harm="property_major")
    e = evaluate(f)
    ew = e.duress["england_wales"]
    threat = ew.child("imminent_threat")
    assert threat.holds and "duress.imminent_threat.close_family_elsewhere" in codes(threat)
    assert ew.outcome == "succeeds" and READING in ew.marks
    my = e.duress["malaysia"]
    assert my.outcome == "fails"
    assert my.decisive.code == "duress.imminent_threat.not_aimed" and OUTSIDE in my.marks
    assert e.duress["rome_statute"].child("imminent_threat").holds


def test_close_person_at_hand_needs_no_reading():
    threat = evaluate(threatened(severity="death", target="close_person")).duress[
        "england_wales"].child("imminent_threat")
    assert threat.holds and "duress.imminent_threat.close_family_elsewhere" not in codes(threat)
    assert threat.marks == ()


@pytest.mark.parametrize("variant", ["england_wales", "malaysia", "rome_statute"])
def test_a_beating_is_below_the_threat_duress_needs(variant):
    node = evaluate(threatened(severity="beating")).duress[variant]
    assert node.outcome == "fails"
    assert node.decisive.code == "duress.imminent_threat.beating"
    assert node.decisive.source.authority.startswith("Simester and Sullivan")


@pytest.mark.parametrize(("severity", "harm", "holds"), [
    ("beating", "property_major", True),
    ("beating", "bodily_harm", True),
    ("beating", "loss_of_liberty", False),
    ("serious_harm", "loss_of_liberty", True),
    ("lesser_harm", "harm_to_others", False),
    ("beating", "harm_to_others", True),
])
def test_proportionality_ranks_the_new_harms_and_marks_the_ranking(severity, harm, holds):
    node = evaluate(threatened(severity=severity, harm=harm)).duress["england_wales"].child(
        "proportionate")
    assert node.holds is holds
    assert "duress.proportionate.ranking" in {r.code for r in node.also_rests_on}
    assert READING in node.marks


def test_a_defence_that_rests_on_the_ranking_shows_it_at_the_outcome():
    ew = evaluate(threatened(harm="loss_of_liberty")).duress["england_wales"]
    assert ew.outcome == "succeeds"
    assert "duress.proportionate.ranking" in {r.code for r in ew.also_rests_on}


def test_old_harms_carry_no_ranking_reason():
    node = evaluate(threatened(harm="property_major")).duress["england_wales"].child(
        "proportionate")
    assert "duress.proportionate.ranking" not in codes(node)


# --------------------------------------------------------------------------- victim test


def test_unknown_means_is_neither_met_nor_failed_and_the_presumption_protects():
    f = trafficked(means=frozenset(), means_unknown=True)
    e = evaluate(f)
    assert e.victim.child("means").outcome == "unknown" and e.victim.child("means").holds is None
    assert e.victim.outcome == "not_victim"
    assert e.victim.decisive.code == "victim.elements.unknown" and READING in e.victim.marks
    presumption = e.models["presumption"]
    assert presumption.outcome == "protected"
    assert presumption.child("rebutted").decisive.code == "models.presumption.not_rebutted.gap"


def test_unknown_means_with_informed_consent_is_not_sarahs_later_period():
    f = trafficked(means=frozenset(), means_unknown=True, informed_consent=True,
                   later_period=True, rewards="instead_of_coercion")
    e = evaluate(f)
    assert e.victim.decisive.code == "victim.elements.unknown"
    assert e.victim.child("consent").outcome == "open"
    assert e.models["presumption"].outcome == "protected"
    known = evaluate(replace(f, means_unknown=False))
    assert known.victim.decisive.code == "victim.later_period.rewarded"
    assert known.models["presumption"].outcome == "not_protected"


def test_listed_means_make_an_unknown_flag_moot():
    f = trafficked(means_unknown=True)
    assert evaluate(f).victim.outcome == "victim" and not f.unknown_means


def test_unknown_purpose_and_missing_act_still_say_missing():
    e = evaluate(trafficked(purposes=frozenset(), purposes_unknown=True, acts=frozenset()))
    assert e.victim.decisive.code == "victim.elements.missing"


def test_a_child_when_recruited_needs_no_means_with_its_marks():
    e = evaluate(trafficked(age=19, age_at_recruitment=16, means=frozenset()))
    assert e.victim.outcome == "victim" and e.victim.exception == "victim.means.child"
    assert e.victim.decisive.code == "victim.elements.present_child_at_recruitment"
    assert {READING, OUTSIDE} <= set(e.victim.marks)
    adult = evaluate(trafficked(age=19, age_at_recruitment=18, means=frozenset()))
    assert adult.victim.outcome == "not_victim"


def test_a_claimed_age_is_not_an_established_one():
    child = trafficked(age=None, claimed_age=16, means=frozenset())
    e = evaluate(child)
    assert e.victim.outcome == "not_victim"
    assert e.victim.child("means").decisive.code == "victim.means.none_claimed_age"
    presumption = e.models["presumption"]
    assert presumption.outcome == "protected"
    assert "models.presumption.minority_claimed" in codes(presumption)
    adult = evaluate(replace(child, claimed_age=30)).models["presumption"]
    assert "models.presumption.minority_claimed_adult" in codes(adult)
    assert READING in adult.marks


def test_rewards_alongside_coercion_leave_the_consent_nullified():
    f = trafficked(informed_consent=True, rewards="alongside_coercion",
                   means=frozenset({"physical_abuse"}), later_period=True)
    e = evaluate(f)
    assert e.victim.outcome == "victim"
    consent = e.victim.child("consent")
    assert consent.outcome == "irrelevant"
    assert "victim.consent.rewards_and_coercion" in {r.code for r in consent.reasons}


# --------------------------------------------------------------------------- Dual-Factor


def test_dual_factor_weighs_rewards_alongside_coercion_less_than_rewards_instead():
    def free(rewards):
        return evaluate(trafficked(rewards=rewards)).models["dual_factor"].facts["free_choice"]

    assert free("alongside_coercion") == free("none") + 1
    assert free("instead_of_coercion") == free("none") + 2


def test_harming_other_victims_moves_the_dual_factor_to_its_middle_ground():
    f = trafficked(means=frozenset({"deception"}), deceived_about=frozenset(),
                   knew_work_was_criminal=True, offence_category="secondary",
                   offence_type="trafficking_in_persons", harm="loss_of_liberty")
    assert evaluate(f).models["dual_factor"].outcome == "protected"
    harming = evaluate(replace(f, harmed_other_victims=True)).models["dual_factor"]
    assert harming.outcome == "discretionary"
    assert harming.decisive.code == "models.dual_factor.middle_ground"
    assert READING in harming.marks
    back = [cf for cf in counterfactuals(replace(f, harmed_other_victims=True), per_outcome=50)
            if cf.path == "models.dual_factor.outcome"]
    assert any(e.field == "harmed_other_victims" for cf in back for e in cf.edits)
    for cf in back:
        again = evaluate(apply_edits(replace(f, harmed_other_victims=True), cf.edits))
        assert str(again.outcomes()[cf.path]) == cf.after


def test_every_reason_about_the_new_facts_has_a_code():
    for f in (trafficked(means=frozenset(), means_unknown=True),
              trafficked(purposes=frozenset(), purposes_unknown=True),
              trafficked(age=19, age_at_recruitment=16, means=frozenset()),
              trafficked(age=None, claimed_age=30),
              trafficked(rewards="alongside_coercion", informed_consent=True),
              trafficked(harmed_other_victims=True, harm="loss_of_liberty"),
              threatened(severity="beating", target="close_family_elsewhere",
                         harm="harm_to_others")):
        e = evaluate(f)
        roots = [e.victim, *e.duress.values(), *e.models.values(), *e.jurisdictions.values()]
        assert all(r.code for root in roots for n in root.walk() for r in n.reasons)


# --------------------------------------------------------------------------- warnings


WARNED = [
    ({"    escape:\n      reasonable_opportunity: false\n":
      "    informed_consent: true\n    escape:\n      reasonable_opportunity: false\n"},
     "periods[0].informed_consent", "informed_consent: true"),
    ({"    escape:\n      reasonable_opportunity: false\n":
      "    rewards: instead_of_coercion\n    escape:\n      reasonable_opportunity: false\n"},
     "periods[0].rewards", "rewards: instead_of_coercion"),
    ({"      reasonable_opportunity: false\n": "      reasonable_opportunity: true\n"},
     "periods[0].escape.reasonable_opportunity", "reasonable_opportunity: true"),
    ({"  age: 24\n": "  age: 16\n  claimed_age: 19\n"}, "person.claimed_age", "claimed_age"),
    ({"      - target: self\n        severity: serious_harm\n        imminence: periodic\n":
      "      - target: family_far_away\n        severity: death\n        imminence: imminent\n"},
     "periods[0].threats[0].target", "target: family_far_away"),
    ({"      deceived_about: [nature_of_work, conditions]\n":
      "      deceived_about: [nature_of_work, conditions]\n      age: 30\n"},
     "periods[0].recruitment.age", "      age: 30"),
]


@pytest.mark.parametrize(("change", "field", "snippet"), WARNED, ids=[w[1] for w in WARNED])
def test_contradicting_facts_warn_at_their_line_and_still_load(tmp_path, change, field, snippet):
    path = ana(tmp_path, change)
    result = load_cases(path)
    assert result.ok and len(result.cases) == 1
    [warning] = result.warnings
    assert warning.severity == "warning" and warning.field == field
    assert warning.line == line_of(path, snippet)
    assert str(warning).startswith(f"{path}:{warning.line}: {field}: warning: ")


def test_no_shipped_case_has_a_contradiction():
    result = load_cases(CASES, FIXTURES / "cases")
    assert result.ok and result.warnings == []


def test_validate_prints_warnings_and_still_passes(tmp_path, capsys):
    path = ana(tmp_path, WARNED[0][0])
    assert main(["validate", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{path}:") and ": warning: " in out[0]
    assert out[-1] == ("validated 1 file: 1 ok, 0 with errors; 1 warning (facts that "
                       "disagree)")


# --------------------------------------------------------------------------- suggested ids


def test_a_file_name_that_is_no_valid_id_is_never_offered_as_one(tmp_path):
    path = ana(tmp_path, {}, name="Ana Copy.yaml")
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    [error] = info.value.errors
    offered = re.findall(r"change the id to '([^']*)'", error.message)
    assert offered == ["ana-copy"]
    assert "'Ana Copy'" not in error.message


def test_a_valid_file_name_is_offered_as_the_id(tmp_path):
    path = ana(tmp_path, {}, name="ana-2.yaml")
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    assert "change the id to 'ana-2'" in info.value.errors[0].message


def test_a_mistyped_id_gets_a_suggestion_that_passes_the_rule():
    text = ANA.read_text().replace("id: ana\n", "id: Ana Case\n", 1)
    with pytest.raises(CaseFileError) as info:
        case_from_text(text)
    assert "perhaps 'ana-case'" in str(info.value)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=90))
def test_a_suggested_id_always_passes_the_id_rule(text):
    slug = suggest_id(text)
    if slug is not None:
        assert re.match(SLUG_PATTERN, slug) and len(slug) <= SLUG_MAX
        assert suggest_id(slug) == slug


# --------------------------------------------------------------------------- properties


NEW_FACT_VALUES = st.fixed_dictionaries({
    "means": st.sampled_from([frozenset(), frozenset({"deception"}),
                              frozenset({"physical_abuse"})]),
    "means_unknown": st.booleans(),
    "purposes_unknown": st.booleans(),
    "age": st.sampled_from([None, 16, 19, 30]),
    "claimed_age": st.sampled_from([None, 15, 25]),
    "age_at_recruitment": st.sampled_from([None, 15, 19]),
    "rewards": st.sampled_from(["none", "instead_of_coercion", "alongside_coercion"]),
    "harmed_other_victims": st.booleans(),
    "informed_consent": st.booleans(),
    "later_period": st.booleans(),
    "harm": st.sampled_from(["loss_of_liberty", "harm_to_others", "property_major"]),
    "threats": st.sampled_from([(), (T("close_family_elsewhere", "death", "imminent"),),
                                (T("self", "beating", "continuing"),)]),
})


@settings(max_examples=60, deadline=None)
@given(NEW_FACT_VALUES)
def test_counterfactuals_with_the_new_facts_re_apply_to_their_stated_outcome(values):
    f = trafficked(**values)
    base = evaluate(f).outcomes()
    for cf in counterfactuals(f):
        assert cf.before == str(base[cf.path])
        after = evaluate(apply_edits(f, cf.edits)).outcomes()[cf.path]
        assert str(after) == cf.after, cf.sentence()


@settings(max_examples=100, deadline=None)
@given(NEW_FACT_VALUES)
def test_unknown_means_never_rebut_the_presumption_by_consent(values):
    f = trafficked(**{**values, "means": frozenset(), "means_unknown": True})
    rebuttal = evaluate(f).models["presumption"].child("rebutted")
    assert rebuttal.decisive.code != "models.presumption.rebutted.consent"
