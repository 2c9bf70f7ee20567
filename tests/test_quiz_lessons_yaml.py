"""The hand-written quiz questions for issue 13's lessons (npkit/course/data/quiz/lessons.yaml):
read with yaml.safe_load, each question is well formed, every citation names a known source with
a pinpoint and a confidence mark, and every seed pinpoint is a real section or heading of the
seed. The loader that turns these into quiz questions is tested on its own."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from ci_policy import skip_or_fail
from citation_checks import citation_problem, seed_folder, seed_pinpoint_problem, seed_texts

from npkit.course.training import quiz
from npkit.law.citations import Citation, Confidence

ROOT = Path(__file__).resolve().parents[1]
LESSONS = ROOT / "npkit" / "course" / "data" / "quiz" / "lessons.yaml"
SOURCES = {"fitzgerald2024", "asean_npp_study", "alsa2025", "npkit", "outside"}
CONFIDENCES = {"verified", "secondary", "npkit_reading", "outside_sources"}
KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
FIELDS = {"id", "module", "prompt", "choices", "answer", "why", "cite"}


def questions() -> list[dict]:
    data = yaml.safe_load(LESSONS.read_text(encoding="utf-8"))
    assert isinstance(data, list) and data, f"{LESSONS} holds no list of questions"
    return data


QUESTIONS = questions()


def problems(q: dict) -> list[str]:
    """Everything wrong with one question, as read from the YAML (empty when it is sound)."""
    out = []
    if set(q) != FIELDS:
        out.append(f"fields {sorted(set(q) ^ FIELDS)} missing or unknown")
    if not KEBAB.fullmatch(str(q.get("id", ""))):
        out.append(f"id {q.get('id')!r} is not kebab-case")
    if q.get("module") not in range(1, 7):
        out.append(f"module {q.get('module')!r} is not 1-6")
    for key in ("prompt", "why"):
        if not isinstance(q.get(key), str) or not q[key].strip():
            out.append(f"no {key}")
    choices = q.get("choices") or []
    values = [c.get("value") for c in choices if isinstance(c, dict)]
    if len(set(values)) < 2 or len(values) != len(choices) or len(set(values)) != len(values):
        out.append("needs at least two choices with distinct values")
    if any(not str(c.get("label", "")).strip() for c in choices if isinstance(c, dict)):
        out.append("a choice has no label")
    if q.get("answer") not in values:
        out.append(f"answer {q.get('answer')!r} is not one of {values}")
    cites = q.get("cite") or []
    if not cites:
        out.append("no citation")
    for c in cites:
        if c.get("source") not in SOURCES:
            out.append(f"unknown source {c.get('source')!r}")
        if not str(c.get("pinpoint", "")).strip():
            out.append(f"a citation of {c.get('source')!r} has no pinpoint")
        if c.get("confidence") not in CONFIDENCES:
            out.append(f"confidence {c.get('confidence')!r} is not one of {sorted(CONFIDENCES)}")
    return out


def citations(q: dict) -> list[Citation]:
    return [Citation(c["source"], c["pinpoint"], Confidence(c["confidence"]),
                     c.get("authority", "")) for c in q["cite"]]


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    folder = seed_folder()
    if folder is None:
        skip_or_fail("the seed texts are not beside the checkout (shared/seeds) nor at "
                     "$NPKIT_SEEDS: the pinpoints cannot be checked")
    return seed_texts(folder)


def test_there_are_at_least_six_questions_with_unique_ids():
    ids = [q.get("id") for q in QUESTIONS]
    assert len(ids) >= 6
    assert len(set(ids)) == len(ids), sorted(i for i in ids if ids.count(i) > 1)


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: str(q.get("id")))
def test_each_question_is_well_formed(q):
    assert not problems(q), f"{q.get('id')}: " + "; ".join(problems(q))


def test_the_checker_finds_a_broken_question():
    good = QUESTIONS[0]
    assert not problems(good)
    broken = {**good, "id": "Plea_Pressure", "module": 7, "answer": "z",
              "choices": [{"label": "only", "value": "a"}],
              "cite": [{"source": "wikipedia", "pinpoint": " ", "confidence": "sure"}]}
    found = " ".join(problems(broken))
    for words in ("kebab-case", "not 1-6", "two choices", "answer 'z'", "unknown source",
                  "no pinpoint", "confidence 'sure'"):
        assert words in found


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: str(q.get("id")))
def test_each_citation_is_one_a_reader_can_follow(q):
    """The fields make a valid Citation (npkit is always npkit's reading, outside law names
    its authority), as for the engine's reasons and the notes."""
    for cite in citations(q):
        assert not citation_problem(cite, q["why"]), (q["id"], str(cite))


@pytest.mark.parametrize("q", QUESTIONS, ids=lambda q: str(q.get("id")))
def test_each_seed_pinpoint_is_a_section_or_heading_of_the_seed(q, seeds):
    for c in q["cite"]:
        problem = seed_pinpoint_problem(c["source"], c["pinpoint"], seeds)
        assert not problem, f"{q['id']}: {problem}"


def test_the_pinpoint_check_can_fail(seeds):
    assert seed_pinpoint_problem("fitzgerald2024", "IV.D", seeds) == ""
    assert seed_pinpoint_problem("fitzgerald2024", "IV.F", seeds)
    assert seed_pinpoint_problem("asean_npp_study", "recommendation 22", seeds) == ""
    assert seed_pinpoint_problem("asean_npp_study", "recommendation 27", seeds)
    assert seed_pinpoint_problem("asean_npp_study", "Victim punishment in practice: "
                                 "Punishment of adults", seeds)


def test_no_id_is_taken_by_another_question():
    """Another question already in the quiz (generated, or hand-written in quiz.py) must not
    share an id with these; the same question loaded from this file is not a clash."""
    mine = {q["id"]: " ".join(q["prompt"].split()) for q in QUESTIONS}
    taken = {s.id: s.prompt for s in quiz.SPECS}
    taken |= {q.id: q.prompt for q in quiz.conceptual()}
    clashes = [i for i in mine if i in taken and " ".join(taken[i].split()) != mine[i]]
    assert not clashes, clashes
