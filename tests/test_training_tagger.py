"""Scoring the element tagger: the answer key is the case file's passage tags."""

from hypothesis import given
from hypothesis import strategies as st

from npkit.casefile.library import get_case
from npkit.course.training.tagger import (
    VALID_TAGS,
    choices_by_element,
    clean_index,
    clean_tags,
    count_by_element,
    score,
    sort_tags,
    tag_choices,
    tag_label,
    victim_agreement,
)

JANE = get_case("jane")
KEY = {i: set(p.tags) for i, p in enumerate(JANE.narrative)}


def test_every_case_tag_is_offered():
    for case_id in ("jane", "john", "sarah", "child"):
        for p in get_case(case_id).narrative:
            assert set(p.tags) <= VALID_TAGS


def test_choices_are_grouped_by_element_in_order():
    groups = choices_by_element()
    assert list(groups) == ["act", "means", "purpose"]
    assert sum(len(v) for v in groups.values()) == len(tag_choices())
    assert all(tag.startswith(kind + ".") for kind, v in groups.items() for _, tag in v)
    assert tag_label("means.fraud").startswith("means: fraud — ")


def test_the_answer_key_scores_full_marks():
    result = score(JANE, KEY)
    assert result.score == result.possible == sum(len(t) for t in KEY.values())
    assert result.all_correct == len(JANE.narrative)
    assert all(p.verdict == "correct" for p in result.passages)


def test_no_answers_score_nothing_but_untagged_passages_are_correct():
    result = score(JANE, {})
    assert result.score == 0
    assert [p.verdict for p in result.passages][-2:] == ["correct", "correct"]
    assert result.passages[0].verdict == "not correct"
    assert result.passages[0].missed == {"act.recruitment"}


def test_wrong_tags_cost_points_and_are_reported():
    result = score(JANE, {0: {"act.recruitment", "means.abduction"}})
    first = result.passages[0]
    assert first.correct == {"act.recruitment"} and first.extra == {"means.abduction"}
    assert first.verdict == "partly correct"
    assert result.wrong == 1 and result.score == 0


def test_ticking_everything_does_not_pay():
    everything = {i: set(VALID_TAGS) for i in range(len(JANE.narrative))}
    assert score(JANE, everything).score == 0


def test_crafted_input_is_ignored():
    crafted = {0: {"act.recruitment", "act.hacking", "<img src=x>", 7}, 99: {"act.transfer"},
               -1: {"act.transfer"}}
    result = score(JANE, crafted)
    assert result.passages[0].extra == frozenset()
    assert result.score == 1
    assert clean_tags("act.recruitment") == frozenset()  # a bare string is not a collection
    assert clean_tags(None) == frozenset()
    assert clean_tags(["act.recruitment", ["x"]]) == {"act.recruitment"}


def test_clean_index_accepts_only_passages_of_the_case():
    assert clean_index(JANE, 0) == 0
    assert clean_index(JANE, len(JANE.narrative) - 1) == len(JANE.narrative) - 1
    for bad in (len(JANE.narrative), -1, True, "0", 1.0, None):
        assert clean_index(JANE, bad) is None


def test_missed_is_counted_by_element_without_naming_terms():
    assert count_by_element({"act.receipt", "act.transportation", "means.fraud", "bogus"}) == {
        "act": 2, "means": 1}


def test_sort_tags_follows_the_offered_order_and_drops_unknowns():
    assert sort_tags({"purpose.forced_labour", "act.receipt", "zzz"}) == [
        "act.receipt", "purpose.forced_labour"]


def test_victim_agreement():
    assert victim_agreement("victim", "victim") == "agrees"
    assert victim_agreement("not_victim", "victim") == "differs"
    for crafted in (None, "", "maybe", ["victim"], 1):
        assert victim_agreement(crafted, "victim") == "not answered"


@given(st.dictionaries(st.integers(-3, 12), st.sets(st.sampled_from(sorted(VALID_TAGS)))))
def test_score_is_bounded(answers):
    result = score(JANE, answers)
    assert 0 <= result.score <= result.possible
    for p in result.passages:
        assert p.correct | p.missed == set(JANE.narrative[p.index].tags)
