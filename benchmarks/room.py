"""A room of trainees at the protocol level: the server's share of a room, without browsers.

``n`` simulated trainees in this one process (asyncio, Tornado's HTTP and websocket clients,
which come with jupyter_server) each do what a trainee's browser does to get a module page
working, in the order the page does it:

1. GET the page (``/voila/render/<notebook>?learner=<code>``) and read it to its end: Voila
   streams it while the page's cells run, and the page's scripts start only once it is whole.
   Keep the cookies it sets (``_xsrf``), as the browser does.
2. Read the kernel id from the page's ``jupyter-config-data``.
3. npkit.js on a module page with a learner in its address: POST ``npkit/api/learner/check``
   with the ``_xsrf`` token (learner_api.py), at the same time as the kernel connection.
4. Open the kernel's websocket (``/api/kernels/<id>/channels?session_id=...``) with the
   ``v1.kernel.websocket.jupyter.org`` protocol the page's @jupyterlab/services asks for, send
   ``kernel_info_request`` (the connection does on opening), then what ipywidgets 8's manager
   does (``_loadFromKernel`` in @voila-dashboards/widgets-manager8): open a
   ``jupyter.widget.control`` comm, send ``request_states``, wait for ``update_states``. If that
   takes more than 4 s the page gives up on it and asks each widget in turn
   (``comm_info_request`` for ``jupyter.widget``, then ``request_state`` on every comm), and so
   does this trainee.
5. The trainee is ready when it has the state of every widget; every widget view the page's
   HTML shows must be among them (else an error: a page without its widgets).

The room's figures: the time from the start to the last trainee ready (``server_s``), the
median, errors, the CPU seconds of the Voila process and of its kernels during the room
(psutil), the peak memory of all of them (sampled, and kept on until the pools have refilled),
and the CPU of this process (it must stay small, or the figure measures the benchmark).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import resource
import statistics
import threading
import time
import uuid
import zlib
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from urllib.parse import urlencode

V1 = "v1.kernel.websocket.jupyter.org"
CONTROL_TARGET = "jupyter.widget.control"
WIDGET_TARGET = "jupyter.widget"
CONTROL_TIMEOUT_S = 4.0  # ipywidgets 8's manager: "Control comm did not respond in time"
ROOM_TIMEOUT_S = 600.0
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
_CONFIG = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                     re.S)
_BODY = re.compile(r"<body\b[^>]*>", re.S)
_ATTR = re.compile(r'([\w-]+)="([^"]*)"')
# Voila 0.5 puts each cell output in the page as JSON in a script of this type.
_OUTPUT = re.compile(r'<script type="application/vnd\.voila\.cell-output\+json">(.*?)</script>',
                     re.S)


# ------------------------------------------------------------------ the page and the wire


@dataclass
class PageInfo:
    kernel_id: str | None
    base_url: str  # the page's data-base-url (Voila's: "/voila/")
    module_page: bool  # body.npk-module and not .npk-workshop: npkit.js checks the learner
    view_models: set[str]  # model ids of the widget views in the page


def parse_page(html: str) -> PageInfo:
    config = _CONFIG.search(html)
    kernel_id = None
    if config:
        try:
            kernel_id = json.loads(config.group(1)).get("kernelId") or None
        except ValueError:
            kernel_id = None
    body = _BODY.search(html)
    attrs = dict(_ATTR.findall(body.group(0))) if body else {}
    classes = attrs.get("class", "").split()
    views = set()
    for m in _OUTPUT.finditer(html):
        try:
            views.add(json.loads(m.group(1))["data"][VIEW_MIME]["model_id"])
        except (ValueError, KeyError, TypeError):
            continue
    return PageInfo(kernel_id, attrs.get("data-base-url", "/voila/"),
                    "npk-module" in classes and "npk-workshop" not in classes, views)


def new_message(msg_type: str, content: dict, session: str, *, channel: str = "shell",
                metadata: dict | None = None) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "",
                       "session": session, "version": "5.2",
                       "date": datetime.now(UTC).isoformat()},
            "parent_header": {}, "metadata": metadata or {}, "content": content,
            "channel": channel, "buffers": []}


def encode_v1(msg: dict) -> bytes:
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata",
                                                    "content")]
    return serialize_msg_to_ws_v1(parts, msg["channel"])


def decode_v1(frame: bytes) -> dict:
    """A v1 frame as a message dict; ``buffers`` holds only the buffers' sizes."""
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    channel, parts = deserialize_msg_from_ws_v1(frame)
    header, parent, metadata, content = (json.loads(p) for p in parts[:4])
    return {"channel": channel, "header": header, "parent_header": parent,
            "metadata": metadata, "content": content, "msg_type": header.get("msg_type"),
            "buffers": [len(b) for b in parts[4:]]}


