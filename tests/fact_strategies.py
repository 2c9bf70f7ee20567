"""Hypothesis strategies for any facts the case format can express (one place, so a new fact
reaches every property test)."""

from hypothesis import strategies as st

from npkit.law.facts import Facts, ThreatFact
from npkit.law.vocabulary import (
    Act,
    Harm,
    Imminence,
    Means,
    OffenceCategory,
    OffenceType,
    Purpose,
    Rewards,
    ThreatSeverity,
    ThreatTarget,
    Timing,
)


def values(enum) -> st.SearchStrategy[str]:
    return st.sampled_from([e.value for e in enum])


def subset(enum, size: int = 4) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(values(enum), max_size=size)


threats = st.builds(ThreatFact, values(ThreatTarget), values(ThreatSeverity), values(Imminence))


def any_facts(*, sets: int = 4, max_threats: int = 3, ages=(0, 80)) -> st.SearchStrategy[Facts]:
    """Facts with every field drawn; ``sets`` bounds the acts, means and purposes drawn (a
    smaller draw keeps a counterfactual search per example affordable)."""
    age = st.one_of(st.none(), st.integers(*ages))
    return st.builds(
        Facts,
        age=age,
        claimed_age=age,
        age_at_recruitment=age,
        later_period=st.booleans(),
        acts=subset(Act, sets),
        means=subset(Means, sets),
        purposes=subset(Purpose, sets),
        means_unknown=st.booleans(),
        purposes_unknown=st.booleans(),
        threats=st.lists(threats, max_size=max_threats).map(tuple),
        escape_opportunity=st.booleans(),
        voluntary_association=st.booleans(),
        informed_consent=st.booleans(),
        rewards=values(Rewards),
        returned_after_rescue=st.booleans(),
        knew_work_was_criminal=st.booleans(),
        contract_signed=st.booleans(),
        offence_type=values(OffenceType),
        offence_category=values(OffenceCategory),
        committed=values(Timing),
        ordered_by_trafficker=st.booleans(),
        connected_to_exploited_work=st.booleans(),
        but_for_trafficking=st.booleans(),
        harm=values(Harm),
        harmed_other_victims=st.booleans(),
    )
