"""Duress: the general criminal defence prosecutors reach for, and why it fails most victims.

Four conditions, all needed (Fitzgerald 2024 V.A): (1) an imminent threat of death or serious
harm aimed at the defendant or someone close enough; (2) no reasonable opportunity to escape;
(3) the harm threatened is at least the harm caused; (4) the defendant did not voluntarily
expose themselves to the risk of such compulsion. Each variant below says how it reads them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .citations import Citation, fitz, outside, reading
from .facts import Facts, ThreatFact
from .findings import Finding, Reason, condition

# R v Howe is not in the seed texts: law from outside the sources.
HOWE = outside("R v Howe [1987] AC 417", "duress unavailable for murder")
CONDITIONS = ("imminent_threat", "no_escape", "proportionate", "no_voluntary_exposure")

# Threatened harm and caused harm on one scale: harm to life or body outweighs harm to property.
THREAT_RANK = {"death": 5, "serious_harm": 4, "lesser_harm": 1, "unspecified": 0}
HARM_RANK = {
    "none": 0, "property_minor": 1, "property_major": 2, "bodily_harm": 3,
    "serious_bodily_harm": 4, "death": 5,
}


@dataclass(frozen=True, slots=True)
class Variant:
    id: str
    title: str
    citation: Citation
    # which (severity, imminence) pairs count as an imminent threat
    qualifying: frozenset[tuple[str, str]]
    targets: frozenset[str]
    required: frozenset[str]
    excluded_offences: frozenset[str]
    threat_rule: str  # the variant's threat test, in our words


VARIANTS: dict[str, Variant] = {
    v.id: v
    for v in (
        Variant(
            "england_wales",
            "England & Wales (common law)",
            fitz("V.A-B", "R v Hasan [2005] UKHL 22; R v LM [2010] EWCA Crim 2327"),
            frozenset({("death", "imminent"), ("serious_harm", "imminent")}),
            frozenset({"self", "close_person", "family_far_away"}),
            frozenset(CONDITIONS),
            frozenset({"murder"}),
            "a direct threat of death or serious injury, capable of being carried out then "
            "and there, aimed at the defendant or someone sufficiently close",
        ),
        Variant(
            "malaysia",
            "Malaysia (Penal Code s 94)",
            fitz("V.B.1", "Penal Code s 94; Mohamed Yusof bin Haji Ahmad v PP [1983] 2 MLJ 167"),
            frozenset({("death", "imminent")}),
            frozenset({"self"}),
            frozenset({"imminent_threat", "no_escape", "no_voluntary_exposure"}),
            frozenset(),
            "reasonable fear, at the very time of the act, of instant death to that person",
        ),
        Variant(
            "rome_statute",
            "Rome Statute art 31(1)(d)",
            fitz("V.A", "Rome Statute art 31(1)(d); Prosecutor v Ongwen (ICC, 2021)"),
            frozenset(
                {("death", "imminent"), ("serious_harm", "imminent"),
                 ("serious_harm", "continuing")}
            ),
            frozenset({"self", "close_person", "family_far_away", "other_person"}),
            frozenset({"imminent_threat", "no_escape", "proportionate"}),
            frozenset(),
            "imminent death, or continuing or imminent serious bodily harm, to that person or "
            "another; an abstract danger or a raised probability, even a constant one, is not "
            "enough",
        ),
    )
}


def _words(term: str) -> str:
    return {"self": "the person", "unspecified": "unspecified"}.get(term, term.replace("_", " "))


def _describe(t: ThreatFact) -> str:
    return f"{_words(t.severity)} harm to {_words(t.target)} ({_words(t.imminence)})"


def _why_not(t: ThreatFact, v: Variant) -> str:
    why = []
    severities = {sev for sev, _ in v.qualifying}
    imminences = {i for sev, i in v.qualifying if sev == t.severity} or {
        i for _, i in v.qualifying
    }
    if t.severity not in severities:
        why.append(f"{_words(t.severity)} harm is not enough")
    if t.imminence not in imminences:
        why.append(f"it is {_words(t.imminence)}, not {' or '.join(sorted(imminences))}")
    if t.target not in v.targets:
        why.append(f"it is aimed at {_words(t.target)}")
    return "; ".join(why)


def imminent_threat(f: Facts, v: Variant) -> Finding:
    """An imminent threat of death or serious harm, aimed at someone the variant protects."""
    present = f.committed == "during"  # threats belong to the trafficking period
    good = [t for t in f.threats if (t.severity, t.imminence) in v.qualifying
            and t.target in v.targets] if present else []
    reasons = [Reason(f"{v.title} requires {v.threat_rule}.", v.citation)]
    if not present and f.threats:
        reasons.append(Reason(
            f"The offence was committed {f.committed} the trafficking: the threats of that "
            "period were not there at the time of the act.", fitz("V.A-B.1")))
    elif good:
        reasons.append(Reason(f"Met by the threat of {_describe(good[0])}.", v.citation))
    elif not f.threats:
        reasons.append(Reason("No threat is recorded.", v.citation))
    else:
        for t in f.threats:
            reasons.append(
                Reason(f"The threat of {_describe(t)} does not qualify: {_why_not(t, v)}.",
                       v.citation)
            )
        if any(t.target == "other_person" for t in f.threats) and "other_person" not in v.targets:
            reasons.append(
                Reason(
                    "Witnessing violence against others, however traumatic, is not a threat "
                    "aimed at the defendant.",
                    fitz("V.B.1", "R v LM [2010] EWCA Crim 2327"),
                )
            )
    return condition(
        f"duress.{v.id}.imminent_threat", "Imminent threat", bool(good), reasons,
        threats=tuple(_describe(t) for t in f.threats),
    )


def no_escape(f: Facts, v: Variant) -> Finding:
    """No reasonable opportunity to escape: the law asks for reasonable, not heroic, conduct."""
    holds = not f.escape_opportunity
    text = (
        "There was no reasonable opportunity to escape or seek help."
        if holds else "A reasonable opportunity to escape or seek help existed."
    )
    cite = fitz("V.B.1", "Kremnitzer on reasonable, not courageous, behaviour")
    return condition(f"duress.{v.id}.no_escape", "No reasonable escape", holds,
                     [Reason(text, cite)], escape_opportunity=f.escape_opportunity)


def proportionate(f: Facts, v: Variant) -> Finding:
    """The harm threatened is at least the harm caused; harm to life or body outweighs harm to
    property."""
    relevant = [t for t in f.threats if t.target in v.targets]
    worst = max((THREAT_RANK[t.severity] for t in relevant), default=-1)
    caused = HARM_RANK[f.harm]
    holds = worst >= caused and worst >= 0
    worst_name = next(
        (t.severity for t in relevant if THREAT_RANK[t.severity] == worst), "no threat"
    )
    text = (
        f"Worst harm threatened: {worst_name.replace('_', ' ')}; harm caused by the offence: "
        f"{f.harm.replace('_', ' ')}. "
        + ("The threat weighs at least as much." if holds
           else "The harm caused outweighs what was threatened.")
    )
    reasons = [Reason(text, fitz("V.A-B.1"))]
    if "proportionate" not in v.required:
        reasons.append(
            Reason(
                f"{v.title} states no separate proportionality test; shown for comparison, "
                "not counted.",
                reading(f"{v.title}: proportionality not an express element"),
            )
        )
    return condition(f"duress.{v.id}.proportionate", "Proportionality", holds, reasons,
                     harm=f.harm, worst_threat=worst_name)


def no_voluntary_exposure(f: Facts, v: Variant) -> Finding:
    """The defendant did not voluntarily associate with people who might compel them to offend."""
    holds = not f.voluntary_association
    text = (
        "The person did not knowingly join people who might compel them to offend."
        if holds else
        "The person knowingly joined people who might compel them to commit crimes, so they "
        "laid themselves open to the compulsion."
    )
    reasons = [Reason(text, fitz("V.B.2", "R v LM [2010] EWCA Crim 2327"))]
    if "no_voluntary_exposure" not in v.required:
        reasons.append(
            Reason(
                f"{v.title} as worded has no express voluntary-exposure bar; shown, not counted.",
                reading(f"{v.title}: voluntary exposure"),
            )
        )
    return condition(f"duress.{v.id}.no_voluntary_exposure", "No voluntary exposure", holds,
                     reasons, voluntary_association=f.voluntary_association)


TESTS = {
    "imminent_threat": imminent_threat,
    "no_escape": no_escape,
    "proportionate": proportionate,
    "no_voluntary_exposure": no_voluntary_exposure,
}


def duress(f: Facts, variant: str) -> Finding:
    """The defence succeeds only if every condition the variant requires is met."""
    v = VARIANTS[variant]
    children = [TESTS[c](f, v) for c in CONDITIONS]
    failed = [c.title.lower() for c, name in zip(children, CONDITIONS, strict=True)
              if name in v.required and not c.holds]
    reasons: list[Reason] = []
    if f.offence_type in v.excluded_offences:
        failed.append("not available for this offence")
        reasons.append(Reason(f"{v.title}: duress is not available for murder.", HOWE))
    holds = not failed
    reasons.insert(
        0,
        Reason("Every required condition is met." if holds
               else f"Fails on: {', '.join(failed)}.", v.citation),
    )
    return Finding(f"duress.{v.id}", f"Duress — {v.title}", "succeeds" if holds else "fails",
                   holds, reasons, {"variant": v.id}, children)
