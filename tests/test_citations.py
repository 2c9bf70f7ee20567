import pytest

from npkit.law.citations import SOURCES, Citation, Confidence, fitz, reading


def test_unknown_source_is_rejected():
    with pytest.raises(ValueError, match="unknown source"):
        Citation("wikipedia", "1")


def test_npkit_reading_is_labelled_in_text():
    assert "npkit's reading" in str(reading("dual-factor weighing"))
    assert "npkit's reading" not in str(fitz("V.A"))


def test_citation_dict_names_title_and_confidence():
    d = fitz("V.B", authority="R v LM [2010] EWCA Crim 2327").to_dict()
    assert d["title"] == SOURCES["fitzgerald2024"].title
    assert d["confidence"] == Confidence.VERIFIED.value
    assert "R v LM" in d["text"] and "Fitzgerald 2024, V.B" in d["text"]
