"""A mend for the Voila the course runs on (0.5.x), applied by
:func:`npkit.course.dashboard.run_voila`.

**Request info for preheated kernels.** A preheated kernel waits on a websocket
(``voila/query/<kernel id>``, ``RequestInfoSocketHandler``) for the request of the visitor who
takes it (npkit.course.binding reads the learner code from it). Two flaws in that handler can
leave a page loading for ever on a busy machine:

- when a connection closes that is no longer the kernel's registered one (the kernel gave up
  waiting for it to open and opened another), ``on_close`` deletes whichever kernel was
  registered last: another kernel, still waiting, never hears of its visitor;
- a request that finds its kernel registered is written to that connection only, so a kernel
  that connects again (after a dead connection) never gets it.

The mend: a closing connection removes only itself, and a request is always kept for its
kernel, so connecting again gets it (the kernel side asks again after a quiet spell; see
``binding._request_info``). Kept requests are small (one per page visit); the oldest go once
:data:`KEEP` are kept.

**Message dates.** The server reads every message a kernel sends while its page runs twice (the
notebook runner, nbclient, and the kernel manager's activity watch), and jupyter_client parses the
two timestamps in each (the header's and its parent's) with dateutil's general ISO 8601 parser,
about 16 us each: for a scenario lab visit (168 messages) about 11 ms of the server's CPU, some
8 % of its share of the visit (py-spy). The timestamps jupyter_client accepts (its ISO8601_PAT)
are all forms that Python's own ``datetime.fromisoformat`` reads, in about 0.3 us, to the same
instant and the same ``isoformat()``; :func:`mend_message_dates` uses it, and dateutil for
anything it does not read. Known upstream (jupyter/jupyter_client#590, from profiling Voila).

**A page in a few pieces.** Voila writes a page as its template renders it and flushes after
every piece (``TornadoVoilaHandler.get``): Jinja2 renders a template in many small pieces,
each of which then went out as an HTTP chunk of its own: 81 for a scenario lab page on a
kernel started for its visitor, 60 on a preheated one, 21 for Voila's one-button page. Each
cost the server a write to the socket, the browser a read, and nginx (which must not buffer
a page that arrives while its cells run) a gzip flush: a packet of its own on the venue's
Wi-Fi, and a worse compression (the lab's page 8.2 KB gzipped chunk by chunk, 7.5 KB in
the 4 chunks it is now). :func:`mend_page_flushes` flushes what has
been written :data:`FLUSH_AFTER_S` after the first unflushed piece, so pieces that come
together go together, and a page still arrives while its cells run: what precedes a cell
that makes the page wait is sent within that delay.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

log = logging.getLogger(__name__)

KEEP = 1000  # requests kept (a few hundred bytes each); far more than kernels alive at once
FLUSH_AFTER_S = 0.002  # a page's pieces written within this go out as one chunk


def mend_request_info(handler: type | None = None) -> type:
    """Mend ``RequestInfoSocketHandler`` (Voila's, unless a class is given) in place; return it."""
    if handler is None:
        from voila.request_info_handler import RequestInfoSocketHandler as handler
    if handler.__dict__.get("_npkit_mended"):  # its own mark, not a mended base class's
        return handler

    def open(self, kernel_id: str) -> None:  # noqa: A001 - tornado's name
        self._npkit_kernel = kernel_id
        handler._waiters[kernel_id] = self
        if kernel_id in handler._cache:
            self.write_message(handler._cache[kernel_id])

    def on_close(self) -> None:
        kernel_id = getattr(self, "_npkit_kernel", None)
        if handler._waiters.get(kernel_id) is self:
            del handler._waiters[kernel_id]

    @classmethod
    def send_updates(cls, msg: dict) -> None:
        kernel_id, payload = msg["kernel_id"], msg["payload"]
        handler._cache.pop(kernel_id, None)
        handler._cache[kernel_id] = payload
        while len(handler._cache) > KEEP:
            handler._cache.pop(next(iter(handler._cache)))
        waiter = handler._waiters.get(kernel_id)
        if waiter is not None:
            try:
                waiter.write_message(payload)
            except Exception:  # noqa: BLE001 - a dead connection: the kernel connects again
                log.info("request info for kernel %s kept for its next connection", kernel_id)

    handler.open = open
    handler.on_close = on_close
    handler.send_updates = send_updates
    handler._npkit_mended = True
    return handler


def mend_message_dates() -> None:
    """Parse kernel message timestamps with ``datetime.fromisoformat`` (see the module's
    docstring), falling back to jupyter_client's own parser; in this process only."""
    from jupyter_client import jsonutil

    general = jsonutil._dateutil_parse
    if getattr(general, "_npkit_mended", False):
        return

    def parse(text: str) -> datetime:
        try:
            return datetime.fromisoformat(text)
        except ValueError:
            return general(text)

    parse._npkit_mended = True  # type: ignore[attr-defined]
    parse.__wrapped__ = general  # type: ignore[attr-defined]
    jsonutil._dateutil_parse = parse


def mend_page_flushes(handler: type | None = None) -> type:
    """Mend the page handler (Voila's ``TornadoVoilaHandler``, unless a class is given) in
    place so that it flushes the page's pieces together (see the module's docstring);
    return it."""
    import tornado.web

    if handler is None:
        from voila.tornado.handler import TornadoVoilaHandler as handler
    if handler.__dict__.get("_npkit_flushes_mended"):
        return handler

    @tornado.web.authenticated
    async def get(self, path=None):
        loop = asyncio.get_running_loop()
        timer: asyncio.TimerHandle | None = None

        def send() -> None:
            nonlocal timer
            timer = None
            if not self._finished:
                self.flush()

        try:
            async for html in self.get_generator(path=path):
                self.write(html)
                if timer is None:
                    timer = loop.call_later(FLUSH_AFTER_S, send)
        finally:
            if timer is not None:
                timer.cancel()
        # what is left goes with tornado's finish(), once get returns, as before

    handler.get = get
    handler._npkit_flushes_mended = True
    return handler
