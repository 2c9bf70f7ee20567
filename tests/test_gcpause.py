"""The engine holds the cyclic garbage collector off while it searches (npkit/engine/gcpause.py)
and always leaves it as it found it."""

import gc

import pytest

from npkit.casefile.library import library
from npkit.engine import assessment
from npkit.engine.assessment import assess
from npkit.engine.gcpause import gc_paused


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_search_runs_with_the_collector_off_and_switches_it_back_on(collector_on,
                                                                        monkeypatch):
    seen = []
    original = assessment.LazyEvaluation.outcome

    def outcome(self, path):
        seen.append(gc.isenabled())
        return original(self, path)

    monkeypatch.setattr(assessment.LazyEvaluation, "outcome", outcome)
    assessment.evaluate.cache_clear()
    assess(library().cases[0])
    assert seen and not any(seen)
    assert gc.isenabled()


def test_nested_pauses_switch_it_on_only_at_the_outermost_end(collector_on):
    with gc_paused():
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_error_inside_still_switches_it_back_on(collector_on):
    with pytest.raises(KeyError), gc_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off(collector_on):
    gc.disable()
    with gc_paused():
        pass
    assert not gc.isenabled()
    gc.enable()
