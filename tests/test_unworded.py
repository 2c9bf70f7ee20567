"""Outcomes without words (npkit.law.wording.unworded): the counterfactual search works out
the findings of changed facts without wording them. The outcomes must be the ones the worded
law gives, and an unworded finding must never reach anything shown."""

import pytest
from hypothesis import given, settings
from test_properties import facts

from npkit.casefile.library import library
from npkit.engine.assessment import LazyEvaluation, assess, evaluate
from npkit.engine.counterfactuals import changes
from npkit.engine.findings import Reason
from npkit.law.citations import fitz
from npkit.law.facts import facts_for
from npkit.law.wording import UNWORDED, joined, label, say, term, unworded, worded


def test_within_unworded_every_wording_is_the_blank_and_outside_it_is_words():
    with unworded():
        assert say("duress.no_escape.none") == ""
        assert worded("change.age.child") is UNWORDED
        assert term("threat_of_force") is UNWORDED and label("x") is UNWORDED
        assert joined([term("a"), "b"]) is UNWORDED
        r = Reason.of("duress.outcome.fails", fitz("V.A"), failed=term("x"))
        assert (r.text, r.params, r.code) == ("", (), "duress.outcome.fails")
    assert say("duress.no_escape.none") and term("threat_of_force") == "threat of force"
    assert Reason.of("duress.outcome.fails", fitz("V.A"), failed=term("x")).text


def test_unworded_ends_with_an_error_too():
    with pytest.raises(KeyError), unworded():
        raise KeyError("x")
    assert worded("change.age.child") != ""


def test_a_list_to_join_is_still_gone_through():
    """The facts a test reads must stay the same: the items of a join are still made."""
    seen = []

    def items():
        for word in ("a", "b"):
            seen.append(word)
            yield word

    with unworded():
        joined(items())
    assert seen == ["a", "b"]


def _same_outcomes(f):
    evaluate.cache_clear()
    worded_ = evaluate(f).outcomes()
    lazy = LazyEvaluation(f, outcomes_only=True)
    for path, outcome in worded_.items():
        if ".conditions." not in path:
            assert lazy.outcome(path) == outcome, path


def test_every_change_of_every_case_reaches_the_same_outcomes_unworded():
    n = 0
    for case in library().cases:
        for c in changes(facts_for(case)):
            _same_outcomes(c.facts)
            n += 1
    assert n > 150


@settings(max_examples=60, deadline=None)
@given(facts)
def test_random_facts_reach_the_same_outcomes_unworded(f):
    _same_outcomes(f)


def test_a_search_leaves_no_unworded_finding_behind():
    """The changed facts the search worked out, evaluated afterwards, are worded in full."""
    case = library().cases[0]
    evaluate.cache_clear()
    assess(case)  # fills the search's memo with the changes' findings
    for c in changes(facts_for(case)):
        e = evaluate(c.facts)
        for node in (e.victim, *e.duress.values(), *e.models.values(),
                     *e.jurisdictions.values(), *e.instruments.values()):
            for n in node.walk():
                assert all(r.text for r in n.reasons), n.test
