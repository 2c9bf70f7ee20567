"""The outcome matrix: one row per test (victim status, the duress variants, the
non-punishment models, the ten ASEAN Member States), the outcome for the case as loaded, the
outcome now (each with the caveats it rests on, in words), and a "changed" mark; above it a
status line (``aria-live="polite"``) saying what the last change did, e.g. "Duress (England &
Wales): fails → succeeds". The Rome Statute's row is labelled as the international-criminal-law
analogue (its note in npkit/law/data/notes.yaml).

Reusable: give :meth:`OutcomeMatrix.show` any :class:`~npkit.engine.assessment.Assessment` (and a
baseline to compare with). It only presents outcomes that ``assess()`` computed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import ipywidgets as w

from npkit.course.widgets import ui
from npkit.engine.assessment import Assessment
from npkit.engine.findings import Finding
from npkit.i18n import N_, _, ngettext
from npkit.law import registry
from npkit.law.citations import Confidence
from npkit.render import words as rw
from npkit.render.marks import analogue_text, international_analogue

GROUPS: tuple[tuple[str, str], ...] = (
    ("victim", N_("Victim status")),
    ("duress", N_("Duress (a defence at trial)")),
    ("models", N_("Non-punishment models")),
    ("jurisdictions", N_("ASEAN Member States")),
)


def duress_label(name: str, node: Finding) -> str:
    """"Duress (England & Wales)": the variant's short label from the rule registry."""
    try:
        return _("Duress ({variant})").format(variant=rw.label(registry.label(f"duress.{name}")))
    except KeyError:
        return rw.title(node)


@dataclass(frozen=True, slots=True)
class Row:
    key: str  # "victim", "duress.england_wales", "models.causation", "jurisdictions.PH"
    group: str
    label: str
    outcome: str
    marks: tuple[Confidence, ...] = ()  # the caveats the outcome rests on (Finding.marks)
    note: str = ""  # shown under the label, e.g. the Rome Statute's "analogue" label


def finding_for(a: Assessment, key: str) -> Finding:
    """The finding behind a row key; ``KeyError`` for an unknown key."""
    if key == "victim":
        return a.victim
    group, _, name = key.partition(".")
    if group not in ("duress", "models", "jurisdictions"):
        raise KeyError(key)
    return getattr(a, group)[name]


def rows(a: Assessment) -> list[Row]:
    """The matrix rows for ``a``, in display order."""
    out = [Row("victim", "victim", _("Victim of trafficking"), a.victim.outcome,
               a.victim.marks)]
    for name, node in a.duress.items():
        note = analogue_text() if international_analogue(node) else ""
        out.append(Row(f"duress.{name}", "duress", duress_label(name, node),
                       node.outcome, node.marks, note))
    for name, node in a.models.items():
        out.append(Row(f"models.{name}", "models", _("Model: {title}").format(title=rw.title(node)),
                       node.outcome,
                       node.marks))
    for code, node in a.jurisdictions.items():
        label = _("{state} ({code})").format(state=rw.title(node), code=code)
        out.append(Row(f"jurisdictions.{code}", "jurisdictions", label,
                       node.outcome, node.marks))
    return out


def outcome_map(a: Assessment) -> dict[str, str]:
    return {r.key: r.outcome for r in rows(a)}


@dataclass(frozen=True, slots=True)
class Change:
    key: str
    label: str
    before: str
    after: str

    def text(self) -> str:
        return _("{test}: {before} → {after}").format(
            test=self.label, before=rw.outcome_word(self.before),
            after=rw.outcome_word(self.after))


def changes(before: Mapping[str, str], now: list[Row]) -> list[Change]:
    """Rows whose outcome differs from ``before`` (keys missing from ``before`` are skipped)."""
    return [Change(r.key, r.label, before[r.key], r.outcome)
            for r in now if r.key in before and before[r.key] != r.outcome]


def table_html(now: list[Row], baseline: Mapping[str, str] | None = None,
               caption: str = N_("Outcomes"),
               baseline_marks: Mapping[str, tuple[Confidence, ...]] | None = None) -> str:
    """An accessible table: a caption, column headers, one row header per test, outcomes as
    badges (symbol and word) with the caveats each rests on in words ("npkit's reading",
    "from outside npkit's sources: verify before use"), and a "changed" mark in words."""
    return str(ui.render("matrix/table.html.j2",
                         **_table(now, baseline, caption, baseline_marks)))


def _table(now, baseline, caption, baseline_marks, last=()) -> dict:
    base = baseline or {r.key: r.outcome for r in now}
    base_marks = baseline_marks if baseline_marks is not None else (
        {r.key: r.marks for r in now} if baseline is None else {})
    groups = []
    for group, title in GROUPS:
        members = [(r, base.get(r.key, r.outcome), base_marks.get(r.key, ()))
                   for r in now if r.group == group]
        if members:
            groups.append((_(title), members))
    # ``last``: the rows the last change moved; npkit-layout.js brings the first into view
    return {"caption": _(caption), "groups": groups, "last": list(last)}


