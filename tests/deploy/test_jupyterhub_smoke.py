"""The multi-user path on one machine: JupyterHub in front of the course, answers in PostgreSQL.

    make jupyterhub-smoke

That target installs what this test needs into build/jupyterhub-smoke (never .venv): a virtual
environment made by deploy/jupyterhub/install.sh, the script the single-user image runs
(JupyterHub, jupyter-server-proxy, npkit with its notebooks and postgres extras, the modules
built, binder/configure.py's proxy entry), and configurable-http-proxy from npm
(tests/deploy/jupyterhub/package-lock.json). Then it runs this file. Without those, or without
PostgreSQL (tests/pg_server.py), the test skips: `make test` does not install them.

What it does, as deploy/jupyterhub/README.md describes the hub:

- JupyterHub on a free port of 127.0.0.1 with configurable-http-proxy; the shared-password
  authenticator (the placeholder of values.yaml) and the local-process spawner (each user's
  server runs as this user, with a home folder under a temporary folder); the single-user
  servers get ``NPKIT_DB_URL`` pointing at one throwaway PostgreSQL database, and open at
  ``/npkit/`` as values.yaml's ``singleuser.defaultUrl`` says;
- two users log in (POST /hub/login with the form's _xsrf), start their servers and land on
  the course's landing page through the hub;
- each renders the scenario lab (05_scenario_lab) with a learner code in the address; over the
  kernel's websocket, through the hub's proxy and jupyter-server-proxy, the page's widgets
  are read and changed as a browser would (comm messages; Voila refuses code);
- both learners and their scenarios are in the one PostgreSQL database; a reload of user
  one's page shows the scenario again; user two cannot open user one's server.

Timings and the memory of each user's processes go to build/jupyterhub-smoke/result.json.
"""

from __future__ import annotations

import html
import http.cookiejar
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pg_server import available as pg_unavailable
from pg_server import start_postgres

ROOT = Path(__file__).resolve().parents[2]
SMOKE = ROOT / "build" / "jupyterhub-smoke"
# Where JupyterHub and npkit are installed: `make jupyterhub-smoke`'s environment, or another
# made by deploy/jupyterhub/install.sh (e.g. from a copy of only what the Dockerfile copies).
VENV = Path(os.environ.get("NPKIT_HUB_VENV") or SMOKE / "venv").resolve()
CHP = SMOKE / "node_modules" / ".bin" / "configurable-http-proxy"
RESULT = SMOKE / "result.json"
PAGE = "05_scenario_lab.ipynb"
COURSE = "npkit"  # binder/configure.py's NAME: the course at /user/<name>/npkit/
PASSWORD = "room-" + secrets.token_hex(6)
TIMEOUT = 300  # s: a server start, Voila's first start, a module page, on a busy machine
IMMINENT = "An imminent threat of serious harm aimed at them"
ESCAPE = "They had a reasonable chance to escape"

sys.path.insert(0, str(ROOT / "tools"))
try:
    import kernel_probe
finally:
    sys.path.remove(str(ROOT / "tools"))

pytestmark = pytest.mark.jupyterhub


def missing() -> str | None:
    if not (VENV / "bin" / "jupyterhub").is_file():
        return f"JupyterHub is not installed in {VENV}"
    config = VENV / "etc" / "jupyter" / "jupyter_server_config.json"
    if not config.is_file() or f'"{COURSE}"' not in config.read_text():
        return "the course's jupyter-server-proxy entry is missing (binder/configure.py)"
    if not CHP.is_file():
        return f"configurable-http-proxy is not installed in {SMOKE.relative_to(ROOT)}"
    return pg_unavailable()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --------------------------------------------------------------------------- processes


def children() -> dict[int, list[int]]:
    """{pid: [child pids]} for every process now running."""
    out: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        out.setdefault(ppid, []).append(int(entry.name))
    return out


def descendants(pid: int) -> list[int]:
    tree, found, todo = children(), [], [pid]
    while todo:
        for child in tree.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def server_memory(home: Path) -> dict[str, float]:
    """RSS in MB of one user's processes, found by their home folder (the single-user server
    runs there; Voila and the kernels are its descendants)."""
    for pid in (int(p.name) for p in Path("/proc").iterdir() if p.name.isdigit()):
        try:
            if Path(f"/proc/{pid}/cwd").resolve() != home.resolve():
                continue
        except OSError:
            continue
        if "jupyterhub-singleuser" not in cmdline(pid):
            continue
        out = {"singleuser": rss_mb(pid), "voila": 0.0, "kernels": []}
        for child in descendants(pid):
            line = cmdline(child)
            if "npkit.course.dashboard" in line:
                out["voila"] += rss_mb(child)
            elif "ipykernel" in line:
                out["kernels"].append(round(rss_mb(child), 1))
        out["total"] = round(out["singleuser"] + out["voila"] + sum(out["kernels"]), 1)
        out["singleuser"], out["voila"] = round(out["singleuser"], 1), round(out["voila"], 1)
        return out
    return {}


