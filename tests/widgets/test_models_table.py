"""Module 3 widgets, driven headless through their ipywidgets controls."""

import html
import re

import pytest
from markupsafe import escape

from npkit.casefile.editing import edit_case, edit_offence
from npkit.casefile.library import get_case, library
from npkit.course.widgets import models_table as mt
from npkit.course.widgets.base import words
from npkit.course.widgets.models_table import (
    CATEGORY_CASES,
    Discussion,
    ModelsTable,
    OffenceCategories,
)
from npkit.engine.assessment import assess
from npkit.law.citations import Confidence
from npkit.law.models import MODELS
from npkit.render.frame import matrix

EVIL = '<img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def cases():
    return library().cases


@pytest.fixture
def table(cases):
    """Module 3's table once the trainee has guessed for Jane's principal charge (decide
    first: nothing is shown before)."""
    t = ModelsTable(cases)
    t.compare.click()
    return t


def row(html_text: str, key: str) -> str:
    """The main row (not the "Full reasoning" row) for ``key``, e.g. ``models.causation``."""
    m = re.search(rf'<tr data-row="{re.escape(key)}">(.*?)</tr>', html_text, re.S)
    assert m, f"no row {key}"
    return m.group(1)


def outcome_word(row_html: str) -> str:
    """The word of the first outcome badge in a row."""
    m = re.search(r'<span class="npk-badge[^"]*"><span aria-hidden="true">[^<]*</span> '
                  r"([a-z ]+)</span>", row_html)
    assert m
    return m.group(1)


def test_opens_on_jane_principal_charge(table):
    assert table.case_picker.value == "jane"
    assert table.offence_picker.value == get_case("jane").offences[0].id
    assert "Jane" in table.summary.value
    for key in MODELS:
        row(table.table.value, f"models.{key}")


def test_every_model_row_shows_the_engines_outcome(table):
    a = assess(get_case("jane"), counterfactuals=False)
    for key, node in a.models.items():
        assert outcome_word(row(table.table.value, f"models.{key}")) == words(node.outcome)


def test_switching_to_sarah_shows_every_model_not_protected(table):
    table.case_picker.value = "sarah"
    assert table.case_id == "sarah"
    assert table.table.value == ""  # a new case: guess again first
    table.compare.click()
    assert set(table.rows) == set(MODELS)
    for key in MODELS:
        assert outcome_word(row(table.table.value, f"models.{key}")) == "not protected", key
    assert "Sarah" in table.summary.value


def test_johns_causation_row_shows_protected(table):
    table.case_picker.value = "john"
    table.compare.click()
    r = row(table.table.value, "models.causation")
    assert outcome_word(r) == "protected"
    decisive = table.rows["causation"].decisive  # the reason the engine names, whichever it is
    assert decisive.text in html.unescape(r)


def test_dual_factor_row_is_labelled_npkits_reading(table):
    r = html.unescape(row(table.table.value, "models.dual_factor"))
    assert "npkit's reading" in r
    assert Confidence.NPKIT_READING.label in r  # the confidence mark of its citation


def test_source_column_shows_confidence_labels(table):
    r = html.unescape(row(table.table.value, "models.causation"))
    assert "Fitzgerald 2024, IV.B.2" in r
    assert Confidence.VERIFIED.label in r


def test_each_row_expands_to_the_full_tree_with_citations(table):
    more = re.search(r'<tr class="npk-more" data-more="models.causation">(.*?)</tr>',
                     table.table.value, re.S).group(1)
    assert "<details>" in more and "Full reasoning" in more
    assert "But-for link" in more  # the child condition
    assert "stated in the source" in more


def test_narrower_readings_and_all_models_present(table):
    text = html.unescape(table.table.value)
    for title in ("Compulsion (strict)", "Compulsion (broad)", "Causation (but-for)",
                  "temporal-proximity", "directness reading, Mehak", "Closed list",
                  "Presumption", "Dual-Factor"):
        assert title in text


def test_duress_is_shown_beside_the_models(table):
    a = assess(get_case("jane"), counterfactuals=False)
    for key, node in a.duress.items():
        assert outcome_word(row(table.table.value, f"duress.{key}")) == words(node.outcome)
    assert "Duress succeeds under <strong>0 of 3</strong>" in table.summary.value


def test_charge_picker_assesses_the_chosen_charge(table):
    jane = get_case("jane")
    assert [v for _, v in table.offence_picker.options] == [o.id for o in jane.offences]
    table.offence_picker.value = jane.offences[1].id
    assert table.offence_id == jane.offences[1].id
    assert jane.offences[1].charge in html.unescape(table.charge.value)
    table.compare.click()
    assert "Jane" in table.summary.value


def test_changing_case_resets_the_charges(table):
    table.offence_picker.value = "laundering"
    table.case_picker.value = "john"
    john = get_case("john")
    assert [v for _, v in table.offence_picker.options] == [o.id for o in john.offences]
    assert table.offence_picker.value == john.offences[0].id
    assert table.offence_id == john.offences[0].id


