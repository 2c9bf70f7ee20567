"""Widgets that open with the state they are built to have (issue 16).

ipywidgets opens a widget's comm in its constructor and sends the state it has then; every
trait set after that (a value computed once the case is loaded, a class, a box's children) is
one ``update`` message more, which the kernel serialises and Voila's server parses for a page
no trainee sees yet, and a long HTML value crosses twice. Code that builds a widget and then
fills it in runs inside :func:`opened_when_built`: each widget made there opens its comm when
the block ends, with the state it has by then (one ``comm_open``, no ``update``), parts before
the boxes that hold them.

A widget opened here also gets a short model id (``n`` and a run prefix and a counter, about
nine characters, instead of ipywidgets' 32-digit uuid): every box's children, layout and style
name their parts by model id, so in the lab the ids were 12 KB of the page's widget state. The
ids stay unique in the kernel (a counter), the page's widget manager sees one kernel, and they
cannot meet the 32-digit ids of other comms.

Inside the block a new widget has no comm yet, so it must not be displayed there (its view
would name no model); building, observing and changing it all work as usual. A widget closed
inside the block is never opened. Widgets made by another thread, or before the block, open as
ipywidgets opens them. An open widget given a waiting part (a box's new child) opens
the part first, as its update names it. Blocks nest: the outermost one opens them all.
"""

from __future__ import annotations

import itertools
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import ipywidgets as w

_ipywidgets_open = w.Widget.open
_ipywidgets_close = w.Widget.close
_ipywidgets_send_state = w.Widget.send_state

# Guards the switch and the waiting widgets: another thread of the kernel (a timer, a comm's
# handler) may close one, or hand one to an open box, while the building thread adds more.
_lock = threading.RLock()
_owner: threading.Thread | None = None  # the thread in the outermost block
_waiting: dict[int, w.Widget] = {}  # id -> widget made in the block, in the order made
_run: tuple[int, str] = (0, "")  # (pid, prefix)
_numbers = itertools.count(1)


def _run_prefix() -> str:
    """This process's model-id prefix. Made in the process that opens the widgets, not at
    import: every kernel forked from the fork server (which imported this module) would
    otherwise give its widgets the same ids as every other kernel, and a page that met a
    second kernel (a restart) could take a new model for an old one."""
    global _run
    if _run[0] != os.getpid():
        _run = (os.getpid(), uuid.uuid4().hex[:6])
    return _run[1]


def waiting(widget: w.Widget) -> bool:
    """Whether ``widget`` was made in an open block and will open when the block ends."""
    return id(widget) in _waiting and _waiting[id(widget)] is widget


def _deferred_open(self: w.Widget) -> None:
    if threading.current_thread() is not _owner:
        _ipywidgets_open(self)
    elif self.comm is None:
        with _lock:
            _waiting[id(self)] = self


def _deferred_close(self: w.Widget) -> None:
    with _lock:
        if waiting(self):
            del _waiting[id(self)]
    _ipywidgets_close(self)


def _deferred_send_state(self: w.Widget, key: Any = None) -> None:
    # an open widget given a waiting part (a saved scenario replayed into the lab adds a row
    # to a box already open) names it by model id: the part opens first
    names = self.keys if key is None else [key] if isinstance(key, str) else list(key)
    with _lock:
        for name in names:
            for part in list(_widgets_in(getattr(self, name, None))):
                if waiting(part):
                    _open_with_parts(part)
    _ipywidgets_send_state(self, key)


def _widgets_in(value: Any) -> Iterator[w.Widget]:
    if isinstance(value, w.Widget):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _widgets_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _widgets_in(item)


def _open_with_parts(widget: w.Widget) -> None:
    """Open ``widget`` after every waiting widget its state names (a box's children, its
    layout and style): the state sent at opening refers to them by model id."""
    seen: set[int] = set()  # a part that names its holder opens first, as the first seen
    stack = [(widget, False)]
    while stack:
        item, parts_done = stack.pop()
        if not waiting(item):
            continue
        if parts_done:
            del _waiting[id(item)]
            if item._model_id is None:
                item._model_id = f"n{_run_prefix()}{next(_numbers):x}"
            _ipywidgets_open(item)
            continue
        if id(item) in seen:
            continue
        seen.add(id(item))
        stack.append((item, True))
        for key in item.keys:
            stack.extend((part, False) for part in _widgets_in(getattr(item, key))
                         if waiting(part) and id(part) not in seen)


@contextmanager
def opened_when_built() -> Iterator[None]:
    """Widgets made inside open their comm when the block ends, with their state by then."""
    global _owner
    me = threading.current_thread()
    with _lock:
        if _owner is me:  # nested: the outer block opens them
            outer = True
        elif _owner is None:
            outer = False
            _owner = me
            w.Widget.open = _deferred_open
            w.Widget.close = _deferred_close
            w.Widget.send_state = _deferred_send_state
        else:  # another thread is building: this one opens as ipywidgets does
            outer = True
    if outer:
        yield
        return
    try:
        yield
    finally:
        with _lock:
            w.Widget.open = _ipywidgets_open
            w.Widget.close = _ipywidgets_close
            w.Widget.send_state = _ipywidgets_send_state
            _owner = None
            try:
                while _waiting:
                    _open_with_parts(next(iter(_waiting.values())))
            finally:
                _waiting.clear()
