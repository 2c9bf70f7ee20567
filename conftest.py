"""Loaded by every pytest run in this checkout, including one that collects only
notebooks/*.ipynb (tests/conftest.py holds the tests' own fixtures)."""

from __future__ import annotations

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A notebook's cells (nbval) share one kernel and must run in the notebook's order, but
    pytest-randomly shuffles every test that has no Python module, nbval's cells among them.
    This runs after the shuffle: each notebook's cells go back together, in order, where its
    first cell landed. The notebooks' own order, and every other test's, stay random."""
    cells: dict = {}
    for item in items:
        if item.path.suffix == ".ipynb":
            cells.setdefault(item.path, []).append(item)
    if not cells:
        return
    ordered: list[pytest.Item] = []
    for item in items:
        if item.path.suffix != ".ipynb":
            ordered.append(item)
        elif item.path in cells:
            ordered += sorted(cells.pop(item.path), key=lambda cell: getattr(cell, "cell_num", 0))
    items[:] = ordered
