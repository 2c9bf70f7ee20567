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

from npkit import i18n
from npkit.course.binding import Stateful
from npkit.course.training import quiz as qz
from npkit.course.widgets import ui
from npkit.course.widgets.base import case_choice
from npkit.course.widgets.first_state import opened_when_built
from npkit.course.widgets.quiz import STATUS_WORDS
from npkit.course.widgets.reveal import case_notes, restore_answers
from npkit.engine.assessment import assess
from npkit.i18n import N_, _
from npkit.law.stages import context_figures, should_stop, walk, walk_summary
from npkit.law.vocabulary import IdentificationStatus, Stage, describe
from npkit.render import words as rw

SEED_CASES = ("jane", "john", "sarah")  # Fitzgerald 2024 V.B: offered first, Jane by default
FAILED = N_("Something went wrong; the rest of the page still works.")
# Module 6's last choice and the discussion's answers (npkit.course.training), by value:
# translated where shown. A stage is named by the law's vocabulary (npkit.render.words).
NOT_STOPPED_WORDS = N_("it should not stop the process")
DISCUSSION_WORDS = {"yes": N_("yes"), "no": N_("no"), "unsure": N_("not sure")}


def stop_options() -> list[tuple[str, str]]:
    """Module 6's choices in the learner's language (values as qz.stop_choices gives them)."""
    stages = {s.value for s in Stage}
    return [(rw.label(label) if value in stages else _(NOT_STOPPED_WORDS), value)
            for label, value in qz.stop_choices()]


def discussion_options() -> list[tuple[str, str]]:
    return [(_(DISCUSSION_WORDS.get(v, label)), v) for label, v in qz.DISCUSSION_ANSWERS]


def context_panel() -> w.HTML:
    """The scale of the problem, in figures from the sources (paraphrased, each cited)."""
    return ui.html_widget("decision/context.html.j2",
                          figures=context_figures(lang=i18n.current()))


def _ordered(cases) -> list:
    first = [c for cid in SEED_CASES for c in cases if c.id == cid]
    return first + [c for c in cases if c.id not in SEED_CASES]


def stages_html(views, stop) -> str:
    """The stage-by-stage table: reached, missed chance, and the study's recommendations."""
    return str(ui.render("decision/stages.html.j2", views=views, stop=stop,
                         summary=walk_summary(stop)))