def status_text(last: list[Change] | None, since_loaded: list[Change]) -> str:
    """One or two sentences for the live region: what the last change did, and how many
    outcomes now differ from the case as loaded."""
    n = len(since_loaded)
    differ = (_("Every outcome is as in the case file.") if n == 0 else
              ngettext("{n} outcome now differs from the case file.",
                       "{n} outcomes now differ from the case file.", n).format(n=n))
    if last is None:
        return differ
    if not last:
        return _("This change moved no outcome. {differ}").format(differ=differ)
    return _("This change: {changes}. {differ}").format(
        changes="; ".join(c.text() for c in last), differ=differ)


NOTE_CHANGES = 3  # outcomes named in the note under a changed fact; the rest are counted


def note_text(last: list[Change] | None) -> str:
    """The short note under the fact just changed: the outcomes it moved, in the matrix's
    words ("Changed: Duress (England & Wales): fails → succeeds."), or that it moved none."""
    if last is None:
        return ""
    if not last:
        return _("No outcome changed.")
    named = "; ".join(c.text() for c in last[:NOTE_CHANGES])
    more = len(last) - NOTE_CHANGES
    if more > 0:
        return _("Changed: {named}; and {more} more.").format(named=named, more=more)
    return _("Changed: {named}.").format(named=named)


def boxed(body: str) -> str:
    """``body`` (already escaped) as an HTML widget value. Kept for the modules not yet moved
    to ui.py (scenario_lab, download); new code renders a template with ui.value."""
    return ui.value("frame.html.j2", body=ui.Markup(body))


class OutcomeMatrix:
    """``.status`` (the live status line) and ``.table`` (the matrix) as HTML widgets.

    Call :meth:`set_baseline` with the case as loaded, then :meth:`show` after every change.
    """

    def __init__(self, caption: str = N_("Outcomes: the case as loaded and now"), *,
                 after: str = "", joined: bool = False) -> None:
        # ``after``: the heading of what follows the table on the page (a msgid, N_), drawn in
        # the table's widget rather than in a widget of its own; ``joined``: the status line
        # and the table are one widget, ``status is table`` (issue 16: a model less per page)
        self.caption = caption
        self.after = after
        self.status = ui.html_widget()
        self.table = self.status if joined else ui.html_widget()
        self._widget: w.VBox | None = None
        self.baseline: dict[str, str] = {}
        self.baseline_marks: dict[str, tuple[Confidence, ...]] = {}
        self.rows: list[Row] = []
        self.last_changes: list[Change] | None = None
        self.since_loaded: list[Change] = []

    @property
    def widget(self) -> w.VBox:
        """The status line above the table, as one box: made when asked for, since a page
        that lays out ``status`` and ``table`` itself (the scenario lab) would otherwise
        send the front end a box it never shows (issue 16)."""
        if self._widget is None:
            self._widget = ui.vbox([self.status] if self.status is self.table
                                   else [self.status, self.table])
        return self._widget

    def set_baseline(self, a: Assessment, announce: str = "") -> None:
        """Start from ``a`` (a newly loaded case): no row is marked changed."""
        self.rows = rows(a)
        self.baseline = {r.key: r.outcome for r in self.rows}
        self.baseline_marks = {r.key: r.marks for r in self.rows}
        self.last_changes = None
        self.since_loaded = []
        self._draw(announce)

    def show(self, a: Assessment, announce: str = "", *, point: bool = True) -> list[Change]:
        """Show ``a``; return the rows this change moved. With ``point`` the table names
        them (data-last), so that the page brings the first into view."""
        previous = {r.key: r.outcome for r in self.rows}
        self.rows = rows(a)
        self.last_changes = changes(previous, self.rows)
        self.since_loaded = changes(self.baseline, self.rows)
        self._draw(announce, point)
        return self.last_changes

    def _draw(self, announce: str, point: bool = False) -> None:
        text = status_text(self.last_changes, self.since_loaded)
        status = ui.render("matrix/status.html.j2", announce=announce, text=text)
        table = ui.render("matrix/table.html.j2", after=_(self.after) if self.after else "",
                          **_table(self.rows, self.baseline, self.caption, self.baseline_marks,
                                   [c.key for c in self.last_changes or ()] if point else ()))
        if self.status is self.table:  # the status line above the table, as two widgets were
            self.table.value = ui.value("scenario_lab/sections.html.j2", parts=[status, table])
        else:
            self.status.value = ui.value("frame.html.j2", body=status)
            self.table.value = ui.value("frame.html.j2", body=table)

    def row_html(self, key: str) -> str:
        """The table row for ``key`` (for tests and benchmarks)."""
        start = self.table.value.find(f"data-key='{key}'")
        if start < 0:
            return ""
        return self.table.value[start:self.table.value.find("</tr>", start)]
