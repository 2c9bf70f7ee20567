"""In a kernel Voila started for a page, widgets open without a ``comm_open`` message until
the page asks for the widget states (first_state.open_widget, issue 16): nothing could read
it, and the page still gets every state, and talks to every widget, once it connects."""

from __future__ import annotations

import comm
import ipywidgets as w
import pytest

from npkit.course import binding
from npkit.course.widgets import first_state, lean, ui  # noqa: F401 - ui installs open_widget
from npkit.course.widgets.first_state import opened_when_built


class Published:
    """Every message a widget's comm publishes (what the kernel would send on iopub), as
    ``(message type, comm id)``."""

    def __init__(self, monkeypatch):
        self.messages: list[tuple[str, str]] = []

        def publish(made, msg_type, data=None, metadata=None, buffers=None, **keys):
            self.messages.append((msg_type, made.comm_id))

        monkeypatch.setattr(comm.DummyComm, "publish_msg", publish)

    def of(self, widget: w.Widget | str) -> list[str]:
        model_id = widget if isinstance(widget, str) else widget.model_id
        return [kind for kind, comm_id in self.messages if comm_id == model_id]


@pytest.fixture
def published(monkeypatch):
    return Published(monkeypatch)


@pytest.fixture
def page_kernel(monkeypatch):
    """A kernel Voila started for a page that has not asked for the widget states yet."""
    monkeypatch.setenv(binding.KERNEL_ID_VARIABLE, "a-kernel-id")
    monkeypatch.delenv(first_state.OPEN_MESSAGES_VARIABLE, raising=False)
    monkeypatch.setattr(w.Widget, "_control_comm", None)


def _from_the_page(widget: w.Widget, state: dict) -> None:
    """The page changes ``widget``, as its widget manager sends it to the kernel."""
    message = {"content": {"comm_id": widget.model_id,
                           "data": {"method": "update", "state": state, "buffer_paths": []}},
               "metadata": {}, "buffers": []}
    comm.get_comm_manager().comm_msg(None, "", message)


def test_before_the_page_asks_widgets_open_without_a_message_and_the_page_gets_their_state(
        page_kernel, published):
    with opened_when_built():
        built = w.HTML("")
        built.value = "<p>Loaded the case.</p>"
    alone = w.Checkbox(description="An imminent threat", value=True)
    assert published.messages == []
    for widget in (built, alone):
        assert comm.get_comm_manager().get_comm(widget.model_id) is widget.comm
    states, _paths, _buffers = lean.states()
    assert states[built.model_id]["state"]["value"] == "<p>Loaded the case.</p>"
    assert states[alone.model_id]["state"]["value"] is True
    assert states[alone.model_id]["state"]["description"] == "An imminent threat"


def test_the_page_reaches_a_widget_opened_without_a_message_and_hears_its_changes(
        page_kernel, published):
    threat = w.Checkbox(description="An imminent threat", value=True)
    _from_the_page(threat, {"value": False})
    assert threat.value is False
    published.messages.clear()  # ipywidgets echoes the page's change back to it
    threat.description = "A threat of death"
    assert published.of(threat) == ["comm_msg"]
    model_id = threat.model_id
    threat.close()
    assert published.of(model_id) == ["comm_msg", "comm_close"]


def test_once_the_page_has_asked_widgets_open_as_ipywidgets_opens_them(
        page_kernel, published, monkeypatch):
    monkeypatch.setattr(w.Widget, "_control_comm", object())  # lean.handle_control_opened
    alone = w.HTML("a")
    with opened_when_built():
        built = w.HTML("b")
    assert published.of(alone) == ["comm_open"]
    assert published.of(built) == ["comm_open"]


def test_outside_a_page_kernel_widgets_open_as_ipywidgets_opens_them(published, monkeypatch):
    monkeypatch.delenv(binding.KERNEL_ID_VARIABLE, raising=False)
    monkeypatch.setattr(w.Widget, "_control_comm", None)
    assert published.of(w.HTML("a")) == ["comm_open"]


def test_the_benchmarks_switch_sends_every_comm_open(page_kernel, published, monkeypatch):
    monkeypatch.setenv(first_state.OPEN_MESSAGES_VARIABLE, "1")
    assert published.of(w.HTML("a")) == ["comm_open"]


def test_an_output_widget_still_opens_with_its_message(page_kernel, published):
    # Voila's executor reads an Output widget's comm_open to route the output it captures
    assert published.of(w.Output()) == ["comm_open"]
