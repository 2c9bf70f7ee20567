"""Helpers for the browser tests (conftest.py holds the fixtures).

- the hostile case file (script and ``onerror`` payloads in its title, narrative and charge);
- starting and stopping the Voila server (``npkit.course.dashboard.voila_command``);
- :class:`Visit`: a browser context whose requests to any host other than 127.0.0.1 are
  aborted and recorded, with console errors and uncaught page errors recorded too;
- running axe-core in a page;
- finding a widget's model in a page and sending it a click, as a crafted message would;
- what every test file needs: Playwright's ``expect`` (with a generous timeout), the modules'
  notebooks (``NOTEBOOK``) and the marker of a cell output Voila has not rendered yet.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode, urlsplit

import pytest
import yaml

from npkit.course.training.modules import MODULES
from npkit.render.pdf import CHROMIUM_ARGS as CHROMIUM_ARGS  # the one list (conftest, benchmarks)

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect
except ImportError:  # conftest skips (or fails on CI) before any test runs
    expect = None
    PlaywrightTimeout = TimeoutError
else:
    expect.set_options(timeout=60_000)  # a loaded machine: wait for conditions, generously

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOK = {m.number: m.notebook for m in MODULES}
# Voila replaces each of these placeholders with the rendered output (or widget view).
PENDING_OUTPUTS = 'script[type="application/vnd.voila.cell-output+json"]'
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
LOCAL_HOSTS = {"127.0.0.1"}
SERVER_START_TIMEOUT = 120  # s: Voila imports jupyter_server, then preheats one kernel a module
PAGE_TIMEOUT = 90_000  # ms: a page may wait for its module's kernel pool to refill under load

# The hostile case (test 5): payloads that would run, or leave an element behind, if any text
# from a case file or a trainee reached innerHTML unescaped.
SCRIPT_PAYLOAD = "<script>window.__xss=1</script>"
IMG_PAYLOAD = '<img src=x onerror="window.__xss=2">'
XSS_CASE_ID = "xss_probe"
XSS_TITLE = f"Xavier: a probe case {IMG_PAYLOAD}"
XSS_CHARGE = f"Fraud {SCRIPT_PAYLOAD} {IMG_PAYLOAD}"
XSS_PASSAGE = f"Xavier typed {SCRIPT_PAYLOAD} and {IMG_PAYLOAD} into the chat."


def ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(reason: str):
    """Skip on a laptop; fail loudly on CI (CI=true), where the browser tests must run."""
    if ci():
        pytest.fail(f"CI=true but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def learner_code(text: str) -> str:
    """A learner code of the issued form (npkit.store.codes), always the same for ``text``, so
    each test starts with its own empty record in the store. Not yet known to the store: see
    :func:`known_learner`."""
    from npkit.store.codes import ADJECTIVES, ANIMALS, ISSUED_NUMBERS

    n = int.from_bytes(hashlib.sha256(text.encode("utf-8")).digest()[:8], "big")
    n, first = divmod(n, len(ADJECTIVES))
    n, second = divmod(n, len(ANIMALS))
    return f"{ADJECTIVES[first]}-{ANIMALS[second]}-{ISSUED_NUMBERS[n % len(ISSUED_NUMBERS)]}"


def make_known(store: Path, code: str) -> str:
    """``code``, made known to the store at ``store`` as if the course had issued it (module
    pages keep no answers under a code the store does not know)."""
    from npkit.store.learners import Store

    with Store.open(store) as s:
        s.learner(code)
    return code


def known_learner(store: Path, text: str) -> str:
    """:func:`learner_code` for ``text``, known to the store at ``store``."""
    return make_known(store, learner_code(text))


# --------------------------------------------------------------------------- the server


@dataclass
class Site:
    base: str
    notebooks: Path
    cases: Path
    store: Path
    log: Path
    process: subprocess.Popen

    def url(self, path: str = "/", **query: str) -> str:
        q = f"?{urlencode(query)}" if query else ""
        return f"{self.base}{path}{q}"

    def module_url(self, notebook: str, **query: str) -> str:
        return self.url(f"/voila/render/{notebook}", **query)

    def wait_for_log(self, pattern: str, timeout: float = 30) -> re.Match | None:
        """The first match of ``pattern`` in the server log, once it is there (None if it is
        not there within ``timeout`` seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            found = re.search(pattern, self.log.read_text(encoding="utf-8", errors="replace"))
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.2)  # polling interval; the condition is the log line

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


