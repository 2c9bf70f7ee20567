"""Compulsion model (Fitzgerald 2024 IV.B.1): protected only for offences the victim was
compelled to commit.

Strict reading (Indonesia: the ASEAN NPP study says its law requires that the trafficker
coerce the victim). The sources give no fuller test. npkit's reading, labelled at the outcome:
the trafficker ordered the offence and backed the order with force used on the person or a
threat to them, or to someone close, that was imminent or continuing (Fitzgerald 2024 IV.B.2
contrasts compulsion with causation, which needs no proof of "force or immediate threats").
Quiet control (occasional warnings, threats to family far away, violence seen done to others,
confinement, debts, deception) does not count, which is why the strict reading misses scam
compounds' usual methods.

Broad reading (UN Special Rapporteur, Fitzgerald 2024 IV.B.1): compulsion covers every
circumstance in which a victim loses free will, so every trafficking means counts, subtle
control included.
"""

from __future__ import annotations

from npkit.engine.findings import Finding, Reason, condition
from npkit.engine.memo import subtest
from npkit.law.citations import DOMESTIC_LAW, asean, fitz, reading
from npkit.law.facts import CHILD_AGE, Facts
from npkit.law.models._common import (
    failing,
    identification_note,
    model_finding,
    victim_basis,
    victim_gate,
)
from npkit.law.registry import Exception_, Rule
from npkit.law.wording import joined, label, term

# Force applied to the person (a means); abduction brings them there but is not aimed at the act.
FORCE_ON_PERSON = frozenset({"use_of_force", "physical_abuse", "sexual_violence"})
IMMEDIATE = ("imminent", "continuing")
CLOSE = ("self", "close_person", "close_family_elsewhere")
TARGET_WORDS = {"self": "the person", "close_person": "someone close to them who was at hand",
                "close_family_elsewhere": "close family within the traffickers' reach"}
IN_SCOPE_CATEGORIES = frozenset({"status", "purpose", "secondary"})

STRICT = asean(DOMESTIC_LAW, "Indonesian anti-trafficking legislation")
STRICT_READING = reading("strict compulsion: what counts as the trafficker coercing the victim")
BROAD = fitz("IV.B.1", "UN Special Rapporteur on trafficking in persons")
CHILD_READING = reading("broad compulsion and child victims")


def _reading_reason() -> Reason:
    return Reason.of("models.compulsion_strict.reading", STRICT_READING)


def coerced(f: Facts) -> Finding:
    """Force used on the person, or an imminent or continuing threat to them or someone close
    (npkit's reading of "coerce")."""
    force = f.means & FORCE_ON_PERSON
    threats = [t for t in f.threats if t.target in CLOSE and t.imminence in IMMEDIATE]
    if force:
        why = Reason.of("models.compulsion_strict.coerced.force", STRICT_READING,
                        means=joined(map(term, sorted(force))))
    elif threats:
        why = Reason.of("models.compulsion_strict.coerced.threat", STRICT_READING,
                        targets=joined(map(label, sorted({TARGET_WORDS[t.target]
                                                          for t in threats})), "and"),
                        imminence=joined(map(term, sorted({t.imminence for t in threats})),
                                         "or"))
    else:
        why = Reason.of("models.compulsion_strict.coerced.none", STRICT_READING)
    return condition("models.compulsion_strict.coerced", "Coerced by force or an immediate threat",
                     bool(force or threats), [why])


def ordered(f: Facts, test: str = "models.compulsion_strict.ordered") -> Finding:
    """The traffickers ordered or required the act."""
    return condition(
        test, "Ordered by the trafficker", f.ordered_by_trafficker,
        [Reason.of("models.compulsion_strict.ordered.yes" if f.ordered_by_trafficker
                   else "models.compulsion_strict.ordered.no", STRICT_READING)])


def compulsion_strict(f: Facts, victim: Finding) -> Finding:
    """Strict compulsion: the trafficker ordered the act and coerced the person into it."""
    order = subtest(ordered, f)
    coercion = subtest(coerced, f)
    during = f.committed == "during"
    holds = bool(victim.holds and order.holds and coercion.holds and during)
    gate = victim_gate(victim)
    reasons = [gate]
    rests: tuple[Reason, ...] = victim_basis(victim)
    if not victim.holds:
        decisive = gate
    else:
        code = ("protected" if holds else "not_during" if not during
                else "not_ordered" if not order.holds else "not_coerced")
        decisive = Reason.of(f"models.compulsion_strict.{code}", STRICT)
        reasons.append(decisive)
        if code != "not_during":  # the outcome rests on npkit's reading of "coerce"
            reasons.append(_reading_reason())
            rests += (reasons[-1],)
    if f.is_child and not coercion.holds:
        reasons.append(Reason.of("models.compulsion_strict.child", asean(DOMESTIC_LAW)))
    reasons += identification_note(f, victim) if holds else []
    return model_finding("compulsion_strict", "Compulsion (strict)", holds, reasons,
                         [order, coercion], decisive=decisive, also_rests_on=rests)


