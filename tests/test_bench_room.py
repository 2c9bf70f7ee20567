"""The protocol-level room (benchmarks/room.py) without a server: reading a page, the kernel
websocket's v1 frames, what the widget manager asks (and its fallback), and a room's figures
from its trainees. Nothing is timed here (timing is for `make bench`)."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the checkout, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks import room  # noqa: E402

KERNEL = "912a76b4-28e1-4249-bcdd-de4fa5ab92cb"


def output(model_id: str) -> str:
    data = {"data": {room.VIEW_MIME: {"model_id": model_id, "version_major": 2},
                     "text/plain": "Button()"}, "output_type": "display_data"}
    return f'<script type="application/vnd.voila.cell-output+json">\n{json.dumps(data)}\n</script>'


def page(body_class: str, *models: str) -> str:
    config = {"baseUrl": "/", "kernelId": KERNEL, "appUrl": "voila/"}
    return (f'<html><head><script id="jupyter-config-data" type="application/json">\n'
            f'{json.dumps(config)}\n</script></head>\n'
            f'<body class="{body_class}" data-base-url="/voila/">\n'
            + "\n".join(output(m) for m in models) + "\n</body></html>")


def test_parse_page_reads_kernel_views_and_kind():
    info = room.parse_page(page("jp-Notebook npk-page npk-module", "aa11", "bb22"))
    assert info.kernel_id == KERNEL
    assert info.base_url == "/voila/"
    assert info.module_page is True
    assert info.view_models == {"aa11", "bb22"}
    workshop = room.parse_page(page("npk-page npk-module npk-workshop", "cc"))
    assert workshop.module_page is False  # npkit.js checks no learner on a workshop page
    empty = room.parse_page("<html><body class='x'>Voila could not start</body></html>")
    assert empty.kernel_id is None and empty.view_models == set()


def test_cookie_header_keeps_name_and_value_only():
    header, values = room.cookie_header([
        '_xsrf=2|d145|013a|179; expires=Mon, 04 Jan 2027 00:25:30 GMT; Path=/',
        'username-127-0-0-1="2|1:0|10"; HttpOnly; Path=/'])
    assert header == '_xsrf=2|d145|013a|179; username-127-0-0-1="2|1:0|10"'
    assert values["_xsrf"] == "2|d145|013a|179"


def test_v1_frames_as_jupyter_server_reads_them():
    from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

    msg = room.new_message("comm_msg", {"comm_id": "c1", "data": {"method": "request_states"}},
                           "s1")
    channel, parts = deserialize_msg_from_ws_v1(room.encode_v1(msg))
    assert channel == "shell"
    assert json.loads(parts[0])["msg_type"] == "comm_msg"
    assert json.loads(parts[3]) == {"comm_id": "c1", "data": {"method": "request_states"}}
    back = room.decode_v1(room.encode_v1(msg))
    assert back["msg_type"] == "comm_msg" and back["content"] == msg["content"]


class FakeKernel:
    """Answers what the widget manager sends, as ipywidgets' kernel side does; ``control``
    False: the control comm never answers (an old or an overloaded kernel)."""

    def __init__(self, states: dict[str, dict], control: bool = True) -> None:
        self.states, self.control = states, control
        self.sent: list[dict] = []
        self.inbox: asyncio.Queue[bytes] = asyncio.Queue()

    def reply(self, parent: dict, msg_type: str, content: dict, channel: str) -> None:
        msg = room.new_message(msg_type, content, "kernel", channel=channel)
        msg["parent_header"] = parent["header"]
        self.inbox.put_nowait(room.encode_v1(msg))

    def write_message(self, frame: bytes, binary: bool = False) -> None:
        assert binary
        msg = room.decode_v1(frame)
        self.sent.append(msg)
        kind, content = msg["msg_type"], msg["content"]
        if kind == "kernel_info_request":
            self.reply(msg, "kernel_info_reply", {"status": "ok"}, "shell")
        elif kind == "comm_msg" and content["data"]["method"] == "request_states":
            if self.control:
                self.reply(msg, "comm_msg", {"comm_id": content["comm_id"], "data": {
                    "method": "update_states", "states": self.states, "buffer_paths": []}},
                    "iopub")
        elif kind == "comm_info_request":
            self.reply(msg, "comm_info_reply", {"status": "ok", "comms": {
                k: {"target_name": "jupyter.widget"} for k in self.states}}, "shell")
        elif kind == "comm_msg" and content["data"]["method"] == "request_state":
            self.reply(msg, "comm_msg", {"comm_id": content["comm_id"], "data": {
                "method": "update", "state": self.states[content["comm_id"]]}}, "iopub")

    async def read_message(self):
        return await self.inbox.get()


STATES = {"aa11": {"state": {"_model_name": "ButtonModel"}},
          "bb22": {"state": {"_model_name": "LayoutModel"}}}


def test_widget_states_through_the_control_comm(monkeypatch):
    kernel = FakeKernel(STATES)
    t = room.Trainee("t", "floor.ipynb")
    got = asyncio.run(room.widget_states(room.KernelChannel(kernel, "s"), t, timeout=10))
    assert got == {"aa11", "bb22"}
    assert t.widget_states == 2 and t.state_bytes > 0 and not t.fallback
    sent = [(m["msg_type"], m["content"].get("target_name") or
             m["content"].get("data", {}).get("method")) for m in kernel.sent]
    assert sent == [("kernel_info_request", None), ("comm_open", room.CONTROL_TARGET),
                    ("comm_msg", "request_states"), ("comm_close", None)]
    assert kernel.sent[1]["metadata"] == {"version": "1.0.0"}


def test_widget_states_fall_back_to_one_by_one(monkeypatch):
    monkeypatch.setattr(room, "CONTROL_TIMEOUT_S", 0.05)
    kernel = FakeKernel(STATES, control=False)
    t = room.Trainee("t", "floor.ipynb")
    got = asyncio.run(room.widget_states(room.KernelChannel(kernel, "s"), t, timeout=10))
    assert got == {"aa11", "bb22"} and t.fallback and t.widget_states == 2
    asked = [m["content"]["comm_id"] for m in kernel.sent
             if m["content"].get("data", {}).get("method") == "request_state"]
    assert sorted(asked) == ["aa11", "bb22"]


def trainee(ready: float | None, errors: tuple[str, ...] = ()) -> room.Trainee:
    return room.Trainee("t", "floor.ipynb", page_s=0.1, ready_s=ready, widget_states=3,
                        state_bytes=100, page_bytes=1000, errors=list(errors))


def test_summarise_a_room():
    s = room.summarise([trainee(1.0), trainee(3.0), trainee(2.0)])
    assert (s["trainees"], s["server_s"], s["median_s"], s["first_s"], s["errors"]) == (
        3, 3.0, 2.0, 1.0, 0)
    failed = room.summarise([trainee(1.0), trainee(None, ("HTTP 500",)),
                             trainee(2.0, ("3 widget views without a state",))])
    assert failed["server_s"] is None  # a room with a trainee left out was never ready
    assert failed["errors"] == 2
    assert failed["median_s"] == 1.0  # of the trainees who got their page whole
    assert failed["error_messages"] == ["3 widget views without a state", "HTTP 500"]


@pytest.mark.parametrize("sizes", ["1,10,30", "3"])
def test_room_sizes_option(sizes):
    from benchmarks import run

    assert run.parse(["--room-sizes", sizes]).room_sizes == [int(x) for x in sizes.split(",")]


def test_room_sizes_option_refuses_nonsense(capsys):
    from benchmarks import run

    with pytest.raises(SystemExit):
        run.parse(["--room-sizes", "ten"])
    assert "whole numbers" in capsys.readouterr().err


def test_widget_states_with_the_deflated_size():
    big = {f"m{i:03d}": {"state": {"_model_name": "LayoutModel", "width": "100%"}}
           for i in range(200)}
    t = room.Trainee("t", "floor.ipynb", deflate=True)
    asyncio.run(room.widget_states(room.KernelChannel(FakeKernel(big), "s"), t, timeout=10))
    assert t.widget_states == 200
    # 200 states alike: permessage-deflate sends a small fraction of the message
    assert 0 < t.state_deflated_bytes < t.state_bytes / 5
    plain = room.Trainee("t", "floor.ipynb")
    asyncio.run(room.widget_states(room.KernelChannel(FakeKernel(big), "s"), plain, timeout=10))
    assert plain.state_deflated_bytes is None  # only measured when asked (it costs CPU)


def test_deflated_size_is_what_tornado_sends():
    from tornado.websocket import _PerMessageDeflateCompressor

    frame = json.dumps({"states": {f"m{i}": {"layout": "IPY_MODEL_x", "value": i}
                                   for i in range(300)}}).encode()
    sent = _PerMessageDeflateCompressor(persistent=False, max_wbits=None).compress(frame)
    assert room.deflated_size(frame) == len(sent)


def test_summarise_keeps_the_deflated_median():
    ts = [trainee(1.0), trainee(2.0)]
    ts[0].state_deflated_bytes, ts[1].state_deflated_bytes = 30, 50
    assert room.summarise(ts)["state_deflated_bytes_median"] == 40
    assert room.summarise([trainee(1.0)])["state_deflated_bytes_median"] is None
