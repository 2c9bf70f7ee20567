"""Facts: the flat, immutable view of one charge in a case that the law modules read.

The flow is one-way: case file -> ``Facts`` -> law modules -> assessment tree -> renderers.
``Facts`` is hashable, so counterfactuals can change one field with ``dataclasses.replace``
and outcomes can be cached per set of facts.
"""

from __future__ import annotations

from dataclasses import InitVar, dataclass

from npkit.casefile.case import Case
from npkit.law.parameters import parameter

# The age line of the child rule (victim.child_age_under in npkit/law/data/parameters.yaml):
# Palermo Protocol art 3(d), which none of npkit's three sources states, so every reason that
# relies on this line carries the outside_sources mark (npkit.law.trafficking).
CHILD_AGE = "victim.child_age_under"
CHILD_UNDER: int = parameter(CHILD_AGE)


@dataclass(frozen=True, slots=True)
class ThreatFact:
    target: str
    severity: str
    imminence: str


@dataclass(frozen=True, slots=True)
class Facts:
    # person
    age: int | None = None  # established age at the offence
    claimed_age: int | None = None  # the age the person gives, not verified
    age_at_recruitment: int | None = None  # established age when recruited for this period
    # the period the charged offence falls in
    period_id: str = "main"
    later_period: bool = False  # an earlier period precedes this one
    acts: frozenset[str] = frozenset()
    means: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    # unknown is not "no": an empty set with the flag says nobody knows yet
    means_unknown: bool = False
    purposes_unknown: bool = False
    threats: tuple[ThreatFact, ...] = ()
    escape_opportunity: bool = False
    voluntary_association: bool = False
    informed_consent: bool = False
    rewards: str = "none"  # none, instead_of_coercion, alongside_coercion
    returned_after_rescue: bool = False
    recruitment_method: str = "other"
    deceived_about: frozenset[str] = frozenset()
    knew_work_was_criminal: bool = False
    contract_signed: bool = False
    contract_requires_illegal_work: bool = False
    # the charge
    offence_id: str = "offence"
    offence_type: str = "other"
    offence_category: str = "purpose"
    committed: str = "during"
    ordered_by_trafficker: bool = False
    connected_to_exploited_work: bool = True
    but_for_trafficking: bool = True
    harm: str = "none"
    harmed_other_victims: bool = False
    # the process
    identification: str = "not_identified"
    stage: str = "prosecution"
    framed_as_labour_dispute: bool = False
    # the old single fact (before issue 11), still accepted: true means rewards instead of
    # coercion
    rewarded_rather_than_coerced: InitVar[bool] = False

    def __post_init__(self, rewarded_rather_than_coerced: bool) -> None:
        if rewarded_rather_than_coerced and self.rewards == "none":
            object.__setattr__(self, "rewards", "instead_of_coercion")

    @property
    def is_child(self) -> bool:
        """Known to be under :data:`CHILD_UNDER` (law from outside the sources)."""
        return self.age is not None and self.age < CHILD_UNDER

    @property
    def age_unknown(self) -> bool:
        """No established age (a claimed age is not verified, so it does not count)."""
        return self.age is None

    @property
    def child_at_recruitment(self) -> bool:
        """Known to have been under :data:`CHILD_UNDER` when recruited, though not known to be
        one at the offence."""
        return (not self.is_child and self.age_at_recruitment is not None
                and self.age_at_recruitment < CHILD_UNDER)

    @property
    def claimed_child(self) -> bool:
        """Gives an age under :data:`CHILD_UNDER` that nobody has verified."""
        return self.age_unknown and self.claimed_age is not None and self.claimed_age < CHILD_UNDER

    @property
    def unknown_means(self) -> bool:
        """Whether any means was used is not known (listed means make it known)."""
        return self.means_unknown and not self.means

    @property
    def unknown_purposes(self) -> bool:
        return self.purposes_unknown and not self.purposes


def facts_for(case: Case, offence_id: str | None = None) -> Facts:
    """The facts of ``case`` for one charge (the principal charge by default)."""
    offence = case.offence(offence_id)
    period = case.period(offence.period)
    index = [p.id for p in case.periods].index(period.id)
    return Facts(
        age=case.person.age,
        claimed_age=case.person.claimed_age,
        age_at_recruitment=period.recruitment.age,
        period_id=period.id,
        later_period=index > 0,
        acts=frozenset(period.acts),
        means=frozenset(period.means),
        purposes=frozenset(period.purposes),
        means_unknown="means" in period.unknown,
        purposes_unknown="purposes" in period.unknown,
        threats=tuple(ThreatFact(t.target, t.severity, t.imminence) for t in period.threats),
        escape_opportunity=period.escape.reasonable_opportunity,
        voluntary_association=period.voluntary_association,
        informed_consent=period.informed_consent,
        rewards=str(period.rewards),
        returned_after_rescue=period.returned_after_rescue,
        recruitment_method=period.recruitment.method,
        deceived_about=frozenset(period.recruitment.deceived_about),
        knew_work_was_criminal=period.recruitment.knew_work_was_criminal,
        contract_signed=bool(period.contract and period.contract.signed),
        contract_requires_illegal_work=bool(
            period.contract and period.contract.requires_illegal_work
        ),
        offence_id=offence.id,
        offence_type=offence.type,
        offence_category=offence.category,
        committed=offence.committed,
        ordered_by_trafficker=offence.ordered_by_trafficker,
        connected_to_exploited_work=offence.connected_to_exploited_work,
        but_for_trafficking=offence.but_for_trafficking,
        harm=offence.harm,
        harmed_other_victims=offence.harmed_other_victims,
        identification=case.identification.status,
        stage=case.proceedings.stage,
        framed_as_labour_dispute=case.proceedings.framed_as_labour_dispute,
    )
