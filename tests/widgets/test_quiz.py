"""Module 7's quiz widget, driven headless through its controls: one page per module."""

import json
import re
from html import escape

import pytest
from markupsafe import Markup

from npkit.course.training.quiz import Question, bank
from npkit.course.widgets.quiz import Quiz, linked_page, module_title, page_from_query
from npkit.law.citations import Citation, Confidence

EVIL = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def questions():
    return bank()


@pytest.fixture
def quiz(questions):
    return Quiz(questions)


def module_of(questions, qid: str) -> int:
    return next(q.module for q in questions if q.id == qid)


def answer(quiz, questions, qid: str, value: str) -> None:
    """Turn to the question's page (as the learner does) and choose ``value``."""
    quiz.menu.value = module_of(questions, qid)
    quiz.radios[qid].value = value


# --- pages --------------------------------------------------------------------------------


def test_one_page_per_module_in_order_each_question_a_labelled_radio_group(quiz, questions):
    modules = sorted({q.module for q in questions})
    assert quiz.pages == modules == [1, 2, 3, 4, 5, 6]
    assert [v for _, v in quiz.menu.options] == modules and quiz.menu.description
    assert quiz.page == 1
    seen = []
    for page in modules:
        quiz.menu.value = page
        own = [q for q in questions if q.module == page]
        assert [q.id for q in quiz.shown] == [q.id for q in own]
        assert f">{Markup.escape(module_title(page))}</h2>" in quiz.heading.value
        assert len(quiz.list.children) == 3 * len(own)  # text, choices, feedback
        for n, q in enumerate(own, 1):
            radio = quiz.radios[q.id]
            assert radio.description == f"Answer {n}" and radio.value is None
            assert [v for _, v in radio.options] == list(q.values)
            assert f"Question {n} of {len(own)}<" in quiz.prompts[q.id].value
            assert str(Markup.escape(q.prompt)) in quiz.prompts[q.id].value
            # named by "Question n of m" and the question's text (npkit-a11y.js)
            ids = re.findall(r'id="([^"]+)"', quiz.prompts[q.id].value)
            assert [c for c in radio._dom_classes if c.startswith("npk-labelledby--")] == [
                f"npk-labelledby--{i}" for i in ids]
        seen += [q.id for q in quiz.shown]
    assert seen == [q.id for q in questions]
    assert quiz.check.description == "Check answers" and quiz.retry.description == "Try again"


def test_previous_and_next_turn_the_pages_and_say_where_the_learner_is(quiz):
    assert quiz.previous.disabled and not quiz.next.disabled
    assert quiz.status.value == "" and "data-npk-focus" not in quiz.heading.value
    assert quiz.progress_line() == "Page 1 of 6 · 0 of 49 answered"
    quiz.next.click()
    assert quiz.page == 2 and quiz.menu.value == 2 and not quiz.previous.disabled
    # announced (role=status) and the heading marked to take the focus
    assert "role=\"status\"" in quiz.status.value
    assert "Page 2 of 6: Module 2: Duress, condition by condition. 0 of 49 questions " \
        "answered." in quiz.status.value
    assert 'tabindex="-1" data-npk-focus="1">Module 2: ' in quiz.heading.value
    for _ in range(10):
        quiz.next.click()
    assert quiz.page == 6 and quiz.next.disabled and 'data-npk-focus="5"' in quiz.heading.value
    quiz.previous.click()
    assert quiz.page == 5 and "Page 5 of 6: Module 5: " in quiz.status.value
    # the menu announces the page but leaves the focus on the menu (same mark as before)
    quiz.menu.value = 3
    assert "Page 3 of 6: Module 3: " in quiz.status.value
    assert 'data-npk-focus="6">Module 3: ' in quiz.heading.value


def test_progress_counts_answers_on_every_page_in_words_and_as_a_bar(quiz, questions):
    answer(quiz, questions, "victim-sarah", "victim")
    answer(quiz, questions, "duress-ew-john", "fails")
    assert quiz.progress_line() == "Page 2 of 6 · 2 of 49 answered"
    bar = quiz.progress.value
    label = re.search(r'<label for="([^"]+)">Page 2 of 6 · 2 of 49 answered</label>', bar)
    assert label and f'<progress id="{label.group(1)}" max="49" value="2">' in bar


