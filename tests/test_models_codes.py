"""Models, jurisdictions and instruments: every reason has a code, every outcome names the
reason that settled it, and the caveats it rests on show at the outcome (issue 11)."""

from dataclasses import replace

import pytest
from builders import threatened, trafficked
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from npkit.casefile.library import library
from npkit.engine.assessment import assess, evaluate
from npkit.law import wording
from npkit.law.citations import Confidence
from npkit.law.facts import ThreatFact
from npkit.law.jurisdiction_data import Jurisdiction, SourceRef, jurisdictions
from npkit.law.models import MODELS, causation
from npkit.law.models.closed_list import model_list
from npkit.law.registry import rules
from npkit.law.trafficking import victim
from npkit.law.vocabulary import Means, OffenceType

MINE = ("models.", "jurisdictions.", "instruments.")
OWN_MODELS = [m for m in MODELS if m != "presumption"]  # presumption: another area
READING = Confidence.NPKIT_READING


def run(name, f):
    return MODELS[name](f, victim(f))


def my_nodes(e):
    """Every finding of the models (but presumption), jurisdictions and instruments groups,
    without the victim findings they embed as children."""
    roots = [n for k, n in e.models.items() if k != "presumption"]
    roots += [*e.jurisdictions.values(), *e.instruments.values()]
    for root in roots:
        for node in root.walk():
            if node.test.startswith(MINE) and not node.test.startswith("models.presumption"):
                yield node


def codes(node):
    return [r.code for r in node.reasons]


@pytest.fixture(scope="module")
def assessments():
    out = []
    for case in library().cases:
        for off in case.offences:
            out.append(assess(case, off.id))
    assert len(out) > 10
    return out


# --- every reason coded, every node decided ---------------------------------------------------


def test_every_reason_in_these_areas_has_a_catalogued_code(assessments):
    catalogue = wording.catalogue()
    for a in assessments:
        for node in my_nodes(a.evaluation):
            for r in node.reasons:
                assert r.code, (a.case.id, node.test, r.text)
                assert r.code in catalogue, (node.test, r.code)
                assert r.code.startswith(MINE), r.code


def test_every_node_names_a_decisive_reason_it_or_a_child_gave(assessments):
    for a in assessments:
        for node in my_nodes(a.evaluation):
            assert node.decisive is not None, node.test
            giver = next((n for n in node.walk() if any(r is node.decisive for r in n.reasons)),
                         None)
            assert giver is not None, (a.case.id, node.test, node.decisive.code)
            if giver.test.startswith(MINE):  # a borrowed victim reason is coded in its own area
                assert node.decisive.code, (a.case.id, node.test)


def test_every_finding_test_is_a_registry_rule(assessments):
    ids = set(rules())
    for a in assessments:
        for node in my_nodes(a.evaluation):
            assert node.test in ids, node.test
    for m in OWN_MODELS:
        assert f"models.{m}" in ids
    for code in jurisdictions():
        assert f"jurisdictions.{code}" in ids
    assert "instruments.actip_14_7" in ids and "instruments.ecthr_vcl_an_v_uk" in ids


# --- which reason decides -------------------------------------------------------------------


NOT_VICTIM = dict(means=frozenset(), informed_consent=True, later_period=True)


def test_not_a_victim_decided_by_the_victim_gate():
    f = trafficked(**NOT_VICTIM)
    for name in OWN_MODELS:
        assert run(name, f).decisive.code == "models.victim_gate.not_victim", name
    e = evaluate(f)
    for code in ("PH", "ID", "TH", "BN"):
        assert e.jurisdictions[code].decisive.code == "jurisdictions.not_victim", code
    assert e.instruments["actip_14_7"].decisive.code == "instruments.not_victim"


def test_not_covered_decided_by_coverage_and_no_provision_by_its_absence():
    e = evaluate(trafficked())  # fraud
    for code in ("TH", "BN", "MY", "LA", "MM"):
        node = e.jurisdictions[code]
        assert node.outcome == "not_protected"
        assert node.decisive.code == "jurisdictions.coverage.not_covered", code
        assert node.decisive is node.child("coverage").decisive
    for code in ("KH", "SG", "VN"):
        assert e.jurisdictions[code].decisive.code == "jurisdictions.no_provision"


