"""Pure scenario editing (npkit.casefile.scenario): the trainee's choices, the checks on every
value, the case they build, saved changes and the downloadable variant. No widget library is
imported here: the module works in a core install (tests/test_core_install.py)."""

import pytest

from npkit.casefile.editing import to_yaml
from npkit.casefile.library import get_case, library
from npkit.casefile.loader import case_from_text
from npkit.casefile.scenario import (
    QUICK,
    Rejected,
    apply_edit,
    build_case,
    describe_changes,
    edited_copy,
    edited_id,
    initial_scenario,
    replay_changes,
    scenario_changes,
)
from npkit.law.facts import facts_for


@pytest.fixture(scope="module")
def jane():
    return get_case("jane")


def _edited(case, *edits):
    s = initial_scenario(case)
    for name, value in edits:
        s = apply_edit(case, s, name, value)
    return s


EDITS = (("quick.imminent_threat", True), ("means.deception", False),
         ("threat.1.target", "close_person"), ("offence.harm", "none"))


def test_pure_edits_refuse_bad_values(jane):
    s = initial_scenario(jane)
    with pytest.raises(Rejected, match="'mind_control' is not one of the means npkit knows"):
        apply_edit(jane, s, "means", ["mind_control"])
    with pytest.raises(Rejected):
        apply_edit(jane, s, "threat.0.imminence", "soon")
    with pytest.raises(Rejected, match="That threat is not recorded"):
        apply_edit(jane, s, "threat.2.imminence", "imminent")  # Jane has two threats
    with pytest.raises(Rejected, match="not part of the scenario lab"):
        apply_edit(jane, s, "offence.charge", "anything")
    with pytest.raises(Rejected, match="expected on or off"):
        apply_edit(jane, s, "quick.escape", 1)
    assert apply_edit(jane, s, "quick.child", True).quick["child"] is True
    assert s.quick["child"] is False  # scenarios are never changed in place
    assert set(QUICK) >= {"imminent_threat", "escape", "voluntary_association",
                          "informed_consent", "ordered", "child", "identified"}


def test_the_initial_scenario_rebuilds_every_shipped_case():
    cases = library().cases
    assert len(cases) >= 5
    for case in cases:
        s = initial_scenario(case)
        assert build_case(case, s) == case, case.id
        assert scenario_changes(case, s) == {} and describe_changes(case, s) == []


def test_edits_build_the_case_they_name(jane):
    case = build_case(jane, _edited(jane, *EDITS))
    period, offence = case.periods[0], case.offences[0]
    assert "deception" not in period.means and "deception" in jane.periods[0].means
    assert [(t.target, t.severity, t.imminence) for t in period.threats] == [
        ("self", "unspecified", "periodic"), ("close_person", "unspecified", "remote"),
        ("self", "serious_harm", "imminent")]
    assert offence.harm == "none" and case.offences[1] == jane.offences[1]
    assert case.person == jane.person and case.narrative == jane.narrative


def test_changes_are_saved_as_fields_and_replay_to_the_same_scenario(jane):
    s = _edited(jane, *EDITS)
    changes = scenario_changes(jane, s)
    assert changes == {
        "quick.imminent_threat": True,
        "means": ["fraud", "confiscated_documents", "confinement", "witnessed_violence",
                  "small_wages", "surveillance", "threat_of_force", "threats_to_family"],
        "threat.1.target": "close_person",
        "offence.harm": "none",
    }
    assert replay_changes(jane, changes) == (s, [])
    assert describe_changes(jane, s) == [
        "added: an imminent threat of serious harm aimed at them",
        "means removed: deception",
        "threat 2, aimed at: family far away → close person",
        "charge, harm caused: property major → none",
    ]


def test_saved_changes_that_cannot_apply_are_skipped_with_a_reason(jane):
    s, skipped = replay_changes(jane, {"quick.escape": "yes", "quick.identified": False,
                                       "threat.9.severity": "death"})
    assert s == _edited(jane, ("quick.identified", False))
    assert len(skipped) == 2
    assert skipped[0].startswith("'quick.escape': ") and "expected on or off" in skipped[0]
    assert "That threat is not recorded" in skipped[1]
    assert replay_changes(jane, None) == (initial_scenario(jane), [])
    s, skipped = replay_changes(jane, ["quick.escape", True])
    assert s == initial_scenario(jane) and "were not a list of facts" in skipped[0]
    s, skipped = replay_changes(jane, {f"quick.x{i}": True for i in range(205)})
    assert skipped[0] == "5 more changes than the lab has controls were ignored."
    assert len(skipped) == 201


def test_the_edited_copy_is_a_valid_case_file_of_its_own(jane):
    edited = build_case(jane, _edited(jane, *EDITS))
    copy = edited_copy(jane, edited, ["means removed: deception"])
    assert copy.id == "jane_edited" and copy.title == jane.title + " (edited)"
    assert copy.expected == {} and copy.source.source == "npkit"
    assert copy.narrative[-1].text == \
        "Changed in npkit's scenario lab: means removed: deception."
    assert facts_for(copy) == facts_for(edited)
    again = case_from_text(to_yaml(copy), expected_id="jane_edited")
    assert again == copy
    assert edited_copy(jane, jane, []).narrative[-1].text.endswith("no fact changed.")


def test_edited_ids_stay_within_the_format():
    assert edited_id("jane") == "jane_edited"
    assert edited_id("jane_edited") == "jane_edited"
    assert edited_id("a" * 60) == "a" * 53 + "_edited"
    assert edited_id("b" * 52 + "-_x") == "b" * 52 + "_edited"