def test_answers_are_kept_when_the_page_turns(quiz, questions):
    answer(quiz, questions, "victim-sarah", "victim")
    quiz.next.click()
    assert "victim-sarah" not in quiz.radios
    quiz.previous.click()
    assert quiz.radios["victim-sarah"].value == "victim"


# --- checking, page by page (decide first: a page's key only after that page's Check) -----


def test_check_grades_the_page_only_in_words_and_symbols(quiz, questions):
    by = {q.id: q for q in questions}
    answer(quiz, questions, "duress-ew-john", by["duress-ew-john"].answer)
    quiz.check.click()
    right = quiz.feedback["duress-ew-john"].value
    # the source of the reason the engine names as decisive, whichever the law picks
    assert "✔" in right and "right" in right
    assert escape(str(by["duress-ew-john"].source)) in right
    others = [q for q in quiz.shown if q.id != "duress-ew-john"]
    assert all("not answered" in quiz.feedback[q.id].value for q in others)
    n = len(quiz.shown)
    assert f"Your score: 1 of {n} ({n - 1} not answered)" in quiz.score.value
    assert f"1 of {n} right, on 1 of 6 pages checked" in quiz.score.value
    assert "<th scope='row'>Module 1: Is this trafficking?</th><td>not checked yet" \
        in quiz.score.value
    # another page: nothing of its key, and no page score, only the overall one
    answer(quiz, questions, "victim-sarah", "victim")
    assert all(quiz.feedback[q].value == "" for q in quiz.feedback)
    assert "Your score" not in quiz.score.value and "data-npk-reveal" not in quiz.score.value
    assert "on 1 of 6 pages checked" in quiz.score.value
    quiz.check.click()
    wrong = quiz.feedback["victim-sarah"].value
    assert "✘" in wrong and "wrong" in wrong and "not a victim" in wrong and "Why:" in wrong
    assert "on 2 of 6 pages checked" in quiz.score.value
    assert 'data-npk-reveal="2"' in quiz.score.value
    quiz.menu.value = 2  # a checked page shows its feedback again
    assert "right" in quiz.feedback["duress-ew-john"].value


def test_all_right_scores_full_marks_on_every_page(quiz, questions):
    for page in quiz.pages:
        quiz.menu.value = page
        for q in quiz.shown:
            quiz.radios[q.id].value = q.answer
        quiz.check.click()
        assert f"Your score: {len(quiz.shown)} of {len(quiz.shown)}</h3>" in quiz.score.value
    total = len(questions)
    assert f"{total} of {total} right, on 6 of 6 pages checked" in quiz.score.value
    assert "not answered" not in quiz.score.value and "not checked" not in quiz.score.value


def test_try_again_clears_the_page_and_only_the_page(quiz, questions):
    answer(quiz, questions, "victim-sarah", "victim")
    quiz.check.click()
    answer(quiz, questions, "duress-ew-john", "fails")
    quiz.check.click()
    quiz.retry.click()
    assert all(r.value is None for r in quiz.radios.values())
    assert all(f.value == "" for f in quiz.feedback.values())
    assert "Your score" not in quiz.score.value and "on 1 of 6 pages checked" in quiz.score.value
    assert quiz.get_state() == {"page": 2, "answers": {"victim-sarah": "victim"},
                                "checked": [1]}
    quiz.menu.value = 1
    quiz.retry.click()
    assert quiz.score.value == "" and quiz.get_state()["answers"] == {}


def test_changing_an_answer_clears_its_stale_feedback(quiz, questions):
    answer(quiz, questions, "duress-ew-john", "succeeds")
    quiz.check.click()
    assert "wrong" in quiz.feedback["duress-ew-john"].value
    quiz.radios["duress-ew-john"].value = "fails"
    assert quiz.feedback["duress-ew-john"].value == ""


