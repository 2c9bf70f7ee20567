"""The room's answers to one workshop question, as HTML: a bar chart made of plain elements
(no script, no image, nothing fetched), readable by a screen reader and on a projector.

- Every bar is a table row: the choice as a row header, the count and percentage as text
  ("2 of 3 (67%)"), the bar itself only a picture of that text (hidden from screen readers).
- Once the trainer reveals npkit's answer, the matching rows say so in words and with a
  symbol ("✓ npkit's answer"), never by colour alone, and npkit's reasons stand beside the
  chart, each with its source; where the answer rests on npkit's reading or on law from
  outside npkit's sources, the reveal says so in words right under the answer.
- Free-text answers are listed without names, escaped, line breaks kept (``white-space:
  pre-wrap``); a long one shows its beginning, the rest behind "Show the whole answer".

Everything typed by a trainee or read from a case file is escaped here; the functions return
finished HTML for an ``ipywidgets.HTML``. :func:`reveal_html` is also what a trainee sees after
the reveal: npkit's answer and why, and nothing about the room's answers.
"""

from __future__ import annotations

import re

from npkit.course.widgets.base import CSS, esc, marks_html
from npkit.questions import AnswerKey
from npkit.store.workshop.sessions import PollQuestion, Tally

PREVIEW_CHARS = 280
PREVIEW_LINES = 6
_SURROGATE = re.compile("[\ud800-\udfff]")

POLL_CSS = """
<style>
.npk-poll { width: 100%; max-width: 60rem; }
.npk-poll caption { text-align: left; font-weight: 600; padding: .2em 0; }
.npk-poll th[scope=row] { width: 30%; font-weight: 600; }
.npk-poll td.npk-bar-cell { width: 70%; }
.npk-bar-track { display: inline-block; vertical-align: middle; width: 60%; height: 1.2em;
  border: 1px solid #555; background: #fff; margin-right: .5em; }
.npk-bar { height: 100%; background: #1f5fbf; }
.npk-bar.npk-bar-key { background: repeating-linear-gradient(45deg, #0b5d1e, #0b5d1e 6px,
  #2e8b4a 6px, #2e8b4a 12px); }
.npk-count { font-weight: 600; white-space: nowrap; }
.npk-tally-line { font-size: 1.15em; font-weight: 600; margin: .3em 0; }
.npk-texts { padding-left: 1.5em; max-width: 60rem; }
.npk-texts li { margin: .35em 0; }
.npk-text { white-space: pre-wrap; overflow-wrap: anywhere; max-height: 9.5em;
  overflow: hidden; border-left: 3px solid #9bb3d6; padding: .1em .5em; }
.npk-reveal { border: 2px solid #0b5d1e; background: #f4fbf5; padding: .4em .8em;
  margin: .5em 0; max-width: 60rem; }
.npk-reveal h3 { margin-top: .1em; }
</style>
"""

KEY_MARK = ('<span class="npk-badge npk-good npk-key-mark"><span aria-hidden="true">✓</span> '
            "npkit's answer</span>")


def text(value: object) -> str:
    """``value`` escaped for HTML, with any lone surrogate (not text; it would break the
    widget's JSON message) shown as U+FFFD."""
    return esc(_SURROGATE.sub("\ufffd", str(value)))


def percent(n: int, total: int) -> int:
    """``n`` of ``total`` as a whole percentage, halves rounded up (2 of 3 -> 67)."""
    if total <= 0:
        return 0
    return (200 * n + total) // (2 * total)


def count_text(n: int, total: int) -> str:
    """"2 of 3 (67%)"."""
    return f"{n} of {total} ({percent(n, total)}%)"


def bar_label(label: str, n: int, total: int) -> str:
    """"fails — 2 of 3 (67%)": what one bar says, as plain text."""
    return f"{label} — {count_text(n, total)}"


def _answered(respondents: int, joined: int) -> str:
    return (f"<p class='npk-tally-line'>{respondents} answered of {joined} joined</p>")


def key_values(question: PollQuestion, key: AnswerKey | None) -> frozenset[str]:
    """npkit's answer as choice values ("" none), only for a key that fits the question."""
    if key is None or question.kind == "free_text":
        return frozenset()
    return frozenset(v for v in key.correct if v in question.values)


def key_words(question: PollQuestion, key: AnswerKey | None) -> str:
    """npkit's answer in words: "fails", "Indonesia, Philippines", "none of the options"."""
    chosen = key_values(question, key)
    if not chosen:
        return "none of the options"
    return ", ".join(question.label(v) for v in question.values if v in chosen)


