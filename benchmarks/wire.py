"""Bytes on the wire: what a trainee's browser receives through the workshop server's nginx.

The course's Voila (benchmarks.site) behind nginx configured as ``make workshop-server``
configures it (deploy/nginx/npkit.conf filled in by deploy/workshop_server.py's
``nginx_config``: the room password, gzip, the static cache), on 127.0.0.1. One headless
Chromium context (one trainee, its HTTP cache empty at first) opens the modules one after the
other in the catalogue's order, each in a new tab of the same context, as a trainee following
the course does; each page is counted until it is interactive (benchmarks.pages) and the
network has gone quiet. Chromium's own count of the bytes received for every request
(Playwright's ``request.sizes()``: response headers and body as they came, compressed; nothing
for a file the browser had cached) plus what nginx sent down the page's websockets is the
page's figure.

The websockets are counted by nginx, not by the browser: the course compresses the kernel
websocket (permessage-deflate, voila.json), and Chromium reports a frame's payload after
decompressing it (the DevTools protocol's ``Network.webSocketFrameReceived``, which is what
Playwright's ``framereceived`` gives), several times what crossed the network. nginx logs a
websocket when it closes (the tab is closed after the count), with ``$body_bytes_sent``: every
byte it sent the browser after the handshake, frames as they went, compressed. The browser's
count of the payload is kept beside it (``websocket_payload_bytes``). Without nginx the same is
measured from Voila directly, the websockets by their payload, and the result says so
(``through``, ``websocket_counted``).
"""

from __future__ import annotations

import asyncio
import base64
import importlib.util
import os
import re
import secrets
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from . import browser as B
from . import pages as P
from . import site as S

ROOT = Path(__file__).resolve().parents[1]
USER = "trainee"


def workshop_script():
    spec = importlib.util.spec_from_file_location("workshop_server",
                                                  ROOT / "deploy" / "workshop_server.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start_nginx(site: S.Site, folder: Path) -> tuple[subprocess.Popen, str, str] | None:
    """nginx in front of ``site`` as the workshop server runs it; (process, base, password),
    or None without nginx."""
    ws = workshop_script()
    nginx = ws.find_nginx()
    if not nginx:
        return None
    password = secrets.token_hex(8)
    ws.prepare_prefix(folder)
    htpasswd = folder / "htpasswd"
    htpasswd.write_text(ws.htpasswd_line(USER, password), encoding="utf-8")
    port = S.free_port()
    voila_port = int(site.base.rsplit(":", 1)[1])
    (folder / "nginx.conf").write_text(
        ws.nginx_config(folder, port=port, voila_port=voila_port, htpasswd=htpasswd,
                        listen="127.0.0.1", run_as_root=os.geteuid() == 0), encoding="utf-8")
    process = subprocess.Popen(ws.nginx_command(nginx, folder), cwd=folder,
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"nginx exited: {(folder / 'logs' / 'error.log').read_text()}")
        try:
            urllib.request.urlopen(base + "/", timeout=5).close()
            break
        except urllib.error.HTTPError:  # 401: nginx answers, asking for the password
            break
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)  # polling interval; readiness is the HTTP answer
    return process, base, password


# A websocket in nginx's access log (log_format npkit_no_query): the path, status 101 (the
# upgrade), and $body_bytes_sent, the bytes sent down the websocket once it was upgraded.
_WEBSOCKET_LINE = re.compile(r'"GET (\S+) HTTP/1\.1" 101 (\d+) ')


def websocket_bytes_logged(log_text: str, paths: list[str]) -> dict[str, int]:
    """For each websocket path in ``paths`` that nginx has logged (it logs one when it
    closes) in ``log_text``, the bytes it sent the browser; the last entry for a path."""
    sent = {}
    for m in _WEBSOCKET_LINE.finditer(log_text):
        if m.group(1) in paths:
            sent[m.group(1)] = int(m.group(2))
    return sent


async def wait_websockets_logged(access_log: Path, start: int, paths: list[str],
                                 timeout: float = 30) -> dict[str, int]:
    """Until nginx has logged every websocket in ``paths`` after byte ``start`` of its
    access log (it writes the line once the connection has closed on both sides)."""
    deadline = time.monotonic() + timeout
    while True:
        text = access_log.read_bytes()[start:].decode("utf-8", "replace")
        sent = websocket_bytes_logged(text, paths)
        if len(sent) == len(set(paths)) or time.monotonic() > deadline:
            return sent
        await asyncio.sleep(0.2)  # polling interval; the condition is the log line


