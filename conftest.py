"""Loaded by every pytest run in this checkout, including one that collects only
notebooks/*.ipynb (tests/conftest.py holds the tests' own fixtures)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    """nbval's kernels (make unit: every notebook, beside the other worker's tests) over Unix
    sockets, as every kernel the tests start (tests/kernel_support.py says why). nbval makes
    its manager from the name ``KernelManager`` in its module, on no configuration of ours."""
    if not config.pluginmanager.hasplugin("nbval"):
        return
    import nbval.kernel

    nbval.kernel.KernelManager = _kernel_support().IpcKernelManager


def _kernel_support():
    """tests/kernel_support.py, as the tests import it, also when only notebooks are collected
    (tests/ is then not on sys.path)."""
    if "kernel_support" not in sys.modules:
        path = Path(__file__).resolve().parent / "tests" / "kernel_support.py"
        spec = importlib.util.spec_from_file_location("kernel_support", path)
        module = importlib.util.module_from_spec(spec)
        sys.modules["kernel_support"] = module
        spec.loader.exec_module(module)
    return sys.modules["kernel_support"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A notebook's cells (nbval) share one kernel and must run in the notebook's order, but
    pytest-randomly shuffles every test that has no Python module, nbval's cells among them.
    This runs after the shuffle: each notebook's cells go back together, in order, where its
    first cell landed. The notebooks' own order, and every other test's, stay random."""
    if os.environ.get("PYTEST_XDIST_WORKER"):
        _long_files_first(items)
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


def _long_files_first(items: list[pytest.Item]) -> None:
    """With two workers (make unit: --dist loadscope, a file to a worker, taken in this order)
    the files that run for minutes (a browser, a server, a wheel built) go first, so the short
    ones fill in at the end, where a long file last would keep one worker busy while the other
    waits. Each group keeps the random order pytest-randomly gave it; every worker collects the
    same order (one seed), as xdist requires."""
    def long(item: pytest.Item) -> bool:
        parts = item.path.parts
        return ("browser" in parts or "deploy" in parts or item.get_closest_marker("wheel")
                is not None)

    items[:] = [i for i in items if long(i)] + [i for i in items if not long(i)]
