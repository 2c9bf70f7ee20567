"""Each lesson of docs/facilitator.md's "Lessons the course teaches and where" can be found where
the table says: the module's heading is in that module's source, the case file exists, the quiz
question is in the bank, and the prompt is written out below the table."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from npkit.course.training import quiz

ROOT = Path(__file__).resolve().parents[1]
GUIDE = ROOT / "docs" / "facilitator.md"
SECTION = "## Lessons the course teaches and where"
LESSONS = 9  # issue 13 lists nine lessons


def lesson_rows() -> list[list[str]]:
    text = GUIDE.read_text(encoding="utf-8")
    part = text.split(SECTION, 1)[1].split("\n## ", 1)[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in part.splitlines() if re.match(r"\|\s*L\d+\s*\|", line)]
    return rows


def module_source(number: str) -> str:
    (path,) = ROOT.glob(f"notebooks/{int(number):02d}_*.py")
    return path.read_text(encoding="utf-8")


def test_the_table_has_every_lesson():
    assert [r[0] for r in lesson_rows()] == [f"L{n}" for n in range(1, LESSONS + 1)]


@pytest.mark.parametrize("row", lesson_rows(), ids=lambda r: r[0])
def test_a_lesson_is_where_the_table_says(row):
    number, _lesson, where, case, questions, prompt, source = row
    for module, headings in re.findall(r"(\d), ((?:\"[^\"]+\"(?:: )?)+)", where):
        text = module_source(module)
        for heading in re.findall(r"\"([^\"]+)\"", headings):
            assert heading in text, f"{number}: module {module} has no heading {heading!r}"
    for case_id in re.findall(r"`([a-z_]+)`", case):
        assert (ROOT / "cases" / f"{case_id}.yaml").is_file(), f"{number}: no case {case_id}"
    bank = quiz.by_id()
    for qid in re.findall(r"`([a-z0-9-]+)`", questions):
        assert qid in bank, f"{number}: module 7 has no question {qid!r}"
    assert prompt == number
    guide = GUIDE.read_text(encoding="utf-8")
    assert re.search(rf"^\*\*{number}\b|^- \*\*{number}\b|^{number}[.:]", guide, re.M), \
        f"{number}: the prompt is not written out below the table"
    assert re.search(r"Fitzgerald 2024|ASEAN NPP study", source), f"{number}: no source pinpoint"
