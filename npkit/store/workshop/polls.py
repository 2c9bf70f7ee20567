"""A case's questions as polls, and npkit's answer to each, both from :mod:`npkit.questions`
(so the choices and the key come from the assessment, never typed twice)."""

from __future__ import annotations

from npkit.casefile.case import Case
from npkit.questions import AnswerKey, answer_keys
from npkit.store.workshop.sessions import PollQuestion


def poll_questions(case: Case) -> tuple[PollQuestion, ...]:
    """The case's ``questions:`` as the room will see them, in file order."""
    return tuple(
        PollQuestion(k.question.id, k.question.prompt, k.question.kind, k.choices, n)
        for n, k in enumerate(answer_keys(case)))


def keys_by_id(case: Case) -> dict[str, AnswerKey]:
    return {k.question.id: k for k in answer_keys(case)}