# --------------------------------------------------------------------------- the hub


@dataclass
class Hub:
    port: int
    process: subprocess.Popen
    log: Path
    home: Path
    db_url: str
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def tail(self, n: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])


CONFIG = """\
# Written by tests/deploy/test_jupyterhub_smoke.py: a throwaway hub on 127.0.0.1.
c = get_config()  # noqa: F821
c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = {port}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.ConfigurableHTTPProxy.pid_file = {folder!r} + "/proxy.pid"
c.JupyterHub.db_url = "sqlite:///" + {folder!r} + "/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = {folder!r} + "/cookie_secret"
c.JupyterHub.pid_file = {folder!r} + "/jupyterhub.pid"
# values.yaml's placeholder: one room password, any user name.
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.SharedPasswordAuthenticator.allow_all = True
# Each user's server is a process of this user, at home in a temporary folder.
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {home!r} + "/{{username}}"
c.Spawner.cmd = [{singleuser!r}]
c.Spawner.args = {args!r}
c.Spawner.default_url = "/{course}/"
c.Spawner.environment = {{"NPKIT_DB_URL": {db_url!r}}}
c.Spawner.start_timeout = {timeout}
c.Spawner.http_timeout = {timeout}
"""


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    reason = missing()
    if reason and os.environ.get("NPKIT_JUPYTERHUB_SMOKE") == "required":
        pytest.fail(f"make jupyterhub-smoke cannot run the smoke test: {reason}", pytrace=False)
    if reason:
        pytest.skip(f"{reason}: run `make jupyterhub-smoke`")
    started = time.monotonic()
    pg = start_postgres()
    folder = tmp_path_factory.mktemp("hub")
    home = folder / "home"
    home.mkdir()
    process = None
    try:
        db_url = pg.new_database()
        port = free_port()
        config = folder / "jupyterhub_config.py"
        config.write_text(CONFIG.format(
            port=port, hub_port=free_port(), api_port=free_port(), chp=str(CHP),
            folder=str(folder), password=PASSWORD, home=str(home),
            singleuser=str(VENV / "bin" / "jupyterhub-singleuser"),
            args=["--allow-root"] if os.geteuid() == 0 else [], course=COURSE, db_url=db_url,
            timeout=TIMEOUT))
        # Nothing of this machine's Python or Jupyter set-up reaches the hub or its servers.
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("JUPYTER", "NPKIT_", "VOILA", "CONFIGPROXY", "PYTHON"))
               and k not in ("VIRTUAL_ENV", "CONDA_PREFIX", "IPYTHONDIR")}
        env["PATH"] = os.pathsep.join([str(VENV / "bin"), env.get("PATH", "")])
        env["VIRTUAL_ENV"] = str(VENV)
        log = folder / "jupyterhub.log"
        with open(log, "wb") as out:
            process = subprocess.Popen(
                [str(VENV / "bin" / "jupyterhub"), "-f", str(config)], cwd=folder, env=env,
                stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
        server = Hub(port, process, log, home, db_url)
        deadline = time.monotonic() + TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"jupyterhub exited ({process.returncode}):\n{server.tail()}")
            try:
                with urllib.request.urlopen(f"{server.base}/hub/api/", timeout=5) as r:
                    if r.status == 200:
                        break
            except (OSError, urllib.error.HTTPError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"jupyterhub did not answer:\n{server.tail()}")
            time.sleep(0.5)  # polling interval; readiness is the hub's answer
        server.timings["hub_start_s"] = round(time.monotonic() - started, 1)
        yield server
    finally:
        if process is not None:
            stop(process)
        pg.stop()


def stop(process: subprocess.Popen) -> None:
    """SIGTERM the hub (it stops the users' servers and the proxy), then make sure every
    process it started, whatever its session, is gone: each by its own pid."""
    started = descendants(process.pid)
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=60)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    for pid in [process.pid, *started]:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


# --------------------------------------------------------------------------- a user's browser


