"""Duress: the engine names the reason that decided each node, by code, with its caveat marks.

Expected codes and marks are written here by hand from Fitzgerald 2024 V.A-B and DOMAIN.md
section 2, never produced by the code under test."""

import re
from pathlib import Path

import pytest
from builders import T, threatened, trafficked

from npkit.casefile.loader import load_cases
from npkit.engine.assessment import assess
from npkit.law.citations import Confidence
from npkit.law.duress import CONDITIONS, RULES, VARIANTS, duress
from npkit.law.registry import rules
from npkit.law.wording import catalogue

OUTSIDE = Confidence.OUTSIDE_SOURCES
READING = Confidence.NPKIT_READING
CASES = load_cases(Path(__file__).resolve().parents[1] / "cases").cases


def code(node):
    return node.decisive.code


# --- Jane-like: threats to her periodic and vague, to her family far away -------------------

JANE_LIKE = trafficked(threats=(T("self", "unspecified", "periodic"),
                                T("family_far_away", "unspecified", "remote")))


@pytest.mark.parametrize("variant", ["england_wales", "malaysia", "rome_statute"])
def test_jane_like_fails_because_no_threat_is_imminent(variant):
    node = duress(JANE_LIKE, variant)
    assert node.outcome == "fails" and not node.exception
    assert code(node) == "duress.imminent_threat.not_imminent"
    assert node.decisive is node.child("imminent_threat").decisive
    # no caveat decides it; only the Rome analogue note stays with the outcome
    assert node.marks == ((OUTSIDE,) if variant == "rome_statute" else ())


def test_jane_like_rome_cites_ongwen_for_the_abstract_danger():
    node = duress(JANE_LIKE, "rome_statute").child("imminent_threat")
    assert "Ongwen" in node.decisive.source.authority
    assert node.decisive.source.pinpoint == "V.A"


def test_the_summary_reason_lists_every_failing_condition():
    node = duress(JANE_LIKE, "england_wales")
    summary = node.reasons[0]
    assert summary.code == "duress.outcome.fails"
    assert dict(summary.params)["failed"] == "imminent threat, proportionality"


# --- John-like: an imminent threat of serious harm, but he joined the scammers knowingly ------

JOHN_LIKE = threatened("serious_harm", "imminent", voluntary_association=True)


def test_john_like_fails_in_england_wales_on_voluntary_association():
    node = duress(JOHN_LIKE, "england_wales")
    assert node.outcome == "fails"
    assert code(node) == "duress.no_voluntary_exposure.joined"
    assert node.decisive.source.pinpoint == "V.B.2"
    assert node.decisive.source.authority.startswith("R v LM")
    assert node.marks == ()


def test_john_like_fails_in_malaysia_on_the_threat_first():
    node = duress(JOHN_LIKE, "malaysia")
    assert code(node) == "duress.imminent_threat.too_light"  # serious harm, not instant death
    assert "Mohamed Yusof" in node.decisive.source.authority
    exposure = node.child("no_voluntary_exposure")
    assert code(exposure) == "duress.no_voluntary_exposure.joined"
    assert exposure.marks == (OUTSIDE,)  # Malaysia's exposure bar is outside the sources
    assert "R v LM" not in str(exposure.decisive.source)


def test_john_like_rome_counts_no_exposure_bar():
    node = duress(JOHN_LIKE, "rome_statute")
    assert node.outcome == "succeeds"
    assert code(node) == "duress.outcome.succeeds"
    # success rests on npkit's reading of the intent test
    assert READING in node.marks


# --- murder under a death threat ----------------------------------------------------------

MURDER = threatened("death", harm="death", offence_type="murder")


@pytest.mark.parametrize("variant", ["england_wales", "malaysia"])
def test_murder_fails_with_the_exception_and_the_outside_mark(variant):
    node = duress(MURDER, variant)
    assert node.outcome == "fails"
    assert node.exception == f"duress.{variant}.murder"
    assert code(node) == "duress.exclusion.murder"
    assert node.marks == (OUTSIDE,)
    # every condition is met: only the exclusion decides
    assert all(c.holds for c in node.children if c.test.rsplit(".", 1)[1] in
               VARIANTS[variant].required)


