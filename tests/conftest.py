"""Fixtures shared by every test: ``db_url`` runs a store test once on SQLite and once on a
throwaway PostgreSQL (``pg_server``, see tests/pg_server.py).

Without PostgreSQL the postgresql cases skip on a laptop, but with ``CI=true`` they fail, so CI
cannot pass without running them (the browser tests' policy; .ci/run installs PostgreSQL).
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
from hypothesis import settings
from pg_server import available, start_postgres

# Hypothesis's per-example deadline is a timing test, and timing belongs in benchmarks/: on a
# loaded 2-core CI machine it fails correct code.
settings.register_profile("npkit", deadline=None)
settings.load_profile("npkit")


BROWSER_TESTS = Path(__file__).resolve().parent / "browser"


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Tests pass in any order: a test outside tests/browser must not find an asyncio loop
    still running from an earlier one. Said here, at the start of the next test, rather than
    as a puzzling "asyncio.run() cannot be called from a running event loop" inside it.
    (Playwright's sync API keeps one running while tests/browser's ``browser`` is open.)"""
    if BROWSER_TESTS in item.path.parents:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    pytest.fail(f"an earlier test left an asyncio loop running ({loop!r}): it must close "
                "what it opened", pytrace=False)


def unavailable(reason: str):
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI=true but the PostgreSQL tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


try:
    from xdist.scheduler import LoadScopeScheduling
except ImportError:  # no pytest-xdist: no scheduling to adjust
    pass
else:
    class _BrowserTestsOneScope(LoadScopeScheduling):
        """--dist loadscope, with every test in tests/browser in one scope: all the browser
        test files then run on one worker and share its one Voila server and Chromium
        (tests/browser/conftest.py), instead of each worker starting its own."""

        def _split_scope(self, nodeid: str) -> str:
            if nodeid.startswith("tests/browser/"):
                return "tests/browser"
            return super()._split_scope(nodeid)

    def pytest_xdist_make_scheduler(config, log):
        if config.getvalue("dist") == "loadscope":
            return _BrowserTestsOneScope(config, log)
        return None


@pytest.fixture(scope="session")
def pg_server():
    """One server per pytest process, i.e. one per xdist worker; each test gets a database of
    its own from ``new_database()``, so tests never see each other's rows."""
    reason = available()
    if reason:
        unavailable(reason)
    server = start_postgres()
    yield server
    server.stop()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> str:
    """Where a store test keeps its data: a SQLite file path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    # Looked up here, not requested in the signature, so a run with only sqlite cases (or
    # -m "not postgres") never starts a server.
    return request.getfixturevalue("pg_server").new_database()


@pytest.fixture
def cached_case_folder(tmp_path, monkeypatch):
    """A copy of the good fixture cases, and an empty shared-cache folder of its own
    (tests/test_case_cache.py, tests/test_lab_start_shared.py)."""
    import shutil

    from npkit.casefile import cache as case_cache
    from npkit.casefile import library as lib

    cases = tmp_path / "cases"
    shutil.copytree(Path(__file__).parent / "fixtures" / "cases", cases)
    monkeypatch.setenv(case_cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    lib._load.cache_clear()  # the in-process cache would hide the shared one
    yield cases
    lib._load.cache_clear()
