"""Is the person a victim of trafficking, for the period of the charged offence?

The Palermo Protocol art 3 and ACTIP art 2 definition as Fitzgerald 2024 II.B sets it out: an
act, a means and a purpose of exploitation, all three present. The seeds state that a child
victim needs no means only in the ASEAN NPP study; the age line of 18 (Palermo art 3(d)) is in
none of them, so it is marked as outside law. Consent is irrelevant once a means was used
(II.B, II.C); a person can stop being a victim for a later period (V.B.3).

Every reason carries a code worded in ``npkit/law/data/wording/victim.yaml``; every node names its
decisive reason and, where the child rule applied, the exception ``victim.means.child``.
"""

from __future__ import annotations

from npkit.engine.findings import Finding, Reason, condition
from npkit.engine.memo import subtest
from npkit.law.citations import (
    DOMESTIC_LAW,
    IDENTIFICATION,
    Confidence,
    asean,
    fitz,
    reading,
)
from npkit.law.facts import CHILD_AGE, CHILD_UNDER, Facts
from npkit.law.parameters import reference
from npkit.law.registry import Exception_, Rule
from npkit.law.vocabulary import COERCIVE_MEANS, MEANS, Act, Means, Purpose, describe
from npkit.law.wording import Words, joined, label, term, worded

# The ILO C29 definition as Fitzgerald 2024 II.B.2 quotes it; she names non-payment of wages
# (fines, deductions, withheld pay) as a penalty.
ILO = fitz("II.B.2", "ILO Forced Labour Convention 1930 (No 29) art 2(1)")
# Penalties the source names.
STATED_PENALTY_MEANS = frozenset({"fines_or_deductions"})
# Further means npkit reads as the "menace of a penalty": the source does not list them.
READ_PENALTY_MEANS = frozenset(
    {
        "threat_of_force", "use_of_force", "physical_abuse", "sexual_violence",
        "threats_to_family", "debt_bondage", "witnessed_violence",
    }
)
PENALTY_MEANS = STATED_PENALTY_MEANS | READ_PENALTY_MEANS
PENALTY_READING = reading(
    "force, threats (to the person or their family), witnessed violence and debt as the "
    "ILO C29 'menace of a penalty' (Fitzgerald 2024 II.B.2 names only withheld pay)"
)
# Means that take away the freedom to leave.
NO_LEAVE_MEANS = frozenset({"confinement", "confiscated_documents", "debt_bondage", "abduction"})

DEFINITION = fitz("II.B", "Palermo Protocol art 3(a); ACTIP art 2")
CHILD_RULE = asean(DOMESTIC_LAW)  # "child victims, for whom means are not required"
AGE_LINE = reference(CHILD_AGE)[0]  # Palermo art 3(d): outside the sources
PRESUMED_MINOR = asean(IDENTIFICATION)  # presumption of minority until age is determined
CONSENT_RULE = fitz("II.B")  # consent irrelevant if any means were used
CONTRACT_CONSENT = fitz("II.C", "Palermo Protocol art 3(b)")
CAMBODIA_VOID = fitz("II.C", "Civil Code of Cambodia s 354(1)", Confidence.SECONDARY)
LATER_PERIOD = fitz("V.B.3", "UNODC on consent that was not nullified")
# The sources state the child rule, not the moment a person's age is taken at.
AGE_AT_ACT = reading("a person who was a child when recruited needs no means for that "
                     "trafficking, though an adult at the offence: the ASEAN NPP study's child "
                     "rule applied to the age at the trafficking act")
UNKNOWN_READING = reading("an element the facts leave unknown is neither present nor absent: "
                          "the full determination cannot find it, the presumption is not "
                          "rebutted by it")
# Sarah's consent stood because rewards, not coercion, drove her (Fitzgerald 2024 V.B.3); with
# coercion as well, the means nullify the consent as for anyone (II.B).
REWARDS_AND_COERCION = fitz("V.B.3")


def _names(enum, values) -> Words:
    return joined(worded("phrase.described", term=term(v), description=label(describe(enum, v)))
                  for v in sorted(values))


def _plain(values) -> Words:
    return joined(term(v) for v in sorted(values))


def _age_line(f: Facts) -> Reason:
    return Reason.of("victim.means.age_line", AGE_LINE, age=f.age, line=CHILD_UNDER)


