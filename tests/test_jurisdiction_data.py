import re
import subprocess
import sys
from importlib import resources
from types import SimpleNamespace

import pytest
import yaml
from pydantic import ValidationError

from npkit.i18n.content import localize
from npkit.law import jurisdiction_data
from npkit.law.citations import Confidence
from npkit.law.jurisdiction_data import (
    ASEAN_CODES,
    Instrument,
    Jurisdiction,
    Recommendation,
    instruments,
    jurisdictions,
    recommendations,
)
from npkit.law.vocabulary import OffenceType


def _raw(name):
    """The rows as the English loader validates them (translations beside them dropped)."""
    return localize(yaml.safe_load(
        resources.files("npkit.law").joinpath("data", name).read_text(encoding="utf-8")
    ), "en", ())  # English: no overlay applies, so no field is a text key here


def _sourced_rows():
    return [*jurisdictions().values(), *instruments().values()]


# --- jurisdictions -------------------------------------------------------------------------


def test_all_ten_asean_codes_present_exactly_once():
    raw_codes = [r["code"] for r in _raw("jurisdictions.yaml")]
    assert sorted(raw_codes) == sorted(ASEAN_CODES)
    assert len(raw_codes) == len(set(raw_codes)) == 10
    assert list(jurisdictions()) == sorted(ASEAN_CODES)


def test_no_row_has_a_blank_summary_or_check():
    # The schema wants them non-empty (tested below); blank space would still pass it.
    for row in _sourced_rows():
        assert row.summary.strip() and row.checked_against.strip(), row.name


def test_citations_carry_row_confidence():
    for row in _sourced_rows():
        cites = row.citations
        assert len(cites) == len(row.sources)
        assert all(c.confidence is row.confidence for c in cites)
    th = jurisdictions()["TH"].citations
    assert any("s 41" in c.authority for c in th)


def test_any_is_normalised_to_a_one_item_tuple():
    # consumers (npkit/law/jurisdictions.py) test `"any" in row.offences_covered`
    for raw in ("any", ["any"]):
        row = Jurisdiction.model_validate({**_th_raw(), "offences_covered": raw})
        assert row.offences_covered == ("any",) and "any" in list(row.offences_covered)
    for row in _sourced_rows():
        assert not isinstance(row.offences_covered, str)


def test_thailand_is_closed_list_with_ministerial_permission():
    th = jurisdictions()["TH"]
    assert th.has_provision and th.model == "closed_list"
    assert th.discretion == "ministerial_permission"
    assert "s 41" in th.provision
    assert not th.covers("fraud") and not th.covers("money_laundering")
    assert th.covers("working_without_permit") and th.covers("false_information")


@pytest.mark.parametrize("code", ["KH", "SG", "VN"])
def test_no_provision_states(code):
    row = jurisdictions()[code]
    assert not row.has_provision
    assert row.model == "none" and row.provision == "" and row.offences_covered == ()
    assert not row.covers("illegal_entry")
    assert "ACTIP" in row.notes


def test_philippines_causation_with_obedience_to_order():
    ph = jurisdictions()["PH"]
    assert ph.model == "causation" and ph.obedience_to_order
    assert ph.offences_covered == ("any",) and ph.covers_any and ph.covers("fraud")
    assert "9208" in ph.provision
    assert not any(j.obedience_to_order for c, j in jurisdictions().items() if c != "PH")


def test_indonesia_strict_compulsion_any_offence():
    id_ = jurisdictions()["ID"]
    assert id_.model == "compulsion_strict" and id_.offences_covered == ("any",)
    assert id_.confidence is Confidence.NPKIT_READING


def test_seven_states_have_provisions_and_five_use_causation():
    js = jurisdictions()
    assert sorted(c for c, j in js.items() if j.has_provision) == [
        "BN", "ID", "LA", "MM", "MY", "PH", "TH",
    ]
    assert sorted(c for c, j in js.items() if j.model == "causation") == [
        "BN", "LA", "MM", "MY", "PH",
    ]


def test_coverage_matches_engine_rules():
    # notes/RULES.md, "Jurisdictions": the engine's coverage table
    expected = {
        "BN": {"illegal_entry", "overstay", "document_offence"},
        "KH": set(),
        "ID": "any",
        "LA": {"illegal_entry", "overstay", "prostitution"},
        "MY": {"illegal_entry", "overstay", "document_offence"},
        "MM": {"trafficking_in_persons"},
        "PH": "any",
        "SG": set(),
        "TH": {
            "illegal_entry", "overstay", "false_information", "document_offence",
            "prostitution", "working_without_permit",
        },
        "VN": set(),
    }
    for code, row in jurisdictions().items():
        got = row.offences_covered
        assert ("any" if row.covers_any else set(got)) == expected[code], code
        assert set(got) <= set(OffenceType.__members__) | {"any"}


def test_provisions_named_only_where_sources_name_them():
    named = {c for c, j in jurisdictions().items() if j.provision}
    assert named == {"PH", "TH"}


# --- instruments ---------------------------------------------------------------------------


