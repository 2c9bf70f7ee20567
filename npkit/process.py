"""Where in the criminal process should the principle have stopped it?

ASEAN NPP study ("When the non-punishment principle applies in practice"): in theory the
principle applies at every stage, but it should apply from the earliest point a person is
recognised as a *potential* victim, without waiting for a formal victim-status decision, a
charge or any outcome against a trafficker. Once someone is inside the system as an offender,
few are diverted and the punishment already suffered cannot be undone ("Victim identification
challenges"; Fitzgerald 2024 IV.D). So:

- indicators of trafficking present and the presumption of victim status not rebutted (the
  presumption model, :mod:`npkit.models.presumption`) -> the process should stop at
  identification, and every later stage the case reached was a missed chance;
- otherwise (no indicators, or the State rebuts: the person was not a victim for the period of
  the offence, or the offence would have happened anyway) -> the principle does not stop this
  process, and the study warns against stretching it that far (recommendation 20).

``walk`` lays the six stages side by side with the study's 26 recommendations, grouped by
stage as the study groups them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .citations import IDENTIFICATION, Citation, asean, fitz
from .findings import Finding, Reason
from .vocabulary import Stage, describe

STAGES = tuple(Stage)

# Headings of the ASEAN NPP study used as pinpoints (the study text has no page numbers).
APPLICATION = "Application of the non-punishment principle"
WHEN_APPLIES = f"{APPLICATION}: When the non-punishment principle applies in practice"
WHEN_NOT = f"{APPLICATION}: When the non-punishment principle should not apply in practice"

NONE = "none"  # the outcome when the principle does not stop the process


@dataclass(frozen=True, slots=True)
class StageView:
    stage: str
    title: str
    reached: bool  # the case got this far
    current: bool  # the stage the case is at now
    should_stop_here: bool
    missed: bool  # reached, but the principle should already have stopped the process
    recommendations: tuple  # the study's recommendations for this stage


@dataclass(frozen=True, slots=True)
class ContextFigure:
    """A figure from the sources that sets the scene for module 6 (paraphrased, cited)."""

    figure: str
    text: str
    source: Citation


CONTEXT_FIGURES: tuple[ContextFigure, ...] = (
    ContextFigure(
        "300,000+",
        "people from more than 60 countries are thought to be held by crime groups in scam "
        "compounds across the Mekong region (Cambodia about 100,000, Myanmar about 120,000, "
        "Laos about 85,000).",
        fitz("II.A.1"),
    ),
    ContextFigure(
        "70%",
        "of victims returned from scam centres were facing prosecution for money laundering, "
        "fraud or organised-crime conspiracy, according to the Royal Thai Police in October "
        "2022.",
        fitz("IV.D", "Royal Thai Police figures, October 2022"),
    ),
    ContextFigure(
        "80-90%",
        "of the people rescued or sent home from scam centres were trafficking victims, on a "
        "confidential NGO estimate.",
        fitz("II.A.3", "a confidential NGO source"),
    ),
    ContextFigure(
        "86%",
        "of the people referred to IOM for forced criminality were identified as victims of "
        "trafficking.",
        fitz("II.A.3", "IOM"),
    ),
)

_STATUS_REASON = {
    "identified": (
        "The person was formally identified as a victim and the case still went on: the study "
        "asks that a victim be prosecuted only after formal identification, with the reasons "
        "clearly explained, and that the bearing of victim status on non-prosecution be made "
        "clear (recommendations 11 and 12).", asean("Recommendations 11-12")),
    "identified_as_offender": (
        "The authorities treated the person as a willing offender despite the indicators: "
        "non-identification is a key reason victims are prosecuted, and assumptions about the "
        "'ideal' victim feed it (recommendations 1 and 3).", asean(IDENTIFICATION)),
    "not_identified": (
        "The person was never identified as a victim: screening should start at the first "
        "sign of trafficking, and protection should not wait for it (recommendation 4).",
        asean(IDENTIFICATION)),
    "pending": (
        "Screening was still under way: protection should not wait for a formal decision on "
        "victim status (recommendation 4).", asean(WHEN_APPLIES)),
}


def should_stop(assessment) -> Finding:
    """The stage at which the principle should have stopped the process, or ``none``.

    ``outcome`` is a :class:`~npkit.vocabulary.Stage` value (always ``identification``, the
    earliest point) or ``"none"``; ``holds`` says whether the principle stops the process.
    """
    f = assessment.facts
    presumption = assessment.models["presumption"]
    reached = f.stage
    facts = {"reached": reached, "identification": f.identification}
    if presumption.holds:
        reasons = [Reason(
            "Indicators of trafficking were there and the presumption that the person is a "
            "victim is not rebutted, so the principle should have protected them from the "
            "earliest point they could be recognised as a potential victim: at identification, "
            "before any arrest or charge, without waiting for a formal decision on victim "
            "status.", asean(WHEN_APPLIES))]
        text, cite = _STATUS_REASON.get(f.identification, _STATUS_REASON["not_identified"])
        reasons.append(Reason(text, cite))
        if STAGES.index(reached) > 0:
            reasons.append(Reason(
                f"The case reached '{describe(Stage, reached)}': every stage after "
                "identification was a missed chance to apply the principle. Once a victim is "
                "inside the system as an offender, few are diverted, and the harm of the "
                "process itself cannot be undone.", asean(IDENTIFICATION)))
        return Finding("process.stop", "Where the principle should stop the process",
                       STAGES[0].value, True, reasons, facts)

    reasons = []
    victim = assessment.victim
    if not victim.holds:
        reasons.append(victim.reasons[-1])  # why the person is not a victim for this period
    if not presumption.child("indicators").holds:
        reasons.append(Reason(
            "No indicators of trafficking are recorded for the period of the offence, so no "
            "presumption of victim status arises.", asean(WHEN_APPLIES)))
    else:
        reasons.extend(presumption.child("rebutted").reasons)
    if f.later_period or f.acts:
        reasons.append(Reason(
            "This is judged on the full facts. At first contact (say, a raid on a compound) no "
            "one could know them yet, so screening the person as a potential victim was still "
            "right; it is the later, fuller picture that rebuts the presumption.",
            asean(IDENTIFICATION)))
    reasons.append(Reason(
        "So the principle does not stop this process: the study warns against stretching it to "
        "people who are not victims, or to offences unrelated to their trafficking "
        "(recommendation 20).", asean(WHEN_NOT)))
    return Finding("process.stop", "Where the principle should stop the process", NONE, False,
                   reasons, facts)


def walk(assessment) -> list[StageView]:
    """Every stage, with the study's recommendations, for one assessed case."""
    from .jurisdiction_data import recommendations

    stop = should_stop(assessment)
    reached = STAGES.index(assessment.facts.stage)
    recs = recommendations()
    out = []
    for i, stage in enumerate(STAGES):
        out.append(StageView(
            stage=stage.value, title=describe(Stage, stage), reached=i <= reached,
            current=i == reached, should_stop_here=bool(stop.holds and i == 0),
            missed=bool(stop.holds and 0 < i <= reached),
            recommendations=tuple(r for r in recs if r.stage == stage.value),
        ))
    return out


def stop_sentence(assessment) -> str:
    """One line: where the principle should stop this person's process."""
    stop = should_stop(assessment)
    name = assessment.case.person.pseudonym
    if stop.holds:
        return f"{name}: the principle should stop the process at: {stop.outcome}"
    return f"{name}: the principle does not stop the process"


def stop_line(case_id: str) -> str:
    """:func:`stop_sentence` for a case in the library (for the checked notebook cells)."""
    from .assessment import assess
    from .library import get_case

    return stop_sentence(assess(get_case(case_id), counterfactuals=False))
