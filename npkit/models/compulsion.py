"""Compulsion model (Fitzgerald 2024 IV.B.1): protected only for offences the victim was
compelled to commit.

Strict reading (Indonesia, whose law the ASEAN NPP study says requires that the trafficker
coerced the victim; DOMAIN reads it as force or threats): the trafficker forced or threatened them.
Broad reading (UN Special Rapporteur): compulsion covers the full range of circumstances in
which a victim loses free will, so every trafficking means counts, subtle control included.
"""

from __future__ import annotations

from ..citations import DOMESTIC_LAW, asean, fitz, reading
from ..facts import Facts
from ..findings import Finding, Reason, condition
from ..vocabulary import MEANS
from ._common import identification_note, model_finding, victim_gate

FORCE_OR_THREAT = frozenset(m for m, t in MEANS.items() if t.force_or_threat)
IN_SCOPE_CATEGORIES = frozenset({"status", "purpose", "secondary"})
CATEGORY_PHRASE = {
    "status": "A status offence",
    "purpose": "A purpose offence",
    "secondary": "A secondary offence",
    "other": "An offence outside the three categories",
}


def compulsion_strict(f: Facts, victim: Finding) -> Finding:
    """Strict compulsion: the trafficker ordered the act and used force or threats."""
    cite = asean(DOMESTIC_LAW, "Indonesia's anti-trafficking law")
    force = f.means & FORCE_OR_THREAT
    ordered = condition(
        "models.compulsion_strict.ordered", "Ordered by the trafficker", f.ordered_by_trafficker,
        [Reason("The traffickers ordered or required this act." if f.ordered_by_trafficker
                else "Nothing shows the traffickers ordered this act.", cite)],
    )
    forced = condition(
        "models.compulsion_strict.force_or_threat", "Force or threats", bool(force),
        [Reason(f"Force or threats used: {', '.join(sorted(force))}." if force else
                "No force or threat by the trafficker is recorded; subtle control such as "
                "confinement, debts or deception does not count under the strict reading.",
                cite)],
    )
    during = f.committed == "during"
    holds = bool(victim.holds and ordered.holds and forced.holds and during)
    reasons = [victim_gate(victim)]
    if victim.holds:
        reasons.append(Reason(
            "Compelled by force or threats: protected." if holds else
            "Not committed in the course of being trafficked: not protected." if not during
            else "Not shown to be compelled by force or threats: not protected.", cite))
        reasons.append(Reason(
            "Which means count as 'force or threats' (here: any threat or use of force, "
            "however vague) is npkit's reading of the strict test.",
            reading("strict compulsion threshold")))
    if f.is_child and not force:
        reasons.append(Reason(
            "A compulsion test sits badly with child victims, for whom no means is needed.",
            asean(DOMESTIC_LAW)))
    reasons += identification_note(f, victim) if holds else []
    return model_finding("compulsion_strict", "Compulsion (strict)", holds, reasons,
                         [ordered, forced])


def compulsion_broad(f: Facts, victim: Finding) -> Finding:
    """Broad compulsion: any trafficking means counts as compulsion, subtle and psychological
    control included, for offences committed in the course of the trafficking."""
    cite = fitz("IV.B.1", "UN Special Rapporteur on trafficking in persons")
    # "in the course of being trafficked" (Fitzgerald 2024 IV.B.1): not acts after it ended
    in_course = f.committed == "during" and (
        f.ordered_by_trafficker or f.offence_category in IN_SCOPE_CATEGORIES)
    course = condition(
        "models.compulsion_broad.in_course", "Committed in the course of trafficking", in_course,
        [Reason(CATEGORY_PHRASE[f.offence_category]
                + (" ordered by the traffickers" if f.ordered_by_trafficker else "")
                + (f", committed {f.committed} the trafficking"
                   + (": within the trafficking situation." if in_course else
                      ": not committed in the course of being trafficked.")),
                fitz("IV.C"))],
    )
    reasons_m = []
    if f.means:
        reasons_m.append(Reason(
            f"Means used ({', '.join(sorted(f.means))}) count as compulsion.", cite))
    elif f.is_child:
        reasons_m.append(Reason(
            "No means, but the person is a child; npkit treats a child's trafficking "
            "situation itself as compelling.", reading("broad compulsion and child victims")))
    else:
        reasons_m.append(Reason("No means is recorded.", cite))
    compelled = condition("models.compulsion_broad.means", "Compelling circumstances",
                          bool(f.means) or f.is_child, reasons_m)
    holds = bool(victim.holds and course.holds and compelled.holds)
    reasons = [victim_gate(victim)]
    if victim.holds:
        reasons.append(Reason("Protected." if holds else "Not protected.", cite))
    reasons += identification_note(f, victim) if holds else []
    return model_finding("compulsion_broad", "Compulsion (broad)", holds, reasons,
                         [course, compelled])
