"""The seed pinpoints npkit knows (npkit/law/pinpoints.py) are the seeds' own sections and
headings, and every citation npkit's rules, notes and data rows make points to one of them."""

from __future__ import annotations

import re

import pytest
from ci_policy import skip_or_fail
from citation_checks import fitzgerald_sections, seed_folder, seed_texts

from npkit.law.jurisdiction_data import instruments, jurisdictions, recommendations
from npkit.law.pinpoints import (
    ASEAN_HEADINGS,
    ASEAN_RECOMMENDATIONS,
    FITZGERALD_SECTIONS,
    pinpoint_problem,
)
from npkit.law.registry import rules
from npkit.notes import notes


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    folder = seed_folder()
    if folder is None:
        skip_or_fail("the seed texts are not beside the checkout (or NPKIT_SEEDS): the known "
                     "pinpoints cannot be compared with them")
    return seed_texts(folder)


def test_the_fitzgerald_sections_are_the_articles(seeds):
    assert fitzgerald_sections(seeds["fitzgerald2024"]) == FITZGERALD_SECTIONS


def test_the_asean_headings_open_lines_of_the_study(seeds):
    study = seeds["asean_npp_study"]
    for head, subs in ASEAN_HEADINGS.items():
        assert re.search(rf"^\s*{re.escape(head)}\s*$", study, re.M), head
        for sub in subs:
            assert re.search(rf"^\s*{re.escape(sub)}(:|\s*$)", study, re.M), sub
    last = max(int(n) for n in re.findall(r"^\s*(\d+)\. [A-Z]", study, re.M))
    assert last == ASEAN_RECOMMENDATIONS


@pytest.mark.parametrize(("source", "pinpoint", "problem"), [
    ("fitzgerald2024", "V.B.1", ""),
    ("fitzgerald2024", "V.A; V.B.1", ""),
    ("fitzgerald2024", "V.E", "no section 'V.E'"),
    ("asean_npp_study", "Victim identification challenges", ""),
    ("asean_npp_study", "Recommendations 11-12", ""),
    ("asean_npp_study", "recommendation 19", ""),
    ("asean_npp_study", "Recommendation 0", "1-26"),
    ("asean_npp_study", "Victim identification", "no heading"),
    ("alsa2025", "", ""),
    ("alsa2025", "para 3", "one paragraph"),
    ("npkit", "anything npkit reads", ""),
])
def test_a_pinpoint_is_checked_against_its_source(source, pinpoint, problem):
    found = pinpoint_problem(source, pinpoint)
    assert (problem in found and found) if problem else found == ""


def test_every_citation_npkit_makes_points_to_a_known_place():
    cites = [(r.id, c) for r in rules().values()
             for c in (*r.citations, *(e.citation for e in r.exceptions))]
    cites += [(k, c.citation()) for k, n in notes().items() for c in n.cite]
    cites += [(k, s) for k, row in {**jurisdictions(), **instruments()}.items()
              for s in row.sources]
    cites += [(r.number, r.source) for r in recommendations()]
    assert len(cites) > 100
    bad = [(where, c.source, c.pinpoint, pinpoint_problem(c.source, c.pinpoint))
           for where, c in cites if pinpoint_problem(c.source, c.pinpoint)]
    assert not bad
