"""The quiz bank and its grading (npkit.course.training.quiz). Answer keys of generated questions
are compared with the case files' own ``expected:`` blocks, read here from the YAML."""

import re
from pathlib import Path

import pytest
import yaml
from citation_checks import citation_problem
from hypothesis import given
from hypothesis import strategies as st

from npkit.casefile.library import cases_dir, library
from npkit.course.training import quiz as qz
from npkit.course.training.quiz import (
    INVALID,
    RIGHT,
    UNANSWERED,
    WRONG,
    Question,
    answer_key_line,
    bank,
    by_id,
    grade,
    grade_id,
    score,
    score_by_module,
    stop_question,
)
from npkit.law.citations import Citation, Confidence
from npkit.law.jurisdiction_data import jurisdictions
from npkit.law.stages import should_stop


@pytest.fixture(scope="module")
def questions():
    return bank()


def expected_block(case_id: str) -> dict:
    """The case file's own ``expected:`` outcomes, read straight from the YAML (both parts of a
    block split into what the source concludes and npkit's application)."""
    path = Path(cases_dir()) / f"{case_id}.yaml"
    block = yaml.safe_load(path.read_text(encoding="utf-8")).get("expected", {})
    if "source" in block or "npkit" in block:
        parts = [block.get(p) or {} for p in ("source", "npkit")]
        return {k: v for part in parts for k, v in (part.get("outcomes") or {}).items()}
    return block


def wrong_choice(q: Question) -> str:
    return next(v for v in q.values if v != q.answer)


# -- the bank -------------------------------------------------------------------------------


def test_bank_has_enough_questions_covering_modules_1_to_6(questions):
    assert len(questions) >= 16
    assert {q.module for q in questions} == {1, 2, 3, 4, 5, 6}
    assert len({q.id for q in questions}) == len(questions)
    assert [q.module for q in questions] == sorted(q.module for q in questions)


def test_both_kinds_are_there(questions):
    made = [q for q in questions if q.generated]
    written = [q for q in questions if not q.generated]
    assert len(made) >= 10 and len(written) >= 10


def test_every_question_cites_where_to_look_and_labels_its_choices(questions):
    # Question() itself refuses a missing prompt, why or source (see the test below); what it
    # lets through is a citation with nothing to look up, or a choice shown with no words.
    for q in questions:
        for cite in q.citations:
            assert not citation_problem(cite, q.why), (q.id, citation_problem(cite, q.why))
        assert all(label.strip() for label, _ in q.choices), q.id


def test_generated_keys_match_the_case_files_expected_blocks(questions):
    compared = 0
    for q in questions:
        if not q.generated:
            continue
        expected = expected_block(q.case_id)
        if q.path in expected:
            assert q.answer == expected[q.path], (q.id, q.path)
            compared += 1
    assert compared >= 10


def test_failing_condition_key_matches_the_expected_conditions(questions):
    q = by_id(questions)["failing-ew-john"]
    expected = expected_block("john")
    failing = [k.rsplit(".", 1)[1] for k, v in expected.items()
               if k.startswith("duress.england_wales.conditions.") and v is False]
    assert failing == [q.answer]


def test_category_keys_come_from_the_case_files(questions):
    for qid in ("category-status_only", "category-guard_escape"):
        q = by_id(questions)[qid]
        case = next(c for c in library().cases if c.id == q.case_id)
        assert q.answer == case.offences[0].category


def test_stop_keys_come_from_should_stop(questions):
    from npkit.engine.assessment import assess

    for qid in ("stop-jane", "stop-john", "stop-sarah"):
        q = by_id(questions)[qid]
        case = next(c for c in library().cases if c.id == q.case_id)
        assert q.answer == should_stop(assess(case, counterfactuals=False)).outcome
    # the sources' conclusions, by hand: earliest point for Jane; Sarah not a victim (V.B.3)
    assert by_id(questions)["stop-jane"].answer == "identification"
    assert by_id(questions)["stop-sarah"].answer == qz.NOT_STOPPED


def test_change_question_has_exactly_one_flipping_choice(questions):
    from npkit.engine.assessment import assess, evaluate
    from npkit.engine.counterfactuals import changes

    for qid in ("lab-change-john", "lab-change-jane"):
        q = by_id(questions)[qid]
        case = next(c for c in library().cases if c.id == q.case_id)
        a = assess(case, counterfactuals=False)
        path = q.path.replace("counterfactuals.", "") + ".outcome"
        before = a.outcomes()[path]
        flips = {c.text for c in changes(a.facts)
                 if evaluate(c.facts).outcomes()[path] != before}
        assert [v for v in q.values if v in flips] == [q.answer]


