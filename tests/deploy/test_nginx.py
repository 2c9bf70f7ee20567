"""The workshop server (deploy/workshop_server.py): nginx in front of the Voila course.

One server for the module, started the way a trainer starts it (``make workshop-server``: the
script, in the foreground) with nginx on a free port of 127.0.0.1 and Voila on another, its
files in a temporary folder. Through nginx: the password is asked for and checked, the landing
page and a module arrive, static files come compressed and cached, the kernel websocket
works; a trainer's session run in Chromium leaves its secret in none of nginx's logs; Ctrl-C
stops nginx and Voila.

nginx and Chromium are Debian's packages (``.ci/run`` installs them). Without them these
tests skip on a laptop, but with ``CI=true`` they fail, as the browser and PostgreSQL tests do.
"""

from __future__ import annotations

import base64
import contextlib
import gzip
import html
import http.client
import importlib.util
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urljoin

import bcrypt
import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "workshop_server.py"
PASSWORD = "room-password-" + secrets.token_hex(4)
START_TIMEOUT = 180  # s: Voila on a busy machine, then nginx
LAN_HOST = "192.168.1.20"  # what a trainee's browser puts in Host: nothing is sent there


def load_script():
    spec = importlib.util.spec_from_file_location("workshop_server", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ws = load_script()
sys.path[:0] = [str(ROOT / "tools"), str(ROOT / "tests" / "browser")]
try:
    import browser_support
    import kernel_probe
finally:
    del sys.path[:2]


def unavailable(reason: str):
    if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
        pytest.fail(f"CI=true but the nginx tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Server:
    def __init__(self, process: subprocess.Popen, port: int, voila_port: int, folder: Path,
                 log: Path):
        self.process, self.port, self.voila_port = process, port, voila_port
        self.folder, self.log = folder, log
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path: str, *, auth: tuple[str, str] | None = ("trainee", PASSWORD),
            headers: dict[str, str] | None = None, port: int | None = None,
            timeout: float = 120) -> tuple[int, dict[str, str], bytes]:
        """(status, headers with lower-case names, body as sent: not decompressed)."""
        conn = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=timeout)
        h = dict(headers or {})
        if auth:
            h["Authorization"] = "Basic " + base64.b64encode(":".join(auth).encode()).decode()
        try:
            conn.request("GET", path, headers=h)
            r = conn.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            conn.close()

    def log_tail(self) -> str:
        text = self.log.read_text(errors="replace") if self.log.is_file() else ""
        errors = self.folder / "logs" / "error.log"
        if errors.is_file():
            text += "\n--- nginx error.log\n" + errors.read_text(errors="replace")
        return "\n".join(text.splitlines()[-40:])


def built_notebooks() -> Path:
    from npkit.course.dashboard import NOTEBOOKS

    if not sorted(NOTEBOOKS.glob("*.ipynb")):
        sys.path.insert(0, str(ROOT / "tools"))
        try:
            import build_notebooks
        finally:
            sys.path.remove(str(ROOT / "tools"))
        assert build_notebooks.main([]) == 0, "tools/build_notebooks.py failed"
    return NOTEBOOKS


@pytest.fixture(scope="module")
def nginx() -> str:
    found = ws.find_nginx()
    if not found:
        unavailable("nginx is not installed (apt-get install -y nginx; see .ci/run)")
    return found


@contextlib.contextmanager
def running_server(tmp: Path):
    """deploy/workshop_server.py, started and ready; stopped with Ctrl-C afterwards."""
    built_notebooks()
    port, voila_port = free_port(), free_port()
    cmd = [sys.executable, str(SCRIPT), "--listen", "127.0.0.1", f"--port={port}",
           f"--voila-port={voila_port}", "--dir", str(tmp / "state"), "--no-preheat"]
    if os.geteuid() == 0:
        cmd.append("--allow-root")  # CI containers run as root
    env = dict(os.environ, NPKIT_WORKSHOP_PASSWORD=PASSWORD, PYTHONUNBUFFERED="1",
               NPKIT_STORE=str(tmp / "learners.sqlite"))
    env.pop("NPKIT_DB_URL", None)
    log = tmp / "server.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    s = Server(process, port, voila_port, tmp / "state", log)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while "served to the room" not in log.read_text(errors="replace"):
            if process.poll() is not None:
                pytest.fail(f"the workshop server exited ({process.returncode}):\n"
                            f"{s.log_tail()}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"the workshop server did not start:\n{s.log_tail()}",
                            pytrace=False)
            time.sleep(0.3)  # polling interval; readiness is the script's own line
        yield s
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
def server(nginx, tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("workshop")) as s:
        yield s


