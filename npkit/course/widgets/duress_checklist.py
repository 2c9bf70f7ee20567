"""Module 2: the duress checklist.

For one case the trainee answers the four conditions of duress yes or no, then "Compare with
npkit" sets the answers beside npkit's finding on each condition under England & Wales,
Malaysia and the Rome Statute (labelled as the international-criminal-law analogue): which
variant requires which condition, whether duress succeeds and the caveats that outcome rests on
(npkit's reading, outside law), the reasons with their sources, and what would have to change
(npkit's counterfactuals for the duress outcomes).

The comparison is :func:`npkit.course.training.checklist.compare`; every finding comes from
:func:`npkit.assess`. Case text is escaped; callbacks re-check their input and never raise.
"""

from __future__ import annotations

import ipywidgets as w

from npkit.course.binding import Stateful
from npkit.course.training.checklist import (
    ANSWER_OPTIONS,
    NOT_ANSWERED,
    QUESTIONS,
    Comparison,
    compare,
    question,
)
from npkit.course.widgets.base import (
    badge,
    case_picker,
    error_panel,
    esc,
    marks_html,
    outcome_html,
    tree_html,
)
from npkit.course.widgets.tagger import WRAP_CSS, boxed, button, safe, story_html, verdict_badge
from npkit.engine.assessment import assess
from npkit.law.duress import CONDITIONS, VARIANTS
from npkit.render.marks import analogue_label, analogue_text, international_analogue

CASES = ("jane", "john", "sarah")
AGREEMENT_TEXT = {
    "agrees": "with your answer",
    "differs": "from your answer",
    NOT_ANSWERED: "",
}


class DuressChecklist(Stateful):
    """Answer the four conditions of duress for a case, then compare with npkit.

    Saved state (:meth:`get_state`): the case, the yes/no answers, and whether the trainee
    compared (the comparison is recomputed when the state is restored)."""

    state_key = "duress"

    def __init__(self, cases, value: str | None = "jane", case_ids=CASES):
        self.status = w.HTML("")
        self._quiet = False
        chosen = [c for c in cases if c.id in case_ids] or list(cases)
        self.cases = {c.id: c for c in chosen}
        self.result: Comparison | None = None
        self._assessments: dict[str, object] = {}
        if not self.cases:
            self.widget = error_panel("There is no case to test.",
                                      ["No case file could be read from the case library."])
            return
        self.picker = case_picker(chosen, value, description="Case")
        self.story = w.HTML("")
        self.prompts: dict[str, w.HTML] = {}
        self.questions: dict[str, w.RadioButtons] = {}
        rows = []
        for n, cond in enumerate(CONDITIONS, 1):
            self.prompts[cond] = w.HTML("")
            self.questions[cond] = w.RadioButtons(
                options=list(ANSWER_OPTIONS), value=None,
                description=f"{n}. {QUESTIONS[cond][0]}",
                style={"description_width": "12rem"},
                layout=w.Layout(width="auto"))
            self.questions[cond].observe(self._on_answer, names="value")
            rows.append(w.VBox([self.prompts[cond], self.questions[cond]],
                               layout=w.Layout(margin="0 0 .5em 0")))
        self.compare_button = button("Compare with npkit", button_style="primary",
                                     icon="list",
                                     tooltip="Set your answers beside npkit's findings")
        self.clear = button("Clear my answers", icon="eraser",
                            tooltip="Start this case again")
        self.comparison = w.HTML("")
        self.reasons = w.HTML("")
        self.changes = w.HTML("")
        self.intro = w.HTML(WRAP_CSS + boxed(
            "<p><strong>Decide first.</strong> Read the story, then answer each condition "
            "<em>yes</em> (it is met) or <em>no</em>. Duress needs every condition its "
            "variant requires. Then press <strong>Compare with npkit</strong>.</p>"))
        self.picker.observe(self._on_case, names="value")
        self.compare_button.on_click(self._on_compare)
        self.clear.on_click(self._on_clear)
        self.widget = w.VBox([
            self.status, self.intro, self.picker, self.story, *rows,
            w.HBox([self.compare_button, self.clear], layout=w.Layout(flex_flow="row wrap")),
            self.comparison, self.reasons, self.changes,
        ])
        self.widget.add_class("npk-wrap")
        self.load(self.picker.value)

    @property
    def case(self):
        return self.cases[self.picker.value]

    def answers(self) -> dict[str, object]:
        return {cond: box.value for cond, box in self.questions.items()}

    # --- callbacks -----------------------------------------------------------------------

    @safe("The case could not be loaded.")
    def load(self, case_id: object) -> None:
        """Start ``case_id`` afresh (ignored unless it is one of the offered cases)."""
        if not isinstance(case_id, str) or case_id not in self.cases:
            return
        if self.picker.value != case_id:
            self.picker.value = case_id  # its observer loads the case
            return
        case = self.cases[case_id]
        name = case.person.pseudonym
        self.result = None
        self.comparison.value = self.reasons.value = self.changes.value = ""
        self._quiet = True
        try:
            for cond, box in self.questions.items():
                box.value = None
                self.prompts[cond].value = boxed(f"<p>{esc(question(cond, name))}</p>")
        finally:
            self._quiet = False
        self.story.value = boxed(
            f"<details open><summary>{esc(name)}'s story: {esc(case.title)}</summary>"
            f"{story_html(case)}</details>")

    @safe("The case could not be changed.")
    def _on_case(self, change) -> None:
        self.load(change.get("new"))
        self._changed()

    @safe("Your answer could not be recorded.")
    def _on_answer(self, _change=None) -> None:
        if self._quiet:
            return
        if self.result is not None:  # already compared: keep the table in step
            self._render()
        self._changed()

    @safe("Your answers could not be compared with npkit.")
    def _on_compare(self, _button=None) -> None:
        self._render()
        self._changed()

    @safe("Your answers could not be cleared.")
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
        answers = state.get("answers")
        allowed = {v for _, v in ANSWER_OPTIONS}
        if isinstance(answers, dict):
            for cond, box in self.questions.items():
                value = answers.get(cond)
                if isinstance(value, str) and value in allowed:
                    box.value = value
        if state.get("compared") is True:
            self._on_compare()

    # --- rendering -----------------------------------------------------------------------

    def _assessment(self):
        case = self.case
        if case.id not in self._assessments:
            self._assessments[case.id] = assess(case)
        return self._assessments[case.id]

    def _render(self) -> None:
        result = compare(self._assessment(), self.answers())
        self.result = result
        self.comparison.value = boxed(_table_html(result))
        self.reasons.value = boxed(_reasons_html(result))
        self.changes.value = boxed(_changes_html(result))


