"""The registry's queries are the one list of rules: they agree with what the engine reports,
and a rule added to the registry shows up in them."""

import pytest

from npkit.casefile.library import get_case
from npkit.engine.assessment import assess
from npkit.law import registry
from npkit.law.registry import Rule


def _fn(f):  # stands in for a law function
    return f


@pytest.fixture
def extra_rules(monkeypatch):
    """The real registry plus a made-up variant (with one condition), model and state."""
    real = dict(registry.rules())
    made_up = [
        Rule("duress.atlantis", "Duress — Atlantis (invented)", _fn, ("succeeds", "fails"),
             "An invented variant.", (), short="Atlantis"),
        Rule("duress.atlantis.sincere_fear", "Sincere fear — Atlantis", _fn, ("met", "not_met"),
             "An invented condition.", ()),
        Rule("models.invented", "Invented model", _fn, ("protected", "maybe"),
             "An invented model.", ()),
        Rule("models.invented.part", "Part of it", _fn, ("met", "not_met"), "A part.", ()),
        Rule("jurisdictions.ZZ", "Zedland", _fn, ("protected", "not_protected"),
             "An invented state.", ()),
    ]
    monkeypatch.setattr(registry, "rules", lambda: {**real, **{r.id: r for r in made_up}})
    return made_up


def test_the_groups_name_exactly_what_the_engine_reports():
    a = assess(get_case("jane"), counterfactuals=False)
    e = a.evaluation
    assert registry.variants() == tuple(e.duress)
    assert registry.names("models") == tuple(e.models)
    assert registry.names("jurisdictions") == tuple(e.jurisdictions)
    assert registry.names("instruments") == tuple(e.instruments)
    for variant, node in e.duress.items():
        reported = tuple(c.test.rsplit(".", 1)[1] for c in node.children)
        assert registry.conditions(variant) == reported


def test_every_outcome_the_engine_gives_is_one_its_rule_declares():
    a = assess(get_case("john"), counterfactuals=False)
    e = a.evaluation
    assert e.victim.outcome in registry.outcomes("victim")
    for group in registry.GROUPS:
        for name, node in getattr(e, group).items():
            assert node.outcome in registry.outcomes(f"{group}.{name}")
            assert node.outcome in registry.group_outcomes(group)


def test_parts_of_an_outcome_are_not_listed_as_outcomes():
    assert "jurisdictions.coverage" not in registry.ids("jurisdictions")
    assert not [i for i in registry.ids("models") if i.count(".") != 1]
    assert "models.causation.but_for" in registry.rules()


def test_labels_are_short_where_the_law_gives_one():
    assert registry.label("duress.england_wales") == "England & Wales"
    assert registry.label("duress.rome_statute.proportionate") == "Proportionality"
    assert registry.label("jurisdictions.PH") == registry.rule("jurisdictions.PH").title


def test_a_rule_added_to_the_registry_appears_in_every_query(extra_rules):
    assert registry.variants()[-1] == "atlantis"
    assert registry.conditions("atlantis") == ("sincere_fear",)
    assert "models.invented" in registry.ids("models")
    assert "models.invented.part" not in registry.ids("models")
    assert registry.group_outcomes("models")[-1] == "maybe"
    assert registry.names("jurisdictions")[-1] == "ZZ"
    assert registry.label("duress.atlantis") == "Atlantis"
