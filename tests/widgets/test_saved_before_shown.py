"""Saved before shown: a widget tells its listeners (the page's Binding, which writes to the
learner store) what the learner did before it draws the result that reveals.

A learner who leaves the page as the result appears (the page's unload beacon shuts the kernel
down at once) must find the comparison, the check or the latest answer kept. So each test
records, at the moment the listener is called, the state it receives and what the result's
outputs show then: the state already says "compared" (or holds the new answer) while the
outputs still show what was there before the press.
"""

import copy

import pytest

from npkit.casefile.library import library
from npkit.course.widgets.asean import AseanCase
from npkit.course.widgets.decision_path import DecisionPath, WhyPunish
from npkit.course.widgets.duress_checklist import DuressChecklist
from npkit.course.widgets.models_table import ModelsTable
from npkit.course.widgets.quiz import Quiz
from npkit.course.widgets.scenario_lab import ScenarioLab
from npkit.course.widgets.tagger import ElementTagger, VictimQuestion
from npkit.law.duress import CONDITIONS


@pytest.fixture(scope="module")
def cases():
    return library().cases


def listen(widget, *outputs):
    """Every (state, [output values]) the listener saw, the values read as it was called."""
    seen = []
    widget.on_change(lambda state: seen.append(
        (copy.deepcopy(state), [out.value for out in outputs])))
    return seen


# --- module 2: the duress checklist ---------------------------------------------------------


def test_duress_compare_is_saved_before_the_table_is_shown(cases):
    chk = DuressChecklist(cases, "jane")
    chk.questions["imminent_threat"].value = "no"
    seen = listen(chk, chk.summary, chk.comparison, chk.reasons)
    chk.compare_button.click()
    assert [s["compared"] for s, _shown in seen] == [True]
    assert seen[0][1] == ["", "", ""]
    assert chk.comparison.value != ""  # and then shown


def test_duress_answer_after_comparing_is_saved_before_the_table_changes(cases):
    chk = DuressChecklist(cases, "jane")
    chk.questions["imminent_threat"].value = "no"
    chk.compare_button.click()
    before = chk.comparison.value
    seen = listen(chk, chk.comparison)
    chk.questions["imminent_threat"].value = "yes"
    (state, shown), = seen
    assert state["answers"]["imminent_threat"] == "yes" and state["compared"] is True
    assert shown == [before] != [chk.comparison.value]


# --- module 6: the prosecutor's decision and "Why punish them at all?" ---------------------


def test_decision_check_is_saved_before_the_verdict_is_shown(cases):
    path = DecisionPath(cases)
    path.answer.value = "identification"
    seen = listen(path, path.result, path.stages)
    path.check.click()
    assert [(s["stage"], s["checked"]) for s, _shown in seen] == [("identification", True)]
    assert seen[0][1] == ["", ""]
    assert path.result.value != "" and path.stages.value != ""


def test_why_punish_compare_is_saved_before_the_argument_is_shown():
    why = WhyPunish("Jane")
    why.answers["agent"].value = "no"
    seen = listen(why, why.output)
    why.compare.click()
    assert seen == [({"answers": {"agent": "no"}, "compared": True}, [""])]
    assert why.output.value != ""


# --- modules 3 and 4: guess first, then compare ----------------------------------------------


@pytest.mark.parametrize("make", [ModelsTable, AseanCase], ids=["models", "asean"])
def test_guess_compare_is_saved_before_the_outcomes_are_shown(cases, make):
    view = make(cases)
    seen = listen(view, view.summary, view.table)
    view.compare.click()
    (state, shown), = seen
    assert state["compared"] == [view.key]
    assert shown == ["", ""]
    assert view.table.value != ""


@pytest.mark.parametrize("make", [ModelsTable, AseanCase], ids=["models", "asean"])
def test_a_tick_after_comparing_is_saved_before_the_summary_changes(cases, make):
    view = make(cases)
    view.compare.click()
    before = view.summary.value
    seen = listen(view, view.summary)
    first = next(iter(view.boxes))
    view.boxes[first].value = True
    (state, shown), = seen
    assert state["guesses"][view.key] == [first]
    assert shown == [before] != [view.summary.value]


# --- module 7: the quiz ---------------------------------------------------------------------


def test_quiz_check_is_saved_before_the_feedback_is_shown():
    quiz = Quiz()
    qid, radio = next(iter(quiz.radios.items()))
    radio.value = radio.options[0][1]
    outputs = [quiz.score, *quiz.feedback.values()]
    seen = listen(quiz, *outputs)
    quiz.check.click()
    (state, shown), = seen
    assert state["checked"] == [quiz.page] and qid in state["answers"]
    assert shown == [""] * len(outputs)
    assert quiz.score.value != "" and quiz.feedback[qid].value != ""