def cookie_header(set_cookies: list[str]) -> tuple[str, dict[str, str]]:
    """The Cookie header a browser sends back for ``Set-Cookie`` lines, and the values."""
    pairs = [c.split(";", 1)[0].strip() for c in set_cookies]
    values = dict(p.split("=", 1) for p in pairs if "=" in p)
    return "; ".join(pairs), values


# ------------------------------------------------------------------ one trainee


@dataclass
class Trainee:
    label: str
    notebook: str
    page_s: float | None = None  # the page's HTML complete
    ready_s: float | None = None  # every widget state received
    kernel_id: str | None = None
    page_bytes: int = 0
    widget_states: int = 0
    state_bytes: int = 0  # the JSON of the states as received
    # the same message deflated as permessage-deflate would send it (only if ``deflate``)
    state_deflated_bytes: int | None = None
    deflate: bool = False
    views: int = 0
    fallback: bool = False  # the control comm was late: per-widget requests instead
    learner_check: str | None = None
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(self).items()}


class KernelChannel:
    """A kernel websocket in the v1 protocol; messages sorted to waiters by a predicate."""

    def __init__(self, conn, session: str) -> None:
        self.conn, self.session = conn, session
        self.received_bytes = 0
        self.last_frame = b""

    def send(self, msg_type: str, content: dict, **kw) -> str:
        msg = new_message(msg_type, content, self.session, **kw)
        self.conn.write_message(encode_v1(msg), binary=True)
        return msg["header"]["msg_id"]

    async def wait(self, found, timeout: float) -> tuple[dict, int]:
        """The first message for which ``found`` is true, and its size on the wire."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no answer from the kernel")
            frame = await asyncio.wait_for(self.conn.read_message(), left)
            if frame is None:
                raise ConnectionError("the kernel websocket closed")
            if isinstance(frame, str):
                continue  # the legacy protocol's text frames: not asked for
            self.received_bytes += len(frame)
            msg = decode_v1(frame)
            if found(msg):
                self.last_frame = frame
                return msg, len(frame)


def _reply_to(msg_id: str, msg_type: str | None = None):
    return lambda m: (m["parent_header"].get("msg_id") == msg_id
                      and (msg_type is None or m["msg_type"] == msg_type))


async def widget_states(ch: KernelChannel, t: Trainee, timeout: float) -> set[str]:
    """What ipywidgets 8's manager asks on connecting; the ids of the states received."""
    info = ch.send("kernel_info_request", {})
    await ch.wait(_reply_to(info, "kernel_info_reply"), timeout)
    comm_id = uuid.uuid4().hex
    ch.send("comm_open", {"comm_id": comm_id, "target_name": CONTROL_TARGET, "data": {}},
            metadata={"version": "1.0.0"})
    ch.send("comm_msg", {"comm_id": comm_id, "data": {"method": "request_states"}})
    try:
        msg, size = await ch.wait(
            lambda m: m["msg_type"] == "comm_msg" and m["content"].get("comm_id") == comm_id
            and m["content"].get("data", {}).get("method") == "update_states",
            min(CONTROL_TIMEOUT_S, timeout))
    except TimeoutError:
        t.fallback = True
        return await widget_states_one_by_one(ch, t, timeout)
    ch.send("comm_close", {"comm_id": comm_id, "data": {}})
    states = msg["content"]["data"].get("states", {})
    t.widget_states, t.state_bytes = len(states), size
    if t.deflate:
        t.state_deflated_bytes = deflated_size(ch.last_frame)
    return set(states)


def deflated_size(frame: bytes) -> int:
    """``frame`` as permessage-deflate sends it with Tornado's defaults (zlib level 6, a raw
    deflate stream, the final empty block's 4 bytes left off)."""
    z = zlib.compressobj(6, zlib.DEFLATED, -zlib.MAX_WBITS)
    return len(z.compress(frame) + z.flush(zlib.Z_SYNC_FLUSH)) - 4


