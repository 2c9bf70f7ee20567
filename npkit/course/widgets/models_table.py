"""Module 3: one case, every non-punishment model, side by side.

:class:`ModelsTable` shows a model x outcome x decisive reason x source table for one charge of
one case (the decisive reason is the one the engine names; the outcome carries the caveats it
rests on), each row opening (``<details>``) onto the full finding tree with every reason, its
citation and the citation's confidence mark; the duress variants sit beside the models for
contrast. Decide first: the trainee first ticks the models they expect to protect the person
(guess.GuessFirst); the outcomes, the counts, the sources' conclusion and the case's lesson
appear only after "Compare with npkit". :class:`OffenceCategories` is the cases x models
matrix for Fitzgerald 2024 IV.C's offence categories, and :class:`Discussion` the "the losses
are too big to excuse" exercise.

Everything here only presents: outcomes and reasons come from :func:`npkit.assess` (and
:func:`npkit.render.frame.matrix`), each model's line and the discussion's positions from
npkit/law/data/notes.yaml; the templates (templates/models/) escape every string from a case
file; every callback re-checks its input against the cases and charges it offers, and shows a
readable message instead of raising.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import ipywidgets as w

from npkit.course.training.guess import GuessResult
from npkit.course.widgets import ui
from npkit.course.widgets.base import case_choice
from npkit.course.widgets.choice import Choice, Option, short_labels
from npkit.course.widgets.first_state import opened_when_built
from npkit.course.widgets.guess import GuessFirst
from npkit.course.widgets.reveal import case_notes
from npkit.course.widgets.ui import (
    cite_text,  # noqa: F401 - module 4 and tests use it here
)
from npkit.engine.assessment import Assessment, assess
from npkit.engine.findings import Finding
from npkit.i18n import N_, _
from npkit.law import registry
from npkit.law.vocabulary import OffenceCategory, describe
from npkit.notes import Note, note
from npkit.render import words as rw
from npkit.render.marks import ANALOGUE_NOTE, international_analogue

# One line per model, in npkit's words, with its citations: npkit/law/data/notes.yaml
# ("models.<model>"). Presentation only: the tests themselves live in npkit/law/models/.
MODEL_NOTE = "models.{}"
CONTRAST_NOTE = "duress.for_contrast"  # heads the duress rows
CATEGORIES_NOTE = "offence.categories"  # above the categories matrix


def narrower(model: str) -> bool:
    """A reading of another model (``causation_temporal`` of ``causation``), indented under it."""
    return any(model.startswith(f"{other}_") for other in registry.names("models"))

# The four teaching cases of Fitzgerald 2024 IV.C's categories (status, purpose, secondary) and
# one that fits none of them (Mehak-like violence unrelated to the work).
CATEGORY_CASES = ("status_only", "jane", "guard_escape", "mehak_like")


def find_note(note_id: str) -> Note | None:
    """A note from npkit/law/data/notes.yaml, or None."""
    try:
        return note(note_id)
    except KeyError:
        return None


def error_html(title: str, lines: Iterable[str]) -> str:
    """An error panel as an HTML widget value, for a widget that already exists."""
    return ui.value("error_panel.html.j2", title=title, lines=list(lines))


def charge_options(case) -> list[Option]:
    """A menu option per charge, the principal charge first: its offence type in words
    ("Principal charge: fraud"), the charge as the case file words it beside the menu."""
    kinds = [rw.term(o.type) for o in case.offences]
    labels = short_labels([("", _("Principal charge: {kind}").format(kind=k) if i == 0
                            else k[:1].upper() + k[1:]) for i, k in enumerate(kinds)])
    return [Option(label, o.id, o.charge) for label, o in zip(labels, case.offences,
                                                              strict=True)]


def category_text(offence) -> str:
    """What the offence's category means, in the vocabulary's words."""
    return rw.label(describe(OffenceCategory, offence.category))


class CaseAndCharge:
    """A labelled case picker and charge picker whose callbacks trust nothing: a value that is
    not one of the cases (or one of the chosen case's charges) is ignored. Subclasses implement
    ``render(case, offence_id)``."""

    def __init__(self, cases: Sequence, case_id: str = "jane",
                 case_label: str = N_("Case"), charge_label: str = N_("Charge")):
        self._cases = {c.id: c for c in cases}
        self.status = ui.status_line()
        self.case_choice = case_choice(list(self._cases.values()), value=case_id,
                                       description=_(case_label))
        self.case_picker = self.case_choice.menu
        self.case_id = self.case_picker.value
        case = self._cases[self.case_id]
        self.charge_choice = Choice(_(charge_label), charge_options(case), case.offences[0].id)
        self.offence_picker = self.charge_choice.menu
        self.offence_id = self.offence_picker.value
        self._syncing = False
        self.case_picker.observe(self._on_case, names="value")
        self.offence_picker.observe(self._on_offence, names="value")
        self.controls = ui.vbox([self.case_choice.widget, self.charge_choice.widget])

    # -- callbacks: re-check the value, never raise into the page --
    def _on_case(self, change) -> None:
        new = change.get("new") if isinstance(change, dict) else None
        if not isinstance(new, str) or new not in self._cases:
            return
        case = self._cases[new]
        self._syncing = True
        try:
            self.charge_choice.set_options(charge_options(case), case.offences[0].id)
        finally:
            self._syncing = False
        self.show(new, case.offences[0].id)

    def _on_offence(self, change) -> None:
        if self._syncing:
            return
        new = change.get("new") if isinstance(change, dict) else None
        case = self._cases.get(self.case_id)
        if case is None or not isinstance(new, str) or new not in {o.id for o in case.offences}:
            return
        self.show(self.case_id, new)

    def show(self, case_id: str, offence_id: str | None = None) -> None:
        """Render one charge of one case; unknown ids are ignored, errors shown, not raised."""
        case = self._cases.get(case_id)
        if case is None:
            return
        ids = [o.id for o in case.offences]
        offence_id = offence_id if offence_id in ids else ids[0]
        try:
            self.render(case, offence_id)
        except Exception as exc:  # a callback never raises into the page
            self.status.value = ui.value(
                "error_panel.html.j2",
                title=_("This case could not be assessed; the other cases still work."),
                lines=[f"{case.id}: {type(exc).__name__}: {exc}"])
            return
        self.case_id, self.offence_id = case_id, offence_id
        self.status.value = ""

    def render(self, case, offence_id: str) -> None:  # pragma: no cover - abstract
        raise NotImplementedError


class ModelsTable(GuessFirst, CaseAndCharge):
    """Every model for one charge of one case, with duress beside it for contrast, once the
    trainee has guessed which models protect (decide first).

    Tests drive ``case_picker`` / ``offence_picker``, tick ``boxes`` and press ``compare``,
    then read ``summary.value`` and ``table.value`` (empty before); ``rows`` maps each model to
    its finding for the charge on show. Saved state: see :class:`GuessFirst`.
    """

    state_key = "models"

    @opened_when_built()  # each widget opens with its first state (issue 16)
    def __init__(self, cases: Sequence, case_id: str = "jane"):
        super().__init__(cases, case_id)
        self._init_guess(N_("models"))
        self.charge = ui.html_widget()
        self.case_panel = ui.html_widget()
        self.summary = ui.html_widget()
        self.table = ui.html_widget()
        self.concludes = ui.html_widget()
        self.rows: dict[str, Finding] = {}
        self.assessment: Assessment | None = None
        self.widget = ui.vbox([self.controls, self.status, self.charge, self.case_panel,
                               self.guess, self.summary, self.table, self.concludes])
        self.show(self.case_id, self.offence_id)

    def offered(self) -> tuple[str, ...]:
        return tuple(registry.names("models"))

    def render(self, case, offence_id: str) -> None:
        a = assess(case, offence_id, counterfactuals=False)
        self.assessment, self.rows = a, dict(a.models)
        self.charge.value = ui.value("models/charge.html.j2", a=a,
                                     category=category_text(a.offence))
        self.case_panel.value = ui.value("models/case_panel.html.j2", case=case,
                                         show_tags=False)
        models = {k: a.models[k] for k in registry.names("models") if k in a.models}
        self._offer(case, offence_id, models, ui.value(
            "guess/question.html.j2", name=case.person.pseudonym, charge=a.offence.charge,
            total=len(models), noun=_("models")))

    def conceal(self) -> None:
        self.summary.value = self.table.value = self.concludes.value = ""

    def show_result(self, result: GuessResult, reveal: int) -> None:
        a = self.assessment
        self.summary.value = ui.value("models/summary.html.j2", **_summary(a), g=result,
                                      name=a.case.person.pseudonym, noun=_("models"),
                                      reveal=reveal)
        self.table.value = ui.value("models/table.html.j2", **_table(a))
        self.concludes.value = ui.value("reveal/concludes.html.j2",
                                        notes=case_notes("models", a.case.id),
                                        lesson=a.case.lesson)


def _summary(a: Assessment) -> dict:
    return {
        "a": a, "category": category_text(a.offence),
        "protect": sum(1 for m in a.models.values() if m.outcome == "protected"),
        "middle": sum(1 for m in a.models.values() if m.outcome == "discretionary"),
        "succeed": sum(1 for d in a.duress.values() if d.outcome == "succeeds"),
    }


def _row(node: Finding, key: str, group: str) -> dict:
    """One model or duress variant: its note (the model's line, or the analogue label of the
    Rome Statute) and whether it is a narrower reading of another model."""
    if group == "models":
        found = find_note(MODEL_NOTE.format(key))
    elif international_analogue(node):
        found = find_note(ANALOGUE_NOTE)
    else:
        found = None
    return {"key": key, "group": group, "node": node, "note": found,
            "sub": group == "models" and narrower(key)}


def _table(a: Assessment) -> dict:
    return {
        "a": a,
        "models": [_row(a.models[k], k, "models") for k in registry.names("models")
                   if k in a.models],
        "duress": [_row(node, k, "duress") for k, node in a.duress.items()],
        "contrast": note(CONTRAST_NOTE),
    }


def models_table_html(a: Assessment) -> str:
    """The models table for one assessed charge (see ``templates/models/table.html.j2``)."""
    return str(ui.render("models/table.html.j2", **_table(a)))


# --- offence categories ----------------------------------------------------------------------

def _categories(cases: Sequence, ids: Sequence[str]) -> dict:
    from npkit.render.frame import matrix

    by_id = {c.id: c for c in cases}
    chosen = [by_id[i] for i in ids if i in by_id]
    missing = [i for i in ids if i not in by_id]
    if not chosen:
        return {"rows": [], "cols": [], "missing": missing, "categories": note(CATEGORIES_NOTE)}
    table = matrix(chosen)
    titles = {k: node.title for k, node in
              assess(chosen[0], counterfactuals=False).models.items()}
    keys = [k for k in registry.names("models") if f"models.{k}" in table.columns and k in titles]
    marks = table.attrs.get("marks", {})
    # A case per column and a model per row: four columns fit a laptop's width, where a
    # column per model (eight) did not.
    cols = [(case, case.offences[0], category_text(case.offences[0])) for case in chosen]
    rows = [(k, titles[k], [(str(table.loc[case.id, f"models.{k}"]),
                             marks.get((case.id, f"models.{k}"), "")) for case in chosen])
            for k in keys]
    return {"rows": rows, "cols": cols, "missing": missing, "categories": note(CATEGORIES_NOTE)}


def category_matrix_html(cases: Sequence, ids: Sequence[str] = CATEGORY_CASES) -> str:
    """The cases x models matrix (principal charges) as an accessible table with badges."""
    return str(ui.render("models/categories.html.j2", **_categories(cases, ids)))


class OffenceCategories:
    """Decide first, then reveal the categories matrix with a button."""

    def __init__(self, cases: Sequence, ids: Sequence[str] = CATEGORY_CASES):
        self._cases = list(cases)
        self._ids = tuple(ids)
        self.reveal = ui.button(_("Show how the models treat each category"),
                                tooltip=_("Reveal the cases x models table"))
        self.matrix = ui.html_widget()
        self.reveal.on_click(self._on_reveal)
        self.widget = ui.vbox([self.reveal, self.matrix])

    @ui.guard(N_("The matrix could not be built."), status="matrix")
    def _on_reveal(self, _button=None) -> None:
        self.matrix.value = ui.value("models/categories.html.j2",
                                     **_categories(self._cases, self._ids))


# --- discussion --------------------------------------------------------------------------------

# What the sources say, as notes with citations (npkit/law/data/notes.yaml).
DISCUSSION_NOTES = ("discussion.severity.protect_all", "discussion.severity.exclude_serious",
                    "discussion.severity.where_weighing")


def discussion_sources_html() -> str:
    return str(ui.render("models/discussion_sources.html.j2",
                         notes=[note(n) for n in DISCUSSION_NOTES]))


class Discussion:
    """The prompt, a notes box for the trainee's own answer (kept on the page only, never read
    by npkit) and a button that reveals the sources' positions."""

    def __init__(self):
        self.prompt = ui.html_widget("models/discussion_prompt.html.j2")
        self.notes = ui.typed(w.Textarea, description=_("Your answer"),
                              placeholder=_("Your view, in a line or two (stays on this page; "
                                            "not saved)"),
                              style=ui.shared_style(w.Textarea, description_width="initial"),
                              layout=ui.shared(w.Layout, width="36rem", height="5rem"))
        self.reveal = ui.button(_("Show what the sources say"))
        self.sources = ui.html_widget()
        self.reveal.on_click(self._on_reveal)
        self.widget = ui.vbox([self.prompt, self.notes, self.reveal, self.sources])

    @ui.guard(N_("The sources could not be shown."), status="sources")
    def _on_reveal(self, _button=None) -> None:
        self.sources.value = ui.value("models/discussion_sources.html.j2",
                                      notes=[note(n) for n in DISCUSSION_NOTES])
