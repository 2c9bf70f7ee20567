"""The workshop exports as a trainer reads them (issue 15, on SQLite and PostgreSQL through
``db_url``): CSV rows in the order the questions were asked, times in local time with an
explicit offset, and every reason under a multi-state or multi-model answer naming its state or
model, as the engine titles it."""

import html
import io
import re
import time
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from workshop_support import free_text_questions, john_questions

from npkit.casefile.library import get_case
from npkit.engine.assessment import assess
from npkit.store.learners import Store
from npkit.store.workshop import PollQuestion, Workshop
from npkit.store.workshop.polls import keys_by_id, poll_questions
from npkit.store.workshop.report import results_frame, summary_html, summary_markdown, to_csv


@pytest.fixture
def ws(db_url):
    with Store.open(db_url) as store:
        yield Workshop(store)


@pytest.fixture
def bangkok(monkeypatch):
    """The server's local zone set to one with a known, DST-free offset (+07:00)."""
    monkeypatch.setenv("TZ", "Asia/Bangkok")
    time.tzset()
    yield timedelta(hours=7)
    monkeypatch.undo()
    time.tzset()


def csv_back(ws, code, secret, case) -> pd.DataFrame:
    text = to_csv(results_frame(ws, code, secret, case))
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def test_csv_rows_follow_the_order_the_questions_were_asked_not_their_ids(ws):
    # Asked as zulu, alpha, mike: neither id order nor its reverse.
    asked = tuple(PollQuestion(qid, f"Question {qid}", "free_text")
                  for qid in ("zulu", "alpha", "mike"))
    new = ws.create("john", asked)
    seats = [ws.join(new.code, name) for name in ("Owl", "Fox")]
    # Answered against the asked order, so neither answer time nor id gives the right order.
    for qid in ("mike", "alpha", "zulu"):
        for seat in reversed(seats):
            ws.answer(new.code, seat.token, qid, f"{qid} by {seat.nickname}")
    back = csv_back(ws, new.code, new.secret, get_case("john"))
    assert list(zip(back["question"], back["participant"], strict=True)) == [
        ("zulu", "P1"), ("zulu", "P2"), ("alpha", "P1"), ("alpha", "P2"),
        ("mike", "P1"), ("mike", "P2")]


def test_csv_rows_of_a_case_session_follow_the_trainers_order(ws):
    questions = john_questions()
    order = [q.qid for q in questions]
    assert order != sorted(order)  # the case asks them in an order that is not the ids'
    new = ws.create("john", questions)
    seat = ws.join(new.code, "Owl")
    for q in reversed(questions):
        ws.answer(new.code, seat.token, q.qid,
                  "text" if q.kind == "free_text" else [] if q.kind == "which" else q.values[0])
    back = csv_back(ws, new.code, new.secret, get_case("john"))
    assert list(back["question"]) == order


def test_csv_time_is_local_with_an_explicit_offset(ws, bangkok):
    before = datetime.now(UTC).replace(microsecond=0)
    new = ws.create("john", free_text_questions(1))
    ws.answer(new.code, ws.join(new.code, "Owl").token, "q00", "An answer.")
    after = datetime.now(UTC)
    back = csv_back(ws, new.code, new.secret, get_case("john"))
    column = [c for c in back.columns if c.startswith("answered_at")]
    assert column == ["answered_at_local"]  # the header says the time is local
    (stamp,) = back["answered_at_local"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", stamp), stamp
    when = datetime.fromisoformat(stamp)
    assert when.tzinfo is not None and when.utcoffset() == bangkok
    assert before <= when <= after


def reasons_under(section: str, fmt: str) -> list[str]:
    """The reason lines listed under npkit's answer in one question's section."""
    if fmt == "html":
        items = re.findall(r"<li>(.*?) <cite>", section, re.S)
        return [html.unescape(x) for x in items]
    items = re.findall(r"^- (.*)$", section.split("**npkit's answer:**", 1)[1], re.M)
    return [re.sub(r"\\(.)", r"\1", x) for x in items]  # undo Markdown's backslash escapes


def section_of(page: str, prompt: str, fmt: str) -> str:
    if fmt == "html":
        heads = re.split(r"<h2>", page)
        return next(h for h in heads if html.unescape(h.split("</h2>")[0]) == prompt)
    heads = re.split(r"^## ", page, flags=re.M)
    return next(h for h in heads
                if re.sub(r"\\(.)", r"\1", h.split("\n", 1)[0]) == prompt)


@pytest.mark.parametrize("fmt", ["html", "markdown"])
@pytest.mark.parametrize(("case_id", "qid", "group"), [
    ("jane", "states", "jurisdictions"), ("john", "models", "models")])
def test_each_reason_under_a_which_answer_starts_with_its_state_or_model(
        ws, fmt, case_id, qid, group):
    case = get_case(case_id)
    new = ws.create(case_id, poll_questions(case))
    render = summary_html if fmt == "html" else summary_markdown
    page = render(ws, new.code, new.secret, case)
    key = keys_by_id(case)[qid]
    # The engine's findings, not the report, say whose each reason is.
    findings = {n.title: n for n in getattr(assess(case, counterfactuals=False),
                                            group).values()}
    chosen = {title for title, value in key.choices if value in key.correct}
    assert chosen  # a "which" answer; a single state must name itself too
    reasons = reasons_under(section_of(page, key.question.prompt, fmt), fmt)
    assert len(reasons) == len(key.why) > 0
    for line, reason in zip(reasons, key.why, strict=True):
        if fmt == "markdown":  # each line ends with its source in brackets
            assert line.endswith(f" ({reason.source})"), line
            line = line.removesuffix(f" ({reason.source})")
        names, sep, text = line.partition(": ")
        assert sep and text == reason.text, line
        for name in names.split("; "):
            assert name in chosen, line
            node = findings[name]
            assert reason.text in {r.text for r in (node.decisive, *node.reasons) if r}, line
