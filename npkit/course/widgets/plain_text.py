"""A displayed widget's plain-text form, made only as long as it is kept (issue 16).

ipywidgets' ``Widget._repr_mimebundle_`` gives a display a ``text/plain`` form beside the
widget view (what a front end without the widget manager shows): the widget's whole ``repr``,
cut to 110 characters. For a page's outer box that ``repr`` names every widget inside it and
each one's settings, the HTML texts included: in the scenario lab, 289 widget ``repr`` calls
for four displays, about a tenth of the CPU the page's cells cost its kernel. Here the text
is built piece by piece and the building stops once the kept 110 characters are there: the
same text, the same view.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import ipywidgets as w

KEPT = 110  # ipywidgets' own cut (Widget._repr_mimebundle_)
_ipywidgets_bundle = w.Widget._repr_mimebundle_


def _pieces(value: Any) -> Iterator[str]:
    """``repr(value)`` in pieces, widgets (and the tuples and lists that hold them) as
    ipywidgets writes them (``Widget.__repr__``: class name, the settings not at their default)."""
    if isinstance(value, w.Widget) and type(value).__repr__ is not w.Widget.__repr__:
        yield repr(value)  # a widget class that writes its own repr
    elif isinstance(value, w.Widget):
        yield f"{type(value).__name__}("
        for i, key in enumerate(value._repr_keys()):
            yield f"{', ' if i else ''}{key}="
            yield from _pieces(getattr(value, key))
        yield ")"
    elif type(value) in (tuple, list) and any(isinstance(v, w.Widget) for v in value):
        opening, closing = ("(", ")") if type(value) is tuple else ("[", "]")
        yield opening
        for i, item in enumerate(value):
            if i:
                yield ", "
            yield from _pieces(item)
        yield "," + closing if type(value) is tuple and len(value) == 1 else closing
    else:
        yield repr(value)


def short_repr(widget: w.Widget) -> str:
    """What ``_repr_mimebundle_`` keeps of ``repr(widget)``: all of it up to 110 characters,
    else its first 110 and an ellipsis."""
    text = ""
    for piece in _pieces(widget):
        text += piece
        if len(text) > KEPT:
            return text[:KEPT] + "…"
    return text


def mimebundle(self: w.Widget, **kwargs: Any) -> dict | None:
    """``Widget._repr_mimebundle_`` with :func:`short_repr` for its text."""
    if self._view_name is None:  # ipywidgets returns nothing for a widget without a view
        return None
    return {"text/plain": short_repr(self),
            "application/vnd.jupyter.widget-view+json": {
                "version_major": 2, "version_minor": 0, "model_id": self._model_id}}


def install() -> None:
    """Display every widget of this process with :func:`mimebundle`."""
    w.Widget._repr_mimebundle_ = mimebundle