def test_murder_exceptions_are_declared_in_the_rules():
    for variant in ("england_wales", "malaysia"):
        declared = [e.id for e in rules()[f"duress.{variant}"].exceptions]
        assert declared == [f"duress.{variant}.murder"]
        assert declared[0] and rules()[f"duress.{variant}"].exceptions[0].citation.confidence \
            is OUTSIDE


# --- Malaysia: instant death versus serious harm --------------------------------------------

def test_malaysia_death_succeeds_serious_harm_fails():
    death = duress(threatened("death"), "malaysia")
    assert death.outcome == "succeeds" and code(death) == "duress.outcome.succeeds"
    serious = duress(threatened("serious_harm"), "malaysia")
    assert serious.outcome == "fails"
    assert code(serious) == "duress.imminent_threat.too_light"
    assert serious.marks == ()


def test_malaysia_to_that_person_limit_decides_with_the_outside_mark():
    node = duress(threatened("death", target="close_person"), "malaysia")
    assert node.outcome == "fails"
    assert code(node) == "duress.imminent_threat.not_aimed"
    assert node.marks == (OUTSIDE,)


def test_malaysia_names_s94_only_as_outside_law():
    node = duress(threatened("death"), "malaysia")
    assert "s 94" not in node.title
    section = [r for r in node.reasons if r.code == "duress.malaysia.section"]
    assert section and section[0].mark is OUTSIDE
    for r in (r for n in node.walk() for r in n.reasons):
        if "94" in str(r.source):
            assert r.mark is OUTSIDE, r.code


# --- Rome Statute: continuing serious harm; the intent test; the analogue ---------------------

def test_rome_accepts_continuing_serious_harm_and_marks_the_intent_reading():
    node = duress(threatened("serious_harm", "continuing"), "rome_statute")
    assert node.outcome == "succeeds"
    assert code(node.child("imminent_threat")) == "duress.imminent_threat.met"
    prop = node.child("proportionate")
    assert code(prop) == "duress.proportionate.no_greater_intent"
    assert prop.marks == (READING,)
    assert "duress.proportionate.intent_rule" in [r.code for r in prop.reasons]


def test_rome_periodic_is_a_merely_probable_danger():
    node = duress(threatened("serious_harm", "periodic"), "rome_statute")
    assert code(node) == "duress.imminent_threat.not_imminent"


def test_rome_is_shown_as_the_international_analogue():
    node = duress(threatened(), "rome_statute")
    codes = [r.code for r in node.reasons]
    assert "duress.rome_statute.international" in codes
    assert "duress.rome_statute.not_domestic" in codes
    analogue = next(r for r in node.reasons if r.code == "duress.rome_statute.not_domestic")
    assert analogue.mark is OUTSIDE
    # the caveat stays with the outcome, whichever way it goes
    assert analogue in node.also_rests_on and OUTSIDE in node.marks
    assert OUTSIDE in duress(JANE_LIKE, "rome_statute").marks


def test_rome_escape_is_read_as_necessary_and_reasonable_action():
    node = duress(threatened(escape_opportunity=True), "rome_statute")
    assert code(node) == "duress.no_escape.rome_not_necessary"
    assert READING in node.marks
    assert code(duress(threatened(), "rome_statute").child("no_escape")) == \
        "duress.no_escape.rome_necessary"


def test_rome_intends_greater_harm_fails_on_the_reading():
    node = duress(threatened("lesser_harm", "imminent", harm="property_major"), "rome_statute")
    prop = node.child("proportionate")
    assert code(prop) == "duress.proportionate.intends_greater"
    assert prop.marks == (READING,)


# --- England & Wales proportionality is npkit's application -----------------------------------

def test_england_wales_success_carries_the_proportionality_reading():
    node = duress(threatened("serious_harm"), "england_wales")
    assert node.outcome == "succeeds"
    assert node.marks == (READING,)
    assert code(node.child("proportionate")) == "duress.proportionate.weighs"


def test_england_wales_failing_on_proportionality_shows_the_reading():
    node = duress(threatened("lesser_harm", harm="property_major"), "england_wales")
    # the threat fails first (lesser harm): it decides, without a caveat
    assert code(node) == "duress.imminent_threat.too_light"
    prop = node.child("proportionate")
    assert code(prop) == "duress.proportionate.outweighed" and prop.marks == (READING,)


