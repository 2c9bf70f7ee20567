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
    # The browser test files that run longest (tests/browser, -n 2: dashboards 74 s, thai 54,
    # workshop 49, layout 47, connection 38, decide_first 37 of 427 s on 2026-12-06). Handed
    # out first, longest first, so that the short ones even the two workers out at the end.
    # Only the order: a file missing here still runs, after these.
    LONG_BROWSER_FILES = ("dashboards", "thai", "workshop", "layout", "connection",
                          "decide_first")

    class _BrowserFilesFirst(LoadScopeScheduling):
        """--dist loadscope (a file to a worker), with the browser test files handed out
        before any other: each runs for tens of seconds, so both workers share them, each
        with its own Voila server (tests/browser/conftest.py, ``site``: session scope, one a
        worker, a few seconds to start), and the short files of the other tests fill in
        behind. (All of tests/browser as one scope kept one worker busy with every browser
        test while the other ran out of work.)"""

        def _assign_work_unit(self, node) -> None:
            def rank(scope: str) -> int:
                name = scope.removeprefix("tests/browser/test_browser_").removesuffix(".py")
                return LONG_BROWSER_FILES.index(name) if name in LONG_BROWSER_FILES \
                    else len(LONG_BROWSER_FILES)

            browser = sorted((s for s in self.workqueue if s.startswith("tests/browser/")),
                             key=rank)
            for scope in reversed(browser):
                self.workqueue.move_to_end(scope, last=False)
            super()._assign_work_unit(node)

    def pytest_xdist_make_scheduler(config, log):
        if config.getvalue("dist") == "loadscope":
            return _BrowserFilesFirst(config, log)
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
