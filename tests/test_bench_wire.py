"""benchmarks/wire.py reads the websockets' bytes from nginx's access log: fabricated log lines
in the format deploy/nginx/npkit.conf writes, and the format itself. Nothing is timed here."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the checkout, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks import wire  # noqa: E402

K1 = "/api/kernels/433f621c-79a6-4f65-b844-e8a0f1867da4/channels"
K2 = "/api/kernels/cd5a002f-c409-4bf3-8a61-1eafa60e100a/channels"
LOG = (
    '127.0.0.1 - trainee [05/Dec/2026:06:40:01 +0000] "GET /voila/render/05_scenario_lab.ipynb '
    'HTTP/1.1" 200 9100 "-" "Mozilla/5.0 HeadlessChrome" 0.412\n'
    f'127.0.0.1 - trainee [05/Dec/2026:06:40:09 +0000] "GET {K1} HTTP/1.1" 101 20048 '
    '"http://127.0.0.1:8080/voila/render/05_scenario_lab.ipynb" "Mozilla/5.0 HeadlessChrome" '
    '7.120\n'
    '127.0.0.1 - trainee [05/Dec/2026:06:40:09 +0000] "GET /voila/static/x.js HTTP/1.1" 101 '
    '999 "-" "-" 0.001\n'
)


def test_websocket_bytes_from_the_access_log():
    assert wire.websocket_bytes_logged(LOG, [K1, K2]) == {K1: 20048}  # K2 not closed yet
    assert wire.websocket_bytes_logged(LOG, []) == {}
    again = LOG + f'127.0.0.1 - trainee [x] "GET {K1} HTTP/1.1" 101 512 "-" "-" 1.0\n'
    assert wire.websocket_bytes_logged(again, [K1]) == {K1: 512}  # the last entry


def test_the_log_format_is_the_one_read():
    conf = (ROOT / "deploy" / "nginx" / "npkit.conf").read_text(encoding="utf-8")
    assert '"$request_method $uri $server_protocol" $status $body_bytes_sent ' in conf


def test_waiting_for_the_log_lines(tmp_path):
    log = tmp_path / "access.log"
    log.write_text("old line\n", encoding="utf-8")
    start = log.stat().st_size
    with log.open("a", encoding="utf-8") as f:
        f.write(LOG)
    assert asyncio.run(wire.wait_websockets_logged(log, start, [K1])) == {K1: 20048}
    # a line before ``start`` is not this page's
    assert asyncio.run(wire.wait_websockets_logged(log, log.stat().st_size, [K1],
                                                   timeout=0.3)) == {}
