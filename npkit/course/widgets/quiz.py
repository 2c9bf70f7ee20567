"""Module 7, "Check yourself": a scored quiz a lecturer can set as an exercise.

Every question is a labelled set of radio buttons. "Check answers" grades them with
:func:`npkit.course.training.quiz.grade` (right / wrong in words and a symbol, why, source) and
shows the score; "Try again" clears the answers. The widget only presents: the answer keys and
the grading live in :mod:`npkit.course.training.quiz`.

    quiz = Quiz(bank()); quiz.radios["duress-ew-john"].value = "fails"; quiz.check.click()
    assert "1 of" in quiz.score.value
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as w

from npkit.course.binding import Stateful
from npkit.course.training import quiz as qz
from npkit.course.training.modules import MODULES
from npkit.course.widgets.base import CSS, esc

# Outcome marks: a symbol and a word, colour only as a second channel.
STATUS_MARKS = {
    qz.RIGHT: ("✔", "right", "good"),
    qz.WRONG: ("✘", "wrong", "bad"),
    qz.UNANSWERED: ("?", "not answered", "mixed"),
    qz.INVALID: ("⚠", "ignored", "mixed"),
}

# Radio labels in ipywidgets have a fixed height: let long answers wrap instead of overlapping.
QUIZ_CSS = """
<style>
.npk-choices .widget-radio-box label, .npk-choices .jupyter-widget-radio-box label {
  height: auto; line-height: 1.4; white-space: normal; display: flex;
  flex-direction: row-reverse; justify-content: flex-end; align-items: flex-start;
  gap: .5em; padding: .15em 0; }
.npk-choices .widget-radio-box input, .npk-choices .jupyter-widget-radio-box input {
  float: none; flex: none; margin-top: .25em; }
