"""The scenario lab's fact controls: a checkbox per quick fact and means, a menu per part of
each recorded threat and of the charge.

What the controls mean lives in :mod:`npkit.casefile.scenario` (the :class:`Scenario`, the
checks on every value, and the case it builds): each control only reports ``(field, value)``
to the lab, and :meth:`FactEditor.sync` shows a scenario. Nothing here decides a fact or an
outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

import ipywidgets as w

from npkit.casefile.case import Case
from npkit.casefile.scenario import (
    OFFENCE_PARTS,
    QUICK_FACTS,
    THREAT_PARTS,
    Scenario,
    principal,
)
from npkit.course.widgets.base import CSS, esc, words
from npkit.law.vocabulary import Means, describe

# --------------------------------------------------------------------------- the controls


def _options(vocab: type[StrEnum]) -> list[tuple[str, str]]:
    return [(f"{words(term)} — {describe(vocab, term)}", term) for term in vocab.__members__]


_WIDE = {"description_width": "11rem"}

# Long labels wrap instead of being cut off, and read well on a projector.
EDITOR_CSS = """<style>
.npk-editor .widget-checkbox, .npk-editor .jupyter-widget-checkbox {
  height: auto; min-height: var(--jp-widgets-inline-height); }
.npk-editor .widget-checkbox .widget-label-basic,
.npk-editor .jupyter-widget-checkbox .jupyter-widget-label-basic {
  white-space: normal; overflow: visible; font-size: 1rem; line-height: 1.35; display: flex;
  align-items: flex-start; }
.npk-editor .widget-checkbox input[type='checkbox'],
.npk-editor .jupyter-widget-checkbox input[type='checkbox'] { flex-grow: 0; margin-top: .2em; }
.npk h4 { margin: .5em 0 .1em; font-size: 1rem; }
</style>"""


def boxed(body: str) -> str:
    """``body`` (already escaped) in the suite's style, as an HTML widget value."""
    return f'{CSS}<div class="npk">{body}</div>'


class FactEditor:
    """Every control that changes a fact. Each control reports ``(field, value)`` to
    ``on_edit``; :meth:`show` sets the controls from a scenario without reporting anything."""

    def __init__(self, on_edit: Callable[[str, Any], None]) -> None:
        self._on_edit = on_edit
        self._quiet = 0
        self.quick: dict[str, w.Checkbox] = {}
        sections = []
        for group in dict.fromkeys(q.group for q in QUICK_FACTS):
            boxes = []
            for q in (q for q in QUICK_FACTS if q.group == group):
                box = w.Checkbox(description=q.label, indent=False,
                                 layout=w.Layout(width="auto", max_width="100%"))
                self._wire(box, f"quick.{q.key}")
                self.quick[q.key] = box
                boxes.append(box)
            sections += [w.HTML(boxed(f"<h4>{esc(group)}</h4>")), *boxes]
        self.quick_note = w.HTML("")
        self.means: dict[str, w.Checkbox] = {}
        for term in Means.__members__:
            box = w.Checkbox(description=f"{words(term)} — {describe(Means, term)}",
                             indent=False, tooltip=describe(Means, term),
                             layout=w.Layout(width="auto", max_width="100%"))
            self._wire(box, f"means.{term}")
            self.means[term] = box
        self.offence: dict[str, w.Dropdown] = {}
        for part, (label, vocab) in OFFENCE_PARTS.items():
            dd = w.Dropdown(description=label, options=_options(vocab), style=_WIDE,
                            layout=w.Layout(width="100%"))
            self._wire(dd, f"offence.{part}")
            self.offence[part] = dd
        self.threats: list[dict[str, w.Dropdown]] = []
        self.threat_box = w.VBox([])
        self.offence_title = w.HTML("")
        self.widget = w.VBox([
            w.HTML(boxed(EDITOR_CSS + "<h3>Quick facts</h3><p>Each box changes one fact of "
                         "the period of the charge. Untick it to return to what the case file "
                         "says.</p>")),
            *sections,
            self.quick_note,
            w.HTML(boxed("<h3>Means used on them</h3>")),
            w.VBox(list(self.means.values())),
            w.HTML(boxed("<h3>Threats recorded in the case file</h3>")),
            self.threat_box,
            self.offence_title,
            *self.offence.values(),
        ], layout=w.Layout(flex="1 1 28rem", min_width="20rem", padding="0 1rem 0 0"))
        self.widget.add_class("npk-editor")

    # -- wiring
    def _wire(self, control: w.ValueWidget, name: str) -> None:
        control.observe(lambda change, name=name: self._report(name, change["new"]), "value")

    def _report(self, name: str, value: Any) -> None:
        if not self._quiet:
            self._on_edit(name, value)

    def _threat_row(self, i: int) -> dict[str, w.Dropdown]:
        row = {}
        for part, (label, vocab) in THREAT_PARTS.items():
            dd = w.Dropdown(description=f"Threat {i + 1}: {label.lower()}",
                            options=_options(vocab), style=_WIDE,
                            layout=w.Layout(width="100%"))
            self._wire(dd, f"threat.{i}.{part}")
            row[part] = dd
        return row

    # -- showing a scenario
    def show(self, loaded: Case, s: Scenario) -> None:
        """Show a newly loaded case: rebuild the threat rows, then :meth:`sync`."""
        self._quiet += 1
        try:
            self._show_threats(loaded, s)
        finally:
            self._quiet -= 1
        self.sync(s)

    def sync(self, s: Scenario) -> None:
        """Set every control to ``s`` without reporting (only changed values reach the page)."""
        self._quiet += 1
        try:
            for key, box in self.quick.items():
                box.value = bool(s.quick[key])
            chosen = set(s.means)
            for term, box in self.means.items():
                box.value = term in chosen
            for part, dd in self.offence.items():
                dd.value = s.offence[part]
            for row, values in zip(self.threats, s.threats, strict=True):
                for dd, value in zip(row.values(), values, strict=True):
                    dd.value = value
        finally:
            self._quiet -= 1

    def _show_threats(self, loaded: Case, s: Scenario) -> None:
        _, period = principal(loaded)
        while len(self.threats) < len(s.threats):
            self.threats.append(self._threat_row(len(self.threats)))
        for row in self.threats[len(s.threats):]:
            for dd in row.values():
                dd.close()
        del self.threats[len(s.threats):]
        children = []
        for i, (row, values, t) in enumerate(zip(self.threats, s.threats, period.threats,
                                                 strict=True)):
            for dd, value in zip(row.values(), values, strict=True):
                dd.value = value
            note = f": <em>{esc(t.note)}</em>" if t.note else ""
            children += [w.HTML(boxed(f"<h4>Threat {i + 1}{note}</h4>")), *row.values()]
        if not children:
            children = [w.HTML(boxed("<p>No threat is recorded for this period. Use the quick "
                                     "fact above to add one.</p>"))]
        old = [c for c in self.threat_box.children if isinstance(c, w.HTML)]
        self.threat_box.children = children
        for c in old:
            c.close()
        age = loaded.person.age
        self.quick_note.value = boxed(
            f"<p><small>The case file records: age {esc(age if age is not None else 'unknown')}"
            f"; identification: {esc(words(loaded.identification.status))}.</small></p>")
        offence, _ = principal(loaded)
        self.offence_title.value = boxed(
            f"<h3>The charge assessed</h3><p>{esc(offence.charge)}</p>")