def test_instruments_present_with_expected_features():
    ins = instruments()
    assert set(ins) == {
        "ohchr_principle_7", "actip_14_7", "ilo_p29_4_2", "coe_convention_26",
        "eu_directive_2011_36_8", "refugee_convention_31", "ecthr_vcl_an_v_uk",
    }
    assert ins["actip_14_7"].discretion == "shall_consider" and ins["actip_14_7"].binding
    assert ins["ilo_p29_4_2"].requires_forced_labour
    assert ins["ilo_p29_4_2"].discretion == "entitled"
    assert [i for i, r in ins.items() if r.requires_forced_labour] == ["ilo_p29_4_2"]
    assert ins["ecthr_vcl_an_v_uk"].model == "none"
    assert ins["ecthr_vcl_an_v_uk"].kind == "case_law"
    assert not ins["ohchr_principle_7"].binding
    assert set(ins["refugee_convention_31"].offences_covered) == {"illegal_entry", "overstay"}
    for row in ins.values():
        assert row.binding_note.strip(), row.id


# --- recommendations -----------------------------------------------------------------------


def test_twenty_six_recommendations_numbered_in_order():
    recs = recommendations()
    assert [r.number for r in recs] == list(range(1, 27))
    for r in recs:
        assert r.title.strip() and r.text.strip()
        assert r.source.source == "asean_npp_study"
        assert r.source.pinpoint == f"Recommendation {r.number}"
        assert r.citations[0].confidence is Confidence.VERIFIED


def test_recommendation_stages_follow_the_study_grouping():
    groups = {
        "identification": range(1, 6),
        "arrest_and_charge": range(6, 10),
        "prosecution": range(10, 16),
        "defences": range(16, 21),
        "sentencing": range(21, 25),
        "post_conviction": range(25, 27),
    }
    for r in recommendations():
        assert r.number in groups[r.stage], r.number


# --- schema --------------------------------------------------------------------------------


def _th_raw():
    return next(r for r in _raw("jurisdictions.yaml") if r["code"] == "TH")


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"offences_covered": ["fraud", "cyber_scamming"]}, "unknown OffenceType terms"),
        ({"offences_covered": "all"}, "must be a list of OffenceType terms"),
        ({"offences_covered": ["any", "fraud"]}, "cannot be combined"),
        ({"offences_covered": ["fraud", "fraud"]}, "lists a term twice"),
        ({"model": "presumption"}, "model"),
        ({"discretion": "entitled"}, "discretion"),
        ({"sources": [{"source": "wikipedia", "pinpoint": "x"}]}, "unknown source 'wikipedia'"),
        ({"sources": [{"source": "fitzgerald2024", "pinpoint": ""}]}, "pinpoint"),
        ({"sources": [{"source": "npkit", "pinpoint": "x"}]}, "needs at least one seed source"),
        ({"sources": []}, "sources"),
        ({"confidence": "secondary"}, "has readings, so confidence must be npkit_reading"),
        ({"readings": []}, "npkit_reading needs `readings`"),
        ({"confidence": "certain"}, "confidence"),
        ({"last_checked": "last spring"}, "last_checked"),
        ({"checked_against": ""}, "checked_against"),
        ({"summary": ""}, "summary"),
        ({"unexpected": 1}, "unexpected"),
    ],
)
def test_schema_rejects_bad_rows(change, error):
    Jurisdiction.model_validate(_th_raw())  # TH as it stands is accepted
    with pytest.raises(ValidationError, match=re.escape(error)):
        Jurisdiction.model_validate({**_th_raw(), **change})


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("code: TH\n", "npkit/law/data/jurisdictions.yaml: expected a list of rows"),
        ("- {code: XX}\n", "Jurisdiction"),
    ],
)
def test_loader_refuses_a_bad_data_file(tmp_path, monkeypatch, text, error):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "jurisdictions.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setattr(jurisdiction_data, "resources", SimpleNamespace(files=lambda _: tmp_path))
    with pytest.raises(ValueError, match=re.escape(error)):
        jurisdiction_data._jurisdictions.__wrapped__()  # past the cache of the real file


def test_loader_refuses_a_duplicate_code(monkeypatch):
    rows = _raw("jurisdictions.yaml")
    monkeypatch.setattr(jurisdiction_data, "_load", lambda name, *_: [*rows, _th_raw()])
    with pytest.raises(ValueError, match=re.escape("duplicate jurisdiction codes: ['TH']")):
        # the reader itself: the shared cache is keyed by the file, which this test leaves be
        jurisdiction_data._read_jurisdictions("en")


def test_no_provision_row_cannot_list_offences():
    kh = next(r for r in _raw("jurisdictions.yaml") if r["code"] == "KH")
    with pytest.raises(ValidationError):
        Jurisdiction.model_validate({**kh, "offences_covered": ["illegal_entry"]})


def test_rows_are_frozen_and_other_models_forbid_extras():
    with pytest.raises(ValidationError):
        jurisdictions()["TH"].model = "causation"
    ilo = next(r for r in _raw("instruments.yaml") if r["id"] == "ilo_p29_4_2")
    with pytest.raises(ValidationError):
        Instrument.model_validate({**ilo, "code": "XX"})
    with pytest.raises(ValidationError):
        Recommendation.model_validate(
            {"number": 27, "stage": "appeal", "title": "t", "text": "t",
             "source": {"source": "asean_npp_study", "pinpoint": "Recommendation 27"}}
        )


def test_loaders_return_fresh_containers():
    jurisdictions().pop("TH")
    recommendations().clear()
    assert "TH" in jurisdictions() and len(recommendations()) == 26


def test_import_is_cheap():
    code = (
        "import sys, npkit.law.jurisdiction_data as m; m.jurisdictions(); "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
