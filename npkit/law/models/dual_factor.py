"""Dual-Factor model: npkit's reading of a model the ALSA 2025 abstract proposes but does not
spell out. The abstract draws on determinism and free will; npkit weighs (a) how far the
trafficking situation determined the act against (b) how much free choice remained. Protected
where (a) is at least twice (b), not protected where (b) is at least (a), and in between a
middle ground, shown as ``discretionary``: a decision-maker must weigh the facts.

Signs of remaining choice include acting without the traffickers' orders and harming other
victims (recruiting, guarding or beating newcomers: the offence's ``harmed_other_victims``).
Rewards count as choice; given alongside coercion they count for less, as the coercion still
weighs on the other side. A child when recruited weighs on the side of determination.

Every weight and threshold is npkit's, not the source's: the output says so at the outcome. They
are parameters (``models.dual_factor.*`` in npkit/law/data/parameters.yaml), cited there.
"""

from __future__ import annotations

from npkit.engine.findings import Finding, Reason
from npkit.engine.memo import subtest
from npkit.law.citations import alsa, asean, reading
from npkit.law.facts import CHILD_AGE, Facts
from npkit.law.models._common import model_finding, victim_basis, victim_gate
from npkit.law.parameters import parameter
from npkit.law.registry import Rule
from npkit.law.vocabulary import MEANS
from npkit.law.wording import Words, joined, term, worded

READING = reading("Dual-Factor weighing (weights and thresholds are npkit's)")
SCOPE_VIEWS = ("Interpretation of the non-punishment principle: Divergent views on the scope of "
               "protection")
PARAMETERS = tuple(f"models.dual_factor.{name}" for name in (
    "weights.determined", "weights.free_choice", "protect_ratio", "deny_ratio"))
DETERMINED = parameter("models.dual_factor.weights.determined")
FREE_CHOICE = parameter("models.dual_factor.weights.free_choice")
# protected when determination is at least PROTECT_RATIO times the free choice remaining; not
# protected when the free choice is at least DENY_RATIO times the determination
PROTECT_RATIO = parameter("models.dual_factor.protect_ratio")
DENY_RATIO = parameter("models.dual_factor.deny_ratio")

Factor = tuple[str, int]


def _label(code: str, **params) -> Words:
    return worded(f"models.dual_factor.factor.{code}", **params)


def factors(f: Facts) -> tuple[list[Factor], list[Factor]]:
    """(what determined the act, what choice remained), each as (label, weight)."""
    determined = [(_label("means", means=term(m)),
                   DETERMINED["means_force_or_threat" if MEANS[m].force_or_threat
                              else "means_other"]) for m in sorted(f.means)]
    determined += [(_label(code), DETERMINED[code]) for code, on in (
        ("ordered", f.ordered_by_trafficker),
        ("purpose", f.offence_category == "purpose"),
        ("no_way_out", not f.escape_opportunity),
        ("child", f.is_child),
        ("child_when_recruited", f.child_at_recruitment),
        ("deceived", bool(f.deceived_about)),
    ) if on]
    free = [(_label(code), FREE_CHOICE[code]) for code, on in (
        ("informed_consent", f.informed_consent),
        ("knew_criminal", f.knew_work_was_criminal),
        ("joined", f.voluntary_association),
        ("returned", f.returned_after_rescue),
        ("rewarded", f.rewards == "instead_of_coercion"),
        ("rewarded_and_coerced", f.rewards == "alongside_coercion"),
        ("could_escape", f.escape_opportunity),
        ("unordered", not f.ordered_by_trafficker),
        ("harmed_others", f.harmed_other_victims),
    ) if on]
    return determined, free


def _listing(items: list[Factor]) -> str:
    if not items:
        return worded("models.dual_factor.nothing")
    return joined(worded("phrase.weighted", factor=n, weight=w) for n, w in items)


def dual_factor(f: Facts, victim: Finding) -> Finding:
    """Weigh determination against remaining free choice (npkit's reading)."""
    determined, free = subtest(factors, f)
    a, b = sum(w for _, w in determined), sum(w for _, w in free)
    if not victim.holds or not f.but_for_trafficking or b >= DENY_RATIO * a:
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
         (alsa(), READING, asean(SCOPE_VIEWS)), parameters=(*PARAMETERS, CHILD_AGE)),
)
