"""Module 7, "Check yourself": the question bank, grading and scoring.

Two kinds of question:

- **generated** questions name a case file and an outcome (npkit/course/data/generated.yaml);
  the answer key and the "why" come from the engine when the bank is built
  (:mod:`npkit.course.training.generate`);
- **conceptual** questions are written by hand from the sources, paraphrased, each with its
  citations (npkit/course/data/quiz/*.yaml, :mod:`npkit.course.training.questions_data`);
  where the reference data already holds the answer (which state uses a closed list), the key
  is read from it (:mod:`npkit.course.training.keys`).

Grading never trusts its input: an unknown question id or a choice no control offers (a
crafted widget message) is marked ``invalid`` and ignored, never raised.

Module 6's discussion prompts ("Why punish them at all?", Fitzgerald 2024 III) live in
npkit/course/data/prompts.yaml; ``DISCUSSION`` gives them here, beside the quiz that asks
about them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from npkit.course.training import questions_data
from npkit.course.training.generate import (  # noqa: F401 (the quiz's API, used by widgets)
    NOT_STOPPED,
    _outcome_choices,
    _outcome_question,
    check_targets,
    generated,
    outcome_label,
    stop_choices,
    stop_question,
)
from npkit.course.training.question import Prompt, Question, Spec  # noqa: F401
from npkit.i18n import N_, _, current
from npkit.law.citations import Citation, Confidence
from npkit.render import words as rw

# ---------------------------------------------------------------------------------------------
# Grading

RIGHT, WRONG, UNANSWERED, INVALID = "right", "wrong", "unanswered", "invalid"


@dataclass(frozen=True, slots=True)
class Feedback:
    question_id: str
    status: str  # right / wrong / unanswered / invalid
    chosen: str  # the label of the trainee's choice ('' if none or not a real choice)
    answer: str  # the label of the right answer ('' for an unknown question)
    why: str
    source: Citation | None
    marks: tuple[Confidence, ...] = ()  # the caveats the answer rests on, shown with it
    also: tuple[Citation, ...] = ()  # the question's citations after ``source``

    @property
    def rests_on(self) -> str:
        """"This answer rests on npkit's reading." in words, or '' when nothing needs saying."""
        words = "; ".join(rw.mark(m) for m in self.marks if m.is_caveat)
        return _("This answer rests on {marks}.").format(marks=words) if words else ""

    @property
    def right(self) -> bool:
        return self.status == RIGHT

    @property
    def message(self) -> str:
        """One line in words, for the page and for screen readers."""
        if self.status == RIGHT:
            return _("Right: “{answer}”.").format(answer=self.answer)
        if self.status == WRONG:
            return _("Not quite: you chose “{chosen}”; the answer is “{answer}”.").format(
                chosen=self.chosen, answer=self.answer)
        if self.status == UNANSWERED:
            return _("Not answered. The answer is “{answer}”.").format(answer=self.answer)
        return _("That answer is not one of the choices offered, so it was ignored.")


def _as_text(choice: object) -> str | None:
    return choice if isinstance(choice, str) else None


def grade(question: Question, choice: object) -> Feedback:
    """Right or wrong, with why and the source. ``choice`` is a choice *value*; anything that
    is not one of the question's values (a crafted message) is ``invalid``, never raised."""
    if choice is None or choice == "":
        status = UNANSWERED
    elif _as_text(choice) is not None and choice in question.values:
        status = RIGHT if choice == question.answer else WRONG
    else:
        status = INVALID
    chosen = question.label(choice) if status in (RIGHT, WRONG) else ""
    return Feedback(question.id, status, chosen, question.answer_label, question.why,
                    question.source, question.caveats, question.also)


def grade_id(question_id: object, choice: object,
             questions: Iterable[Question] | None = None) -> Feedback:
    """Grade by id; an unknown id gives an ``invalid`` feedback."""
    found = by_id(questions).get(question_id) if isinstance(question_id, str) else None
    if found is None:
        return Feedback(str(question_id)[:80], INVALID, "", "", "", None)
    return grade(found, choice)


