"""The wheel runs the course: built from this checkout, installed in fresh virtual environments
outside it, used from a folder outside it.

- A core install (``pip install npkit``) has no ipywidgets, assesses a case it ships, keeps
  answers in the user's data folder, and ``npkit course`` says to install the notebooks extra.
- With the notebooks extra, ``npkit course`` builds the modules into the user's cache and serves
  the landing page and a module.

Installing the notebooks extra means about a hundred packages. They are downloaded once into
build/wheel-test/ (for a given pyproject.toml and Python) and installed from there, with the
test's own pip (``pip --python``), compiling no bytecode ahead (Python writes what it imports):
pip's download cache cannot be counted on (it may be off), and each install then takes
seconds, not a minute or two. Each environment
gets its own XDG folders, so nothing is written to the user's own.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WHEEL_TEST = ROOT / "build" / "wheel-test"
SERVER_START_TIMEOUT = 300  # s; a bound on waiting, never a pass/fail figure
PAGE_TIMEOUT = 300  # s for a module page: a kernel starts and runs every cell
INSTALL = ("--no-index", "--no-compile", "--disable-pip-version-check", "--quiet")

pytestmark = pytest.mark.wheel


def run(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], capture_output=True, text=True,
                          timeout=kw.pop("timeout", 600), **kw)
    return proc


def checked(cmd: list[str], **kw) -> subprocess.CompletedProcess:
    proc = run(cmd, **kw)
    assert proc.returncode == 0, f"{cmd}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


# --------------------------------------------------------------------------- environments


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    checked([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", out, ROOT])
    (found,) = out.glob("npkit-*.whl")
    return found


@pytest.fixture(scope="module")
def wheelhouse(wheel, tmp_path_factory) -> Path:
    """Every distribution npkit[notebooks] needs, downloaded once per pyproject.toml."""
    key = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()
                         + sys.version.encode()).hexdigest()[:16]
    house = WHEEL_TEST / f"wheelhouse-{key}"
    if not house.is_dir():
        for old in WHEEL_TEST.glob("wheelhouse-*"):  # other pyproject.toml, or cut short
            shutil.rmtree(old, ignore_errors=True)
        partial = Path(f"{house}.partial")
        checked([sys.executable, "-m", "pip", "download", "--quiet",
                 "--disable-pip-version-check", "-d", partial, f"{wheel}[notebooks]"])
        for own in partial.glob("npkit-*.whl"):
            own.unlink()  # always installed from the wheel just built
        partial.rename(house)
    return house


class Env:
    """A fresh virtual environment with the wheel installed, and a home of its own."""

    def __init__(self, base: Path, wheel: Path, house: Path, extra: str = "") -> None:
        self.base = base
        self.venv = base / "venv"
        checked([sys.executable, "-m", "venv", "--without-pip", self.venv])
        self.python = self.venv / "bin" / "python"
        checked([sys.executable, "-m", "pip", "--python", self.python, "install", *INSTALL,
                 "--find-links", house, f"{wheel}{extra}"])
        self.data = base / "xdg-data"
        self.cache = base / "xdg-cache"
        self.work = base / "elsewhere"  # the working directory: no cases/ or notebooks/ here
        self.work.mkdir()
        (base / "home").mkdir()
        keep = {"LANG", "LC_ALL", "TMPDIR", "TZ", "SYSTEMROOT"}
        self.env = {k: v for k, v in os.environ.items() if k in keep}
        self.env.update(
            PATH=f"{self.venv / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
            HOME=str(base / "home"), XDG_DATA_HOME=str(self.data),
            XDG_CACHE_HOME=str(self.cache), XDG_CONFIG_HOME=str(base / "xdg-config"),
            PYTHONUNBUFFERED="1")

    def run(self, *args: object, **kw) -> subprocess.CompletedProcess:
        return run([*args], cwd=self.work, env=self.env, **kw)

    def npkit(self, *args: object, **kw) -> subprocess.CompletedProcess:
        return self.run(self.venv / "bin" / "npkit", *args, **kw)

    def python_says(self, code: str) -> str:
        proc = self.run(self.python, "-c", code)
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip()


@pytest.fixture(scope="module")
def core(wheel, wheelhouse, tmp_path_factory) -> Env:
    return Env(tmp_path_factory.mktemp("core"), wheel, wheelhouse)


@pytest.fixture(scope="module")
def full(wheel, wheelhouse, tmp_path_factory) -> Env:
    return Env(tmp_path_factory.mktemp("full"), wheel, wheelhouse, "[notebooks]")


# --------------------------------------------------------------------------- the wheel


def test_the_wheel_ships_every_case_every_notebook_source_and_the_template(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert sorted(n.split("/")[-1] for n in names if n.startswith("npkit/_cases/")) \
        == sorted(p.name for p in (ROOT / "cases").glob("*.yaml"))
    assert {n.split("/")[-1] for n in names if n.startswith("npkit/_notebooks/")
            and n.endswith(".py")} == {p.name for p in (ROOT / "notebooks").glob("[0-9]*.py")}
    assert not [n for n in names if n.endswith(".ipynb")]  # built per user, never shipped
    template = ROOT / "share" / "jupyter" / "voila" / "templates" / "npkit"
    assert {n.split("/templates/npkit/")[-1] for n in names if "/templates/npkit/" in n} \
        == {str(p.relative_to(template)) for p in template.rglob("*") if p.is_file()}
    # Voila's settings for the course, and the widgets' templates, ship inside the package
    assert "npkit/course/voila_config/voila.json" in names
    assert "npkit/course/widgets/templates/scenario_lab/why.html.j2" in names


# --------------------------------------------------------------------------- a core install


def shipped_cases(env: Env) -> Path:
    found = Path(env.python_says("import npkit.casefile.library as l; print(l.cases_dir())"))
    assert found.is_relative_to(env.venv), f"cases read from {found}, not from the install"
    return found


def test_a_core_install_assesses_a_shipped_case_from_outside_the_checkout(core):
    cases = shipped_cases(core)
    n_cases = len(list((ROOT / "cases").glob("*.yaml")))
    validated = core.npkit("validate", cases)
    assert validated.returncode == 0, validated.stdout + validated.stderr
    assert f"validated {n_cases} files: {n_cases} ok, 0 with errors" in validated.stdout

    jane = yaml.safe_load((ROOT / "cases" / "jane.yaml").read_text(encoding="utf-8"))
    assessed = core.npkit("assess", cases / "jane.yaml", "--format", "json")
    assert assessed.returncode == 0, assessed.stderr
    report = json.loads(assessed.stdout)
    concluded = jane["expected"]["source"]["outcomes"]  # what Fitzgerald concludes for Jane
    assert report["victim"]["outcome"] == concluded["victim.outcome"]
    assert report["duress"]["england_wales"]["outcome"] \
        == concluded["duress.england_wales.outcome"]

    matrix = core.npkit("matrix", cases, "--format", "csv")
    assert matrix.returncode == 0, matrix.stderr
    assert len(matrix.stdout.strip().splitlines()) > n_cases  # a header, then the cases
    schema = core.npkit("schema")
    assert schema.returncode == 0 and "properties" in json.loads(schema.stdout)


def test_a_core_install_has_no_ipywidgets_and_npkit_course_says_what_to_install(core):
    found = core.python_says("import importlib.util as u; "
                             "print([m for m in ('ipywidgets', 'voila', 'jupytext', 'IPython') "
                             "if u.find_spec(m)])")
    assert found == "[]"
    core.python_says("import npkit.course.binding, npkit.course.launch, npkit.course.dashboard, "
                     "npkit.store.learners")
    course = core.npkit("course", "--port", free_port())
    assert course.returncode == 2
    assert "pip install 'npkit[notebooks]'" in course.stderr
    assert "Traceback" not in course.stderr + course.stdout


def test_a_core_install_keeps_answers_in_the_user_data_folder(core):
    where = core.python_says(
        "from npkit.store.learners import Store\n"
        "with Store.open() as s:\n"
        "    s.learner('amber-otter-427', 'Amber')\n"
        "    s.save('amber-otter-427', 1, 'tagger', {'case': 'jane'})\n"
        "    print(s.path)")
    assert Path(where) == core.data / "npkit" / "npkit-learners.sqlite"
    assert Path(where).is_file()
    assert not list(core.venv.rglob("*.sqlite"))  # nothing under site-packages


# --------------------------------------------------------------------------- the course


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", errors="replace")


def wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise AssertionError(f"npkit course exited with {process.returncode}:\n"
                                 f"{log.read_text(errors='replace')[-4000:]}")
        try:
            if get(url, timeout=5)[0] == 200:
                return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"no answer from {url}:\n{log.read_text(errors='replace')}")
        time.sleep(0.5)  # polling interval; readiness itself is the HTTP answer


def stop(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group (Voila shuts its kernels down), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def first_heading(source: Path) -> str:
    """The first markdown heading of a module source, as its author wrote it."""
    match = re.search(r"^# #+ (.+)$", source.read_text(encoding="utf-8"), re.MULTILINE)
    assert match, source
    return match.group(1).strip()


def test_npkit_course_builds_the_modules_and_serves_the_landing_page_and_a_module(full):
    from npkit.course.dashboard import CELL_ERROR
    from npkit.course.training.modules import MODULES

    port = free_port()
    log = full.base / "course.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [full.venv / "bin" / "npkit", "course", "--port", str(port), "--no-preheat"],
            cwd=full.work, env=full.env, stdout=out, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{base}/", process, log)
        built = sorted(p.name for p in (full.cache / "npkit").glob("course-*/*.ipynb"))
        assert built == sorted(f"{p.stem}.ipynb" for p in (ROOT / "notebooks").glob("[0-9]*.py"))

        status, landing = get(f"{base}/", timeout=60)
        assert status == 200
        landing = html.unescape(landing)
        for module in MODULES:
            assert module.notebook in landing and module.title in landing

        first = next(m for m in MODULES if m.number == 1)
        status, page = get(f"{base}/voila/render/{first.notebook}?learner=amber-otter-427",
                           timeout=PAGE_TIMEOUT)
        assert status == 200, page[-2000:]
        page = html.unescape(page)
        source = ROOT / "notebooks" / first.notebook.replace(".ipynb", ".py")
        assert first.title in page
        assert first_heading(source) in page
        assert CELL_ERROR not in page and "Traceback" not in page
        # The module's page bound the learner: the store is in the user's data folder.
        assert (full.data / "npkit" / "npkit-learners.sqlite").is_file()
    finally:
        stop(process)
    assert "Traceback" not in log.read_text(errors="replace")
