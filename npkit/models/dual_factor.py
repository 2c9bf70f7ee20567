"""Dual-Factor model: npkit's reading of a model the ALSA 2025 abstract proposes but does not
spell out. The abstract draws on determinism and free will; npkit weighs (a) how far the
trafficking situation determined the act against (b) how much free choice remained. Protected
where (a) clearly dominates, not protected where (b) does, and a middle ground between.

Every weight below is npkit's, not the source's: the output says so.
"""

from __future__ import annotations

from ..citations import alsa, reading
from ..facts import Facts
from ..findings import Finding, Reason
from ..vocabulary import MEANS
from ._common import model_finding, victim_gate

READING = reading("Dual-Factor weighing (weights are npkit's)")


def factors(f: Facts) -> tuple[list[tuple[str, int]], list[tuple[str, int]]]:
    determined = [(f"means: {m.replace('_', ' ')}", 2 if MEANS[m].force_or_threat else 1)
                  for m in sorted(f.means)]
    determined += [(label, w) for label, w, on in (
        ("ordered by the traffickers", 2, f.ordered_by_trafficker),
        ("the offence is what they were trafficked to do", 1, f.offence_category == "purpose"),
        ("no reasonable way out", 2, not f.escape_opportunity),
        ("a child", 3, f.is_child),
        ("deceived when recruited", 1, bool(f.deceived_about)),
    ) if on]
    free = [(label, w) for label, w, on in (
        ("informed consent to the work and conditions", 3, f.informed_consent),
        ("knew the work was criminal", 1, f.knew_work_was_criminal),
        ("voluntarily joined the group", 1, f.voluntary_association),
        ("went back after a rescue", 2, f.returned_after_rescue),
        ("driven by rewards, not coercion", 2, f.rewarded_rather_than_coerced),
        ("could reasonably have escaped", 2, f.escape_opportunity),
    ) if on]
    return determined, free


def dual_factor(f: Facts, victim: Finding) -> Finding:
    """Weigh determination against remaining free choice (npkit's reading)."""
    determined, free = factors(f)
    a, b = sum(w for _, w in determined), sum(w for _, w in free)
    if not victim.holds or not f.but_for_trafficking or b >= a:
        holds: bool | None = False
    elif a >= 2 * b:
        holds = True
    else:
        holds = None
    reasons = [
        victim_gate(victim),
        *([Reason("The offence would have happened without the trafficking, so the "
                  "trafficking did not determine it.", READING)]
          if not f.but_for_trafficking else []),
        Reason(f"Determined by the trafficking: {a} ("
               + (", ".join(f"{n} {w}" for n, w in determined) or "nothing") + ").", READING),
        Reason(f"Free choice remaining: {b} ("
               + (", ".join(f"{n} {w}" for n, w in free) or "nothing") + ").", READING),
        Reason(
            "Determination clearly dominates (at least twice free choice): protected."
            if holds else
            "Middle ground: both factors weigh; a decision-maker must weigh them on the facts."
            if holds is None else
            "Free choice dominates or the person is not a victim: not protected.",
            READING),
        Reason("The model is proposed by the ALSA 2025 abstract, which gives no test; the "
               "weighing above is npkit's reading.", alsa()),
    ]
    return model_finding("dual_factor", "Dual-Factor (npkit's reading)", holds, reasons,
                         determination=a, free_choice=b)


