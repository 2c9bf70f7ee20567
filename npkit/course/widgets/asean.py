"""Module 4: the ten ASEAN Member States and the international instruments.

:class:`AseanTable` is the reference table a trainee filters with labelled controls (link model,
whether a provision exists, and an offence type, which adds a "covered?" column). Every row
shows its provision, model, offences covered, discretion, summary, sources, confidence mark and
the date it was last checked. :class:`AseanCase` assesses one charge of one case in every state
and instrument and explains each discretionary outcome.

Everything here only presents the rows of :mod:`npkit.law.jurisdiction_data` and the findings of
:func:`npkit.assess`. Callbacks re-check every value against the options they offer and never
raise into the page.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w

from npkit.course.widgets.base import badge, esc, marks_html, outcome_html, words
from npkit.course.widgets.models_table import (
    CaseAndCharge,
    boxed,
    charge_line,
    cite_text,
    confidence_html,
    error_html,
    source_html,
    tree_html,
)
from npkit.engine.assessment import assess
from npkit.law.jurisdiction_data import instruments, jurisdictions
from npkit.law.jurisdictions import DISCRETION_TEXT
from npkit.law.jurisdictions import MODEL_WORDS as LAW_MODEL_WORDS
from npkit.law.vocabulary import OffenceType, describe
from npkit.notes import Note, notes

# The law's own words for a row's model (npkit/law/data/wording/jurisdictions.yaml).
MODEL_WORDS = {**LAW_MODEL_WORDS, "none": "no provision"}
KIND_WORDS = {"soft_law": "soft law", "treaty": "treaty", "eu_law": "EU law",
              "case_law": "judgment"}

# Why a text leaves protection to the authorities, in npkit's words with citations, keyed by
# the data's ``discretion`` field ("discretion.<type>" in npkit/law/data/notes.yaml), or by the row
# where it needs more ("discretion.row.<key>"). Presentation only: the outcome itself comes
# from npkit/law/jurisdictions.py.
def why_discretionary(key: str, row) -> tuple[str, str]:
    """(explanation, sources in words) for a row whose outcome is discretionary; ('', '') if
    the notes have none."""
    found = why_note(key, row)
    return (found.text, found.source_text) if found is not None else ("", "")


def why_note(key: str, row) -> Note | None:
    for note_id in (f"discretion.row.{key}", f"discretion.{getattr(row, 'discretion', '')}"):
        if note_id in notes():
            return notes()[note_id]
    return None


NO_DISCRETION = "None recorded"

ANY_MODEL, HAS_PROVISION, NO_PROVISION = "", "yes", "no"


def reference_rows() -> dict[str, object]:
    """Every row to show: ASEAN states by ISO code, then instruments by id."""
    return {**jurisdictions(), **instruments()}


def is_state(row) -> bool:
    return hasattr(row, "code")


def has_provision(row) -> bool:
    """A state row says so; an instrument has a provision unless it is case law (model none)."""
    return bool(getattr(row, "has_provision", row.model != "none"))


def _covered_mark(row, offence_type: str) -> str:
    if not has_provision(row):
        ok, text = False, "not covered (no provision)"
    elif row.covers(offence_type):
        ok, text = True, "covered"
    else:
        ok, text = False, "not covered"
    kind, symbol = ("good", "✔") if ok else ("bad", "✘")
    return (f'<span class="npk-badge npk-{kind}"><span aria-hidden="true">{symbol}</span> '
            f"{esc(text)}</span>")


def _offences_text(row) -> str:
    if row.covers_any:
        return "any offence"
    if not row.offences_covered:
        return "none"
    return ", ".join(words(o) for o in row.offences_covered)


def _row_html(key: str, row, offence_type: str) -> str:
    if is_state(row):
        name = f"{esc(row.name)} <span class='npk-source'>({esc(row.code)})</span>"
        provision = esc(row.provision) if row.provision else (
            "provision exists (section not named in the sources)" if row.has_provision
            else "no explicit non-punishment provision")
    else:
        year = f", {row.year}" if row.year else ""
        kind = KIND_WORDS.get(row.kind, row.kind)
        name = f"{esc(row.name)} <span class='npk-source'>({esc(kind)}{esc(year)})</span>"
        provision = esc(row.provision)
    model = esc(MODEL_WORDS.get(row.model, words(row.model)))
    if getattr(row, "obedience_to_order", False):
        model += " + acts done on the trafficker's order"
    if getattr(row, "requires_forced_labour", False):
        model += "; only for victims of forced labour"
    if getattr(row, "applies_only_to", ""):
        model += f"; only for {esc(row.applies_only_to)}"
    discretion = DISCRETION_TEXT.get(row.discretion)
    discretion_html = (f"<strong>{esc(words(row.discretion))}</strong>: {esc(discretion)}"
                       if discretion else esc(NO_DISCRETION))
    covered = (f"<td class='npk-nowrap'>{_covered_mark(row, offence_type)}</td>"
               if offence_type else "")
    sources = "; ".join(esc(cite_text(c)) for c in row.citations)
    readings = "".join(f"<li>{esc(r)}</li>" for r in row.readings)
    more = ("<details><summary>More: coverage, notes"
            + (", npkit's readings" if readings else "") + "</summary>"
            f"<p><strong>Coverage:</strong> {esc(row.coverage_note)}</p>"
            + (f"<p><strong>Notes:</strong> {esc(row.notes)}</p>" if row.notes else "")
            + (f"<p><strong>npkit's readings:</strong></p><ul>{readings}</ul>" if readings
               else "")
            + (f"<p><strong>Binding?</strong> {esc(row.binding_note)}</p>"
               if hasattr(row, "binding_note") else "")
            + "</details>")
    return (f'<tr data-row="{esc(key)}"><th scope="row">{name}</th>{covered}'
            f"<td>{provision}<br><em>Model:</em> {model}</td>"
            f"<td>{esc(_offences_text(row))}</td><td>{discretion_html}</td>"
            f"<td class='npk-wide'>{esc(row.summary)}{more}</td>"
            f"<td class='npk-mid'><p class='npk-source'>{sources}</p>"
            "<p><strong>Confidence:</strong> "
            f"{confidence_html(row.confidence)}</p><p><strong>Last checked:</strong> "
            f"{esc(row.last_checked.isoformat())}<br><span class='npk-source'>against "
            f"{esc(row.checked_against)}</span></p></td></tr>")


VERIFY_NOTE = (
    '<p class="npk-note" role="note"><strong>Verify current law.</strong> Each row paraphrases '
    "what the two seed sources report (Fitzgerald 2024; the ASEAN NPP study); npkit has not read "
    "the statutes. Laws are amended: check the current text before relying on any row, and "
    "note each row's confidence mark and the date it was last checked.</p>"
)


def _why_html(found: Note | None) -> str:
    """A discretion note, its sources and any caveat it rests on, escaped."""
    if found is None:
        return ""
    return (f"{esc(found.text)} <span class='npk-source'>({esc(found.source_text)})</span>"
            f"{marks_html(found.marks)}")


class AseanTable:
    """The reference table with three labelled filters and an instruments switch.

    ``model``, ``provision`` and ``offence`` are Dropdowns, ``include_instruments`` a Checkbox;
    ``table.value`` is the HTML and ``visible`` the keys (ISO codes, instrument ids) on show.
    """

    def __init__(self, rows: dict[str, object] | None = None):
        self._rows = dict(rows) if rows is not None else reference_rows()
        models = sorted({r.model for r in self._rows.values()},
                        key=lambda m: list(MODEL_WORDS).index(m) if m in MODEL_WORDS else 99)
        model_options = [("All models", ANY_MODEL)] + [
            (MODEL_WORDS.get(m, words(m)), m) for m in models]
        provision_options = [("All", ANY_MODEL), ("Has a non-punishment provision",
                                                 HAS_PROVISION),
                             ("No explicit provision", NO_PROVISION)]
        offence_options = [("(choose one to see if it is covered)", "")] + [
            (f"{words(t)}: {describe(OffenceType, t)}", str(t)) for t in OffenceType]
        self._allowed = {
            "model": {v for _, v in model_options},
            "provision": {v for _, v in provision_options},
            "offence": {v for _, v in offence_options},
        }
        style = {"description_width": "initial"}
        self.model = w.Dropdown(options=model_options, value=ANY_MODEL,
                                description="Link model", style=style)
        self.provision = w.Dropdown(options=provision_options, value=ANY_MODEL,
                                    description="Provision", style=style)
        self.offence = w.Dropdown(options=offence_options, value="",
                                  description="Is this offence type covered?", style=style,
                                  layout=w.Layout(width="34rem"))
        self.include_instruments = w.Checkbox(value=True,
                                              description="Include international instruments",
                                              style=style)
        self.state = {"model": ANY_MODEL, "provision": ANY_MODEL, "offence": "",
                      "instruments": True}
        self.status = w.HTML("")
        self.count = w.HTML("")
        self.table = w.HTML("")
        self.visible: list[str] = []
        self.model.observe(self._on_model, names="value")
        self.provision.observe(self._on_provision, names="value")
        self.offence.observe(self._on_offence, names="value")
        self.include_instruments.observe(self._on_instruments, names="value")
        self.widget = w.VBox([
            w.HTML(boxed(VERIFY_NOTE)),
            w.HBox([self.model, self.provision, self.include_instruments],
                   layout=w.Layout(flex_flow="row wrap")),
            self.offence, self.status, self.count, self.table])
        self.render()

    # -- callbacks: a value no control offers is ignored --
    def _set(self, key: str, change) -> None:
        new = change.get("new") if isinstance(change, dict) else None
        if not isinstance(new, str) or new not in self._allowed[key]:
            return
        self.state[key] = new
        self.render()

    def _on_model(self, change) -> None:
        self._set("model", change)

    def _on_provision(self, change) -> None:
        self._set("provision", change)

    def _on_offence(self, change) -> None:
        self._set("offence", change)

    def _on_instruments(self, change) -> None:
        new = change.get("new") if isinstance(change, dict) else None
        if not isinstance(new, bool):
            return
        self.state["instruments"] = new
        self.render()

    def _keep(self, row) -> bool:
        s = self.state
        if s["model"] and row.model != s["model"]:
            return False
        if s["provision"] == HAS_PROVISION and not has_provision(row):
            return False
        if s["provision"] == NO_PROVISION and has_provision(row):
            return False
        return is_state(row) or s["instruments"]

    def render(self) -> None:
        try:
            self._render()
        except Exception as exc:  # never a traceback in the page
            self.status.value = error_html("The table could not be drawn.",
                                           [f"{type(exc).__name__}: {exc}"])
        else:
            self.status.value = ""

    def _render(self) -> None:
        offence = self.state["offence"]
        shown = {k: r for k, r in self._rows.items() if self._keep(r)}
        self.visible = list(shown)
        states = [(k, r) for k, r in shown.items() if is_state(r)]
        others = [(k, r) for k, r in shown.items() if not is_state(r)]
        n_states = sum(1 for r in self._rows.values() if is_state(r))
        covered_word = ""
        if offence:
            n_cov = sum(1 for _, r in states if has_provision(r) and r.covers(offence))
            covered_word = (f" {n_cov} of the {len(states)} states shown list "
                            f"<strong>{esc(words(offence))}</strong> among the offences "
                            "their provision covers.")
        self.count.value = boxed(
            f'<p role="status">Showing {len(states)} of {n_states} ASEAN states and '
            f"{len(others)} instruments.{covered_word}</p>")
        cols = ["State or instrument"]
        if offence:
            cols.append(f"Covers {words(offence)}?")
        cols += ["Provision and model", "Offences covered", "Discretion", "Summary",
                 "Source, confidence, last checked"]
        head = "".join(f"<th scope='col'>{esc(c)}</th>" for c in cols)
        span = len(cols)

        def group(title: str, items) -> str:
            if not items:
                return ""
            return (f"<tbody><tr><th scope='rowgroup' colspan='{span}'>{esc(title)}</th></tr>"
                    + "".join(_row_html(k, r, offence) for k, r in items) + "</tbody>")

        body = (group("ASEAN Member States", states)
                + group("International and regional instruments", others))
        empty = "" if shown else "<p>No row matches these filters.</p>"
        self.table.value = boxed(
            f"{empty}<table><caption>Non-punishment provisions as the sources report them"
            f"</caption><thead><tr>{head}</tr></thead>{body}</table>")


class AseanCase(CaseAndCharge):
    """One charge of one case in every ASEAN state and instrument."""

    def __init__(self, cases: Sequence, case_id: str = "jane"):
        super().__init__(cases, case_id)
        self.summary = w.HTML("")
        self.table = w.HTML("")
        self.outcomes: dict[str, str] = {}
        self.widget = w.VBox([self.controls, self.status, self.summary, self.table])
        self.show(self.case_id, self.offence_id)

    def render(self, case, offence_id: str) -> None:
        a = assess(case, offence_id, counterfactuals=False)
        rows = reference_rows()
        found = {**a.jurisdictions, **a.instruments}
        self.outcomes = {k: n.outcome for k, n in found.items()}
        states = {k: n for k, n in a.jurisdictions.items()}
        tally = {}
        for n in states.values():
            tally[n.outcome] = tally.get(n.outcome, 0) + 1
        tally_text = ", ".join(f"{badge(o)} in {c}" for o, c in sorted(tally.items()))
        discretionary = [(k, n) for k, n in found.items() if n.outcome == "discretionary"]
        why = "".join(
            f"<li><strong>{esc(n.title)}</strong>: {_why_html(why_note(k, rows[k]))}</li>"
            for k, n in discretionary if k in rows)
        why_html = (f"<p><strong>Where protection is discretionary here, and why:</strong></p>"
                    f"<ul>{why}</ul>") if why else (
            "<p>No state or instrument leaves this charge to discretion.</p>")
        self.summary.value = boxed(
            charge_line(case, a.offence)
            + f"<p>Victim of trafficking for this charge: {outcome_html(a.victim)}</p>"
            f'<p role="status">Across the {len(states)} ASEAN states: {tally_text}.</p>'
            + why_html)

        def row(key: str, node) -> str:
            # the reason the engine names as decisive; the full tree is one click away
            reason = node.decisive
            because = esc(reason.text) if reason else "—"
            data = rows.get(key)
            if node.outcome == "discretionary" and data is not None:
                found = why_note(key, data)
                because += (f"<p><strong>Why discretionary:</strong> {_why_html(found)}</p>"
                            if found is not None else "")
            source = source_html(reason.source) if reason else "—"
            checked = (f"<br><span class='npk-source'>last checked "
                       f"{esc(data.last_checked.isoformat())}</span>") if data is not None else ""
            return (f'<tr data-row="{esc(key)}"><th scope="row">{esc(node.title)}</th>'
                    f"<td>{outcome_html(node)}</td><td>{because}"
                    f"<details><summary>Full reasoning</summary>{tree_html(node)}</details>"
                    f"</td><td>{source}{checked}</td></tr>")

        head = ("<thead><tr><th scope='col'>State or instrument</th><th scope='col'>Outcome"
                "</th><th scope='col'>Reason</th><th scope='col'>Source and confidence</th>"
                "</tr></thead>")
        body = ("<tbody><tr><th scope='rowgroup' colspan='4'>ASEAN Member States</th></tr>"
                + "".join(row(k, n) for k, n in a.jurisdictions.items()) + "</tbody>"
                "<tbody><tr><th scope='rowgroup' colspan='4'>International and regional "
                "instruments</th></tr>"
                + "".join(row(k, n) for k, n in a.instruments.items()) + "</tbody>")
        self.table.value = boxed(
            f"<table><caption>{esc(case.person.pseudonym)}'s charge in every state and "
            f"instrument (verify current law)</caption>{head}{body}</table>")