def test_a_missing_link_is_decided_by_the_failing_link_test():
    f = trafficked(offence_type="overstay", offence_category="status", but_for_trafficking=False,
                   ordered_by_trafficker=False)
    node = evaluate(f).jurisdictions["BN"]
    assert node.outcome == "not_protected"
    assert node.decisive.code == "models.causation.but_for.fails"
    assert run("causation", f).decisive.code == "models.causation.but_for.fails"
    direct = run("causation_direct", trafficked(connected_to_exploited_work=False,
                                                offence_category="other"))
    assert direct.decisive.code == "models.causation.direct.unconnected"
    temporal = run("causation_temporal", trafficked(committed="after"))
    assert temporal.decisive.code == "models.causation.temporal.outside"


def test_discretion_and_protection_are_decided_by_their_own_reasons():
    e = evaluate(trafficked(offence_type="overstay", offence_category="status"))
    th = e.jurisdictions["TH"]
    assert (th.outcome, th.decisive.code) == ("discretionary", "jurisdictions.discretionary")
    bn = e.jurisdictions["BN"]
    assert (bn.outcome, bn.decisive.code) == ("protected", "jurisdictions.protected")
    assert bn.decisive.text.endswith(".") and "protects" in bn.decisive.text
    assert e.instruments["actip_14_7"].decisive.code == "instruments.discretionary"


def test_causation_decisive_codes():
    assert run("causation", trafficked()).decisive.code == "models.causation.protected"
    assert run("causation_temporal", trafficked()).decisive.code == \
        "models.causation_temporal.protected"
    status = run("causation_direct", trafficked(offence_category="status",
                                                 connected_to_exploited_work=False))
    assert status.decisive.code == "models.causation_direct.protected"
    assert READING in status.marks  # a status offence counted as direct is npkit's reading


def test_mehak_is_cited_to_the_hague_court_not_a_district_court():
    node = run("causation_direct", trafficked(connected_to_exploited_work=False,
                                              offence_category="other"))
    authority = node.decisive.source.authority
    assert "Hague Court" in authority and "District" not in authority


# --- the Philippines: obedience to the trafficker's order --------------------------------------


def test_philippines_protects_by_obedience_alone_and_says_so():
    f = trafficked(but_for_trafficking=False, ordered_by_trafficker=True)
    ph = evaluate(f).jurisdictions["PH"]
    assert ph.outcome == "protected"
    assert ph.child("models.causation").outcome == "not_protected"
    assert ph.child("obedience").holds
    assert ph.decisive.code == "jurisdictions.obedience.decides"
    assert ph.exception == "jurisdictions.PH.obedience"
    cite = ph.decisive.source
    assert (cite.source, cite.pinpoint) == ("fitzgerald2024", "IV.A.2")
    assert "9208" in cite.authority and "s 17" in cite.authority
    assert cite.confidence is Confidence.SECONDARY  # she quotes the statute; npkit has not read it
    assert not any(r.code == "jurisdictions.protected" for r in ph.reasons)
    assert ph.to_dict()["decisive"]["code"] == "jurisdictions.obedience.decides"


def test_philippines_without_the_order_falls_with_causation():
    f = trafficked(but_for_trafficking=False, ordered_by_trafficker=False)
    ph = evaluate(f).jurisdictions["PH"]
    assert ph.outcome == "not_protected" and not ph.exception
    assert ph.decisive.code == "models.causation.but_for.fails"


def test_when_causation_holds_obedience_does_not_decide():
    ph = evaluate(trafficked(ordered_by_trafficker=True)).jurisdictions["PH"]
    assert ph.outcome == "protected"
    assert ph.decisive.code == "jurisdictions.protected" and not ph.exception


