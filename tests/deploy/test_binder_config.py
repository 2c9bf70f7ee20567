"""The Binder configuration (binder/) agrees with the launcher and with README.md's badges.

``make binder-check`` (tools/binder_check.py) builds the environment and runs it; these quick
checks catch a drift between the parts without building anything.
"""

from __future__ import annotations

import importlib.util
import os
import re
import sys
import tomllib
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from npkit.course.dashboard import NOTEBOOKS, voila_command

ROOT = Path(__file__).resolve().parents[2]
BINDER = ROOT / "binder"
BADGE = re.compile(r"\]\((https://mybinder\.org/v2/gh/[^)\s]+)\)")


def load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def configure():
    return load(BINDER / "configure.py")


@pytest.fixture(scope="module")
def check():
    # binder_check imports kernel_probe from beside it, as it does when run as a script.
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        return load(ROOT / "tools" / "binder_check.py")
    finally:
        sys.path.remove(str(ROOT / "tools"))


def test_the_proxy_runs_the_launchers_command(configure):
    """Filled in by jupyter-server-proxy (str.format), the command is exactly
    voila_command(preheat=False, fork_kernels=False) under the proxy's prefix: braces in it
    survive."""
    template = configure.proxy_command()
    assert template.count("--port={port}") == 1
    filled = [arg.format(port=4321, base_url="/user/someone/") for arg in template]
    assert filled == [*voila_command(NOTEBOOKS, port=4321, preheat=False, fork_kernels=False),
                      "--Voila.base_url=/user/someone/npkit/"]


@pytest.mark.parametrize("variable", [None, "1"])
def test_binder_kernels_are_plain_whatever_the_build_environment_says(
        configure, monkeypatch, variable):
    """Binder and JupyterHub (which uses this file) serve one person each: no fork server
    there (docs/deploy.md), though it is the default where npkit starts the course, and
    NPKIT_FORK_KERNELS where postBuild runs does not change that."""
    from npkit.course.dashboard import FORK_VARIABLE
    from npkit.course.fork_provisioner import NAME

    if variable is None:
        monkeypatch.delenv(FORK_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(FORK_VARIABLE, variable)
    assert not [a for a in configure.proxy_command() if NAME in a or "Provisioner" in a]


def test_the_proxy_entry_is_added_to_an_existing_config(configure):
    existing = {"ServerApp": {"root_dir": "/srv"},
                "ServerProxy": {"servers": {"other": {"command": ["x"]}}}}
    merged = configure.server_config(existing)
    assert merged["ServerApp"] == {"root_dir": "/srv"}
    assert set(merged["ServerProxy"]["servers"]) == {"other", configure.NAME}
    entry = merged["ServerProxy"]["servers"][configure.NAME]
    assert entry["absolute_url"] is True and entry["timeout"] >= 60


def test_binder_files_are_what_repo2docker_expects():
    assert os.access(BINDER / "postBuild", os.X_OK), "repo2docker runs postBuild directly"
    assert (BINDER / "postBuild").read_text().startswith("#!/usr/bin/env bash")
    requires = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    runtime = (BINDER / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime)
    assert requires == ">=3.11" and int(runtime.split(".")[1]) >= 11
    requirements = (BINDER / "requirements.txt").read_text()
    assert re.search(r"^jupyter-server-proxy\b", requirements, re.M)


def test_readme_badges_open_what_binder_check_proves(check):
    badges = BADGE.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    paths = [unquote(parse_qs(urlsplit(b).query)["urlpath"][0]) for b in badges]
    assert paths == [check.COURSE_PATH, check.LAB_PATH]
    assert all(urlsplit(b).path == "/v2/gh/npkit/npkit/HEAD" for b in badges)
    assert (ROOT / "notebooks" / check.LAB_PATH.removeprefix("lab/tree/notebooks/")) \
        .with_suffix(".py").is_file()


def test_a_failed_lane_reports_the_kernels_error_cut_from_its_tail(check):
    """A kernel that dies prints its error long before nbclient's traceback ends the lane's
    stderr; the failure message keeps it (a CI run's message had lost it)."""
    kernel = "zmq.error.ZMQError: Address already in use (addr='tcp://127.0.0.1:41234')"
    stderr = "\n".join(["[NbConvertApp] Converting notebook 01.ipynb", kernel,
                        *(f'  File "nbclient/client.py", line {n}' for n in range(400)),
                        "RuntimeError: Kernel died before replying to kernel_info"])
    message = check.cause_and_tail(stderr)
    assert kernel in message
    assert message.endswith("RuntimeError: Kernel died before replying to kernel_info")
    assert "Converting notebook" not in message and len(message) < len(stderr)
    assert check.cause_and_tail("short") == "short"
