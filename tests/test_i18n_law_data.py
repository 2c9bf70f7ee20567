"""The law data a learner reads, in Thai (issue 17): jurisdictions.yaml, instruments.yaml and the
context figures of parameters.yaml carry `th:` overlays next to the English.

Every learner-visible text field has its Thai; a translation replaces text only (never an id, a
model, an offence term, a provision as cited, a source or a pinpoint); and the engine decides
the same whatever the page's language.
"""

from __future__ import annotations

import re
from importlib import resources
from string import Formatter

import pytest
import yaml

from npkit import i18n
from npkit.casefile.library import library
from npkit.engine import assessment
from npkit.engine.assessment import assess
from npkit.i18n.content import ContentError, untranslated
from npkit.law import jurisdiction_data, parameters
from npkit.law.jurisdiction_data import (
    INSTRUMENT_TEXT,
    JURISDICTION_TEXT,
    instruments,
    jurisdictions,
)
from npkit.law.stages import context_figures
from npkit.law.translated import localized

THAI = re.compile("[\u0e00-\u0e7f]")
FILES = {"jurisdictions.yaml": JURISDICTION_TEXT, "instruments.yaml": INSTRUMENT_TEXT,
         "parameters.yaml": parameters.TEXT}


def _raw(name: str):
    text = resources.files("npkit.law").joinpath("data", name).read_text(encoding="utf-8")
    return yaml.safe_load(text)


def _overlay_texts(data):
    """Every string inside a `th:` overlay."""
    if isinstance(data, list):
        for item in data:
            yield from _overlay_texts(item)
    elif isinstance(data, dict):
        for key, value in data.items():
            if key == "th":
                yield from _strings(value)
            else:
                yield from _overlay_texts(value)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)


@pytest.mark.parametrize("name", sorted(FILES))
def test_every_learner_visible_text_field_has_its_thai(name):
    assert untranslated(_raw(name), "th", FILES[name]) == []


@pytest.mark.parametrize("name", sorted(FILES))
def test_the_thai_is_thai(name):
    texts = list(_overlay_texts(_raw(name)))
    assert texts
    assert [t for t in texts if not THAI.search(t)] == []


def test_the_completeness_check_sees_a_missing_translation():
    rows = _raw("jurisdictions.yaml")
    del rows[0]["th"]["summary"]
    assert untranslated(rows, "th", JURISDICTION_TEXT) == ["[0].summary"]


def _kept(row, text_keys) -> dict:
    return {k: v for k, v in row.model_dump().items() if k not in text_keys}


def test_a_translation_changes_only_text():
    for english, thai, keys in ((jurisdictions(), jurisdictions("th"), JURISDICTION_TEXT),
                                (instruments(), instruments("th"), INSTRUMENT_TEXT)):
        assert list(english) == list(thai)
        for key in english:
            assert _kept(thai[key], keys) == _kept(english[key], keys), key
            assert thai[key].summary != english[key].summary
    assert jurisdictions("th")["TH"].provision == jurisdictions()["TH"].provision


@pytest.mark.parametrize("field, value", [("model", "causation"), ("provision", "s 1"),
                                          ("code", "XX")])
def test_an_overlay_on_anything_but_text_is_refused(field, value):
    row = next(r for r in _raw("jurisdictions.yaml") if r["code"] == "TH")
    row["th"][field] = value
    with pytest.raises(ContentError, match=rf"^TH\.th\.{field}: th: may only translate text "
                                           rf"fields \(checked_against, coverage_note, name, "):
        localized(row, "th", JURISDICTION_TEXT, where="TH")


def test_an_overlay_on_a_pinpoint_is_refused():
    row = next(r for r in _raw("jurisdictions.yaml") if r["code"] == "TH")
    row["th"]["sources"] = [{"pinpoint": "IV.A.9"}, *([None] * (len(row["sources"]) - 1))]
    with pytest.raises(ContentError, match=r"^TH\.th\.sources\[0\]\.pinpoint: th: may only"):
        localized(row, "th", JURISDICTION_TEXT, where="TH")


def test_an_unknown_language_reads_the_english():
    assert jurisdictions("xx") == jurisdictions()
    assert jurisdictions("en")["TH"].name == "Thailand"


def test_the_context_figures_read_their_thai_text():
    english, thai = context_figures(), context_figures(lang="th")
    assert [(f.figure, f.source) for f in thai] == [(f.figure, f.source) for f in english]
    for e, t in zip(english, thai, strict=True):
        assert THAI.search(t.text) and not THAI.search(e.text)
    assert "60" in thai[0].text and "100,000" in thai[0].text


def test_the_thai_context_sentences_take_the_english_fields():
    def fields(text):
        return sorted(name for _, name, _, _ in Formatter().parse(text) if name)

    for pid, p in parameters.parameters().items():
        if p.shown:
            assert fields(parameters.parameters("th")[pid].shown) == fields(p.shown), pid


def _every_assessment() -> dict:
    # the case files in English both times: the case's own text follows the language
    # (tests/test_i18n_cases.py); what is tested here is that the law and engine do not
    cases = library(lang="en").cases
    assert len(cases) >= 10
    return {(case.id, o.id): assess(case, o.id, counterfactuals=False)
            for case in cases for o in case.offences}


def _cold() -> None:
    assessment.evaluate.cache_clear()
    assessment._rows.cache_clear()
    jurisdiction_data._jurisdictions.cache_clear()
    jurisdiction_data._instruments.cache_clear()


def test_the_engine_decides_the_same_in_every_language():
    try:
        _cold()
        i18n.use("th")
        jurisdictions("th"), instruments("th")  # the Thai rows loaded first, as a page would
        thai = _every_assessment()
        _cold()
        i18n.use("en")
        english = _every_assessment()
    finally:
        i18n.use(i18n.DEFAULT)
        _cold()
    assert thai.keys() == english.keys()
    for key, a in english.items():
        b = thai[key]
        assert b.outcomes() == a.outcomes(), key
        assert b.tree == a.tree, key  # every finding, reason, code and citation
        assert b.other_offences == a.other_offences, key
