"""Warnings about facts that contradict each other.

A case file can be valid and still say two things that cannot both be true (informed consent
from someone deceived about the work). ``npkit validate`` reports these as warnings, not errors:
the case still loads, and the trainer decides which fact to keep. The list is kept short: only
pairs a trainer is likely to write by mistake.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from npkit.casefile.case import OLD_REWARDS_FIELD, Case
from npkit.law.facts import CHILD_UNDER
from npkit.law.vocabulary import COERCIVE_MEANS, MEANS

Path_ = tuple[str | int, ...]
Warning_ = tuple[Path_, str]

FORCE_OR_THREAT = frozenset(m for m, term in MEANS.items() if term.force_or_threat)
NO_WAY_OUT = frozenset({"confinement", "abduction"})
NOT_INFORMED = ("nature_of_work", "conditions")


def _listed(values) -> str:
    return ", ".join(sorted(str(v) for v in values))


def _period_warnings(i: int, p) -> Iterator[Warning_]:
    at: Path_ = ("periods", i)
    deceived = [d for d in NOT_INFORMED if d in p.recruitment.deceived_about]
    if p.informed_consent and deceived:
        yield ((*at, "informed_consent"),
               f"informed consent means knowing the work and its conditions, but "
               f"recruitment.deceived_about lists {_listed(deceived)}")
    if p.recruitment.knew_work_was_criminal and "nature_of_work" in p.recruitment.deceived_about:
        yield ((*at, "recruitment", "knew_work_was_criminal"),
               "they knew the work was crime, but recruitment.deceived_about lists "
               "nature_of_work; keep the one that is true")
    force = set(p.means) & FORCE_OR_THREAT
    if p.rewards == "instead_of_coercion" and force:
        yield ((*at, "rewards"),
               f"rewards instead of coercion, but means lists {_listed(force)}; did you mean "
               "'alongside_coercion'?")
    if p.rewards == "alongside_coercion" and not set(p.means) & COERCIVE_MEANS:
        yield ((*at, "rewards"),
               "rewards alongside coercion, but means lists no coercion (force, threats, "
               "confinement, ...); add the coercion or write 'instead_of_coercion'")
    held = set(p.means) & NO_WAY_OUT
    if p.escape.reasonable_opportunity and held:
        yield ((*at, "escape", "reasonable_opportunity"),
               f"a reasonable chance to escape, but means lists {_listed(held)}; say in "
               "escape.note how they could have got out, or set it to false")
    for j, t in enumerate(p.threats):
        if t.target == "family_far_away" and t.imminence in ("imminent", "continuing"):
            yield ((*at, "threats", j, "target"),
                   f"family far away are out of the traffickers' immediate reach, but the "
                   f"threat is {t.imminence}; did you mean 'close_family_elsewhere'?")


def _age_warnings(case: Case) -> Iterator[Warning_]:
    age, claimed = case.person.age, case.person.claimed_age
    if age is not None and claimed is not None and (age < CHILD_UNDER) != (claimed < CHILD_UNDER):
        yield (("person", "claimed_age"),
               f"the established age ({age}) and the claimed age ({claimed}) disagree on "
               "whether the person is a child; the established age decides")
    for i, p in enumerate(case.periods):
        if age is not None and p.recruitment.age is not None and p.recruitment.age > age:
            yield (("periods", i, "recruitment", "age"),
                   f"recruited at {p.recruitment.age}, older than their age at the offences "
                   f"({age})")


def contradictions(case: Case, raw: dict[str, Any] | None = None) -> list[Warning_]:
    """Warnings for ``case`` as (path in the file, message); ``raw`` is the file's plain data,
    for fields that only the file shows (an old form of a field)."""
    out = list(_age_warnings(case))
    for i, p in enumerate(case.periods):
        out += _period_warnings(i, p)
    for k, o in enumerate(case.offences):
        if o.harmed_other_victims and o.harm == "none":
            out.append((("offences", k, "harm"),
                        "the act harmed other victims, but harm is 'none'"))
    for i, p in enumerate((raw or {}).get("periods") or []):
        if isinstance(p, dict) and OLD_REWARDS_FIELD in p:
            new = "instead_of_coercion" if p[OLD_REWARDS_FIELD] is True else "none"
            out.append((("periods", i, OLD_REWARDS_FIELD),
                        f"the old form of this fact: write 'rewards: {new}' (rewards can now be "
                        "given instead of coercion or alongside it)"))
    return out
