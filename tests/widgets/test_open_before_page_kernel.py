"""A real kernel Voila would start for a page (``VOILA_KERNEL_ID`` set): while the page runs,
its widgets send no ``comm_open``; once the page asks for the states, it gets them all, and
a change it makes reaches the widget and comes back with what the page's code changed
(first_state.open_widget, issue 16). The unit tests fake the comm; this one is ipykernel's."""

from __future__ import annotations

import os
import time
import uuid

import pytest

pytest.importorskip("ipykernel")

# A page in small: a tick-box whose change rewrites a line of text, as the course's pages do.
PAGE = """
import ipywidgets as w
from npkit.course.widgets import ui  # installs first_state.open_widget, as every page does
from npkit.course.widgets.first_state import opened_when_built

with opened_when_built():
    line = w.HTML("No threat ticked.")
threat = w.Checkbox(description="An imminent threat", value=False)
threat.observe(lambda change: setattr(line, "value", f"Threat ticked: {change['new']}."),
               "value")
display(w.VBox([threat, line]))
"""
TIMEOUT = 60


@pytest.fixture
def page_kernel():
    from kernel_support import IpcKernelManager  # not TCP: its docstring says why

    from npkit.course.dashboard import KERNEL_ENVIRONMENT

    # as the course server starts a page's kernel (run_voila sets KERNEL_ENVIRONMENT)
    env = {**os.environ, **KERNEL_ENVIRONMENT, "VOILA_KERNEL_ID": f"test-{uuid.uuid4().hex[:8]}"}
    env.pop("NPKIT_WIDGET_OPEN_MESSAGES", None)
    km = IpcKernelManager(kernel_name="python3")
    km.start_kernel(env=env)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        yield kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def _until(kc, wanted) -> list[dict]:
    """iopub messages up to and including the first that ``wanted`` accepts."""
    seen = []
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        seen.append(msg)
        if wanted(msg):
            return seen
    raise AssertionError(f"not seen; saw {[m['msg_type'] for m in seen]}")


def _comm_data(msg: dict) -> dict:
    return msg["content"].get("data", {}) if msg["msg_type"] == "comm_msg" else {}


def test_a_page_kernel_sends_no_comm_open_and_the_page_still_gets_and_changes_every_widget(
        page_kernel):
    kc = page_kernel
    sent = []
    reply = kc.execute_interactive(PAGE, timeout=TIMEOUT, output_hook=sent.append)
    assert reply["content"]["status"] == "ok", reply["content"]
    assert [m for m in sent if m["msg_type"].startswith("comm")] == []
    shown = [m for m in sent if m["msg_type"] == "display_data"]
    assert len(shown) == 1

    # the page's widget manager connects: the control comm, then every state at once
    control = uuid.uuid4().hex
    kc.shell_channel.send(kc.session.msg("comm_open", {
        "comm_id": control, "target_name": "jupyter.widget.control", "data": {}},
        metadata={"version": "1.0.0"}))
    kc.shell_channel.send(kc.session.msg("comm_msg", {
        "comm_id": control, "data": {"method": "request_states"}}))
    answer = _until(kc, lambda m: _comm_data(m).get("method") == "update_states")[-1]
    states = _comm_data(answer)["states"]
    by_name = {s["model_name"]: (model_id, s["state"]) for model_id, s in states.items()}
    threat_id, threat = by_name["CheckboxModel"]
    line_id, line = by_name["HTMLModel"]
    assert threat["description"] == "An imminent threat"
    assert line["value"] == "No threat ticked."
    box = shown[0]["content"]["data"]["application/vnd.jupyter.widget-view+json"]["model_id"]
    assert by_name["VBoxModel"][0] == box

    # the trainee ticks the box
    kc.shell_channel.send(kc.session.msg("comm_msg", {
        "comm_id": threat_id,
        "data": {"method": "update", "state": {"value": True}, "buffer_paths": []}}))
    back = _until(kc, lambda m: m["content"].get("comm_id") == line_id)
    assert _comm_data(back[-1])["state"] == {"value": "Threat ticked: True."}
    assert not [m for m in back if _comm_data(m).get("method") == "echo_update"]  # no echo

    # a widget made now, with the page connected, opens as ipywidgets opens it
    reply = kc.execute_interactive('later = w.HTML("A later line.")', timeout=TIMEOUT,
                                   output_hook=sent.append)
    assert reply["content"]["status"] == "ok", reply["content"]
    opened = [m["content"]["data"]["state"] for m in sent if m["msg_type"] == "comm_open"]
    assert [s["value"] for s in opened if s["_model_name"] == "HTMLModel"] == ["A later line."]