@pytest.fixture(scope="module")
def landing(server) -> str:
    status, _, body = server.get("/", headers={"Host": f"{LAN_HOST}:{server.port}"})
    assert status == 200, server.log_tail()
    return body.decode()


# --------------------------------------------------------------------------- the password


def test_the_room_password_is_asked_for(server):
    status, headers, _ = server.get("/", auth=None)
    assert status == 401
    assert headers.get("www-authenticate") == 'Basic realm="npkit workshop"'
    assert server.get("/", auth=("trainee", PASSWORD + "x"))[0] == 401
    assert server.get("/", auth=("someone", PASSWORD))[0] == 401
    # static files and kernels too, not only pages
    assert server.get("/voila/static/voila.js", auth=None)[0] == 401
    assert server.get("/api/kernels", auth=None)[0] == 401


def test_the_password_is_not_kept_in_the_clear_for_nginx(server):
    line = (server.folder / "htpasswd").read_text()
    user, hashed = line.rstrip("\n").split(":", 1)
    assert user == "trainee" and hashed.startswith("$2b$05$") and PASSWORD not in line
    assert bcrypt.checkpw(PASSWORD.encode(), hashed.encode())
    # nginx checks it too (with the system's crypt): what the script asks before it says the
    # course is served
    assert ws.password_accepted(f"{server.base}/", "trainee", PASSWORD) is True
    assert ws.password_accepted(f"{server.base}/", "trainee", PASSWORD + "x") is False
    assert (server.folder / "htpasswd").stat().st_mode & 0o077 == 0
    assert (server.folder / "password.txt").stat().st_mode & 0o077 == 0


# --------------------------------------------------------------------------- pages


def test_landing_page_through_nginx_from_the_room(server, landing):
    """Host is the laptop's address on the venue network, as a trainee's browser sends it:
    Voila must not refuse it as a non-local host."""
    from npkit.course.training.modules import MODULES

    assert "npk-landing" in landing
    text = html.unescape(landing)
    assert all(m.title in text for m in MODULES)


def test_static_assets_are_compressed_and_cached(server, landing):
    assets = [m.group(0) for m in
              re.finditer(r"/voila/templates/npkit/static/npkit\.(?:css|js)\?v=\w+", landing)]
    assert len(assets) == 2, "the landing page no longer links npkit.css and npkit.js"
    assets.append("/voila/static/voila.js")  # Voila's own bundle, on every module page
    for path in assets:
        status, headers, body = server.get(path, headers={"Accept-Encoding": "gzip"})
        assert status == 200, path
        assert headers.get("content-encoding") == "gzip", (path, headers)
        assert "accept-encoding" in headers.get("vary", "").lower(), path
        assert re.search(r"max-age=\d{3,}", headers.get("cache-control", "")), (path, headers)
        # the same bytes Voila serves, and a plain copy for a client that asks for one
        _, _, direct = server.get(path, auth=None, port=server.voila_port)
        assert gzip.decompress(body) == direct, path
        status, headers, plain = server.get(path)
        assert status == 200 and "content-encoding" not in headers and plain == direct, path
        assert headers.get("x-cache-status") == "HIT", (path, headers)


def test_a_module_and_its_kernel_websocket_through_nginx(server):
    status, _, body = server.get("/voila/render/00_start_here.ipynb?learner=t-nginx-probe",
                                 timeout=180)
    page = body.decode()
    assert status == 200, server.log_tail()
    assert "npk-module" in page
    kernel = re.search(r'"kernelId": *"([0-9a-f-]{36})"', page)
    assert kernel, "no kernel id in the module page"
    # the websocket through nginx, with the password and from the page's own origin
    auth = base64.b64encode(f"trainee:{PASSWORD}".encode()).decode()
    reply = kernel_probe.kernel_info("127.0.0.1", server.port,
                                     f"/api/kernels/{kernel.group(1)}/channels",
                                     headers={"Authorization": f"Basic {auth}"})
    assert reply["header"]["msg_type"] == "kernel_info_reply"
    assert reply["content"]["status"] == "ok"


