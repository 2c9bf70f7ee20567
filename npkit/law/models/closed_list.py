"""Closed-list model: only the offence types a statute lists are covered.

The model applies one list, Thailand's (Anti-TIP Act s 41, as Fitzgerald 2024 IV.A.2 reports
it): immigration offences, giving false information, document offences, prostitution offences
and working without a permit. The list is read from npkit's Thailand row, so it is written once;
mapping the source's words to npkit's offence types is npkit's reading, and the row's mark says
so. Thailand is not the only state with a list: the ASEAN NPP study reports five (Brunei
Darussalam, Lao PDR, Malaysia, Myanmar, Thailand), each with its own, in the jurisdiction rows.
The model leaves out Thailand's ministerial permission, which the Thailand row applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from npkit.engine.findings import Finding, Reason, condition
from npkit.engine.memo import subtest
from npkit.law.citations import DOMESTIC_LAW, Citation, asean, fitz
from npkit.law.facts import Facts
from npkit.law.models._common import model_finding, victim_basis, victim_gate
from npkit.law.registry import Rule
from npkit.law.wording import joined, label, term

LIST_STATE = "TH"


def _row():
    from npkit.law.jurisdiction_data import jurisdictions

    return jurisdictions()[LIST_STATE]


@cache  # the rows are read once; a counterfactual search applies the model thousands of times
def model_list() -> tuple[str, ...]:
    """The offence types on the model's list: the Thailand row's."""
    return tuple(_row().offences_covered)


@cache
def list_citation() -> Citation:
    """The Thailand row's citation of s 41 (Fitzgerald 2024 IV.A.2), with the row's mark."""
    return next(c for c in _row().citations if "s 41" in c.authority)


def _words(term: str) -> str:
    return term.replace("_", " ")


def listed(f: Facts, offences: Iterable[str] | None = None,
           where: str = "Thailand's s 41 list", cite: Citation | None = None) -> Finding:
    covered = tuple(offences if offences is not None else model_list())
    holds = f.offence_type in covered
    why = Reason.of("models.closed_list.listed.on" if holds else "models.closed_list.listed.off",
                    cite or list_citation(), offence=term(f.offence_type, capital=True),
                    where=label(where), listed=joined(map(term, covered)))
    return condition("models.closed_list.listed", "Offence on the list", holds, [why])


def closed_list(f: Facts, victim: Finding) -> Finding:
    """Protected only where the victim's offence is on the list."""
    on_list = subtest(listed, f)
    holds = bool(victim.holds and on_list.holds)
    gate = victim_gate(victim)
    reasons = [gate]
    rests = victim_basis(victim) + (on_list.decisive,)
    if not victim.holds:
        decisive = gate
    elif holds:
        decisive = Reason.of("models.closed_list.protected", list_citation())
        reasons.append(decisive)
    else:  # the failing test decides; the model adds why a closed list fails such victims
        decisive = on_list.decisive
        reasons.append(Reason.of("models.closed_list.not_listed", fitz("IV.A.2")))
    reasons.append(Reason.of("models.closed_list.lists_in_region", asean(DOMESTIC_LAW)))
    return model_finding("closed_list", "Closed list (Thailand's s 41 list)", holds, reasons,
                         [on_list], decisive=decisive, also_rests_on=rests)


def _rules() -> tuple[Rule, ...]:
    return (
        Rule("models.closed_list", "Closed list (Thailand's s 41 list)", closed_list,
             ("protected", "not_protected"),
             "Protected only for offences on a closed list; npkit uses Thailand's (immigration, "
             "false information, documents, prostitution, working without a permit).",
             (list_citation(), fitz("IV.A.2"), asean(DOMESTIC_LAW))),
        Rule("models.closed_list.listed", "Offence on the list", listed, ("met", "not_met"),
             "The charged offence is one of the listed types.", (list_citation(),)),
    )


RULES = _rules
