"""Build the training notebooks from their reviewable sources.

``NN_name.py`` (jupytext percent format) is the only source kept; this makes ``NN_name.ipynb``
for Voila, JupyterLab and nbval. No outputs or widget state are stored, except in cells that
state their expected output by hand with ``# expect:`` lines: the build stores exactly those
lines as the cell's output and marks the cell for nbval to check (``# NBVAL_CHECK_OUTPUT``).
The expectation is written from the sources, never produced by the code it checks. Every
checked cell is also tagged ``npkit-check``: the Voila template never shows those outputs to
learners (they are answer keys).

Each notebook's metadata also gets what the Voila template shows around it (page title, the
module's number and title, the previous and next modules), from npkit.course.training.modules.

One implementation for every caller: ``make notebooks`` (tools/build_notebooks.py, into the
checkout's notebooks/) and ``npkit course`` (npkit/course/launch.py, into the user's cache). It
needs jupytext, from the notebooks extra; it is imported only when a notebook is built.
"""

from __future__ import annotations

from pathlib import Path

EXPECT = "# expect:"
CHECK = "# NBVAL_CHECK_OUTPUT"
CHECK_TAG = "npkit-check"


def sources(folder: Path) -> list[Path]:
    """The module sources in ``folder``: ``NN_name.py``, in order."""
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.py"))


def module_metadata(stem: str) -> dict:
    """``title`` (the page title) and ``npkit`` (number, title, minutes, previous and next
    module, and ``steps`` for a module shown one step at a time) for the notebook ``stem``; for
    a workshop page, which is no module, ``title`` and ``npkit_page`` (title, audience);
    nothing if the catalogue does not list it."""
    from npkit.course.training.modules import MODULES, WORKSHOP_PAGES

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
    shown = {"number": m.number, "title": m.title, "minutes": m.minutes,
             "count": len(MODULES), "prev": ref(i - 1), "next": ref(i + 1)}
    if m.steps:
        shown["steps"] = True  # one step at a time under Voila (npkit-steps.js)
    return {"title": f"Module {m.number}: {m.title} · npkit", "npkit": shown}


def build(src: Path):
    """The notebook (an ``nbformat.NotebookNode``) built from the source ``src``."""
    import jupytext
    import nbformat

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


def text(nb) -> str:
    """The file text of a built notebook."""
    import nbformat

    return nbformat.writes(nb) + "\n"


def build_all(folder: Path, out: Path | None = None, *, check: bool = False) -> list[Path]:
    """Build every module source in ``folder`` into ``out`` (default: beside its source),
    writing only the notebooks that are missing or differ. Returns those notebooks; with
    ``check`` nothing is written (they are the stale ones)."""
    out = Path(out or folder)
    changed = []
    for src in sources(folder):
        target = out / f"{src.stem}.ipynb"
        new = text(build(src))
        if target.exists() and target.read_text(encoding="utf-8") == new:
            continue
        changed.append(target)
        if not check:
            out.mkdir(parents=True, exist_ok=True)
            target.write_text(new, encoding="utf-8")
    return changed

