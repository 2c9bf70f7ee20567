"""Kernels are forked from the fork server by default wherever npkit starts the course itself
(issue 16: ``npkit course``, ``python -m npkit.course.dashboard``, ``make dashboard``,
``make workshop-server``), and each way back to plain kernels removes the switch: the command
line, ``NPKIT_FORK_KERNELS=0``, ``FORK_KERNELS=0``. The start-up line says which way kernels
start. Binder's command stays plain: tests/deploy/test_binder_config.py."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from npkit.course import dashboard
from npkit.course.fork_provisioner import NAME, SWITCH

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from dashboard_support import course_app, workshop_server  # noqa: E402

pytest.importorskip("voila")


@pytest.fixture
def unset(monkeypatch):
    """No NPKIT_FORK_KERNELS in this test's environment: the default."""
    monkeypatch.delenv(dashboard.FORK_VARIABLE, raising=False)


@pytest.fixture
def course(tmp_path) -> Path:
    """A folder of one (empty) built module: enough for the command-line checks."""
    (tmp_path / "00_start_here.ipynb").write_text("{}", encoding="utf-8")
    return tmp_path


def started_with(monkeypatch, argv: list[str]) -> list[str]:
    """The Voila command line ``python -m npkit.course.dashboard ARGV`` would run."""
    ran = []
    monkeypatch.setattr(dashboard, "run_voila", lambda a: ran.append(list(a)) or 0)
    assert dashboard.main(argv) == 0
    return ran[0]


def test_the_default_command_line_forks_the_kernels(unset, tmp_path, monkeypatch):
    from jupyter_client.provisioning import KernelProvisionerFactory

    cmd = dashboard.voila_command(tmp_path)
    assert cmd.count(SWITCH) == 1
    app = course_app(monkeypatch, cmd)
    assert app.config.KernelProvisionerFactory.default_provisioner_name == NAME
    # a name Jupyter's factory finds (pyproject.toml's entry point), else no kernel starts
    assert NAME in KernelProvisionerFactory().get_provisioner_entries()


def test_the_course_command_forks_by_default_and_not_with_no_fork_kernels(
        unset, course, monkeypatch):
    assert SWITCH in started_with(monkeypatch, ["--notebooks", str(course)])
    assert SWITCH not in started_with(monkeypatch, ["--notebooks", str(course),
                                                    "--no-fork-kernels"])
    assert SWITCH in started_with(monkeypatch, ["--notebooks", str(course), "--fork-kernels"])


@pytest.mark.parametrize("value", ["0", "false", "no", "off", " 0 ", "False"])
def test_the_environment_variable_turns_forking_off(course, monkeypatch, value):
    monkeypatch.setenv(dashboard.FORK_VARIABLE, value)
    assert SWITCH not in dashboard.voila_command(course)
    assert SWITCH not in started_with(monkeypatch, ["--notebooks", str(course)])
    # the command line wins over the environment
    assert SWITCH in started_with(monkeypatch, ["--notebooks", str(course), "--fork-kernels"])


@pytest.mark.parametrize("value", ["1", "yes", "true", ""])
def test_the_environment_variable_may_say_yes(course, monkeypatch, value):
    monkeypatch.setenv(dashboard.FORK_VARIABLE, value)
    assert SWITCH in dashboard.voila_command(course)
    assert SWITCH not in dashboard.voila_command(course, fork_kernels=False)


def test_an_unknown_value_of_the_variable_is_a_clear_error(course, monkeypatch, capsys):
    monkeypatch.setenv(dashboard.FORK_VARIABLE, "maybe")
    with pytest.raises(ValueError, match="NPKIT_FORK_KERNELS=maybe"):
        dashboard.voila_command(course)
    monkeypatch.setattr(dashboard, "run_voila", lambda a: pytest.fail("Voila started"))
    assert dashboard.main(["--notebooks", str(course)]) == 2
    err = capsys.readouterr().err
    assert "NPKIT_FORK_KERNELS=maybe" in err and "Traceback" not in err


def test_the_workshop_server_forks_by_default_and_not_with_no_fork_kernels(unset, course):
    ws = workshop_server()
    assert SWITCH in ws.course_command(ws.parse_args([]), course)
    assert SWITCH not in ws.course_command(ws.parse_args(["--no-fork-kernels"]), course)


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
@pytest.mark.parametrize("target", ["dashboard", "workshop-server"])
def test_make_passes_fork_kernels_0_as_the_opt_out(target):
    def line(*assignments: str) -> str:
        out = subprocess.run(["make", "-n", "-W", "notebooks", target, *assignments],
                             cwd=ROOT, capture_output=True, text=True, check=True).stdout
        return next(x for x in out.replace("\\\n", " ").splitlines()
                    if "npkit.course.dashboard" in x or "workshop_server.py" in x)

    assert "--no-fork-kernels" in line("FORK_KERNELS=0")
    assert "--fork-kernels" in line("FORK_KERNELS=1").split()
    # unset: nothing passed, so the default (or NPKIT_FORK_KERNELS) decides
    assert "fork-kernels" not in line()


def test_the_start_up_line_says_how_kernels_start(monkeypatch):
    forked = dashboard.kernels_start_message(NAME)
    assert "forked" in forked and "--no-fork-kernels" in forked
    plain = dashboard.kernels_start_message("local-provisioner")
    assert "fresh Python" in plain and "forked" not in plain
    monkeypatch.setattr(sys, "platform", "darwin")  # the provisioner then falls back
    elsewhere = dashboard.kernels_start_message(NAME)
    assert "fresh Python" in elsewhere and "darwin" in elsewhere


def test_a_command_line_option_wins_over_the_variable(monkeypatch):
    # one rule for the course, the workshop server and the benchmarks (benchmarks.site,
    # benchmarks.kernel_cpu): an option if given, else the variable, else forked
    monkeypatch.setenv(dashboard.FORK_VARIABLE, "0")
    assert dashboard.forks_kernels(True) is True and dashboard.forks_kernels(None) is False
    monkeypatch.setenv(dashboard.FORK_VARIABLE, "maybe")
    assert dashboard.forks_kernels(False) is False
    with pytest.raises(ValueError, match="NPKIT_FORK_KERNELS=maybe"):
        dashboard.forks_kernels(None)
    monkeypatch.delenv(dashboard.FORK_VARIABLE)
    assert dashboard.forks_kernels(None) is True
