"""The expected block split into what a source concludes and npkit's application."""

import pytest

from npkit.casefile.docs import EXAMPLE
from npkit.casefile.loader import CaseFileError, case_from_text

FITZ = "  source: fitzgerald2024\n  pinpoint: invented example"
SPLIT = """
expected:
  source:
    citation: {source: fitzgerald2024, pinpoint: "V.B.1"}
    outcomes:
      victim.outcome: victim
      non_punishment.outcome: protected
    pinpoints:
      non_punishment.outcome: "V.C"
  npkit:
    note: npkit's application
    outcomes:
      models.causation.outcome: protected
"""


def load(text: str):
    return case_from_text(text, name="cases/ana.yaml", expected_id="ana")


def errors(text: str) -> str:
    with pytest.raises(CaseFileError) as info:
        load(text)
    return "\n".join(str(e) for e in info.value.errors)


def as_fitz(example: str = EXAMPLE) -> str:
    return example.replace("  source: npkit\n  pinpoint: invented example", FITZ)


def test_a_split_block_loads_and_keeps_its_parts_apart():
    case = load(EXAMPLE + SPLIT)
    assert case.source_conclusions == {"victim.outcome": "victim",
                                       "non_punishment.outcome": "protected"}
    assert case.npkit_outcomes == {"models.causation.outcome": "protected"}
    assert case.expected_outcomes == {"victim.outcome": "victim",
                                      "models.causation.outcome": "protected"}
    assert case.source_pinpoint("victim.outcome") == "V.B.1"
    assert case.source_pinpoint("non_punishment.outcome") == "V.C"
    assert case.source_citation.source == "fitzgerald2024"


def test_a_plain_block_is_npkits_application():
    case = load(EXAMPLE + "expected:\n  victim.outcome: victim\n")
    assert case.npkit_outcomes == {"victim.outcome": "victim"}
    assert case.source_conclusions == {}


def test_a_case_from_a_source_document_must_split():
    text = as_fitz() + "expected:\n  victim.outcome: victim\n"
    assert "splits its outcomes into 'source:'" in errors(text)


def test_expected_source_cannot_credit_a_plain_block_to_a_document():
    text = EXAMPLE + ("expected:\n  victim.outcome: victim\n"
                      "expected_source: {source: fitzgerald2024, pinpoint: V.B.1}\n")
    assert "splits its outcomes" in errors(text)


def test_an_outcome_cannot_be_both_the_sources_and_npkits():
    text = EXAMPLE + SPLIT + "      victim.outcome: victim\n"
    assert "under both 'source' and 'npkit'" in errors(text)


def test_the_source_part_cannot_be_npkit():
    text = EXAMPLE + SPLIT.replace("source: fitzgerald2024, pinpoint", "source: npkit, pinpoint")
    assert "put npkit's own outcomes under 'npkit'" in errors(text)


def test_a_source_only_key_is_refused_under_npkit():
    text = EXAMPLE + SPLIT.replace("      models.causation.outcome: protected",
                                   "      non_punishment.outcome: protected")
    assert "'non_punishment.outcome' is not an outcome key" in errors(text)


def test_every_source_outcome_needs_a_pinpoint():
    text = EXAMPLE + SPLIT.replace('pinpoint: "V.B.1"', 'pinpoint: ""')
    assert "needs a pinpoint" in errors(text)


def test_unknown_parts_and_bad_values_are_named_with_a_line():
    text = EXAMPLE + SPLIT.replace("  npkit:\n", "  npkitt:\n")
    found = errors(text)
    assert "'npkitt'" in found and "cases/ana.yaml:" in found
    text = EXAMPLE + SPLIT.replace("victim.outcome: victim", "victim.outcome: maybe")
    assert "victim.outcome: 'maybe' is not one of victim, not_victim" in errors(text)
