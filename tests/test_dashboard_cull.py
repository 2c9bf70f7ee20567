"""``--cull-idle``: how long the kernel of a page that has gone (a laptop asleep, a tab closed
without saying so) stays before it is shut down, so a workshop day with a long lunch break can
keep it longer. And no learner page tells the learner to run ``make``. (The course's own page
for a bad address such as /voila/render/<module>/extra is tested in a browser test,
tests/browser/test_browser_connection.py, against a real server.)"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from dashboard_support import course_app, workshop_server

from npkit.course import dashboard

ROOT = Path(__file__).resolve().parents[1]
voila = pytest.importorskip("voila")


def flag(cmd: list[str], name: str) -> str:
    (value,) = [a.split("=", 1)[1] for a in cmd if a.startswith(f"--{name}=")]
    return value


@pytest.fixture
def built(tmp_path):
    (tmp_path / "00_start_here.ipynb").write_text("{}", encoding="utf-8")
    return tmp_path


def test_default_cull_is_thirty_minutes(tmp_path, monkeypatch):
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    cmd = dashboard.voila_command(tmp_path)
    assert not [a for a in cmd if a.startswith("--MappingKernelManager")]  # voila.json
    manager = AsyncMappingKernelManager(parent=course_app(monkeypatch, cmd))
    assert manager.cull_idle_timeout == 1800
    assert manager.cull_interval == 300
    assert manager.cull_connected is False


@pytest.mark.parametrize(("seconds", "interval"), [(7200, "300"), (120, "120"), (0, "60")])
def test_cull_idle_sets_the_timeout_and_a_fitting_interval(tmp_path, seconds, interval):
    cmd = dashboard.voila_command(tmp_path, cull_idle=seconds)
    assert flag(cmd, "MappingKernelManager.cull_idle_timeout") == str(seconds)
    assert flag(cmd, "MappingKernelManager.cull_interval") == interval


def test_voila_kernel_manager_reads_the_cull_setting(tmp_path, monkeypatch):
    """Voila's kernel manager (configured through its parent, the app) gets the value: the
    command line over voila.json."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    argv = dashboard.voila_command(tmp_path, cull_idle=7200)
    manager = AsyncMappingKernelManager(parent=course_app(monkeypatch, argv))
    assert manager.cull_idle_timeout == 7200
    assert manager.cull_interval == 300
    assert manager.cull_connected is False


def test_launcher_passes_cull_idle_to_voila(built, monkeypatch):
    seen = {}
    monkeypatch.setattr(dashboard, "run_voila", lambda argv: seen.setdefault("argv", argv) and 0)
    assert dashboard.main(["--notebooks", str(built), "--cull-idle", "7200"]) == 0
    assert flag(seen["argv"], "MappingKernelManager.cull_idle_timeout") == "7200"


@pytest.mark.parametrize("value", ["-1", "59", str(dashboard.MAX_CULL_IDLE_SECONDS + 1)])
def test_launcher_refuses_a_bad_cull_idle(built, capsys, value):
    assert dashboard.main(["--notebooks", str(built), "--cull-idle", value]) == 2
    assert f"--cull-idle {value}" in capsys.readouterr().err


def test_workshop_server_takes_cull_idle():
    ws = workshop_server()
    assert ws.parse_args(["--cull-idle", "7200"]).cull_idle == 7200
    assert ws.parse_args([]).cull_idle is None  # then the dashboard's default


# ---------------------------------------------------------------- learner-visible texts

LEARNER_TEXTS = [
    *(ROOT / "share" / "jupyter" / "voila" / "templates" / "npkit").rglob("*.htm*"),
    *(ROOT / "share" / "jupyter" / "voila" / "templates" / "npkit").rglob("*.j2"),
    *(ROOT / "share" / "jupyter" / "voila" / "templates" / "npkit" / "static").glob("*.js"),
    *(ROOT / "notebooks").glob("*.py"),
    *(ROOT / "npkit" / "course" / "widgets").glob("*.py"),
    *(ROOT / "npkit" / "course" / "training").glob("*.py"),
    ROOT / "npkit" / "course" / "binding.py",
]


def test_no_learner_page_tells_the_learner_to_run_make():
    targets = re.findall(r"^([a-z][a-z-]*):", (ROOT / "Makefile").read_text(), re.M)
    assert "notebooks" in targets and "dashboard" in targets
    command = re.compile(rf"\bmake ({'|'.join(map(re.escape, targets))})\b")
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
             for p in LEARNER_TEXTS
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if command.search(line)]
    assert found == []
    assert len(LEARNER_TEXTS) > 20  # the globs found the files

