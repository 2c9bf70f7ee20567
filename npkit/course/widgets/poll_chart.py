"""The room's answers to one workshop question, as HTML: a bar chart made of plain elements
(no script, no image, nothing fetched), readable by a screen reader and on a projector.

- Every bar is a table row: the choice as a row header, the count and percentage as text
  ("2 of 3 (67%)"), the bar itself only a picture of that text (hidden from screen readers).
- Once the trainer reveals npkit's answer, the matching rows say so in words and with a
  symbol ("✓ npkit's answer"), never by colour alone, and npkit's reasons stand beside the
  chart, each with its source (and, for a "which" question, the state or model that gives
  it); where the answer rests on npkit's reading or on law from outside npkit's sources, the
  reveal says so in words right under the answer.
- Free-text answers are listed without names, escaped, line breaks kept; a long one shows its
  beginning, the rest behind "Show the whole answer".

The HTML comes from the templates in ``templates/workshop/`` (autoescaped: everything typed by
a trainee or read from a case file is passed as text). :func:`reveal_html` is also what a
trainee sees after the reveal: npkit's answer and why, whether the trainee's own answer
matches it, and nothing about the room's answers.

Each page shows a question in its own kernel's language (:func:`shown_question`): the store
keeps the question's id and its choices' values, which are the same words in every language,
so a trainee answering in Thai and one answering in English count in the same bar.
"""

from __future__ import annotations

import dataclasses
import re

from markupsafe import Markup

from npkit.course.widgets import ui
from npkit.i18n import _
from npkit.questions import AnswerKey
from npkit.render import words as rw
from npkit.store.workshop.sessions import PollQuestion, Tally

PREVIEW_CHARS = 280
PREVIEW_LINES = 6
_SURROGATE = re.compile("[\ud800-\udfff]")


def shown_question(question: PollQuestion, key: AnswerKey | None) -> PollQuestion:
    """``question`` in this page's language: its prompt and choice labels from the case as this
    kernel reads it (``key``, made here), an outcome's choices and a "which" question's states
    and models in the catalogue's words (npkit.render.words); the id, the values and the flags
    as stored. Without a key, the stored prompt."""
    labels = dict((v, lab) for lab, v in question.choices)
    prompt = question.prompt
    if key is not None and getattr(key.question, "id", None) == question.qid:
        prompt = key.question.prompt or prompt
        labels.update((v, lab) for lab, v in key.choices if v in labels)
    if question.kind == "outcome":
        labels = {v: rw.outcome_word(v) for v in labels}
    elif question.kind == "which":
        labels = {v: rw.label(lab) for v, lab in labels.items()}
    return dataclasses.replace(question, prompt=prompt,
                               choices=tuple((labels[v], v) for _lab, v in question.choices))


def text(value: object) -> str:
    """``value`` as text, with any lone surrogate (not text; it would break the widget's
    JSON message) shown as U+FFFD. Escaping is the templates' job."""
    return _SURROGATE.sub("\ufffd", str(value))


def percent(n: int, total: int) -> int:
    """``n`` of ``total`` as a whole percentage, halves rounded up (2 of 3 -> 67)."""
    if total <= 0:
        return 0
    return (200 * n + total) // (2 * total)


def count_text(n: int, total: int) -> str:
    """"2 of 3 (67%)"."""
    return _("{n} of {total} ({percent}%)").format(n=n, total=total, percent=percent(n, total))


def bar_label(label: str, n: int, total: int) -> str:
    """"fails — 2 of 3 (67%)": what one bar says, as plain text."""
    return f"{label} — {count_text(n, total)}"  # no words of its own to translate


def key_values(question: PollQuestion, key: AnswerKey | None) -> frozenset[str]:
    """npkit's answer as choice values ("" none), only for a key that fits the question."""
    if key is None or question.kind == "free_text":
        return frozenset()
    return frozenset(v for v in key.correct if v in question.values)


def key_words(question: PollQuestion, key: AnswerKey | None) -> str:
    """npkit's answer in words: "fails", "Indonesia, Philippines", "none of the options"."""
    chosen = key_values(question, key)
    return choice_words(question, chosen)


