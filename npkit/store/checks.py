"""The checks of what a page gives the store that need no database: a page that keeps no
learner's answers (no learner in its link) checks its module number without importing the
store and SQLite (issue 16)."""

from __future__ import annotations

MAX_MODULE = 999


def check_module(module: object) -> int:
    if isinstance(module, bool) or not isinstance(module, int) or not 0 <= module <= MAX_MODULE:
        raise ValueError(f"a module is a whole number from 0 to {MAX_MODULE}")
    return module
