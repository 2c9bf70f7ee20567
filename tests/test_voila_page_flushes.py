"""Voila's page handler, mended (npkit.course.voila_mends.mend_page_flushes), sends the pieces
of a page that come together as one HTTP chunk, and still sends what precedes a wait before
the wait ends: over a real HTTP connection on loopback, with a handler that renders as
Voila's does (``get_generator``, an async generator of HTML pieces)."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("voila")

import tornado.httpserver  # noqa: E402
import tornado.netutil  # noqa: E402
import tornado.web  # noqa: E402

from npkit.course.voila_mends import mend_page_flushes  # noqa: E402


def page_handler(first_seen: asyncio.Event) -> type:
    """A handler like Voila's: three pieces at once, a wait (here: until the client has
    received the first of them), then two more pieces."""

    class Page(tornado.web.RequestHandler):
        def get_current_user(self):
            return "trainee"  # tornado.web.authenticated lets the visit through

        async def get_generator(self, path=None):
            for piece in ("<head>", "<body>", "<p>before the cell</p>"):
                yield piece
            # a cell that runs until the browser shows what came before it
            await asyncio.wait_for(first_seen.wait(), 10)
            for piece in ("<p>the cell's output</p>", "</body>"):
                yield piece

        async def get(self, path=None):  # Voila's TornadoVoilaHandler.get
            async for html in self.get_generator(path=path):
                self.write(html)
                self.flush()

    return Page


async def visit(handler: type) -> list[bytes]:
    """The HTTP chunks of one visit of ``handler``'s page, as they cross the connection (read
    by hand: tornado's own client joins consecutive chunks)."""
    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")  # non-blocking, any free port
    port = sockets[0].getsockname()[1]
    server = tornado.httpserver.HTTPServer(tornado.web.Application([(r"/page", handler)]))
    server.add_sockets(sockets)
    chunks: list[bytes] = []
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(b"GET /page HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
        assert b"chunked" in head.lower(), head
        while size := int(await asyncio.wait_for(reader.readline(), 30), 16):
            chunks.append(await reader.readexactly(size))
            await reader.readexactly(2)  # the chunk's closing CRLF
            handler.first_seen.set()  # the browser has something to show
        writer.close()
    finally:
        server.stop()
    return chunks


def run_visit(mended: bool) -> list[bytes]:
    async def main():
        first_seen = asyncio.Event()
        handler = page_handler(first_seen)
        handler.first_seen = first_seen
        if mended:
            mend_page_flushes(handler)
        return await visit(handler)

    return asyncio.run(main())


def test_voila_as_shipped_sends_every_piece_as_a_chunk():
    assert len(run_visit(mended=False)) == 5


def test_pieces_that_come_together_go_together_and_a_wait_does_not_hold_them():
    chunks = run_visit(mended=True)
    # the first three before the wait (else the page would never have gone on), the last two
    assert chunks == [b"<head><body><p>before the cell</p>", b"<p>the cell's output</p></body>"]


def test_the_mend_is_made_once_per_class():
    from voila.tornado.handler import TornadoVoilaHandler

    class Fresh(TornadoVoilaHandler):  # Voila's own class may be mended by another test
        pass

    assert "get" not in Fresh.__dict__
    assert mend_page_flushes(Fresh) is Fresh
    mended = Fresh.__dict__["get"]
    mend_page_flushes(Fresh)
    assert Fresh.__dict__["get"] is mended  # not wrapped twice
