"""The outcome matrix: rows, change marks, the live status line, accessible markup."""


import pytest
from html_cells import Cells

from npkit.casefile.library import get_case
from npkit.course.widgets.outcome_matrix import (
    OutcomeMatrix,
    changes,
    finding_for,
    outcome_map,
    rows,
    status_text,
    table_html,
)
from npkit.engine.assessment import assess


@pytest.fixture(scope="module")
def jane():
    return assess(get_case("jane"), counterfactuals=False)


@pytest.fixture(scope="module")
def jane_imminent():
    return assess(get_case("jane_imminent"), counterfactuals=False)


def cells(html, key):
    p = Cells(key)
    p.feed(html)
    return [" ".join(c.split()) for c in p.cells]


def test_rows_cover_victim_duress_models_and_ten_states(jane):
    keys = [r.key for r in rows(jane)]
    assert keys[0] == "victim"
    assert [k for k in keys if k.startswith("duress.")] == [
        "duress.england_wales", "duress.malaysia", "duress.rome_statute"]
    assert len([k for k in keys if k.startswith("models.")]) == 8
    assert len([k for k in keys if k.startswith("jurisdictions.")]) == 10
    assert len(keys) == len(set(keys)) == 22


def test_rows_show_what_assess_found(jane):
    flat = jane.outcomes()
    for r in rows(jane):
        path = "victim.outcome" if r.key == "victim" else f"{r.key}.outcome"
        assert r.outcome == flat[path]
        assert finding_for(jane, r.key).outcome == r.outcome


def test_unknown_row_key_is_a_key_error(jane):
    for key in ("instruments.x", "duress.nowhere", "", "victim.outcome"):
        with pytest.raises(KeyError):
            finding_for(jane, key)


def test_table_is_accessible(jane):
    html = table_html(rows(jane))
    assert "<caption>" in html
    assert html.count("<th scope='col'>") == 4
    assert html.count("<th scope='row'>") == 22
    assert html.count("scope='rowgroup'") == 4
    # every outcome is a word with a symbol, never colour alone
    assert cells(html, "duress.england_wales")[1:3] == ["✘ fails", "✘ fails"]
    assert cells(html, "models.causation")[1:3] == ["✔ protected", "✔ protected"]
    assert "changed" not in html


def test_changed_cells_are_marked_in_words(jane, jane_imminent):
    html = table_html(rows(jane_imminent), outcome_map(jane))
    assert cells(html, "duress.england_wales") == [
        "Duress (England & Wales)", "✘ fails", "✔ succeeds npkit's reading", "▲ changed"]
    assert cells(html, "duress.malaysia")[1:] == ["✘ fails", "✘ fails", "no"]
    changed = [r.key for r in rows(jane_imminent) if cells(html, r.key)[-1] == "▲ changed"]
    assert changed == ["duress.england_wales", "duress.rome_statute",
                       "models.compulsion_strict", "jurisdictions.ID"]


def test_changes_and_status_line(jane, jane_imminent):
    moved = changes(outcome_map(jane), rows(jane_imminent))
    assert [c.text() for c in moved][:2] == [
        "Duress (England & Wales): fails → succeeds", "Duress (Rome Statute): fails → succeeds"]
    moved = moved[:2]  # the imminent threat also meets strict compulsion (and Indonesia)
    assert status_text(None, []) == "Every outcome is as in the case file."
    assert status_text([], moved) == \
        "This change moved no outcome. 2 outcomes now differ from the case file."
    assert status_text(moved[:1], moved[:1]) == (
        "This change: Duress (England & Wales): fails → succeeds. "
        "1 outcome now differs from the case file.")


def test_widget_tracks_the_last_change_and_the_baseline(jane, jane_imminent):
    m = OutcomeMatrix()
    m.set_baseline(jane, "Loaded <Jane>.")
    assert 'aria-live=\'polite\'' in m.status.value
    assert "Loaded &lt;Jane&gt;." in m.status.value  # escaped
    assert "Every outcome is as in the case file." in m.status.value
    moved = m.show(jane_imminent)
    assert [c.key for c in moved] == ["duress.england_wales", "duress.rome_statute",
                                      "models.compulsion_strict", "jurisdictions.ID"]
    assert "Duress (England &amp; Wales): fails → succeeds" in m.status.value
    assert "succeeds" in m.row_html("duress.england_wales")
    assert m.show(jane_imminent) == []
    assert "This change moved no outcome. 4 outcomes now differ" in m.status.value
    m.show(jane)
    assert "Duress (England &amp; Wales): succeeds → fails" in m.status.value
    assert "Every outcome is as in the case file." in m.status.value
    assert "changed</strong>" not in m.table.value
    assert m.row_html("nope") == ""