class Browser:
    """One user's cookies and requests, as a browser without JavaScript makes them."""

    def __init__(self, hub: Hub, name: str) -> None:
        self.hub, self.name = hub, name
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, data: dict | None = None) -> tuple[int, str, str]:
        """(status, final URL after redirects, body)."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.hub.base + path, data=body)
        try:
            with self.opener.open(request, timeout=TIMEOUT) as r:
                return r.status, r.url, r.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as e:
            return e.code, e.url, e.read().decode("utf-8", "replace")

    def cookie_header(self, path: str) -> str:
        request = urllib.request.Request(self.hub.base + path)
        self.jar.add_cookie_header(request)
        return request.get_header("Cookie") or ""

    def log_in(self) -> None:
        status, _, page = self.get("/hub/login")
        assert status == 200, page[-2000:]
        xsrf = re.search(r'name="_xsrf"\s+value="([^"]+)"', page)
        assert xsrf, "no _xsrf in the login form"
        status, url, page = self.get("/hub/login", {
            "username": self.name, "password": PASSWORD, "_xsrf": html.unescape(xsrf[1])})
        assert status == 200 and "/hub/login" not in url, f"login refused: {status} {url}"

    def start_server(self) -> str:
        """Start the server as the home page's button does, wait for it, and return where
        the user lands: the course's landing page."""
        self.get(f"/hub/spawn/{self.name}")
        deadline = time.monotonic() + TIMEOUT
        while True:
            status, url, page = self.get(f"/user/{self.name}/")
            if status == 200 and url.endswith(f"/user/{self.name}/{COURSE}/"):
                assert "npk-landing" in page, "not npkit's landing page"
                return url
            if time.monotonic() > deadline:
                pytest.fail(f"{self.name}'s server: HTTP {status} at {url}\n{self.hub.tail()}")
            time.sleep(1)  # polling interval; readiness is the landing page

    def open_lab(self, learner: str, nick: str) -> str:
        """Render the scenario lab with a learner code in the address; the page's kernel id."""
        query = urllib.parse.urlencode({"learner": learner, "nick": nick})
        status, _, page = self.get(f"/user/{self.name}/{COURSE}/voila/render/{PAGE}?{query}")
        assert status == 200, page[-2000:]
        assert "npk-module" in page and "Module 5" in page
        assert "could not be shown" not in page, "a cell of the scenario lab failed"
        kernel = re.search(r'"kernelId": *"([0-9a-f-]{36})"', page)
        assert kernel, "no kernel id in the page"
        return kernel[1]

    def widgets(self, kernel: str) -> Widgets:
        path = f"/user/{self.name}/{COURSE}/api/kernels/{kernel}/channels"
        return Widgets(kernel_probe.KernelSocket(
            "127.0.0.1", self.hub.port, path, {"Cookie": self.cookie_header(path)},
            timeout=TIMEOUT))


class Widgets:
    """A page's widgets over its kernel's websocket, as the page's widget manager sees them."""

    def __init__(self, ks: kernel_probe.KernelSocket) -> None:
        self.ks = ks
        self.comm = secrets.token_hex(8)
        ks.send("comm_open", {"comm_id": self.comm, "target_name": "jupyter.widget.control",
                              "data": {}}, metadata={"version": "1.0.0"})

    def states(self) -> dict[str, dict]:
        """Every widget model's state: {model id: {"model_name": ..., "state": ...}}."""
        msg_id = self.ks.send("comm_msg", {"comm_id": self.comm,
                                           "data": {"method": "request_states"}})
        found = self.ks.wait(lambda m: m.get("channel") == "iopub"
                             and m.get("parent_header", {}).get("msg_id") == msg_id
                             and m.get("content", {}).get("data", {}).get("method")
                             == "update_states", what="widget states")
        return found["content"]["data"]["states"]

    def find(self, model: str, description: str) -> tuple[str, dict]:
        hits = [(mid, s["state"]) for mid, s in self.states().items()
                if s["model_name"] == model and s["state"].get("description") == description]
        assert len(hits) == 1, f"{model} {description!r}: {len(hits)} found"
        return hits[0]

    def set(self, model_id: str, **state) -> None:
        """Change a control as a click does, and wait until the kernel has handled it (the
        lab has redrawn and the binding has saved)."""
        msg_id = self.ks.send("comm_msg", {"comm_id": model_id, "data": {
            "method": "update", "state": state, "buffer_paths": []}})
        self.ks.idle_after(msg_id)

    def close(self) -> None:
        self.ks.close()


# --------------------------------------------------------------------------- the test


def saved(db_url: str) -> dict[str, dict]:
    """What the one PostgreSQL database holds: {learner code: {"nickname": ..., (module, item):
    value}}, straight from its tables."""
    import psycopg

    with psycopg.connect(db_url) as con:
        out = {code: {"nickname": nick} for code, nick in con.execute(
            "SELECT code, nickname FROM learners")}
        for learner, module, item, value in con.execute(
                "SELECT learner, module, item, value FROM answers"):
            out[learner][(module, item)] = json.loads(value)
    return out


