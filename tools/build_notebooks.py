"""Build the training notebooks from their reviewable sources.

``notebooks/NN_name.py`` (jupytext percent format) is the only source committed; this writes
``notebooks/NN_name.ipynb`` for Voila, JupyterLab and nbval. No outputs or widget state are
stored, except in cells that state their expected output by hand with ``# expect:`` lines: the
build stores exactly those lines as the cell's output and marks the cell for nbval to check
(``# NBVAL_CHECK_OUTPUT``). The expectation is written from the sources, never produced by the
code it checks. Every checked cell is also tagged ``npkit-check``: the Voila template never
shows those outputs to learners (they are answer keys).

Each notebook's metadata also gets what the Voila template shows around it (page title, the
module's number and title, the previous and next modules), from npkit.training.modules.

    python tools/build_notebooks.py            # build every notebook
    python tools/build_notebooks.py --check    # exit 1 if any .ipynb is missing or stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
EXPECT = "# expect:"
CHECK = "# NBVAL_CHECK_OUTPUT"
CHECK_TAG = "npkit-check"


def sources(folder: Path = NOTEBOOKS) -> list[Path]:
    return sorted(p for p in folder.glob("[0-9][0-9]_*.py"))


def module_metadata(stem: str) -> dict:
    """``title`` (the page title) and ``npkit`` (number, title, minutes, previous and next
    module) for the notebook ``stem``; for a workshop page, which is no module, ``title`` and
    ``npkit_page`` (title, audience); nothing if the catalogue does not list it."""
    from npkit.training.modules import MODULES, WORKSHOP_PAGES

    by_notebook = {m.notebook: i for i, m in enumerate(MODULES)}
    i = by_notebook.get(f"{stem}.ipynb")
    page = next((p for p in WORKSHOP_PAGES if p.notebook == f"{stem}.ipynb"), None)
    if page is not None:
        return {"title": f"{page.title} · npkit",
                "npkit_page": {"kind": "workshop", "title": page.title,
                               "audience": page.audience}}
    if i is None:
        return {}

    def ref(j: int) -> dict | None:
        if not 0 <= j < len(MODULES):
            return None
        m = MODULES[j]
        return {"number": m.number, "title": m.title, "notebook": m.notebook}

    m = MODULES[i]
    return {
        "title": f"Module {m.number}: {m.title} · npkit",
        "npkit": {"number": m.number, "title": m.title, "minutes": m.minutes,
                  "count": len(MODULES), "prev": ref(i - 1), "next": ref(i + 1)},
    }


def build(src: Path) -> nbformat.NotebookNode:
    nb = jupytext.read(src)
    for i, cell in enumerate(nb.cells):
        cell.id = f"{src.stem[:2]}-{i:03d}"  # stable ids: the same source builds the same file
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        expected = [ln[len(EXPECT):].strip() for ln in lines if ln.startswith(EXPECT)]
        cell.execution_count = None
        cell.outputs = []
        if expected:
            if CHECK not in cell.source:
                cell.source = f"{CHECK}\n{cell.source}"
            cell.execution_count = 1  # nbval only compares cells that look run
            cell.outputs = [nbformat.v4.new_output(
                "stream", name="stdout", text="\n".join(expected) + "\n")]
        if CHECK in cell.source:
            tags = list(cell.metadata.get("tags", []))
            cell.metadata["tags"] = [*tags, CHECK_TAG] if CHECK_TAG not in tags else tags
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata.update(module_metadata(src.stem))
    nb.metadata.pop("jupytext", None)
    nb.metadata.pop("widgets", None)
    return nb


def text(nb: nbformat.NotebookNode) -> str:
    return nbformat.writes(nb) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a notebook is stale")
    parser.add_argument("--folder", type=Path, default=NOTEBOOKS)
    args = parser.parse_args(argv)
    stale = []
    for src in sources(args.folder):
        out = src.with_suffix(".ipynb")
        new = text(build(src))
        if out.exists() and out.read_text(encoding="utf-8") == new:
            continue
        if args.check:
            stale.append(out.name)
        else:
            out.write_text(new, encoding="utf-8")
            print(f"built {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    if stale:
        print("stale notebooks (run: make notebooks): " + ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
