"""Is the person a victim of trafficking, for the period of the charged offence?

Palermo Protocol art 3 and ACTIP art 2 as condensed in Fitzgerald 2024 II.B: an act, a means
and a purpose of exploitation. A child needs no means. Consent is irrelevant once a means was
used. A person can stop being a victim for a later period.
"""

from __future__ import annotations

from .citations import DOMESTIC_LAW, IDENTIFICATION, asean, fitz
from .facts import Facts
from .findings import Finding, Reason, condition
from .vocabulary import MEANS, Act, Means, Purpose, describe

# Force, threats, fines and debts are "menace of a penalty" in the ILO C29 sense.
PENALTY_MEANS = frozenset(
    {
        "threat_of_force", "use_of_force", "physical_abuse", "sexual_violence",
        "threats_to_family", "fines_or_deductions", "debt_bondage", "witnessed_violence",
    }
)
# Means that take away the freedom to leave.
NO_LEAVE_MEANS = frozenset({"confinement", "confiscated_documents", "debt_bondage", "abduction"})


def _names(enum, values) -> str:
    return ", ".join(f"{v.replace('_', ' ')} ({describe(enum, v)})" for v in sorted(values))


def act(f: Facts) -> Finding:
    """Act: recruitment, transportation, transfer, harbouring or receipt of a person."""
    holds = bool(f.acts)
    text = (
        f"Acts present: {_names(Act, f.acts)}." if holds else "No trafficking act is recorded."
    )
    return condition(
        "victim.act", "Act", holds, [Reason(text, fitz("II.B", "Palermo Protocol art 3(a)"))],
        acts=f.acts,
    )


def means(f: Facts) -> Finding:
    """Means: force, threats, coercion, abduction, fraud, deception, abuse of power or of a
    position of vulnerability, or payments to a controller. Not needed for a child."""
    cite = fitz("II.B", "Palermo Protocol art 3(a); ACTIP art 2")
    if f.means:
        palermo = sorted({MEANS[m].palermo for m in f.means})
        reasons = [
            Reason(f"Means used: {_names(Means, f.means)}.", cite),
            Reason(f"These are instances of the listed means: {', '.join(palermo)}.", cite),
        ]
        return condition("victim.means", "Means", True, reasons, means=f.means)
    if f.is_child:
        text = f"No means is recorded, but the person was {f.age}: a child needs no means."
        return condition(
            "victim.means", "Means", True,
            [Reason(text, asean(DOMESTIC_LAW, "Palermo Protocol art 3(c)"))], means=f.means,
            age=f.age,
        )
    text = "No means is recorded, and the person is not known to be a child."
    return condition("victim.means", "Means", False, [Reason(text, cite)], means=f.means)


def forced_labour(f: Facts) -> Finding:
    """Forced labour (ILO C29 art 2(1)): work exacted under menace of a penalty and not offered
    voluntarily; voluntariness needs free and informed consent and freedom to leave. It is how a
    closed-list jurisdiction such as Thailand can reach forced criminality."""
    cite = fitz("II.B.2", "ILO Forced Labour Convention 1930 (No 29) art 2(1)")
    penalty = (f.means & PENALTY_MEANS) or any(
        t.severity != "unspecified" or t.target == "self" for t in f.threats
    )
    cannot_leave = bool(f.means & NO_LEAVE_MEANS) or not f.escape_opportunity
    involuntary = not f.informed_consent or cannot_leave
    holds = bool(penalty) and involuntary
    reasons = [
        Reason(
            "Menace of a penalty: "
            + ("yes, " + ", ".join(m.replace("_", " ") for m in sorted(f.means & PENALTY_MEANS))
               or "yes, threats" if penalty
               else "none recorded")
            + ".",
            cite,
        ),
        Reason(
            "Not offered voluntarily: "
            + ("yes (no free, informed consent or no freedom to leave)." if involuntary
               else "no: informed consent and freedom to leave."),
            cite,
        ),
    ]
    return condition("victim.forced_labour", "Forced labour (ILO C29)", holds, reasons)