def test_the_obedience_route_exists_once():
    assert not hasattr(causation, "obedience")
    routes = [r for r in rules().values() for x in r.exceptions if "obedience" in x.id]
    assert [r.id for r in routes] == ["jurisdictions.PH"]
    assert [c for c, j in jurisdictions().items() if j.obedience_to_order] == ["PH"]


facts = st.builds(
    trafficked,
    means=st.frozensets(st.sampled_from([m.value for m in Means]), min_size=1, max_size=4),
    offence_type=st.sampled_from([o.value for o in OffenceType]),
    offence_category=st.sampled_from(["status", "purpose", "secondary", "other"]),
    committed=st.sampled_from(["before", "during", "after"]),
    but_for_trafficking=st.booleans(),
    connected_to_exploited_work=st.booleans(),
    age=st.one_of(st.none(), st.integers(10, 60)),
)


@settings(max_examples=200, deadline=None)
@given(facts)
def test_obedience_plus_victim_means_the_philippines_protects(f):
    f = replace(f, ordered_by_trafficker=True)
    e = evaluate(f)
    ph = e.jurisdictions["PH"]
    covered = ph.child("coverage").holds
    if e.victim.holds and covered:
        assert ph.outcome == "protected"
        if not e.models["causation"].holds:
            assert ph.decisive.code == "jurisdictions.obedience.decides"
            assert ph.exception == "jurisdictions.PH.obedience"
    if not e.victim.holds:
        assert ph.outcome == "not_protected"


# --- closed list ------------------------------------------------------------------------------


def test_closed_list_is_thailands_list_with_prostitution_and_false_information():
    assert set(model_list()) == set(jurisdictions()["TH"].offences_covered)
    for offence in ("prostitution", "false_information", "overstay", "working_without_permit"):
        node = run("closed_list", trafficked(offence_type=offence, offence_category="status"))
        assert node.outcome == "protected", offence
        assert node.decisive.code == "models.closed_list.protected"
    fraud = run("closed_list", trafficked())
    assert fraud.outcome == "not_protected"
    assert fraud.decisive.code == "models.closed_list.listed.off"


def test_closed_list_cites_s41_with_the_thailand_rows_mark():
    node = run("closed_list", trafficked())
    cite = node.decisive.source
    assert "s 41" in cite.authority and cite.pinpoint == "IV.A.2"
    assert cite.confidence is jurisdictions()["TH"].confidence  # not "verified"
    assert READING in node.marks
    assert "models.closed_list.lists_in_region" in codes(node)  # five states have lists


# --- strict compulsion and quiet control -------------------------------------------------------


QUIET = dict(
    means=frozenset({"deception", "confinement", "confiscated_documents", "witnessed_violence",
                     "surveillance", "threat_of_force", "threats_to_family"}),
    threats=(ThreatFact("self", "unspecified", "periodic"),
             ThreatFact("family_far_away", "unspecified", "remote")),
)


def test_strict_compulsion_misses_quiet_control_and_says_it_is_npkits_reading():
    node = run("compulsion_strict", trafficked(**QUIET))
    assert node.outcome == "not_protected"
    assert node.decisive.code == "models.compulsion_strict.not_coerced"
    assert node.child("coerced").decisive.code == "models.compulsion_strict.coerced.none"
    assert READING in node.marks
    assert run("compulsion_broad", trafficked(**QUIET)).outcome == "protected"
    assert evaluate(trafficked(**QUIET)).jurisdictions["ID"].outcome == "not_protected"


def test_strict_compulsion_met_by_force_on_the_person_or_an_immediate_threat():
    force = run("compulsion_strict", trafficked(means=QUIET["means"] | {"physical_abuse"}))
    assert force.outcome == "protected"
    assert force.child("coerced").decisive.code == "models.compulsion_strict.coerced.force"
    assert force.decisive.code == "models.compulsion_strict.protected"
    assert READING in force.marks
    for imminence in ("imminent", "continuing"):
        node = run("compulsion_strict", threatened(imminence=imminence))
        assert node.child("coerced").decisive.code == "models.compulsion_strict.coerced.threat"
        assert node.outcome == "protected", imminence
    far = run("compulsion_strict", threatened(target="family_far_away"))
    assert far.outcome == "not_protected"
    abducted = run("compulsion_strict", trafficked(means=frozenset({"abduction"})))
    assert abducted.outcome == "not_protected"  # force to bring them, not aimed at the act
    unordered = run("compulsion_strict", threatened(ordered_by_trafficker=False))
    assert unordered.decisive.code == "models.compulsion_strict.not_ordered"
    assert READING in unordered.marks  # "ordered" is part of npkit's reading of "coerce"


