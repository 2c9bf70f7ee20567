"""What every renderer shows at an outcome besides the outcome word: the caveats it rests on
(``Finding.marks``: npkit's reading, law from outside npkit's sources), in words, and whether a
duress variant is the international-criminal-law analogue rather than a domestic defence.

Only presentation: the engine decides the marks (from the decisive reason and
``also_rests_on``); nothing here reads a reason's prose.
"""

from __future__ import annotations

from collections.abc import Iterable

from npkit.engine.findings import Finding
from npkit.law.citations import Confidence

ANALOGUE_NOTE = "duress.rome_statute.analogue"


def marks_words(marks: Iterable[Confidence]) -> str:
    """"npkit's reading; from outside npkit's sources: verify before use", or ''."""
    from npkit.render.words import mark

    return "; ".join(mark(m) for m in marks if m.is_caveat)


def outcome_words(node: Finding) -> str:
    """The outcome in words, with the caveats it rests on in brackets:
    "protected [npkit's reading]"."""
    from npkit.render.words import outcome_word

    text = outcome_word(node.outcome)
    marks = marks_words(node.marks)
    return f"{text} [{marks}]" if marks else text


def international_analogue(node: Finding) -> bool:
    """Whether ``node`` is a duress variant from international criminal law (the Rome
    Statute), to be labelled as an analogue and not as a defence a domestic court applies: the
    law says so in the variant's ``domestic`` attribute."""
    variant = node.facts.get("variant") if node.test.startswith("duress.") else None
    if not variant:
        return False
    from npkit.law.duress import VARIANTS

    return not VARIANTS[variant].domestic


def analogue_label() -> str:
    """The short label for the Rome Statute's column or row, from npkit/law/data/notes.yaml."""
    from npkit.notes import note

    return note(ANALOGUE_NOTE).title


def analogue_text() -> str:
    """The label and its sentence, for a caption or a row description."""
    from npkit.notes import note

    n = note(ANALOGUE_NOTE)
    return f"{n.title}: {n.text}"