def connections(db_url: str) -> int:
    """Connections to the database from anyone else (the kernels' stores)."""
    import psycopg

    with psycopg.connect(db_url) as con:
        return con.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = "
                           "current_database() AND pid <> pg_backend_pid()").fetchone()[0]


def test_two_users_reach_the_course_through_the_hub_and_share_one_store(hub):
    from npkit.casefile.library import get_case, library

    started = time.monotonic()
    titles = [c.title for c in library().cases]
    users = {"user-one": ("user-one-01", "One"), "user-two": ("user-two-02", "Two")}
    browsers = {name: Browser(hub, name) for name in users}
    timings = hub.timings

    for name, browser in browsers.items():
        start = time.monotonic()
        browser.log_in()
        landing = browser.start_server()
        assert landing == f"{hub.base}/user/{name}/{COURSE}/"
        timings[f"{name}_login_to_landing_s"] = round(time.monotonic() - start, 1)

    # User one: Jane, with an imminent threat.
    start = time.monotonic()
    kernel = browsers["user-one"].open_lab(*users["user-one"])
    timings["user-one_lab_render_s"] = round(time.monotonic() - start, 1)
    page = browsers["user-one"].widgets(kernel)
    try:
        box, state = page.find("CheckboxModel", IMMINENT)
        assert state["value"] is False
        page.set(box, value=True)
        matrix = [s["state"]["value"] for s in page.states().values()
                  if "England &amp; Wales" in str(s["state"].get("value", ""))
                  and "npk-status" in str(s["state"].get("value", ""))]
        assert any("fails → succeeds" in m for m in matrix), "the outcome did not change"
    finally:
        page.close()

    # User two: Sarah, who had no reasonable chance to escape after all.
    start = time.monotonic()
    kernel = browsers["user-two"].open_lab(*users["user-two"])
    timings["user-two_lab_render_s"] = round(time.monotonic() - start, 1)
    page = browsers["user-two"].widgets(kernel)
    try:
        picker, state = page.find("DropdownModel", "Case to explore")
        assert state["_options_labels"] == titles
        page.set(picker, index=titles.index(get_case("sarah").title))
        box, state = page.find("CheckboxModel", ESCAPE)
        assert state["value"] is True  # as Sarah's case file has it
        page.set(box, value=False)
    finally:
        page.close()

    # Both learners, with their scenarios, in the one PostgreSQL database.
    assert saved(hub.db_url) == {
        "user-one-01": {"nickname": "One", (5, "scenario"): {
            "case": "jane", "changes": {"quick.imminent_threat": True}}},
        "user-two-02": {"nickname": "Two", (5, "scenario"): {
            "case": "sarah", "changes": {"quick.escape": False}}},
    }
    # One connection per open module page (its kernel's store): PostgreSQL's max_connections
    # bounds the room (README.md, "Sizing").
    assert connections(hub.db_url) == 2

    # A reload (a new kernel) shows user one's scenario again, from PostgreSQL.
    start = time.monotonic()
    kernel = browsers["user-one"].open_lab(*users["user-one"])
    timings["user-one_reload_s"] = round(time.monotonic() - start, 1)
    page = browsers["user-one"].widgets(kernel)
    try:
        assert page.find("CheckboxModel", IMMINENT)[1]["value"] is True
        assert any("Your saved scenario is back." in str(s["state"].get("value", ""))
                   for s in page.states().values())
    finally:
        page.close()

    # One user's cookies do not open another's server.
    status, url, page_text = browsers["user-two"].get(f"/user/user-one/{COURSE}/")
    assert "npk-landing" not in page_text and status in (403, 404), (status, url)

    timings["test_s"] = round(time.monotonic() - started, 1)
    memory = {name: server_memory(hub.home / name) for name in users}
    result = {"timings_s": timings, "memory_mb": memory, "versions": versions()}
    SMOKE.mkdir(parents=True, exist_ok=True)
    RESULT.write_text(json.dumps(result, indent=2) + "\n")
    print(f"\njupyterhub-smoke: {json.dumps(result)}")


def versions() -> dict[str, str]:
    out = subprocess.run(
        [str(VENV / "bin" / "python"), "-c",
         "import importlib.metadata as m; import json; print(json.dumps({p: m.version(p) for p "
         "in ('jupyterhub', 'jupyter-server-proxy', 'jupyter_server', 'voila', 'psycopg')}))"],
        capture_output=True, text=True, check=True).stdout
    found = json.loads(out)
    found["configurable-http-proxy"] = subprocess.run(
        [str(CHP), "--version"], capture_output=True, text=True).stdout.strip()
    return found
