"""benchmarks/page_shapes.py builds the pages it says it builds: ``--models`` widget models in
one cell, then the extra code cells. Nothing is timed here."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the checkout, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks import page_shapes  # noqa: E402


def test_a_shape_page_holds_the_models_and_cells_it_is_named_for():
    from ipywidgets.widgets import widget as _widget

    nb = page_shapes.shape_notebook(40, extra_cells=3)
    assert [c.cell_type for c in nb.cells] == ["code"] * 4
    assert [c.source for c in nb.cells[1:]] == ["print('cell 2')", "print('cell 3')",
                                                "print('cell 4')"]
    before = set(_widget._instances)
    shown = []
    exec(nb.cells[0].source, {"display": shown.append})  # noqa: S102 - the page's own cell
    made = {m: w for m, w in _widget._instances.items() if m not in before}
    try:
        assert len(made) == 40
        (box,) = shown
        assert len(box.children) == 37
        assert len({id(c.layout) for c in box.children}) == 1
        assert len({id(c.style) for c in box.children}) == 1
    finally:
        for w in made.values():
            w.close()
    assert page_shapes.shape_name(40, 0) == "grid40.ipynb"
    assert page_shapes.shape_name(40, 3) == "grid40_c3.ipynb"
