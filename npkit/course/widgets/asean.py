"""Module 4: the ten ASEAN Member States and the international instruments.

:class:`AseanTable` is the reference table a trainee filters with labelled controls (link model,
whether a provision exists, and an offence type, which adds a "covered?" column). Every row
shows its provision, model, offences covered, discretion, summary, sources, confidence mark and
the date it was last checked. :class:`AseanCase` assesses one charge of one case in every state
and instrument and explains each discretionary outcome, once the trainee has ticked the states
they expect to protect the person (decide first, guess.GuessFirst): before "Compare with
npkit" no outcome or count is on the page.

Everything here only presents the rows of :mod:`npkit.law.jurisdiction_data` and the findings of
:func:`npkit.assess`. Callbacks re-check every value against the options they offer and never
raise into the page.
"""

from __future__ import annotations

from collections.abc import Sequence

import ipywidgets as w

from npkit import i18n
from npkit.course.training.guess import GuessResult
from npkit.course.widgets import ui
from npkit.course.widgets.choice import Choice, Option
from npkit.course.widgets.first_state import opened_when_built
from npkit.course.widgets.guess import GuessFirst
from npkit.course.widgets.models_table import CaseAndCharge, category_text
from npkit.engine.assessment import assess
from npkit.i18n import N_, _
from npkit.law.jurisdiction_data import instruments, jurisdictions
from npkit.law.jurisdictions import DISCRETION_TEXT
from npkit.law.jurisdictions import MODEL_WORDS as LAW_MODEL_WORDS
from npkit.law.vocabulary import OffenceType, describe
from npkit.notes import Note, note, notes
from npkit.render import words as rw
from npkit.render.words import say

# The law's own words for a row's model, and for what a row's data adds to it or leaves
# unnamed (npkit/law/data/wording/jurisdictions.yaml); the row's citations stand beside them.
MODEL_WORDS = {**LAW_MODEL_WORDS, "none": N_("no provision")}
VERIFY_NOTE = "asean.verify_current_law"  # above the reference table
KIND_WORDS = {"soft_law": N_("soft law"), "treaty": N_("treaty"), "eu_law": N_("EU law"),
              "case_law": N_("judgment")}
STATES, INSTRUMENTS = N_("ASEAN Member States"), N_("International and regional instruments")


def model_words(model: str) -> str:
    """A row's link model in words, in the learner's language (the law's wording by code)."""
    if model in LAW_MODEL_WORDS:
        return say(f"jurisdictions.model.{model}")
    return _(MODEL_WORDS[model]) if model in MODEL_WORDS else rw.term(model)


def discretion_text(discretion: str) -> str:
    return say(f"jurisdictions.discretion.{discretion}") if discretion in DISCRETION_TEXT else ""

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


ANY_MODEL, HAS_PROVISION, NO_PROVISION = "", "yes", "no"


def reference_rows() -> dict[str, object]:
    """Every row to show, its text in the page's language: ASEAN states by ISO code, then
    instruments by id."""
    lang = i18n.current()
    return {**jurisdictions(lang), **instruments(lang)}


def is_state(row) -> bool:
    return hasattr(row, "code")


def has_provision(row) -> bool:
    """A state row says so; an instrument has a provision unless it is case law (model none)."""
    return bool(getattr(row, "has_provision", row.model != "none"))


def covered_word(row, offence_type: str) -> str:
    """Whether ``row``'s provision covers ``offence_type``, in words (a badge's word)."""
    if not has_provision(row):
        return "not covered (no provision)"  # badge keys: the badge words them
    return "covered" if row.covers(offence_type) else "not covered"


def _offences_text(row) -> str:
    if row.covers_any:
        return _("any offence")
    if not row.offences_covered:
        return _("none")
    return ", ".join(rw.term(o) for o in row.offences_covered)


