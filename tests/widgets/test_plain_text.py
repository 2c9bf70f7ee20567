"""A displayed widget's text/plain is ipywidgets' own, built only as far as it is kept
(npkit.course.widgets.plain_text, issue 16): the expected bundles are ipywidgets' original
``Widget._repr_mimebundle_``, kept by plain_text before it installs its own."""

from __future__ import annotations

import ipywidgets as w
import pytest

from npkit.course.widgets import plain_text, ui


class _Named(w.HTML):
    """A widget class with a repr of its own."""

    def __repr__(self) -> str:
        return f"<the story of {self.value[:20]}>"


def _trees():
    long_html = "<div class='npk'>" + "a fact the trainee reads " * 40 + "</div>"
    return {
        "empty button": w.Button(),
        "short": w.Checkbox(description="Debt bondage", value=True),
        "long text": w.HTML(long_html),
        "a box of one (a 1-tuple)": w.VBox([w.Label("x")]),
        "nested boxes": w.VBox([w.HBox([w.Checkbox(description="Threat"), w.HTML(long_html)]),
                                w.Dropdown(options=["Thailand", "Philippines"], value=None)]),
        "just over the cut": w.Label("x" * 101),
        "exactly the cut": w.Label("x" * (110 - len("Label(value='')"))),
        "a shared layout": ui.html_widget("frame.html.j2", body="Story"),
        "a text with quotes and an ellipsis": w.Text(value="it's \"forced\"… " * 12),
        "a list of options": w.SelectMultiple(options=["a", "b"], value=["a"]),
        "a widget with its own repr, in a box": w.VBox([_Named("Jane"), w.Label("x")]),
    }


@pytest.mark.parametrize("name", list(_trees()))
def test_the_bundle_is_ipywidgets_own(name):
    widget = _trees()[name]
    assert plain_text.mimebundle(widget) == plain_text._ipywidgets_bundle(widget)


def test_a_widget_without_a_view_has_no_bundle_as_in_ipywidgets():
    link = w.jslink((w.IntSlider(), "value"), (w.IntText(), "value"))  # a model, no view
    assert link._view_name is None
    assert plain_text._ipywidgets_bundle(link) is None
    assert plain_text.mimebundle(link) is None


def test_a_long_tree_is_not_walked_to_its_end(monkeypatch):
    asked: list[w.Widget] = []
    repr_keys = w.Widget._repr_keys

    def counting(self):
        asked.append(self)
        return repr_keys(self)

    monkeypatch.setattr(w.Widget, "_repr_keys", counting)
    rows = [w.Checkbox(description=f"fact {i}") for i in range(30)]
    text = plain_text.short_repr(w.VBox(rows))
    assert text.endswith("…") and len(text) == 111
    assert len(asked) < 10


def test_ui_installs_it():
    assert w.Widget._repr_mimebundle_ is plain_text.mimebundle
    assert plain_text._ipywidgets_bundle is not plain_text.mimebundle
