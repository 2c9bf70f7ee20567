"""Module 2: the duress checklist.

For one case the trainee answers the four conditions of duress yes or no, then "Compare with
npkit" sets the answers beside npkit's finding on each condition under England & Wales,
Malaysia and the Rome Statute (labelled as the international-criminal-law analogue): which
variant requires which condition, whether duress succeeds and the caveats that outcome rests on
(npkit's reading, outside law), the reasons with their sources, and what would have to change
(npkit's counterfactuals for the duress outcomes). Decide first: none of it, nor what the source
concludes about the case (notes), is on the page before "Compare with npkit"; then a one-line
summary (a live region) heads the result.

The comparison is :func:`npkit.course.training.checklist.compare`; every finding comes from
:func:`npkit.assess`. Case text is escaped; callbacks re-check their input and never raise.
"""

from __future__ import annotations

import ipywidgets as w

from npkit.course.binding import Stateful
from npkit.course.training.checklist import (
    ANSWER_OPTIONS,
    NOT_ANSWERED,
    Comparison,
    answer_options,
    citations,
    compare,
    question,
)
from npkit.course.widgets import ui
from npkit.course.widgets.base import case_choice, error_panel, picked_case
from npkit.course.widgets.first_state import opened_when_built
from npkit.course.widgets.reveal import case_notes, restore_answers
from npkit.engine.assessment import assess
from npkit.i18n import N_, _
from npkit.law.duress import CONDITIONS, VARIANTS
from npkit.render import words as rw
from npkit.render.marks import analogue_label, analogue_text, international_analogue

CASES = ("jane", "john", "sarah")
# What a matrix cell says of the trainee's answer: short, since it is read twelve times.
AGREEMENT_TEXT = {
    "agrees": N_("You agree."),
    "differs": N_("You disagree."),
    NOT_ANSWERED: "",
}
# The answer labels of npkit.course.training.checklist.ANSWER_OPTIONS, translated where shown.
ANSWER_WORDS = (N_("Yes"), N_("No"))


def _options(cond: str) -> list[tuple[str, str]]:
    return [(_(label), value) for label, value in answer_options(cond)]


