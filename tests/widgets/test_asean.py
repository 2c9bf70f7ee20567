"""Module 4 widgets, driven headless through their ipywidgets controls. Expected rows come
from the reference data (jurisdictions(), instruments()) and from assess(), never a typed list."""

import html
import re

import pytest

from npkit.casefile.editing import edit_case, edit_offence
from npkit.casefile.library import get_case, library
from npkit.course.widgets import asean as asean_mod
from npkit.course.widgets.asean import AseanCase, AseanTable, has_provision
from npkit.course.widgets.base import words
from npkit.course.widgets.models_table import cite_text
from npkit.engine.assessment import assess
from npkit.law.citations import Confidence
from npkit.law.jurisdiction_data import instruments, jurisdictions


@pytest.fixture(scope="module")
def cases():
    return library().cases


@pytest.fixture
def table():
    return AseanTable()


def row(html_text: str, key: str) -> str:
    m = re.search(rf'<tr data-row="{re.escape(key)}">(.*?)</tr>', html_text, re.S)
    assert m, f"no row {key}"
    return m.group(1)


def shown_keys(html_text: str) -> list[str]:
    return re.findall(r'<tr data-row="([^"]+)">', html_text)


def test_all_rows_at_first(table):
    expected = list(jurisdictions()) + list(instruments())
    assert table.visible == expected
    assert shown_keys(table.table.value) == expected


def test_filter_by_causation_shows_exactly_the_causation_states(table):
    table.model.value = "causation"
    data = jurisdictions()
    causation_states = {code for code, r in data.items() if r.model == "causation"}
    assert causation_states  # the data has some
    shown_states = {k for k in shown_keys(table.table.value) if k in data}
    assert shown_states == causation_states
    assert {k for k in table.visible if k in data} == causation_states
    causation_instruments = {k for k, r in instruments().items() if r.model == "causation"}
    assert {k for k in table.visible if k not in data} == causation_instruments


def test_filter_by_provision(table):
    data = jurisdictions()
    table.provision.value = "no"
    assert {k for k in table.visible if k in data} == {
        c for c, r in data.items() if not r.has_provision}
    table.provision.value = "yes"
    assert {k for k in table.visible if k in data} == {
        c for c, r in data.items() if r.has_provision}


def test_instruments_can_be_hidden(table):
    table.include_instruments.value = False
    assert table.visible == list(jurisdictions())
    assert "International and regional instruments" not in table.table.value


def test_instruments_can_start_hidden_and_be_shown():
    table = AseanTable(instruments=False)
    assert table.include_instruments.value is False
    assert table.visible == list(jurisdictions())
    assert "International and regional instruments" not in table.table.value
    table.include_instruments.value = True
    assert table.visible == list(jurisdictions()) + list(instruments())
    assert "International and regional instruments" in table.table.value


def test_offence_type_fraud_marks_thailand_not_covered(table):
    assert "Covers fraud?" not in table.table.value
    table.offence.value = "fraud"
    assert "Covers fraud?" in table.table.value
    assert "not covered" in row(table.table.value, "TH")
    for code, r in jurisdictions().items():
        mark = row(table.table.value, code)
        covered = has_provision(r) and r.covers("fraud")
        assert ("✔</span> covered" in mark) is covered, code
        assert ("not covered" in mark) is (not covered), code


def test_offence_type_overstay_marks_thailand_covered(table):
    table.offence.value = "overstay"
    assert "✔</span> covered" in row(table.table.value, "TH")
    assert "not covered (no provision)" in row(table.table.value, "KH")


def test_every_row_shows_source_confidence_and_last_checked(table):
    rows = {**jurisdictions(), **instruments()}
    for key, r in rows.items():
        text = html.unescape(row(table.table.value, key))
        assert r.last_checked.isoformat() in text, key
        assert "Confidence:" in text and r.confidence.label in text, key
        for c in r.citations:
            assert cite_text(c) in text, key
        assert r.summary in text, key


def test_reminder_to_verify_current_law(table):
    assert "Verify current law" in table.widget.children[0].value