def purpose(f: Facts) -> Finding:
    """Purpose: exploitation, at a minimum sexual exploitation, forced labour or services,
    slavery or similar practices, servitude or organ removal. The list is open: forced
    criminality is recognised by UNODC; closed-list states route it through forced labour."""
    cite = fitz("II.B.1", "Palermo Protocol art 3(a); UNODC on forced criminality")
    fl = forced_labour(f)
    holds = bool(f.purposes)
    if holds:
        text = f"Purpose of exploitation: {_names(Purpose, f.purposes)}."
    else:
        text = "No purpose of exploitation is recorded."
    reasons = [Reason(text, cite)]
    if "forced_criminality" in f.purposes and "forced_labour" not in f.purposes and fl.holds:
        reasons.append(
            Reason(
                "Where a closed list of purposes omits forced criminality, the facts also "
                "meet forced labour (ILO C29), as Thai authorities have classified scam "
                "centre cases.",
                fitz("II.B.2", "Thailand Anti-TIP Act s 6/1"),
            )
        )
    return Finding("victim.purpose", "Purpose", "met" if holds else "not_met", holds,
                   tuple(reasons), {"purposes": f.purposes}, (fl,))


def consent(f: Facts) -> Finding:
    """Consent to the intended exploitation is irrelevant once any means was used; knowing the
    work was criminal does not stop a person deceived about conditions or coerced once there
    being a victim (John)."""
    cite = fitz("V.B.2", "Palermo Protocol art 3(b)")
    agreed = f.knew_work_was_criminal or f.informed_consent or f.contract_signed
    if not agreed:
        text = "The person did not agree to the exploitation; consent is not in issue."
        return Finding("victim.consent", "Consent", "not_in_issue", None, [Reason(text, cite)])
    if f.is_child:
        text = "The person is a child: consent is irrelevant whatever they agreed to."
        return Finding("victim.consent", "Consent", "irrelevant", None, [Reason(text, cite)])
    if f.means:
        bits = []
        if f.knew_work_was_criminal:
            bits.append("knew the work was criminal")
        if f.contract_signed:
            bits.append("signed a contract")
        if f.informed_consent:
            bits.append("agreed to the work")
        text = (
            f"The person {', '.join(bits)}, but means were used, so that consent is "
            "irrelevant."
        )
        return Finding("victim.consent", "Consent", "irrelevant", None, [Reason(text, cite)])
    text = "The person agreed and no means nullified that consent; consent matters here."
    return Finding("victim.consent", "Consent", "effective", None, [Reason(text, cite)])


def labour_dispute(f: Facts) -> Finding | None:
    """A 'labour dispute' framing does not defeat trafficking: a contract whose object is crime
    is void, and consent given through a contract is irrelevant (Fitzgerald 2024 II.C)."""
    if not (f.framed_as_labour_dispute or f.contract_signed):
        return None
    reasons = [
        Reason(
            "Calling this a contract or labour dispute does not remove the trafficking: "
            + ("a contract requiring scams or other crime is void, so it founds no dispute; "
               if f.contract_requires_illegal_work else "")
            + "consent given through a contract is irrelevant.",
            fitz("II.C", "Cambodia Civil Code (void contracts), as discussed"),
        )
    ]
    return Finding("victim.labour_dispute", "Labour-dispute framing", "rejected", None, reasons)


def victim(f: Facts, *, presume_minority: bool = False) -> Finding:
    """Victim of trafficking for this period: act and purpose, and means unless a child.

    ``presume_minority`` treats an unknown age as under 18 (the presumption model)."""
    presumed_child = presume_minority and f.age_unknown
    if presumed_child:
        from dataclasses import replace

        f = replace(f, age=17)
    children = [act(f), means(f), purpose(f), consent(f)]
    ld = labour_dispute(f)
    if ld:
        children.append(ld)
    a, m, p = children[0].holds, children[1].holds, children[2].holds
    holds = bool(a and m and p)
    cite = fitz("II.B", "Palermo Protocol art 3")
    if holds:
        reasons = [Reason("Act, means (or childhood) and purpose are all present.", cite)]
    else:
        missing = [n for n, ok in (("act", a), ("means", m), ("purpose", p)) if not ok]
        reasons = [Reason(f"Missing element(s): {', '.join(missing)}.", cite)]
        if f.later_period and not m:
            reasons.append(
                Reason(
                    "In this later period the person's informed consent was not nullified "
                    "by any means"
                    + (" (they went back after a rescue" if f.returned_after_rescue else " (")
                    + (", driven by rewards, not coercion)" if f.rewarded_rather_than_coerced
                       else ")")
                    + ": they ceased to be a victim for this period.",
                    fitz("V.B.3", "UNODC on consent not nullified"),
                )
            )
    if presumed_child:
        reasons.append(Reason(
                "Age unknown: presumed a child until age can be determined.",
                asean(IDENTIFICATION),
            ))
    return Finding(
        "victim", "Victim of trafficking", "victim" if holds else "not_victim", holds,
        reasons, {"period": f.period_id}, children,
    )
