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
from npkit.course.widgets import ui

# A quiz status in words, shown as a badge (ui.BADGES gives its symbol).
STATUS_WORDS = {
    qz.RIGHT: "right",
    qz.WRONG: "wrong",
    qz.UNANSWERED: "not answered",
    qz.INVALID: "ignored",
}


def _feedback(fb: qz.Feedback) -> dict:
    return {"fb": fb, "word": STATUS_WORDS.get(fb.status, STATUS_WORDS[qz.INVALID]),
            "show_rests_on": fb.status != qz.INVALID and bool(fb.rests_on)}


def feedback_body(fb: qz.Feedback) -> str:
    """One question's feedback: mark, message, what the answer rests on (npkit's reading, law
    from outside npkit's sources) in words right beside it, why and source, all escaped."""
    return str(ui.render("quiz/feedback.html.j2", **_feedback(fb)))


def module_title(number: int) -> str:
    titles = {m.number: m.title for m in MODULES}
    return f"Module {number}: {titles.get(number, '')}".rstrip(": ")


GRADING_FAILED = "Something went wrong while grading; your answers are kept."


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
        self._reveal = 0  # presses of "Check answers" (see reveal.py)
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
        self._qids: dict[str, str] = {}
        for q in self.questions:
            self.prompts[q.id] = w.HTML("")
            qid = self._qids[q.id] = ui.question_id()
            radio = w.RadioButtons(options=list(q.choices), value=None, description="Answer",
                                   style={"description_width": "initial"},
                                   layout=w.Layout(width="auto", max_width="60rem"))
            ui.labelled_by(radio, f"{qid}-n", qid)  # "Question 3 of 38" and the question
            radio.add_class("npk-choices")
            radio.observe(self._on_answer, names="value")
            self.radios[q.id] = radio
            self.feedback[q.id] = w.HTML("")
            self._items[q.id] = w.VBox([self.prompts[q.id], radio, self.feedback[q.id]])
        self.check = ui.button("Check answers", kind="primary",
                               tooltip="Grade every question shown")
        self.retry = ui.button("Try again", tooltip="Clear your answers and the feedback")
        self.score = ui.html_widget()
        self.status = ui.status_line()
        self.list = w.VBox()
        self.check.on_click(self._on_check)
        self.retry.on_click(self._on_retry)
        self.module.observe(self._on_module, names="value")
        intro = ui.html_widget("quiz/intro.html.j2")
        self.widget = w.VBox([intro, self.module, self.list,
                              ui.box([self.check, self.retry], row=True), self.score,
                              self.status])
        self.shown: list[qz.Question] = []
        self._show(0)

    # -- what is shown ------------------------------------------------------------------------

    def _show(self, module: int) -> None:
        self.shown = [q for q in self.questions if module in (0, q.module)]
        total = len(self.shown)
        for n, q in enumerate(self.shown, 1):
            self.prompts[q.id].value = ui.value("quiz/question.html.j2", n=n, total=total,
                                                module=module_title(q.module), prompt=q.prompt,
                                                qid=self._qids[q.id])
            self.radios[q.id].description = f"Answer {n}"
        self.list.children = [self._items[q.id] for q in self.shown]
        if not self.shown:
            self.list.children = [ui.html_widget("quiz/empty.html.j2")]
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

    @ui.guard(GRADING_FAILED)
    def _on_module(self, change) -> None:
        value = change.get("new")
        allowed = [v for _, v in self.module.options]
        if value not in allowed:  # a crafted message: keep what is shown
            return
        self._show(value)
        self._changed()

    def _on_answer(self, change) -> None:
        if self._quiet:
            return
        # A changed answer makes its old feedback stale.
        for qid, radio in self.radios.items():
            if radio is change.get("owner"):
                self.feedback[qid].value = ""
        self._changed()

    @ui.guard(GRADING_FAILED)
    def _on_check(self, _button=None) -> None:
        result = qz.score(self.shown, self.answers())
        self._reveal += 1
        for fb in result.feedback:
            self.feedback[fb.question_id].value = ui.value("quiz/feedback.html.j2",
                                                           **_feedback(fb))
        self.score.value = self._score_html(result)
        self.checked = True
        self._changed()

    @ui.guard(GRADING_FAILED)
    def _on_retry(self, _button=None) -> None:
        self.reset()
        self._changed()

    def _score_html(self, result: qz.Score) -> str:
        by_module = [(module_title(m), right, total) for m, (right, total)
                     in qz.score_by_module(result, self.shown).items()]
        return ui.value("quiz/score.html.j2", result=result, by_module=by_module,
                        unanswered=result.total - result.answered, reveal=self._reveal)