def act(f: Facts) -> Finding:
    """Act: recruitment, transportation, transfer, harbouring or receipt of a person."""
    cite = fitz("II.B", "Palermo Protocol art 3(a)")
    if f.acts:
        reason = Reason.of("victim.act.present", cite, acts=_names(Act, f.acts))
    else:
        reason = Reason.of("victim.act.none", cite)
    return condition("victim.act", "Act", bool(f.acts), [reason], acts=f.acts)


def means(f: Facts, *, presumed_child: bool = False) -> Finding:
    """Means: force, threats, coercion, abduction, fraud, deception, abuse of power or of a
    position of vulnerability, or payments to a controller. Not needed for a child (the ASEAN
    NPP study), nor for a person of unknown age presumed a child (``presumed_child``)."""
    if f.means:
        palermo = sorted({MEANS[m].palermo for m in f.means})
        reasons = [
            Reason.of("victim.means.present", DEFINITION, means=_names(Means, f.means)),
            Reason.of("victim.means.listed", DEFINITION, listed=joined(palermo)),
        ]
        return condition("victim.means", "Means", True, reasons, means=f.means)
    if f.is_child:
        rule, line = Reason.of("victim.means.child", CHILD_RULE, age=f.age), _age_line(f)
        return _with(condition("victim.means", "Means", True, [rule, line], decisive=rule,
                               exception="victim.means.child", means=f.means, age=f.age),
                     also_rests_on=(line,))
    if f.child_at_recruitment:
        rule = Reason.of("victim.means.child_at_recruitment", CHILD_RULE,
                         age=f.age_at_recruitment)
        when = Reason.of("victim.means.age_at_act", AGE_AT_ACT)
        line = Reason.of("victim.means.age_line", AGE_LINE, age=f.age_at_recruitment,
                         line=CHILD_UNDER)
        return _with(condition("victim.means", "Means", True, [rule, when, line], decisive=rule,
                               exception="victim.means.child", means=f.means,
                               age_at_recruitment=f.age_at_recruitment),
                     also_rests_on=(when, line))
    if presumed_child and f.age_unknown:
        rule = Reason.of("victim.means.presumed_child", CHILD_RULE)
        presumed = Reason.of("victim.means.presumed_minor", PRESUMED_MINOR)
        return _with(condition("victim.means", "Means", True, [rule, presumed], decisive=rule,
                               exception="victim.means.child", means=f.means, age=None),
                     also_rests_on=(presumed,))
    if f.unknown_means:
        why = Reason.of("victim.means.unknown", UNKNOWN_READING)
        return Finding("victim.means", "Means", "unknown", None, (why,), {"means": f.means},
                       decisive=why)
    if f.age is not None:  # an adult: the outcome rests on where the age line is drawn
        none, line = Reason.of("victim.means.none_adult", DEFINITION, age=f.age), _age_line(f)
        return _with(condition("victim.means", "Means", False, [none, line], decisive=none,
                               means=f.means, age=f.age), also_rests_on=(line,))
    if f.claimed_age is not None:
        return condition("victim.means", "Means", False, [Reason.of(
            "victim.means.none_claimed_age", DEFINITION, claimed=f.claimed_age)], means=f.means)
    return condition("victim.means", "Means", False,
                     [Reason.of("victim.means.none", DEFINITION)], means=f.means)


def _with(node: Finding, **changes) -> Finding:
    from dataclasses import replace

    return replace(node, **changes)


def _penalty_reasons(f: Facts) -> list[Reason]:
    stated, read = f.means & STATED_PENALTY_MEANS, f.means & READ_PENALTY_MEANS
    reasons = []
    if stated:
        reasons.append(Reason.of("victim.forced_labour.penalty.stated", ILO, means=_plain(stated)))
    if read:
        reasons.append(Reason.of("victim.forced_labour.penalty.read", PENALTY_READING,
                                 means=_plain(read)))
    threats = [t for t in f.threats if t.severity != "unspecified" or t.target == "self"]
    if not reasons and threats:
        reasons.append(Reason.of("victim.forced_labour.penalty.threats", PENALTY_READING,
                                 count=len(threats)))
    return reasons


