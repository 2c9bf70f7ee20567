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
from npkit.course.widgets import ui
from npkit.course.widgets.ui import words
from npkit.law.vocabulary import Means, describe

# --------------------------------------------------------------------------- the controls


def _options(vocab: type[StrEnum]) -> list[tuple[str, str]]:
    return [(f"{words(term)} — {describe(vocab, term)}", term) for term in vocab.__members__]


_WIDE = {"description_width": "11rem"}


def _section(title: str = "", text: str = "", *, minor: bool = False) -> w.HTML:
    return ui.html_widget("scenario_lab/section.html.j2", title=title, text=text, minor=minor)


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
            sections += [_section(group, minor=True), *boxes]
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
            _section("Quick facts", "Each box changes one fact of the period of the charge. "
                     "Untick it to return to what the case file says."),
            *sections,
            self.quick_note,
            _section("Means used on them"),
            w.VBox(list(self.means.values())),
            _section("Threats recorded in the case file"),
            self.threat_box,
            self.offence_title,
            *self.offence.values(),
        ], layout=w.Layout(flex="1 1 28rem", min_width="20rem", padding="0 1rem 0 0"))
        self.widget.add_class("npk-editor")
        self.widget.add_class("npk-wrap")  # long labels wrap instead of being cut off

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
            children += [ui.html_widget("scenario_lab/threat.html.j2", number=i + 1,
                                        note=t.note or ""), *row.values()]
        if not children:
            children = [_section(text="No threat is recorded for this period. Use the quick "
                                 "fact above to add one.")]
        old = [c for c in self.threat_box.children if isinstance(c, w.HTML)]
        self.threat_box.children = children
        for c in old:
            c.close()
        self.quick_note.value = ui.value("scenario_lab/recorded.html.j2", age=loaded.person.age,
                                         status=loaded.identification.status)
        offence, _ = principal(loaded)
        self.offence_title.value = ui.value("scenario_lab/section.html.j2",
                                            title="The charge assessed", text=offence.charge)