class DecisionPath(Stateful):
    """Pick a case, decide where the process should stop, press Check.

    Controls: ``case`` (Dropdown), ``answer`` (RadioButtons), ``check`` (Button).
    Outputs (HTML): ``story``, ``where``, ``result``, ``stages``, ``status``.
    Saved state (:meth:`get_state`): the case, the chosen stage and whether the trainee
    checked (npkit's answer is recomputed when the state is restored).
    """

    state_key = "decision-path"

    @opened_when_built()  # each widget opens with its first state (issue 16)
    def __init__(self, cases, value: str = "jane") -> None:
        self._quiet = False
        self.checked = False
        self.cases = {c.id: c for c in _ordered(list(cases))}
        self.case_choice = case_choice(list(self.cases.values()) or [_Empty()], value,
                                       description=_("Case"))
        self.case = self.case_choice.menu
        self.story = ui.html_widget()
        self.where = ui.html_widget()
        self.question = ui.html_widget()
        self._qid = ui.question_id()
        self.answer = ui.labelled_by(w.RadioButtons(
            options=stop_options(), value=None, description=_("Stop at"),
            style=ui.shared_style(w.RadioButtons, description_width="initial"),
            layout=ui.shared(w.Layout, width="auto")), self._qid)
        self.check = ui.button(_("Check"), kind="primary",
                               tooltip=_("Compare your answer with npkit's"))
        self.result = ui.html_widget()
        self.stages = ui.html_widget()
        self.status = ui.status_line()
        self._reveal = 0  # presses of Check (see reveal.py)
        self.case.observe(self._on_case, names="value")
        self.answer.observe(self._on_answer, names="value")
        self.check.on_click(self._on_check)
        self.widget = ui.vbox([
            ui.html_widget("decision/heading.html.j2", text=_("1. Read the case")),
            self.case_choice.widget,
            self.story, self.where,
            ui.html_widget("decision/heading.html.j2", text=_("2. Decide first")), self.question,
            self.answer, self.check,
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
            self.story.value = ui.value("decision/no_case.html.j2")
            self.where.value = self.question.value = ""
            self.check.disabled = True
            return
        self.check.disabled = False
        self.assessment = assess(case, counterfactuals=False)
        f = self.assessment.facts
        self.story.value = ui.value("decision/story.html.j2", case=case, show_tags=False)
        self.where.value = ui.value(
            "decision/where.html.j2", stage=rw.label(describe(Stage, f.stage)),
            identification=rw.label(describe(IdentificationStatus, f.identification)))
        self.question.value = ui.value("decision/question.html.j2", name=case.person.pseudonym,
                                       qid=self._qid)

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

    @ui.guard(FAILED)
    def _on_case(self, change) -> None:
        if change.get("new") in self.cases:
            self._load(change["new"])
            self._changed()

    def _on_answer(self, _change) -> None:
        # A new answer hides the old verdict: the trainee checks again.
        self.result.value = ""
        self.stages.value = ""
        self.checked = False
        if not self._quiet:
            self._changed()

    @ui.guard(FAILED)
    def _on_check(self, _button=None) -> None:
        case_id = self.case.value
        if case_id not in self.cases:
            return
        if self.answer.value is None:
            self.status.value = ui.value("decision/choose_first.html.j2")
            return
        case = self.cases[case_id]
        question = qz.stop_question(case, self.assessment)
        fb = qz.grade(question, self.answer.value)
        stop = should_stop(self.assessment)
        views = walk(self.assessment, lang=i18n.current())
        # Saved before drawn: a learner who leaves as the verdict appears keeps the check.
        self.checked = True
        self._changed()
        self._reveal += 1
        self.result.value = ui.value("decision/result.html.j2", fb=fb,
                                     word=STATUS_WORDS[fb.status],
                                     answer=dict((v, k) for k, v in stop_options()).get(
                                         question.answer, question.answer_label), stop=stop,
                                     reveal=self._reveal, notes=case_notes("stop", case.id),
                                     lesson=case.lesson)
        self.stages.value = ui.value("decision/stages.html.j2", views=views,
                                     stop=stop, summary=walk_summary(stop))


class _Empty:
    id = ""

    @property
    def title(self) -> str:
        return _("(no cases)")


class WhyPunish(Stateful):
    """The discussion "Why punish them at all?": the trainee answers each prompt (yes / no /
    not sure), then compares with Fitzgerald's argument. Nothing is scored. Saved state: the
    answers and whether the trainee compared."""

    state_key = "why-punish"

    @opened_when_built()  # each widget opens with its first state (issue 16)
    def __init__(self, name: str = "Jane") -> None:
        self.name = name
        self.compared = False
        self._reveal = 0  # presses of Compare (see reveal.py)
        self.answers: dict[str, w.ToggleButtons] = {}
        self.prompts = list(qz.DISCUSSION)
        rows = []
        for n, p in enumerate(self.prompts, 1):
            qid = ui.question_id()
            label = ui.html_widget("decision/discussion_prompt.html.j2", n=n, prompt=p,
                                   question=p.question.format(name=name), qid=qid)
            toggle = w.ToggleButtons(options=discussion_options(), value=None,
                                     description=_("Your view {n}").format(n=n),
                                     style=ui.shared_style(w.ToggleButtons,
                                                           description_width="initial",
                                                           button_width="6rem"),
                                     layout=ui.shared(w.Layout))
            ui.labelled_by(toggle, qid)  # and npkit-a11y.js gives each button aria-pressed
            toggle.observe(self._on_toggle, names="value")
            self.answers[p.id] = toggle
            # Straight into the column, no box per prompt (issue 16: eight models and views
            # fewer to draw; a box of margin 0 drew nothing, the spacing is the same).
            rows += [label, toggle]
        self.compare = ui.button(_("Compare with Fitzgerald"),
                                 tooltip=_("Show the argument for each prompt"))
        self.output = ui.html_widget()
        self.compare.on_click(self._on_compare)
        self.widget = ui.vbox([*rows, self.compare, self.output])

    def get_state(self) -> dict:
        """``answers`` (``{prompt id: "yes" | "no" | "unsure"}``, unanswered left out) and
        ``compared``."""
        return {"answers": {pid: t.value for pid, t in self.answers.items()
                            if isinstance(t.value, str)},
                "compared": self.compared}

    def _apply_state(self, state: dict) -> None:
        restore_answers(state, self.answers, {v for _, v in qz.DISCUSSION_ANSWERS},
                        self._on_compare)

    def _on_toggle(self, _change=None) -> None:
        self._changed()

    @ui.guard(N_("Could not show the comparison."), status="output")
    def _on_compare(self, _button=None) -> None:
        labels = dict((v, k) for k, v in discussion_options())
        no_answer = _("no answer")
        items = []
        answered = 0
        for p in self.prompts:
            given = self.answers[p.id].value
            said = labels.get(given) if isinstance(given, str) else None
            answered += said is not None
            items.append((p, said or no_answer))
        self.compared = True
        self._changed()
        self._reveal += 1
        self.output.value = ui.value("decision/discussion.html.j2", items=items,
                                     answered=answered,
                                     reveal=self._reveal)