def test_the_kernel_websocket_is_compressed_through_nginx(server):
    """The browser offers permessage-deflate; nginx passes the offer to Voila and its answer
    back (Sec-WebSocket-Extensions), so a module's widget state crosses the Wi-Fi deflated."""
    import asyncio

    from tornado.httpclient import HTTPRequest
    from tornado.websocket import websocket_connect

    status, _, body = server.get("/voila/render/00_start_here.ipynb?learner=t-nginx-deflate",
                                 timeout=180)
    assert status == 200, server.log_tail()
    kernel = re.search(r'"kernelId": *"([0-9a-f-]{36})"', body.decode()).group(1)
    auth = base64.b64encode(f"trainee:{PASSWORD}".encode()).decode()
    origin = f"http://127.0.0.1:{server.port}"

    async def accepted(offer: bool) -> str:
        request = HTTPRequest(f"ws://127.0.0.1:{server.port}/api/kernels/{kernel}/channels",
                              headers={"Authorization": f"Basic {auth}", "Origin": origin})
        conn = await websocket_connect(request, compression_options={} if offer else None)
        try:
            return conn.headers.get("Sec-WebSocket-Extensions", "")
        finally:
            conn.close()

    assert "permessage-deflate" in asyncio.run(accepted(True)), server.log_tail()
    assert "permessage-deflate" not in asyncio.run(accepted(False))  # only when offered


def test_the_course_is_told_the_join_address_and_the_room_password():
    assert ws.room_env("http://192.168.1.20:8080/join", "trainee", "k7m2-qx9p") == {
        "NPKIT_JOIN_URL": "http://192.168.1.20:8080/join", "NPKIT_ROOM_USER": "trainee",
        "NPKIT_ROOM_PASSWORD": "k7m2-qx9p"}
    assert ws.room_env(None, "trainee", None) == {}  # --htpasswd: no password to show


def test_the_join_address_through_nginx(server):
    """/join/CODE, the address in the trainer's QR code, reaches the join page through nginx
    (behind the room password, like every page), with the code and nothing else."""
    assert server.get("/join/k7m2qx", auth=None)[0] == 401
    status, headers, _ = server.get("/join/k7m2qx")
    assert status == 302, server.log_tail()
    assert headers["location"].endswith("/voila/render/08_workshop_join.ipynb?session=K7M2QX")
    status, headers, _ = server.get("/join")
    assert status == 302 and headers["location"].endswith("/voila/render/08_workshop_join.ipynb")
    assert "trainees join at http://127.0.0.1:" in server.log.read_text(errors="replace")


# --------------------------------------------------------------------------- configuration


def test_the_password_hash_is_bcrypts_and_checks_only_the_password():
    hashed = ws.password_hash("pässwörd with space")
    assert bcrypt.checkpw("pässwörd with space".encode(), hashed.encode())
    assert not bcrypt.checkpw(b"passwoerd with space", hashed.encode())
    assert ws.password_hash("x") != ws.password_hash("x")  # a salt of its own each time
    ws.password_hash("p" * 72)
    with pytest.raises(ValueError, match="72 bytes"):
        ws.password_hash("p" * 71 + "ä")  # 73 bytes: refused, never cut short
    with pytest.raises(ValueError):
        ws.htpasswd_line("a:b", "secret")
    with pytest.raises(ValueError):
        ws.htpasswd_line("trainee", "two\nlines")


def test_the_tls_configuration_is_accepted_by_nginx(nginx, tmp_path):
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    prefix = tmp_path / "state"
    ws.prepare_prefix(prefix)
    tls = ws.self_signed_cert(prefix / "tls", ["192.168.1.20", "npkit-laptop", "localhost"])
    text = ws.nginx_config(prefix, port=free_port(), voila_port=free_port(),
                           htpasswd=prefix / "htpasswd", listen="127.0.0.1", tls=tls,
                           run_as_root=os.geteuid() == 0)
    assert " ssl;" in text and "ssl_certificate " in text and not ws.FIELD.search(text)
    (prefix / "nginx.conf").write_text(text)
    check = subprocess.run(ws.nginx_command(nginx, prefix, test=True), capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr


def test_paths_nginx_would_misread_are_refused(tmp_path):
    with pytest.raises(ValueError):
        ws.nginx_config(tmp_path / "a b", port=8080, voila_port=8866,
                        htpasswd=tmp_path / "htpasswd")


# --------------------------------------------------------------------------- secrets


@pytest.fixture  # per test: Playwright's loop must be closed before any other test runs
def chromium():
    path = shutil.which("chromium")
    if not path:
        unavailable("chromium is not installed (apt-get install -y chromium; see .ci/run)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package is not installed (pip install -e '.[test]')")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=browser_support.CHROMIUM_ARGS)
        yield browser
        browser.close()


