"""Causation model (Fitzgerald 2024 IV.B.2): protected where the offence is a direct
consequence of the trafficking, usually tested as "but for the trafficking, would the offence
have happened?".

Two narrower readings are offered for comparison: temporal proximity (only acts during the
trafficking; the article rejects it) and directness (the Hague Court in the Dutch *Mehak* case:
a manslaughter her exploiters ordered was not directly enough connected to the domestic work she
was exploited for). The Philippines' further route, acts done in obedience to the trafficker's
order, belongs to that state's provision and lives with it in :mod:`npkit.law.jurisdictions`.
"""

from __future__ import annotations

from functools import partial

from npkit.engine.findings import Finding, Reason, condition
from npkit.engine.memo import subtest
from npkit.law.citations import fitz, reading
from npkit.law.facts import Facts
from npkit.law.models._common import (
    failing,
    identification_note,
    model_finding,
    victim_basis,
    victim_gate,
)
from npkit.law.registry import Rule

READINGS = {
    "but_for": ("causation", "Causation (but-for)"),
    "temporal": ("causation_temporal", "Causation (temporal-proximity reading)"),
    "direct": ("causation_direct", "Causation (directness reading, Mehak)"),
}
CITE = fitz("IV.B.2")
MEHAK = fitz("IV.B.2", "Mehak (Hague Court, Netherlands)")
STATUS_READING = reading("directness reading and status offences")
# What a status offence is comes from IV.C, not from Mehak (which says nothing about them).
STATUS = fitz("IV.C")


def but_for(f: Facts) -> Finding:
    """But for the trafficking situation, the offence would not have happened."""
    return condition("models.causation.but_for", "But-for link", f.but_for_trafficking,
                     [Reason.of("models.causation.but_for.holds" if f.but_for_trafficking
                                else "models.causation.but_for.fails", CITE)])


def during(f: Facts) -> Finding:
    """Temporal proximity: committed while the person was trafficked."""
    holds = f.committed == "during"
    why = (Reason.of("models.causation.temporal.during", CITE) if holds else
           Reason.of("models.causation.temporal.outside", CITE, committed=f.committed))
    return condition("models.causation.temporal", "Committed during the trafficking", holds, [why])


def direct(f: Facts) -> Finding:
    """Directness: the act is connected to the work the person was exploited for (or, on
    npkit's reading, is a status offence arising from being there)."""
    status = f.offence_category == "status" and not f.connected_to_exploited_work
    holds = f.connected_to_exploited_work or status
    if f.connected_to_exploited_work:
        reasons = [Reason.of("models.causation.direct.exploited_work", MEHAK)]
    elif status:
        reasons = [Reason.of("models.causation.direct.status_reading", STATUS_READING),
                   Reason.of("models.causation.direct.status", STATUS)]
    else:
        reasons = [Reason.of("models.causation.direct.unconnected", MEHAK)]
    return condition("models.causation.direct", "Directly connected to the exploitation", holds,
                     reasons)


def causation(f: Facts, victim: Finding, reading_: str = "but_for") -> Finding:
    """Protected where the person is a victim and the offence is linked to the trafficking
    under the chosen reading."""
    key, title = READINGS[reading_]
    tests = [subtest(but_for, f)]
    if reading_ == "temporal":
        tests.append(subtest(during, f))
    elif reading_ == "direct":
        tests.append(subtest(direct, f))
    link = all(t.holds for t in tests)
    holds = bool(victim.holds and link)
    gate = victim_gate(victim)
    reasons = [gate]
    rests = victim_basis(victim)
    if not victim.holds:
        decisive = gate
    elif holds:
        decisive = Reason.of(f"models.{key}.protected", CITE)
        reasons.append(decisive)
        # a status offence counted as direct rests on npkit's reading
        rests += tuple(r for t in tests for r in t.reasons if r.mark is not None)
    else:
        decisive = failing(*tests)
    reasons += identification_note(f, victim) if holds else []
    return model_finding(key, title, holds, reasons, tests, decisive=decisive,
                         also_rests_on=rests)


causation_temporal = partial(causation, reading_="temporal")
causation_direct = partial(causation, reading_="direct")

RULES = (
    Rule("models.causation", "Causation (but-for)", causation, ("protected", "not_protected"),
         "Protected where the offence would not have happened but for the trafficking.",
         (CITE,)),
    Rule("models.causation_temporal", "Causation (temporal-proximity reading)", causation_temporal,
         ("protected", "not_protected"),
         "The but-for link, and the offence committed during the trafficking; a reading the "
         "article rejects, shown for comparison.", (CITE,)),
    Rule("models.causation_direct", "Causation (directness reading, Mehak)", causation_direct,
         ("protected", "not_protected"),
         "The but-for link, and the act directly connected to the exploited work, as the Hague "
         "Court required in Mehak.", (MEHAK,)),
    Rule("models.causation.but_for", "But-for link", but_for, ("met", "not_met"),
         "But for the trafficking, the offence would not have happened.", (CITE,)),
    Rule("models.causation.temporal", "Committed during the trafficking", during,
         ("met", "not_met"), "The offence was committed while the person was trafficked.",
         (CITE,)),
    Rule("models.causation.direct", "Directly connected to the exploitation", direct,
         ("met", "not_met"),
         "The act is part of the exploited work; npkit also counts a status offence.",
         (MEHAK, STATUS_READING)),
)
