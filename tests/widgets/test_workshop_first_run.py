"""The workshop pages (08, 09) open their widgets with their first state (issue 16), and what
they show later (a trainee seated, a session started, the trainer panel opened) still reaches
the page: every widget it then shows has its model open in the page."""

from __future__ import annotations

import ipywidgets as w
import pytest
from ipywidgets.widgets import widget as ipywidget

from npkit.casefile.library import library
from npkit.course.widgets.workshop_trainee import TraineePage
from npkit.course.widgets.workshop_trainer import TrainerPage, rehearsal
from npkit.store.learners import Store
from npkit.store.workshop import Workshop


class Sent:
    """The models whose comm opens, and the widget messages sent, while it watches."""

    def __init__(self, monkeypatch):
        self.opened: list[str] = []
        self.updates: list[tuple[str, dict]] = []
        real_comm, real_send = ipywidget.comm.create_comm, w.Widget._send

        def create_comm(**kw):
            self.opened.append(kw["data"]["state"].get("_model_name"))
            return real_comm(**kw)

        def send(widget, msg, buffers=None):
            self.updates.append((type(widget).__name__, msg))
            return real_send(widget, msg, buffers)

        monkeypatch.setattr(ipywidget.comm, "create_comm", create_comm)
        monkeypatch.setattr(w.Widget, "_send", send)


@pytest.fixture(scope="module")
def cases():
    return library().cases


@pytest.fixture
def ws(tmp_path):
    store = Store.open(tmp_path / "workshop.sqlite")
    yield Workshop(store)
    store.close()


def shown(root: w.Widget) -> list[w.Widget]:
    """Every widget the page draws under ``root``: children, layouts, styles."""
    found: dict[int, w.Widget] = {}
    stack = [root]
    while stack:
        item = stack.pop()
        if id(item) in found:
            continue
        found[id(item)] = item
        for name in item.keys:
            value = getattr(item, name, None)
            for part in value if isinstance(value, tuple | list) else (value,):
                if isinstance(part, w.Widget):
                    stack.append(part)
    return list(found.values())


def test_the_rehearsal_sends_the_trainer_s_page_nothing(monkeypatch, ws, cases, tmp_path):
    """Page 09 prints a rehearsal through both pages, whose widgets are never shown: made and
    closed before they open, they cost the page no model and no message (they cost it about
    200 updates)."""
    page = TrainerPage(cases, workshop=ws)  # the page's own widgets (and shared looks) open
    sent = Sent(monkeypatch)
    out = rehearsal("jane", ["fails", "fails", "succeeds"], folder=tmp_path)
    assert "deleted: True" in out, out
    assert sent.opened == [] and sent.updates == [], (sent.opened[:5], sent.updates[:5])
    page.close()


def test_a_trainee_seated_after_the_first_run_sees_the_question(monkeypatch, ws, cases):
    """The join page's answer area is built hidden with a Layout it shares; seated later (a
    click, a reload), it is shown with a Layout of its own that the page has, and the form
    hides."""
    trainer = TrainerPage(cases, workshop=ws)
    trainer.case.value = "jane"
    trainer.start_button.click()
    page = TraineePage(cases, workshop=ws, query=f"session={trainer.code}")
    hidden = page.answer_area.layout
    assert hidden.display == "none" and hidden is page.text_group.layout
    sent = Sent(monkeypatch)
    page.nickname.value = "Owl"
    page.join_button.click()
    assert page.seat is not None, page.status.value
    assert page.answer_area.layout.display is None and page.join_form.layout.display == "none"
    assert page.answer_area.layout is not hidden and hidden.display == "none"
    assert page.choice.layout.display is None and page.text_group.layout.display == "none"
    assert "LayoutModel" in sent.opened and sent.updates  # the change reached the page
    closed = [x for x in shown(page.widget) if x.comm is None]
    assert closed == [], closed
    page.close()
    trainer.close()


def test_a_session_started_after_the_first_run_shows_its_screen_and_panel(ws, cases):
    trainer = TrainerPage(cases, workshop=ws)
    assert trainer.screen.layout is trainer.panel.layout  # built hidden, sharing one Layout
    trainer.case.value = "jane"
    trainer.start_button.click()
    trainer.panel_button.click()
    trainer.delete_button.click()
    assert trainer.code and trainer.screen.layout.display is None
    assert trainer.panel.layout.display is None and trainer.confirm_box.layout.display is None
    assert trainer.start_form.layout.display == "none"
    assert trainer.link_key.layout.display == "none"  # never shown
    closed = [x for x in shown(trainer.widget) if x.comm is None]
    assert closed == [], closed
    trainer.cancel_delete_button.click()
    assert trainer.confirm_box.layout.display == "none" and trainer.code
    trainer.close()
