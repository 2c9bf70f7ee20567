"""Notebooks present; they never decide. A notebook source may import, call and display, but
contains no branching or comparison, so no legal rule (or answer key) can hide in one."""

import ast
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_notebooks  # noqa: E402

SOURCES = build_notebooks.sources()
DECIDING = (ast.If, ast.IfExp, ast.Compare, ast.BoolOp, ast.Match, ast.While)


def test_there_are_eight_modules():
    names = [p.stem[:2] for p in SOURCES]
    assert names == [f"{i:02d}" for i in range(len(names))]
    assert len(SOURCES) >= 1


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_notebook_makes_no_decisions(src):
    tree = ast.parse(src.read_text(encoding="utf-8"))
    found = [f"line {n.lineno}: {type(n).__name__}" for n in ast.walk(tree)
             if isinstance(n, DECIDING)]
    assert not found, f"{src.name} contains logic; move it into npkit: {found}"


@pytest.mark.parametrize("src", SOURCES, ids=lambda p: p.stem)
def test_built_notebook_is_current_and_clean(src):
    nb = build_notebooks.build(src)
    out = src.with_suffix(".ipynb")
    assert out.exists() and out.read_text(encoding="utf-8") == build_notebooks.text(nb), \
        "run: make notebooks"
    assert "widgets" not in nb.metadata
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.outputs:
            assert "# NBVAL_CHECK_OUTPUT" in cell.source


def test_a_decision_in_a_notebook_is_caught(tmp_path):
    bad = tmp_path / "99_bad.py"
    bad.write_text("x = 1\nif x > 0:\n    print('protected')\n")
    tree = ast.parse(bad.read_text())
    assert any(isinstance(n, DECIDING) for n in ast.walk(tree))
