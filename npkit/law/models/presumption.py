"""Presumption model.

The ALSA 2025 abstract only *names* a presumption-based model. Its content here comes from the
ASEAN NPP study: the principle applies from the earliest point a person is seen as a
*potential* victim and is not conditional on formal identification ("When the non-punishment
principle applies in practice"); the person is presumed a victim before a full determination
can be made, and presumed a minor until their age can be established ("Victim identification
challenges"); the burden of proof lies on the State (recommendation 19, which says nothing more
about rebuttal).

The sources give no rebuttal test. npkit's reading, marked as such: a missing fact is not a
rebuttal. The State rebuts only where the facts *show* the person is not a victim for this
period (informed consent that no means nullified, as for Sarah's second stay, Fitzgerald 2024
V.B.3) or that the offence would have happened without the trafficking (the study's concern
about offences wholly unrelated to trafficking).
"""

from __future__ import annotations

from dataclasses import replace

from npkit.engine.findings import Finding, Reason, condition
from npkit.engine.memo import subtest
from npkit.law.citations import IDENTIFICATION, alsa, asean, fitz, reading
from npkit.law.facts import CHILD_AGE, Facts
from npkit.law.models._common import model_finding
from npkit.law.registry import Exception_, Rule
from npkit.law.trafficking import PRESUMED_MINOR
from npkit.law.trafficking import victim as victim_test
from npkit.law.wording import joined, label, term

# Headings of the ASEAN NPP study used as pinpoints (the study text has no page numbers).
APPLICATION = "Application of the non-punishment principle"
WHEN_APPLIES = f"{APPLICATION}: When the non-punishment principle applies in practice"
WHEN_NOT = f"{APPLICATION}: When the non-punishment principle should not apply in practice"

BURDEN = asean("Recommendation 19")
REBUTTAL_READING = reading(
    "what rebuts the presumption: the sources give no test (ASEAN NPP study, recommendation "
    "19, places only the burden on the State)")
NO_LINK_READING = reading(
    f"an offence unrelated to the trafficking as a rebuttal (ASEAN NPP study, '{WHEN_NOT}')")


def indicators(f: Facts) -> Finding:
    """Indicators of trafficking: a trafficking act together with a means or a purpose."""
    holds = bool(f.acts) and bool(f.means or f.purposes)
    # a term can be both a means and a purpose (debt bondage): name it once
    seen = list(dict.fromkeys([*sorted(f.acts), *sorted(f.means), *sorted(f.purposes)]))
    cite = asean(IDENTIFICATION)
    reason = (Reason.of("models.presumption.indicators.present", cite,
                        seen=joined(map(term, seen)))
              if holds else Reason.of("models.presumption.indicators.none", cite))
    return condition("models.presumption.indicators", "Indicators of trafficking", holds,
                     [reason])


def _presumed(f: Facts) -> Finding:
    """The victim test with the presumption of minority."""
    return victim_test(f, presume_minority=True)


def rebuttal(f: Facts, victim: Finding | None = None) -> Finding:
    """Has the State rebutted the presumption? Only facts that show the person is not a victim
    for this period, or that the offence has no link to the trafficking, rebut it."""
    # with a known age the presumed-minority test is the victim test already run: reuse it
    full = victim if victim is not None and not f.age_unknown else subtest(_presumed, f)
    burden = Reason.of("models.presumption.rebutted.burden", BURDEN)
    test = Reason.of("models.presumption.rebutted.test", REBUTTAL_READING)
    # informed consent (knowing the work and the conditions) that no means nullified; knowing
    # only that the work was criminal, or signing a contract, shows no such thing (John)
    consent_stands = (f.informed_consent and not full.holds
                      and full.child("consent").outcome == "effective")
    if consent_stands:
        lead = Reason.of("models.presumption.rebutted.consent", fitz(
            "V.B.3", "UNODC on consent that was not nullified"))
    elif not f.but_for_trafficking:
        lead = Reason.of("models.presumption.rebutted.no_link", NO_LINK_READING)
    elif full.holds:
        lead = Reason.of("models.presumption.not_rebutted.victim", asean(IDENTIFICATION))
    else:
        missing = [label(c.title.lower()) for c in full.children[:3] if not c.holds]
        lead = Reason.of("models.presumption.not_rebutted.gap", asean(IDENTIFICATION),
                         missing=joined(missing, "or"))
    rebutted = consent_stands or not f.but_for_trafficking
    # the outcome rests on npkit's rebuttal test unless the full facts make a victim anyway
    rests = () if full.holds and not rebutted else (test,)
    gap = lead.code == "models.presumption.not_rebutted.gap"
    node = condition("models.presumption.rebutted", "Rebutted by the State", rebutted,
                     [lead, test, burden], decisive=lead,
                     exception="models.presumption.rebutted.gap" if gap else "",
                     children_victim=full.outcome)
    return replace(node, also_rests_on=rests)


