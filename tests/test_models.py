from builders import threatened, trafficked

from npkit.law.models import MODELS
from npkit.law.trafficking import victim


def run(name, f):
    return MODELS[name](f, victim(f))


NOT_VICTIM = dict(means=frozenset(), informed_consent=True, later_period=True)


def test_every_model_refuses_a_non_victim():
    f = trafficked(**NOT_VICTIM)
    for name in MODELS:
        assert run(name, f).outcome == "not_protected", name


def test_strict_compulsion_needs_force_or_an_immediate_threat():
    assert run("compulsion_strict", trafficked()).outcome == "not_protected"
    f = trafficked(means=frozenset({"deception", "physical_abuse"}))
    assert run("compulsion_strict", f).outcome == "protected"
    assert run("compulsion_strict", threatened(imminence="continuing")).outcome == "protected"
    assert run("compulsion_strict", threatened(imminence="periodic")).outcome == "not_protected"
    assert run("compulsion_strict", trafficked(
        means=frozenset({"physical_abuse"}), ordered_by_trafficker=False,
        offence_category="secondary")).outcome == "not_protected"


def test_broad_compulsion_counts_subtle_means():
    assert run("compulsion_broad", trafficked()).outcome == "protected"
    f = trafficked(ordered_by_trafficker=False, offence_category="other")
    assert run("compulsion_broad", f).outcome == "not_protected"


def test_causation_readings():
    after = trafficked(committed="after")
    assert run("causation", after).outcome == "protected"
    assert run("causation_temporal", after).outcome == "not_protected"
    mehak = trafficked(offence_category="other", connected_to_exploited_work=False,
                       offence_type="manslaughter", harm="death")
    assert run("causation", mehak).outcome == "protected"
    assert run("causation_direct", mehak).outcome == "not_protected"
    assert run("causation", trafficked(but_for_trafficking=False)).outcome == "not_protected"


def test_closed_list_covers_the_listed_offences_only():
    assert run("closed_list", trafficked()).outcome == "not_protected"
    f = trafficked(offence_type="overstay", offence_category="status")
    assert run("closed_list", f).outcome == "protected"


def test_presumption_does_not_wait_for_identification():
    f = trafficked(identification="identified_as_offender")
    node = run("presumption", f)
    assert node.outcome == "protected"
    assert any("would block" in r.text for r in node.reasons)


def test_presumption_of_minority():
    f = trafficked(means=frozenset(), age=None)
    assert victim(f).outcome == "not_victim"
    assert run("presumption", f).outcome == "protected"


def test_presumption_rebutted_for_informed_return():
    assert run("presumption", trafficked(**NOT_VICTIM)).outcome == "not_protected"


def test_dual_factor_middle_ground_and_label():
    strong = run("dual_factor", threatened())
    assert strong.outcome == "protected"
    assert strong.is_npkit_reading
    # determination 2 (deception, deceived) against free choice 4 (knew, joined, could escape)
    free = run("dual_factor", trafficked(
        means=frozenset({"deception"}), ordered_by_trafficker=False, knew_work_was_criminal=True,
        voluntary_association=True, escape_opportunity=True, offence_category="other"))
    assert free.outcome == "not_protected"
    middle = run("dual_factor", trafficked(knew_work_was_criminal=True,
                                           voluntary_association=True,
                                           escape_opportunity=True))
    assert middle.outcome == "discretionary"


def test_identification_note_on_protected_unidentified_victim():
    node = run("causation", trafficked(identification="identified_as_offender"))
    assert node.outcome == "protected"
    assert any("identified" in r.text for r in node.reasons[1:])


def test_dual_factor_needs_the_offence_to_depend_on_the_trafficking():
    assert run("dual_factor", threatened()).outcome == "protected"
    assert run("dual_factor", threatened(but_for_trafficking=False)).outcome == "not_protected"


def test_rebuttal_reason_names_the_real_failure_not_the_age_note():
    node = run("presumption", trafficked(**NOT_VICTIM))
    assert node.child("rebutted").decisive.code == "models.presumption.rebutted.consent"