def test_crafted_messages_are_ignored(quiz):
    from traitlets import TraitError

    with pytest.raises(TraitError):  # ipywidgets refuses a page the menu does not offer
        quiz.menu.value = 99
    quiz._on_menu({"new": 99})  # and the callback re-checks anyway
    quiz._on_menu({"new": True})
    assert quiz.page == 1 and quiz.go(7) is False and quiz.go("2") is False
    radio = quiz.radios[quiz.shown[0].id]
    with pytest.raises(TraitError):  # ipywidgets refuses an index no control offers
        radio.set_state({"index": 99})
    quiz.check.disabled = True
    quiz.check.click()  # a click on a disabled button still runs: it must not raise
    quiz.previous.click()  # on the first page: nothing to go back to
    assert quiz.status.value == "" and quiz.page == 1


def test_html_in_a_question_is_escaped():
    evil = Question("evil", 1, f"Prompt {EVIL}", ((f"choice {EVIL}", "a"), ("other", "b")),
                    "a", f"because {EVIL}", Citation("npkit", EVIL, Confidence.NPKIT_READING))
    quiz = Quiz([evil])
    assert "<img" not in quiz.prompts["evil"].value and "&lt;img" in quiz.prompts["evil"].value
    quiz.radios["evil"].value = "b"
    quiz.check.click()
    page = quiz.feedback["evil"].value
    assert "<img" not in page and "&lt;img" in page
    quiz.radios["evil"].value = "a"
    quiz.check.click()
    assert "<img" not in quiz.feedback["evil"].value
    assert quiz.previous.disabled and quiz.next.disabled  # one page


def test_an_error_while_grading_is_shown_not_raised(quiz, monkeypatch):
    from npkit.course.training import quiz as qz

    def boom(*_a, **_k):
        raise RuntimeError("<b>bad</b>")

    monkeypatch.setattr(qz, "score", boom)
    quiz.check.click()
    assert "Something went wrong" in quiz.status.value and "&lt;b&gt;" in quiz.status.value


def test_empty_quiz_still_renders():
    quiz = Quiz([])
    quiz.check.click()
    quiz.next.click()
    assert "No questions" in quiz.list.children[0].value
    assert "0 of 0" in quiz.score.value and quiz.pages == []


# --- how many widget models a page holds ----------------------------------------------------


def test_the_page_holds_few_widget_models_whatever_page_is_shown(questions):
    from ipywidgets.widgets.widget import _instances

    before = set(_instances)
    quiz = Quiz(questions)
    made = len(set(_instances) - before)
    # one set of question widgets for the longest page (13 questions), not one per question
    # (49): the single-page quiz made 563 models
    assert made <= 100, made
    for page in quiz.pages:
        quiz.menu.value = page
        for q in quiz.shown:
            quiz.radios[q.id].value = q.answer
        quiz.check.click()
    assert len(set(_instances) - before) == made  # turning and checking make none
    # the state a browser is sent for them, defaults and all (the single-page quiz: 409 KB)
    state = json.dumps([_instances[k].get_state() for k in set(_instances) - before])
    assert len(state.encode()) <= 60_000, len(state)


# --- saved state (npkit.course.binding binds it to the store) -------------------------------


def test_state_round_trips_into_a_new_quiz(quiz, questions):
    answer(quiz, questions, "victim-sarah", "not_victim")
    quiz.check.click()
    quiz.menu.value = 2
    first = quiz.shown[0]
    quiz.radios[first.id].value = first.answer
    quiz.check.click()
    quiz.menu.value = 4
    state = quiz.get_state()
    assert state == json.loads(json.dumps(state))
    assert state == {"page": 4, "answers": {"victim-sarah": "not_victim",
                                            first.id: first.answer}, "checked": [1, 2]}
    again = Quiz(questions)
    assert again.set_state(state) is True
    assert again.get_state() == state and again.page == 4 and again.menu.value == 4
    assert again.score.value == quiz.score.value != ""  # recomputed, the same view
    for page in (1, 2):
        quiz.menu.value = again.menu.value = page
        # the same view; only the count of presses that scrolls a new result differs
        assert again.score.value == re.sub(r' data-npk-reveal="\d+"', "", quiz.score.value)
        assert "Your score" in again.score.value
        assert [f.value for f in again.feedback.values()] == [
            f.value for f in quiz.feedback.values()]