@dataclass(frozen=True, slots=True)
class Score:
    feedback: tuple[Feedback, ...]
    ignored: tuple[str, ...] = ()  # answers given for questions not in the set

    @property
    def right(self) -> int:
        return sum(f.right for f in self.feedback)

    @property
    def total(self) -> int:
        return len(self.feedback)

    @property
    def answered(self) -> int:
        return sum(f.status in (RIGHT, WRONG) for f in self.feedback)

    @property
    def line(self) -> str:
        return _("{right} of {total} right").format(right=self.right, total=self.total)


def score(questions: Iterable[Question], answers: object) -> Score:
    """Grade every question in the set; ``answers`` maps question id -> choice value. Answers
    for ids outside the set are ignored (and listed), never trusted."""
    qs = list(questions)
    given = answers if isinstance(answers, Mapping) else {}
    ids = {q.id for q in qs}
    ignored = tuple(sorted(str(k)[:80] for k in given if k not in ids))
    return Score(tuple(grade(q, given.get(q.id)) for q in qs), ignored)


def score_by_module(result: Score, questions: Iterable[Question]) -> dict[int, tuple[int, int]]:
    """module -> (right, total), for the per-module summary."""
    module = {q.id: q.module for q in questions}
    out: dict[int, tuple[int, int]] = {}
    for f in result.feedback:
        m = module.get(f.question_id)
        if m is None:
            continue
        right, total = out.get(m, (0, 0))
        out[m] = (right + f.right, total + 1)
    return dict(sorted(out.items()))


# ---------------------------------------------------------------------------------------------
# The bank

_CACHE: dict[tuple[int, str], tuple[object, tuple[Question, ...]]] = {}


def bank(cases: Iterable | None = None) -> tuple[Question, ...]:
    """Every question, in module order. With no ``cases``, the case library's (cached until a
    case file changes)."""
    if cases is None:
        from npkit.casefile.library import library

        result = library()
        # the questions' words are in the language of the page (npkit.i18n.current())
        key = (id(result), current())
        hit = _CACHE.get(key)
        if hit is not None and hit[0] is result:
            return hit[1]
        questions = _sorted(generated(result.cases) + conceptual())
        _CACHE.clear()
        _CACHE[key] = (result, questions)
        return questions
    return _sorted(generated(cases) + conceptual())


def _sorted(questions: list[Question]) -> tuple[Question, ...]:
    return tuple(sorted(questions, key=lambda q: q.module))  # stable: spec order within a module


def by_id(questions: Iterable[Question] | None = None) -> dict[str, Question]:
    return {q.id: q for q in (bank() if questions is None else questions)}


def answer_key_line(question_id: str, questions: Iterable[Question] | None = None) -> str:
    """``<id>: <answer>`` for the lecturer's key and the checked notebook cell."""
    q = by_id(questions).get(question_id)
    if q is None:
        return f"{question_id}: no such question"
    return f"{q.id}: {q.answer_label}"


def conceptual() -> list[Question]:
    """The questions written by hand (npkit/course/data/quiz/*.yaml), keys read where the
    reference data holds them."""
    return list(questions_data.conceptual_questions())


# (label, value): the labels are marked for the catalogue and shown as _(label).
DISCUSSION_ANSWERS: tuple[tuple[str, str], ...] = (
    (N_("yes"), "yes"), (N_("no"), "no"), (N_("not sure"), "unsure"))


def __getattr__(name: str):
    """The content read lazily from npkit/course/data/, under the names it always had:
    ``SPECS`` (the generated questions' specs), ``STOP_PROMPT`` and ``DISCUSSION`` (module 6's
    prompts)."""
    if name == "SPECS":
        return questions_data.generated_specs()[0]
    if name == "STOP_PROMPT":
        return questions_data.generated_specs()[1]
    if name == "DISCUSSION":
        return tuple(p for p in questions_data.prompts() if p.module == 6)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