def hostile_cases(folder: Path) -> Path:
    """A copy of cases/ plus the hostile case, checked to load (else the XSS test would prove
    nothing)."""
    from npkit.casefile.library import library

    shutil.copytree(ROOT / "cases", folder)
    case = yaml.safe_load((ROOT / "cases" / "jane.yaml").read_text(encoding="utf-8"))
    case["id"] = XSS_CASE_ID
    case["title"] = XSS_TITLE
    case["person"]["pseudonym"] = "Xavier"
    case["narrative"][0]["text"] = XSS_PASSAGE
    case["offences"][0]["charge"] = XSS_CHARGE
    case.pop("questions", None)  # the quiz keeps its question bank as shipped
    (folder / f"{XSS_CASE_ID}.yaml").write_text(
        yaml.safe_dump(case, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = library(folder)
    assert not result.errors, f"the hostile case file does not load: {result.errors}"
    assert XSS_CASE_ID in {c.id for c in result.cases}
    return folder


def start_server(cmd: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)


def wait_until_serving(site: Site, timeout: float = SERVER_START_TIMEOUT) -> None:
    """Until the server answers HTTP 200 (or has exited, or the time is up)."""
    deadline = time.monotonic() + timeout
    while True:
        if site.process.poll() is not None:
            raise RuntimeError(f"Voila exited with code {site.process.returncode}:\n"
                               f"{site.log_tail()}")
        try:
            with urllib.request.urlopen(site.url("/"), timeout=5) as r:
                if r.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"Voila did not answer within {timeout} s:\n{site.log_tail()}")
        time.sleep(0.2)  # polling interval; readiness itself is the HTTP answer above


def stop_server(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group (Voila then shuts its kernels down), SIGKILL it if
    it is still there after 20 s."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=10)


# --------------------------------------------------------------------------- pages


@dataclass
class Visit:
    """A browser context and its page, recording what a learner's page must never do."""

    page: object
    context: object
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        return ([f"request to another host (aborted): {u}" for u in self.external]
                + [f"console error: {e}" for e in self.console_errors]
                + [f"uncaught page error: {e}" for e in self.page_errors])

    def close(self) -> None:
        self.context.close()


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"data", "blob", "about"}:
        return True
    return parts.hostname in LOCAL_HOSTS


def open_context(browser, **kw) -> Visit:
    context = browser.new_context(accept_downloads=True, **kw)
    context.set_default_timeout(PAGE_TIMEOUT)
    page = context.new_page()
    visit = Visit(page, context)

    def route(r):
        url = r.request.url
        if is_local(url):
            r.continue_()
        else:
            visit.external.append(url)
            r.abort()

    def console(message):
        if message.type == "error":
            where = message.location.get("url") or "?"
            visit.console_errors.append(f"{message.text} (at {where})")

    context.route("**/*", route)
    page.on("console", console)
    page.on("pageerror", lambda e: visit.page_errors.append(str(e)))
    return visit


# --------------------------------------------------------------------------- axe-core


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in ``page``; its violations of the given impacts, each with its nodes.
    axe-core is put in the page once (half a megabyte of script, a quarter of a second each
    time): a test that runs it at every step of a module finds it there from the first."""
    if not AXE.is_file():
        unavailable(f"{AXE.relative_to(ROOT)} is missing (run: npm ci)")
    if not page.evaluate("() => typeof window.axe === 'object' && !!window.axe.run"):
        page.add_script_tag(path=str(AXE))
    found = page.evaluate("""async () => {
        const r = await window.axe.run(document, {resultTypes: ['violations']});
        return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            helpUrl: v.helpUrl,
            nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 300),
                                      summary: n.failureSummary || ''}))}));
    }""")
    return [v for v in found if v["impact"] in impacts]


def describe_violations(violations: list[dict], limit: int = 5) -> str:
    out = []
    for v in violations:
        out.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for n in v["nodes"][:limit]:
            summary = " ".join(n["summary"].split())
            out.append(f"    {n['target']}\n      {n['html']}\n      {summary[:400]}")
        if len(v["nodes"]) > limit:
            out.append(f"    ... and {len(v['nodes']) - limit} more")
    return "\n".join(out)


# --------------------------------------------------------------------------- widget messages

# The id of the one widget model of this kind with this description (in page.evaluate).
FIND_MODEL = """async ([name, description]) => {
    const manager = window.jupyterapp && window.jupyterapp.widgetManager;
    if (!manager) throw new Error('no widget manager on window.jupyterapp');
    const state = (await manager.get_state({drop_defaults: false})).state;
    const ids = Object.keys(state).filter(id => state[id].model_name === name
        && state[id].state.description === description);
    if (ids.length !== 1) throw new Error(`${ids.length} ${name} models named ${description}`);
    return ids[0];
}"""

SEND_CLICK = """async (id) => {
    const model = await window.jupyterapp.widgetManager.get_model(id);
    model.send({event: 'click'}, {});
    return model.get('disabled');
}"""

# True once every widget model's changes have reached the kernel and been handled (ipywidgets
# buffers a model's updates while one is in flight, but sends a click at once: a click right
# after typing can overtake the text it depends on).
WIDGETS_SETTLED = """async () => {
    const manager = window.jupyterapp && window.jupyterapp.widgetManager;
    if (!manager) return false;
    const ids = Object.keys((await manager.get_state()).state);
    const models = await Promise.all(ids.map(id => manager.get_model(id)));
    // A button press is a custom message, which _pending_msgs does not count: on a module
    // page npkit-connection.js knows when the kernel has handled every message it was sent.
    const connection = window.npkitConnection;
    if (!models.every(m => !m || (m._pending_msgs === 0 && m._msg_buffer === null)) ||
        (connection && connection.waiting().length)) return false;
    // The kernel's answers came before it said it was done, but each model applies them
    // asynchronously (its state_change chain): wait for that, or the page may not show them.
    await Promise.all(models.map(m => m && m.state_change));
    return true;
}"""


class Frames(NamedTuple):
    """What a page's websockets carried, each frame as bytes (the kernel's v1 protocol frames
    hold the message's JSON as bytes), and the websockets. Playwright reports a frame some
    time after the page has it: wait for the frame you need (:func:`kernel_idle`)."""
    sent: list[bytes]
    received: list[bytes]
    sockets: list


def as_bytes(payload: str | bytes) -> bytes:
    return payload if isinstance(payload, bytes) else payload.encode("utf-8")


def record_frames(page) -> Frames:
    """Every frame of the page's websockets opened from now on (call it before the page is
    loaded)."""
    frames = Frames([], [], [])

    def watch(ws) -> None:
        frames.sockets.append(ws)
        ws.on("framesent", lambda payload: frames.sent.append(as_bytes(payload)))
        ws.on("framereceived", lambda payload: frames.received.append(as_bytes(payload)))
    page.on("websocket", watch)
    return frames


def kernel_idle(payload: str | bytes) -> bool:
    """The kernel says it has handled a message (``status`` idle)."""
    return re.search(rb'"execution_state":\s*"idle"', as_bytes(payload)) is not None


def comm_method(name: str) -> re.Pattern:
    """A widget message of method ``name`` ("update", "echo_update", ...) in a frame."""
    return re.compile(rb'"method":\s*"' + re.escape(name).encode() + rb'"')


def settle(page) -> None:
    """Until the kernel has handled the page's widget changes and button presses (see
    WIDGETS_SETTLED)."""
    page.wait_for_function(WIDGETS_SETTLED, polling=50)


# --------------------------------------------------------------------------- steps

# A long module shows one step at a time (npkit-steps.js): the helpers below go to a step as a
# learner does, with the steps nav's links. On a page without steps they do nothing.
STEPS_NAV = "Steps of this module"
STEP_OF = """(e) => { const s = e.closest('[data-npk-step]');
    return s ? Number(s.getAttribute('data-npk-step')) : 0; }"""
ON_SHOW = "(e) => !e.closest('[hidden]')"


def step_count(page) -> int:
    """How many steps the page has (0: no steps, everything is on show)."""
    return page.locator(".npk-steps a[data-npk-step-link]").count()


STEP_ON_SHOW = """(n) => {
    const a = document.querySelector(`.npk-steps [data-npk-step-link="${n}"]`);
    return a && a.getAttribute('aria-current') === 'step'
        && [...document.querySelectorAll(`[data-npk-step="${n}"]`)].every(e => !e.hidden); }"""
STEPS_STATE = """() => ({current: [...document.querySelectorAll('.npk-steps [aria-current]')]
        .map(a => a.textContent), hash: location.hash, focused: document.activeElement
        && document.activeElement.outerHTML.slice(0, 120),
    hidden: [...document.querySelectorAll('[data-npk-step]')].filter(e => e.hidden)
        .map(e => e.getAttribute('data-npk-step'))})"""


def go_to_step(page, n: int) -> None:
    """Activate step ``n``'s link in the steps nav from the keyboard and wait until the step
    is on show. By keyboard: a mouse click lands where the link was when Playwright last
    measured it, and a page still drawing its widgets moves the nav (ci64 pressed a step link
    as module 4 opened, and the step was never shown: most likely the click hit something
    else). test_browser_steps.py presses the links with the mouse."""
    nav = page.get_by_role("navigation", name=STEPS_NAV)
    nav.get_by_role("link", name=re.compile(rf"^{n}\. ")).press("Enter")
    try:
        page.wait_for_function(STEP_ON_SHOW, arg=n)
    except PlaywrightTimeout as exc:  # say what the page showed instead
        raise AssertionError(f"step {n} is not on show: {page.evaluate(STEPS_STATE)}") from exc


def open_step_of(page, locator) -> None:
    """Go to the step holding ``locator``'s element if that step is not on show. Build the
    locator with ``include_hidden=True`` (get_by_role) so that it finds the element there."""
    n = locator.evaluate(STEP_OF)
    if n and not locator.evaluate(ON_SHOW):
        go_to_step(page, n)


def each_step(page):
    """Go to every step in turn, yielding its number; once, yielding 0, on a page without
    steps."""
    count = step_count(page)
    if not count:
        yield 0
        return
    for n in range(1, count + 1):
        go_to_step(page, n)
        yield n
