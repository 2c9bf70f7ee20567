"""Closed-list model (Thailand; ASEAN NPP study): only listed offence types are covered.

The generic model covers status offences only: entry, stay, work and documents. A state's own
list (Thailand's adds false information and prostitution) is in its jurisdiction row.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..citations import DOMESTIC_LAW, asean, fitz
from ..facts import Facts
from ..findings import Finding, Reason, condition
from ..vocabulary import STATUS_OFFENCES
from ._common import model_finding, victim_gate


def listed(f: Facts, offences: Iterable[str], where: str = "the list") -> Finding:
    covered = frozenset(offences)
    holds = f.offence_type in covered
    text = (
        f"{f.offence_type.replace('_', ' ')} is on {where}."
        if holds else
        f"{f.offence_type.replace('_', ' ')} is not on {where} "
        f"({', '.join(sorted(o.replace('_', ' ') for o in covered))})."
    )
    return condition("closed_list.listed", "Offence on the list", holds,
                     [Reason(text, fitz("IV.A.2", "Thailand Anti-TIP Act s 41"))])


def closed_list(f: Facts, victim: Finding) -> Finding:
    """Protected only where the victim's offence is a listed (status) offence."""
    on_list = listed(f, STATUS_OFFENCES, "the closed list of status offences")
    holds = bool(victim.holds and on_list.holds)
    reasons = [victim_gate(victim)]
    if victim.holds and not on_list.holds:
        reasons.append(Reason(
            "A closed list leaves out offences it did not foresee, such as the fraud scam "
            "centres force on their victims, however clear the trafficking.",
            fitz("IV.A.2")))
    if victim.holds and on_list.holds:
        reasons.append(Reason("A listed status offence: protected.",
                              asean(DOMESTIC_LAW)))
    return model_finding("closed_list", "Closed list (status offences)", holds, reasons,
                         [on_list])
