"""Issue 14's layout pieces on the kernel side: menus of short choices with the whole text
beside them (choice.py), and the scenario lab's note under the fact just changed and the
matrix rows it names for the page to bring into view."""

import html
import re
from pathlib import Path

import ipywidgets as w
import pytest

from npkit.casefile.library import get_case, library
from npkit.course.widgets.choice import Choice, Option, case_options, short_labels
from npkit.course.widgets.models_table import charge_options
from npkit.course.widgets.outcome_matrix import Change, note_text
from npkit.course.widgets.scenario_lab import ScenarioLab

CSS = (Path(__file__).resolve().parents[2] / "share" / "jupyter" / "voila" / "templates" / "npkit"
       / "static" / "npkit.css")

EW = "duress.england_wales"


@pytest.fixture(scope="module")
def cases():
    return library().cases


# --------------------------------------------------------------------------- menus


def test_short_labels_take_the_title_before_its_colon_or_the_fallback():
    assert short_labels([("Jane: a fake office job", "Jane"),
                         ("Jane, changed: a threat there and then", "Jane"),
                         ("No colon in this title", "Kai"),
                         ("A head far longer than thirty-two characters: rest", "Dao")]) == [
        "Jane", "Jane, changed", "Kai", "Dao"]


def test_short_labels_that_repeat_get_their_position():
    assert short_labels([("Ann: one", ""), ("Bo: two", ""), ("Ann: three", "")]) == [
        "Ann (1)", "Bo", "Ann (3)"]


def test_every_case_has_a_short_unique_label_and_its_title_beside(cases):
    options = case_options(cases)
    labels = [o.label for o in options]
    assert len(set(labels)) == len(labels)
    assert max(len(label) for label in labels) <= 32
    assert [o.value for o in options] == [c.id for c in cases]
    assert [o.text for o in options] == [c.title for c in cases]


def test_a_choice_shows_the_chosen_options_whole_text_escaped():
    choice = Choice("Pick", [Option("One", 1, "the first <b>one</b>"), Option("Two", 2, "")])
    assert choice.menu.options == (("One", 1), ("Two", 2))
    assert "the first &lt;b&gt;one&lt;/b&gt;" in choice.beside.value
    choice.menu.value = 2
    assert choice.beside.value == ""  # nothing to add to a label that says it all
    choice.set_options([Option("Three", 3, "the third")], value=99)  # 99 is no option
    assert choice.menu.value == 3 and "the third" in choice.beside.value


def test_charges_are_offered_by_type_with_the_charge_beside():
    jane = get_case("jane")
    options = charge_options(jane)
    assert [o.value for o in options] == [o.id for o in jane.offences]
    assert options[0].label == "Principal charge: fraud"
    assert options[1].label == "Money laundering"
    assert options[0].text == jane.offences[0].charge


# --------------------------------------------------------------------------- the lab


def test_note_text_names_at_most_three_changes():
    moves = [Change(f"k{i}", f"Test {i}", "fails", "succeeds") for i in range(5)]
    assert note_text(None) == ""
    assert note_text([]) == "No outcome changed."
    assert note_text(moves[:1]) == "Changed: Test 0: fails → succeeds."
    said = note_text(moves)
    assert said.count("→") == 3 and said.endswith("; and 2 more.")


def place(widget) -> int:
    """A facts-column child's CSS order: its one ``npk-o<N>`` class (npkit.css orders each)."""
    [found] = [c for c in widget._dom_classes if re.fullmatch(r"npk-o\d+", c)]
    return int(found[5:])


def test_every_place_in_the_facts_column_is_ordered_by_the_stylesheet(cases):
    lab = ScenarioLab(cases, start="jane")
    column = lab.editor.widget.children[:-1]
    assert [place(c) for c in column] == list(range(len(column)))
    css = CSS.read_text(encoding="utf-8")
    for n in range(len(column)):
        assert f".npk-editor > .npk-o{n} {{ order: {n}; }}" in css


def test_the_note_sits_under_the_ticked_box_and_says_what_changed(cases):
    lab = ScenarioLab(cases, start="jane")
    assert lab.editor.note.value == ""
    box = lab.quick["imminent_threat"]
    box.value = True
    said = html.unescape(lab.editor.note.value)
    assert "Duress (England &amp; Wales)" not in said
    assert "Duress (England & Wales): fails → succeeds" in said
    # the note's place in the facts column is right after the box: the box's CSS order, and
    # the note comes after every box in the column
    assert place(lab.editor.note) == place(box)
    assert lab.editor.widget.children[-1] is lab.editor.note
    # the matrix names the rows this change moved, for the page to bring into view
    last = re.search(r"data-last='([^']*)'", lab.matrix.value)
    assert last and EW in last.group(1).split()

    lab.means["deception"].value = False
    assert place(lab.editor.note) == place(lab.means["deception"])

    lab.reset_button.click()
    assert lab.editor.note.value == ""
    assert "data-last" not in lab.matrix.value  # a reset points at nothing


def test_a_refused_change_takes_the_note_away(cases):
    lab = ScenarioLab(cases, start="jane")
    lab.quick["imminent_threat"].value = True
    assert lab.editor.note.value
    assert lab.edit("quick.imminent_threat", "not a bool") is False
    assert lab.editor.note.value == ""


def test_a_threats_menu_puts_the_note_under_the_threats(cases):
    lab = ScenarioLab(cases, start="jane")
    lab.threats[0]["imminence"].value = "imminent"
    assert lab.editor.note.value
    assert place(lab.editor.note) == place(lab.editor.threat_box)


def test_the_threats_menus_share_one_grid_with_their_texts(cases):
    """Every threat's heading, menus and each menu's whole text are children of one box, laid
    out as a grid by npkit.css, not a box per menu (issue 16); a case with fewer threats
    leaves none of the old menus behind, open or shown."""
    lab = ScenarioLab(cases, start="jane")
    grid = lab.editor.threat_box
    assert "npk-threats" in grid._dom_classes
    kinds = [type(c).__name__ for c in grid.children]
    assert "HBox" not in kinds and "VBox" not in kinds
    menus = [c for c in grid.children if isinstance(c, w.Dropdown)]
    assert menus == [dd for row in lab.threats for dd in row.values()]
    for menu in menus:  # each menu's whole text right after it
        after = grid.children[grid.children.index(menu) + 1]
        assert "npk-choice-text" in after._dom_classes
    css = CSS.read_text(encoding="utf-8")
    assert ".npk-editor > .widget-box.npk-threats { display: grid;" in css
    shown = []
    for case in cases:
        lab.picker.value = case.id
        assert lab.loaded.id == case.id
        assert all(c.comm is not None for c in grid.children)
        assert len([c for c in grid.children if isinstance(c, w.Dropdown)]) == \
            3 * len(lab.threats)
        shown.append(len(lab.threats))
    assert len(set(shown)) > 1  # the cases rebuild the grid with more and fewer threats
