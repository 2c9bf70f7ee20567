"""Decide first, for real (issue 14): no conclusion is in a widget's output before the trainee
commits (Check / Compare), and after it the sources' conclusion, the case's lesson and a
one-line summary (a live region that npkit.js scrolls into view) are there. Modules 3 and 4
ask for a guess first and keep it as the learner's answer."""

import html
import re

import pytest

from npkit.casefile.editing import edit_case
from npkit.casefile.library import get_case, library
from npkit.course.training.guess import clean_ticks, compare_guess
from npkit.course.widgets.asean import AseanCase
from npkit.course.widgets.decision_path import DecisionPath
from npkit.course.widgets.duress_checklist import DuressChecklist
from npkit.course.widgets.models_table import ModelsTable
from npkit.course.widgets.quiz import Quiz
from npkit.course.widgets.tagger import ElementTagger, VictimQuestion
from npkit.engine.assessment import assess
from npkit.law.jurisdiction_data import jurisdictions
from npkit.notes import note, notes

PAYLOAD = "<img src=x onerror=alert(1)>"
SEEDS = ("jane", "john", "sarah")
REVEAL = re.compile(r'<p class="npk-result-summary" role="status" aria-live="polite" '
                    r'data-npk-reveal="(\d+)">(.*?)</p>', re.S)


@pytest.fixture(scope="module")
def cases():
    return library().cases