async def widget_states_one_by_one(ch: KernelChannel, t: Trainee, timeout: float) -> set[str]:
    """ipywidgets 8's fallback (``_loadFromKernelModels``): every comm's ``request_state``."""
    ask = ch.send("comm_info_request", {"target_name": WIDGET_TARGET})
    reply, _ = await ch.wait(_reply_to(ask, "comm_info_reply"), timeout)
    comms = list(reply["content"].get("comms", {}))
    pending = {ch.send("comm_msg", {"comm_id": c, "data": {"method": "request_state"}}): c
               for c in comms}
    got: set[str] = set()
    while pending:
        msg, size = await ch.wait(
            lambda m: m["msg_type"] == "comm_msg"
            and m["parent_header"].get("msg_id") in pending
            and m["content"].get("data", {}).get("method") == "update", timeout)
        got.add(pending.pop(msg["parent_header"]["msg_id"]))
        t.state_bytes += size
    t.widget_states = len(got)
    return got


async def learner_check(http, home: str, code: str, cookies: str, xsrf: str) -> str:
    from tornado.httpclient import HTTPClientError, HTTPRequest

    request = HTTPRequest(f"{home}npkit/api/learner/check", method="POST",
                          body=json.dumps({"code": code}), request_timeout=ROOM_TIMEOUT_S,
                          connect_timeout=ROOM_TIMEOUT_S,
                          headers={"Content-Type": "application/json", "X-XSRFToken": xsrf,
                                   "Cookie": cookies})
    try:
        response = await http.fetch(request)
    except HTTPClientError as e:
        return f"HTTP {e.code}"
    return json.loads(response.body).get("status", "?")


async def run_trainee(t: Trainee, base: str, code: str, t0: float, release: asyncio.Event,
                      ready: asyncio.Future, http, timeout: float = ROOM_TIMEOUT_S) -> Trainee:
    """One trainee: the page, the learner check, the widget states; then holds the page open
    until ``release`` and leaves as the page does (closes the socket, asks Voila to shut the
    kernel down)."""
    from tornado.httpclient import HTTPClientError, HTTPRequest
    from tornado.websocket import websocket_connect

    conn = cookies = xsrf = None
    info = None
    try:
        chunks: list[bytes] = []
        url = f"{base}/voila/render/{t.notebook}?{urlencode({'learner': code})}"
        response = await http.fetch(HTTPRequest(url, request_timeout=timeout,
                                                connect_timeout=timeout,
                                                streaming_callback=chunks.append))
        t.page_s = time.monotonic() - t0
        html = b"".join(chunks)
        t.page_bytes = len(html)
        cookies, values = cookie_header(response.headers.get_list("Set-Cookie"))
        xsrf = values.get("_xsrf", "")
        info = parse_page(html.decode("utf-8", "replace"))
        t.kernel_id, t.views = info.kernel_id, len(info.view_models)
        if not info.kernel_id:
            raise RuntimeError("no kernel id in the page")
        home = base + re.sub(r"voila/$", "", info.base_url)
        check = (asyncio.ensure_future(learner_check(http, home, code, cookies, xsrf))
                 if info.module_page else None)
        ws_base = "ws" + base[len("http"):]
        request = HTTPRequest(
            f"{ws_base}/api/kernels/{info.kernel_id}/channels?session_id={uuid.uuid4()}",
            headers={"Cookie": cookies, "Origin": base}, request_timeout=timeout,
            connect_timeout=timeout)
        conn = await websocket_connect(request, subprotocols=[V1],
                                       max_message_size=256 * 1024 * 1024)
        if conn.selected_subprotocol != V1:
            raise RuntimeError(f"the server chose protocol {conn.selected_subprotocol!r}")
        got = await widget_states(KernelChannel(conn, uuid.uuid4().hex), t,
                                  timeout - (time.monotonic() - t0))
        missing = info.view_models - got
        if missing:
            t.errors.append(f"{len(missing)} widget views without a state")
        if not info.view_models:
            t.errors.append("no widget view in the page")
        if check is not None:
            t.learner_check = await check
            if t.learner_check != "known":
                t.errors.append(f"learner check: {t.learner_check}")
        t.ready_s = time.monotonic() - t0
    except HTTPClientError as e:
        t.errors.append(f"HTTP {e.code}")
    except Exception as e:  # noqa: BLE001 - a timeout or a refusal is an error of this trainee
        t.errors.append(f"{type(e).__name__}: {str(e)[:200]}")
    finally:
        if not ready.done():
            ready.set_result(t)
    await release.wait()
    if conn is not None:
        conn.close()
    if t.kernel_id and info is not None and cookies is not None:
        shutdown = f"{base}{info.base_url}api/shutdown/{t.kernel_id}"
        try:
            await http.fetch(HTTPRequest(shutdown, method="POST",
                                         body=urlencode({"_xsrf": xsrf}),
                                         headers={"Cookie": cookies}, request_timeout=60))
        except Exception:  # noqa: BLE001 - the idle cull ends it later, as for a browser
            pass
    return t