def _variant_head(r: Comparison, vid: str) -> str:
    label = (f"<br><span class='npk-mark'>{esc(analogue_label())}</span>"
             if international_analogue(r.findings[vid]) else "")
    return f"<th scope='col'>{esc(VARIANTS[vid].title)}{label}</th>"


def _table_html(r: Comparison) -> str:
    head = "".join(_variant_head(r, v) for v in r.variants)
    analogue = (f"<p class='npk-note' role='note'>{esc(analogue_text())}</p>"
                if any(international_analogue(f) for f in r.findings.values()) else "")
    body = []
    for row in r.rows:
        cells = []
        for c in row.cells:
            need = ("required" if c.required
                    else "not required by this variant: shown, not counted")
            agree = AGREEMENT_TEXT.get(c.agreement, "")
            mark = f"<br>{verdict_badge(c.agreement)} {esc(agree)}" if agree else ""
            cells.append(f"<td>{badge(c.outcome)}{marks_html(c.marks)}<br>"
                         f"<span class='npk-source'>{esc(need)}"
                         f"</span>{mark}</td>")
        body.append(f"<tr><th scope='row'>{esc(row.title)}</th><td>{esc(row.answer)}</td>"
                    f"{''.join(cells)}</tr>")
    outcomes = "".join(f"<td>{outcome_html(r.findings[v])}</td>" for v in r.variants)
    body.append(f"<tr><th scope='row'>Duress</th><td>—</td>{outcomes}</tr>")
    n = len(r.rows)
    agreed = "".join(f"<td>{r.agreed(v)} of {n}</td>" for v in r.variants)
    body.append(f"<tr><th scope='row'>Your answers match npkit on</th>"
                f"<td>{r.answered} of {n} answered</td>{agreed}</tr>")
    missing = ("" if r.answered == n else
               f"<p class='npk-note' role='note'>{n - r.answered} of {n} conditions "
               "not answered yet: answer them to compare every row.</p>")
    return (f"<h3>Duress for {esc(r.name)}: your answers and npkit's</h3>{missing}"
            f"<table><caption class='npk-sr'>Each condition of duress: your answer and "
            f"npkit's finding under each variant</caption><thead><tr>"
            f"<th scope='col'>Condition</th><th scope='col'>Your answer</th>{head}</tr>"
            f"</thead><tbody>{''.join(body)}</tbody></table>"
            "<p class='npk-source'>Conditions: Fitzgerald 2024, V.A. A variant's "
            "\"not required\" condition is shown for comparison only.</p>" + analogue)


def _reasons_html(r: Comparison) -> str:
    trees = "".join(tree_html(f, open_depth=1) for f in r.findings.values())
    return ("<h3>Why: npkit's reasons and sources</h3>"
            "<p>Open a condition to read its reasons; every reason names its source.</p>"
            f"{trees}")


def _changes_html(r: Comparison) -> str:
    parts = []
    for vid in r.variants:
        found = r.changes_for(vid)
        items = "".join(
            f"<li>{badge(c.before)} → {badge(c.after)} if {esc(' and '.join(c.changes))}</li>"
            for c in found)
        body = (f"<ul>{items}</ul>" if items else
                "<p>No change of one or two facts in npkit's catalogue flips this outcome.</p>")
        parts.append(f"<h4>{esc(VARIANTS[vid].title)}: {outcome_html(r.findings[vid])}</h4>"
                     f"{body}")
    return ("<h3>What would have to change</h3>"
            "<p>The smallest changes to the facts (one or two) that would flip each duress "
            f"outcome, found by npkit's counterfactual search.</p>{''.join(parts)}")
