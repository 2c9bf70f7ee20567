"""The paraphrase guard: no text a learner sees copies a run of 12 words from the seed texts
(../shared/seeds: cite by section, paraphrase, never copy their sentences).

It scans every learner-visible text (LEARNER_TEXTS): case files (narratives and lessons), every
data file in npkit (the reference data, the notes and wording, the course content: quiz
questions, prompts, checklist), notebook sources (their Markdown), every string literal in
npkit (widget and training text), the widget templates, the Voila template, docs/ and the
README. The seeds sit beside the checkout (``../shared/seeds``, or ``$NPKIT_SEEDS``); without
them the guard skips on a laptop, saying so, and fails on CI (CI=true).

Titles and citations quoted on purpose are listed in tests/paraphrase_allowlist.yaml.
"""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
import yaml
from ci_policy import skip_or_fail
from citation_checks import seed_folder

ROOT = Path(__file__).resolve().parents[1]
SEEDS = seed_folder() or Path(os.environ.get("NPKIT_SEEDS") or ROOT.parent / "shared" / "seeds")
ALLOWLIST = Path(__file__).with_name("paraphrase_allowlist.yaml")
RUN = 12  # words: no learner-visible text may share a run this long with a seed text

# (folder, pattern, how to read a file): each must match at least one file, but those in
# MAY_BE_EMPTY (the widget templates, which the view layer is adding).
LEARNER_TEXTS = (
    ("cases", "*.yaml", "text"),
    ("npkit", "**/data/**/*.yaml", "text"),
    ("tests/rules", "*.yaml", "text"),
    (".", "*.md", "text"),
    ("notebooks", "[0-9][0-9]_*.py", "text"),
    ("npkit", "**/*.py", "strings"),
    ("npkit", "**/templates/**/*.*", "text"),
    ("share/jupyter/voila/templates/npkit", "**/*.*", "text"),
    ("docs", "*.md", "text"),
)
MAY_BE_EMPTY = {("npkit", "**/templates/**/*.*")}


def words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def runs(text: str, n: int = RUN) -> set[str]:
    w = words(text)
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def string_literals(source: str) -> list[str]:
    """Every string constant of a Python file (widget labels, messages, HTML, docstrings);
    adjacent literals are one constant, so a sentence split over lines stays whole."""
    return [n.value for n in ast.walk(ast.parse(source))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


def learner_texts() -> dict[str, list[str]]:
    """Texts by file (relative to the checkout)."""
    out: dict[str, list[str]] = {}
    for folder, pattern, how in LEARNER_TEXTS:
        files = sorted(p for p in (ROOT / folder).glob(pattern) if p.is_file())
        assert files or (folder, pattern) in MAY_BE_EMPTY, \
            f"nothing matches {folder}/{pattern}: was it moved? Update LEARNER_TEXTS"
        for path in files:
            text = path.read_text(encoding="utf-8")
            out[path.relative_to(ROOT).as_posix()] = (
                string_literals(text) if how == "strings" else [text])
    return out


def copied_runs(texts: list[str], seed_runs: set[str]) -> set[str]:
    return set().union(*(runs(t) & seed_runs for t in texts)) if texts else set()


def allowed(path: str, run: str, entries: list[dict]) -> dict | None:
    """The entry that quotes ``run`` on purpose in ``path`` (an entry's ``file`` may be a list
    of paths: a citation is quoted in its data row and again in the generated rulebook)."""
    return next((e for e in entries
                 if path in ([e["file"]] if isinstance(e["file"], str) else e["file"])
                 and run in " ".join(words(e["text"]))), None)


def prose(seed: str) -> str:
    """A seed's text without its headings: npkit quotes a heading to pinpoint a section (the
    ASEAN study has no numbered sections), which is citing, not copying. A heading is a
    Markdown heading, a short line standing alone between blank lines, or the run-in label
    that opens a paragraph ("Label: text")."""
    out, lines = [], seed.splitlines()
    for i, line in enumerate(lines):
        alone = (not lines[i - 1].strip() if i else True) and (
            i + 1 == len(lines) or not lines[i + 1].strip())
        if line.lstrip().startswith("#") or (alone and len(line.split()) <= 12
                                             and not line.rstrip().endswith(".")):
            continue
        label = re.match(r"^[A-Z][^:.]{3,120}: ", line) if alone or not (
            i and lines[i - 1].strip()) else None
        out.append(line[label.end():] if label else line)
    return "\n".join(out)


@pytest.fixture(scope="module")
def seed_runs() -> set[str]:
    if not SEEDS.is_dir():
        skip_or_fail(f"the seed texts are not at {SEEDS} (a copy of shared/ beside the "
                     "checkout, or NPKIT_SEEDS): the paraphrase guard cannot run")
    texts = sorted(SEEDS.glob("*.txt"))
    assert texts, f"no seed text (*.txt) in {SEEDS}"
    return set().union(*(runs(prose(p.read_text(encoding="utf-8"))) for p in texts))


@pytest.fixture(scope="module")
def allowlist() -> list[dict]:
    entries = yaml.safe_load(ALLOWLIST.read_text(encoding="utf-8")) or []
    for e in entries:
        assert set(e) == {"file", "text", "why"} and e["why"].strip(), e
    return entries


def test_no_learner_text_copies_a_run_of_twelve_words_from_the_seeds(seed_runs, allowlist):
    copied, used = {}, set()
    for path, texts in learner_texts().items():
        for run in sorted(copied_runs(texts, seed_runs)):
            entry = allowed(path, run, allowlist)
            if entry is None:
                copied.setdefault(path, []).append(run)
            else:
                used.add(id(entry))
    assert not copied, ("copied from a seed text (paraphrase it and cite the section): "
                        f"{copied}")
    stale = [e for e in allowlist if id(e) not in used]
    assert not stale, f"allowlisted but no longer found (remove from {ALLOWLIST.name}): {stale}"


def test_the_guard_finds_a_copied_sentence_and_passes_a_paraphrase(seed_runs, tmp_path):
    # A sentence of the ASEAN study, and the same point in npkit's words.
    copied = ("Legislation in Cambodia, Singapore and Viet Nam do not contain explicit "
              "non-punishment provisions.")
    reworded = "Cambodian, Singaporean and Vietnamese law has no express non-punishment clause."
    source = tmp_path / "widget.py"
    source.write_text(f"LABEL = {copied!r}\nOTHER = {reworded!r}\n", encoding="utf-8")
    literals = string_literals(source.read_text(encoding="utf-8"))
    assert copied_runs(literals, seed_runs) == runs(copied) != set()
    assert not copied_runs([reworded], seed_runs)


def test_every_kind_of_teaching_text_is_scanned():
    scanned = set(learner_texts())
    for wanted in ("npkit/course/data/quiz/conceptual.yaml", "npkit/course/data/prompts.yaml",
                   "npkit/course/data/checklist.yaml", "npkit/course/data/generated.yaml",
                   "npkit/law/data/notes.yaml", "npkit/law/data/wording/victim.yaml",
                   "cases/jane.yaml", "notebooks/06_prosecutors_decision.py", "docs/rules.md",
                   "share/jupyter/voila/templates/npkit/page.html"):
        assert wanted in scanned, wanted
