"""What a module page costs on the room's Wi-Fi: the kernel websocket, which carries the page's
widget state (most of a module's bytes after the first), is compressed when the browser
offers it (voila.json: Voila.tornado_settings.websocket_compression_options)."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import zlib

from browser_support import (
    as_bytes,
    comm_method,
    expect,
    kernel_idle,
    record_frames,
    settle,
)

LAB = "05_scenario_lab.ipynb"
MSG_ID = re.compile(rb'"msg_id":\s*"([^"]+)"')  # a frame's first: its own header's


def open_kernel_socket(base: str, kernel: str, cookie: str):
    """Open the page's kernel websocket as a browser does, offering permessage-deflate; return
    the extension the server accepted and the widget state it then sends (as JSON text)."""
    import tornado.httpclient
    import tornado.websocket

    async def talk():
        url = base.replace("http", "ws", 1) + f"/api/kernels/{kernel}/channels"
        request = tornado.httpclient.HTTPRequest(url, headers={"Cookie": cookie})
        conn = await tornado.websocket.websocket_connect(request, compression_options={})
        try:
            return conn.headers.get("Sec-WebSocket-Extensions", "")
        finally:
            conn.close()

    # In a thread of its own: Playwright's sync API keeps an event loop running in this one.
    box: dict[str, object] = {}
    thread = threading.Thread(target=lambda: box.update(found=asyncio.run(talk())))
    thread.start()
    thread.join(60)
    return box.get("found", "")


def test_the_kernel_websocket_is_compressed(site, visit, learner):
    v = visit()
    page = v.page
    page.goto(site.module_url(LAB, learner=learner))
    expect(page.get_by_role("checkbox").first).to_be_visible()  # the lab's facts are shown
    settle(page)
    kernel = page.evaluate("() => window.jupyterapp.widgetManager.kernel.id")
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in v.context.cookies())
    assert "permessage-deflate" in open_kernel_socket(site.base, kernel, cookie)
    # What it buys: the page's widget state, as the front end holds it, deflated.
    state = page.evaluate("async () => JSON.stringify("
                          "await window.jupyterapp.widgetManager.get_state())")
    packed = len(zlib.compress(state.encode(), 6))
    print(f"\nscenario lab widget state: {len(state) / 1024:.0f} KB as JSON, "
          f"{packed / 1024:.0f} KB deflated")
    assert json.loads(state)["state"], "the page had no widget state to measure"
    assert not v.problems(), v.problems()


def test_a_change_the_page_sends_is_not_echoed_back(site, visit, learner):
    """ipywidgets 8 sends every change a page makes back to it (``echo_update``), for other
    views of the same kernel, which a Voila page never has. The course's kernels do not
    (JUPYTER_WIDGETS_ECHO=0, npkit.course.dashboard): a fact ticked in the lab goes up once
    and comes back only as what the kernel changed in answer (the outcomes)."""
    v = visit()
    page = v.page
    frames = record_frames(page)
    page.goto(site.module_url(LAB, learner=learner))
    fact = page.get_by_role("checkbox", name="Under 18")
    expect(fact).to_be_visible()
    settle(page)
    (kernel,) = [ws for ws in frames.sockets if "/channels" in ws.url]
    sent, received = len(frames.sent), len(frames.received)

    def handled(payload) -> bool:  # the kernel is idle after the tick's message
        ids = [m.group(1) for f in frames.sent[sent:] for m in [MSG_ID.search(f)] if m]
        return kernel_idle(payload) and any(i in as_bytes(payload) for i in ids)

    with kernel.expect_event("framereceived", predicate=handled):
        fact.check()
    up = [f for f in frames.sent[sent:] if comm_method("update").search(f)]
    down = frames.received[received:]
    assert len(up) == 1 and b'"value":true' in up[0], up
    assert [f for f in down if comm_method("update").search(f)], "the kernel answered nothing"
    assert not [f for f in down if comm_method("echo_update").search(f)]
    print(f"\none ticked fact: {len(frames.sent) - sent} frames up, {len(down)} down "
          f"({sum(map(len, down)) / 1024:.1f} KB)")
    assert not v.problems(), v.problems()