def forced_labour(f: Facts) -> Finding:
    """Forced labour (ILO C29 art 2(1), as Fitzgerald 2024 II.B.2 quotes it): work exacted under
    menace of a penalty and not offered voluntarily; voluntariness needs free and informed
    consent and freedom to leave. It is how a closed-list jurisdiction such as Thailand can
    reach forced criminality. Which means count as a penalty beyond withheld pay is npkit's
    reading, and marked as such."""
    penalties = _penalty_reasons(f)
    cannot_leave = bool(f.means & NO_LEAVE_MEANS) or not f.escape_opportunity
    involuntary = not f.informed_consent or cannot_leave
    holds = bool(penalties) and involuntary
    penalty = penalties[0] if penalties else Reason.of("victim.forced_labour.penalty.none", ILO)
    voluntariness = Reason.of(
        "victim.forced_labour.involuntary" if involuntary else "victim.forced_labour.voluntary",
        ILO)
    reasons = [*(penalties or [penalty]), voluntariness]
    decisive = penalty if holds or not penalties else voluntariness
    return condition("victim.forced_labour", "Forced labour (ILO C29)", holds, reasons,
                     decisive=decisive)


def purpose(f: Facts) -> Finding:
    """Purpose: exploitation, at a minimum sexual exploitation, forced labour or services,
    slavery or similar practices, servitude or organ removal. The list is open (II.B): forced
    criminality is recognised by UNODC (II.B.1); closed-list states such as Thailand route it
    through forced labour (II.B.2)."""
    cite = fitz("II.B", "Palermo Protocol art 3(a)")
    fl = forced_labour(f)
    holds = bool(f.purposes)
    outcome = "met" if holds else "not_met"
    if holds:
        reasons = [Reason.of("victim.purpose.present", cite, purposes=_names(Purpose, f.purposes))]
    elif f.unknown_purposes:
        reasons, outcome = [Reason.of("victim.purpose.unknown", UNKNOWN_READING)], "unknown"
    else:
        reasons = [Reason.of("victim.purpose.none", cite)]
    if "forced_criminality" in f.purposes:
        reasons.append(Reason.of("victim.purpose.forced_criminality",
                                 fitz("II.B.1", "UNODC on trafficking for forced criminality")))
        if "forced_labour" not in f.purposes and fl.holds:
            reasons.append(Reason.of(
                "victim.purpose.forced_labour_route",
                fitz("II.B.2", "Thailand Anti-TIP Act s 6/1", Confidence.SECONDARY)))
    return Finding("victim.purpose", "Purpose", outcome, holds if outcome != "unknown" else None,
                   tuple(reasons), {"purposes": f.purposes}, (fl,))


def _agreed(f: Facts) -> list[str]:
    flags = (("knew_criminal", f.knew_work_was_criminal), ("contract", f.contract_signed),
             ("work", f.informed_consent))
    return [worded(f"victim.consent.agreed.{name}") for name, on in flags if on]


def consent(f: Facts, *, presumed_child: bool = False) -> Finding:
    """Consent to the intended exploitation is irrelevant once any means was used (II.B);
    knowing the work was criminal does not stop a person deceived about conditions or coerced
    once there being a victim (John, V.B.2). Without any means, informed consent stands
    (Sarah's second period, V.B.3)."""
    agreed = _agreed(f)
    if not agreed:
        reason = Reason.of("victim.consent.not_in_issue", CONSENT_RULE)
        return Finding("victim.consent", "Consent", "not_in_issue", None, (reason,))
    if f.is_child or f.child_at_recruitment or (presumed_child and f.age_unknown):
        reason = Reason.of("victim.consent.child", reading(
            "a child's consent, from the ASEAN NPP study's rule that a child victim needs "
            "no means"))
        return Finding("victim.consent", "Consent", "irrelevant", None, (reason,),
                       exception="victim.consent.child")
    if f.means:
        reasons = [Reason.of("victim.consent.irrelevant", CONSENT_RULE,
                             agreed=joined(agreed))]
        if f.knew_work_was_criminal:
            reasons.append(Reason.of("victim.consent.knew_criminal", fitz("V.B.2")))
        if f.rewards != "none":
            coercive = f.means & COERCIVE_MEANS
            reasons.append(Reason.of(
                "victim.consent.rewards_and_coercion" if coercive
                else "victim.consent.rewards_and_means", REWARDS_AND_COERCION,
                means=_plain(coercive or f.means)))
        return Finding("victim.consent", "Consent", "irrelevant", None, tuple(reasons),
                       exception="victim.consent.irrelevant")
    if f.unknown_means:
        reason = Reason.of("victim.consent.means_unknown", UNKNOWN_READING,
                           agreed=joined(agreed))
        return Finding("victim.consent", "Consent", "open", None, (reason,))
    reason = Reason.of("victim.consent.effective", LATER_PERIOD)
    return Finding("victim.consent", "Consent", "effective", None, (reason,))


