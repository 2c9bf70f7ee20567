"""Where the principle should stop the process (npkit.law.stages), on the seed cases and on
built facts. Expected answers are the sources' conclusions: the ASEAN study's "earliest
point" for Jane and John; Sarah not a victim for her second stay (Fitzgerald 2024 V.B.3)."""

from dataclasses import replace

import pytest
from builders import trafficked

from npkit.casefile.library import get_case
from npkit.course.training.conclusions import stop_line
from npkit.engine.assessment import Assessment, assess, evaluate
from npkit.law.citations import Citation
from npkit.law.jurisdiction_data import recommendations
from npkit.law.stages import (
    CONTEXT_FIGURES,
    NONE,
    STAGES,
    should_stop,
    stop_sentence,
    walk,
    walk_summary,
)
from npkit.law.vocabulary import Stage


def assessed(case_id: str) -> Assessment:
    return assess(get_case(case_id), counterfactuals=False)


def with_facts(case_id: str, **changes) -> Assessment:
    """A seed case's assessment with some facts changed (the case text stays the same)."""
    base = assessed(case_id)
    f = replace(base.facts, **changes)
    return Assessment(base.case, f, evaluate(f))


def views(a: Assessment) -> dict[str, object]:
    return {v.stage: v for v in walk(a)}


def test_jane_stops_at_identification_and_prosecution_was_a_missed_chance():
    a = assessed("jane")
    stop = should_stop(a)
    assert stop.holds and stop.outcome == "identification"
    v = views(a)
    assert v["identification"].should_stop_here and not v["identification"].missed
    for stage in ("arrest_and_charge", "prosecution", "defences"):
        assert v[stage].reached and v[stage].missed
    assert v["defences"].current
    for stage in ("sentencing", "post_conviction"):
        assert not v[stage].reached and not v[stage].missed


def test_jane_was_identified_and_still_charged():
    reasons = " ".join(r.text for r in should_stop(assessed("jane")).reasons)
    assert "formally identified" in reasons and "recommendations 11 and 12" in reasons


def test_john_treated_as_offender_still_stops_at_identification():
    stop = should_stop(assessed("john"))
    assert stop.outcome == "identification"
    assert any("willing offender" in r.text for r in stop.reasons)


def test_sarah_is_not_stopped_and_nothing_is_missed():
    a = assessed("sarah")
    stop = should_stop(a)
    assert not stop.holds and stop.outcome == NONE
    assert not any(v.missed or v.should_stop_here for v in walk(a))
    assert views(a)["prosecution"].current
    sources = [str(r.source) for r in stop.reasons]
    assert any("Fitzgerald 2024, V.B.3" in s for s in sources)  # not a victim, second stay
    assert any("should not apply" in s for s in sources)  # misuse warning (rec 20)


def test_offence_unrelated_to_trafficking_is_not_stopped():
    stop = should_stop(assessed("unrelated"))
    assert stop.outcome == NONE
    assert any("would have happened" in r.text for r in stop.reasons)


def test_a_case_still_at_identification_has_no_missed_chance():
    a = with_facts("jane", stage="identification")
    assert should_stop(a).outcome == "identification"
    assert not any(v.missed for v in walk(a))
    assert len(should_stop(a).reasons) == 2  # no "missed chance" reason


def test_later_stage_means_more_missed_chances():
    counts = [sum(v.missed for v in walk(with_facts("john", stage=s.value))) for s in STAGES]
    assert counts == list(range(len(STAGES)))


@pytest.mark.parametrize("status", ["identified", "not_identified", "identified_as_offender",
                                    "pending"])
def test_every_identification_status_has_its_reason(status):
    stop = should_stop(with_facts("jane", identification=status))
    assert stop.holds and len(stop.reasons) == 3
    assert all(isinstance(r.source, Citation) and r.text for r in stop.reasons)


def test_no_indicators_no_stop():
    f = trafficked(means=frozenset(), purposes=frozenset())
    base = assessed("jane")
    stop = should_stop(Assessment(base.case, f, evaluate(f)))
    assert stop.outcome == NONE
    assert any("No indicators" in r.text for r in stop.reasons)


def test_every_stage_carries_its_recommendations_and_all_26_appear():
    vs = walk(assessed("jane"))
    assert [v.stage for v in vs] == [s.value for s in Stage]
    for v in vs:
        assert v.recommendations and all(r.stage == v.stage for r in v.recommendations)
    numbers = sorted(r.number for v in vs for r in v.recommendations)
    assert numbers == sorted(r.number for r in recommendations()) == list(range(1, 27))


def test_one_line_answers():
    assert stop_line("jane") == "Jane: the principle should stop the process at: identification"
    assert stop_line("sarah") == "Sarah: the principle does not stop the process"
    assert stop_sentence(assessed("john")).startswith("John: the principle should stop")
    with pytest.raises(KeyError):
        stop_line("nobody")


def test_context_figures_are_cited():
    assert {f.figure for f in CONTEXT_FIGURES} >= {"300,000+", "70%", "86%"}
    for f in CONTEXT_FIGURES:
        assert f.text and str(f.source).startswith("Fitzgerald 2024")


def test_the_stage_by_stage_summary_is_a_cited_reason_chosen_by_the_stop():
    """Module 6's line over the stages comes from the wording catalogue with its citation."""
    jane, sarah = walk_summary(should_stop(assessed("jane"))), walk_summary(
        should_stop(assessed("sarah")))
    assert (jane.code, sarah.code) == ("process.walk.stops", "process.walk.no_stop")
    assert "missed chance" in jane.text and "no stage is a missed chance" in sarah.text
    assert jane.source.source == sarah.source.source == "asean_npp_study"
    assert "should not apply" in sarah.source.pinpoint and "applies" in jane.source.pinpoint
