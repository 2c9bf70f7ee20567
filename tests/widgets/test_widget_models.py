"""How many widget models the scenario lab's page sends each trainee (issue 16): widgets that
look alike share one Layout and one style (ui.shared), and a shared one cannot change."""

from __future__ import annotations

import json

import ipywidgets as w
import pytest

from npkit.casefile.library import library
from npkit.course.widgets import ui
from npkit.course.widgets.base import disclaimer, module_header
from npkit.course.widgets.scenario_lab import ScenarioLab

MAX_MODELS = 115  # the lab's page; 293 before the diet, 130 before the second round
MAX_LAYOUTS_AND_STYLES = 12  # 208 before the diet, 25 before the second round


def models(*roots: w.Widget) -> list[w.Widget]:
    """Every widget model the front end needs to draw ``roots``: children, layouts, styles."""
    seen: dict[str, w.Widget] = {}

    def walk(value) -> None:
        if isinstance(value, w.Widget):
            if value.model_id in seen:
                return
            seen[value.model_id] = value
            for key in value.keys:
                walk(getattr(value, key))
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    for root in roots:
        walk(root)
    return list(seen.values())


@pytest.fixture(scope="module")
def page():
    header = module_header(5)
    lab = ScenarioLab(library().cases, start="jane")
    return lab, [header, disclaimer(), lab.widget]


def test_the_lab_page_sends_few_models(page):
    lab, roots = page
    found = models(*roots)
    looks = [m for m in found if isinstance(m, (w.Layout, w.widgets.widget_description.Style))]
    assert len(found) <= MAX_MODELS, len(found)
    assert len(looks) <= MAX_LAYOUTS_AND_STYLES, len(looks)
    # every checkbox shares one layout and one style
    boxes = [*lab.quick.values(), *lab.means.values()]
    assert len({b.layout.model_id for b in boxes}) == 1
    assert len({b.style.model_id for b in boxes}) == 1
    # and the state stays JSON the front end can take
    assert all(json.dumps(m.get_state(), default=str) for m in found)


def test_a_shared_layout_refuses_a_change_that_would_show_on_every_widget(page):
    lab, _ = page
    shared = lab.story.layout
    assert shared is lab.why.layout
    with pytest.raises(AttributeError, match="shared"):
        shared.display = "none"
    assert shared.display is None
    own = w.HTML("")
    own.layout.display = "none"  # a widget's own layout still changes
    assert own.layout.display == "none"


def test_shared_objects_come_back_after_close_all():
    # A look of this test's own: closing one the lab shares would break the other tests here.
    first = ui.shared(w.Layout, width="17px")
    assert ui.shared(w.Layout, width="17px") is first
    assert ui.shared(w.Layout, width="17px", max_width="100%") is not first
    first.close()
    again = ui.shared(w.Layout, width="17px")
    assert again is not first and again.comm is not None and again.width == "17px"


def test_closing_a_page_leaves_the_shared_looks_open(tmp_path, monkeypatch):
    """Module 9 runs a rehearsal (throwaway pages, closed after) before the trainer's page is
    shown: the trainer's widgets must still be serialisable, every model they name open."""
    from npkit.course.widgets.workshop_trainer import TrainerPage, rehearsal

    monkeypatch.setenv("NPKIT_STORE", str(tmp_path / "store.sqlite"))
    page = TrainerPage()
    rehearsal("jane", ["fails", "fails", "succeeds"])
    found = models(page.widget)
    closed = [type(m).__name__ for m in found if m.comm is None]
    assert not closed, closed
    assert all(m.get_state() is not None for m in found)
