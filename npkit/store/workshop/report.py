"""A session's results for the trainer's report: a CSV (one row per answer) and a one-page
summary in Markdown or HTML, each question's answers beside npkit's, with its source.

Rows follow the order the questions were asked: the session's order, which the trainer's
Previous and Next move through (the store keeps no other record of when each was opened). Each
answer's time is the server's local time with its UTC offset (ISO 8601, e.g.
``2026-12-04T14:05:09+07:00``), so a spreadsheet never has to guess the zone.

Trainees appear as ``P1``, ``P2``... in join order; nicknames only if the trainer asks. Text
typed by trainees is escaped for the format it lands in: HTML-escaped on the page, backslash-
escaped in Markdown, and a leading ``=``, ``+``, ``-`` or ``@`` in the CSV gets a ``'`` so a
spreadsheet shows it rather than running it as a formula.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pandas as pd

from npkit import i18n
from npkit.casefile.case import Case
from npkit.i18n import N_, _
from npkit.questions import AnswerKey
from npkit.render import words as rw
from npkit.render.markdown import esc as md_esc
from npkit.store.workshop.polls import keys_by_id
from npkit.store.workshop.sessions import PollQuestion, SessionView, Tally, Workshop

DISCLAIMER = N_("npkit is a teaching tool, not legal advice: verify the current law of any "
                "jurisdiction before relying on it.")
KEY_HEADING = N_("npkit's answer:")
COLUMNS = ["session", "question", "prompt", "participant", "answer", "npkit_answer",
           "matches_npkit", "answered_at_local"]


def _labels(q: PollQuestion, value: object) -> str:
    if q.kind == "free_text":
        return value if isinstance(value, str) else ""
    values = value if isinstance(value, list) else [value]
    return "; ".join(q.label(v) for v in values if isinstance(v, str)) or "(none)"


def key_labels(q: PollQuestion, key: AnswerKey | None) -> str:
    if key is None or key.free_text:
        return ""
    return "; ".join(q.label(v) for v in sorted(key.correct)) or "(none)"


def _cell(text: object) -> object:
    if isinstance(text, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def results_frame(ws: Workshop, code: str, secret: str, case: Case,
                  with_nicknames: bool = False) -> pd.DataFrame:
    """One row per answer; raises :class:`~npkit.store.workshop.Forbidden` without the secret."""
    rows = ws.answers(code, secret)
    view = ws.session(code)
    keys = keys_by_id(case)
    records = []
    for r in rows:
        q = view.question(r.qid)
        if q is None:
            continue
        key = keys.get(r.qid)
        judged = key.is_correct(r.value) if key is not None else None
        records.append({
            "session": view.code, "question": q.qid, "prompt": q.prompt,
            "participant": r.nickname if with_nicknames else f"P{r.seat}",
            "answer": _labels(q, r.value), "npkit_answer": key_labels(q, key),
            "matches_npkit": pd.NA if judged is None else judged,
            "answered_at_local": local_time(r.answered_at),
        })
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    return frame.astype({"matches_npkit": "boolean"})


def local_time(stored: str) -> str:
    """A stored UTC timestamp as the server's local time with an explicit offset; text that
    is not a timestamp (a damaged row) is kept as it is rather than lost."""
    try:
        when = datetime.fromisoformat(stored)
    except (TypeError, ValueError):
        return stored
    when = when if when.tzinfo else when.replace(tzinfo=UTC)
    return when.astimezone().isoformat(timespec="seconds")


def to_csv(frame: pd.DataFrame) -> str:
    safe = frame.copy()
    for column in ("prompt", "participant", "answer", "npkit_answer"):
        safe[column] = safe[column].map(_cell)
    return safe.to_csv(index=False, lineterminator="\n")


def _why(key: AnswerKey | None) -> list[tuple[str, str]]:
    """Each reason with its source; under a ``which`` answer each names its state or model
    (the engine's title for it), since a reason alone does not say whose it is. In the
    language of the page that exports it (npkit.render.words)."""
    if key is None:
        return []
    names = key.why_from or ("",) * len(key.why)
    out = []
    for r, name in zip(key.why, names, strict=True):
        shown = "; ".join(rw.label(x) for x in name.split("; ")) if name else ""
        text = rw.reason_text(r)
        out.append((f"{shown}: {text}" if shown else text, str(r.source)))
    return out


def _shown_label(q: PollQuestion, value: str) -> str:
    """A choice in the summary's language: an outcome in the catalogue's words, a state or
    model by its translated title (the stored label is the session's language at its start)."""
    return rw.outcome_word(value) if q.kind == "outcome" else rw.label(q.label(value))


def _shown_key(q: PollQuestion, key: AnswerKey | None) -> str:
    if key is None or key.free_text:
        return ""
    return "; ".join(_shown_label(q, v) for v in sorted(key.correct)) or _("(none)")


def _rests_on(key: AnswerKey) -> str:
    return "; ".join(rw.mark(m) for m in key.marks if m.is_caveat)


def _prompt(q: PollQuestion, key: AnswerKey | None) -> str:
    return key.question.prompt if key is not None and key.question.prompt else q.prompt


def _rests(key: AnswerKey | None) -> bool:
    """Whether npkit's answer rests on its own reading or on law from outside its sources."""
    return key is not None and not key.free_text and bool(key.rests_on)


def _rows(tally: Tally) -> list[tuple[str, int]]:
    return [(_shown_label(tally.question, v), n) for v, n in tally.counts.items()]


def _started(view: SessionView) -> str:
    return view.created_at[:16].replace("T", " ")


def summary_markdown(ws: Workshop, code: str, secret: str, case: Case) -> str:
    view, tallies, keys = _gather(ws, code, secret, case)
    out = ["# " + _("Workshop summary: {title}").format(title=md_esc(view.title)), "",
           _("Case: {case} ({id}), session {code}, started {when} UTC; {n} participants.")
           .format(case=md_esc(case.title), id=f"`{view.case_id}`", code=view.code,
                   when=_started(view), n=ws.participants(code, secret)),
           "", f"*{_(DISCLAIMER)}*", ""]
    for t in tallies:
        q, key = t.question, keys.get(t.question.qid)
        out += [f"## {md_esc(_prompt(q, key))}", "",
                _("{n} answered.").format(n=t.respondents)]
        if q.kind == "free_text":
            out += [""] + [f"- {md_esc(text)}".replace("\n", " ") for text in t.texts]
        else:
            answer, count = _("Answer"), _("Count")
            out += ["", f"| {answer} | {count} |", "|---|---|"]
            out += [f"| {md_esc(label)} | {n} |" for label, n in _rows(t)]
            rests = " *" + _("(rests on {marks})").format(marks=md_esc(_rests_on(key))) + "*" \
                if _rests(key) else ""
            out += ["", f"**{_(KEY_HEADING)}** {md_esc(_shown_key(q, key))}{rests}"]
            out += [f"- {md_esc(text)} ({md_esc(source)})" for text, source in _why(key)]
        out.append("")
    out.append(_("Generated {when} UTC by npkit.").format(
        when=f"{datetime.now(UTC):%Y-%m-%d %H:%M}"))
    return "\n".join(out) + "\n"


def summary_html(ws: Workshop, code: str, secret: str, case: Case) -> str:
    """The summary as one self-contained, printable HTML page (no scripts, no links out)."""
    view, tallies, keys = _gather(ws, code, secret, case)
    e = html.escape
    title = _("Workshop summary: {title}").format(title=e(view.title))
    lang = i18n.current().replace("_", "-")
    parts = [
        f"<!doctype html><html lang='{e(lang)}'><head><meta charset='utf-8'>",
        f"<title>{title}</title>",
        "<style>body{font:14px/1.4 system-ui,sans-serif;max-width:48em;margin:1em auto}"
        "table{border-collapse:collapse}td,th{border:1px solid #999;padding:2px 8px}"
        "@media print{body{margin:0}}</style></head><body>",
        f"<h1>{title}</h1>",
        "<p>" + _("Case: {case} ({id}), session {code}, started {when} UTC; {n} "
                  "participants.").format(case=e(case.title), id=e(view.case_id),
                                          code=e(view.code), when=e(_started(view)),
                                          n=ws.participants(code, secret)) + "</p>",
        f"<p><em>{e(_(DISCLAIMER))}</em></p>",
    ]
    for t in tallies:
        q, key = t.question, keys.get(t.question.qid)
        parts += [f"<h2>{e(_prompt(q, key))}</h2>",
                  "<p>" + e(_("{n} answered.").format(n=t.respondents)) + "</p>"]
        if q.kind == "free_text":
            parts.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in t.texts) + "</ul>")
            continue
        answer, count = e(_("Answer")), e(_("Count"))
        parts.append(f"<table><tr><th scope='col'>{answer}</th><th scope='col'>{count}</th></tr>"
                     + "".join(f"<tr><td>{e(label)}</td><td>{n}</td></tr>"
                               for label, n in _rows(t)) + "</table>")
        rests = " <em>" + e(_("(rests on {marks})").format(marks=_rests_on(key))) + "</em>" \
            if _rests(key) else ""
        parts.append(f"<p><strong>{e(_(KEY_HEADING))}</strong> {e(_shown_key(q, key))}{rests}"
                     "</p><ul>"
                     + "".join(f"<li>{e(text)} <cite>{e(source)}</cite></li>"
                               for text, source in _why(key)) + "</ul>")
    parts.append("<p>" + e(_("Generated {when} UTC by npkit.").format(
        when=f"{datetime.now(UTC):%Y-%m-%d %H:%M}")) + "</p></body></html>")
    return "\n".join(parts)


def _gather(ws: Workshop, code: str, secret: str, case: Case
            ) -> tuple[SessionView, list[Tally], dict[str, AnswerKey]]:
    view = ws.trainer_view(code, secret)
    tallies = [ws.tally(code, secret, q.qid) for q in view.questions]
    return view, tallies, keys_by_id(case)