def labour_dispute(f: Facts, *, is_victim: bool | None = None,
                   presumed_child: bool = False) -> Finding | None:
    """A 'labour dispute' framing does not defeat trafficking (Fitzgerald 2024 II.C) where means
    were used: consent given through the contract is then irrelevant. Whether the framing fails
    without means turns on the means. Voidness of a contract for crime is shown for Cambodia
    only (its Civil Code, as the article reports it). ``is_victim`` is the victim test's result
    for this period (computed here when not given)."""
    if not (f.framed_as_labour_dispute or f.contract_signed):
        return None
    child = f.is_child or f.child_at_recruitment or (presumed_child and f.age_unknown)
    missing = _missing(f, child)
    if is_victim is None:
        is_victim = not missing
    if f.means and is_victim:
        lead = Reason.of("victim.labour_dispute.consent_irrelevant", CONTRACT_CONSENT)
    elif child and is_victim:
        lead = Reason.of("victim.labour_dispute.child", reading(
            "a contract signed by a child, from the ASEAN NPP study's rule that a child "
            "victim needs no means"))
    elif f.means:
        lead = Reason.of("victim.labour_dispute.not_victim", CONTRACT_CONSENT,
                         missing=joined(map(term, missing)) if missing
                         else label("the later-period consent"))
    elif f.unknown_means:
        lead = Reason.of("victim.labour_dispute.means_unknown", CONTRACT_CONSENT)
    else:
        lead = Reason.of("victim.labour_dispute.turns_on_means", CONTRACT_CONSENT)
    reasons = [lead]
    if f.contract_requires_illegal_work:
        reasons.append(Reason.of("victim.labour_dispute.void_cambodia", CAMBODIA_VOID))
    outcome = "rejected" if is_victim else "open"
    return Finding("victim.labour_dispute", "Labour-dispute framing", outcome, None,
                   tuple(reasons), decisive=lead)


def _missing(f: Facts, child: bool) -> list[str]:
    elements = (("act", bool(f.acts)), ("means", bool(f.means) or child),
                ("purpose", bool(f.purposes)))
    return [name for name, ok in elements if not ok]


def _later_period_reason(f: Facts) -> Reason:
    detail = {(True, True): "returned_rewarded", (True, False): "returned",
              (False, True): "rewarded", (False, False): "consent"}
    key = detail[f.returned_after_rescue, f.rewards == "instead_of_coercion"]
    return Reason.of(f"victim.later_period.{key}", LATER_PERIOD)


def _means(f: Facts, presumed: bool) -> Finding:
    return means(f, presumed_child=presumed)


def _consent(f: Facts, presumed: bool) -> Finding:
    return consent(f, presumed_child=presumed)


def _labour_dispute(f: Facts, is_victim: bool, presumed: bool) -> Finding | None:
    return labour_dispute(f, is_victim=is_victim, presumed_child=presumed)


def victim(f: Facts, *, presume_minority: bool = False) -> Finding:
    """Victim of trafficking for this period: act and purpose, and means unless a child.

    ``presume_minority`` treats an unknown age as a child's (the presumption model: the ASEAN
    NPP study's presumption of minority until age can be determined)."""
    presumed = presume_minority and f.age_unknown
    # each element reads a few facts: reused where they agree (npkit.engine.memo.subtest)
    m = subtest(_means, f, presumed)
    children = [subtest(act, f), m, subtest(purpose, f), subtest(_consent, f, presumed)]
    missing = _missing(f, f.is_child or f.child_at_recruitment or presumed)
    holds = not missing
    ld = subtest(_labour_dispute, f, holds, presumed)
    if ld:
        children.append(ld)
    cite = fitz("II.B", "Palermo Protocol art 3(a)")
    also: tuple[Reason, ...] = ()
    exception = ""
    if holds:
        child_rule = m.exception == "victim.means.child"
        decisive = (Reason.of("victim.elements.present_child", CHILD_RULE) if child_rule
                    else Reason.of("victim.elements.present", cite))
        reasons = [decisive]
        if child_rule:
            exception, also = m.exception, (m.decisive, *m.also_rests_on)
            if f.child_at_recruitment:
                decisive = Reason.of("victim.elements.present_child_at_recruitment", CHILD_RULE,
                                     age=f.age_at_recruitment)
                reasons = [decisive]
    else:
        unknown = [name for name, open_ in (("means", f.unknown_means),
                                            ("purpose", f.unknown_purposes))
                   if open_ and name in missing]
        if unknown and set(missing) <= set(unknown):
            # unknown is not "no": what the full determination has not been shown, it cannot
            # find; the presumption model reads the same gap as no rebuttal
            reasons = [Reason.of("victim.elements.unknown", UNKNOWN_READING,
                                 unknown=joined(map(term, unknown)))]
        else:
            reasons = [Reason.of("victim.elements.missing", cite,
                                 missing=joined(map(term, missing)))]
        decisive = reasons[0]
        if unknown:
            pass  # no later-period or age-line reason decides what nobody knows yet
        elif "means" in missing and f.later_period and f.informed_consent:
            decisive = _later_period_reason(f)
            reasons.append(decisive)
        elif missing == ["means"]:
            also = m.also_rests_on  # the age line, for a known adult
    if presumed:
        reasons.append(Reason.of("victim.presumed_minor", PRESUMED_MINOR))
    return Finding(
        "victim", "Victim of trafficking", "victim" if holds else "not_victim", holds,
        tuple(reasons), {"period": f.period_id}, tuple(children), decisive=decisive,
        exception=exception, also_rests_on=also,
    )