# --- module 1: the element tagger and the victim question -----------------------------------


def test_tagger_check_is_saved_before_the_feedback_is_shown(cases):
    tagger = ElementTagger(cases, "jane")
    tagger.record(0, ["act.recruitment"])
    seen = listen(tagger, tagger.feedback)
    tagger.check.click()
    (state, shown), = seen
    assert state["checked"] is True and state["tags"] == {"0": ["act.recruitment"]}
    assert shown == [""]
    assert tagger.feedback.value != ""


def test_tagger_show_is_saved_before_the_answer_is_shown(cases):
    tagger = ElementTagger(cases, "jane")
    tagger.check.click()
    before = tagger.feedback.value
    seen = listen(tagger, tagger.feedback, tagger.answer)
    tagger.show.click()
    (state, shown), = seen
    assert state["revealed"] is True
    assert shown == [before, ""]
    assert tagger.answer.value != "" and tagger.feedback.value != before


def test_victim_reveal_is_saved_before_the_analysis_is_shown(cases):
    q = VictimQuestion(cases, "john")
    q.choice.value = "victim"
    seen = listen(q, q.result)
    q.reveal.click()
    assert seen == [({"choice": "victim", "revealed": True}, [""])]
    assert q.result.value != ""


def test_victim_choice_after_the_analysis_is_saved_before_it_changes(cases):
    q = VictimQuestion(cases, "john")
    q.choice.value = "victim"
    q.reveal.click()
    before = q.result.value
    seen = listen(q, q.result)
    q.choice.value = "not_victim"
    assert seen == [({"choice": "not_victim", "revealed": True}, [before])]
    assert q.result.value != before


# --- module 5: the scenario lab -------------------------------------------------------------


def test_lab_edit_is_saved_before_the_outcomes_are_redrawn(cases):
    lab = ScenarioLab(cases, start="jane")
    before = lab.matrix.value
    seen = listen(lab, lab.matrix, lab.why)
    lab.quick["imminent_threat"].value = True
    (state, shown), = seen
    assert state["case"] == "jane" and state["changes"] != {}
    assert shown[0] == before != lab.matrix.value


def test_lab_reset_is_saved_before_the_outcomes_are_redrawn(cases):
    lab = ScenarioLab(cases, start="jane")
    lab.quick["imminent_threat"].value = True
    edited = lab.matrix.value
    seen = listen(lab, lab.matrix)
    assert lab.reset()
    assert seen == [({"case": "jane", "changes": {}}, [edited])]
    assert lab.matrix.value != edited


def test_lab_load_is_saved_before_the_outcomes_are_redrawn(cases):
    lab = ScenarioLab(cases, start="jane")
    before = lab.matrix.value
    seen = listen(lab, lab.matrix)
    lab.picker.value = "john"
    assert seen == [({"case": "john", "changes": {}}, [before])]
    assert lab.matrix.value != before


def test_a_lab_edit_that_cannot_be_drawn_leaves_the_saved_facts_as_shown(cases, monkeypatch):
    lab = ScenarioLab(cases, start="jane")
    kept = lab.get_state()
    seen = listen(lab)

    def boom():
        raise RuntimeError("cannot draw")

    monkeypatch.setattr(lab, "_draw_why", boom)
    assert lab.edit("quick.imminent_threat", True) is False
    assert lab.get_state() == kept
    assert not seen or seen[-1][0] == kept  # the last state saved is the facts kept


# --- restoring a saved result saves nothing ---------------------------------------------------


def _compared_duress(cases):
    chk = DuressChecklist(cases, "jane")
    for cond in CONDITIONS:
        chk.questions[cond].value = "no"
    chk.compare_button.click()
    return chk, lambda: DuressChecklist(cases, "jane"), "comparison"


def _revealed_victim(cases):
    q = VictimQuestion(cases, "john")
    q.choice.value = "victim"
    q.reveal.click()
    return q, lambda: VictimQuestion(cases, "john"), "result"


@pytest.mark.parametrize("shown", [_compared_duress, _revealed_victim],
                         ids=["duress", "victim"])
def test_a_restored_result_is_shown_without_saving_again(cases, shown):
    """Restoring presses the same button, after the order changed: nothing is saved while a
    saved state is shown, and the same state and view come back."""
    first, make, output = shown(cases)
    again = make()
    seen = listen(again)
    assert again.set_state(first.get_state())
    assert seen == [] and again.get_state() == first.get_state()
    assert getattr(again, output).value == getattr(first, output).value != ""
