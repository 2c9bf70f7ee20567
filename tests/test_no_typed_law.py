"""No legal sentence is typed in a widget (issue 13): widgets and pages read the engine's
decisive reasons, the registry's labels and citations, the notes (npkit/law/data/notes.yaml),
the wording catalogue (npkit/law/data/wording/), the parameters and the course content
(npkit/course/data/), where every statement of law sits beside its citation and the citation
checks reach it.

The scan fails on a citation-like literal (a source and year, a section pinpoint such as V.A or
IV.C, a statute's article or section, a judgment, an instrument's name) in what a page shows:
the string literals of a widget module, of the rest of the course layer and of the notebooks'
code (docstrings and comments are for developers and are left out), and the text of the widget
templates and the Voila templates (Jinja2 comments left out). Notebook Markdown is course prose
that cites in place and is checked by the paraphrase guard; it is not scanned here.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from npkit.course.training.modules import MODULES

ROOT = Path(__file__).resolve().parents[1]

CITATION_LIKE = re.compile(r"""
      Fitzgerald(?:'s)?,?\s+\(?20\d\d            # a source and its year
    | ALSA\s*20\d\d
    | ASEAN\s+NPP
    | \b(?:I|II|III|IV|V|VI)\.[A-F](?:\.\d+)?\b  # a section pinpoint: V.A, IV.C, IV.B.2
    | \barts?\.?\s+\d                            # a treaty's or statute's article
    | (?<![\w'’])ss?\s\d+                        # a section: s 41, ss 6/1
    | \bR\s+v\s                                  # a judgment: R v LM
    | \sv\s+(?:Public\s+Prosecutor|PP|UK)\b
    | Rome\s+Statute | \bACTIP\b | Palermo | Penal\s+Code | \bRA\s+\d | \bB\.E\.\s*\d
    | \bMehak\b | \bOngwen\b
    | [Rr]ecommendations?\s+\d                   # the ASEAN study's numbered recommendations
""", re.VERBOSE)

# What a page shows: (glob, kind). Every pattern must match at least one file.
SCANNED = (
    ("npkit/course/widgets/*.py", "python"),
    ("npkit/course/*.py", "python"),
    ("npkit/course/training/modules.py", "python"),
    ("notebooks/[0-9][0-9]_*.py", "python"),
    ("npkit/course/widgets/templates/**/*.j2", "jinja"),
    ("share/jupyter/voila/templates/npkit/*.html", "jinja"),
)


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                found.add(id(body[0].value))
    return found


def shown_text(source: str, kind: str) -> list[tuple[int, str]]:
    """(line, text) of what ``source`` can show on a page: a Python file's string literals but
    its docstrings, a template's text but its ``{# comments #}``."""
    if kind == "python":
        tree = ast.parse(source)
        docs = _docstrings(tree)
        return [(n.lineno, n.value) for n in ast.walk(tree)
                if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs]
    kept = re.sub(r"\{#.*?#\}", lambda m: "\n" * m.group(0).count("\n"), source, flags=re.S)
    return list(enumerate(kept.splitlines(), 1))


def typed_law(source: str, kind: str) -> list[tuple[int, str]]:
    """(line, literal) for each citation-like literal in what ``source`` shows."""
    return [(line, m.group(0)) for line, text in shown_text(source, kind)
            for m in CITATION_LIKE.finditer(text)]


def scanned_files() -> list[tuple[Path, str]]:
    out = []
    for pattern, kind in SCANNED:
        files = sorted(p for p in ROOT.glob(pattern) if p.is_file())
        assert files, f"nothing matches {pattern}: was it moved? Update SCANNED"
        out += [(p, kind) for p in files]
    return out


@pytest.mark.parametrize(("path", "kind"), scanned_files(), ids=lambda x: (
    x.relative_to(ROOT).as_posix() if isinstance(x, Path) else ""))
def test_no_page_types_a_citation(path, kind):
    found = typed_law(path.read_text(encoding="utf-8"), kind)
    assert not found, (
        f"{path.relative_to(ROOT)} types law or a citation {found}: show a reason's or a note's "
        "text with its source (npkit/law/data/notes.yaml, npkit/law/data/wording/), a registry "
        "label, or course content from npkit/course/data/ instead")


# --- the scan can fail, and leaves plain words alone -------------------------------------------

@pytest.mark.parametrize(("snippet", "kind", "literal"), [
    ("<p class='npk-source'>Conditions: Fitzgerald 2024, V.A.</p>", "jinja", "Fitzgerald 2024"),
    ("<th>Duress, for contrast ({{ x }}; V)</th><caption>(IV.C)</caption>", "jinja", "IV.C"),
    ("<p>Verify: the ASEAN NPP study reports it.</p>", "jinja", "ASEAN NPP"),
    ("<p>Thailand's s 41 list</p>", "jinja", "s 41"),
    ("<p>ACTIP obliges states to consider it.</p>", "jinja", "ACTIP"),
    ("<p>Under R v LM the threat must be imminent.</p>", "jinja", "R v "),
    ('label = "the Rome Statute, the international analogue"', "python", "Rome Statute"),
    ('note = f"{name}: art 14(7) asks states to consider it"', "python", "art 1"),
    ('MODEL = " + acts done on the order (RA 9208)"', "python", "RA 9"),
    ('x = ui.value("t.html.j2", text="Fitzgerald (2024) says so")', "python",
     "Fitzgerald (2024"),
    ('caption = "Recommendations 11-12 of the study"', "python", "Recommendations 1"),
])
def test_the_scan_finds_typed_law(snippet, kind, literal):
    found = typed_law(snippet, kind)
    assert found and found[0][0] == 1
    assert found[0][1].startswith(literal), found


@pytest.mark.parametrize(("snippet", "kind"), [
    ("{#- The matrix for Fitzgerald 2024 IV.C's categories. -#}\n<p>{{ n.text }}</p>", "jinja"),
    ("<p>{{ summary.text }} <span class='npk-source'>({{ summary.source }})</span></p>",
     "jinja"),
    ("<p>Jane's 2 charges; Passage 3 of 5; parts 1-3; It is Sarah's turn.</p>", "jinja"),
    ('"""Module 2 (Fitzgerald 2024 V.A): the duress checklist."""\nx = 1', "python"),
    ('x = note("duress.for_contrast")  # Fitzgerald 2024, V', "python"),
    ('x = "Compare with Fitzgerald"', "python"),
])
def test_the_scan_leaves_data_lookups_comments_and_plain_words_alone(snippet, kind):
    assert typed_law(snippet, kind) == []


# --- course content that names law cites it ----------------------------------------------------

NAMES_A_SOURCE = re.compile(r"Fitzgerald|ASEAN (?:NPP )?study|ALSA|Malaysian test")


def test_every_objective_that_names_law_cites_it():
    checked = 0
    for m in MODULES:
        for o in m.objectives:
            if CITATION_LIKE.search(o.text) or NAMES_A_SOURCE.search(o.text):
                checked += 1
                assert o.cite, f"module {m.number}: {o.text!r} names law but cites nothing"
    assert checked >= 3  # R v LM and the Rome Statute, the ASEAN study, the Malaysian test
