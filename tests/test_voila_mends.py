"""The mend of Voila's request-info websocket (npkit.course.voila_mends) and the kernel side
that relies on it (npkit.course.binding._request_info), over real websockets on loopback.

Each test serves a fresh copy of Voila's handler module (its own class, ``_waiters`` and
``_cache``): nothing is shared with other tests, and a test that ran the course's server in
this process (which mends Voila's own class) changes nothing here."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import time

import pytest

pytest.importorskip("voila")

import tornado.web  # noqa: E402
import tornado.websocket  # noqa: E402

from npkit.course import binding  # noqa: E402
from npkit.course.voila_mends import mend_request_info  # noqa: E402

REQUEST = json.dumps({"QUERY_STRING": "learner=amber-otter-4271"})


def fresh_handler() -> type:
    """Voila's RequestInfoSocketHandler as shipped, from a fresh copy of its module."""
    import importlib.util

    import voila.request_info_handler as shipped

    spec = importlib.util.spec_from_file_location("npkit_test_request_info", shipped.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.RequestInfoSocketHandler


def mended_class() -> type:
    return mend_request_info(fresh_handler())


class Server:
    """A tornado server on its own loop in a thread, serving ``handler`` at Voila's path."""

    def __init__(self, handler: type) -> None:
        self.handler = handler
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        ready = threading.Event()

        def serve() -> None:
            self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self.loop)
            app = tornado.web.Application([(r"/voila/query/(.*)", handler)])
            app.listen(self.port, address="127.0.0.1")
            ready.set()
            self.loop.run_forever()

        threading.Thread(target=serve, daemon=True).start()
        assert ready.wait(10)

    def url(self, kernel: str) -> str:
        return f"ws://127.0.0.1:{self.port}/voila/query/{kernel}"

    def call(self, fn, *args):
        """Run ``fn`` on the server's loop (where tornado's handlers live); its result."""
        future = asyncio.run_coroutine_threadsafe(self._call(fn, *args), self.loop)
        return future.result(10)

    @staticmethod
    async def _call(fn, *args):
        return fn(*args)

    def registered(self, kernel: str) -> None:
        deadline = time.monotonic() + 10
        while self.call(lambda: self.handler._waiters.get(kernel)) is None:
            assert time.monotonic() < deadline, f"kernel {kernel} never registered"
            time.sleep(0.02)  # polling; the condition is the registration

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)


async def connect(url: str):
    return await tornado.websocket.websocket_connect(url)


def replaced_connection_closes(handler: type) -> str | None:
    """Kernel "a" waits; kernel "b" opens a connection, then another (it gave up on the first),
    then the first closes. Then b's visitor arrives. What b's live connection reads (None if
    nothing within 3 s)."""
    server = Server(handler)

    async def scenario() -> str | None:
        a = await connect(server.url("a"))
        server_waiters = handler._waiters
        stale = await connect(server.url("b"))
        await _until(lambda: "b" in server_waiters)
        first = server_waiters["b"]
        live = await connect(server.url("b"))
        await _until(lambda: server_waiters.get("b") is not first)
        stale.close()
        await _until(lambda: first.ws_connection is None or first.close_code is not None)
        await asyncio.sleep(0.2)  # let the server run on_close
        handler.send_updates({"kernel_id": "b", "payload": REQUEST})
        try:
            return await asyncio.wait_for(live.read_message(), 3)
        except TimeoutError:
            return None
        finally:
            live.close()
            a.close()

    try:
        return asyncio.run_coroutine_threadsafe(scenario(), server.loop).result(20)
    finally:
        server.stop()


async def _until(condition, timeout: float = 5) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition never held"
        await asyncio.sleep(0.02)


def test_voila_still_loses_a_request_when_a_replaced_connection_closes():
    """Voila's own handler deletes the wrong kernel's entry: while this holds, the mend is
    needed (if this fails, Voila has mended it: drop npkit.course.voila_mends)."""
    assert replaced_connection_closes(fresh_handler()) is None


def test_the_mended_handler_delivers_the_request_to_the_live_connection():
    assert replaced_connection_closes(mended_class()) == REQUEST


def test_a_request_is_kept_for_a_kernel_that_connects_again():
    handler = mended_class()
    server = Server(handler)

    async def scenario() -> str:
        first = await connect(server.url("k"))
        await _until(lambda: "k" in handler._waiters)
        handler.send_updates({"kernel_id": "k", "payload": REQUEST})
        first.close()  # as if the connection had died before the kernel read it
        again = await connect(server.url("k"))
        try:
            return await asyncio.wait_for(again.read_message(), 3)
        finally:
            again.close()

    try:
        assert asyncio.run_coroutine_threadsafe(scenario(), server.loop).result(20) == REQUEST
    finally:
        server.stop()


