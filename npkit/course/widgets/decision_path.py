"""Module 6, "The prosecutor's decision": walk one case through the criminal-justice stages.

The trainee picks a case, decides first at which stage the non-punishment principle should have
stopped the process (or that it should not), then presses "Check": npkit's answer
(:func:`npkit.law.stages.should_stop`) with its reasons and sources, and a stage-by-stage view
(:func:`npkit.law.stages.walk`) with the ASEAN study's recommendations for each stage. A second
widget, :class:`WhyPunish`, runs the discussion "Why punish them at all?" (Fitzgerald 2024 III).

The widgets only present: the law is in :mod:`npkit.law.stages`, the grading in
:mod:`npkit.course.training.quiz`.
"""

from __future__ import annotations

import ipywidgets as w

from npkit.course.binding import Stateful
from npkit.course.training import quiz as qz
from npkit.course.widgets.base import case_html, case_picker, esc, reasons_html
from npkit.course.widgets.quiz import STATUS_MARKS, box, mark
from npkit.engine.assessment import assess
from npkit.law.stages import CONTEXT_FIGURES, should_stop, walk
from npkit.law.vocabulary import IdentificationStatus, Stage, describe

SEED_CASES = ("jane", "john", "sarah")  # Fitzgerald 2024 V.B: offered first, Jane by default


def context_panel() -> w.HTML:
    """The scale of the problem, in figures from the sources (paraphrased, each cited)."""
    items = "".join(
        f"<li><strong>{esc(f.figure)}</strong> {esc(f.text)} "
        f"<span class='npk-source'>({esc(f.source)})</span></li>" for f in CONTEXT_FIGURES)
    return w.HTML(box(f"<h2>The scale of the problem</h2><ul>{items}</ul>"))


def _ordered(cases) -> list:
    first = [c for cid in SEED_CASES for c in cases if c.id == cid]
    return first + [c for c in cases if c.id not in SEED_CASES]


