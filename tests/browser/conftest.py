"""Fixtures for the browser tests: one Voila server per test session (with pytest-xdist, one per
worker) and one headless Chromium per test file, driven by Playwright for Python.

Chromium is Debian's (``/usr/bin/chromium``, installed by ``.ci/run``); Playwright's own browser
download is never used. Without Chromium or Playwright these tests skip on a laptop, but with
``CI=true`` they fail, so CI cannot pass without running them.

The server is ``npkit.course.dashboard.voila_command`` (what ``make dashboard`` runs) on a free
port, serving the notebooks ``tools/build_notebooks.py`` builds, with ``NPKIT_STORE`` in a temporary
file and ``NPKIT_CASES`` pointing at a copy of ``cases/`` plus one hostile case file.
"""

from __future__ import annotations

import os
import shutil
import sys

import pytest
from browser_support import (
    CHROMIUM_ARGS,
    ROOT,
    Site,
    free_port,
    hostile_cases,
    learner_code,
    make_known,
    open_context,
    start_server,
    stop_server,
    unavailable,
    wait_until_serving,
)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = shutil.which("chromium")
    if not path:
        unavailable("chromium is not installed (apt-get install -y chromium; see .ci/run)")
    return path


# Module scope, not session: Playwright's sync API runs its asyncio loop in a greenlet on the
# main thread, and while it is open asyncio.get_running_loop() returns that loop in every test,
# so a later test's asyncio.run() failed ("cannot be called from a running event loop").
# ("package" would not do: tests/browser is no package, so pytest would keep it to the end.)
# Each browser test file launches Chromium once (a second or two); the Voila server stays.
@pytest.fixture(scope="module")
def browser(chromium_path):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def site(tmp_path_factory, chromium_path):
    """One Voila server for the session (a child process, so it leaves nothing in this one),
    started once Chromium is known to be there."""
    from npkit.course.dashboard import voila_command

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_notebooks
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert build_notebooks.main([]) == 0, "tools/build_notebooks.py failed"

    tmp = tmp_path_factory.mktemp("dashboard")
    env = dict(os.environ, NPKIT_STORE=str(tmp / "learners.sqlite"),
               NPKIT_CASES=str(hostile_cases(tmp / "cases")), PYTHONUNBUFFERED="1")
    port = free_port()
    cmd = voila_command(build_notebooks.NOTEBOOKS, port=port)
    if not any(a.startswith("--Voila.port_retries") for a in cmd):
        # Exit rather than move to another port if the free port was taken in the meantime.
        cmd.append("--Voila.port_retries=0")
    log = tmp / "voila.log"
    process = start_server(cmd, env, log)
    s = Site(f"http://127.0.0.1:{port}", build_notebooks.NOTEBOOKS, tmp / "cases",
             tmp / "learners.sqlite", log, process)
    try:
        wait_until_serving(s)
        yield s
    finally:
        stop_server(process)


@pytest.fixture
def visit(browser):
    """``visit()`` opens a fresh context and page; all are closed after the test."""
    opened = []

    def make(**kw):
        v = open_context(browser, **kw)
        opened.append(v)
        return v

    yield make
    for v in opened:
        v.close()


@pytest.fixture
def learner(request) -> str:
    """A learner code of this test's own, known to the store of the server the test uses (the
    shared ``site``, or a server of the test's own that has a ``store``)."""
    code = learner_code(request.node.name)
    for name in request.fixturenames:
        server = request.getfixturevalue(name) if name in ("site", "restartable") else None
        if server is not None:
            make_known(server.store, code)
    return code


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed browser test carries the tail of its server's log (the shared ``site`` or a
    server of its own), so a failure on CI can be read without the machine it ran on."""
    report = yield
    if report.failed and call.when == "call":
        for name in ("site", "restartable"):
            server = item.funcargs.get(name) if hasattr(item, "funcargs") else None
            if server is not None and hasattr(server, "log_tail"):
                report.sections.append((f"{name} server log (last 60 lines)",
                                        server.log_tail(60)))
    return report