def wait_for_log_lines(logs: Path, pattern: str, count: int, timeout: float = 30) -> list[str]:
    """The access log's lines matching ``pattern`` once there are ``count`` (nginx writes a
    websocket's line when it closes)."""
    deadline = time.monotonic() + timeout
    while True:
        text = (logs / "access.log").read_text(errors="replace")
        found = [line for line in text.splitlines() if re.search(pattern, line)]
        if len(found) >= count or time.monotonic() > deadline:
            return found
        time.sleep(0.2)  # polling interval; the condition is the log lines


def test_a_trainer_session_through_nginx_leaves_its_secret_in_no_log(server, chromium):
    """A trainer starts a session on one laptop and reads the private trainer link off the
    page; another browser (no cookies, no storage) opens that link and locks the first
    question, all through nginx. Afterwards neither the secret nor "secret=" is in any of
    nginx's logs (the equivalent of ``grep -rn "secret=" build/workshop-server/logs/``), and
    the access log holds the pages and the kernels' websockets, without query strings."""
    from playwright.sync_api import expect

    credentials = {"username": "trainee", "password": PASSWORD}
    trainer_page = f"{server.base}/voila/render/09_workshop_trainer.ipynb"
    first = browser_support.open_context(chromium, http_credentials=credentials)
    second = browser_support.open_context(chromium, http_credentials=credentials)
    try:
        page = first.page
        page.goto(trainer_page)
        page.get_by_role("button", name="Start a session").click()
        code = page.locator(".npk-joincode > [aria-hidden='true']")
        expect(code).to_have_text(re.compile(r"^[A-Z0-9]{6}$"), timeout=60_000)
        link = page.locator(".npk-private a").first.get_attribute("href")
        secret = re.search(r"secret=([^&#]+)", link).group(1)
        assert len(secret) >= 32
        # what the room is shown: the address nginx serves (the script's --join-url default)
        # and the room password, both handed to the course by the script
        expect(page.locator(".npk-join-address")).to_have_text(f"{server.base}/join")
        expect(page.locator(".npk-room-password")).to_have_text(PASSWORD)

        other = second.page
        other.goto(urljoin(trainer_page, link))
        expect(other.locator(".npk-status").last).to_contain_text(
            f"Session {code.inner_text()} reopened.", timeout=60_000)
        other.get_by_role("button", name="Lock answers").click()
        expect(other.get_by_role("button", name="Reopen")).to_be_visible(timeout=60_000)
        problems = first.problems() + second.problems()
        assert not problems, problems
    finally:
        first.close()
        second.close()

    logs = server.folder / "logs"
    sockets = wait_for_log_lines(logs, r'"GET /api/kernels/[0-9a-f-]+/channels[ ?]', 2)
    assert len(sockets) >= 2, (logs / "access.log").read_text()
    pages = wait_for_log_lines(logs, r'"GET /voila/render/09_workshop_trainer\.ipynb[ ?]', 2)
    assert len(pages) >= 2, (logs / "access.log").read_text()
    files = sorted(f for f in logs.rglob("*") if f.is_file())
    assert logs / "access.log" in files
    for f in files:
        text = f.read_text(errors="replace")
        assert "secret=" not in text and secret not in text, f"{f.name}:\n{text}"
    # query strings stay out of the access log: the trainer link's ?session=, the kernel
    # websocket's ?session_id=
    access = (logs / "access.log").read_text(errors="replace")
    assert "session=" not in access and "session_id=" not in access, access


# --------------------------------------------------------------------------- stopping


def test_ctrl_c_stops_nginx_and_voila(nginx, tmp_path):
    # A server of its own: the module's serves the other tests, in whatever order they run.
    with running_server(tmp_path) as server:
        assert port_open(server.port) and port_open(server.voila_port)
        server.process.send_signal(signal.SIGINT)
        assert server.process.wait(timeout=60) == 0, server.log_tail()
        deadline = time.monotonic() + 10
        while port_open(server.port) or port_open(server.voila_port):
            assert time.monotonic() < deadline, "nginx or Voila still listens after Ctrl-C"
            time.sleep(0.2)  # polling interval; the condition is the closed ports
