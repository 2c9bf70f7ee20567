"""The scenario lab's fact controls: a checkbox per quick fact and means, a menu per part of
each recorded threat and of the charge.

What the controls mean lives in :mod:`npkit.casefile.scenario` (the :class:`Scenario`, the
checks on every value, and the case it builds): each control only reports ``(field, value)``
to the lab, and :meth:`FactEditor.sync` shows a scenario. Nothing here decides a fact or an
outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
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
from npkit.i18n import _
from npkit.law.vocabulary import Means, describe
from npkit.render import words as rw

# --------------------------------------------------------------------------- the controls


def _options(vocab: type[StrEnum]) -> list[Option]:
    """A term per option: its name in the menu, what it means beside the menu."""
    return [Option(rw.term(term), term, f"{rw.term(term)}: {rw.label(describe(vocab, term))}")
            for term in vocab.__members__]


# The menus' labels are 11rem wide, so that the menus line up: npkit.css (.npk-editor), since a
# style model of their own was one more model for every trainee (issue 16); the menus share the
# style of the page's other menus.
_WIDTH = "initial"
# The column's places: a child's class ``npk-o<N>`` gives it CSS order N (npkit.css has a rule
# for each N below this), so the children share one Layout instead of one each (issue 16).
PLACES = 48


def _box_look(place: int) -> dict:
    # as wide as its words, never wider than the column: npkit.css (.npk-editor), not a
    # Layout model of their own
    return {"layout": ui.shared(w.Layout), "style": ui.shared_style(w.Checkbox),
            "_dom_classes": (f"npk-o{place}",)}


def _heading(title: str = "", text: str = "", *, minor: bool = False) -> ui.Markup:
    return ui.render("scenario_lab/section.html.j2", title=title, text=text, minor=minor)


def _sections(*parts: ui.Markup) -> str:
    """Headings and lines that follow one another in the column, as one widget value."""
    return ui.value("scenario_lab/sections.html.j2", parts=parts)


def _headings(*parts: ui.Markup, place: int) -> w.HTML:
    return ui.html_widget("scenario_lab/sections.html.j2", parts=parts,
                          classes=(f"npk-o{place}",))


class FactEditor:
    """Every control that changes a fact. Each control reports ``(field, value)`` to
    ``on_edit``; :meth:`show` sets the controls from a scenario without reporting anything."""

    def __init__(self, on_edit: Callable[[str, Any], None]) -> None:
        self._on_edit = on_edit
        self._quiet = 0
        # The column's children in order; each is made with its place's class (``npk-o<N>``,
        # N = its index here), so that its first message carries it (issue 16: one message
        # per widget, not two).
        column: list[w.Widget] = []
        self._place: dict[str, int] = {}

        def put(widget: w.Widget, name: str | None = None) -> w.Widget:
            if name:
                self._place[name] = len(column)
            column.append(widget)
            return widget

        # Headings with no control between them share one HTML widget (issue 16): the
        # column's title and its first group's, the case file's record and the means' title,
        # the threats' title and the first threat's (fact_editor._show_threats).
        intro = [_heading(_("Quick facts"), _("Each box changes one fact of the period of "
                                              "the charge. Untick it to return to what the "
                                              "case file says."))]
        self.quick: dict[str, w.Checkbox] = {}
        for group in dict.fromkeys(q.group for q in QUICK_FACTS):
            put(_headings(*intro, _heading(_(group), minor=True), place=len(column)))
            intro = []
            for q in (q for q in QUICK_FACTS if q.group == group):
                box = w.Checkbox(description=_(q.label), indent=False, **_box_look(len(column)))
                self._wire(box, f"quick.{q.key}")
                self.quick[q.key] = put(box, f"quick.{q.key}")
        # the case file's record (made by _show_threats), then the means' title
        self.quick_note = put(_headings(_heading(_("Means used on them")), place=len(column)))
        self.means: dict[str, w.Checkbox] = {}
        for term in Means.__members__:
            box = w.Checkbox(description=f"{rw.term(term)} — {rw.label(describe(Means, term))}",
                             indent=False, tooltip=rw.label(describe(Means, term)),
                             **_box_look(len(column)))
            self._wire(box, f"means.{term}")
            self.means[term] = put(box, f"means.{term}")
        self.threats: list[dict[str, w.Dropdown]] = []
        self._threat_rows: list[list[Choice]] = []
        # every threat's heading and menus in one grid (npkit.css: .npk-threats), each menu
        # with its whole text beside it, not a box per menu (issue 16)
        self.threat_box = put(w.VBox([], layout=ui.shared(w.Layout),
                                     _dom_classes=("npk-threats", f"npk-o{len(column)}")),
                              "threat")
        self.offence_title = put(ui.html_widget(classes=(f"npk-o{len(column)}",)))
        self.offence: dict[str, w.Dropdown] = {}
        for part, (label, vocab) in OFFENCE_PARTS.items():
            choice = Choice(_(label), _options(vocab), description_width=_WIDTH,
                            classes=(f"npk-o{len(column)}",))
            self._wire(choice.menu, f"offence.{part}")
            self.offence[part] = choice.menu
            put(choice.widget, f"offence.{part}")
        if len(column) > PLACES:
            raise ValueError(f"the facts column has {len(column)} places; npkit.css orders "
                             f"{PLACES}")
        # What the last change did to the outcomes, shown right under the control that made
        # it. One note for every control: its CSS order puts it after that control, so moving
        # it redraws nothing. Screen readers hear the same in the outcome panel's live status
        # line, so the note is hidden from them (templates/scenario_lab/fact_note.html.j2).
        self.note = ui.html_widget(classes=("npk-fact-note",))
        # long labels wrap instead of being cut off (npk-wrap); the column's size is in
        # npkit.css (.npk-editor), not in a Layout model of its own
        self.widget = w.VBox([*column, self.note], layout=ui.shared(w.Layout),
                             _dom_classes=("npk-editor", "npk-wrap"))

    # -- wiring
    def _wire(self, control: w.ValueWidget, name: str) -> None:
        control.observe(lambda change, name=name: self._report(name, change["new"]), "value")

    def _report(self, name: str, value: Any) -> None:
        if not self._quiet:
            self._on_edit(name, value)

    def _threat_row(self, i: int, values: Sequence[str]) -> tuple[dict[str, w.Dropdown],
                                                                   list[Choice]]:
        """The menus of threat ``i``, made showing ``values`` (one per THREAT_PARTS)."""
        row, shown = {}, []
        for (part, (label, vocab)), value in zip(THREAT_PARTS.items(), values, strict=True):
            choice = Choice(_("Threat {n}: {part}").format(n=i + 1, part=_(label).lower()),
                            _options(vocab), value, description_width=_WIDTH, boxed=False)
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
        _offence, period = principal(loaded)
        while len(self.threats) < len(s.threats):
            row, shown = self._threat_row(len(self.threats), s.threats[len(self.threats)])
            self.threats.append(row)
            self._threat_rows.append(shown)
        for choices in self._threat_rows[len(s.threats):]:
            for choice in choices:
                for widget in (choice.menu, choice.beside):
                    widget.close()
        del self.threats[len(s.threats):]
        del self._threat_rows[len(s.threats):]
        children = []
        # the threats' title goes with the first threat's heading (or the line saying there
        # is none): one HTML widget
        title = [_heading(_("Threats recorded in the case file"))]
        for i, (row, shown, values, t) in enumerate(zip(self.threats, self._threat_rows,
                                                        s.threats, period.threats,
                                                        strict=True)):
            for dd, value in zip(row.values(), values, strict=True):
                dd.value = value
            heading = ui.render("scenario_lab/threat.html.j2", number=i + 1, note=t.note or "")
            children += [ui.html_widget("scenario_lab/sections.html.j2",
                                        parts=[*title, heading]),
                         *(part for c in shown for part in (c.menu, c.beside))]
            title = []
        if not children:
            children = [ui.html_widget("scenario_lab/sections.html.j2", parts=[*title, _heading(
                text=_("No threat is recorded for this period. Use the quick fact above to "
                       "add one."))])]
        # the headings shown before go (the menus and their texts are kept, or closed above)
        kept = {id(c) for c in children}
        old = [c for c in self.threat_box.children
               if isinstance(c, w.HTML) and id(c) not in kept and c.comm is not None]
        self.threat_box.children = children
        for c in old:
            c.close()
        self.quick_note.value = _sections(
            ui.render("scenario_lab/recorded.html.j2", age=loaded.person.age,
                      status=loaded.identification.status), _heading(_("Means used on them")))
        offence, _period = principal(loaded)
        self.offence_title.value = ui.value("scenario_lab/section.html.j2",
                                            title=_("The charge assessed"), text=offence.charge)