def text(*views) -> str:
    """What the views show, as a reader sees it (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", " ".join(v.value for v in views)))


def words(s: str) -> str:
    return " ".join(s.split())


def summary(view) -> tuple[int, str]:
    """The reveal summary in a view: (press number, its words)."""
    m = REVEAL.search(view.value)
    assert m, f"no reveal summary in {view.value[:300]!r}"
    return int(m.group(1)), words(html.unescape(re.sub(r"<[^>]+>", " ", m.group(2))))


# --- the sources' conclusions are data, and every one a widget asks for exists ---------------

@pytest.mark.parametrize(("exercise", "case_ids"), [
    ("victim", ("john", "child", "sarah")),  # module 1's three questions
    ("duress", SEEDS), ("stop", SEEDS), ("models", ("jane",))])
def test_every_case_an_exercise_asks_about_has_the_sources_conclusion(exercise, case_ids):
    for case_id in case_ids:
        assert f"concludes.{exercise}.{case_id}" in notes()


# --- module 1 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("case_id", ["john", "child", "sarah"])
def test_victim_question_shows_no_conclusion_before_the_press(cases, case_id):
    q = VictimQuestion(cases, case_id)
    case = get_case(case_id)
    before = text(q.story, q.result, q.status)
    assert q.result.value == ""
    assert case.lesson not in before and "What the sources conclude" not in before
    q.choice.value = "victim"
    assert q.result.value == ""  # an answer alone reveals nothing: the press does
    q.reveal.click()
    after = words(text(q.result))
    assert words(note(f"concludes.victim.{case_id}").text) in after
    assert words(case.lesson) in after
    n, said = summary(q.result)
    assert n == 1 and said.startswith(f"You said {case.person.pseudonym} is a victim")
    assert ("agrees" in said) == (assess(case, counterfactuals=False).victim.outcome
                                  == "victim")


def test_sarah_brings_the_open_question_with_her(cases):
    q = VictimQuestion(cases, "sarah")
    q.reveal.click()
    assert words(note("open.sarah").text) in words(text(q.result))


def test_a_lesson_with_markup_stays_text(cases):
    john = get_case("john")
    q = VictimQuestion([edit_case(john, lesson=PAYLOAD)], "john")
    q.reveal.click()
    assert "<img" not in q.result.value and "&lt;img" in q.result.value


def test_check_my_tags_marks_a_new_score_once_per_press(cases):
    t = ElementTagger(cases, "jane")
    t.check.click()
    assert 'data-npk-reveal="1"' in t.feedback.value
    t.show.click()  # the same press: npkit.js does not scroll again
    assert 'data-npk-reveal="1"' in t.feedback.value
    t.check.click()
    assert 'data-npk-reveal="2"' in t.feedback.value


# --- module 2 ---------------------------------------------------------------------------------

@pytest.mark.parametrize("case_id", SEEDS)
def test_duress_conclusion_only_after_compare(cases, case_id):
    chk = DuressChecklist(cases, case_id)
    case = get_case(case_id)
    for box in chk.questions.values():
        box.value = "no"
    shown = text(chk.story, chk.summary, chk.comparison, chk.concludes, chk.reasons)
    assert "What the sources conclude" not in shown and "Duress for" not in shown
    assert words(note(f"concludes.duress.{case_id}").text) not in words(shown)
    chk.compare_button.click()
    assert words(note(f"concludes.duress.{case_id}").text) in words(text(chk.concludes))
    n, said = summary(chk.summary)
    outcomes = {f.outcome for f in assess(case, counterfactuals=False).duress.values()}
    if outcomes == {"fails"}:
        assert f"Duress for {case.person.pseudonym}: fails under all 3 versions." in said
    assert said.count(" of 4") == 3 and n == 1


def test_duress_summary_counts_the_agreements(cases):
    chk = DuressChecklist(cases, "jane")
    # Jane, England & Wales (Fitzgerald 2024, V.B.1): no imminent threat, no reasonable
    # escape, not proportionate, no voluntary exposure
    for cond, answer in {"imminent_threat": "no", "no_escape": "yes", "proportionate": "no",
                         "no_voluntary_exposure": "yes"}.items():
        chk.questions[cond].value = answer
    chk.compare_button.click()
    n, said = summary(chk.summary)
    assert "Your answers match npkit on 4 of 4 conditions under England & Wales" in said
    chk.questions["imminent_threat"].value = "yes"  # redrawn, not a new press
    n2, said2 = summary(chk.summary)
    assert n2 == n and "3 of 4 conditions under England & Wales" in said2
    chk.clear.click()
    assert chk.summary.value == chk.concludes.value == ""


# --- module 3 ---------------------------------------------------------------------------------

def test_models_table_asks_first_and_shows_nothing_of_the_answer(cases):
    t = ModelsTable(cases, "jane")
    jane = get_case("jane")
    before = text(t.charge, t.case_panel, t.question, t.summary, t.table, t.concludes)
    assert t.summary.value == t.table.value == t.concludes.value == ""
    assert jane.lesson not in before and "Lesson" not in before
    assert "protect" not in text(t.charge, t.case_panel) and "Duress succeeds" not in before
    assert "Which of these 8 models protect Jane" in words(text(t.question))
    assert set(t.boxes) == set(assess(jane, counterfactuals=False).models)


def test_models_guess_beside_the_engine(cases):
    t = ModelsTable(cases, "jane")
    a = assess(get_case("jane"), counterfactuals=False)
    protected = {k for k, n in a.models.items() if n.outcome == "protected"}
    ticked = {"causation", "closed_list"}
    for k in ticked:
        t.boxes[k].value = True
    t.compare.click()
    agree = sum((k in ticked) == (k in protected) for k in a.models)
    _, said = summary(t.summary)
    assert said == (f"You guessed that 2 of the 8 models protect Jane; npkit finds that "
                    f"{len(protected)} of 8 do. You agree on {agree} of 8.")
    assert "Closed list" in text(t.summary)  # where the guess differs
    assert words(note("concludes.models.jane").text) in words(text(t.concludes))
    assert words(a.case.lesson) in words(text(t.concludes))
    assert "Duress succeeds under" in t.summary.value


def test_each_charge_is_guessed_afresh_and_remembered(cases):
    t = ModelsTable(cases, "jane")
    t.boxes["causation"].value = True
    t.compare.click()
    t.case_picker.value = "john"
    assert t.table.value == "" and not any(b.value for b in t.boxes.values())
    t.case_picker.value = "jane"  # compared before: shown again with the guess
    assert t.table.value and t.boxes["causation"].value


def test_models_guess_state_round_trips_and_refuses_crafted_values(cases):
    t = ModelsTable(cases, "jane")
    t.boxes["presumption"].value = True
    t.compare.click()
    t.case_picker.value = "john"
    t.boxes["causation"].value = True
    state = t.get_state()
    assert state == {"case": "john", "charge": "fraud",
                     "guesses": {"jane/fraud": ["presumption"], "john/fraud": ["causation"]},
                     "compared": ["jane/fraud"]}
    again = ModelsTable(cases, "jane")
    assert again.set_state(state) is True
    assert again.get_state() == state and again.table.value == ""
    again.case_picker.value = "jane"  # compared before the reload: shown with the guess
    assert again.table.value and again.boxes["presumption"].value
    assert "You guessed that 1 of the 8 models protects Jane" in again.summary.value
    crafted = ModelsTable(cases, "jane")
    crafted.set_state({"case": PAYLOAD, "charge": "fraud", "compared": [PAYLOAD, "jane/x"],
                       "guesses": {"jane/fraud": [PAYLOAD, "causation", 7],
                                   PAYLOAD: ["causation"]}})
    assert crafted.get_state() == {"case": "jane", "charge": "fraud",
                                   "guesses": {"jane/fraud": ["causation"]}, "compared": []}
    assert crafted.table.value == "" and crafted.boxes["causation"].value


@pytest.mark.parametrize("widget", [ModelsTable, AseanCase])
def test_the_case_and_charge_picked_are_saved_before_any_tick(cases, widget):
    # a learner who picks another case, leaves and comes back finds that case again
    t = widget(cases, "jane")
    saved: list[dict] = []
    t.on_change(saved.append)
    t.case_picker.value = "john"
    assert saved[-1]["case"] == "john" and saved[-1]["guesses"] == {}
    t.offence_picker.value = t.offence_picker.value  # no change: nothing more to save
    assert len(saved) == 1
    again = widget(cases, "jane")
    again.set_state(saved[-1])
    assert again.case_picker.value == "john"


# --- module 4 ---------------------------------------------------------------------------------

def test_asean_case_asks_which_states_then_shows_the_tally(cases):
    view = AseanCase(cases, "jane")
    assert view.summary.value == view.table.value == ""
    assert "protected in" not in words(text(view.charge, view.question))
    assert set(view.boxes) == set(jurisdictions())
    a = assess(get_case("jane"), counterfactuals=False)
    protected = [k for k, n in a.jurisdictions.items() if n.outcome == "protected"]
    view.boxes[protected[0]].value = True
    view.compare.click()
    _, said = summary(view.summary)
    assert said.startswith(f"You guessed that 1 of the 10 ASEAN states protects Jane; npkit "
                           f"finds that {len(protected)} of 10")
    assert "protected in" in words(text(view.summary))


def test_asean_guess_is_saved_through_the_binding(cases, tmp_path):
    from npkit.course.binding import Learner, bind_learner
    from npkit.store.learners import Store

    with Store.open(tmp_path / "s.sqlite") as store:
        store.learner("amber-otter-42")
        view = AseanCase(cases, "jane")
        bind_learner(4, [view], learner=Learner("amber-otter-42", None, True), store=store)
        view.boxes["PH"].value = True
        view.compare.click()
        saved = store.load("amber-otter-42", 4)
        restored = AseanCase(cases, "jane")
        bind_learner(4, [restored], learner=Learner("amber-otter-42", None, True), store=store)
    assert saved["asean-case"]["guesses"] == {"jane/fraud": ["PH"]}
    assert saved["asean-case"]["compared"] == ["jane/fraud"]
    assert restored.summary.value == view.summary.value  # the same view, same press number


# --- module 6 and 7 ---------------------------------------------------------------------------

def test_decision_path_story_has_no_lesson_until_check(cases):
    path = DecisionPath(cases, "sarah")
    sarah = get_case("sarah")
    assert sarah.lesson not in text(path.story) and "Lesson" not in path.story.value
    path.answer.value = path.answer.options[0][1]
    path.check.click()
    after = words(text(path.result))
    assert words(sarah.lesson) in after
    assert words(note("concludes.stop.sarah").text) in after
    assert words(note("open.sarah").text) in after
    assert summary(path.result)[0] == 1


def test_quiz_score_is_marked_for_the_scroll(cases):
    from npkit.course.training.quiz import bank

    quiz = Quiz(bank(cases))
    assert quiz.score.value == ""
    quiz.check.click()
    assert 'role=\'status\' aria-live=\'polite\' data-npk-reveal="1"' in quiz.score.value


# --- grading the guess --------------------------------------------------------------------------

class _F:
    def __init__(self, title, outcome):
        self.title, self.outcome = title, outcome


def test_compare_guess_counts_and_refuses_what_was_not_offered():
    found = {"a": _F("A", "protected"), "b": _F("B", "not_protected"),
             "c": _F("C", "discretionary"), "d": _F("D", "protected")}
    g = compare_guess(found, ["a", "c", "zzz", 3])
    assert (g.total, g.guessed, g.protected, g.discretionary, g.agreed) == (4, 2, 2, 1, 2)
    assert [i.key for i in g.differ] == ["c", "d"]
    assert clean_ticks("a", found) == () and clean_ticks(["d", "a", "a"], found) == ("a", "d")
