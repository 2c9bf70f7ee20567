"""Widgets that look alike share one Layout and one style (ui.shared), and no code changes a
shared one; the page's widget states travel without their default values (lean.py)."""

from __future__ import annotations

import ast
from pathlib import Path

import ipywidgets as w
import pytest

from npkit.course.widgets import lean, ui

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "npkit" / "course"


def _mutations(tree: ast.AST) -> list[int]:
    """Lines assigning ``<something>.layout.<trait>`` or ``<something>.style.<trait>`` where
    ``<something>`` is a name or attribute (a shared look would change on every widget);
    ``ui.own_layout(x).display = ...`` is the way to change one widget's layout."""
    found = []
    for node in ast.walk(tree):
        targets = (node.targets if isinstance(node, ast.Assign)
                   else [node.target] if isinstance(node, (ast.AugAssign, ast.AnnAssign))
                   else [])
        for t in targets:
            if (isinstance(t, ast.Attribute) and isinstance(t.value, ast.Attribute)
                    and t.value.attr in {"layout", "style"}
                    and not isinstance(t.value.value, ast.Call)):
                found.append(t.lineno)
    return found


def test_no_course_code_changes_a_layout_or_style_in_place():
    found = {str(p.relative_to(ROOT)): lines for p in sorted(COURSE.rglob("*.py"))
             if (lines := _mutations(ast.parse(p.read_text(encoding="utf-8"))))}
    assert not found, found


def test_the_scan_catches_a_change_in_place():
    assert _mutations(ast.parse("x.layout.display = 'none'\nself.a.style.width = '1'")) == [1, 2]
    assert _mutations(ast.parse("ui.own_layout(x).display = 'none'\nx.layout = y")) == []


def test_own_layout_gives_a_widget_sharing_a_look_its_own_copy():
    look = ui.shared(w.Layout, width="19px")
    a, b = w.HTML(layout=look), w.HTML(layout=look)
    mine = ui.own_layout(a)
    assert mine is not look and mine.width == "19px" and not ui.is_shared(mine)
    mine.display = "none"
    assert b.layout is look and look.display is None
    assert ui.own_layout(a) is mine  # already its own


def test_the_header_learner_slot_shows_and_hides_without_changing_a_shared_look():
    from npkit.course.widgets.base import module_header

    header = module_header(1)
    assert header.learner.layout.display == "none"
    header.show_learner(None)
    assert header.learner.layout.display is None and ui.is_shared(header.learner.layout)
    header.learner.value = ""
    assert header.learner.layout.display == "none"


def test_boxes_share_one_layout_and_carry_their_classes():
    a = ui.box([w.HTML()], label="A", kind="group", row=True)
    b = ui.vbox([w.HTML()], "npk-x")
    assert a.layout is b.layout and ui.is_shared(a.layout)
    assert a._dom_classes == ("npk-box", "npk-row", "npk-box-group")
    assert b._dom_classes == ("npk-x",)


# --- lean.py: the states the front end is sent ---------------------------------------------


def test_states_leave_out_defaults_and_keep_what_was_set():
    box = w.Checkbox(value=True, description="Fraud", layout=ui.shared(w.Layout, width="auto"))
    found, _paths, _buffers = lean.states()
    mine = found[box.model_id]
    assert mine["model_name"] == "CheckboxModel"
    assert mine["model_module"] == "@jupyter-widgets/controls"
    state = mine["state"]
    assert state["value"] is True and state["description"] == "Fraud"
    assert state["layout"] == f"IPY_MODEL_{box.layout.model_id}"
    assert "disabled" not in state and "tooltip" not in state  # defaults: the front end has them
    layout = found[box.layout.model_id]["state"]
    assert layout["width"] == "auto" and "height" not in layout
    full = box.get_state()
    assert set(state) < set(full) and all(full[k] == v for k, v in state.items())


class _Comm:
    def __init__(self):
        self.sent, self.handler = [], None

    def on_msg(self, handler):
        self.handler = handler

    def send(self, data, buffers=None):
        self.sent.append(data)


def test_the_control_comm_answers_request_states_with_the_lean_states(monkeypatch):
    monkeypatch.setattr(w.Widget, "_control_comm", None)  # restored after the test
    box = w.HTML("x")
    comm = _Comm()
    lean.handle_control_opened(comm, {"metadata": {"version": "1.0.0"}})
    comm.handler({"content": {"data": {"method": "request_states"}}})
    (reply,) = comm.sent
    assert reply["method"] == "update_states" and reply["buffer_paths"] == []
    assert reply["states"][box.model_id]["state"]["value"] == "x"
    assert reply["states"] == lean.states()[0]
    with pytest.raises(RuntimeError, match="Unknown"):
        comm.handler({"content": {"data": {"method": "other"}}})


def test_the_control_comm_refuses_another_protocol_version():
    with pytest.raises(ValueError, match="protocol"):
        lean.handle_control_opened(_Comm(), {"metadata": {"version": "2.0.0"}})


def test_install_does_nothing_outside_a_kernel():
    assert lean.install() is False


def test_states_leave_out_an_empty_class_list_and_keep_a_full_one():
    plain, classy = w.HTML("a"), w.HTML("b", _dom_classes=("npk-x",))
    found = lean.states()[0]
    assert "_dom_classes" not in found[plain.model_id]["state"]
    assert list(found[classy.model_id]["state"]["_dom_classes"]) == ["npk-x"]


class _Manager:
    def __init__(self):
        self.targets = {}

    def register_target(self, name, handler):
        self.targets[name] = handler


@pytest.fixture
def in_a_kernel(monkeypatch) -> _Manager:
    """IPython with a kernel and a comm manager that notes what is registered."""
    import types

    import comm
    import IPython

    manager = _Manager()
    monkeypatch.setattr(IPython, "get_ipython", lambda: types.SimpleNamespace(kernel=object()))
    monkeypatch.setattr(comm, "get_comm_manager", lambda: manager)
    return manager


def test_this_ipywidgets_has_every_private_name_lean_needs():
    assert lean.missing_private_names() == []


def test_install_registers_the_lean_handler_in_a_kernel(in_a_kernel):
    assert lean.install() is True
    assert in_a_kernel.targets == {lean.CONTROL_TARGET: lean.handle_control_opened}


def test_an_ipywidgets_without_the_private_names_keeps_its_own_handler(in_a_kernel, monkeypatch,
                                                                     caplog):
    from ipywidgets.widgets import widget as ipywidget

    monkeypatch.delattr(ipywidget, "_remove_buffers")
    assert lean.missing_private_names() == ["_remove_buffers"]
    assert lean.install() is False
    assert in_a_kernel.targets == {}
    assert "sent in full" in caplog.text and "_remove_buffers" in caplog.text