# ------------------------------------------------------------------ the server's resources


class Meter:
    """CPU seconds and memory of a server process and its children (the kernels): snapshots,
    and a thread sampling the resident memory of all of them until stopped."""

    def __init__(self, pid: int, interval: float = 0.5) -> None:
        import psutil

        self.psutil, self.root, self.interval = psutil, psutil.Process(pid), interval
        self.peak_rss = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _tree(self):
        try:
            return [self.root, *self.root.children(recursive=True)]
        except self.psutil.Error:
            return [self.root]

    def cpu(self) -> dict:
        """CPU seconds so far: the server's own, its live descendants', and the reaped ones'
        (a kernel that ended is counted in its parent's children times: the server's, or the
        fork server's when the kernels are forked from it)."""
        own = self.root.cpu_times()
        kernels = own.children_user + own.children_system
        for p in self._tree()[1:]:
            try:
                c = p.cpu_times()
            except self.psutil.Error:
                continue
            kernels += c.user + c.system + c.children_user + c.children_system
        return {"server": own.user + own.system, "kernels": kernels}

    def shared_memory(self) -> dict:
        """PSS and USS of the server and its descendants, summed: forked kernels share their
        parent's pages copy-on-write, which a sum of resident sizes counts once per kernel."""
        pss = uss = 0
        for p in self._tree():
            try:
                m = p.memory_full_info()
            except self.psutil.Error:
                continue
            pss, uss = pss + m.pss, uss + m.uss
        return {"end_pss_mb": round(pss / 2**20, 1), "end_uss_mb": round(uss / 2**20, 1)}

    def rss(self) -> tuple[int, int]:
        total, n = 0, 0
        for p in self._tree():
            try:
                total += p.memory_info().rss
                n += 1
            except self.psutil.Error:
                continue
        return total, n - 1

    def _sample(self) -> None:
        while not self._stop.is_set():
            total, kernels = self.rss()
            if self.first is None:
                self.first = (total, kernels)
            self.last = (total, kernels)
            if total > self.peak_rss:
                self.peak_rss, self.peak_kernels = total, kernels
            self._stop.wait(self.interval)

    def start(self) -> Meter:
        self.peak_rss, self.peak_kernels = 0, 0
        self.first = self.last = None
        self._stop.clear()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> dict:
        """The peak, and the first and last samples: before the room came (its pools full)
        and once the pools had refilled."""
        self._stop.set()
        if self._thread:
            self._thread.join()
        first, last = self.first or (0, 0), self.last or (0, 0)
        return {"peak_rss_mb": round(self.peak_rss / 2**20, 1),
                "peak_processes": self.peak_kernels + 1,
                "start_rss_mb": round(first[0] / 2**20, 1), "start_processes": first[1] + 1,
                "end_rss_mb": round(last[0] / 2**20, 1), "end_processes": last[1] + 1}


def own_cpu_s() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


# ------------------------------------------------------------------ a room


def summarise(trainees: list[Trainee]) -> dict:
    """The room's figures from its trainees (times from the room's start)."""
    ready = [t.ready_s for t in trainees if t.ready_s is not None and not t.errors]
    failed = [t for t in trainees if t.errors or t.ready_s is None]
    n = len(trainees)
    return {
        "trainees": n,
        # None when a trainee never had every state: then the room never was ready
        "server_s": round(max(ready), 2) if ready and not failed else None,
        "median_s": round(statistics.median(ready), 2) if ready else None,
        "first_s": round(min(ready), 2) if ready else None,
        "errors": len(failed),
        "error_messages": sorted({e for t in trainees for e in t.errors})[:20],
        "fallbacks": sum(1 for t in trainees if t.fallback),
        "pages_s_max": (round(max(t.page_s for t in trainees if t.page_s is not None), 2)
                        if any(t.page_s is not None for t in trainees) else None),
        "widget_states": sorted({t.widget_states for t in trainees}),
        "state_bytes_median": (int(statistics.median(t.state_bytes for t in trainees))
                               if trainees else None),
        "page_bytes_median": (int(statistics.median(t.page_bytes for t in trainees))
                              if trainees else None),
        "state_deflated_bytes_median": (
            int(statistics.median(deflated)) if (deflated := [
                t.state_deflated_bytes for t in trainees
                if t.state_deflated_bytes is not None]) else None),
    }


