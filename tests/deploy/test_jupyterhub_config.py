"""deploy/jupyterhub agrees with itself, with Binder's set-up and with the smoke test.

No Kubernetes, Docker or JupyterHub here: these quick checks catch a drift between the parts
(values.yaml, the Dockerfile, install.sh, requirements.txt, README.md) that
tests/deploy/test_jupyterhub_smoke.py (`make jupyterhub-smoke`) would only meet much later, or
that only a cluster would show.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

from npkit.store.learners import ENV_URL

ROOT = Path(__file__).resolve().parents[2]
HUB = ROOT / "deploy" / "jupyterhub"
CHART_VERSION = "4.4.0"


def load(path: Path):
    name = f"_npkit_{path.stem}"  # registered: its dataclasses look their module up
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load((HUB / "values.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def smoke():
    return load(ROOT / "tests" / "deploy" / "test_jupyterhub_smoke.py")


def test_trainees_land_on_the_course_binder_configures(values, smoke):
    configure = load(ROOT / "binder" / "configure.py")
    assert values["singleuser"]["defaultUrl"] == f"/{configure.NAME}/"
    assert smoke.COURSE == configure.NAME
    assert 'c.Spawner.default_url = "/{course}/"' in smoke.CONFIG


def test_the_store_and_the_room_password_come_from_secrets(values):
    env = values["singleuser"]["extraEnv"]
    assert set(env) == {ENV_URL}
    assert env[ENV_URL]["valueFrom"]["secretKeyRef"] == {"name": "npkit-db", "key": "url"}
    room = values["hub"]["extraEnv"]["NPKIT_ROOM_PASSWORD"]["valueFrom"]["secretKeyRef"]
    assert room == {"name": "npkit-room", "key": "password"}
    assert 'os.environ["NPKIT_ROOM_PASSWORD"]' in \
        values["hub"]["extraConfig"]["npkit-room-password"]
    text = (HUB / "values.yaml").read_text(encoding="utf-8")
    assert "postgresql://" not in text and "user_password:" not in text  # no secret in the file
    readme = (HUB / "README.md").read_text(encoding="utf-8")
    assert "create secret generic npkit-db" in readme and "--from-literal=url=" in readme
    assert "create secret generic npkit-room" in readme and "--from-literal=password=" in readme


def test_the_smoke_test_logs_in_as_values_yaml_does(values, smoke):
    config = values["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] == "shared-password"
    assert config["SharedPasswordAuthenticator"] == {"allow_all": True}
    assert 'authenticator_class = "shared-password"' in smoke.CONFIG
    assert "c.SharedPasswordAuthenticator.allow_all = True" in smoke.CONFIG
    assert len(smoke.PASSWORD) >= 8  # the authenticator's minimum


def test_sizing_culling_and_storage(values):
    single = values["singleuser"]
    assert single["memory"] == {"guarantee": "400M", "limit": "1G"}
    assert single["cpu"] == {"guarantee": 0.1, "limit": 1}
    assert single["storage"] == {"type": "none"}
    assert single["startTimeout"] >= 180  # binder/configure.py's STARTUP_TIMEOUT for Voila
    egress = single["networkPolicy"]["egress"]
    assert egress[0]["ports"] == [{"port": 5432, "protocol": "TCP"}]
    assert values["cull"] == {"enabled": True, "timeout": 3600, "every": 600}


def test_the_image_installs_with_the_script_the_smoke_test_runs():
    dockerfile = (HUB / "Dockerfile").read_text(encoding="utf-8")
    runtime = (ROOT / "binder" / "runtime.txt").read_text().strip()  # python-3.11
    assert re.search(rf"^FROM python:{runtime.removeprefix('python-')}-slim", dockerfile, re.M)
    for source in re.findall(r"^COPY (?:--\S+ )*(.+?) \S+$", dockerfile, re.M):
        for part in source.split():
            assert (ROOT / part).exists(), f"COPY {part}: not in the repository"
    assert re.search(r"^RUN deploy/jupyterhub/install\.sh$", dockerfile, re.M)
    assert re.search(r"^USER 1000$", dockerfile, re.M)  # the chart's singleuser.uid
    assert 'CMD ["jupyterhub-singleuser"]' in dockerfile
    assert (HUB / "Dockerfile.dockerignore").is_file()
    install = HUB / "install.sh"
    assert os.access(install, os.X_OK)
    script = install.read_text(encoding="utf-8")
    for step in ('-r deploy/jupyterhub/requirements.txt -e ".[notebooks,postgres]"',
                 "python tools/build_notebooks.py", "python binder/configure.py"):
        assert step in script
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "deploy/jupyterhub/install.sh" in makefile


def test_versions_agree_across_the_files():
    requirements = (HUB / "requirements.txt").read_text(encoding="utf-8")
    assert re.search(r"^-r \.\./\.\./binder/requirements\.txt$", requirements, re.M)
    hub = re.search(r"^jupyterhub==(\d+)\.(\d+)\.(\d+)$", requirements, re.M)
    assert hub, "requirements.txt pins jupyterhub"
    readme = (HUB / "README.md").read_text(encoding="utf-8")
    values = (HUB / "values.yaml").read_text(encoding="utf-8")
    assert f"JupyterHub {hub[1]}.{hub[2]} in its hub pod" in readme
    assert f"| {hub[1]}.{hub[2]}.{hub[3]}:" in readme
    assert f"--version {CHART_VERSION}" in readme and f"--version {CHART_VERSION}" in values
    package = json.loads((ROOT / "tests" / "deploy" / "jupyterhub" / "package.json").read_text())
    chp = package["devDependencies"]["configurable-http-proxy"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", chp)  # exact, and locked in package-lock.json
    assert f"configurable-http-proxy {chp}" in readme
    lock = json.loads((ROOT / "tests" / "deploy" / "jupyterhub" / "package-lock.json").read_text())
    assert lock["packages"]["node_modules/configurable-http-proxy"]["version"] == chp
