"""Facts: the flat, immutable view of one charge in a case that the law modules read.

The flow is one-way: case file -> ``Facts`` -> law modules -> assessment tree -> renderers.
``Facts`` is hashable, so counterfactuals can change one field with ``dataclasses.replace``
and outcomes can be cached per set of facts.
"""

from __future__ import annotations

from dataclasses import dataclass

from npkit.casefile.case import Case

# Under 18 is a child: Palermo Protocol art 3(d), which none of npkit's three sources states, so
# every reason that relies on this line carries the outside_sources mark (npkit.law.trafficking).
CHILD_UNDER = 18


@dataclass(frozen=True, slots=True)
class ThreatFact:
    target: str
    severity: str
    imminence: str


@dataclass(frozen=True, slots=True)
class Facts:
    # person
    age: int | None = None
    # the period the charged offence falls in
    period_id: str = "main"
    later_period: bool = False  # an earlier period precedes this one
    acts: frozenset[str] = frozenset()
    means: frozenset[str] = frozenset()
    purposes: frozenset[str] = frozenset()
    threats: tuple[ThreatFact, ...] = ()
    escape_opportunity: bool = False
    voluntary_association: bool = False
    informed_consent: bool = False
    rewarded_rather_than_coerced: bool = False
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
    # the process
    identification: str = "not_identified"
    stage: str = "prosecution"
    framed_as_labour_dispute: bool = False

    @property
    def is_child(self) -> bool:
        """Known to be under :data:`CHILD_UNDER` (law from outside the sources)."""
        return self.age is not None and self.age < CHILD_UNDER

    @property
    def age_unknown(self) -> bool:
        return self.age is None


def facts_for(case: Case, offence_id: str | None = None) -> Facts:
    """The facts of ``case`` for one charge (the principal charge by default)."""
    offence = case.offence(offence_id)
    period = case.period(offence.period)
    index = [p.id for p in case.periods].index(period.id)
    return Facts(
        age=case.person.age,
        period_id=period.id,
        later_period=index > 0,
        acts=frozenset(period.acts),
        means=frozenset(period.means),
        purposes=frozenset(period.purposes),
        threats=tuple(ThreatFact(t.target, t.severity, t.imminence) for t in period.threats),
        escape_opportunity=period.escape.reasonable_opportunity,
        voluntary_association=period.voluntary_association,
        informed_consent=period.informed_consent,
        rewarded_rather_than_coerced=period.rewarded_rather_than_coerced,
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
        identification=case.identification.status,
        stage=case.proceedings.stage,
        framed_as_labour_dispute=case.proceedings.framed_as_labour_dispute,
    )
