"""The course server's kernel manager (npkit.course.kernels): its activity watch records what
Jupyter Server's records, for the same messages, without decoding whole messages."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

pytest.importorskip("jupyter_server")

from jupyter_client.session import Session  # noqa: E402
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager  # noqa: E402

from npkit.course import dashboard  # noqa: E402
from npkit.course.kernels import CourseKernelManager  # noqa: E402

KEY = b"a-kernel-key"
START = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


class Stream:
    """A kernel's IOPub stream: keeps every callback the watch registers."""

    def __init__(self):
        self.callbacks = []
        self.socket = SimpleNamespace(closed=False)

    def on_recv(self, callback):
        self.callbacks.append(callback)

    def close(self):
        self.socket.closed = True


def watched(manager_class):
    """A manager watching one fake kernel; the kernel and the watch's callbacks."""
    manager = manager_class()
    stream = Stream()
    kernel = SimpleNamespace(session=Session(key=KEY), execution_state="starting",
                             last_activity=None, reason=None,
                             connect_iopub=lambda: stream)
    manager._kernels["k1"] = kernel
    manager.start_watching_activity("k1")
    return manager, kernel, stream.callbacks


def iopub(msg_type: str, content: dict, parent: str | None, key: bytes = KEY) -> list[bytes]:
    session = Session(key=key)
    parent_msg = session.msg(parent, {}) if parent else None
    return session.serialize(session.msg(msg_type, content, parent=parent_msg))


# What a page's kernel publishes while it starts and runs its cells, then a widget request.
MESSAGES = [
    ("status", {"execution_state": "starting"}, None),
    ("status", {"execution_state": "busy"}, "kernel_info_request"),
    ("status", {"execution_state": "idle"}, "kernel_info_request"),
    ("status", {"execution_state": "busy"}, "execute_request"),
    ("execute_input", {"code": "x", "execution_count": 1}, "execute_request"),
    ("comm_open", {"comm_id": "c1", "target_name": "jupyter.widget",
                   "data": {"state": {"value": "x" * 5000}}}, "execute_request"),
    ("comm_msg", {"comm_id": "c1", "data": {"method": "update"}}, "execute_request"),
    ("display_data", {"data": {"text/plain": "w"}, "metadata": {}}, "execute_request"),
    ("status", {"execution_state": "idle"}, "execute_request"),
    ("status", {"execution_state": "busy"}, "comm_info_request"),
    ("comm_msg", {"comm_id": "c1", "data": {"method": "update_states"}}, "comm_msg"),
    ("status", {"execution_state": "idle"}, "comm_info_request"),
]


def replay(manager_class, messages, times):
    manager, kernel, callbacks = watched(manager_class)
    seen = []
    for i, (msg_type, content, parent) in enumerate(messages):
        times.append(i)
        callbacks[-1](iopub(msg_type, content, parent))
        seen.append((kernel.execution_state, kernel.last_activity,
                     manager.last_kernel_activity))
    return seen


def test_the_watch_records_what_jupyter_servers_records(monkeypatch):
    clock: list[int] = []
    # an instant per message, so that "activity recorded" is visible in the states
    def now():
        return START + timedelta(seconds=clock[-1] + 1 if clock else 0)

    monkeypatch.setattr("jupyter_server.services.kernels.kernelmanager.utcnow", now)
    monkeypatch.setattr("npkit.course.kernels._now", now)
    theirs = replay(AsyncMappingKernelManager, MESSAGES, clock)
    clock.clear()
    ours = replay(CourseKernelManager, MESSAGES, clock)
    assert ours == theirs
    states = [s[0] for s in ours]
    assert "busy" in states and states[-1] == "idle"
    # the widget messages (the 6th and 7th) count as activity
    assert {s[1] for s in ours} > {START + timedelta(seconds=6), START + timedelta(seconds=7)}


def test_the_watch_decodes_no_whole_message(monkeypatch):
    decoded = []
    whole = Session.deserialize
    monkeypatch.setattr(Session, "deserialize",
                        lambda self, *a, **kw: decoded.append(1) or whole(self, *a, **kw))
    replay(AsyncMappingKernelManager, MESSAGES, [])
    assert len(decoded) >= len(MESSAGES)  # Jupyter Server's: one or two per message
    decoded.clear()
    replay(CourseKernelManager, MESSAGES, [])
    assert decoded == []


def test_a_message_with_a_bad_signature_is_ignored():
    manager, kernel, callbacks = watched(CourseKernelManager)
    callbacks[-1](iopub("status", {"execution_state": "busy"}, "execute_request",
                        key=b"not-the-key"))
    unsigned = iopub("status", {"execution_state": "busy"}, "execute_request")
    unsigned[unsigned.index(b"<IDS|MSG>") + 1] = b""
    callbacks[-1](unsigned)
    assert kernel.execution_state == "starting" and kernel.last_activity is not None
    callbacks[-1](iopub("status", {"execution_state": "busy"}, "execute_request"))
    assert kernel.execution_state == "busy"


def test_the_course_server_uses_it(tmp_path, monkeypatch):
    from dashboard_support import course_app
    from voila.configuration import VoilaConfiguration

    app = course_app(monkeypatch, dashboard.voila_command(tmp_path))
    assert VoilaConfiguration(parent=app).multi_kernel_manager_class is CourseKernelManager
    assert json.loads(dashboard.CONFIG.read_text(encoding="utf-8"))[
        "MappingKernelManager"]["cull_idle_timeout"] > 0  # its culling settings still apply
    manager = CourseKernelManager(parent=app)
    assert manager.cull_idle_timeout == dashboard.CULL_IDLE_SECONDS
