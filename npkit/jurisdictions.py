"""Apply a jurisdiction's (or an international instrument's) non-punishment provision.

The rows are data (``npkit/data/jurisdictions.yaml``, ``instruments.yaml``): a link model, the
offences covered and any discretion. This module only reads them: a state with no provision
does not protect; otherwise the offence must be covered and the state's link model must hold;
where the text leaves the authorities a choice, the outcome is ``discretionary``. Instruments
may also be ``conditional`` (a status the case does not record) or ``guidance`` (case law).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .citations import DOMESTIC_LAW, Citation, asean, fitz
from .facts import Facts
from .findings import Finding, Reason, condition

MODEL_WORDS = {
    "causation": "causation",
    "compulsion_strict": "compulsion (strict)",
    "compulsion_broad": "compulsion (broad)",
    "closed_list": "closed-list",
}
DISCRETION_TEXT = {
    "ministerial_permission": "prosecution of a listed offence remains possible with the "
    "Justice Minister's written permission",
    "shall_consider": "the text only obliges the authorities to consider not punishing",
    "entitled": "the text entitles, but does not oblige, the authorities not to prosecute",
}


@dataclass(frozen=True, slots=True)
class RowSpec:
    """A data row read once into plain values (rows are applied thousands of times when
    counterfactuals are searched)."""

    name: str
    code: str
    kind: str
    summary: str
    model: str
    has_provision: bool
    covered: tuple[str, ...]
    obedience_to_order: bool
    requires_forced_labour: bool
    discretion: str
    applies_only_to: str
    cite: Citation


_SPECS: dict[int, tuple[Any, RowSpec]] = {}


def spec(row: Any) -> RowSpec:
    """The row as a :class:`RowSpec`, made once per row object (keyed by identity, with the
    row kept alive so an id is never reused; hashing a pydantic model is slow)."""
    hit = _SPECS.get(id(row))
    if hit is not None and hit[0] is row:
        return hit[1]
    made = _spec(row)
    _SPECS[id(row)] = (row, made)
    return made


def _spec(row: Any) -> RowSpec:
    cites = row.citations
    return RowSpec(
        name=getattr(row, "name", ""), code=getattr(row, "code", ""),
        kind=getattr(row, "kind", ""), summary=row.summary, model=row.model,
        has_provision=getattr(row, "has_provision", True),
        covered=tuple(row.offences_covered),
        obedience_to_order=getattr(row, "obedience_to_order", False),
        requires_forced_labour=getattr(row, "requires_forced_labour", False),
        discretion=getattr(row, "discretion", "none"),
        applies_only_to=getattr(row, "applies_only_to", ""),
        cite=cites[0] if cites else asean(DOMESTIC_LAW),
    )


def _coverage(f: Facts, row: RowSpec, cite: Citation) -> Finding:
    covered = row.covered
    holds = "any" in covered or f.offence_type in covered
    name = f.offence_type.replace("_", " ")
    scope = "any offence" if "any" in covered else ", ".join(c.replace("_", " ") for c in covered)
    text = f"Covers {scope}; {name} is " + ("covered." if holds else "not covered.")
    return condition("coverage", "Offence covered", holds, [Reason(text, cite)],
                     covered=tuple(covered))


def apply_row(f: Facts, data_row: Any, models: dict[str, Finding], test: str) -> Finding:
    """The outcome of one jurisdiction or instrument for these facts."""
    row = spec(data_row)
    cite = row.cite
    name = row.name or test
    if row.kind == "case_law":
        reasons = [Reason(row.summary, cite),
                   Reason("A judgment, not a provision: it guides how states apply the "
                          "principle but is not applied here as a test.", cite)]
        return Finding(test, name, "guidance", None, reasons, {"kind": "case_law"})
    if row.model == "none" or not row.has_provision:
        reasons = [Reason(f"{name} has no explicit non-punishment provision: not protected "
                          "by statute; only general defences such as duress remain.", cite)]
        if row.code:
            reasons.append(Reason(
                "ACTIP art 14(7) still asks every ASEAN state to consider not holding victims "
                "liable for unlawful acts directly related to their trafficking.",
                fitz("IV.A.2", "ACTIP 2015 art 14(7)")))
        return Finding(test, name, "not_protected", False, reasons, {"model": "none"})
    coverage = _coverage(f, row, cite)
    children = [coverage]
    victim = models["_victim"]
    if row.requires_forced_labour:
        fl = victim.child("purpose").child("forced_labour")
        children.append(fl)
        link = bool(fl.holds) and bool(victim.holds) and f.but_for_trafficking
    elif row.model == "closed_list":
        link = bool(victim.holds)  # the state's own list did the work in coverage
    else:
        link = bool(models[row.model].holds)
        children.append(models[row.model])
    if row.obedience_to_order:
        children.append(condition(
            "obedience", "In obedience to the trafficker's order", f.ordered_by_trafficker,
            [Reason("Done on the traffickers' orders." if f.ordered_by_trafficker else
                    "Not shown to be done on the traffickers' orders.", cite)]))
        link = link or bool(victim.holds and f.ordered_by_trafficker)
    holds = bool(coverage.holds and link)
    reasons = []
    if not victim.holds:
        reasons.append(Reason("Not a victim for the period of this offence.",
                              victim.reasons[0].source))
    elif not coverage.holds:
        reasons.append(Reason(coverage.reasons[0].text + " Not protected.", cite))
    elif not link:
        reasons.append(Reason(f"The link its {MODEL_WORDS[row.model]} test asks for is not "
                              "made out.", cite))
    discretion = row.discretion
    if holds and discretion in DISCRETION_TEXT:
        reasons.append(Reason(f"Covered, but {DISCRETION_TEXT[discretion]}: discretionary.",
                              cite))
        return Finding(test, name, "discretionary", None, reasons,
                       {"model": row.model, "discretion": discretion}, children)
    only = row.applies_only_to
    if holds and only:
        reasons.append(Reason(f"Covered, but only for {only}; the case does not record "
                              "that status: conditional.", cite))
        return Finding(test, name, "conditional", None, reasons,
                       {"model": row.model, "applies_only_to": only}, children)
    if holds:
        reasons.append(Reason(f"Covered, and the link its {MODEL_WORDS[row.model]} test asks for "
                              "holds: "
                              "protected.", cite))
    return Finding(test, name, "protected" if holds else "not_protected", holds, reasons,
                   {"model": row.model, "discretion": discretion}, children)
