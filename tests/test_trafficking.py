from builders import trafficked

from npkit.law.trafficking import (
    act,
    consent,
    forced_labour,
    labour_dispute,
    means,
    purpose,
    victim,
)


def test_act_needs_one_of_the_listed_acts():
    assert act(trafficked()).holds
    assert not act(trafficked(acts=frozenset())).holds


def test_means_needed_for_an_adult():
    assert means(trafficked()).holds
    assert not means(trafficked(means=frozenset())).holds


def test_child_needs_no_means():
    f = trafficked(means=frozenset(), age=16)
    assert means(f).holds
    assert victim(f).outcome == "victim"


def test_unknown_age_is_not_a_child_without_the_presumption():
    f = trafficked(means=frozenset(), age=None)
    assert victim(f).outcome == "not_victim"
    assert victim(f, presume_minority=True).outcome == "victim"


def test_eighteen_is_an_adult():
    assert not means(trafficked(means=frozenset(), age=18)).holds


def test_purpose_needed():
    assert purpose(trafficked()).holds
    assert victim(trafficked(purposes=frozenset())).outcome == "not_victim"


def test_every_element_missing_is_named():
    v = victim(trafficked(acts=frozenset(), purposes=frozenset()))
    assert v.decisive.code == "victim.elements.missing"
    assert dict(v.decisive.params)["missing"] == "act, purpose"


def test_consent_irrelevant_once_means_used():
    f = trafficked(knew_work_was_criminal=True, voluntary_association=True)
    assert consent(f).outcome == "irrelevant"
    assert victim(f).holds


def test_consent_effective_without_means_in_a_later_period():
    f = trafficked(means=frozenset(), informed_consent=True, later_period=True,
                   returned_after_rescue=True, rewarded_rather_than_coerced=True)
    assert consent(f).outcome == "effective"
    v = victim(f)
    assert v.outcome == "not_victim"
    assert v.decisive.code == "victim.later_period.returned_rewarded"


def test_forced_labour_needs_penalty_and_involuntariness():
    assert not forced_labour(trafficked()).holds  # no penalty means, no threats
    f = trafficked(means=frozenset({"fines_or_deductions", "confinement"}))
    assert forced_labour(f).holds
    free = trafficked(means=frozenset({"fines_or_deductions"}), informed_consent=True,
                      escape_opportunity=True)
    assert not forced_labour(free).holds


def test_forced_labour_route_is_mentioned_for_forced_criminality():
    f = trafficked(means=frozenset({"physical_abuse", "confinement"}))
    assert "victim.purpose.forced_labour_route" in [r.code for r in purpose(f).reasons]


def test_labour_dispute_framing_is_rejected_not_ignored():
    assert labour_dispute(trafficked()) is None
    f = trafficked(framed_as_labour_dispute=True, contract_signed=True,
                   contract_requires_illegal_work=True)
    node = labour_dispute(f)
    assert node.outcome == "rejected"
    assert [r.code for r in node.reasons] == ["victim.labour_dispute.consent_irrelevant",
                                              "victim.labour_dispute.void_cambodia"]
    assert victim(f).holds
