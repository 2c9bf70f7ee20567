import pytest
from pydantic import ValidationError

from npkit.casefile.case import Question
from npkit.casefile.library import get_case
from npkit.questions import answer_key, answer_keys


def key(case_id, qid):
    case = get_case(case_id)
    return answer_key(case, next(q for q in case.questions if q.id == qid))


def test_outcome_answers_agree_with_the_case_files_expected_outcomes():
    for case_id in ("jane", "john", "sarah"):
        case = get_case(case_id)
        for k in answer_keys(case):
            q = k.question
            if q.kind == "outcome" and f"{q.path}.outcome" in case.expected_outcomes:
                assert k.correct == {case.expected_outcomes[f"{q.path}.outcome"]}, (case_id, q.id)


def test_which_question_lists_every_state_that_protects_jane():
    k = key("jane", "states")
    jane = get_case("jane").expected_outcomes
    expected = {iso for iso in ("BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN")
                if jane.get(f"jurisdictions.{iso}.outcome") == "protected"}
    assert "PH" in k.correct and k.correct == expected
    assert len(k.choices) == 10
    assert k.is_correct(sorted(expected)) is True
    assert k.is_correct(["PH"]) is (expected == {"PH"})


def test_grading_rejects_unknown_values_and_free_text_is_ungraded():
    k = key("john", "duress-ew")
    assert k.is_correct("fails") is True
    assert k.is_correct("<script>") is False
    assert key("john", "why").is_correct("anything") is None


def test_question_shapes_are_validated():
    with pytest.raises(ValidationError, match="needs a path"):
        Question(id="q", prompt="p")
    with pytest.raises(ValidationError, match="'duress.scotland' is not an outcome npkit"):
        Question(id="q", prompt="p", path="duress.scotland")
    with pytest.raises(ValidationError, match="needs a group"):
        Question(id="q", prompt="p", kind="which", group="models", outcome="succeeds")
    assert Question(id="q", prompt="Why?", kind="free_text").kind == "free_text"