@pytest.mark.parametrize(("old", "page", "checked"), [
    ({"module": 2, "answers": {"duress-ew-john": "fails"}, "checked": True}, 2, [2]),
    ({"module": 0, "answers": {"duress-ew-john": "fails", "victim-sarah": "victim"},
      "checked": True}, 1, [1, 2, 3, 4, 5, 6]),
    ({"module": 4, "answers": {"duress-ew-john": "fails"}, "checked": False}, 4, []),
    ({"module": 0, "answers": {}, "checked": False}, 1, []),
])
def test_a_state_saved_by_the_single_page_quiz_restores(questions, old, page, checked):
    """The old shape: the module filter (0 = all), the choices, and whether the trainee
    checked what was shown."""
    quiz = Quiz(questions)
    assert quiz.set_state(old) is True
    assert quiz.page == page and quiz.get_state() == {
        "page": page, "answers": old["answers"], "checked": checked}
    if checked:
        assert "Your score" in quiz.score.value
        quiz.menu.value = 2
        assert "✔" in quiz.feedback["duress-ew-john"].value  # checked, and fails is right
    else:
        assert quiz.score.value == ""


def test_a_crafted_state_is_ignored_and_escaped(quiz):
    quiz.set_state({"page": 99, "checked": "yes", "answers": {
        "duress-ew-john": EVIL, "no-such-question": "fails", "victim-sarah": ["victim"],
        "stop-jane": "identification"}})
    assert quiz.page == 1 and not quiz.checked_pages and quiz.score.value == ""
    assert quiz.get_state()["answers"] == {"stop-jane": "identification"}
    quiz.set_state({"page": True, "checked": [True, 99, "2", 3]})  # True is not page 1
    assert quiz.page == 1 and quiz.checked_pages == {3}
    quiz.set_state({"module": 99, "checked": True, "answers": None})  # old shape, bad page
    assert quiz.page == 1 and not quiz.checked_pages
    assert quiz.set_state([EVIL]) is False
    for html in (quiz.score.value, quiz.status.value, quiz.heading.value, quiz.progress.value,
                 *(f.value for f in quiz.feedback.values())):
        assert EVIL not in html


def test_try_again_and_a_page_turn_are_one_change_each(quiz, questions, tmp_path):
    from npkit.course.binding import Learner, bind_learner
    from npkit.store.learners import Store

    seen = []
    quiz.on_change(seen.append)
    quiz.radios["victim-sarah"].value = "victim"
    quiz.check.click()
    quiz.retry.click()
    quiz.next.click()
    assert len(seen) == 4 and seen[-1] == {"page": 2, "answers": {}, "checked": []}
    with Store.open(tmp_path / "s.sqlite") as store:
        store.learner("amber-otter-42")  # a learner the store knows
        bind_learner(7, [quiz], learner=Learner("amber-otter-42", None, True), store=store)
        qid = quiz.shown[0].id
        quiz.radios[qid].value = quiz.shown[0].answer
        quiz.next.click()
        right = next(q.answer for q in questions if q.id == qid)
        assert store.load("amber-otter-42", 7)["quiz"] == {
            "page": 3, "answers": {qid: right}, "checked": []}


# --- a lecturer's link to one page ------------------------------------------------------------


@pytest.mark.parametrize(("query", "page"), [
    ("learner=amber-otter-42&page=3", 3), ("?page=6", 6), ("page=03", 3), ("", None),
    ("page=3&page=4", None), ("page=-1", None), ("page=three", None), ("page=999", None),
    ("page=%EF%BC%93", None), (None, None), ("x" * 3000, None),
])
def test_a_link_names_a_page_strictly(query, page):
    assert page_from_query(query) == page


def test_a_linked_page_opens_and_a_bad_one_is_ignored(quiz, monkeypatch):
    assert linked_page() is None  # outside Voila: never read
    assert quiz.go(page_from_query("page=4")) is True and quiz.page == 4
    assert quiz.go(page_from_query("page=9")) is False and quiz.page == 4