def test_kept_requests_are_bounded(monkeypatch):
    from npkit.course import voila_mends

    monkeypatch.setattr(voila_mends, "KEEP", 3)
    handler = mended_class()
    for n in range(5):
        handler.send_updates({"kernel_id": f"k{n}", "payload": REQUEST})
    assert list(handler._cache) == ["k2", "k3", "k4"]


def test_mending_twice_changes_nothing():
    handler = mended_class()
    opened = handler.open
    assert mend_request_info(handler) is handler and handler.open is opened


def test_a_class_made_from_a_mended_one_is_mended_too():
    base = mended_class()
    child = mend_request_info(type("Child", (base,), {"_waiters": {}, "_cache": {}}))
    child.send_updates({"kernel_id": "k", "payload": REQUEST})
    assert child._cache == {"k": REQUEST} and base._cache == {}


def test_a_preheated_kernel_asks_again_when_its_request_went_astray(monkeypatch):
    """The request reached the server while the kernel's connection was dead (kept, not
    written): the kernel, hearing nothing, connects again and gets it."""
    handler = mended_class()
    server = Server(handler)
    monkeypatch.setattr(binding, "ASK_AGAIN_SECONDS", 0.3)
    monkeypatch.setenv("VOILA_KERNEL_ID", "kernel-9")
    monkeypatch.setenv("VOILA_APP_PORT", str(server.port))
    box = {}
    kernel = threading.Thread(target=lambda: box.update(info=binding._request_info()),
                              daemon=True)
    try:
        kernel.start()
        server.registered("kernel-9")
        server.call(handler._cache.__setitem__, "kernel-9", REQUEST)  # written nowhere
        kernel.join(15)
        assert not kernel.is_alive(), "the kernel still waits for its request"
        assert box["info"] == json.loads(REQUEST)
    finally:
        server.stop()


# ---------------------------------------------------------------- message dates

KERNEL_DATES = ["2026-12-05T09:12:00.123456Z", "2026-12-05T09:12:00Z",
                "2026-12-05T09:12:00.1+05:30", "2026-12-05T09:12:00.12-0800",
                "2026-12-05T23:59:59.999999+00:00", "2026-12-05T09:12:00.123-00:00"]


@pytest.fixture
def jsonutil_as_shipped(monkeypatch):
    """jupyter_client's own date parser, counted, put back after the test."""
    from jupyter_client import jsonutil

    shipped = jsonutil._dateutil_parse
    if getattr(shipped, "_npkit_mended", False):  # a course server set up in this process
        shipped = shipped.__wrapped__
    calls: list[str] = []

    def counted(text):
        calls.append(text)
        return shipped(text)

    monkeypatch.setattr(jsonutil, "_dateutil_parse", counted)
    return jsonutil, shipped, calls


def test_kernel_message_dates_parse_to_the_same_instants_without_the_general_parser(
        jsonutil_as_shipped):
    from jupyter_client.session import Session

    from npkit.course.voila_mends import mend_message_dates

    jsonutil, shipped, calls = jsonutil_as_shipped
    mend_message_dates()
    for text in KERNEL_DATES:
        got, reference = jsonutil.parse_date(text), shipped(text)
        assert got == reference and got.isoformat() == reference.isoformat()
        assert got.utcoffset() == reference.utcoffset()
    session = Session(key=b"k")
    msg = session.msg("comm_open", {"comm_id": "c"}, parent=session.msg("execute_request"))
    _, parts = session.feed_identities(session.serialize(msg))
    got = session.deserialize(parts)
    assert got["header"]["date"] == msg["header"]["date"]
    assert got["parent_header"]["date"] == msg["parent_header"]["date"]
    assert calls == []  # dateutil never asked
    mend_message_dates()  # a second time changes nothing
    assert jsonutil._dateutil_parse.__wrapped__.__name__ == "counted"


def test_a_date_python_does_not_read_goes_to_the_general_parser(jsonutil_as_shipped):
    from npkit.course.voila_mends import mend_message_dates

    jsonutil, shipped, calls = jsonutil_as_shipped
    mend_message_dates()
    with pytest.raises(ValueError):
        jsonutil.parse_date("2026-02-30T09:12:00Z")  # no such day: refused as before
    assert calls == ["2026-02-30T09:12:00Z"]
    assert jsonutil.parse_date("not a date") == "not a date"  # left as text, as before