def in_course(f: Facts) -> Finding:
    """Committed in the course of being trafficked (Fitzgerald 2024 IV.B.1): during it, and
    either ordered or one of the three categories of offence (IV.C)."""
    during = f.committed == "during"
    if not during:
        why = Reason.of("models.compulsion_broad.in_course.not_during", fitz("IV.B.1"),
                        committed=f.committed)
    elif f.ordered_by_trafficker:
        why = Reason.of("models.compulsion_broad.in_course.ordered", fitz("IV.B.1"))
    elif f.offence_category in IN_SCOPE_CATEGORIES:
        why = Reason.of("models.compulsion_broad.in_course.category", fitz("IV.C"),
                        category=f.offence_category)
    else:
        why = Reason.of("models.compulsion_broad.in_course.unrelated", fitz("IV.C"))
    holds = during and (f.ordered_by_trafficker or f.offence_category in IN_SCOPE_CATEGORIES)
    return condition("models.compulsion_broad.in_course", "Committed in the course of trafficking",
                     holds, [why])


def compelling(f: Facts) -> Finding:
    """Any trafficking means counts as compulsion; for a child, the situation itself (a child
    when recruited, as for the victim test's means)."""
    child_now_or_then = f.is_child or f.child_at_recruitment
    if f.means:
        why = Reason.of("models.compulsion_broad.means.present", BROAD,
                        means=joined(map(term, sorted(f.means))))
    elif child_now_or_then:
        why = Reason.of("models.compulsion_broad.means.child", CHILD_READING)
    else:
        why = Reason.of("models.compulsion_broad.means.none", BROAD)
    child = not f.means and child_now_or_then
    return condition("models.compulsion_broad.means", "Compelling circumstances",
                     bool(f.means) or child_now_or_then, [why],
                     exception="models.compulsion_broad.child" if child else "")


def compulsion_broad(f: Facts, victim: Finding) -> Finding:
    """Broad compulsion: any trafficking means counts as compulsion, subtle and psychological
    control included, for offences committed in the course of the trafficking."""
    course, compelled = subtest(in_course, f), subtest(compelling, f)
    holds = bool(victim.holds and course.holds and compelled.holds)
    gate = victim_gate(victim)
    reasons = [gate]
    rests = victim_basis(victim)
    if not victim.holds:
        decisive = gate
    elif holds:
        decisive = Reason.of("models.compulsion_broad.protected", BROAD)
        reasons.append(decisive)
        if compelled.exception:
            rests += (compelled.decisive,)
    else:
        decisive = failing(course, compelled)
    reasons += identification_note(f, victim) if holds else []
    return model_finding("compulsion_broad", "Compulsion (broad)", holds, reasons,
                         [course, compelled], decisive=decisive, also_rests_on=rests,
                         exception=compelled.exception if holds else "")


RULES = (
    Rule("models.compulsion_strict", "Compulsion (strict reading)", compulsion_strict,
         ("protected", "not_protected"),
         "Protected only where the trafficker ordered the offence and coerced the person into "
         "it by force or an immediate threat (npkit's reading of Indonesia's requirement).",
         (STRICT, fitz("IV.B.1"), fitz("IV.B.2"), STRICT_READING), parameters=(CHILD_AGE,)),
    Rule("models.compulsion_strict.ordered", "Ordered by the trafficker", ordered,
         ("met", "not_met"),
         "The traffickers ordered or required the act (npkit's reading: coercion into the "
         "offence presupposes it).", (STRICT_READING,)),
    Rule("models.compulsion_strict.coerced", "Coerced by force or an immediate threat", coerced,
         ("met", "not_met"),
         "Force was used on the person, or a threat to them or someone close was imminent or "
         "continuing; quieter control does not count (npkit's reading).",
         (STRICT, fitz("IV.B.2"), STRICT_READING)),
    Rule("models.compulsion_broad", "Compulsion (broad reading)", compulsion_broad,
         ("protected", "not_protected"),
         "Protected for offences committed in the course of the trafficking under any "
         "trafficking means, subtle control included.", (BROAD,),
         (Exception_("models.compulsion_broad.child", "Child: no means needed",
                     "A child's trafficking situation counts as compelling without any means "
                     "(npkit's reading).", CHILD_READING),), parameters=(CHILD_AGE,)),
    Rule("models.compulsion_broad.in_course", "Committed in the course of trafficking", in_course,
         ("met", "not_met"),
         "Committed during the trafficking, and ordered or a status, purpose or secondary "
         "offence.", (fitz("IV.B.1"), fitz("IV.C"))),
    Rule("models.compulsion_broad.means", "Compelling circumstances", compelling,
         ("met", "not_met"), "Any trafficking means counts as compulsion.", (BROAD,),
         (Exception_("models.compulsion_broad.child", "Child: no means needed",
                     "A child's trafficking situation counts as compelling without any means "
                     "(npkit's reading).", CHILD_READING),), parameters=(CHILD_AGE,)),
)