def test_data_questions_read_the_reference_data(questions):
    rows = jurisdictions()
    assert by_id(questions)["state-closed-list"].answer == next(
        r.code for r in rows.values() if r.model == "closed_list")
    assert by_id(questions)["states-with-provision"].answer == str(
        sum(r.has_provision for r in rows.values()))


def test_a_missing_case_drops_its_questions_not_the_quiz():
    few = [c for c in library().cases if c.id != "john"]
    qs = bank(few)
    assert not any(q.case_id == "john" for q in qs)
    assert any(q.case_id == "jane" for q in qs) and len(qs) >= 16
    assert bank([])  # conceptual questions survive an empty library


GOOD_QUESTION = {"id": "x", "module": 1, "prompt": "p?", "choices": (("A", "a"), ("B", "b")),
                 "answer": "a", "why": "why",
                 "source": Citation("npkit", confidence=Confidence.NPKIT_READING)}


@pytest.mark.parametrize(("change", "error"), [
    ({"answer": "c"}, "answer 'c' is not one of the choices"),
    ({"choices": (("A", "a"), ("A again", "a"))}, "needs at least two distinct choices"),
    ({"choices": (("A", "a"),)}, "needs at least two distinct choices"),
    ({"prompt": ""}, "needs a prompt, a why and a source"),
    ({"why": ""}, "needs a prompt, a why and a source"),
    ({"source": "Fitzgerald 2024"}, "needs a prompt, a why and a source"),
])
def test_question_refuses_a_malformed_question(change, error):
    Question(**GOOD_QUESTION)  # the unchanged question is accepted
    with pytest.raises(ValueError, match=re.escape(f"x: {error}")):
        Question(**{**GOOD_QUESTION, **change})


# -- grading --------------------------------------------------------------------------------


def test_right_answer_is_right_and_wrong_is_wrong(questions):
    for q in questions:
        right = grade(q, q.answer)
        assert right.status == RIGHT and right.right and right.source == q.source
        assert right.why == q.why
        wrong = grade(q, wrong_choice(q))
        assert wrong.status == WRONG and not wrong.right
        assert q.answer_label in wrong.message and wrong.chosen in wrong.message


@pytest.mark.parametrize("crafted", ["", None, "<img src=x onerror=alert(1)>", 3, ["fails"],
                                     {"v": 1}, "FAILS", " fails"])
def test_crafted_choices_are_never_right(questions, crafted):
    q = by_id(questions)["duress-ew-john"]
    fb = grade(q, crafted)
    assert fb.status in (UNANSWERED, INVALID)
    assert not fb.right


@given(st.one_of(st.text(max_size=30), st.integers(), st.none(), st.binary(max_size=8)))
def test_grading_never_raises(choice):
    q = by_id()["stop-jane"]
    fb = grade(q, choice)
    assert fb.status in (RIGHT, WRONG, UNANSWERED, INVALID)
    assert fb.right == (choice == q.answer)


def test_unknown_question_id_is_invalid_not_an_error(questions):
    for qid in ("no-such-question", None, 42, "<script>"):
        fb = grade_id(qid, "fails", questions)
        assert fb.status == INVALID and not fb.right
    assert grade_id("duress-ew-john", "fails", questions).status == RIGHT


def test_score_counts_right_answers_and_ignores_strangers(questions):
    subset = [q for q in questions if q.module == 2]
    answers = {q.id: q.answer for q in subset[:3]}
    answers[subset[3].id] = wrong_choice(subset[3])
    answers["made-up"] = "x"
    result = score(subset, answers)
    assert (result.right, result.total, result.answered) == (3, len(subset), 4)
    assert result.ignored == ("made-up",)
    assert result.line == f"3 of {len(subset)} right"
    assert score_by_module(result, subset) == {2: (3, len(subset))}
    assert score(subset, "not a mapping").right == 0


def test_answer_key_lines():
    # by hand from the sources: John joined knowingly, so duress fails (Fitzgerald 2024 V.B.2);
    # Sarah is not a victim for her second stay (V.B.3)
    assert answer_key_line("duress-ew-john") == "duress-ew-john: fails"
    assert answer_key_line("victim-sarah") == "victim-sarah: not a victim"
    assert answer_key_line("nope") == "nope: no such question"


def test_stop_question_for_any_case():
    for case in library().cases:
        q = stop_question(case)
        assert q.module == 6 and q.answer in q.values


def test_discussion_prompts_are_cited_to_fitzgerald_iii():
    assert len(qz.DISCUSSION) >= 6
    for p in qz.DISCUSSION:
        assert str(p.source).startswith("Fitzgerald 2024, III")
        assert "{name}" in p.question and p.argument