def stages_html(views, stop) -> str:
    """The stage-by-stage table: reached, missed chance, and the study's recommendations."""
    rows = []
    for v in views:
        reached = mark("●", "reached", "neutral") if v.reached else \
            mark("○", "not reached", "neutral")
        if v.current:
            reached += " <em>(the case is here now)</em>"
        if v.should_stop_here:
            verdict = mark("➜", "stop here", "good")
        elif v.missed:
            verdict = mark("✘", "missed chance", "bad")
        else:
            verdict = mark("–", "no", "neutral")
        recs = "".join(
            f"<li><strong>{r.number}. {esc(r.title)}</strong>: {esc(r.text)} "
            f"<span class='npk-source'>({esc(r.citations[0])})</span></li>"
            for r in v.recommendations)
        numbers = ", ".join(str(r.number) for r in v.recommendations)
        opened = " open" if (v.missed or v.should_stop_here) else ""
        recs_cell = (f"<details{opened}><summary>Recommendations {esc(numbers)}</summary>"
                     f"<ul>{recs}</ul></details>") if recs else "none"
        rows.append(f"<tr><th scope='row'>{esc(v.title)}</th><td>{reached}</td>"
                    f"<td>{verdict}</td><td>{recs_cell}</td></tr>")
    summary = ("The principle should have stopped the process at identification; every later "
               "stage the case reached was a missed chance." if stop.holds else
               "The principle does not stop this process, so no stage is a missed chance.")
    return (f"<h3>Stage by stage</h3><p>{esc(summary)}</p>"
            "<table style='width:100%'><caption class='npk-sr'>Stages of the criminal "
            "process for this case</caption><thead><tr><th scope='col'>Stage</th>"
            "<th scope='col'>Did the case get this far?</th>"
            "<th scope='col'>Missed chance?</th>"
            "<th scope='col'>What the ASEAN study recommends</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


class DecisionPath(Stateful):
    """Pick a case, decide where the process should stop, press Check.

    Controls: ``case`` (Dropdown), ``answer`` (RadioButtons), ``check`` (Button).
    Outputs (HTML): ``story``, ``where``, ``result``, ``stages``, ``status``.
    Saved state (:meth:`get_state`): the case, the chosen stage and whether the trainee
    checked (npkit's answer is recomputed when the state is restored).
    """

    state_key = "decision-path"

    def __init__(self, cases, value: str = "jane") -> None:
        self._quiet = False
        self.checked = False
        self.cases = {c.id: c for c in _ordered(list(cases))}
        self.case = case_picker(list(self.cases.values()) or [_Empty()], value,
                                description="Case")
        self.story = w.HTML("")
        self.where = w.HTML("")
        self.question = w.HTML("")
        self.answer = w.RadioButtons(options=list(qz.stop_choices()), value=None,
                                     description="Stop at", style={"description_width": "initial"},
                                     layout=w.Layout(width="auto"))
        self.check = w.Button(description="Check", button_style="primary", icon="check",
                              tooltip="Compare your answer with npkit's")
        self.result = w.HTML("")
        self.stages = w.HTML("")
        self.status = w.HTML("")
        self.case.observe(self._on_case, names="value")
        self.answer.observe(self._on_answer, names="value")
        self.check.on_click(self._on_check)
        self.widget = w.VBox([
            w.HTML(box("<h2>1. Read the case</h2>")), self.case, self.story, self.where,
            w.HTML(box("<h2>2. Decide first</h2>")), self.question, self.answer, self.check,
            self.status, self.result, self.stages,
        ])
        self._load(self.case.value)

    # -- state --------------------------------------------------------------------------------

    def _load(self, case_id: str) -> None:
        self.result.value = ""
        self.stages.value = ""
        self.status.value = ""
        self.checked = False
        self._quiet = True
        try:
            self.answer.value = None
        finally:
            self._quiet = False
        case = self.cases.get(case_id)
        if case is None:
            self.story.value = box("<p>No case to show: the case library is empty.</p>")
            self.where.value = self.question.value = ""
            self.check.disabled = True
            return
        self.check.disabled = False
        self.assessment = assess(case, counterfactuals=False)
        f = self.assessment.facts
        self.story.value = box(f"<details open><summary>The story</summary>{case_html(case)}"
                               "</details>")
        self.where.value = box(
            f"<p><strong>Where the case is now:</strong> {esc(describe(Stage, f.stage))}. "
            f"<strong>Identification:</strong> "
            f"{esc(describe(IdentificationStatus, f.identification))}.</p>")
        self.question.value = box(
            f"<p>At which stage should the non-punishment principle have stopped the process "
            f"against {esc(case.person.pseudonym)}, or should it not stop it at all? Choose "
            "your answer, then press <strong>Check</strong>.</p>")

    # -- saved state --------------------------------------------------------------------------

    def get_state(self) -> dict:
        """``case``, ``stage`` (a value of :func:`npkit.course.training.quiz.stop_choices` or None)
        and ``checked``."""
        return {"case": self.case.value, "stage": self.answer.value, "checked": self.checked}

    def _apply_state(self, state: dict) -> None:
        case_id = state.get("case")
        if not isinstance(case_id, str) or case_id not in self.cases:
            return  # the stage chosen belongs to a case
        if case_id == self.case.value:
            self._load(case_id)
        else:
            self.case.value = case_id  # its observer loads the case
        stage = state.get("stage")
        if isinstance(stage, str) and stage in [v for _, v in self.answer.options]:
            self.answer.value = stage
            if state.get("checked") is True:
                self._on_check()

    # -- callbacks: re-check every input, never raise into the page ---------------------------

    def _on_case(self, change) -> None:
        try:
            if change.get("new") in self.cases:
                self._load(change["new"])
                self._changed()
        except Exception as exc:  # noqa: BLE001 - a callback must never raise into the page
            self._error(exc)

    def _on_answer(self, _change) -> None:
        # A new answer hides the old verdict: the trainee checks again.
        self.result.value = ""
        self.stages.value = ""
        self.checked = False
        if not self._quiet:
            self._changed()

    def _on_check(self, _button=None) -> None:
        try:
            case_id = self.case.value
            if case_id not in self.cases:
                return
            if self.answer.value is None:
                self.status.value = box("<p class='npk-note' role='status'>Choose a stage (or "
                                        "&ldquo;it should not stop the process&rdquo;) first."
                                        "</p>")
                return
            self.status.value = ""
            question = qz.stop_question(self.cases[case_id], self.assessment)
            fb = qz.grade(question, self.answer.value)
            stop = should_stop(self.assessment)
            symbol, word, kind = STATUS_MARKS[fb.status]
            self.result.value = box(
                f"<h2>3. npkit's answer</h2><p role='status'>{mark(symbol, word, kind)} "
                f"{esc(fb.message)}</p><p><strong>Where the principle should stop the "
                f"process:</strong> {esc(question.answer_label)}. <strong>Why:</strong></p>"
                f"{reasons_html(stop)}")
            self.stages.value = box(stages_html(walk(self.assessment), stop))
            self.checked = True
            self._changed()
        except Exception as exc:  # noqa: BLE001
            self._error(exc)

    def _error(self, exc: Exception) -> None:
        self.status.value = box(
            "<div class='npk-error' role='alert'><strong>Something went wrong; the rest of the "
            f"page still works.</strong><p><code>{esc(type(exc).__name__)}: {esc(exc)}</code>"
            "</p></div>")


class _Empty:
    id = ""
    title = "(no cases)"


class WhyPunish(Stateful):
    """The discussion "Why punish them at all?": the trainee answers each prompt (yes / no /
    not sure), then compares with Fitzgerald's argument. Nothing is scored. Saved state: the
    answers and whether the trainee compared."""

    state_key = "why-punish"

    def __init__(self, name: str = "Jane") -> None:
        self.name = name
        self.compared = False
        self.answers: dict[str, w.ToggleButtons] = {}
        self.prompts = list(qz.DISCUSSION)
        rows = []
        for n, p in enumerate(self.prompts, 1):
            label = w.HTML(box(f"<p><strong>{n}. {esc(p.title)}.</strong> "
                               f"{esc(p.question.format(name=name))}</p>"))
            toggle = w.ToggleButtons(options=list(qz.DISCUSSION_ANSWERS), value=None,
                                     description=f"Your view {n}",
                                     style={"description_width": "initial",
                                            "button_width": "6rem"})
            toggle.observe(self._on_toggle, names="value")
            self.answers[p.id] = toggle
            rows.append(w.VBox([label, toggle]))
        self.compare = w.Button(description="Compare with Fitzgerald", icon="balance-scale",
                                tooltip="Show the argument for each prompt")
        self.output = w.HTML("")
        self.compare.on_click(self._on_compare)
        self.widget = w.VBox([*rows, self.compare, self.output])

    def get_state(self) -> dict:
        """``answers`` (``{prompt id: "yes" | "no" | "unsure"}``, unanswered left out) and
        ``compared``."""
        return {"answers": {pid: t.value for pid, t in self.answers.items()
                            if isinstance(t.value, str)},
                "compared": self.compared}

    def _apply_state(self, state: dict) -> None:
        answers = state.get("answers")
        allowed = {v for _, v in qz.DISCUSSION_ANSWERS}
        if isinstance(answers, dict):
            for pid, toggle in self.answers.items():
                value = answers.get(pid)
                if isinstance(value, str) and value in allowed:
                    toggle.value = value
        if state.get("compared") is True:
            self._on_compare()

    def _on_toggle(self, _change=None) -> None:
        self._changed()

    def _on_compare(self, _button=None) -> None:
        try:
            labels = dict((v, k) for k, v in qz.DISCUSSION_ANSWERS)
            items = []
            for p in self.prompts:
                given = self.answers[p.id].value
                said = labels.get(given, "no answer") if isinstance(given, str) else "no answer"
                extra = "".join(f"<li>{esc(d)}</li>" for d in p.discuss)
                items.append(
                    f"<li><strong>{esc(p.title)}</strong>: you said <em>{esc(said)}</em>. "
                    f"{esc(p.argument)} <span class='npk-source'>({esc(p.source)})</span>"
                    + (f"<ul>{extra}</ul>" if extra else "") + "</li>")
            self.output.value = box(
                "<h3>Fitzgerald's argument, prompt by prompt</h3>"
                "<p>This is one author's argument, not a marking scheme: discuss where you "
                f"agree.</p><ol>{''.join(items)}</ol>")
            self.compared = True
            self._changed()
        except Exception as exc:  # noqa: BLE001
            self.output.value = box(
                "<div class='npk-error' role='alert'><strong>Could not show the comparison."
                f"</strong><p><code>{esc(type(exc).__name__)}: {esc(exc)}</code></p></div>")