.npk-question { border-top: 1px solid #b8b8b8; padding-top: .4em; margin-top: .6em; }
</style>
"""


def mark(symbol: str, word: str, kind: str) -> str:
    """A badge: symbol (hidden from screen readers) + word; the colour is only a second channel."""
    return (f'<span class="npk-badge npk-{esc(kind)}"><span aria-hidden="true">{esc(symbol)}'
            f"</span> {esc(word)}</span>")


def box(body: str) -> str:
    return f'{CSS}<div class="npk">{body}</div>'


def feedback_html(fb: qz.Feedback) -> str:
    """One question's feedback, styled: see :func:`feedback_body`."""
    return box(feedback_body(fb))


def feedback_body(fb: qz.Feedback) -> str:
    """One question's feedback: mark, message, what the answer rests on (npkit's reading, law
    from outside npkit's sources) in words right beside it, why and source, all escaped."""
    symbol, word, kind = STATUS_MARKS.get(fb.status, STATUS_MARKS[qz.INVALID])
    body = f"<p>{mark(symbol, word, kind)} {esc(fb.message)}</p>"
    if fb.status != qz.INVALID and fb.rests_on:
        body += f"<p class='npk-note' role='note'>{esc(fb.rests_on)}</p>"
    if fb.why:
        body += f"<p><strong>Why:</strong> {esc(fb.why)}</p>"
    if fb.source is not None:
        body += f"<p class='npk-source'>Source: {esc(fb.source)}</p>"
    return body


def module_title(number: int) -> str:
    titles = {m.number: m.title for m in MODULES}
    return f"Module {number}: {titles.get(number, '')}".rstrip(": ")


class Quiz(Stateful):
    """Questions with labelled radio buttons, "Check answers", feedback, score, "Try again".

    ``radios``, ``feedback`` and ``prompts`` are keyed by question id; ``module`` filters the
    questions shown (0 = all); ``score`` and ``status`` are HTML outputs tests can read.
    Saved state (:meth:`get_state`): the module filter, the choices, and whether the trainee
    checked (feedback and score are recomputed when the state is restored).
    """

    state_key = "quiz"

    def __init__(self, questions: Iterable[qz.Question] | None = None) -> None:
        self._quiet = False
        self.checked = False
        self.questions = list(qz.bank() if questions is None else questions)
        self._by_id = {q.id: q for q in self.questions}
        modules = sorted({q.module for q in self.questions})
        self.module = w.Dropdown(
            options=[("All modules", 0)] + [(module_title(m), m) for m in modules], value=0,
            description="Questions from", style={"description_width": "initial"},
            layout=w.Layout(width="32rem"))
        self.prompts: dict[str, w.HTML] = {}
        self.radios: dict[str, w.RadioButtons] = {}
        self.feedback: dict[str, w.HTML] = {}
        self._items: dict[str, w.VBox] = {}
        for q in self.questions:
            self.prompts[q.id] = w.HTML("")
            radio = w.RadioButtons(options=list(q.choices), value=None, description="Answer",
                                   style={"description_width": "initial"},
                                   layout=w.Layout(width="auto", max_width="60rem"))
            radio.add_class("npk-choices")
            radio.observe(self._on_answer, names="value")
            self.radios[q.id] = radio
            self.feedback[q.id] = w.HTML("")
            self._items[q.id] = w.VBox([self.prompts[q.id], radio, self.feedback[q.id]])
        self.check = w.Button(description="Check answers", button_style="primary", icon="check",
                              tooltip="Grade every question shown")
        self.retry = w.Button(description="Try again", icon="refresh",
                              tooltip="Clear your answers and the feedback")
        self.score = w.HTML("")
        self.status = w.HTML("")
        self.list = w.VBox()
        self.check.on_click(self._on_check)
        self.retry.on_click(self._on_retry)
        self.module.observe(self._on_module, names="value")
        intro = w.HTML(QUIZ_CSS + box(
            "<p>Answer every question, then press <strong>Check answers</strong>. Each answer "
            "is marked right or wrong, with the reason and its source. <strong>Try again</strong> "
            "clears your answers.</p>"))
        self.widget = w.VBox([intro, self.module, self.list,
                              w.HBox([self.check, self.retry]), self.score, self.status])
        self.shown: list[qz.Question] = []
        self._show(0)

    # -- what is shown ------------------------------------------------------------------------

    def _show(self, module: int) -> None:
        self.shown = [q for q in self.questions if module in (0, q.module)]
        total = len(self.shown)
        for n, q in enumerate(self.shown, 1):
            self.prompts[q.id].value = box(
                f"<div class='npk-question'><h3>Question {n} of {total}</h3>"
                f"<p class='npk-source'>{esc(module_title(q.module))}</p>"
                f"<p>{esc(q.prompt)}</p></div>")
            self.radios[q.id].description = f"Answer {n}"
        self.list.children = [self._items[q.id] for q in self.shown]
        if not self.shown:
            self.list.children = [w.HTML(box("<p>No questions to show.</p>"))]
        self.reset()

    def answers(self) -> dict[str, object]:
        return {q.id: self.radios[q.id].value for q in self.shown}

    def reset(self) -> None:
        self._quiet = True
        try:
            for q in self.questions:
                self.radios[q.id].value = None
                self.feedback[q.id].value = ""
        finally:
            self._quiet = False
        self.checked = False
        self.score.value = ""
        self.status.value = ""

    # -- saved state ----------------------------------------------------------------------------

    def get_state(self) -> dict:
        """``module`` (0 = all), ``answers`` (``{question id: choice}``, unanswered left
        out) and ``checked``."""
        return {
            "module": self.module.value,
            "answers": {qid: v for qid, v in self.answers().items() if isinstance(v, str)},
            "checked": self.checked,
        }

    def _apply_state(self, state: dict) -> None:
        module = state.get("module", 0)
        allowed = [v for _, v in self.module.options]
        if isinstance(module, bool) or not isinstance(module, int) or module not in allowed:
            module = self.module.value
        if module == self.module.value:
            self._show(module)
        else:
            self.module.value = module  # its observer shows those questions
        answers = state.get("answers")
        shown = {q.id for q in self.shown}
        if isinstance(answers, dict):
            for qid, choice in answers.items():
                if not isinstance(qid, str) or qid not in shown:
                    continue
                radio = self.radios[qid]
                if isinstance(choice, str) and choice in [v for _, v in radio.options]:
                    radio.value = choice
        if state.get("checked") is True:
            self._on_check()

    # -- callbacks: re-check every input, never raise into the page ---------------------------

    def _on_module(self, change) -> None:
        try:
            value = change.get("new")
            allowed = [v for _, v in self.module.options]
            if value not in allowed:  # a crafted message: keep what is shown
                return
            self._show(value)
            self._changed()
        except Exception as exc:  # noqa: BLE001 - a callback must never raise into the page
            self._error(exc)

    def _on_answer(self, change) -> None:
        if self._quiet:
            return
        # A changed answer makes its old feedback stale.
        for qid, radio in self.radios.items():
            if radio is change.get("owner"):
                self.feedback[qid].value = ""
        self._changed()

    def _on_check(self, _button=None) -> None:
        try:
            result = qz.score(self.shown, self.answers())
            for fb in result.feedback:
                self.feedback[fb.question_id].value = feedback_html(fb)
            self.score.value = self._score_html(result)
            self.status.value = ""
            self.checked = True
            self._changed()
        except Exception as exc:  # noqa: BLE001
            self._error(exc)

    def _on_retry(self, _button=None) -> None:
        try:
            self.reset()
            self._changed()
        except Exception as exc:  # noqa: BLE001
            self._error(exc)

    def _score_html(self, result: qz.Score) -> str:
        rows = "".join(
            f"<tr><th scope='row'>{esc(module_title(m))}</th><td>{right} of {total}</td></tr>"
            for m, (right, total) in qz.score_by_module(result, self.shown).items())
        unanswered = result.total - result.answered
        note = f" ({unanswered} not answered)" if unanswered else ""
        return box(
            f"<div role='status'><h3>Your score: {result.right} of {result.total}{esc(note)}"
            "</h3></div>"
            "<table><caption class='npk-sr'>Score by module</caption><thead><tr>"
            "<th scope='col'>Module</th><th scope='col'>Right</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>")

    def _error(self, exc: Exception) -> None:
        self.status.value = box(
            "<div class='npk-error' role='alert'><strong>Something went wrong while grading; "
            f"your answers are kept.</strong><p><code>{esc(type(exc).__name__)}: "
            f"{esc(exc)}</code></p></div>")
