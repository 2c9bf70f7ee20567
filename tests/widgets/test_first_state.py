"""Widgets made inside first_state.opened_when_built open once, with their state by then
(issue 16: no update for a page nobody sees yet)."""

from __future__ import annotations

import ipywidgets as w
import pytest
from ipywidgets.widgets import widget as ipywidget
from traitlets import Instance

from npkit.course.widgets import first_state, ui
from npkit.course.widgets.first_state import opened_when_built, waiting


class Sent:
    """Every comm a widget opens, and every message it then sends, as (model, data)."""

    def __init__(self, monkeypatch):
        self.opened: list[tuple[str, dict]] = []
        self.updates: list[tuple[str, dict]] = []
        real = ipywidget.comm.create_comm

        def create_comm(**kw):
            made = real(**kw)
            model = kw["data"]["state"].get("_model_name")
            self.opened.append((made.comm_id, kw["data"]["state"]))
            made.send = lambda data=None, **_: self.updates.append((model, data))
            return made

        monkeypatch.setattr(ipywidget.comm, "create_comm", create_comm)

    def state(self, widget: w.Widget) -> dict:
        (found,) = [s for cid, s in self.opened if cid == widget.model_id]
        return found


@pytest.fixture
def sent(monkeypatch):
    return Sent(monkeypatch)


def test_a_widget_filled_in_after_it_is_made_opens_once_with_its_last_value(sent):
    with opened_when_built():
        page = w.HTML("", layout=ui.shared(w.Layout), style=ui.shared_style(w.HTML))
        page.value = "<p>Loaded Jane.</p>"
        page.add_class("npk-status-line")
        assert page.comm is None and waiting(page)
    assert page.comm is not None and not waiting(page)
    assert sent.updates == []
    state = sent.state(page)
    assert state["value"] == "<p>Loaded Jane.</p>"
    assert list(state["_dom_classes"]) == ["npk-status-line"]
    page.value = "<p>Changed.</p>"  # once open, a change travels as ipywidgets sends it
    assert sent.updates == [("HTMLModel", {"method": "update", "buffer_paths": [],
                                           "state": {"value": "<p>Changed.</p>"}})]


def test_a_box_opens_after_the_parts_it_names(sent):
    with opened_when_built():
        box = w.VBox()  # made first, filled later: its state names parts made after it
        parts = [w.Checkbox(description="An imminent threat"), w.HTML("why")]
        box.children = parts
    opened = [cid for cid, _ in sent.opened]
    assert opened.index(box.model_id) > max(opened.index(p.model_id) for p in parts)
    assert sent.state(box)["children"] == [f"IPY_MODEL_{p.model_id}" for p in parts]
    assert sent.updates == []
    assert all(len(p.model_id) < 32 for p in [box, *parts])  # the short ids
    assert len({p.model_id for p in [box, *parts]}) == 3


def test_a_shared_look_made_in_the_block_is_shared_not_made_again(sent):
    w.Widget.close_all()  # no shared look left from another test
    with opened_when_built():
        first = ui.shared(w.Layout, width="17rem")
        again = ui.shared(w.Layout, width="17rem")
        assert first is again
        w.HTML("x", layout=first)
    assert first.comm is not None


def test_a_widget_closed_in_the_block_is_never_opened(sent):
    with opened_when_built():
        dropped = w.HTML("a draft")
        dropped.close()
        kept = w.HTML("kept")
    assert dropped.comm is None and kept.comm is not None
    assert all(s.get("value") != "a draft" for _, s in sent.opened)


def test_blocks_nest_and_the_outer_one_opens(sent):
    with opened_when_built():
        with opened_when_built():
            inner = w.HTML("inner")
        assert inner.comm is None
    assert inner.comm is not None and sent.updates == []


def test_widgets_open_even_when_the_block_raises(sent):
    before = w.Widget.__dict__["open"]  # ipywidgets', or first_state.open_widget (ui installs it)
    with pytest.raises(ValueError), opened_when_built():
        made = w.HTML("before the error")
        raise ValueError("a bad case file")
    assert made.comm is not None
    assert w.Widget.__dict__["open"] is before
    assert w.Widget.__dict__["send_state"] is first_state._ipywidgets_send_state


def test_an_open_box_given_a_new_part_in_the_block_opens_the_part_first(sent):
    # what a saved scenario replayed into the lab does: a row added to a box already open
    box = w.VBox()
    with opened_when_built():
        row = w.HTML("threat 2")
        box.children = [row]
        assert row.comm is not None  # opened for the box's update, which names it
    assert sent.updates == [("VBoxModel", {"method": "update", "buffer_paths": [],
                                           "state": {"children": [f"IPY_MODEL_{row.model_id}"]}})]