_CHILD_EXCEPTION = Exception_(
    "victim.means.child", "Child: no means needed",
    f"A child victim needs only an act and a purpose; the line of {CHILD_UNDER} is from outside "
    "the sources.", CHILD_RULE)

RULES = (
    Rule("victim.act", "Act", act, ("met", "not_met"),
         "One of the listed acts (recruiting, moving, handing over, harbouring or receiving "
         "the person) is enough.", (fitz("II.B", "Palermo Protocol art 3(a)"),)),
    Rule("victim.means", "Means", means, ("met", "not_met", "unknown"),
         "One of the listed means (force, threats, coercion, abduction, fraud, deception, "
         "abuse of power or vulnerability, payments to a controller) is needed for an adult; "
         "not for a child, nor for one who was a child when recruited (npkit's reading); means "
         "the facts leave unknown are neither present nor absent.",
         (DEFINITION, CHILD_RULE, AGE_LINE, AGE_AT_ACT, UNKNOWN_READING),
         (_CHILD_EXCEPTION,), parameters=(CHILD_AGE,)),
    Rule("victim.forced_labour", "Forced labour (ILO C29)", forced_labour, ("met", "not_met"),
         "Work exacted under the menace of a penalty and not offered voluntarily (no free, "
         "informed consent or no freedom to leave); penalties beyond withheld pay are npkit's "
         "reading.", (ILO, PENALTY_READING)),
    Rule("victim.purpose", "Purpose", purpose, ("met", "not_met", "unknown"),
         "A purpose of exploitation; the list is open, forced criminality included, and "
         "closed-list states can reach it through forced labour.",
         (fitz("II.B", "Palermo Protocol art 3(a)"),
          fitz("II.B.1", "UNODC on trafficking for forced criminality"),
          fitz("II.B.2", "Thailand Anti-TIP Act s 6/1", Confidence.SECONDARY))),
    Rule("victim.consent", "Consent", consent,
         ("not_in_issue", "irrelevant", "effective", "open"),
         "What the person agreed to does not matter once a means was used, rewards given as "
         "well or not; with no means, informed consent stands; with means unknown, it is open.",
         (CONSENT_RULE, fitz("V.B.2"), LATER_PERIOD, REWARDS_AND_COERCION, UNKNOWN_READING),
         (Exception_("victim.consent.irrelevant", "Means used: consent irrelevant",
                     "Once any means was used, the person's consent cannot defeat the "
                     "trafficking.", CONSENT_RULE),
          Exception_("victim.consent.child", "Child: consent irrelevant",
                     "A child needs no means, so their agreement does not decide it "
                     "(npkit's reading of the child rule).", CHILD_RULE)),
         parameters=(CHILD_AGE,)),
    Rule("victim.labour_dispute", "Labour-dispute framing", labour_dispute, ("rejected", "open"),
         "Calling trafficking a contract or labour dispute fails where means were used, since "
         "consent through the contract is then irrelevant; Cambodian law voids a contract for "
         "crime.", (CONTRACT_CONSENT, CAMBODIA_VOID), parameters=(CHILD_AGE,)),
    Rule("victim", "Victim of trafficking", victim, ("victim", "not_victim"),
         "Act, means and purpose for the period of the offence (no means for a child); a person "
         "whose informed consent no means nullified is not a victim for that later period.",
         (fitz("II.B", "Palermo Protocol art 3(a)"), CHILD_RULE, LATER_PERIOD),
         (_CHILD_EXCEPTION,), parameters=(CHILD_AGE,)),
)