CLAIMED_ADULT_READING = reading(
    "the presumption of minority kept for a person who says they are an adult: the ASEAN NPP "
    "study gives no exception for a claimed age, and warns that children are prosecuted when "
    "mistaken for adults")


def _minority(f: Facts) -> Reason:
    """Presumed a minor until the age is established; a claimed age is not an established one."""
    if f.claimed_age is None:
        return Reason.of("models.presumption.minority", PRESUMED_MINOR)
    if f.claimed_child:
        return Reason.of("models.presumption.minority_claimed", PRESUMED_MINOR,
                         claimed=f.claimed_age)
    return Reason.of("models.presumption.minority_claimed_adult", CLAIMED_ADULT_READING,
                     claimed=f.claimed_age)


def presumption(f: Facts, victim: Finding) -> Finding:
    """Protected when indicators are present and the State has not rebutted the presumption."""
    ind, reb = subtest(indicators, f), rebuttal(f, victim)
    holds = bool(ind.holds and not reb.holds)
    named = Reason.of("models.presumption.named", alsa())
    also: tuple[Reason, ...] = ()
    if not ind.holds:
        decisive = Reason.of("models.presumption.no_presumption", asean(IDENTIFICATION))
        reasons = [decisive, named]
    elif reb.holds:
        decisive, also = reb.decisive, reb.also_rests_on  # the fact that rebuts it
        reasons = [Reason.of("models.presumption.rebutted", REBUTTAL_READING), decisive, named]
    else:
        decisive = Reason.of("models.presumption.protected", asean(WHEN_APPLIES))
        also = (reb.decisive, *reb.also_rests_on)
        reasons = [decisive, named]
    if holds and f.identification != "identified":
        reasons.append(Reason.of("models.presumption.unidentified", asean(WHEN_APPLIES),
                                 status=term(f.identification)))
    minority = ind.holds and f.age_unknown
    if minority:
        presumed = _minority(f)
        reasons.append(presumed)
        also = (*also, presumed)
    node = model_finding("presumption", "Presumption", holds, reasons, [ind, reb])
    return replace(node, decisive=decisive, also_rests_on=also,
                   exception="models.presumption.minority" if minority else "")


RULES = (
    Rule("models.presumption", "Presumption", presumption, ("protected", "not_protected"),
         "Where there are indicators of trafficking the person is presumed a victim and "
         "protected from the first contact, identified or not, until the State shows otherwise.",
         (alsa(), asean(WHEN_APPLIES), asean(IDENTIFICATION), BURDEN),
         (Exception_("models.presumption.minority", "Age unknown: presumed a minor",
                     "Until the age can be established the person is treated as a child, who "
                     "needs no means.", PRESUMED_MINOR),), parameters=(CHILD_AGE,)),
    Rule("models.presumption.indicators", "Indicators of trafficking", indicators,
         ("met", "not_met"),
         "A trafficking act together with a means or a purpose is enough to start screening "
         "the person as a potential victim.", (asean(IDENTIFICATION),)),
    Rule("models.presumption.rebutted", "Rebutted by the State", rebuttal, ("met", "not_met"),
         "The State, which bears the burden, rebuts only with facts showing the person is not "
         "a victim for the period or the offence is unrelated; npkit's reading, as the sources "
         "give no test.",
         (BURDEN, REBUTTAL_READING, fitz("V.B.3", "UNODC on consent that was not nullified"),
          NO_LINK_READING),
         (Exception_("models.presumption.rebutted.gap", "A missing fact is not a rebuttal",
                     "What the facts do not yet show leaves the presumption standing.",
                     asean(IDENTIFICATION)),)),
)
