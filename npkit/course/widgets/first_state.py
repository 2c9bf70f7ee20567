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

In a kernel Voila started, :func:`open_widget` (installed by ``ui``) also leaves out the
``comm_open`` message itself until the page has asked for the widget states: no page can read
it before then.
"""

from __future__ import annotations

import itertools
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

import comm
import ipywidgets as w

from npkit.course.binding import in_voila

_ipywidgets_open = w.Widget.open
_ipywidgets_close = w.Widget.close
_ipywidgets_send_state = w.Widget.send_state

# Guards the switch and the waiting widgets: another thread of the kernel (a timer, a comm's
# handler) may close one, or hand one to an open box, while the building thread adds more.
_lock = threading.RLock()
_owner: threading.Thread | None = None  # the thread in the outermost block
# Widget.open when the outermost block began (ipywidgets', or open_widget once installed): how
# widgets open outside the block, and at its end
_opens_before_block = _ipywidgets_open
_waiting: dict[int, w.Widget] = {}  # id -> widget made in the block, in the order made
# id -> widget made in a kept_unopened block (the fork server's), opened by open_kept or when
# an opening widget names it
_kept: dict[int, w.Widget] = {}
_run: tuple[int, str] = (0, "")  # (pid, prefix)
_numbers = itertools.count(1)

# set (to anything) in a page's kernel: every widget sends its comm_open as ipywidgets does
# (benchmarks.twin reads them to learn which cell made which model)
OPEN_MESSAGES_VARIABLE = "NPKIT_WIDGET_OPEN_MESSAGES"


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
    """Whether ``widget`` was made in an open block and will open when the block ends, or
    in a :func:`kept_unopened` block and will open when it is shown."""
    return any(found.get(id(widget)) is widget for found in (_waiting, _kept))


def _deferred_open(self: w.Widget) -> None:
    if threading.current_thread() is not _owner:
        _opens_before_block(self)
    elif self.comm is None:
        with _lock:
            _waiting[id(self)] = self


def _deferred_close(self: w.Widget) -> None:
    with _lock:
        _forget(self)
    _ipywidgets_close(self)


def _forget(widget: w.Widget) -> None:
    for found in (_waiting, _kept):
        if found.get(id(widget)) is widget:
            del found[id(widget)]


def _deferred_send_state(self: w.Widget, key: Any = None) -> None:
    # an open widget given a waiting part (a saved scenario replayed into the lab adds a row
    # to a box already open) names it by model id: the part opens first
    names = self.keys if key is None else [key] if isinstance(key, str) else list(key)
    with _lock:
        for name in (n for n in names if n in _part_keys(type(self))):
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


@cache
def _part_keys(kind: type) -> tuple[str, ...]:
    """The synced traits of widget class ``kind`` that can name other widgets: those with a
    serialiser (ipywidgets' ``widget_serialization``: a box's children, a layout, a style, a
    link's ends). A widget in any other trait could not be sent at all. Reading every trait
    of every widget instead was about 12 of the 20 ms this module spent opening the scenario
    lab's widgets under the profiler (issue 16)."""
    return tuple(name for name, trait in kind.class_traits(sync=True).items()
                 if trait.metadata.get("to_json") is not None)


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
            _forget(item)
            if item._model_id is None:
                item._model_id = _new_model_id()
            _opens_before_block(item)
            continue
        if id(item) in seen:
            continue
        seen.add(id(item))
        stack.append((item, True))
        for key in _part_keys(type(item)):
            stack.extend((part, False) for part in _widgets_in(getattr(item, key))
                         if waiting(part) and id(part) not in seen)


def _no_page_yet() -> bool:
    """True in a kernel Voila started for a page, before that page has asked for the widget
    states: Voila runs the whole notebook before the page's widget manager connects (its
    script starts on the document's ``load``), and the manager then asks for every widget's
    state at once (``request_states``, on the ``jupyter.widget.control`` comm)."""
    return (in_voila() and w.Widget._control_comm is None
            and not os.environ.get(OPEN_MESSAGES_VARIABLE))


def open_widget(widget: w.Widget) -> None:
    """``Widget.open`` in a page's kernel: before the page has asked for the states (see
    :func:`_no_page_yet`), the comm opens in the kernel without its ``comm_open`` message.

    No front end could read that message: Voila's server only parses it (nbclient keeps every
    widget's state for a notebook Voila never saves), and the kernel would serialise the full
    state, defaults included, only for that: for the scenario lab, 100 messages. The page gets
    every state, without defaults, when it asks (lean.py). The comm is registered as open, so
    the page's messages reach the widget and closing it tells the page. An Output widget
    still opens as ipywidgets opens it: Voila's executor reads its ``comm_open`` to send the
    output it captures. Once a page has asked, widgets open as ipywidgets opens them."""
    if widget.comm is not None:
        return
    if not _no_page_yet() or widget._model_name == "OutputModel":
        _ipywidgets_open(widget)
        return
    if widget._model_id is None:
        widget._model_id = _new_model_id()
    opened = comm.create_comm(target_name="jupyter.widget", comm_id=widget._model_id,
                              primary=False)
    if getattr(opened, "kernel", False) is None:
        # ipykernel's comm learns its kernel when it first publishes, which was its comm_open;
        # ipywidgets sends nothing on a comm without one (Widget._send)
        opened.kernel = _this_kernel()
    comm.get_comm_manager().register_comm(opened)
    widget.comm = opened


def _this_kernel() -> Any:
    from ipykernel.kernelbase import Kernel

    return Kernel.instance() if Kernel.initialized() else None


def install() -> None:
    """Open every widget with :func:`open_widget` in this process (blocks included)."""
    w.Widget.open = open_widget


def _new_model_id() -> str:
    return f"n{_run_prefix()}{next(_numbers):x}"


@contextmanager
def kept_unopened() -> Iterator[list[w.Widget]]:
    """Widgets made inside are listed, in the order made, and not opened when the block ends:
    :func:`open_kept` opens them later, in another process. The fork server builds the
    scenario lab so (npkit.course.warm): a process without a kernel cannot open a comm, and a
    kernel forked from it takes the lab already built. A widget made here counts as waiting
    (:func:`waiting`), so a shared layout made here is the one every later widget shares, and
    it opens with the first open widget that names it."""
    made: list[w.Widget] = []
    with opened_when_built():
        with _lock:
            before = set(_waiting)
        try:
            yield made
        finally:
            with _lock:
                _read_synced_traits([x for i, x in _waiting.items() if i not in before])
                # listed again: a default read there may have made a widget, kept as well
                for widget in [x for i, x in _waiting.items() if i not in before]:
                    del _waiting[id(widget)]
                    _kept[id(widget)] = widget
                    made.append(widget)


def _read_synced_traits(widgets: list[w.Widget]) -> None:
    """Read every synced trait of ``widgets`` once, so that what traitlets computes on a
    first read (ipywidgets' list of synced traits, dynamic defaults) is computed here, in
    the fork server, and not again in every kernel that opens them (issue 16: taking the
    scenario lab in a forked kernel, 4.2 -> 2.7 ms). A widget such a default makes is
    made in the block and kept with the others."""
    for widget in widgets:
        for name in widget.keys:
            getattr(widget, name)


def open_kept(widgets: list[w.Widget]) -> None:
    """Open the widgets of a :func:`kept_unopened` block that are still unopened, parts
    before the boxes that hold them: they wait in a block, whose end opens them (the
    outermost block's, when this is called inside one)."""
    with opened_when_built(), _lock:
        for widget in widgets:
            if _kept.get(id(widget)) is widget:
                del _kept[id(widget)]
                _waiting[id(widget)] = widget


def open_if_kept(widget: w.Widget) -> None:
    """Open ``widget`` now if a :func:`kept_unopened` block made it and this thread is not
    building in a block (whose end opens it before the widgets that name it): a widget
    opened outside a block sends, or later answers with, a state that names its parts."""
    with _lock:
        if _kept.get(id(widget)) is not widget or _owner is threading.current_thread():
            return
    open_kept([widget])


def discard_kept(widget: w.Widget) -> None:
    """``widget``, made in a :func:`kept_unopened` block, will never be opened."""
    with _lock:
        if _kept.get(id(widget)) is widget:
            del _kept[id(widget)]


@contextmanager
def opened_when_built() -> Iterator[None]:
    """Widgets made inside open their comm when the block ends, with their state by then."""
    global _owner, _opens_before_block
    me = threading.current_thread()
    with _lock:
        if _owner is me:  # nested: the outer block opens them
            outer = True
        elif _owner is None:
            outer = False
            _owner = me
            _opens_before_block = w.Widget.open
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
            w.Widget.open = _opens_before_block
            w.Widget.close = _ipywidgets_close
            w.Widget.send_state = _ipywidgets_send_state
            _owner = None
            try:
                while _waiting:
                    _open_with_parts(next(iter(_waiting.values())))
            finally:
                _waiting.clear()
