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
from npkit.course.widgets.choice import Choice, Option
from npkit.course.widgets.ui import words
from npkit.law.vocabulary import Means, describe

# --------------------------------------------------------------------------- the controls


def _options(vocab: type[StrEnum]) -> list[Option]:
    """A term per option: its name in the menu, what it means beside the menu."""
    return [Option(words(term), term, f"{words(term)}: {describe(vocab, term)}")
            for term in vocab.__members__]


_WIDTH = "11rem"  # the menus' labels, so that the menus line up
# The column's places: a child's class ``npk-o<N>`` gives it CSS order N (npkit.css has a rule
# for each N below this), so the children share one Layout instead of one each (issue 16).
PLACES = 48


def _box_look() -> dict:
    return {"layout": ui.shared(w.Layout, width="auto", max_width="100%"),
            "style": ui.shared_style(w.Checkbox)}


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
                box = w.Checkbox(description=q.label, indent=False, **_box_look())
                self._wire(box, f"quick.{q.key}")
                self.quick[q.key] = box
                boxes.append(box)
            sections += [_section(group, minor=True), *boxes]
        self.quick_note = ui.html_widget()
        self.means: dict[str, w.Checkbox] = {}
        for term in Means.__members__:
            box = w.Checkbox(description=f"{words(term)} — {describe(Means, term)}",
                             indent=False, tooltip=describe(Means, term), **_box_look())
            self._wire(box, f"means.{term}")
            self.means[term] = box
        self.offence: dict[str, w.Dropdown] = {}
        offence_rows = []
        for part, (label, vocab) in OFFENCE_PARTS.items():
            choice = Choice(label, _options(vocab), description_width=_WIDTH)
            self._wire(choice.menu, f"offence.{part}")
            self.offence[part] = choice.menu
            offence_rows.append(choice.widget)
        self.threats: list[dict[str, w.Dropdown]] = []
        self._threat_rows: list[list[Choice]] = []
        self.threat_box = w.VBox([], layout=ui.shared(w.Layout))
        self.offence_title = ui.html_widget()
        # What the last change did to the outcomes, shown right under the control that made
        # it. One note for every control: its CSS order puts it after that control, so moving
        # it redraws nothing. Screen readers hear the same in the outcome panel's live status
        # line, so the note is hidden from them (templates/scenario_lab/fact_note.html.j2).
        self.note = ui.html_widget()
        self.note.add_class("npk-fact-note")
        column = [
            _section("Quick facts", "Each box changes one fact of the period of the charge. "
                     "Untick it to return to what the case file says."),
            *sections,
            self.quick_note,
            _section("Means used on them"),
            *self.means.values(),
            _section("Threats recorded in the case file"),
            self.threat_box,
            self.offence_title,
            *offence_rows,
        ]
        if len(column) > PLACES:
            raise ValueError(f"the facts column has {len(column)} places; npkit.css orders "
                             f"{PLACES}")
        self._place: dict[str, int] = {}
        for i, child in enumerate(column):
            child.add_class(f"npk-o{i}")
        for name, control in [*((f"quick.{k}", b) for k, b in self.quick.items()),
                              *((f"means.{k}", b) for k, b in self.means.items())]:
            self._place[name] = column.index(control)
        for part, row in zip(self.offence, offence_rows, strict=True):
            self._place[f"offence.{part}"] = column.index(row)
        self._place["threat"] = column.index(self.threat_box)
        self.widget = w.VBox([*column, self.note],
                             layout=w.Layout(flex="1 1 28rem", min_width="20rem",
                                             padding="0 1rem 0 0"))
        self.widget.add_class("npk-editor")
        self.widget.add_class("npk-wrap")  # long labels wrap instead of being cut off

    # -- wiring
    def _wire(self, control: w.ValueWidget, name: str) -> None:
        control.observe(lambda change, name=name: self._report(name, change["new"]), "value")

    def _report(self, name: str, value: Any) -> None:
        if not self._quiet:
            self._on_edit(name, value)

    def _threat_row(self, i: int) -> tuple[dict[str, w.Dropdown], list[Choice]]:
        row, shown = {}, []
        for part, (label, vocab) in THREAT_PARTS.items():
            choice = Choice(f"Threat {i + 1}: {label.lower()}", _options(vocab),
                            description_width=_WIDTH)
            self._wire(choice.menu, f"threat.{i}.{part}")
            row[part] = choice.menu
            shown.append(choice)
        return row, shown

    # -- the note on what a change did
    def show_note(self, field: str, text: str) -> None:
        """Show ``text`` under the control that reports ``field`` (under the threats for a
        threat's menu); an empty text hides the note."""
        if not text:
            self.clear_note()
            return
        key = "threat" if field.startswith("threat.") else field
        place = f"npk-o{self._place.get(key, PLACES - 1)}"
        for old in [c for c in self.note._dom_classes if c.startswith("npk-o") and c != place]:
            self.note.remove_class(old)
        self.note.add_class(place)  # the same order as the control; the note comes last
        self.note.value = ui.value("scenario_lab/fact_note.html.j2", text=text)

    def clear_note(self) -> None:
        self.note.value = ""

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
            row, shown = self._threat_row(len(self.threats))
            self.threats.append(row)
            self._threat_rows.append(shown)
        for choices in self._threat_rows[len(s.threats):]:
            for choice in choices:
                for widget in (choice.widget, choice.menu, choice.beside):
                    widget.close()
        del self.threats[len(s.threats):]
        del self._threat_rows[len(s.threats):]
        children = []
        for i, (row, shown, values, t) in enumerate(zip(self.threats, self._threat_rows,
                                                        s.threats, period.threats,
                                                        strict=True)):
            for dd, value in zip(row.values(), values, strict=True):
                dd.value = value
            children += [ui.html_widget("scenario_lab/threat.html.j2", number=i + 1,
                                        note=t.note or ""), *(c.widget for c in shown)]
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