async def page_bytes(context, site: S.Site, base: str, notebook: str, label: str,
                     access_log: Path | None = None) -> dict:
    """Open ``notebook`` in a new tab of ``context``; what the browser received for it (the
    websockets as nginx sent them when ``access_log`` is nginx's, else their payload)."""
    page = P.PAGES[notebook]
    B.make_known(site, label)
    log_start = access_log.stat().st_size if access_log and access_log.exists() else 0
    tab = await context.new_page()
    await tab.add_init_script(P.init_script(page))
    finished: list = []
    frames = [0, 0]
    sockets: list[str] = []

    def frame(payload):
        frames[0] += 1
        frames[1] += len(payload if isinstance(payload, bytes) else payload.encode("utf-8"))

    def websocket(ws):
        sockets.append(urlsplit(ws.url).path)
        ws.on("framereceived", frame)

    tab.on("requestfinished", lambda request: finished.append(request))
    tab.on("websocket", websocket)
    errors: list[str] = []
    ready = None
    try:
        await tab.goto(f"{base}/voila/render/{notebook}?learner={B.learner_code(label)}",
                       wait_until="commit", timeout=B.VISIT_TIMEOUT_MS)
        await tab.wait_for_function(P.IS_READY, polling=100, timeout=B.VISIT_TIMEOUT_MS)
        ready = await tab.evaluate("window.__npkBench.ready")
        await tab.wait_for_load_state("networkidle", timeout=B.VISIT_TIMEOUT_MS)
    except Exception as e:  # noqa: BLE001 - recorded; the bytes so far are still counted
        errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:200]}")
    await asyncio.sleep(0.5)  # late websocket frames (the learner's progress) still arrive
    http_bytes = cached = gzipped = 0
    for request in finished:
        sizes = await request.sizes()
        got = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        http_bytes += max(got, 0)
        response = await request.response()
        if sizes["responseBodySize"] <= 0 or (response and response.from_service_worker):
            cached += 1  # from the browser's cache (or empty)
        elif response and "gzip" in (await response.all_headers()).get("content-encoding", ""):
            gzipped += 1
    await tab.close()  # leaving: the page asks Voila to shut its kernel down
    if access_log is not None:
        sent = await wait_websockets_logged(access_log, log_start, sockets)
        missing = sorted(set(sockets) - set(sent))
        if missing:
            errors.append(f"nginx logged no websocket {', '.join(missing)}")
        ws_bytes, counted = sum(sent.values()), "nginx $body_bytes_sent (compressed)"
    else:
        ws_bytes, counted = frames[1], "payload (the browser's, decompressed)"
    return {"notebook": notebook, "bytes": http_bytes + ws_bytes, "http_bytes": http_bytes,
            "requests": len(finished), "from_cache": cached, "gzip_responses": gzipped,
            "websocket_bytes": ws_bytes, "websocket_counted": counted,
            "websocket_payload_bytes": frames[1], "websocket_frames": frames[0],
            "websockets": sorted(set(sockets)),
            "ready_ms": None if ready is None else round(ready, 1), "errors": errors}


async def measure(browser, tmp: Path, notebooks: list[str], log=print) -> dict:
    """The course on a fresh Voila, through nginx when it is installed; the bytes of each of
    ``notebooks`` opened in order by one trainee."""
    site = await asyncio.to_thread(S.start, tmp / "voila")
    nginx = None
    try:
        await asyncio.to_thread(site.wait_for_pool)
        started = await asyncio.to_thread(start_nginx, site, tmp / "nginx")
        access_log = None
        if started:
            nginx, base, password = started
            access_log = tmp / "nginx" / "logs" / "access.log"
            through = "nginx (deploy/nginx/npkit.conf, as make workshop-server)"
            # The password as a header, not Playwright's http_credentials: those make it
            # intercept every request, which turns Chromium's HTTP cache off.
            token = base64.b64encode(f"{USER}:{password}".encode()).decode("ascii")
            headers = {"Authorization": f"Basic {token}"}
        else:
            base, through, headers = site.base, "Voila directly (nginx not installed)", {}
        log(f"Bytes a trainee's browser receives, through {through}:")
        context = await browser.new_context(extra_http_headers=headers)
        pages = []
        for i, nb in enumerate(notebooks):
            await asyncio.to_thread(site.wait_for_pool)
            pages.append(await page_bytes(context, site, base, nb, f"bench-bytes-{i:02d}",
                                          access_log))
            p = pages[-1]
            log(f"  {nb:32s} {p['bytes'] / 1000:8.0f} KB  ({p['requests']} requests, "
                f"{p['from_cache']} from the cache, websocket {p['websocket_bytes'] / 1000:.0f}"
                f" KB, {p['websocket_payload_bytes'] / 1000:.0f} KB of payload)"
                f"{'  ERRORS: ' + '; '.join(p['errors']) if p['errors'] else ''}")
        await context.close()
    finally:
        if nginx is not None:
            workshop_script().stop(nginx, wait=10)
        await asyncio.to_thread(site.stop)
    return {"through": through, "pages": pages}