def choice_words(question: PollQuestion, chosen) -> str:
    """Chosen values in words, in the order the question lists them."""
    chosen = set(chosen)
    if not chosen:
        return _("none of the options")
    return ", ".join(question.label(v) for v in question.values if v in chosen)


def key_mark() -> Markup:
    """The "npkit's answer" mark, in the page's language."""
    return ui.env().get_template("workshop/_poll.html.j2").module.key_mark()


def __getattr__(name: str):
    if name == "KEY_MARK":  # the mark as it was once kept: made now, in the page's language
        return key_mark()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _rows(q: PollQuestion, tally: Tally, marked: frozenset[str]) -> list[dict]:
    total = tally.respondents
    rows = []
    for value in q.values:
        n = tally.counts.get(value, 0)
        label = text(q.label(value))
        rows.append({"value": text(value), "label": label, "count": count_text(n, total),
                     "title": bar_label(label, n, total), "width": percent(n, total),
                     "key": value in marked})
    return rows


def _preview(value: str) -> tuple[str, bool]:
    cut = "\n".join(value.split("\n")[:PREVIEW_LINES])[:PREVIEW_CHARS]
    return cut, cut != value


def _texts(tally: Tally) -> list[dict]:
    items = []
    for value in tally.texts:
        value = text(value)
        short, cut = _preview(value)
        items.append({"short": short.rstrip(), "cut": cut, "full": value})
    return items


def match(question: PollQuestion, key: AnswerKey | None, mine: object) -> dict | None:
    """What a trainee is told about their own answer after the reveal: {"state": "agrees" |
    "differs" | "not answered", "text": a sentence}; None where there is nothing to compare
    (a free-text question, or no key). npkit's key decides (:meth:`AnswerKey.is_correct`)."""
    if key is None or question.kind == "free_text":
        return None
    theirs = key_words(question, key)
    if mine is None or (question.kind == "outcome" and mine not in question.values):
        return {"state": "not answered", "text": _("You did not answer this question.")}
    given = [mine] if isinstance(mine, str) else list(mine) if isinstance(mine, list) else []
    yours = choice_words(question, given)
    if frozenset(given) == key.correct:
        return {"state": "agrees",
                "text": _("Your answer, {yours}, matches npkit's answer.").format(yours=yours)}
    return {"state": "differs",
            "text": _("Your answer, {yours}, differs from npkit's answer ({theirs}).").format(
                yours=yours, theirs=theirs)}


def _reveal(question: PollQuestion, key: AnswerKey | None, mine: object = ...) -> Markup:
    question = shown_question(question, key)
    reasons = []
    if key is not None:
        givers = key.why_from if len(key.why_from) == len(key.why) else ("",) * len(key.why)
        reasons = [(text(rw.reason_text(r)), text(r.source),
                    text("; ".join(rw.label(x) for x in g.split("; ")) if g else ""))
                   for r, g in zip(key.why, givers, strict=True)]
    return ui.render("workshop/reveal.html.j2", kind=question.kind, key=key,
                     answer=key_words(question, key), reasons=reasons,
                     marks=list(key.marks) if key is not None and key.rests_on else [],
                     mine=None if mine is ... else match(question, key, mine))


def reveal_html(question: PollQuestion, key: AnswerKey | None, mine: object = ...) -> str:
    """npkit's answer to ``question`` and why, each reason with its source. Nothing about the
    room's answers: trainees see exactly this after the reveal, with ``mine`` (their own
    answer, None if they gave none) compared with npkit's; the trainer's screen passes no
    ``mine``."""
    return str(ui.render("frame.html.j2", body=_reveal(question, key, mine)))


def chart_html(tally: Tally, joined: int, key: AnswerKey | None = None,
               revealed: bool | None = None) -> str:
    """The trainer's view of one question: the room's answers (bars, or the free texts) and,
    once revealed, npkit's answer beside them. ``revealed`` defaults to the question's flag."""
    q = shown_question(tally.question, key)
    shown = q.revealed if revealed is None else revealed
    marked = key_values(q, key) if shown else frozenset()
    return ui.value("workshop/chart.html.j2", respondents=tally.respondents, joined=joined,
                    free_text=q.kind == "free_text", items=_texts(tally),
                    rows=_rows(q, tally, marked), several=q.kind == "which", revealed=shown,
                    reveal=_reveal(q, key) if shown else "")
