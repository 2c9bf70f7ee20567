"""npkit's answer to a page's ``request_states`` (npkit.course.widgets.lean) holds, for every
widget, what ipywidgets' own ``get_state(drop_defaults=True)`` gives; the serialisers and
defaults it looks up once per widget class are the ones ipywidgets looks up per widget
(issue 16)."""

from __future__ import annotations

import ipywidgets as w
import pytest
from traitlets import Unicode

from npkit import i18n
from npkit.course.widgets import first_state, lean
from npkit.course.widgets.base import disclaimer, library_or_errors, module_header
from npkit.course.widgets.scenario_lab import ScenarioLab


def _ipywidgets_lean(widget: w.Widget) -> dict:
    state = widget.get_state(drop_defaults=True)
    if not state.get("_dom_classes", True):  # the one value lean.py also leaves out
        del state["_dom_classes"]
    return state


def _made(build) -> list[w.Widget]:
    """The widgets ``build`` opened."""
    from ipywidgets.widgets import widget as _widget

    before = set(_widget._instances)
    build()
    return [x for k, x in _widget._instances.items() if k not in before]


@pytest.fixture
def english():
    before = i18n.current()
    i18n.use("en")  # the language is the process's: a test before may have left another
    yield
    i18n.use(before)


def test_every_widget_of_the_scenario_lab_and_a_header_has_ipywidgets_lean_state(english):
    cases, problems = library_or_errors()
    found = _made(lambda: (module_header(5), disclaimer(),
                           ScenarioLab(cases, start="sarah", problems=problems)))
    try:
        assert len(found) > 60
        kinds = {type(x).__name__ for x in found}
        assert {"Checkbox", "Dropdown", "HTML", "Button", "VBox", "HBox"} <= kinds, kinds
        for widget in found:
            assert lean._lean_state(widget) == _ipywidgets_lean(widget), type(widget)
    finally:
        for widget in found:
            widget.close()


class _Tagged(w.HTML):
    # a serialiser of its own, and a class-level metadata override that ipywidgets honours
    note = Unicode("plain").tag(sync=True, to_json=lambda value, _widget: value.upper())
    code = Unicode("c").tag(sync=True)
    _code_metadata = {"to_json": lambda value, _widget: f"<{value}>"}


def test_own_serialisers_overrides_and_added_traits_are_read_as_ipywidgets_reads_them():
    tagged = _Tagged("x", note="kept", code="k")
    plain = _Tagged("y")  # defaults: left out
    added = w.HTML("z")
    added.add_traits(extra=Unicode("e").tag(sync=True))
    added.extra = "changed"
    try:
        assert lean._lean_state(tagged) == _ipywidgets_lean(tagged)
        assert lean._lean_state(tagged)["note"] == "KEPT"
        assert lean._lean_state(tagged)["code"] == "<k>"
        assert lean._lean_state(plain) == _ipywidgets_lean(plain)
        assert "value" in lean._lean_state(plain) and "code" in lean._lean_state(plain)
        assert lean._lean_state(added) == _ipywidgets_lean(added)
        assert lean._lean_state(added)["extra"] == "changed"
        assert "extra" not in lean._lean_state(w.HTML("w"))  # the added trait is its own class's
    finally:
        for widget in (tagged, plain, added):
            widget.close()


def test_a_kept_block_reads_its_widgets_synced_traits_once_for_every_kernel():
    # the fork server builds the lab in a kept block; what a first read computes (the list
    # of synced traits, a default made on first read) is then in the fork server's memory
    with first_state.kept_unopened() as made:
        button = w.Button(description="Reset")
    assert "keys" in button._trait_values and "style" in button._trait_values
    parts = [button.style, button.layout]  # made by their defaults, on the block's first read
    assert sorted(map(id, made)) == sorted(map(id, [button, *parts]))
    assert all(x.comm is None and first_state.waiting(x) for x in made)  # kept, not opened
    for widget in made:
        first_state.discard_kept(widget)
