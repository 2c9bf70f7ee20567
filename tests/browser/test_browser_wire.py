"""What a module page costs on the room's Wi-Fi: the kernel websocket, which carries the page's
widget state (most of a module's bytes after the first), is compressed when the browser
offers it (voila.json: Voila.tornado_settings.websocket_compression_options)."""

from __future__ import annotations

import asyncio
import json
import threading
import zlib

from browser_support import expect, settle

LAB = "05_scenario_lab.ipynb"


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