def _view(row, offence_type: str) -> dict:
    """What a reference row shows beyond its own fields, in words."""
    if is_state(row):
        tag = row.code
        provision = row.provision or say(
            "jurisdictions.provision.unnamed" if row.has_provision
            else "jurisdictions.provision.none")
    else:
        kind = _(KIND_WORDS[row.kind]) if row.kind in KIND_WORDS else row.kind
        tag = f"{kind}, {row.year}" if row.year else kind
        provision = row.provision
    model = [model_words(row.model)]
    if getattr(row, "obedience_to_order", False):
        model.append(say("jurisdictions.qualifier.obedience_to_order"))
    if getattr(row, "requires_forced_labour", False):
        model.append(say("jurisdictions.qualifier.forced_labour"))
    if getattr(row, "applies_only_to", ""):
        model.append(say("jurisdictions.qualifier.only_for", only=row.applies_only_to))
    # a named provision is a citation, kept in its own language (lang="en" on the page)
    return {"tag": tag, "provision": provision, "cited": bool(row.provision),
            "model": "; ".join(model),
            "offences": _offences_text(row),
            "discretion": discretion_text(row.discretion),
            "covered": covered_word(row, offence_type) if offence_type else "",
            "binding_note": getattr(row, "binding_note", "")}


class AseanTable:
    """The reference table with three labelled filters and an instruments switch.

    ``model``, ``provision`` and ``offence`` are Dropdowns, ``include_instruments`` a Checkbox
    (ticked at first unless ``instruments`` is False: module 4 opens on the ten states alone,
    which keeps its first step short); ``table.value`` is the HTML and ``visible`` the keys
    (ISO codes, instrument ids) on show.
    """

    @opened_when_built()  # each widget opens with its first state (issue 16)
    def __init__(self, rows: dict[str, object] | None = None, *, instruments: bool = True):
        self._rows = dict(rows) if rows is not None else reference_rows()
        models = sorted({r.model for r in self._rows.values()},
                        key=lambda m: list(MODEL_WORDS).index(m) if m in MODEL_WORDS else 99)
        model_options = [(_("All models"), ANY_MODEL)] + [(model_words(m), m) for m in models]
        provision_options = [(_("All"), ANY_MODEL),
                             (_("Has a non-punishment provision"), HAS_PROVISION),
                             (_("No explicit provision"), NO_PROVISION)]
        offence_options = [Option(_("(choose one)"), "")] + [
            Option(rw.term(t), str(t), _("{term}: {description}").format(
                term=rw.term(t), description=rw.label(describe(OffenceType, t))))
            for t in OffenceType]
        self._allowed = {
            "model": {v for _, v in model_options},
            "provision": {v for _, v in provision_options},
            "offence": {o.value for o in offence_options},
        }
        style = ui.shared_style(w.Dropdown, description_width="initial")
        self.model = w.Dropdown(options=model_options, value=ANY_MODEL,
                                description=_("Link model"), style=style,
                                layout=ui.shared(w.Layout, width="auto"))
        self.provision = w.Dropdown(options=provision_options, value=ANY_MODEL,
                                    description=_("Provision"), style=style,
                                    layout=ui.shared(w.Layout, width="auto"))
        self.offence_choice = Choice(_("Is this offence type covered?"), offence_options, "")
        self.offence = self.offence_choice.menu
        self.include_instruments = w.Checkbox(value=bool(instruments),
                                              description=_("Include international "
                                                            "instruments"),
                                              style=ui.shared_style(
                                                  w.Checkbox, description_width="initial"),
                                              layout=ui.shared(w.Layout))
        self.state = {"model": ANY_MODEL, "provision": ANY_MODEL, "offence": "",
                      "instruments": bool(instruments)}
        self.status = ui.status_line()
        self.count = ui.html_widget()
        self.table = ui.html_widget()
        self.visible: list[str] = []
        self.model.observe(self._on_model, names="value")
        self.provision.observe(self._on_provision, names="value")
        self.offence.observe(self._on_offence, names="value")
        self.include_instruments.observe(self._on_instruments, names="value")
        self.widget = ui.vbox([
            ui.html_widget("asean/verify.html.j2", note=note(VERIFY_NOTE)),
            w.HBox([self.model, self.provision, self.include_instruments],
                   layout=ui.shared(w.Layout, flex_flow="row wrap")),
            self.offence_choice.widget, self.status, self.count, self.table])
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

    @ui.guard(N_("The table could not be drawn."))
    def render(self) -> None:
        offence = self.state["offence"]
        shown = {k: r for k, r in self._rows.items() if self._keep(r)}
        self.visible = list(shown)
        states = [(k, r, _view(r, offence)) for k, r in shown.items() if is_state(r)]
        others = [(k, r, _view(r, offence)) for k, r in shown.items() if not is_state(r)]
        self.count.value = ui.value(
            "asean/count.html.j2", states=len(states), others=len(others), offence=offence,
            n_states=sum(1 for r in self._rows.values() if is_state(r)),
            covered=sum(1 for _, r, _ in states if has_provision(r) and r.covers(offence)))
        cols = [_("State or instrument")]
        if offence:
            cols.append(_("Covers {offence}?").format(offence=rw.term(offence)))
        cols += [_("Provision and model"), _("Offences covered"), _("Discretion"), _("Summary"),
                 _("Source, confidence, last checked")]
        self.table.value = ui.value(
            "asean/reference.html.j2", shown=shown, offence=offence, cols=cols,
            groups=[(_(STATES), states), (_(INSTRUMENTS), others)])