def test_broad_compulsion_names_the_child_exception():
    node = run("compulsion_broad", trafficked(means=frozenset(), age=15))
    assert node.outcome == "protected"
    assert node.exception == "models.compulsion_broad.child"
    assert READING in node.marks


# --- Dual-Factor (npkit's reading) ------------------------------------------------------------


def test_dual_factor_middle_ground_is_explicit_and_marked():
    middle = run("dual_factor", trafficked(knew_work_was_criminal=True, voluntary_association=True,
                                           escape_opportunity=True))
    assert middle.outcome == "discretionary" and middle.holds is None
    assert middle.decisive.code == "models.dual_factor.middle_ground"
    assert READING in middle.marks
    strong = run("dual_factor", threatened())
    assert strong.decisive.code == "models.dual_factor.protected" and READING in strong.marks
    free = run("dual_factor", trafficked(informed_consent=True, rewarded_rather_than_coerced=True,
                                         escape_opportunity=True, ordered_by_trafficker=False))
    assert free.decisive.code == "models.dual_factor.choice_dominates"
    assert READING in free.marks
    assert free.outcome == "not_protected"


def test_dual_factor_counts_acting_without_orders_and_harming_other_victims_as_choice():
    ordered = run("dual_factor", trafficked())
    unordered = run("dual_factor", trafficked(ordered_by_trafficker=False))
    assert unordered.facts["free_choice"] == ordered.facts["free_choice"] + 1
    assert unordered.facts["determination"] == ordered.facts["determination"] - 2
    harming = run("dual_factor", trafficked(harmed_other_victims=True))
    assert harming.facts["free_choice"] == ordered.facts["free_choice"] + 2
    assert "models.dual_factor.harmed_others" in codes(harming)
    assert "models.dual_factor.harmed_others" not in codes(ordered)
    assert "models.dual_factor.source" in codes(ordered)


# --- data schema ------------------------------------------------------------------------------


def _ph_raw():
    return jurisdictions()["PH"].model_dump(mode="json")


def test_outside_law_in_a_row_is_always_marked_outside_sources():
    ref = SourceRef(source="outside", pinpoint="section number", authority="Some Act s 9")
    assert ref.citation(Confidence.SECONDARY).confidence is Confidence.OUTSIDE_SOURCES
    with pytest.raises(ValidationError):
        SourceRef(source="outside", pinpoint="x")  # outside law must name its authority
    row = Jurisdiction.model_validate({**_ph_raw(), "sources": [
        *_ph_raw()["sources"], {"source": "outside", "pinpoint": "n", "authority": "Act s 1"}]})
    marks = {c.confidence for c in row.citations}
    assert Confidence.OUTSIDE_SOURCES in marks and Confidence.SECONDARY in marks
    with pytest.raises(ValidationError):  # a row needs a seed source, not outside law alone
        Jurisdiction.model_validate({**_ph_raw(), "sources": [
            {"source": "outside", "pinpoint": "n", "authority": "Act s 1"}]})
    with pytest.raises(ValidationError):
        Jurisdiction.model_validate({**_ph_raw(), "confidence": "outside_sources"})


def test_obedience_route_needs_its_source():
    with pytest.raises(ValidationError):
        Jurisdiction.model_validate({**_ph_raw(), "obedience_source": None})
    ph = jurisdictions()["PH"]
    assert ph.obedience_citation.pinpoint == "IV.A.2"
    assert "broadest" not in ph.summary
