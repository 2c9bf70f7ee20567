"""The guides stay true: links resolve, and the facilitator's answer keys agree with npkit.

- Every relative link in docs/*.md, README.md and deploy/**/*.md points to an existing file,
  and an anchor (``#...``) to an existing heading of the target page (GitHub's heading ids).
- Every case named in an answer-key table of docs/facilitator.md exists in cases/, with the
  charge named.
- Every outcome word in those tables is the outcome ``npkit.engine.assessment.assess`` reports (and
  the case file's ``expected:`` value, where it states one); for a failing duress defence,
  the conditions listed in brackets are exactly the required conditions that fail.
- A row whose finding npkit marks as its own reading says "npkit's reading".
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

import pytest

from npkit.casefile.loader import load_cases
from npkit.engine.assessment import assess
from npkit.law.duress import VARIANTS
from npkit.law.stages import should_stop

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted((ROOT / "docs").glob("*.md")) + [ROOT / "README.md"] + \
    sorted((ROOT / "deploy").rglob("*.md"))
FACILITATOR = ROOT / "docs" / "facilitator.md"
CASES = {c.id: c for c in load_cases(ROOT / "cases").cases}

KEY_HEADER = ("case", "charge", "question", "answer")
PROCESS_HEADER = ("case", "charge", "stage reached", "principle should apply at")

# ---------------------------------------------------------------------------------------
# Markdown helpers
# ---------------------------------------------------------------------------------------

FENCE = re.compile(r"^\s*(```|~~~)")
INLINE_CODE = re.compile(r"(`+)(?:(?!\1).)+?\1")
LINK = re.compile(r"!?\[(?:[^\[\]]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REF_DEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$")
HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
EXTERNAL = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")  # http:, https:, mailto: ...


def prose_lines(text: str) -> list[tuple[int, str]]:
    """(line number, line) outside fenced code blocks."""
    out, fenced = [], False
    for n, line in enumerate(text.splitlines(), 1):
        if FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            out.append((n, line))
    return out


def slug(heading: str) -> str:
    """GitHub's id for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"<[^>]+>", "", heading)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [text](url) -> text
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out = set()
    for _, line in prose_lines(path.read_text(encoding="utf-8")):
        m = HEADING.match(line)
        if not m:
            continue
        base = slug(m.group(2))
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def links(path: Path) -> list[tuple[int, str]]:
    out = []
    for n, line in prose_lines(path.read_text(encoding="utf-8")):
        bare = INLINE_CODE.sub("", line)
        out += [(n, m.group(1)) for m in LINK.finditer(bare)]
        m = REF_DEF.match(bare)
        if m:
            out.append((n, m.group(1)))
    return out


def broken_links(path: Path) -> list[str]:
    problems = []
    for n, target in links(path):
        if EXTERNAL.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        dest = (path.parent / unquote(file_part)).resolve() if file_part else path
        where = f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}:{n}"
        if not dest.exists():
            problems.append(f"{where}: {target}: no such file")
            continue
        if anchor and dest.suffix == ".md" and unquote(anchor) not in anchors(dest):
            problems.append(f"{where}: {target}: no heading with id #{anchor} in {dest.name}")
    return problems


def tables(path: Path) -> list[tuple[tuple[str, ...], list[tuple[int, list[str]]]]]:
    """Every Markdown table: (header cells, [(line number, cells)])."""
    out: list = []
    current = None
    for n, line in prose_lines(path.read_text(encoding="utf-8")):
        if not line.strip().startswith("|"):
            current = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if current is None:
            current = (tuple(c.lower() for c in cells), [])
            out.append(current)
        elif all(re.fullmatch(r":?-{3,}:?", c) for c in cells):
            continue
        else:
            current[1].append((n, cells))
    return out


def plain(cell: str) -> str:
    return cell.replace("`", "").replace("*", "").strip()


# ---------------------------------------------------------------------------------------
# Answer-key rows
# ---------------------------------------------------------------------------------------

OUTCOME_WORDS = {
    "victim": "victim", "not a victim": "not_victim", "not victim": "not_victim",
    "succeeds": "succeeds", "fails": "fails",
    "protected": "protected", "not protected": "not_protected",
    "discretionary": "discretionary", "conditional": "conditional", "guidance": "guidance",
}
ANSWER = re.compile(r"^(?P<word>[a-z][a-z ]*?)\s*(?:\((?P<conditions>[^)]*)\))?$")


def parse_answer(cell: str) -> tuple[str, set[str] | None]:
    """'fails (imminent threat, proportionality)' -> ('fails', {...}); unknown words raise."""
    m = ANSWER.match(plain(cell).lower())
    if not m or m.group("word") not in OUTCOME_WORDS:
        raise ValueError(f"not an outcome: {cell!r}; use one of {sorted(OUTCOME_WORDS)}")
    conditions = m.group("conditions")
    return OUTCOME_WORDS[m.group("word")], (
        {c.strip() for c in conditions.split(",") if c.strip()} if conditions else None)


def key_rows(path: Path = FACILITATOR) -> list[tuple[int, list[str]]]:
    return [row for header, rows in tables(path) if header[:4] == KEY_HEADER for row in rows]


def process_rows(path: Path = FACILITATOR) -> list[tuple[int, list[str]]]:
    return [row for header, rows in tables(path) if header[:4] == PROCESS_HEADER
            for row in rows]


def finding(assessment, question: str):
    if question == "victim":
        return assessment.victim
    group, _, key = question.partition(".")
    return getattr(assessment, group)[key]


