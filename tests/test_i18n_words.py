"""The engine's words in the learner's language (npkit.render.words) and the extractors that put
them in the catalogue (npkit.i18n.extract)."""

from __future__ import annotations

import io

import pytest

from npkit import i18n
from npkit.engine.findings import Reason
from npkit.i18n.extract import extract_wording, law_labels
from npkit.law.citations import Confidence
from npkit.law.registry import rule
from npkit.law.wording import template
from npkit.render import words as rw


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use(i18n.DEFAULT)


def a_reason() -> Reason:
    source = rule("victim").citations[0]
    return Reason.of("victim.act.present", source, acts="recruitment")


def test_a_reason_in_english_is_the_engines_text():
    r = a_reason()
    assert rw.reason_text(r) == r.text


def test_a_reason_is_translated_by_its_code_and_filled_with_its_parameters():
    i18n.use(i18n.PSEUDO)
    out = rw.reason_text(a_reason())
    assert out != a_reason().text and out.startswith("[")
    assert "recruitment" in out  # the parameter, filled after translation


def test_a_reason_without_a_code_shows_its_text():
    r = Reason("Typed by hand.", rule("victim").citations[0])
    i18n.use(i18n.PSEUDO)
    assert rw.reason_text(r) == "Typed by hand."


def test_a_translation_that_drops_a_field_falls_back_to_the_english(monkeypatch):
    monkeypatch.setattr(rw, "pgettext", lambda code, text: "{no_such_field}")
    r = a_reason()
    assert rw.reason_text(r) == r.text


def test_outcome_words_marks_and_terms_go_through_the_catalogue():
    assert rw.outcome_word("not_protected") == "not protected"
    assert rw.outcome_word("not met") == "not met"
    assert rw.outcome_word("made_up") == "made up"
    i18n.use(i18n.PSEUDO)
    assert rw.outcome_word("not_protected").startswith("[")
    assert rw.mark(Confidence.NPKIT_READING).startswith("[")
    assert rw.term("money_laundering").startswith("[")
    assert rw.outcome_word("made_up") == "made up"  # not in the table: shown, not invented


def test_the_wording_extractor_gives_the_code_as_context_and_the_template_as_msgid():
    yaml_text = (b"# a comment\nduress.no_escape.none: >-\n"
                 b"  There was no reasonable\n  opportunity.\n")
    found = list(extract_wording(io.BytesIO(yaml_text), [], [], {}))
    assert found == [(2, "pgettext", ("duress.no_escape.none",
                                      "There was no reasonable opportunity."), found[0][3])]


def test_the_extracted_wording_is_the_template_the_engine_uses():
    from importlib import resources

    folder = resources.files("npkit.law") / "data" / "wording"
    for entry in folder.iterdir():
        if entry.name.endswith(".yaml"):
            for _line, _fn, (code, msgid), _c in extract_wording(
                    io.BytesIO(entry.read_bytes()), [], [], {}):
                assert msgid == template(code), code


def test_the_law_labels_hold_the_marks_the_titles_and_the_vocabulary():
    found = law_labels()
    assert Confidence.NPKIT_READING.label in found
    assert "Non-punishment models" in found  # a group's title
    assert "Imminent threat" in found  # a test's title
    assert rule("duress.england_wales").title in found
