import pytest
from builders import threatened, trafficked
from citation_checks import citation_problem

from npkit.law.citations import Confidence
from npkit.law.duress import VARIANTS, duress


def conds(f, variant):
    return {c.test.rsplit(".", 1)[1]: c.holds for c in duress(f, variant).children}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_no_threat_means_no_imminent_threat(variant):
    assert conds(trafficked(), variant)["imminent_threat"] is False
    assert duress(trafficked(), variant).outcome == "fails"


def test_england_wales_succeeds_on_imminent_serious_threat_to_self():
    assert duress(threatened(), "england_wales").outcome == "succeeds"


@pytest.mark.parametrize("imminence", ["continuing", "periodic", "remote"])
def test_england_wales_needs_then_and_there(imminence):
    assert conds(threatened(imminence=imminence), "england_wales")["imminent_threat"] is False


def test_witnessed_violence_against_others_is_not_aimed_at_defendant():
    f = threatened(target="other_person")
    assert conds(f, "england_wales")["imminent_threat"] is False
    assert conds(f, "rome_statute")["imminent_threat"] is True  # "that person or another"


def test_malaysia_needs_instant_death_to_that_person():
    assert conds(threatened("serious_harm"), "malaysia")["imminent_threat"] is False
    assert conds(threatened("death", target="close_person"), "malaysia")["imminent_threat"] is False
    assert duress(threatened("death"), "malaysia").outcome == "succeeds"


def test_rome_statute_accepts_continuing_serious_harm_but_not_periodic():
    assert conds(threatened(imminence="continuing"), "rome_statute")["imminent_threat"] is True
    assert conds(threatened(imminence="periodic"), "rome_statute")["imminent_threat"] is False


def test_no_escape_when_a_reasonable_opportunity_existed():
    f = threatened(escape_opportunity=True)
    for v in VARIANTS:
        assert conds(f, v)["no_escape"] is False
        assert duress(f, v).outcome == "fails"


def test_proportionality_life_outweighs_property():
    assert conds(threatened("serious_harm"), "england_wales")["proportionate"] is True
    assert conds(threatened("lesser_harm"), "england_wales")["proportionate"] is False
    assert conds(threatened("lesser_harm", harm="property_minor"),
                 "england_wales")["proportionate"] is True
    killed = threatened("serious_harm", harm="death")
    assert conds(killed, "england_wales")["proportionate"] is False


def test_voluntary_exposure_bars_england_wales_and_malaysia_not_rome():
    f = threatened("death", voluntary_association=True)
    assert duress(f, "england_wales").outcome == "fails"
    assert duress(f, "malaysia").outcome == "fails"
    rome = duress(f, "rome_statute")
    assert rome.outcome == "succeeds"
    assert rome.child("no_voluntary_exposure").is_npkit_reading


def test_proportionality_shown_but_not_counted_in_malaysia():
    node = duress(threatened("death"), "malaysia").child("proportionate")
    assert "duress.proportionate.not_counted" in [r.code for r in node.reasons]
    # England & Wales counts it, as npkit's application of the general condition (V.A): the
    # sources state no English proportionality rule, so the mark shows.
    ew = duress(threatened("death"), "england_wales").child("proportionate")
    assert "duress.proportionate.not_counted" not in [r.code for r in ew.reasons]
    assert ew.marks == (Confidence.NPKIT_READING,)


def test_murder_excluded_in_england_wales():
    f = threatened("death", harm="death", offence_type="murder")
    assert duress(f, "england_wales").outcome == "fails"
    assert duress(f, "england_wales").exception == "duress.england_wales.murder"


def test_every_duress_reason_carries_a_source():
    for v in VARIANTS:
        for node in duress(threatened(), v).walk():
            assert node.reasons, node.test
            problems = [citation_problem(r.source, r.text) for r in node.reasons]
            assert not any(problems), (v, node.test, problems)


def test_threats_of_the_period_are_not_there_for_an_act_after_it():
    f = threatened("death", committed="after")
    for v in VARIANTS:
        assert conds(f, v)["imminent_threat"] is False