def check_row(cells: list[str]) -> list[str]:
    """Everything wrong with one answer-key row (empty when it agrees with npkit)."""
    case_id, charge, question, answer = (plain(c) for c in cells[:4])
    if case_id not in CASES:
        return [f"no case {case_id!r} in cases/"]
    case = CASES[case_id]
    if charge not in {o.id for o in case.offences}:
        return [f"{case_id} has no charge {charge!r}"]
    a = assess(case, charge, counterfactuals=False)
    key = f"{question}.outcome"
    got = a.outcomes()
    if key not in got:
        return [f"{question!r} is not a question npkit answers"]
    problems = []
    word, conditions = parse_answer(answer)
    if word != got[key]:
        problems.append(f"{case_id}/{charge} {question}: guide says {word}, npkit {got[key]}")
    first = case.offences[0].id == charge
    if first and key in case.expected_outcomes and case.expected_outcomes[key] != word:
        problems.append(f"{case_id} {question}: guide says {word}, case file expects "
                        f"{case.expected_outcomes[key]}")
    node = finding(a, question)
    if question.startswith("duress."):
        required = VARIANTS[question.split(".")[1]].required
        failing = {c.title.lower() for c in node.children
                   if c.test.rsplit(".", 1)[1] in required and not c.holds}
        if word == "fails" and conditions != failing:
            problems.append(f"{case_id}/{charge} {question}: guide lists "
                            f"{sorted(conditions or [])}, npkit fails on {sorted(failing)}")
        if word == "succeeds" and conditions:
            problems.append(f"{case_id}/{charge} {question}: a defence that succeeds lists no "
                            "failing conditions")
    source = cells[5] if len(cells) > 5 else ""
    if node.is_npkit_reading and "npkit's reading" not in source:
        problems.append(f"{case_id}/{charge} {question}: npkit marks this as its reading; "
                        "the source column must say \"npkit's reading\"")
    if len(cells) < 6 or not plain(cells[4]) or not plain(cells[5]):
        problems.append(f"{case_id}/{charge} {question}: give a one-line why and a source")
    return problems


# ---------------------------------------------------------------------------------------
# Tests
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(path):
    assert not broken_links(path), "\n".join(broken_links(path))


def test_link_checker_finds_broken_links(tmp_path):
    (tmp_path / "other.md").write_text("# Real heading\n\n## Second: part (2)\n")
    page = tmp_path / "page.md"
    page.write_text(
        "# Top\n"
        "[ok](other.md) [ok](other.md#real-heading) [ok](other.md#second-part-2) [ok](#top)\n"
        "[missing](nowhere.md) [bad anchor](other.md#not-there) [bad self](#nope)\n"
        "`[in code](nowhere-in-code.md)` [web](https://example.org/x.md)\n"
        "```\n[in a fence](fenced.md)\n```\n"
        "[ref]: also-missing.md\n"
    )
    found = " ".join(broken_links(page))
    for bad in ("nowhere.md", "other.md#not-there", "#nope", "also-missing.md"):
        assert bad in found
    for good in ("#real-heading", "#second-part-2", "nowhere-in-code", "fenced.md",
                 "example.org"):
        assert good not in found


def test_slugs_match_github():
    assert slug("periods: recruitment") == "periods-recruitment"
    assert slug("John (`john`)") == "john-john"
    assert slug("The half-day workshop (3.5 hours)") == "the-half-day-workshop-35-hours"
    assert slug('"The losses are too big to excuse"') == "the-losses-are-too-big-to-excuse"
    assert slug("expected_source") == "expected_source"


def test_answer_keys_are_there():
    rows = key_rows()
    assert len(rows) >= 100, "the answer-key tables were not found or lost their header"
    named = {plain(cells[0]) for _, cells in rows}
    assert {"jane", "john", "sarah"} <= named


def test_every_case_in_the_answer_keys_exists():
    named = {plain(cells[0]) for _, cells in key_rows() + process_rows()}
    assert named <= set(CASES), f"not in cases/: {sorted(named - set(CASES))}"


@pytest.mark.parametrize(
    "row", key_rows(), ids=lambda r: f"line{r[0]}-{plain(r[1][0])}-{plain(r[1][2])}")
def test_answer_key_row_agrees_with_npkit(row):
    line, cells = row
    problems = check_row(cells)
    assert not problems, f"docs/facilitator.md:{line}: " + "; ".join(problems)


def test_answer_key_checker_catches_a_wrong_row():
    assert check_row(["jane", "fraud", "`duress.england_wales`", "succeeds", "x", "y"])
    assert check_row(["jane", "fraud", "`duress.england_wales`", "fails (imminent threat)",
                      "x", "y"])
    assert check_row(["jane", "fraud", "`models.dual_factor`", "protected", "x",
                      "ALSA 2025 abstract"])
    assert check_row(["nobody", "fraud", "`victim`", "victim", "x", "y"])
    assert not check_row(["jane", "fraud", "`duress.england_wales`",
                          "fails (imminent threat, proportionality)", "x", "y"])
    with pytest.raises(ValueError):
        parse_answer("probably")


def test_process_table_agrees_with_npkit():
    rows = process_rows()
    assert rows, "the 'where should the process have stopped' table is missing"
    for line, cells in rows:
        case_id, charge, reached, stop = (plain(c) for c in cells[:4])
        a = assess(CASES[case_id], charge, counterfactuals=False)
        assert reached == a.facts.stage, f"docs/facilitator.md:{line}: stage reached"
        assert stop.split(" ")[0] == should_stop(a).outcome, f"docs/facilitator.md:{line}"
