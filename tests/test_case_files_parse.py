"""Every case file in cases/ parses into Case and its narrative tags agree with its periods.

The narrative tags are the answer key of the element-tagging module, so they must name
exactly the acts, means and purposes the periods list: no tag for a fact that is not in
any period, and no period fact that no passage shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from npkit.casefile.case import TEXT_FIELDS, Case
from npkit.i18n.content import localize

CASES_DIR = Path(__file__).resolve().parent.parent / "cases"
FILES = sorted(CASES_DIR.glob("*.yaml"))
KINDS = ("act", "means", "purpose")


def load(path: Path) -> Case:
    # the English, without the translations kept next to it (npkit.i18n.content)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return Case.model_validate(localize(data, "en", TEXT_FIELDS))


def tagged(case: Case) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for passage in case.narrative:
        for tag in passage.tags:
            kind, term = tag.split(".", 1)
            found[kind].add(term)
    return found


def listed(case: Case) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for period in case.periods:
        found["act"].update(str(a) for a in period.acts)
        found["means"].update(str(m) for m in period.means)
        found["purpose"].update(str(p) for p in period.purposes)
    return found


def test_at_least_ten_cases():
    assert len(FILES) >= 10, [f.name for f in FILES]


def test_seed_cases_present():
    assert {"jane", "john", "sarah"} <= {f.stem for f in FILES}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_parses_and_id_matches_file_name(path: Path):
    case = load(path)
    assert case.id == path.stem


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_tags_consistent_with_periods(path: Path):
    case = load(path)
    tags, facts = tagged(case), listed(case)
    for kind in KINDS:
        assert tags[kind] <= facts[kind], (
            f"{kind} tags not listed in any period: {sorted(tags[kind] - facts[kind])}"
        )
        assert facts[kind] <= tags[kind], (
            f"{kind} facts that no passage is tagged with: {sorted(facts[kind] - tags[kind])}"
        )


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_narrative_shows_the_elements(path: Path):
    case = load(path)
    tags = tagged(case)
    assert tags["act"], "no passage is tagged with an act"
    assert tags["purpose"], "no passage is tagged with a purpose"
    # means are not needed for a child; with age unknown the presumption model presumes one
    if case.person.age is not None and case.person.age >= 18:
        assert tags["means"], "an adult's story has no passage tagged with a means"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_expected_outcomes_given(path: Path):
    case = load(path)
    assert "victim.outcome" in case.expected_outcomes
    assert any(key.startswith("models.") for key in case.expected_outcomes)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_narrative_length(path: Path):
    case = load(path)
    assert 5 <= len(case.narrative) <= 9
