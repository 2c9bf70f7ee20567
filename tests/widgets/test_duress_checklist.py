"""Module 2 widget, driven headless: answer the four conditions, compare with npkit."""

import ipywidgets as w
import pytest
from traitlets import TraitError

from npkit.casefile.editing import edit_case
from npkit.casefile.library import get_case, library
from npkit.course.widgets import duress_checklist as checklist_module
from npkit.course.widgets import ui
from npkit.course.widgets.duress_checklist import DuressChecklist
from npkit.law.duress import CONDITIONS, VARIANTS

PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def cases():
    return library().cases


@pytest.fixture
def chk(cases):
    return DuressChecklist(cases, "jane")


def row(html, title):
    return html.split(f"<th scope='row'>{title}</th>")[1].split("</tr>")[0]


def controls(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from controls(child)


def test_offers_jane_john_and_sarah_and_starts_unanswered(chk):
    assert [v for _, v in chk.picker.options] == ["jane", "john", "sarah"]
    assert chk.picker.value == "jane"
    assert all(q.value is None for q in chk.questions.values())
    assert list(chk.questions) == list(CONDITIONS)
    assert "Jane" in chk.prompts["imminent_threat"].value
    assert "Jane is 25" in chk.story.value
    assert chk.comparison.value == ""


def test_jane_fails_under_all_three_variants(chk):
    for cond in CONDITIONS:
        chk.questions[cond].value = "no"
    chk.compare_button.click()
    outcome = row(chk.comparison.value, "Duress")
    assert outcome.count("fails") == 3 and "succeeds" not in outcome
    for v in VARIANTS.values():
        assert v.title.replace("&", "&amp;") in chk.comparison.value
    assert all(chk.result.outcome(v) == "fails" for v in VARIANTS)


def test_what_would_have_to_change_lists_an_imminent_threat(chk):
    chk.compare_button.click()
    assert "What would have to change" in chk.changes.value
    assert "imminent" in chk.changes.value
    assert "succeeds" in chk.changes.value


def test_unanswered_conditions_are_reported_not_answered(chk):
    chk.questions["imminent_threat"].value = "no"
    chk.compare_button.click()
    assert chk.status.value == ""
    assert "<td>Not answered</td>" in row(chk.comparison.value, "No reasonable escape")
    assert "3 of 4 conditions not answered yet" in chk.comparison.value
    assert "You agree." in row(chk.comparison.value, "Imminent threat")


def test_a_wrong_answer_is_shown_as_differing(chk):
    chk.questions["imminent_threat"].value = "yes"
    chk.compare_button.click()
    assert row(chk.comparison.value, "Imminent threat").count("You disagree.") == 3


def test_which_variant_requires_which_condition(chk):
    chk.compare_button.click()
    proportionate = row(chk.comparison.value, "Proportionate")
    exposure = row(chk.comparison.value, "No voluntary exposure")
    assert proportionate.count("not required") == 1  # Malaysia s 94
    assert exposure.count("not required") == 1  # Rome Statute


def test_the_conditions_line_cites_the_checklist_not_a_typed_source(chk, monkeypatch):
    from npkit.course.widgets.ui import cite_text
    from npkit.law.citations import fitz

    chk.compare_button.click()
    assert "Conditions: Fitzgerald 2024, V.A." in chk.comparison.value
    monkeypatch.setattr(checklist_module, "citations", lambda c: (fitz("V.B.1"),))
    chk.compare_button.click()
    assert f"Conditions: {cite_text(fitz('V.B.1'))}." in chk.comparison.value


def test_reasons_come_with_sources(chk):
    chk.compare_button.click()
    assert "Fitzgerald 2024" in chk.reasons.value
    assert "R v LM" in chk.reasons.value
    assert chk.reasons.value.count("<details") >= 3


def test_answers_update_the_comparison_once_compared(chk):
    chk.compare_button.click()
    chk.questions["no_escape"].value = "yes"
    assert "You agree." in row(chk.comparison.value, "No reasonable escape")


def test_john_fails_in_england_and_wales_on_voluntary_association(chk):
    chk.picker.value = "john"
    assert all(q.value is None for q in chk.questions.values())
    assert chk.comparison.value == ""
    chk.compare_button.click()
    assert chk.result.outcome("england_wales") == "fails"
    ew = [c for c in chk.result.rows[3].cells if c.variant == "england_wales"][0]
    assert ew.outcome == "not_met"
    assert "knowingly joined" in chk.reasons.value


def test_sarah_fails(chk):
    chk.picker.value = "sarah"
    chk.compare_button.click()
    assert row(chk.comparison.value, "Duress").count("fails") == 3


def test_clear_starts_the_case_again(chk):
    chk.questions["imminent_threat"].value = "yes"
    chk.compare_button.click()
    chk.clear.click()
    assert chk.questions["imminent_threat"].value is None
    assert chk.comparison.value == "" and chk.result is None


def test_crafted_values_are_ignored(chk):
    chk.load("no-such-case")
    chk._on_case({"new": PAYLOAD})
    assert chk.picker.value == "jane"
    with pytest.raises(TraitError):
        chk.questions["imminent_threat"].set_state({"index": 7})
    with pytest.raises(TraitError):
        chk.picker.set_state({"index": 99})
    chk.compare_button.click()
    assert chk.status.value == "" and "not answered" in chk.comparison.value


def test_only_offered_cases_can_be_chosen(cases):
    chk = DuressChecklist(cases, "child")  # not one of the three: falls back to the first
    assert chk.picker.value == "jane"


def test_an_error_in_a_callback_shows_a_message_not_a_traceback(chk, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(checklist_module, "compare", broken)
    chk.compare_button.click()
    assert "could not be compared" in chk.status.value and "boom" in chk.status.value
    monkeypatch.undo()
    chk.compare_button.click()
    assert chk.status.value == "" and chk.comparison.value


def test_html_in_a_case_is_escaped(cases):
    jane = get_case("jane")
    narrative = [p.model_dump() for p in jane.narrative]
    narrative[0]["text"] = PAYLOAD
    evil = edit_case(jane, narrative=narrative, title=PAYLOAD,
                     person={"pseudonym": PAYLOAD, "age": 25})
    chk = DuressChecklist([evil], "jane")
    chk.compare_button.click()
    for view in (chk.story, chk.comparison, chk.reasons, chk.changes, chk.status,
                 *chk.prompts.values()):
        assert "<img" not in view.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in chk.story.value


def test_no_cases_gives_a_readable_message():
    chk = DuressChecklist([])
    assert isinstance(chk.widget, w.HTML) and "no case" in chk.widget.value


def test_every_control_is_labelled(chk):
    shown = " ".join(c.value for c in controls(chk.widget) if isinstance(c, w.HTML))
    for c in controls(chk.widget):
        if isinstance(c, (w.Dropdown, w.Button, w.RadioButtons, w.ToggleButtons)):
            named_by = [k.removeprefix(ui.LABELLED_BY) for k in c._dom_classes
                        if k.startswith(ui.LABELLED_BY)]
            assert c.description.strip() or named_by, c
            for qid in named_by:  # the question naming the group is on the page
                assert f'id="{qid}"' in shown, qid


def test_each_group_is_named_by_its_question_asked_the_positive_way(chk):
    for n, cond in enumerate(CONDITIONS, 1):
        box = chk.questions[cond]
        assert box.description == ""  # no "No reasonable escape: Yes"
        (qid,) = [k.removeprefix(ui.LABELLED_BY) for k in box._dom_classes
                  if k.startswith(ui.LABELLED_BY)]
        assert f'id="{qid}"><strong>{n}.</strong> ' in chk.prompts[cond].value
    assert "Could Jane reasonably escape or get help?" in chk.prompts["no_escape"].value
    assert "Did Jane knowingly join" in chk.prompts["no_voluntary_exposure"].value
    assert " clear of " not in chk.prompts["no_voluntary_exposure"].value


def test_a_yes_to_a_positive_question_is_kept_as_the_condition_not_met(chk):
    """"Could Jane escape?" Yes means the condition (no reasonable escape) is not met: kept as
    "no", so saved answers and npkit's findings keep lining up; the table says both."""
    escape = chk.questions["no_escape"]
    assert dict(escape.options) == {"Yes": "no", "No": "yes"}
    assert dict(chk.questions["imminent_threat"].options) == {"Yes": "yes", "No": "no"}
    escape.label = "Yes"
    assert escape.value == "no"
    chk.compare_button.click()
    assert "<td>Yes (not met)</td>" in row(chk.comparison.value, "No reasonable escape")
    assert chk.get_state()["answers"] == {"no_escape": "no"}


def test_matrix_cells_read_short(chk):
    """A cell is read as "Not met (required). You agree.", not "not met required agrees with
    your answer"."""
    import re

    for cond in CONDITIONS:
        chk.questions[cond].value = "no"
    chk.compare_button.click()
    cells = re.findall(r"<td>(.*?)</td>", row(chk.comparison.value, "Imminent threat"))[1:]
    assert len(cells) == 3
    for cell in cells:
        spoken = re.sub(r"\s+", " ", re.sub(r'<span aria-hidden="true">.*?</span>|<[^>]+>', "",
                                            cell)).strip()
        assert spoken == "Not met (required). You agree.", spoken


def test_load_moves_the_picker_too(chk):
    chk.load("sarah")
    assert chk.picker.value == "sarah" and "Sarah" in chk.prompts["imminent_threat"].value


# --- saved state (npkit.course.binding binds it to the store) -------------------------------------


def test_state_round_trips_into_a_new_checklist(cases):
    import json

    chk = DuressChecklist(cases, "jane")
    chk.picker.value = "john"
    chk.questions["imminent_threat"].value = "yes"
    chk.questions["no_voluntary_exposure"].value = "no"
    chk.compare_button.click()
    state = chk.get_state()
    assert state == json.loads(json.dumps(state))
    assert state == {"case": "john", "compared": True,
                     "answers": {"imminent_threat": "yes", "no_voluntary_exposure": "no"}}
    again = DuressChecklist(cases, "jane")
    assert again.set_state(state) is True
    assert again.get_state() == state and again.picker.value == "john"
    assert again.comparison.value == chk.comparison.value != ""  # recomputed, the same view
    assert again.changes.value == chk.changes.value


def test_a_crafted_state_is_ignored_and_escaped(cases):
    chk = DuressChecklist(cases, "jane")
    chk.set_state({"case": PAYLOAD, "answers": {"imminent_threat": "yes"}, "compared": True})
    assert chk.get_state() == {"case": "jane", "answers": {}, "compared": False}
    chk.set_state({"case": "child", "answers": {}})  # a case this checklist does not offer
    assert chk.picker.value == "jane"
    chk.set_state({"case": "sarah", "compared": "yes", "answers": {
        "imminent_threat": PAYLOAD, "no_escape": True, "proportionate": ["yes"],
        PAYLOAD: "yes", "no_voluntary_exposure": "no"}})
    assert chk.get_state() == {"case": "sarah", "answers": {"no_voluntary_exposure": "no"},
                               "compared": False}
    assert chk.set_state("yes") is False
    for view in (chk.comparison, chk.story, chk.status, *chk.prompts.values()):
        assert PAYLOAD not in view.value


def test_changes_are_reported_once_and_saved(cases, tmp_path):
    from npkit.course.binding import Learner, bind_learner
    from npkit.store.learners import Store

    chk = DuressChecklist(cases, "jane")
    seen = []
    chk.on_change(seen.append)
    chk.questions["no_escape"].value = "yes"
    chk.compare_button.click()
    chk.clear.click()
    chk.picker.value = "sarah"
    assert len(seen) == 4 and seen[-1] == {"case": "sarah", "answers": {}, "compared": False}
    with Store.open(tmp_path / "s.sqlite") as store:
        store.learner("amber-otter-42")  # a learner the store knows
        bind_learner(2, [chk], learner=Learner("amber-otter-42", None, True), store=store)
        chk.questions["proportionate"].value = "no"
        assert store.load("amber-otter-42", 2) == {"duress": {
            "case": "sarah", "answers": {"proportionate": "no"}, "compared": False}}
