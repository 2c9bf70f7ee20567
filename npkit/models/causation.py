"""Causation model (Fitzgerald 2024 IV.B.2): protected where the offence is a direct
consequence of the trafficking, usually tested as "but for the trafficking, would the offence
have happened?".

Two narrower readings are offered for comparison: temporal proximity (only acts during the
trafficking; the article rejects it) and directness (the Dutch *Mehak* court: violence ordered
by exploiters was not directly enough connected to the domestic work she was exploited for).
The Philippines adds acts done in obedience to the trafficker's order.
"""

from __future__ import annotations

from ..citations import fitz, reading
from ..facts import Facts
from ..findings import Finding, Reason, condition
from ._common import identification_note, model_finding, victim_gate

READINGS = {
    "but_for": ("causation", "Causation (but-for)"),
    "temporal": ("causation_temporal", "Causation (temporal-proximity reading)"),
    "direct": ("causation_direct", "Causation (directness reading, Mehak)"),
}


def but_for(f: Facts) -> Finding:
    """But for the trafficking situation, the offence would not have happened."""
    text = (
        "But for the trafficking, this offence would not have happened."
        if f.but_for_trafficking else
        "The offence would have happened without the trafficking."
    )
    return condition("causation.but_for", "But-for link", f.but_for_trafficking,
                     [Reason(text, fitz("IV.B.2"))])


def during(f: Facts) -> Finding:
    """Temporal proximity: committed while the person was trafficked."""
    holds = f.committed == "during"
    text = f"Committed {f.committed} the trafficking" + (
        "." if holds else "; the proximity reading excludes it, though the article rejects "
        "that reading.")
    return condition("causation.temporal", "Committed during the trafficking", holds,
                     [Reason(text, fitz("IV.B.2"))])


def direct(f: Facts) -> Finding:
    """Directness: the act is connected to the work the person was exploited for (or is a status
    offence arising from being there)."""
    holds = f.connected_to_exploited_work or f.offence_category == "status"
    text = (
        "The act is part of the exploitation itself."
        if f.connected_to_exploited_work else
        "A status offence arising directly from being trafficked." if holds else
        "The act is not connected to the work the person was exploited for, as in Mehak."
    )
    cite = fitz("IV.B.2", "Mehak (District Court of The Hague)")
    reasons = [Reason(text, cite)]
    if f.offence_category == "status" and not f.connected_to_exploited_work:
        reasons.append(Reason("Status offences count as direct.",
                              reading("directness reading and status offences")))
    return condition("causation.direct", "Directly connected to the exploitation", holds, reasons)


def obedience(f: Facts) -> Finding:
    """Philippines RA 9208 s 17: also acts done in obedience to the trafficker's order."""
    return condition(
        "causation.obedience", "In obedience to the trafficker's order", f.ordered_by_trafficker,
        [Reason("Done on the traffickers' orders." if f.ordered_by_trafficker
                else "Not shown to be done on the traffickers' orders.",
                fitz("IV.A.2", "Philippines RA 9208 s 17"))],
    )


def causation(f: Facts, victim: Finding, reading_: str = "but_for",
              with_obedience: bool = False) -> Finding:
    """Protected where the person is a victim and the offence is linked to the trafficking
    under the chosen reading (optionally: or done in obedience to the trafficker's order)."""
    key, title = READINGS[reading_]
    tests = [but_for(f)]
    if reading_ == "temporal":
        tests.append(during(f))
    elif reading_ == "direct":
        tests.append(direct(f))
    link = all(t.holds for t in tests)
    children = list(tests)
    if with_obedience:
        ob = obedience(f)
        children.append(ob)
        link = link or bool(ob.holds)
        title += " + obedience to orders"
    holds = bool(victim.holds and link)
    reasons = [victim_gate(victim)]
    if victim.holds:
        reasons.append(Reason(
            "The offence is linked to the trafficking: protected." if holds else
            "The link to the trafficking is not made out: not protected.", fitz("IV.B.2")))
    reasons += identification_note(f, victim) if holds else []
    return model_finding(key, title, holds, reasons, children)