async def room(site, n: int, notebook: str, *, label: str = "room",
               settle_timeout: float = 600.0, deflate: bool = False, log=print) -> dict:
    """``n`` trainees open ``notebook`` on ``site`` (benchmarks.site.Site) at once. Returns
    the room's figures; the trainees' pages stay open until every page's pool has refilled
    (the memory peak of a room includes its replacements), then leave."""
    from tornado.httpclient import AsyncHTTPClient

    from .browser import learner_code, make_known

    # Its own client, with a connection for every request the room makes at once: a shared
    # client keeps 10 and queues the rest (and times them out after 20 s in the queue), which
    # would make the room wait for the benchmark, not for the server.
    http = AsyncHTTPClient(force_instance=True, max_clients=3 * n + 10)
    labels = [f"{label}-{i:03d}" for i in range(n)]
    for lab in labels:
        make_known(site, lab)
    meter = Meter(site.process.pid).start()
    load = [round(x, 2) for x in os.getloadavg()]
    cpu0, own0 = meter.cpu(), own_cpu_s()
    loop = asyncio.get_running_loop()
    release = asyncio.Event()
    trainees = [Trainee(lab, notebook, deflate=deflate) for lab in labels]
    readies = [loop.create_future() for _ in trainees]
    t0 = time.monotonic()
    tasks = [asyncio.ensure_future(run_trainee(t, site.base, learner_code(t.label), t0,
                                               release, f, http))
             for t, f in zip(trainees, readies, strict=True)]
    await asyncio.wait(readies, timeout=ROOM_TIMEOUT_S + 30)
    wall = time.monotonic() - t0
    cpu1, own1 = meter.cpu(), own_cpu_s()
    result = summarise(trainees)
    try:  # the pools refill while the room holds its kernels: that is the memory peak
        refill_s = await asyncio.to_thread(site.wait_for_pool, full=False,
                                           timeout=settle_timeout)
    except RuntimeError as e:
        refill_s = None
        log(f"  the pools did not refill: {str(e).splitlines()[0]}")
    memory = {**meter.stop(), **meter.shared_memory()}  # the room in, the pools refilled
    release.set()
    await asyncio.gather(*tasks)
    http.close()
    server_cpu = cpu1["server"] - cpu0["server"]
    kernel_cpu = cpu1["kernels"] - cpu0["kernels"]
    result.update({
        "notebook": notebook,
        "wall_s": round(wall, 2),
        "load_average": load,
        "server_cpu_s": round(server_cpu, 2),
        "kernels_cpu_s": round(kernel_cpu, 2),
        "cpu_s_per_trainee": round((server_cpu + kernel_cpu) / n, 3),
        "bench_cpu_s": round(own1 - own0, 2),
        "refill_s": None if refill_s is None else round(refill_s, 1),
        **memory,
        "preheated_kernels_used": sum(
            1 for t in trainees if t.kernel_id
            and f"Using pre-heated kernel: {t.kernel_id}" in site.log_text()),
        "trainee_details": [t.summary() for t in trainees],
    })
    await asyncio.to_thread(wait_shutdown, site, [t.kernel_id for t in trainees if t.kernel_id])
    return result


def wait_shutdown(site, kernel_ids: list[str], timeout: float = 60) -> None:
    """Until Voila has shut down every kernel in ``kernel_ids`` (its log says so)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = site.log_text()
        if all(f"Kernel shutdown: {k}" in text for k in kernel_ids):
            return
        time.sleep(0.3)  # polling interval; the condition is the log lines


def quiet(pid: int, *, below: float = 0.15, window: float = 2.0, timeout: float = 120) -> float:
    """Until the server and its kernels together use less than ``below`` of one core over
    ``window`` seconds (a room must not meet the previous room's leftovers); seconds waited."""
    meter = Meter(pid)
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        a = meter.cpu()
        time.sleep(window)
        b = meter.cpu()
        if (b["server"] + b["kernels"] - a["server"] - a["kernels"]) / window < below:
            break
    return time.monotonic() - start