def test_a_forked_kernel_gives_its_widgets_ids_of_its_own(sent, monkeypatch):
    # Kernels forked from the fork server share what it imported, this module included: the
    # id prefix must come from the process that opens the widgets, not from the import.
    with opened_when_built():
        first = w.HTML("a")
    monkeypatch.setattr(first_state.os, "getpid", lambda: -12345)
    with opened_when_built():
        second = w.HTML("b")
    assert first.model_id[:7] != second.model_id[:7]


def test_another_thread_changes_and_closes_widgets_while_a_page_builds(sent):
    # a kernel's other thread (a poll's timer, a comm's handler) changes a widget of its own
    # while a page builds (sent as ipywidgets sends it), and closes one the page made (never
    # opened)
    import threading

    other = w.HTML("before")
    with opened_when_built():
        mine = w.HTML("mine")

        def elsewhere():
            other.value = "after"
            mine.close()

        t = threading.Thread(target=elsewhere)
        t.start()
        t.join()
        assert not waiting(mine)
    values = [s["value"] for _, s in sent.opened if "value" in s]
    assert mine.comm is None and values == ["before"]
    assert sent.updates == [("HTMLModel", {"method": "update", "buffer_paths": [],
                                           "state": {"value": "after"}})]



class _Pointer(w.DOMWidget):
    """A widget that names another in a trait of its own (as jslink's ends do)."""

    target = Instance(w.Widget, allow_none=True).tag(sync=True, **ipywidget.widget_serialization)


def test_a_widget_opens_after_a_part_it_names_in_any_trait(sent):
    with opened_when_built():
        pointer = _Pointer()  # made first, pointed later
        pointer.target = w.IntText()
    opened = [cid for cid, _ in sent.opened]
    assert opened.index(pointer.model_id) > opened.index(pointer.target.model_id)
    assert sent.state(pointer)["target"] == f"IPY_MODEL_{pointer.target.model_id}"


# --- widgets built in one process and opened in another (the fork server's scenario lab) ----

def test_widgets_made_in_a_kept_block_wait_unopened_until_open_kept(sent):
    with first_state.kept_unopened() as made:
        look = ui.shared(w.Layout, width="19.5rem")
        box = w.VBox(layout=look)
        part = w.HTML("why", layout=look, style=ui.shared_style(w.HTML, font_size="1.05em"))
        box.children = [part]
    assert made == [look, box, part.style, part]  # in the order made
    assert all(x.comm is None and waiting(x) for x in made)
    assert sent.opened == []  # the block's end opened nothing
    first_state.open_kept(made)
    opened = [cid for cid, _ in sent.opened]
    assert opened.index(box.model_id) > opened.index(part.model_id) > opened.index(
        part.layout.model_id)
    assert sent.state(box)["children"] == [f"IPY_MODEL_{part.model_id}"]
    assert not any(waiting(x) for x in made) and sent.updates == []
    first_state.open_kept(made)  # once only
    assert len(sent.opened) == 4


def test_a_kept_shared_look_opens_before_an_open_widget_names_it(sent):
    # the fork server's lab keeps the page's shared looks unopened; a header built outside
    # any block afterwards (in the kernel) shares them, and its state names them by model id
    with first_state.kept_unopened():
        look = ui.shared(w.Layout, width="23.5rem")
    page = w.HTML("a module's heading", layout=ui.shared(w.Layout, width="23.5rem"))
    assert look.comm is not None and page.layout is look
    assert sent.state(page)["layout"] == f"IPY_MODEL_{look.model_id}"


def test_a_kept_block_inside_a_building_block_is_not_opened_by_it(sent):
    with opened_when_built():
        built_now = w.HTML("now")
        with first_state.kept_unopened() as made:
            later = w.HTML("later")
    assert built_now.comm is not None
    # with the layout and style its defaults made when the block read its traits
    assert made[0] is later and {id(x) for x in made} == {id(later), id(later.layout),
                                                          id(later.style)}
    assert all(x.comm is None and waiting(x) for x in made)
    for widget in made:
        first_state.discard_kept(widget)
    assert not waiting(later)
    first_state.open_kept(made)  # discarded: never opened
    assert all(x.comm is None for x in made)
    assert [s["value"] for _, s in sent.opened if "value" in s] == ["now"]