def bars_html(tally: Tally, joined: int, key: AnswerKey | None = None,
              revealed: bool | None = None) -> str:
    """The chart of a choice question: a table, one row (bar) per choice."""
    q = tally.question
    shown = q.revealed if revealed is None else revealed
    marked = key_values(q, key) if shown else frozenset()
    total = tally.respondents
    several = (" Each person could choose several, so the percentages can add up to more "
               "than 100." if q.kind == "which" else "")
    rows = []
    for value in q.values:
        n = tally.counts.get(value, 0)
        label = q.label(value)
        is_key = value in marked
        mark = f" {KEY_MARK}" if is_key else ""
        width = percent(n, total)
        rows.append(
            f"<tr data-value='{text(value)}'><th scope='row'>{text(label)}{mark}</th>"
            f"<td class='npk-bar-cell' title='{text(bar_label(label, n, total))}'>"
            f"<span class='npk-bar-track' aria-hidden='true'><span class='npk-bar"
            f"{' npk-bar-key' if is_key else ''}' style='display:block;width:{width}%'>"
            f"</span></span><span class='npk-count'>{count_text(n, total)}</span></td></tr>")
    return (f"{_answered(total, joined)}"
            f"<table class='npk-poll'><caption>Answers so far.{several}</caption>"
            "<thead><tr><th scope='col'>Answer</th><th scope='col'>How many chose it</th>"
            f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def _preview(value: str) -> tuple[str, bool]:
    lines = value.split("\n")
    cut = "\n".join(lines[:PREVIEW_LINES])
    cut = cut[:PREVIEW_CHARS]
    return (cut, cut != value)


def texts_html(tally: Tally, joined: int) -> str:
    """Free-text answers, without names, in the order people joined; escaped, line breaks
    kept; a long answer shows its beginning and the rest on request."""
    items = []
    for value in tally.texts:
        short, cut = _preview(value)
        if cut:
            items.append(
                f"<li><div class='npk-text'>{text(short.rstrip())}…</div>"
                "<details><summary>Show the whole answer</summary>"
                f"<div class='npk-text' style='max-height:none'>{text(value)}</div>"
                "</details></li>")
        else:
            items.append(f"<li><div class='npk-text'>{text(value)}</div></li>")
    body = (f"<ol class='npk-texts' aria-label='Answers, without names'>{''.join(items)}</ol>"
            if items else "<p>No answers yet.</p>")
    return f"{_answered(tally.respondents, joined)}{body}"


def reveal_html(question: PollQuestion, key: AnswerKey | None) -> str:
    """npkit's answer to ``question`` and why, each reason with its source. Nothing about the
    room's answers: trainees see exactly this after the reveal."""
    if question.kind == "free_text":
        return ("<section class='npk-reveal' aria-label=\"npkit's analysis\">"
                "<h3>npkit's analysis</h3><p>A question in your own words has no single "
                "right answer. Compare the reasons given with npkit's answers to the other "
                "questions, and their sources.</p></section>")
    if key is None:
        return ("<section class='npk-reveal' aria-label=\"npkit's answer\">"
                "<h3>npkit's answer</h3><p>npkit's answer to this question is not available "
                "on this computer: its case file is missing or could not be read.</p>"
                "</section>")
    reasons = "".join(
        f"<li>{text(r.text)} <span class='npk-source'>({text(r.source)})</span></li>"
        for r in key.why)
    why = f"<p><strong>Why:</strong></p><ul>{reasons}</ul>" if reasons else ""
    rests = (f"<p class='npk-rests-on'><strong>This answer rests on:</strong> "
             f"{marks_html(key.marks)}</p>" if key.rests_on else "")
    return ("<section class='npk-reveal' aria-label=\"npkit's answer\">"
            "<h3>npkit's answer</h3>"
            f"<p>{KEY_MARK} <strong>{text(key_words(question, key))}</strong></p>{rests}{why}"
            "</section>")


def chart_html(tally: Tally, joined: int, key: AnswerKey | None = None,
               revealed: bool | None = None) -> str:
    """The trainer's view of one question: the room's answers (bars, or the free texts) and,
    once revealed, npkit's answer beside them. ``revealed`` defaults to the question's flag."""
    q = tally.question
    shown = q.revealed if revealed is None else revealed
    body = texts_html(tally, joined) if q.kind == "free_text" else \
        bars_html(tally, joined, key, shown)
    if shown:
        body += reveal_html(q, key)
    return box(body)


def box(body: str) -> str:
    """``body`` (already escaped) in the suite's and the chart's styles."""
    return f"{CSS}{POLL_CSS}<div class='npk'>{body}</div>"