class AseanCase(GuessFirst, CaseAndCharge):
    """One charge of one case in every ASEAN state and instrument, once the trainee has
    guessed which states protect (decide first). ``outcomes`` maps every state and instrument
    to npkit's outcome for the charge on show; ``summary`` and ``table`` stay empty until
    ``compare`` is pressed. Saved state: see :class:`GuessFirst`."""

    state_key = "asean-case"

    @opened_when_built()  # each widget opens with its first state (issue 16)
    def __init__(self, cases: Sequence, case_id: str = "jane"):
        super().__init__(cases, case_id)
        self._init_guess(N_("ASEAN states"))
        self.charge = ui.html_widget()
        self.summary = ui.html_widget()
        self.table = ui.html_widget()
        self.outcomes: dict[str, str] = {}
        self.assessment = None
        self.widget = ui.vbox([self.controls, self.status, self.charge, self.guess,
                               self.summary, self.table])
        self.show(self.case_id, self.offence_id)

    def offered(self) -> tuple[str, ...]:
        return tuple(jurisdictions())

    def render(self, case, offence_id: str) -> None:
        a = assess(case, offence_id, counterfactuals=False)
        self.assessment = a
        self.outcomes = {k: n.outcome for k, n in {**a.jurisdictions, **a.instruments}.items()}
        self.charge.value = ui.value("models/charge.html.j2", a=a,
                                     category=category_text(a.offence))
        self._offer(case, offence_id, a.jurisdictions, ui.value(
            "guess/question.html.j2", name=case.person.pseudonym, charge=a.offence.charge,
            total=len(a.jurisdictions), noun=_("ASEAN states")))

    def conceal(self) -> None:
        self.summary.value = self.table.value = ""

    def show_result(self, result: GuessResult, reveal: int) -> None:
        a = self.assessment
        rows = reference_rows()
        found = {**a.jurisdictions, **a.instruments}
        tally: dict[str, int] = {}
        for n in a.jurisdictions.values():
            tally[n.outcome] = tally.get(n.outcome, 0) + 1
        why = {k: why_note(k, rows[k]) for k, n in found.items()
               if n.outcome == "discretionary" and k in rows}
        self.summary.value = ui.value(
            "asean/case_summary.html.j2", a=a, tally=sorted(tally.items()),
            why=[(rw.title(found[k]), n) for k, n in why.items()], g=result,
            name=a.case.person.pseudonym, noun=_("ASEAN states"), reveal=reveal)

        def items(group: dict) -> list:
            return [(k, node, why.get(k),
                     rows[k].last_checked.isoformat() if k in rows else "")
                    for k, node in group.items()]

        self.table.value = ui.value(
            "asean/case_table.html.j2", name=a.case.person.pseudonym,
            groups=[(_(STATES), items(a.jurisdictions)),
                    (_(INSTRUMENTS), items(a.instruments))])
