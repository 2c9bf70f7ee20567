"""The interner (npkit/engine/intern.py) hands back an earlier finding only when nothing can tell
the two apart: equal values and the same reason objects shared in the same places."""

from npkit.engine.findings import Finding, Reason
from npkit.engine.intern import Interner
from npkit.law.citations import fitz


def reason(text: str = "because") -> Reason:
    return Reason(text, fitz("V.A"), "duress.x.y")


def test_an_equal_finding_is_swapped_for_the_earlier_one():
    intern = Interner()
    r1, r2 = reason(), reason()
    first = intern(Finding("t", "T", "met", True, (r1,)))
    again = Finding("t", "T", "met", True, (r2,))
    assert intern(again) is first


def test_a_finding_that_differs_is_kept():
    intern = Interner()
    first = intern(Finding("t", "T", "met", True, (reason(),)))
    other = Finding("t", "T", "met", True, (reason("otherwise"),))
    assert intern(other) is other and intern(first) is first


def test_equal_findings_that_share_reasons_differently_are_not_merged():
    """A row asks whether a model's decisive reason is one of its reasons: a finding whose
    decisive reason is an equal copy must not stand in for one whose decisive is that reason."""
    intern = Interner()
    r = reason()
    shared = intern(Finding("t", "T", "met", True, (r,), decisive=r))
    copied = Finding("t", "T", "met", True, (reason(),), decisive=reason())
    assert copied == shared
    assert intern(copied) is copied
    assert intern(Finding("t", "T", "met", True, (reason(),))) is shared  # decisive = reasons[0]


def test_an_earlier_finding_is_kept_when_only_its_sharing_differs_from_a_later_one():
    """The sharing of the earlier finding is worked out only when an equal one comes: both
    orders give the same answers."""
    intern = Interner()
    r = reason()
    copied = intern(Finding("t", "T", "met", True, (reason(),), decisive=reason()))
    shared = Finding("t", "T", "met", True, (r,), decisive=r)
    assert intern(shared) is shared
    assert intern(Finding("t", "T", "met", True, (reason(),), decisive=reason())) is copied
    assert intern(Finding("t", "T", "met", True, (reason(),))) is shared


def test_findings_with_the_same_codes_but_other_words_are_kept_apart():
    intern = Interner()
    first = intern(Finding("t", "T", "met", True, (Reason("", fitz("V.A"), "a.b"),)))
    other = Finding("t", "T", "met", True, (Reason("", fitz("V.A"), "a.c"),))
    assert intern(other) is other and intern(first) is first


def test_outcome_only_findings_keep_no_facts_so_more_of_them_are_one():
    """The search's findings for changed facts show nothing: without their facts, two victim
    findings for different acts are one object, and every model resting on it is reused.
    Worded findings keep their facts."""
    from npkit.engine.assessment import LazyEvaluation, evaluate
    from npkit.law.facts import Facts

    evaluate.cache_clear()
    base = dict(means=frozenset({"deception"}), purposes=frozenset({"forced_criminality"}))
    one = Facts(acts=frozenset({"recruitment"}), **base)
    two = Facts(acts=frozenset({"transfer"}), **base)
    first = LazyEvaluation(one, outcomes_only=True).victim()
    assert LazyEvaluation(two, outcomes_only=True).victim() is first
    assert all(not n.facts for n in first.walk())
    worded = evaluate(one).victim
    assert worded.child("act").facts["acts"] == frozenset({"recruitment"})
    assert evaluate(two).victim.child("act").facts["acts"] == frozenset({"transfer"})
    evaluate.cache_clear()
