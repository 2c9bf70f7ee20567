"""Decide first, then see (issue 14): what a page shows only after the trainee commits.

A conclusion (the sources' conclusion for the case on show, the case's lesson, a headline
count, an answer key) is never rendered before the trainee presses Check or Compare: not
hidden by a style, not folded in a ``<details>``, simply not in the page yet.

After the press, the widget puts a one-line summary at the top of the result
(``reveal/_reveal.html.j2``: ``role=status``, so a screen reader hears it) marked
``data-npk-reveal`` with the number of presses so far (the widget counts them). The page's
script (npkit.js) scrolls a summary into view when its number changes, only just after the
learner acted: a page restoring saved answers keeps its place, and a table redrawn as an
answer changes (same number) does not jump. A restored widget, pressed once again by its
state, shows the very same view it saved.

The sources' conclusions are notes (npkit/law/data/notes.yaml, ``concludes.<exercise>.<case>``
and ``open.<case>``) with their citations, never sentences typed here.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping

from npkit.notes import Note, notes


def concluded(*note_ids: str) -> list[Note]:
    """The notes among ``note_ids`` that exist, in that order (a case without a note of the
    sources' conclusion shows none)."""
    found = notes()
    return [found[n] for n in note_ids if n in found]


def case_notes(exercise: str, case_id: str) -> list[Note]:
    """What the sources conclude about ``case_id`` in ``exercise`` (``victim``, ``duress``,
    ``models``, ``stop``), then the open question the sources leave about it, if any."""
    return concluded(f"concludes.{exercise}.{case_id}", f"open.{case_id}")


def restore_answers(state: dict, boxes: Mapping[str, object], allowed: Collection[str],
                    press: Callable[[], object]) -> None:
    """Put the saved ``state["answers"]`` (``{key: value}``) back into ``boxes`` (widgets by
    the same keys), keeping only values in ``allowed`` (saved state is untrusted), then press
    again (``press``) if the learner had compared, so the page shows the view it saved."""
    answers = state.get("answers")
    if isinstance(answers, dict):
        for key, box in boxes.items():
            value = answers.get(key)
            if isinstance(value, str) and value in allowed:
                box.value = value
    if state.get("compared") is True:
        press()
