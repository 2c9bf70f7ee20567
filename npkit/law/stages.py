"""Where in the criminal process should the principle have stopped it?

ASEAN NPP study ("When the non-punishment principle applies in practice"): in theory the
principle applies at every stage, but it should apply from the earliest point a person is
recognised as a *potential* victim, without waiting for a formal victim-status decision, a
charge or any outcome against a trafficker. Once someone is inside the system as an offender,
few are diverted and the punishment already suffered cannot be undone ("Victim identification
challenges"; Fitzgerald 2024 IV.D). So:

- indicators of trafficking present and the presumption of victim status not rebutted (the
  presumption model, :mod:`npkit.law.models.presumption`) -> the process should stop at
  identification, and every later stage the case reached was a missed chance;
- otherwise (no indicators, or the facts show the person was not a victim for the period of
  the offence, or that the offence would have happened anyway: npkit's reading of what rebuts
  the presumption) -> the principle does not stop this process, and the study warns against
  stretching it that far (recommendation 20). A fact not yet known does not rebut it.

Every reason is coded; its wording is in ``npkit/law/data/wording/process.yaml``.

``walk`` lays the six stages side by side with the study's 26 recommendations, grouped by
stage as the study groups them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from npkit.engine.findings import Finding, Reason
from npkit.law.citations import IDENTIFICATION, Citation, asean
from npkit.law.models.presumption import APPLICATION, WHEN_APPLIES, WHEN_NOT  # noqa: F401  (study headings)
from npkit.law.parameters import FILE, parameter, parameters, reference
from npkit.law.translated import ENGLISH
from npkit.law.vocabulary import Stage, describe
from npkit.law.wording import label

STAGES = tuple(Stage)


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


def context_figures(on: dt.date | None = None, lang: str = ENGLISH,
                    ) -> tuple[ContextFigure, ...]:
    """The figures module 6 opens with, from the ``context.*`` parameters in force on ``on``
    (the latest by default); each cites the first reference of its parameter, and says what it
    counts in the ``shown`` text of that parameter, in ``lang``."""
    def value(name: str):
        return parameter(f"context.{name}", on)

    def cite(name: str) -> Citation:
        return reference(f"context.{name}")[0]

    def shown(name: str, **fields) -> str:
        text = parameters(lang)[f"context.{name}"].shown
        if not text:
            raise LookupError(f"context.{name}: no `shown` text in {FILE}")
        return text.format(**fields)

    held, by = value("scam_centres.people_held"), value("scam_centres.people_held_by_country")
    ngo = value("rescued.victims_ngo_estimate")
    return (
        ContextFigure(
            f"{held:,}+",
            shown("scam_centres.people_held",
                  countries=value("scam_centres.countries_of_origin"),
                  cambodia=f"{by['cambodia']:,}", myanmar=f"{by['myanmar']:,}",
                  laos=f"{by['laos']:,}"),
            cite("scam_centres.people_held"),
        ),
        ContextFigure(
            f"{value('thailand.returned_victims_facing_prosecution')}%",
            shown("thailand.returned_victims_facing_prosecution"),
            cite("thailand.returned_victims_facing_prosecution"),
        ),
        ContextFigure(
            f"{ngo['low']}-{ngo['high']}%",
            shown("rescued.victims_ngo_estimate"),
            cite("rescued.victims_ngo_estimate"),
        ),
        ContextFigure(
            f"{value('forced_criminality.iom_identified')}%",
            shown("forced_criminality.iom_identified"),
            cite("forced_criminality.iom_identified"),
        ),
    )


CONTEXT_FIGURES = context_figures()

# The reason each identification status adds, and the study passage it rests on.
_STATUS = {
    "identified": ("process.stop.status.identified", asean("Recommendations 11-12")),
    "identified_as_offender": ("process.stop.status.identified_as_offender", asean(IDENTIFICATION)),
    "not_identified": ("process.stop.status.not_identified", asean(IDENTIFICATION)),
    "pending": ("process.stop.status.pending", asean(WHEN_APPLIES)),
}
TITLE = "Where the principle should stop the process"


def should_stop(assessment) -> Finding:
    """The stage at which the principle should have stopped the process, or ``none``.

    ``outcome`` is a :class:`~npkit.law.vocabulary.Stage` value (always ``identification``, the
    earliest point) or ``"none"``; ``holds`` says whether the principle stops the process.
    """
    f = assessment.facts
    presumption = assessment.models["presumption"]
    reached = f.stage
    facts = {"reached": reached, "identification": f.identification}
    if presumption.holds:
        lead = Reason.of("process.stop.identification", asean(WHEN_APPLIES))
        code, cite = _STATUS.get(f.identification, _STATUS["not_identified"])
        reasons = [lead, Reason.of(code, cite)]
        if STAGES.index(reached) > 0:
            reasons.append(Reason.of("process.stop.missed", asean(IDENTIFICATION),
                                     stage=label(describe(Stage, reached))))
        return Finding("process.stop", TITLE, STAGES[0].value, True, reasons, facts,
                       decisive=lead, also_rests_on=presumption.also_rests_on)

    reasons = []
    victim = assessment.victim
    if not victim.holds:
        reasons.append(victim.decisive)  # why the person is not a victim for this period
    indicators = presumption.child("indicators")
    if not indicators.holds:
        decisive = Reason.of("process.stop.none.no_indicators", asean(WHEN_APPLIES))
        reasons.append(decisive)
    else:
        decisive = presumption.child("rebutted").decisive
        reasons.extend(presumption.child("rebutted").reasons)
    if f.later_period or f.acts:
        reasons.append(Reason.of("process.stop.none.full_facts", asean(IDENTIFICATION)))
    reasons.append(Reason.of("process.stop.none.misuse", asean(WHEN_NOT)))
    return Finding("process.stop", TITLE, NONE, False, reasons, facts, decisive=decisive,
                   also_rests_on=presumption.also_rests_on)


def walk(assessment, lang: str = "en") -> list[StageView]:
    """Every stage, with the study's recommendations (in ``lang``), for one assessed case."""
    from npkit.law.jurisdiction_data import recommendations

    stop = should_stop(assessment)
    reached = STAGES.index(assessment.facts.stage)
    recs = recommendations(lang)
    out = []
    for i, stage in enumerate(STAGES):
        out.append(StageView(
            stage=stage.value, title=describe(Stage, stage), reached=i <= reached,
            current=i == reached, should_stop_here=bool(stop.holds and i == 0),
            missed=bool(stop.holds and 0 < i <= reached),
            recommendations=tuple(r for r in recs if r.stage == stage.value),
        ))
    return out


def walk_summary(stop: Finding) -> Reason:
    """The line over the stage-by-stage view: whether the stages the case reached after
    identification were missed chances (``stop`` is :func:`should_stop`'s finding)."""
    if stop.holds:
        return Reason.of("process.walk.stops", asean(WHEN_APPLIES))
    return Reason.of("process.walk.no_stop", asean(WHEN_NOT))


def stop_sentence(assessment) -> str:
    """One line: where the principle should stop this person's process."""
    stop = should_stop(assessment)
    name = assessment.case.person.pseudonym
    if stop.holds:
        return f"{name}: the principle should stop the process at: {stop.outcome}"
    return f"{name}: the principle does not stop the process"