class DuressChecklist(Stateful):
    """Answer the four conditions of duress for a case, then compare with npkit.

    Saved state (:meth:`get_state`): the case, the yes/no answers, and whether the trainee
    compared (the comparison is recomputed when the state is restored)."""

    state_key = "duress"

    @opened_when_built()  # each widget opens with its first state (issue 16)
    def __init__(self, cases, value: str | None = "jane", case_ids=CASES):
        self.status = ui.status_line()
        self._quiet = False
        chosen = [c for c in cases if c.id in case_ids] or list(cases)
        self.cases = {c.id: c for c in chosen}
        self.result: Comparison | None = None
        self._assessments: dict[str, object] = {}
        if not self.cases:
            self.widget = error_panel(_("There is no case to test."),
                                      [_("No case file could be read from the case library.")])
            return
        self.case_choice = case_choice(chosen, value, description=_("Case"))
        self.picker = self.case_choice.menu
        self.story = ui.html_widget()
        self.prompts: dict[str, w.HTML] = {}
        self.questions: dict[str, w.RadioButtons] = {}
        self._ids = {cond: ui.question_id() for cond in CONDITIONS}
        rows = []
        for cond in CONDITIONS:
            self.prompts[cond] = ui.html_widget()
            # No description: "No reasonable escape: Yes" read as a double negative. The
            # group is named by the question above it.
            self.questions[cond] = ui.labelled_by(w.RadioButtons(
                options=_options(cond), value=None, layout=ui.shared(w.Layout, width="auto"),
                style=ui.shared_style(w.RadioButtons)),
                self._ids[cond])
            self.questions[cond].observe(self._on_answer, names="value")
            rows.append(w.VBox([self.prompts[cond], self.questions[cond]],
                               layout=ui.shared(w.Layout, margin="0 0 .5em 0")))
        self.compare_button = ui.button(_("Compare with npkit"), kind="primary",
                                        tooltip=_("Set your answers beside npkit's findings"))
        self.clear = ui.button(_("Clear my answers"), tooltip=_("Start this case again"))
        self.summary = ui.html_widget()
        self.comparison = ui.html_widget()
        self.concludes = ui.html_widget()
        self.reasons = ui.html_widget()
        self._reveal = 0  # presses of "Compare with npkit" (see reveal.py)
        self.changes = ui.html_widget()
        self.intro = ui.html_widget("duress/intro.html.j2")
        self.picker.observe(self._on_case, names="value")
        self.compare_button.on_click(self._on_compare)
        self.clear.on_click(self._on_clear)
        self.widget = ui.vbox([
            self.status, self.intro, self.case_choice.widget, self.story, *rows,
            ui.box([self.compare_button, self.clear], row=True),
            self.summary, self.comparison, self.concludes, self.reasons, self.changes,
        ], "npk-wrap")
        self.load(self.picker.value)

    @property
    def case(self):
        return self.cases[self.picker.value]

    def answers(self) -> dict[str, object]:
        return {cond: box.value for cond, box in self.questions.items()}

    # --- callbacks -----------------------------------------------------------------------

    @ui.guard(N_("The case could not be loaded."))
    def load(self, case_id: object) -> None:
        """Start ``case_id`` afresh (ignored unless it is one of the offered cases)."""
        case = picked_case(self.cases, self.picker, case_id)
        if case is None:
            return
        name = case.person.pseudonym
        self.result = None
        self.summary.value = self.concludes.value = ""
        self.comparison.value = self.reasons.value = self.changes.value = ""
        self._quiet = True
        try:
            for n, (cond, box) in enumerate(self.questions.items(), 1):
                box.value = None
                self.prompts[cond].value = ui.value("duress/prompt.html.j2", n=n,
                                                    qid=self._ids[cond],
                                                    text=question(cond, name))
        finally:
            self._quiet = False
        self.story.value = ui.value("story.html.j2", case=case, opened=True,
                                    summary=_("{name}'s story: {title}").format(name=name,
                                                                               title=case.title))

    @ui.guard(N_("The case could not be changed."))
    def _on_case(self, change) -> None:
        self.load(change.get("new"))
        self._changed()

    @ui.guard(N_("Your answer could not be recorded."))
    def _on_answer(self, _change=None) -> None:
        if self._quiet:
            return
        self._changed()
        if self.result is not None:  # already compared: keep the table in step
            self._compare()
            self._draw()

    @ui.guard(N_("Your answers could not be compared with npkit."))
    def _on_compare(self, _button=None) -> None:
        self._reveal += 1
        self._compare()
        self._changed()
        self._draw()

    @ui.guard(N_("Your answers could not be cleared."))
    def _on_clear(self, _button=None) -> None:
        self.load(self.picker.value)
        self._changed()

    # --- saved state ---------------------------------------------------------------------

    def get_state(self) -> dict:
        """``case``, ``answers`` (``{condition: "yes" | "no"}``, unanswered left out) and
        ``compared``."""
        if not self.cases:
            return {}
        allowed = {v for _, v in ANSWER_OPTIONS}
        return {
            "case": self.picker.value,
            "answers": {c: v for c, v in self.answers().items() if v in allowed},
            "compared": self.result is not None,
        }

    def _apply_state(self, state: dict) -> None:
        case_id = state.get("case")
        if not self.cases or not isinstance(case_id, str) or case_id not in self.cases:
            return  # answers belong to a case
        self.load(case_id)
        if self.picker.value != case_id:
            return
        restore_answers(state, self.questions, {v for _, v in ANSWER_OPTIONS}, self._on_compare)

    # --- rendering -----------------------------------------------------------------------

    def _assessment(self):
        case = self.case
        if case.id not in self._assessments:
            self._assessments[case.id] = assess(case)
        return self._assessments[case.id]

    # Saved before drawn: a learner who leaves as the result appears keeps the comparison.
    def _compare(self) -> None:
        self.result = compare(self._assessment(), self.answers())

    def _draw(self) -> None:
        result = self.result
        self.summary.value = ui.value("duress/summary.html.j2", **_summary(result),
                                      reveal=self._reveal)
        self.comparison.value = ui.value("duress/table.html.j2", **_table(result))
        self.concludes.value = ui.value("reveal/concludes.html.j2",
                                        notes=case_notes("duress", self.case.id))
        self.reasons.value = ui.value("duress/reasons.html.j2", r=result)
        self.changes.value = ui.value(
            "duress/changes.html.j2",
            variants=[(rw.label(VARIANTS[v].title), result.findings[v],
                       rw.worded_changes(result.changes_for(v)))
                      for v in result.variants])


def _table_html(r: Comparison) -> str:
    """The comparison table: each condition, the trainee's answer, npkit's finding under each
    variant (with the caveats it rests on) and whether they agree."""
    return str(ui.render("duress/table.html.j2", **_table(r)))


def _summary(r: Comparison) -> dict:
    """The variants grouped by npkit's outcome, for the one-line summary."""
    by_outcome: dict[str, list[str]] = {}
    for v in r.variants:
        by_outcome.setdefault(r.outcome(v), []).append(_short(v))
    return {"r": r, "by_outcome": list(by_outcome.items()),
            "shorts": {v: _short(v) for v in r.variants}}


def _short(variant: str) -> str:
    return rw.label(VARIANTS[variant].short or VARIANTS[variant].title)


def conditions_source() -> str:
    """Where the conditions come from: the first citation of each checklist question
    (npkit/course/data/checklist.yaml), each source once."""
    return "; ".join(dict.fromkeys(ui.cite_text(citations(c)[0]) for c in CONDITIONS))


def _table(r: Comparison) -> dict:
    heads = [(rw.label(VARIANTS[v].title),
              analogue_label() if international_analogue(r.findings[v]) else "")
             for v in r.variants]
    analogue = (analogue_text() if any(international_analogue(f) for f in r.findings.values())
                else "")
    agreement = {k: _(v) if v else v for k, v in AGREEMENT_TEXT.items()}
    return {"r": r, "heads": heads, "analogue": analogue, "agreement_text": agreement,
            "conditions_source": conditions_source()}
