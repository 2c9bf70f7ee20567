"""Dual-Factor model: npkit's reading of a model the ALSA 2025 abstract proposes but does not
spell out. The abstract draws on determinism and free will; npkit weighs (a) how far the
trafficking situation determined the act against (b) how much free choice remained. Protected
where (a) is at least twice (b), not protected where (b) is at least (a), and in between a
middle ground, shown as ``discretionary``: a decision-maker must weigh the facts.

Signs of remaining choice include acting without the traffickers' orders and harming other
victims (recruiting, guarding or beating newcomers: the offence's ``harmed_other_victims``).
Rewards count as choice; given alongside coercion they count for less, as the coercion still
weighs on the other side. A child when recruited weighs on the side of determination.

Every weight and threshold below is npkit's, not the source's: the output says so at the outcome.
"""

from __future__ import annotations

from npkit.engine.findings import Finding, Reason
from npkit.law.citations import alsa, asean, reading
from npkit.law.facts import Facts
from npkit.law.models._common import model_finding, victim_basis, victim_gate
from npkit.law.registry import Rule
from npkit.law.vocabulary import MEANS
from npkit.law.wording import say

READING = reading("Dual-Factor weighing (weights and thresholds are npkit's)")
SCOPE_VIEWS = ("Interpretation of the non-punishment principle: Divergent views on the scope of "
               "protection")
PROTECT_RATIO = 2  # determination must be at least this many times the free choice remaining

Factor = tuple[str, int]


def _label(code: str, **params) -> str:
    return say(f"models.dual_factor.factor.{code}", **params)


def factors(f: Facts) -> tuple[list[Factor], list[Factor]]:
    """(what determined the act, what choice remained), each as (label, weight)."""
    determined = [(_label("means", means=m.replace("_", " ")),
                   2 if MEANS[m].force_or_threat else 1) for m in sorted(f.means)]
    determined += [(_label(code), w) for code, w, on in (
        ("ordered", 2, f.ordered_by_trafficker),
        ("purpose", 1, f.offence_category == "purpose"),
        ("no_way_out", 2, not f.escape_opportunity),
        ("child", 3, f.is_child),
        ("child_when_recruited", 2, f.child_at_recruitment),
        ("deceived", 1, bool(f.deceived_about)),
    ) if on]
    free = [(_label(code), w) for code, w, on in (
        ("informed_consent", 3, f.informed_consent),
        ("knew_criminal", 1, f.knew_work_was_criminal),
        ("joined", 1, f.voluntary_association),
        ("returned", 2, f.returned_after_rescue),
        ("rewarded", 2, f.rewards == "instead_of_coercion"),
        ("rewarded_and_coerced", 1, f.rewards == "alongside_coercion"),
        ("could_escape", 2, f.escape_opportunity),
        ("unordered", 1, not f.ordered_by_trafficker),
        ("harmed_others", 2, f.harmed_other_victims),
    ) if on]
    return determined, free


def _listing(items: list[Factor]) -> str:
    return ", ".join(f"{n} {w}" for n, w in items) or say("models.dual_factor.nothing")


def dual_factor(f: Facts, victim: Finding) -> Finding:
    """Weigh determination against remaining free choice (npkit's reading)."""
    determined, free = factors(f)
    a, b = sum(w for _, w in determined), sum(w for _, w in free)
    if not victim.holds or not f.but_for_trafficking or b >= a:
        holds: bool | None = False
    elif a >= PROTECT_RATIO * b:
        holds = True
    else:
        holds = None
    scores = {"determined": a, "free": b}
    gate = victim_gate(victim)
    if not victim.holds:
        verdict = gate
    elif not f.but_for_trafficking:
        verdict = Reason.of("models.dual_factor.not_but_for", READING)
    else:
        verdict = Reason.of("models.dual_factor." + {True: "protected", None: "middle_ground",
                                                     False: "choice_dominates"}[holds],
                            READING, **scores)
    source = Reason.of("models.dual_factor.source", alsa())
    reasons = [
        gate,
        *([verdict] if verdict is not gate else []),
        Reason.of("models.dual_factor.determined", READING, score=a,
                  factors=_listing(determined)),
        Reason.of("models.dual_factor.free_choice", READING, score=b, factors=_listing(free)),
        *([Reason.of("models.dual_factor.harmed_others", READING),
           Reason.of("models.dual_factor.recruiter_debate", asean(SCOPE_VIEWS))]
          if f.harmed_other_victims else []),
        source,
    ]
    return model_finding("dual_factor", "Dual-Factor (npkit's reading)", holds, reasons,
                         decisive=verdict, also_rests_on=victim_basis(victim),
                         determination=a, free_choice=b)


RULES = (
    Rule("models.dual_factor", "Dual-Factor (npkit's reading)", dual_factor,
         ("protected", "discretionary", "not_protected"),
         "Weigh how far the trafficking determined the act against the choice that remained: "
         "protected at two to one or more, not protected where choice weighs as much, a middle "
         "ground between (npkit's reading; the source gives no test).",
         (alsa(), READING, asean(SCOPE_VIEWS))),
)
