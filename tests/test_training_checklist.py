"""The duress checklist's comparison: the trainee's yes/no beside npkit's findings."""

import pytest

from npkit.casefile.library import get_case
from npkit.course.training.checklist import (
    QUESTIONS,
    agreement,
    answer_word,
    clean_answers,
    compare,
    duress_counterfactuals,
    parse_answer,
    question,
)
from npkit.engine.assessment import assess
from npkit.law.duress import CONDITIONS, VARIANTS


@pytest.fixture(scope="module")
def jane():
    return assess(get_case("jane"))


@pytest.fixture(scope="module")
def john():
    return assess(get_case("john"))


def test_one_question_per_condition_of_the_law_module():
    assert tuple(QUESTIONS) == CONDITIONS
    assert "Jane" in question("imminent_threat", "Jane")


@pytest.mark.parametrize("raw,expected", [
    ("yes", True), ("no", False), (None, None), ("", None), ("YES", None), (True, None),
    (["yes"], None), ("maybe", None),
])
def test_parse_answer_accepts_only_yes_and_no(raw, expected):
    assert parse_answer(raw) is expected


def test_clean_answers_keeps_the_four_conditions_only():
    cleaned = clean_answers({"imminent_threat": "yes", "bogus": "yes", "no_escape": 3})
    assert cleaned == {"imminent_threat": True, "no_escape": None, "proportionate": None,
                       "no_voluntary_exposure": None}


def test_agreement_words():
    assert agreement(True, True) == "agrees"
    assert agreement(False, True) == "differs"
    assert agreement(None, True) == "not answered"
    assert answer_word(None) == "not answered" and answer_word(False) == "no"


def test_comparison_reads_outcomes_and_requirements_from_npkit(jane):
    result = compare(jane, {})
    assert result.name == "Jane"
    assert result.variants == tuple(VARIANTS)
    for vid in VARIANTS:
        assert result.outcome(vid) == jane.duress[vid].outcome
    for row in result.rows:
        assert row.answer == "not answered"
        for cell in row.cells:
            assert cell.required == (row.condition in VARIANTS[cell.variant].required)
            assert cell.holds == jane.duress[cell.variant].child(row.condition).holds
            assert cell.agreement == "not answered"
    assert result.answered == 0 and result.agreed("england_wales") == 0


def test_answers_matching_the_england_wales_findings_agree_everywhere_there(jane):
    key = {r.condition: "yes" if c.holds else "no"
           for r in compare(jane, {}).rows for c in r.cells if c.variant == "england_wales"}
    result = compare(jane, key)
    assert result.answered == 4
    assert result.agreed("england_wales") == 4


def test_john_differs_between_variants_on_the_imminent_threat(john):
    result = compare(john, {"imminent_threat": "yes"})
    row = result.rows[0]
    by_variant = {c.variant: c.agreement for c in row.cells}
    assert by_variant["england_wales"] == "agrees"
    assert by_variant["malaysia"] == "differs"


def test_counterfactuals_are_the_duress_ones(jane):
    result = compare(jane, {})
    assert result.counterfactuals == duress_counterfactuals(jane)
    assert result.counterfactuals
    assert all(c.path.startswith("duress.") for c in result.counterfactuals)
    assert all(c.path == "duress.malaysia.outcome" for c in result.changes_for("malaysia"))


def test_positive_questions_offer_yes_as_the_condition_not_met():
    from npkit.course.training.checklist import answer_options, yes_means_met

    assert not yes_means_met("no_escape") and not yes_means_met("no_voluntary_exposure")
    assert yes_means_met("imminent_threat") and yes_means_met("proportionate")
    assert answer_options("no_escape") == (("Yes", "no"), ("No", "yes"))
    assert answer_options("imminent_threat") == (("Yes", "yes"), ("No", "no"))
    assert question("no_escape", "Jane").startswith("Could Jane reasonably escape or get help?")


def test_a_row_says_the_answer_as_asked_and_what_it_means_for_the_condition(jane):
    answers = {"no_escape": "no", "imminent_threat": "no"}
    rows = {r.condition: r for r in compare(jane, answers).rows}
    assert (rows["no_escape"].answer, rows["no_escape"].status) == ("yes", "not met")
    assert (rows["imminent_threat"].answer, rows["imminent_threat"].status) == ("no", "not met")
    assert (rows["proportionate"].answer, rows["proportionate"].status) == ("not answered", "")
