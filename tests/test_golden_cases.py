"""Every case file states the outcomes its source (or its lesson) reaches; the engine must agree.

The expected values are written by hand in cases/*.yaml from the sources, never produced by
npkit, so these tests can fail (the OpenFisca way: situations with expected outputs)."""

from pathlib import Path

import pytest

from npkit.casefile.loader import load_cases
from npkit.engine.assessment import assess

CASES = Path(__file__).resolve().parents[1] / "cases"
RESULT = load_cases(CASES)
BY_ID = {c.id: c for c in RESULT.cases}


def test_every_case_file_loads():
    assert RESULT.errors == []
    assert len(RESULT.cases) >= 10


@pytest.mark.parametrize("case", RESULT.cases, ids=lambda c: c.id)
def test_expected_outcomes(case):
    """Both parts: what the source concludes and npkit's application."""
    expected = case.expected_outcomes
    assert expected, f"{case.id} states no expected outcomes"
    got = assess(case, counterfactuals=False).outcomes()
    wrong = {k: (v, got[k]) for k, v in expected.items() if got[k] != v}
    assert not wrong, f"{case.id}: expected vs got {wrong}"


def _principle(outcomes: dict) -> str:
    """The non-punishment principle protects when at least one model npkit applies does."""
    models = [v for k, v in outcomes.items() if k.startswith("models.")]
    return "protected" if "protected" in models else "not_protected"


SPLIT = [c for c in RESULT.cases if c.source_conclusions]


@pytest.mark.parametrize("case", SPLIT, ids=lambda c: c.id)
def test_source_conclusions(case):
    got = assess(case, counterfactuals=False).outcomes()
    for key, value in case.source_conclusions.items():
        assert case.source_pinpoint(key), f"{case.id}: {key} has no pinpoint"
        actual = _principle(got) if key == "non_punishment.outcome" else got[key]
        assert actual == value, f"{case.id}: the source says {key} = {value}, npkit {actual}"


def test_every_case_from_a_source_document_is_split():
    for case in RESULT.cases:
        if case.source.source != "npkit":
            assert case.source_conclusions and case.npkit_outcomes, case.id


# What Fitzgerald 2024 V.B decides for her three cases: victim status, duress (through R v LM and
# the Malaysian case) and whether the non-punishment principle protects. Nothing else may be
# attributed to her (DOMAIN.md section 5).
FITZGERALD_DECIDES = ("victim.outcome", "duress.england_wales.", "duress.malaysia.",
                      "non_punishment.outcome")


@pytest.mark.parametrize("case_id", ["jane", "john", "sarah"])
def test_seed_cases_attribute_to_fitzgerald_only_what_she_decides(case_id):
    case = BY_ID[case_id]
    assert case.source_citation.source == "fitzgerald2024"
    for key in case.source_conclusions:
        assert key.startswith(FITZGERALD_DECIDES), f"{case_id}: {key} attributed to Fitzgerald"
        assert case.source_pinpoint(key).startswith("V.B"), (case_id, key)
        assert not key.endswith(".proportionate"), "the sources state no such rule for a state"
    assert case.source_conclusions["victim.outcome"]
    assert "non_punishment.outcome" in case.source_conclusions


def test_john_imminence_is_npkits_application():
    """Fitzgerald finds 'mixed elements' in John's threats, not an express finding of
    imminence (V.B.2)."""
    john = BY_ID["john"]
    assert "duress.england_wales.conditions.imminent_threat" not in john.source_conclusions
    assert john.npkit_outcomes["duress.england_wales.conditions.imminent_threat"] is True


# The "must show" points of issue 2, written out here as well so that a case-file edit cannot
# quietly drop them.
def test_jane_must_show():
    o = assess(BY_ID["jane"], counterfactuals=False).outcomes()
    assert o["victim.outcome"] == "victim"
    for v in ("england_wales", "malaysia", "rome_statute"):
        assert o[f"duress.{v}.outcome"] == "fails"
        assert o[f"duress.{v}.conditions.imminent_threat"] is False
    assert o["models.causation.outcome"] == o["models.compulsion_broad.outcome"] == "protected"
    assert o["models.closed_list.outcome"] == "not_protected"
    for iso in ("TH", "MY", "KH", "SG", "VN"):
        assert o[f"jurisdictions.{iso}.outcome"] == "not_protected"
    assert o["jurisdictions.PH.outcome"] == "protected"


def test_john_must_show():
    o = assess(BY_ID["john"], counterfactuals=False).outcomes()
    assert o["victim.outcome"] == "victim"
    for v in ("england_wales", "malaysia"):
        assert o[f"duress.{v}.outcome"] == "fails"
        assert o[f"duress.{v}.conditions.no_voluntary_exposure"] is False
    assert o["models.causation.outcome"] == "protected"


def test_sarah_must_show():
    o = assess(BY_ID["sarah"], counterfactuals=False).outcomes()
    assert o["victim.outcome"] == "not_victim"
    assert all(o[f"duress.{v}.outcome"] == "fails"
               for v in ("england_wales", "malaysia", "rome_statute"))
    assert all(v == "not_protected" for k, v in o.items()
               if k.startswith(("models.", "jurisdictions.")))


def test_jane_counterfactual_names_an_imminent_threat():
    a = assess(BY_ID["jane"])
    ew = [c for c in a.counterfactuals if c.path == "duress.england_wales.outcome"]
    assert ew and all(c.after == "succeeds" for c in ew)
    assert any("imminent" in " ".join(c.changes) for c in ew)