# --- every node, every case: codes, wording, citations ---------------------------------------

def _duress_nodes():
    for case in CASES:
        for node in assess(case, counterfactuals=False).tree.walk():
            if node.test.startswith("duress."):
                yield case.id, node


def test_every_duress_reason_in_every_case_has_a_code_and_wording():
    words = catalogue()
    seen = 0
    for case_id, node in _duress_nodes():
        assert node.decisive is not None and node.decisive.code, (case_id, node.test)
        for r in node.reasons:
            assert r.code in words, (case_id, node.test, r.code)
            seen += 1
    assert seen > 100


def test_condition_nodes_are_decided_by_one_of_their_own_reasons():
    for case_id, node in _duress_nodes():
        if node.test.rsplit(".", 1)[1] in CONDITIONS:
            assert node.decisive in node.reasons, (case_id, node.test)


def test_no_duress_citation_attributes_hasan_or_howe_to_fitzgerald():
    for case_id, node in _duress_nodes():
        for r in node.reasons:
            if r.source.source == "fitzgerald2024":
                assert "Hasan" not in r.source.authority and "Howe" not in r.source.authority
                assert "94" not in r.source.authority, (case_id, r.code)
                assert "EWCA" not in r.source.authority  # she gives no neutral citation


def test_then_and_there_is_the_malaysian_courts_phrase():
    assert "then and there" not in catalogue()["duress.england_wales.threat_rule"]
    assert "then and there" in catalogue()["duress.malaysia.threat_rule"]


def test_no_doubled_harm_words():
    for case_id, node in _duress_nodes():
        for r in node.reasons:
            assert "harm harm" not in r.text and "death harm" not in r.text, (case_id, r.code)


def test_pinpoints_match_the_seed():
    node = duress(JOHN_LIKE, "england_wales")
    assert node.child("no_escape").decisive.source.pinpoint == "V.B.1"  # Kremnitzer
    assert node.child("no_escape").decisive.source.authority == "Kremnitzer"
    witnessed = duress(threatened(target="other_person"), "england_wales").child(
        "imminent_threat")
    assert [r.source.pinpoint for r in witnessed.reasons
            if r.code == "duress.imminent_threat.witnessed_only"] == ["V.B.1"]


def test_rules_cover_every_variant_and_condition():
    ids = {r.id for r in RULES}
    assert ids == {f"duress.{v}" for v in VARIANTS} | {
        f"duress.{v}.{c}" for v in VARIANTS for c in CONDITIONS}
    for rule in RULES:
        assert rule.citations and rule.summary, rule.id
        found = rule.function(threatened())
        assert found.test == rule.id and found.outcome in rule.outcomes


def test_rule_for_the_malaysian_threat_shows_the_true_confidence():
    rule = rules()["duress.malaysia.imminent_threat"]
    marks = {c.authority.split(" [")[0]: c.confidence for c in rule.citations}
    assert marks["Mohamed Yusof bin Haji Ahmad v Public Prosecutor"] is Confidence.SECONDARY
    assert marks["Penal Code s 94 (Malaysia)"] is OUTSIDE


# --- paraphrase, never copy -------------------------------------------------------------------

def _seed_folder() -> Path | None:
    here = Path(__file__).resolve()
    for base in (here.parents[2], here.parents[3]):  # /work/wt/<tree> or /work/main
        if (base / "shared" / "seeds").is_dir():
            return base / "shared" / "seeds"
    return None


def _runs(text: str, n: int = 12) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("\u2019", "").replace("'", ""))
    return {" ".join(words[i:i + n]) for i in range(len(words) - n + 1)}


def test_duress_wording_copies_no_twelve_word_run_from_a_seed():
    seeds = _seed_folder()
    if seeds is None:
        pytest.skip("seed folder not present")
    seed_runs = set().union(*(_runs(p.read_text(encoding="utf-8"))
                              for p in sorted(seeds.glob("*.txt"))))
    assert _runs("the threat must be of serious harm or death and must be imminent; (2) the "
                 "individual") & seed_runs  # the guard itself can fail
    copied = {code: text for code, text in catalogue().items()
              if code.startswith("duress.") and _runs(text) & seed_runs}
    assert not copied, copied
