"""Hold the cyclic garbage collector off while the engine builds findings.

A counterfactual search makes tens of thousands of small objects (findings, reasons, words)
that mostly live on in the memo. CPython starts a collection every 700 container objects made
and, as the survivors pile up, full collections that walk every object of the process (the
case library, the law data, pydantic's models: about 230,000 objects in a course kernel).
Measured on assessing every case cold, those collections were about a third of the CPU time.
The findings form no reference cycles (frozen dataclasses and tuples), so holding collection
off loses no memory that reference counting would not free anyway; the collector runs again,
as before, once the outermost pause ends.

Nested and concurrent pauses share one count: the collector is switched back on only by the
last one to end, and only if it was on when the first one began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def gc_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
