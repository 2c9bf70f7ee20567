"""Notebooks present; they never decide. A notebook source may import, call and display, but
contains no branching or comparison, so no legal rule (or answer key) can hide in one."""

import ast
import sys
from pathlib import Path

import pytest
from ci_policy import skip_or_fail

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_notebooks  # noqa: E402

from npkit.course.training.modules import MODULES, WORKSHOP_PAGES  # noqa: E402

SOURCES = build_notebooks.sources()
DECIDING = (ast.If, ast.IfExp, ast.Compare, ast.BoolOp, ast.Match, ast.While)


def test_the_sources_are_the_eight_modules_then_the_workshop_pages():
    # Each in the catalogue's order (the landing page's and the pager's), none missing, no
    # source that the catalogue does not list.
    assert len(MODULES) == 8
    catalogue = [m.notebook for m in MODULES] + [p.notebook for p in WORKSHOP_PAGES]
    assert [p.with_suffix(".ipynb").name for p in SOURCES] == catalogue


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_notebook_makes_no_decisions(src):
    tree = ast.parse(src.read_text(encoding="utf-8"))
    found = [f"line {n.lineno}: {type(n).__name__}" for n in ast.walk(tree)
             if isinstance(n, DECIDING)]
    assert not found, f"{src.name} contains logic; move it into npkit: {found}"


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_a_source_builds_one_clean_notebook(src):
    nb = build_notebooks.build(src)
    # the same source builds the same file, so "current" below means something
    assert build_notebooks.text(build_notebooks.build(src)) == build_notebooks.text(nb)
    assert "widgets" not in nb.metadata
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.outputs:
            assert "# NBVAL_CHECK_OUTPUT" in cell.source


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_built_notebook_is_current(src):
    # The .ipynb files are built, not committed: a fresh clone has none until `make notebooks`
    # (every make target that uses them runs it first). nbval and Voila read the built file.
    out = src.with_suffix(".ipynb")
    if not out.exists() or out.read_text(encoding="utf-8") != \
            build_notebooks.text(build_notebooks.build(src)):
        skip_or_fail(f"notebooks/{out.name} is {'stale' if out.exists() else 'not built'}: "
                     "run make notebooks")


@pytest.mark.parametrize("decision", [
    "if x > 0:\n    print('protected')",
    "shown = 'protected' if x else 'punished'",
    "protected = x == 1",
    "protected = x and True",
    "while x:\n    x = 0",
    "match x:\n    case 1:\n        pass",
])
def test_a_decision_in_a_notebook_is_caught(tmp_path, decision):
    clean = tmp_path / "98_clean.py"
    clean.write_text("x = 1\nprint(x)\n", encoding="utf-8")
    test_notebook_makes_no_decisions(clean)  # the check itself, as it runs on every source
    bad = tmp_path / "99_bad.py"
    bad.write_text(f"x = 1\n{decision}\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="99_bad.py contains logic; move it into npkit"):
        test_notebook_makes_no_decisions(bad)