def test_the_reminder_and_the_row_wording_come_from_data_with_citations(table):
    """Issue 13: the reminder is a note with its sources; a row's unnamed section, missing
    provision and the limits its data adds to its model are the wording catalogue's."""
    from npkit.law.wording import say
    from npkit.notes import note

    reminder = note(asean_mod.VERIFY_NOTE)
    shown = html.unescape(table.widget.children[0].value)
    assert reminder.text in shown and reminder.source_text in shown
    text = html.unescape(table.table.value)
    rows = {**jurisdictions(), **instruments()}
    for key, r in rows.items():
        cells = row(text, key)
        if getattr(r, "obedience_to_order", False):
            assert say("jurisdictions.qualifier.obedience_to_order") in cells, key
        if getattr(r, "requires_forced_labour", False):
            assert say("jurisdictions.qualifier.forced_labour") in cells, key
        if getattr(r, "code", None) and not r.provision:
            code = "unnamed" if r.has_provision else "none"
            assert say(f"jurisdictions.provision.{code}") in cells, key
    assert any(getattr(r, "obedience_to_order", False) for r in rows.values())


def test_filters_are_labelled(table):
    for control in (table.model, table.provision, table.offence, table.include_instruments):
        assert control.description


def test_crafted_filter_values_are_ignored(table):
    before = (table.table.value, dict(table.state))
    table._on_model({"new": "<script>alert(1)</script>"})
    table._on_model({"new": None})
    table._on_provision({"new": "maybe"})
    table._on_offence({"new": "arson"})
    table._on_instruments({"new": "yes"})
    table._on_model("garbage")
    assert (table.table.value, table.state) == before
    assert table.status.value == ""


def test_a_rendering_error_is_shown_not_raised(table, monkeypatch):
    monkeypatch.setattr(asean_mod, "_view", lambda *a: 1 / 0)
    table.model.value = "causation"
    assert "could not be drawn" in table.status.value


def test_case_in_every_state_matches_the_engine(cases):
    view = AseanCase(cases)
    assert view.case_picker.value == "jane"
    view.compare.click()
    a = assess(get_case("jane"), counterfactuals=False)
    expected = {**{k: n.outcome for k, n in a.jurisdictions.items()},
                **{k: n.outcome for k, n in a.instruments.items()}}
    assert view.outcomes == expected
    for key, outcome in expected.items():
        assert f"</span> {words(outcome)}</span>" in row(view.table.value, key)


def test_discretionary_outcomes_are_explained(cases):
    view = AseanCase(cases)
    view.compare.click()
    actip = html.unescape(row(view.table.value, "actip_14_7"))
    assert "Why discretionary" in actip and "consider" in actip
    view.case_picker.value = "status_only"
    view.compare.click()
    th = html.unescape(row(view.table.value, "TH"))
    assert view.outcomes["TH"] == "discretionary"
    assert "Why discretionary" in th and "Minister of Justice" in th
    assert "Where protection is discretionary here, and why" in view.summary.value


def test_case_rows_show_source_and_confidence(cases):
    view = AseanCase(cases)
    view.compare.click()
    th = html.unescape(row(view.table.value, "TH"))
    assert Confidence.NPKIT_READING.label in th  # Thailand's row is npkit's reading
    assert "last checked" in th


def test_case_picker_ignores_crafted_ids(cases):
    view = AseanCase(cases)
    before = view.table.value
    view._on_case({"new": "no_such_case"})
    view._on_offence({"new": "no_such_charge"})
    assert view.case_id == "jane" and view.table.value == before


def test_case_text_is_escaped():
    jane = get_case("jane")
    evil = edit_case(jane, id="evil", title="<img src=x onerror=alert(1)>",
                     person={"pseudonym": "<i>Eve</i>", "age": 25})
    evil = edit_offence(evil, "fraud", charge="<script>alert(1)</script>")
    view = AseanCase([evil], "evil")
    view.compare.click()
    shown = view.charge.value + view.question.value + view.summary.value + view.table.value
    assert "<script>" not in shown and "<i>Eve" not in shown
    assert "&lt;script&gt;" in shown and "&lt;i&gt;Eve&lt;/i&gt;" in shown
