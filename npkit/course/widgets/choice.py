"""A menu of short choices with, beside it, the whole text of the one chosen (issue 14).

A native ``<select>`` cannot wrap its text: a long option is cut at the menu's edge ("Jane: a
fake office job, and threats that never come cl"), and on a phone almost every option is. So a
:class:`Choice` shows a short label per option in the menu and the whole text of the chosen
option beside it, where it can wrap.

Callers observe and set ``choice.menu`` (an ``ipywidgets.Dropdown``) as before and lay out
``choice.widget``.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any, NamedTuple

import ipywidgets as w

from npkit.course.widgets import ui

SHORT_TITLE = 32  # characters: a case title's part before its colon, if no longer than this


class Option(NamedTuple):
    label: str  # short: what the menu shows
    value: Hashable
    text: str = ""  # the whole text, shown beside the menu while this option is chosen


class Choice:
    """``menu`` (the Dropdown), ``beside`` (an HTML widget with the chosen option's whole
    text) and ``widget`` (both, in a row that wraps on a narrow screen). With ``boxed=False``
    there is no ``widget`` (None): the caller lays out ``menu`` and ``beside`` itself, e.g.
    several choices in one grid (issue 16: a box model less per choice)."""

    def __init__(self, description: str, options: Sequence[Option], value: Any = None, *,
                 description_width: str = "initial", classes: Sequence[str] = (),
                 boxed: bool = True) -> None:
        # Every widget is made with its options, value, text and classes: each widget's first
        # message carries them all, where setting them afterwards costs the kernel a message
        # each (issue 16). ``classes``: more CSS classes for ``widget``.
        options = list(options)
        self._texts: dict[Any, str] = {o.value: o.text for o in options}
        chosen = self._pick(options, value)
        self.menu = w.Dropdown(description=description, options=self._labels(options),
                               value=chosen, layout=ui.shared(w.Layout, width="auto"),
                               style=ui.shared_style(w.Dropdown,
                                                     description_width=description_width))
        self.beside = w.HTML(self._text(chosen), layout=ui.shared(w.Layout),
                             style=ui.shared_style(w.HTML), _dom_classes=("npk-choice-text",))
        self.menu.observe(lambda _change: self._show(), names="value")
        self.widget = w.HBox([self.menu, self.beside], layout=ui.shared(w.Layout),
                             _dom_classes=("npk-choice", *classes)) if boxed else None

    @staticmethod
    def _labels(options: list[Option]) -> list[tuple[str, Any]]:
        return [(o.label, o.value) for o in options]

    @staticmethod
    def _pick(options: list[Option], value: Any) -> Any:
        values = [o.value for o in options]
        return (value if value in values else values[0]) if values else None

    def set_options(self, options: Sequence[Option], value: Any = None) -> None:
        """Offer ``options``, choosing ``value`` (the first option if it is not one of them).
        The menu's observers see the change as for any other."""
        options = list(options)
        self._texts = {o.value: o.text for o in options}
        self.menu.options = self._labels(options)
        if options:
            self.menu.value = self._pick(options, value)
        self._show()

    def _text(self, chosen: Any) -> str:
        text = self._texts.get(chosen, "")
        return ui.value("choice_text.html.j2", text=text) if text else ""

    def _show(self) -> None:
        self.beside.value = self._text(self.menu.value)


def short_labels(titles: Sequence[tuple[str, str]]) -> list[str]:
    """A short label per ``(title, fallback)``: the title's part before its colon if it has
    one of at most SHORT_TITLE characters, else ``fallback``; a label met twice gets its
    position added ("Jane (2)") so that no two options read the same."""
    labels = []
    for title, fallback in titles:
        head, colon, _ = title.partition(":")
        labels.append(head.strip() if colon and 0 < len(head.strip()) <= SHORT_TITLE
                      else fallback)
    seen = {label: labels.count(label) for label in labels}
    return [f"{label} ({i})" if seen[label] > 1 else label for i, label in enumerate(labels, 1)]


def case_options(cases: Sequence) -> list[Option]:
    """A case per option: its short name ("Jane, changed") and its whole title beside."""
    labels = short_labels([(c.title, getattr(getattr(c, "person", None), "pseudonym", c.title))
                           for c in cases])
    return [Option(label, c.id, c.title) for label, c in zip(labels, cases, strict=True)]
