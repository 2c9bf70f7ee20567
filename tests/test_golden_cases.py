"""Every case file states the outcomes its source (or its lesson) reaches; the engine must agree.

The expected values are written by hand in cases/*.yaml from the sources, never produced by
npkit, so these tests can fail (the OpenFisca way: situations with expected outputs)."""

from pathlib import Path

import pytest

from npkit.assessment import assess
from npkit.loader import load_cases

CASES = Path(__file__).resolve().parents[1] / "cases"
RESULT = load_cases(CASES)
BY_ID = {c.id: c for c in RESULT.cases}


def test_every_case_file_loads():
    assert RESULT.errors == []
    assert len(RESULT.cases) >= 10


@pytest.mark.parametrize("case", RESULT.cases, ids=lambda c: c.id)
def test_expected_outcomes(case):
    assert case.expected, f"{case.id} states no expected outcomes"
    got = assess(case, counterfactuals=False).outcomes()
    wrong = {k: (v, got[k]) for k, v in case.expected.items() if got[k] != v}
    assert not wrong, f"{case.id}: expected vs got {wrong}"


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