def test_crafted_ids_are_ignored_without_crashing(table):
    before = table.table.value
    table._on_case({"new": "no_such_case"})
    table._on_case({"new": None})
    table._on_case("not a change")
    table._on_offence({"new": "no_such_charge"})
    table._on_offence({"new": ["fraud"]})
    table.show("no_such_case")
    assert table.case_id == "jane" and table.offence_id == "fraud"
    assert table.table.value == before
    assert table.status.value == ""


def test_unknown_charge_falls_back_to_the_principal_charge(table):
    table.show("john", "<script>")
    assert table.offence_id == get_case("john").offences[0].id


def test_an_error_is_shown_not_raised(table, monkeypatch):
    def boom(*a, **k):
        raise RuntimeError("engine broke")

    monkeypatch.setattr(mt, "assess", boom)
    table.case_picker.value = "john"  # must not raise
    assert "could not be assessed" in table.status.value
    assert "engine broke" in table.status.value
    assert 'role="alert"' in table.status.value


def test_html_in_case_text_is_escaped():
    jane = get_case("jane")
    evil = edit_case(jane, id="evil", title=EVIL, lesson=EVIL,
                     person={"pseudonym": "<b>Eve</b>", "age": 25},
                     narrative=[{"text": EVIL, "tags": []}])
    evil = edit_offence(evil, "fraud", charge=f"<script>alert(1)</script>{EVIL}")
    t = ModelsTable([evil], "evil")
    t.compare.click()
    shown = "".join(v.value for v in (t.charge, t.question, t.concludes, t.summary,
                                        t.case_panel, t.table))
    assert "<img" not in shown and "<script>" not in shown and "<b>Eve" not in shown
    assert str(escape(EVIL)) in shown  # markupsafe writes " as &#34;
    assert "&lt;b&gt;Eve&lt;/b&gt;" in shown


def test_tables_are_accessible(table):
    text = table.table.value
    assert "<caption>" in text
    assert "<th scope='col'>" in text and '<th scope="row"' in text
    for control in (table.case_picker, table.offence_picker):
        assert control.description


def test_offence_categories_matrix_matches_the_engine(cases):
    cats = OffenceCategories(cases)
    assert cats.matrix.value == ""  # decide first: nothing until the button is pressed
    cats.reveal.click()
    text = cats.matrix.value
    chosen = [c for c in cases if c.id in CATEGORY_CASES]
    frame = matrix(chosen)
    heads = re.findall(r'<th scope=\'col\' data-case="([^"]+)">', text)
    assert sorted(heads) == sorted(c.id for c in chosen)  # a case per column, a model per row
    for k in MODELS:
        r = row(text, f"models.{k}")
        words_shown = re.findall(r'<span aria-hidden="true">[^<]*</span> ([a-z ]+)</span>', r)
        assert words_shown == [words(frame.loc[case_id, f"models.{k}"]) for case_id in heads]
    for category in ("status", "purpose", "secondary", "other"):
        assert f"<strong>{category} offence</strong>" in text
    assert "<th scope='col'>" in text and '<th scope="row"' in text


def test_the_duress_heading_and_the_categories_cite_their_notes(table, cases, monkeypatch):
    """Issue 13: the duress rows' heading and the categories' sources are notes, not typed."""
    from npkit.notes import Note, note

    contrast, categories = note(mt.CONTRAST_NOTE), note(mt.CATEGORIES_NOTE)
    text = html.unescape(table.table.value)
    assert contrast.title in text and contrast.source_text in text
    cats = OffenceCategories(cases)
    cats.reveal.click()
    shown = html.unescape(cats.matrix.value)
    assert categories.text in shown and "Fitzgerald 2024, IV.C" in shown
    moved = Note(title="Moved", text="A corrected line.",
                 cite=[{"source": "fitzgerald2024", "pinpoint": "IV.B", "confidence": "verified"}])
    monkeypatch.setattr(mt, "note", lambda n: moved if n == mt.CATEGORIES_NOTE else note(n))
    cats.reveal.click()
    shown = html.unescape(cats.matrix.value)
    plain = re.sub(r"<[^>]+>", "", shown)
    assert "A corrected line. (Fitzgerald 2024, IV.B)" in plain and "IV.C" not in plain


def test_offence_categories_tolerates_a_missing_case(cases):
    cats = OffenceCategories([c for c in cases if c.id != "mehak_like"])
    cats.reveal.click()
    assert "Not in the case library: mehak_like" in cats.matrix.value


def test_discussion_reveals_both_positions_with_sources():
    d = Discussion()
    assert d.sources.value == ""
    assert d.notes.description
    assert not d.notes.continuous_update  # sent once, when left (ui.typed), not at each key
    d.reveal.click()
    text = html.unescape(d.sources.value)
    assert "Fitzgerald 2024, I;" in text and "Fitzgerald 2024, IV.C" in text
    assert "ASEAN NPP study" in text and "Divergent views on the scope of protection" in text
