"""Workshop mode: a trainer polls the room on a case's questions, watches the answers arrive,
locks, reveals npkit's analysis beside them, exports the results and deletes the session.

:mod:`.sessions` keeps sessions in the store, :mod:`.inputs` checks what people type,
:mod:`.polls` turns a case's questions into polls with npkit's answer keys and :mod:`.report`
exports CSV and a one-page summary. The pages are :mod:`npkit.course.widgets.workshop_trainer` and
:mod:`npkit.course.widgets.workshop_trainee` (notebooks 09 and 08).
"""

from npkit.store.workshop.inputs import Forbidden, Locked, NotFound, WorkshopError
from npkit.store.workshop.sessions import (
    AnswerRow,
    NewSession,
    PollQuestion,
    Seat,
    SessionView,
    Tally,
    Workshop,
)

__all__ = [
    "AnswerRow", "Forbidden", "Locked", "NewSession", "NotFound", "PollQuestion", "Seat",
    "SessionView", "Tally", "Workshop", "WorkshopError",
]
