"""Where in the criminal process should the principle have stopped it?

ASEAN NPP study: the principle should apply from the earliest point a person is recognised as a
*potential* victim; once someone is inside the system as an offender, few are diverted. So the
process should stop at identification whenever indicators of trafficking are present and the
presumption is not rebutted, and every later stage the case reached is a missed chance.
"""

from __future__ import annotations

from dataclasses import dataclass

from .citations import IDENTIFICATION, asean
from .findings import Finding, Reason
from .vocabulary import Stage, describe

STAGES = tuple(Stage)


@dataclass(frozen=True, slots=True)
class StageView:
    stage: str
    title: str
    reached: bool  # the case got this far
    should_stop_here: bool
    missed: bool  # reached, but the principle should already have stopped the process
    recommendations: tuple  # the study's recommendations for this stage


def should_stop(assessment) -> Finding:
    """The stage at which the principle should have stopped the process, if any."""
    presumption = assessment.models["presumption"]
    reached = assessment.facts.stage
    cite = asean(IDENTIFICATION)
    if presumption.holds:
        late = STAGES.index(reached) > 0
        reasons = [
            Reason("Indicators of trafficking were there from the first contact, so the "
                   "principle should have applied at identification, before any arrest or "
                   "charge.", cite),
        ]
        if late:
            reasons.append(Reason(
                f"The case reached '{describe(Stage, reached)}': every stage after "
                "identification was a missed chance to apply it.", cite))
        return Finding("process.stop", "Where the principle should apply", "identification",
                       True, reasons, {"reached": reached})
    reasons = [Reason(
        "The presumption of victim status is rebutted on these facts, so the principle does "
        "not stop this process; the study also asks states to guard against its misuse "
        "(recommendation 20).", asean("Recommendation 20"))]
    return Finding("process.stop", "Where the principle should apply", "none", False, reasons,
                   {"reached": reached})


def walk(assessment) -> list[StageView]:
    """Every stage, with the study's recommendations, for one assessed case."""
    from .jurisdiction_data import recommendations

    stop = should_stop(assessment)
    reached = STAGES.index(assessment.facts.stage)
    recs = recommendations()
    out = []
    for i, stage in enumerate(STAGES):
        here = stop.holds and i == 0
        out.append(StageView(
            stage=stage.value, title=describe(Stage, stage), reached=i <= reached,
            should_stop_here=bool(here), missed=bool(stop.holds and 0 < i <= reached),
            recommendations=tuple(r for r in recs if r.stage == stage.value),
        ))
    return out
