"""The case library the training modules and dashboards read: every valid case, plus a
readable error for every broken file (a broken file never hides the others)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from npkit.casefile.loader import LoadResult, load_cases
from npkit.paths import shipped_cases


def cases_dir() -> Path:
    """Where the case files are: ``$NPKIT_CASES``, else the cases that come with npkit
    (``cases/`` in a source checkout, the copy inside an installed wheel)."""
    env = os.environ.get("NPKIT_CASES")
    if env:
        return Path(env)
    return shipped_cases()


@lru_cache(maxsize=8)
def _load(path: str, stamp: tuple) -> LoadResult:
    return load_cases(path)


def library(path: str | Path | None = None) -> LoadResult:
    """All cases in ``path`` (default: :func:`cases_dir`). Cached until a file changes."""
    root = Path(path) if path else cases_dir()
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in root.glob("*.y*ml"))) \
        if root.is_dir() else ()
    return _load(str(root), stamp)


def get_case(case_id: str, path: str | Path | None = None):
    for case in library(path).cases:
        if case.id == case_id:
            return case
    raise KeyError(f"no case {case_id!r} in {path or cases_dir()}")
