import pytest
import yaml
from pydantic import ValidationError

from npkit.casefile.case import Case
from npkit.casefile.editing import edit_offence, edit_period, to_yaml

BASE = {
    "id": "ana", "title": "Ana", "lesson": "l", "source": {"source": "npkit"},
    "person": {"pseudonym": "Ana", "age": 30},
    "narrative": [{"text": "Ana answered an advert.\nShe was taken across a border.",
                   "tags": ["act.recruitment"]}],
    "periods": [{"id": "main", "recruitment": {"method": "job_advert"},
                 "acts": ["recruitment"], "means": ["deception"],
                 "purposes": ["forced_criminality"],
                 "threats": [{"target": "self", "severity": "unspecified",
                              "imminence": "periodic"}],
                 "escape": {"reasonable_opportunity": False}}],
    "offences": [{"id": "fraud", "charge": "Fraud", "type": "fraud", "category": "purpose",
                  "period": "main", "harm": "property_major"}],
    "identification": {"status": "identified"}, "proceedings": {"stage": "prosecution"},
}


def test_yaml_round_trip_keeps_every_fact():
    case = Case.model_validate(BASE)
    again = Case.model_validate(yaml.safe_load(to_yaml(case)))
    assert again == case


def test_edit_period_changes_only_that_field():
    case = Case.model_validate(BASE)
    threats = [{"target": "self", "severity": "death", "imminence": "imminent"}]
    edited = edit_period(case, "main", threats=threats, escape={"note": "watched"})
    assert edited.periods[0].threats[0].imminence == "imminent"
    assert edited.periods[0].escape.note == "watched"
    assert edited.periods[0].escape.reasonable_opportunity is False
    assert case.periods[0].threats[0].imminence == "periodic"  # original untouched


def test_untrusted_values_are_rejected():
    case = Case.model_validate(BASE)
    with pytest.raises(ValidationError):
        edit_period(case, "main", means=["mind_control"])
    with pytest.raises(ValidationError):
        edit_offence(case, "fraud", harm="<script>alert(1)</script>")
    with pytest.raises(KeyError):
        edit_period(case, "nope", acts=[])
