"""Rule situations, OpenFisca style: ``tests/rules/*.yaml`` holds small situations (partial
facts -> the outcome of one rule, its decisive reason code and the source that reason cites).
Every rule in the registry must have at least one.

A situation::

    - name: the Philippines protects on obedience alone
      rule: jurisdictions.PH
      facts: {acts: [recruitment], means: [deception], purposes: [forced_criminality],
              ordered_by_trafficker: true, but_for_trafficking: false, offence_type: fraud}
      outcome: protected
      decisive: jurisdictions.obedience.decides   # the decisive reason's code
      source: fitzgerald2024                       # the source that reason cites
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path

import pytest
import yaml

from npkit.engine.assessment import evaluate
from npkit.law.facts import Facts, ThreatFact
from npkit.law.registry import rules

FOLDER = Path(__file__).parent / "rules"
KEYS = {"name", "rule", "facts", "outcome", "decisive", "source"}
_SETS = {f.name for f in fields(Facts) if str(f.type).startswith("frozenset")}


def _situations() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(FOLDER.glob("*.yaml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            out.append((f"{path.stem}: {item.get('name')}", item))
    return out


def facts_of(given: dict) -> Facts:
    """Facts from a situation's partial facts: lists become sets, threats become ThreatFacts;
    everything not given keeps the Facts default."""
    values = {}
    for name, value in given.items():
        if name == "threats":
            value = tuple(ThreatFact(**t) for t in value)
        elif name in _SETS:
            value = frozenset(value)
        values[name] = value
    return Facts(**values)


def find(evaluation, test: str):
    roots = [evaluation.victim, *evaluation.duress.values(), *evaluation.models.values(),
             *evaluation.jurisdictions.values(), *evaluation.instruments.values()]
    for root in roots:
        for node in root.walk():
            if node.test == test:
                return node
    raise LookupError(f"no finding {test!r} in the assessment")


SITUATIONS = _situations()


@pytest.mark.parametrize("item", [s for _, s in SITUATIONS], ids=[n for n, _ in SITUATIONS])
def test_a_situation_gives_its_outcome_decisive_reason_and_source(item):
    assert set(item) == KEYS, f"a situation has exactly these keys: {sorted(KEYS)}"
    assert item["rule"] in rules(), f"{item['rule']!r} is not a registered rule"
    declared = rules()[item["rule"]].outcomes
    assert item["outcome"] in declared, f"{item['rule']} can only come out {declared}"
    node = find(evaluate(facts_of(item["facts"])), item["rule"])
    assert node.outcome == item["outcome"]
    assert node.decisive is not None and node.decisive.code == item["decisive"]
    assert node.decisive.source.source == item["source"]


def test_every_rule_in_the_registry_has_a_situation():
    tested = {item["rule"] for _, item in SITUATIONS}
    missing = sorted(set(rules()) - tested)
    assert not missing, f"rules with no situation in tests/rules/: {missing}"


def test_a_situation_naming_an_unknown_fact_is_refused():
    with pytest.raises(TypeError):
        facts_of({"no_such_fact": True})
