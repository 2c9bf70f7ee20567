"""Workshop sessions in the store, on SQLite and PostgreSQL (``db_url``): the trainer's controls
behind a hashed secret, trainees who only ever see their own answers, locks the store enforces,
delete that leaves nothing behind, and the CSV and HTML exports."""

import csv
import hashlib
import html
import io
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pandas as pd
import pytest
from workshop_support import (
    WORKSHOP_TABLES,
    count,
    counts,
    free_text_questions,
    is_pg,
    john_questions,
    query,
    snapshot,
)

from npkit.casefile.library import get_case
from npkit.questions import answer_key
from npkit.store.learners import Store
from npkit.store.workshop import (
    Forbidden,
    Locked,
    NotFound,
    PollQuestion,
    Workshop,
    WorkshopError,
    sessions,
)
from npkit.store.workshop.report import results_frame, summary_html, summary_markdown, to_csv

CASE = get_case("john")
QS = john_questions()
QIDS = [q.qid for q in QS]
# The join-code alphabet as the issue states it: letters and digits without 0/O, 1/I/L.
UNAMBIGUOUS = set("ABCDEFGHJKMNPQRSTUVWXYZ23456789")


def question(qid: str) -> PollQuestion:
    return next(q for q in QS if q.qid == qid)


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as s:
        yield s


@pytest.fixture
def ws(store):
    return Workshop(store)


@pytest.fixture
def room(ws):
    return ws.create("john", QS, title="Cohort 3")


def dashed(code: str) -> str:
    """A code as a trainee might type it: lower case, a dash and spaces."""
    return f" {code[:3].lower()}-{code[3:].lower()} "


def unknown_code(*taken: str) -> str:
    return next(c for c in ("KKKKKK", "MMMMMM", "NNNNNN") if c not in taken)


# --- create ----------------------------------------------------------------------------------


def test_create_stores_the_questions_in_order_and_the_first_is_current(ws, db_url):
    new = ws.create("john", QS, title="Cohort 3")
    assert len(new.code) == 6 and set(new.code) <= UNAMBIGUOUS
    assert len(new.secret) >= 32
    view = ws.session(new.code)
    assert (view.code, view.case_id, view.title, view.current) == (
        new.code, "john", "Cohort 3", "duress-ew")
    assert view.created_at[:2] == "20" and view.current_question.qid == "duress-ew"
    assert [(q.qid, q.prompt, q.kind, q.choices, q.position, q.locked, q.revealed)
            for q in view.questions] == [
        (q.qid, q.prompt, q.kind, q.choices, n, False, False) for n, q in enumerate(QS)]
    assert count(db_url, "workshop_sessions") == 1
    assert count(db_url, "workshop_questions", new.code) == len(QS) == 4
    # The code is found however a trainee types it.
    assert ws.session(dashed(new.code)) == ws.session(new.code.lower()) == view
    assert ws.session(ws.create("john", QS).code).title == "john"  # no title: the case id


def test_a_case_id_with_an_underscore_starts_a_session(ws):
    """Case files allow '_' in an id (plea_offer, child_recruiter): a session on one starts."""
    new = ws.create("plea_offer", QS[:1])
    assert ws.session(new.code).case_id == "plea_offer"


def test_every_session_has_its_own_code_and_secret(ws):
    made = [ws.create("john", QS[:1]) for _ in range(5)]
    assert len({m.code for m in made}) == 5 and len({m.secret for m in made}) == 5


def test_fifty_questions_are_accepted(ws, db_url):
    new = ws.create("john", free_text_questions(50))
    assert count(db_url, "workshop_questions", new.code) == 50
    assert [q.position for q in ws.session(new.code).questions] == list(range(50))


BAD_CREATES = {  # label: (case id, questions, title)
    "capital": ("John", QS, None),
    "short-id": ("jo", QS, None),
    "newline-id": ("john\n", QS, None),
    "leading-underscore": ("_john", QS, None),
    "no-questions": ("john", (), None),
    "51-questions": ("john", free_text_questions(51), None),
    "duplicate-qid": ("john", (QS[0], QS[0]), None),
    "unknown-kind": ("john", (PollQuestion("essay", "Write an essay", "essay"),), None),
    "long-title": ("john", QS, "t" * 121),
    "blank-title": ("john", QS, "  \x00 "),
    # Refused half-way through the transaction, after the session row was written.
    "long-prompt-last": ("john", QS + (PollQuestion("long", "p" * 301, "free_text"),), None),
}


def refused(exc: type[Exception], call, label: str) -> None:
    """``call()`` raises ``exc``; else fail saying which of a loop's cases it was (one test
    per backend walks many cases, so PostgreSQL makes one database, not one per case)."""
    try:
        call()
    except exc:
        return
    except Exception as other:  # noqa: BLE001 - reported, with the case
        pytest.fail(f"{label}: {type(other).__name__}: {other} (expected {exc.__name__})")
    pytest.fail(f"{label}: accepted (expected {exc.__name__})")


def test_create_refuses_bad_input_and_stores_nothing(ws, db_url):
    for label, (case_id, questions, title) in BAD_CREATES.items():
        refused(WorkshopError, lambda: ws.create(case_id, questions, title=title), label)  # noqa: B023
        assert counts(db_url) == dict.fromkeys(WORKSHOP_TABLES, 0), label


# --- join --------------------------------------------------------------------------------------


def test_join_gives_seats_in_order_and_cleans_the_nickname(ws, room, db_url):
    seats = [ws.join(room.code, "Owl"), ws.join(dashed(room.code), "  Fox\u202e\x00 \t"),
             ws.join(room.code.lower(), "Owl")]
    assert [(s.code, s.seat, s.nickname) for s in seats] == [
        (room.code, 1, "Owl"), (room.code, 2, "Fox"), (room.code, 3, "Owl")]
    assert len({s.token for s in seats}) == 3 and all(len(s.token) >= 16 for s in seats)
    assert ws.participants(room.code, room.secret) == count(
        db_url, "workshop_participants", room.code) == 3


def test_join_needs_a_nickname(ws, room, db_url):
    for nickname in ("", "   ", "\x00\x01", "\u202e\u200b", None):
        with pytest.raises(WorkshopError, match="nickname"):
            ws.join(room.code, nickname)
    assert count(db_url, "workshop_participants") == 0


def test_join_an_unknown_or_malformed_code_is_not_found(ws, room, db_url):
    for code in (unknown_code(room.code), "K7M2Q0", "", None, room.code + "A"):
        with pytest.raises(NotFound):
            ws.join(code, "Owl")
    assert count(db_url, "workshop_participants") == 0


def test_rejoining_with_the_same_learner_code_keeps_the_seat_and_answers(ws, room, db_url):
    first = ws.join(room.code, "Owl", learner="amber-otter-42")
    ws.answer(room.code, first.token, "duress-ew", "fails")
    other = ws.join(room.code, "Fox", learner="brown-fox-17")
    again = ws.join(dashed(room.code), "Owl again", learner="amber-otter-42")
    assert (again.token, again.seat, again.nickname) == (first.token, first.seat, "Owl again")
    assert other.seat == 2 and other.token != first.token
    assert ws.my_answers(room.code, again.token) == {"duress-ew": "fails"}
    assert count(db_url, "workshop_participants", room.code) == 2
    assert query(db_url, "SELECT nickname FROM workshop_participants WHERE token = ?",
                 (first.token,)) == [("Owl again",)]
    # Without a (valid) learner code every join is a new seat.
    assert ws.join(room.code, "Anon").seat == 3 and ws.join(room.code, "Anon").seat == 4
    assert ws.join(room.code, "X", learner="Not A Code").seat == 5
    assert ws.join(room.code, "X", learner="Not A Code").seat == 6
    # The same learner in another session is a new participant there.
    elsewhere = ws.create("john", QS)
    there = ws.join(elsewhere.code, "Owl", learner="amber-otter-42")
    assert there.seat == 1 and there.token != first.token
    assert ws.my_answers(elsewhere.code, there.token) == {}


def test_a_full_session_refuses_newcomers_but_not_returning_learners(ws, room, db_url,
                                                                      monkeypatch):
    monkeypatch.setattr(sessions, "MAX_PARTICIPANTS", 3)
    first = ws.join(room.code, "Owl", learner="amber-otter-42")
    ws.join(room.code, "Fox")
    ws.join(room.code, "Hen")
    for learner in (None, "brown-fox-17"):
        with pytest.raises(WorkshopError, match="full"):
            ws.join(room.code, "Late", learner=learner)
    assert ws.join(room.code, "Owl", learner="amber-otter-42").token == first.token
    assert count(db_url, "workshop_participants") == 3


# --- answers -----------------------------------------------------------------------------------


def test_changing_an_answer_replaces_it(ws, room, db_url):
    seat = ws.join(room.code, "Owl")
    for value in ("fails", "succeeds", "fails", "succeeds"):
        ws.answer(room.code, seat.token, "duress-ew", value)
    ws.answer(room.code, seat.token, "why", "first thoughts")
    ws.answer(room.code, seat.token, "why", "second thoughts")
    rows = query(db_url, "SELECT qid, value FROM workshop_answers WHERE session = ? "
                         "AND participant = ? ORDER BY qid", (room.code, seat.token))
    assert rows == [("duress-ew", '"succeeds"'), ("why", '"second thoughts"')]
    assert ws.my_answers(room.code, seat.token) == {"duress-ew": "succeeds",
                                                    "why": "second thoughts"}
    tally = ws.tally(room.code, room.secret, "duress-ew")
    assert (tally.respondents, tally.counts) == (1, {"succeeds": 1, "fails": 0})


def test_answer_returns_the_value_as_stored(ws, room):
    seat = ws.join(room.code, "Owl")
    assert ws.answer(room.code, seat.token, "models",
                     ("presumption", "causation", "presumption")) == ["causation", "presumption"]
    assert ws.answer(room.code, seat.token, "why", "  Deceived.\r\n\n\n\nLocked up. ") == \
        "Deceived.\n\nLocked up."
    assert ws.answer(dashed(room.code), seat.token, "causation", "not_protected") == \
        "not_protected"
    assert ws.my_answers(room.code, seat.token) == {
        "models": ["causation", "presumption"], "why": "Deceived.\n\nLocked up.",
        "causation": "not_protected"}
    assert ws.answer(room.code, seat.token, "models", []) == []  # "none of them" is an answer


def test_an_unknown_question_or_session(ws, room, db_url):
    seat = ws.join(room.code, "Owl")
    with pytest.raises(NotFound):
        ws.answer(room.code, seat.token, "no-such-question", "fails")
    with pytest.raises(Forbidden):  # a well-formed code nobody created: not joined there
        ws.answer(unknown_code(room.code), seat.token, "duress-ew", "fails")
    with pytest.raises(NotFound):
        ws.answer("K7M2Q0", seat.token, "duress-ew", "fails")
    with pytest.raises(NotFound):
        ws.session(unknown_code(room.code))
    assert count(db_url, "workshop_answers") == 0


def test_tally_counts_every_choice_and_lists_texts_in_seat_order(ws, room):
    plan = [  # (duress-ew, causation, models, why) per trainee, in join order
        ("fails", "protected", ["causation", "presumption"], "Deceived about the work."),
        ("fails", "discretionary", ["causation"], "Beaten & locked up <b>"),
        ("succeeds", "protected", [], "🧑‍💻 forced to scam"),
        ("fails", "protected", ["presumption", "dual_factor", "causation"], "Line one\nline 2"),
        ("fails", "not_protected", ["dual_factor"], "=1+1"),
    ]
    for n, answers in enumerate(plan):
        seat = ws.join(room.code, f"T{n}")
        for qid, value in zip(QIDS, answers, strict=True):
            ws.answer(room.code, seat.token, qid, value)
    for k, qid in enumerate(QIDS[:3]):
        tally = ws.tally(room.code, room.secret, qid)
        expected = Counter(v for a in plan for v in (a[k] if isinstance(a[k], list) else [a[k]]))
        assert tally.respondents == len(plan)
        assert tally.counts == {v: expected[v] for v in question(qid).values}
        assert tally.texts == ()
    assert ws.tally(room.code, room.secret, "duress-ew").counts == {"succeeds": 1, "fails": 4}
    texts = ws.tally(room.code, room.secret, "why")
    assert texts.texts == tuple(a[3] for a in plan) and texts.respondents == 5
    with pytest.raises(NotFound):
        ws.tally(room.code, room.secret, "no-such-question")


def test_a_lock_is_enforced_by_the_store_and_can_be_reopened(ws, room, db_url):
    early, late = ws.join(room.code, "Early"), ws.join(room.code, "Late")
    ws.answer(room.code, early.token, "duress-ew", "fails")
    ws.lock(room.code, room.secret, "duress-ew")
    assert ws.session(room.code).question("duress-ew").locked
    assert not ws.session(room.code).question("causation").locked
    before = snapshot(db_url)
    # Another connection, as another kernel would have: the lock is in the store.
    with Store.open(db_url) as elsewhere:
        other = Workshop(elsewhere)
        with pytest.raises(Locked):
            other.answer(room.code, late.token, "duress-ew", "succeeds")
        with pytest.raises(Locked):  # changing an earlier answer is refused too
            other.answer(room.code, early.token, "duress-ew", "succeeds")
    with pytest.raises(Locked):
        ws.answer(room.code, late.token, "duress-ew", "fails")
    assert snapshot(db_url) == before
    tally = ws.tally(room.code, room.secret, "duress-ew")
    assert (tally.respondents, tally.counts) == (1, {"succeeds": 0, "fails": 1})
    ws.answer(room.code, late.token, "causation", "protected")  # other questions stay open
    ws.lock(room.code, room.secret, "duress-ew", False)
    assert not ws.session(room.code).question("duress-ew").locked
    ws.answer(room.code, late.token, "duress-ew", "succeeds")
    ws.answer(room.code, early.token, "duress-ew", "succeeds")
    tally = ws.tally(room.code, room.secret, "duress-ew")
    assert (tally.respondents, tally.counts) == (2, {"succeeds": 2, "fails": 0})


def test_reveal_and_set_current(ws, room):
    ws.reveal(room.code, room.secret, "causation")
    view = ws.session(room.code)
    assert [q.revealed for q in view.questions] == [False, True, False, False]
    ws.reveal(room.code, room.secret, "causation", False)
    assert not any(q.revealed for q in ws.session(room.code).questions)
    ws.set_current(room.code, room.secret, "models")
    assert ws.session(room.code).current == "models"
    assert ws.session(room.code).current_question.qid == "models"
    for control in (ws.set_current, ws.lock, ws.reveal):
        with pytest.raises(NotFound):
            control(room.code, room.secret, "no-such-question")
    view = ws.session(room.code)
    assert view.current == "models" and not any(q.locked or q.revealed for q in view.questions)
    assert ws.trainer_view(dashed(room.code), room.secret) == view


# --- isolation -------------------------------------------------------------------------------


def test_a_token_from_one_session_cannot_answer_in_another(ws, db_url):
    a, b = ws.create("john", QS), ws.create("john", QS)
    seat_a = ws.join(a.code, "Owl")
    ws.join(b.code, "Fox")
    for token in (seat_a.token, "", None, seat_a.token + "x", "' OR '1'='1"):
        with pytest.raises(Forbidden):
            ws.answer(b.code, token, "duress-ew", "fails")
        assert ws.my_answers(b.code, token) == {}
    assert count(db_url, "workshop_answers") == 0
    ws.answer(a.code, seat_a.token, "duress-ew", "fails")  # at home it works
    assert ws.my_answers(a.code, seat_a.token) == {"duress-ew": "fails"}
    assert ws.my_answers(b.code, seat_a.token) == {}


def test_a_trainee_never_sees_another_trainees_answers(ws, room):
    me, them = ws.join(room.code, "Owl"), ws.join(room.code, "Zebra-nick")
    ws.answer(room.code, them.token, "why", "Their private thought 🦓")
    ws.answer(room.code, them.token, "duress-ew", "succeeds")
    ws.answer(room.code, me.token, "duress-ew", "fails")
    assert ws.my_answers(room.code, me.token) == {"duress-ew": "fails"}
    view = ws.session(room.code)
    assert set(type(view).__slots__) == {"code", "case_id", "title", "current", "created_at",
                                         "questions"}
    shown = repr(view) + repr(ws.my_answers(room.code, me.token)) + repr(me)
    for theirs in ("Their private thought", "Zebra-nick", them.token):
        assert theirs not in shown


# --- the trainer's secret ----------------------------------------------------------------------

TRAINER_OPS = {
    "trainer_view": lambda ws, c, s: ws.trainer_view(c, s),
    "set_current": lambda ws, c, s: ws.set_current(c, s, "models"),
    "lock": lambda ws, c, s: ws.lock(c, s, "duress-ew"),
    "unlock": lambda ws, c, s: ws.lock(c, s, "causation", False),
    "reveal": lambda ws, c, s: ws.reveal(c, s, "duress-ew"),
    "tally": lambda ws, c, s: ws.tally(c, s, "duress-ew"),
    "answers": lambda ws, c, s: ws.answers(c, s),
    "participants": lambda ws, c, s: ws.participants(c, s),
    "delete": lambda ws, c, s: ws.delete(c, s),
    "results_frame": lambda ws, c, s: results_frame(ws, c, s, CASE),
    "summary_html": lambda ws, c, s: summary_html(ws, c, s, CASE),
    "summary_markdown": lambda ws, c, s: summary_markdown(ws, c, s, CASE),
}
CHANGES = {"set_current", "lock", "unlock", "reveal", "delete"}


def test_every_trainer_op_needs_this_sessions_secret_and_changes_nothing_without(ws, db_url):
    for op, run in TRAINER_OPS.items():  # each on two sessions of its own
        mine, other = ws.create("john", QS), ws.create("john", QS)
        for new in (mine, other):
            seat = ws.join(new.code, "Owl")
            ws.answer(new.code, seat.token, "duress-ew", "fails")
            ws.lock(new.code, new.secret, "causation")
        stored_hash = query(db_url, "SELECT secret_hash FROM workshop_sessions WHERE code = ?",
                            (mine.code,))[0][0]
        before = snapshot(db_url)
        attempts = [
            (mine.code, "not-the-secret"), (mine.code, other.secret), (other.code, mine.secret),
            (mine.code, ""), (mine.code, None), (mine.code, 12345), (mine.code, b"bytes"),
            (mine.code, mine.secret.upper() if mine.secret.upper() != mine.secret else "x"),
            (mine.code, mine.secret[:-1]), (mine.code, stored_hash), (mine.code, "\ud800"),
            (unknown_code(mine.code, other.code), mine.secret), ("K7M2Q0", mine.secret),
            (None, mine.secret), ("", ""),
        ]
        for n, (code, secret) in enumerate(attempts):
            refused(Forbidden, lambda: run(ws, code, secret), f"{op}, attempt {n}")  # noqa: B023
        assert snapshot(db_url) == before, op
        run(ws, dashed(mine.code), mine.secret)  # the right secret works, however it is typed
        assert (snapshot(db_url) != before) == (op in CHANGES), op


def test_the_secret_is_stored_only_as_its_sha256_hash(ws, db_url):
    new = ws.create("john", QS)
    ws.join(new.code, "Owl")
    assert query(db_url, "SELECT secret_hash FROM workshop_sessions WHERE code = ?",
                 (new.code,)) == [(hashlib.sha256(new.secret.encode()).hexdigest(),)]
    if is_pg(db_url):
        tables = [t for (t,) in query(db_url, "SELECT table_name FROM information_schema.tables "
                                              "WHERE table_schema = 'public'")]
    else:
        tables = [t for (t,) in query(db_url, "SELECT name FROM sqlite_master "
                                              "WHERE type = 'table'")]
    assert set(WORKSHOP_TABLES) <= set(tables)
    for table in tables:
        for row in query(db_url, f'SELECT * FROM "{table}"'):
            assert not any(new.secret in str(cell) for cell in row), table
    if not is_pg(db_url):  # not even in the file's free pages or the write-ahead log
        for suffix in ("", "-wal"):
            with open(db_url + suffix, "rb") as f:
                assert new.secret.encode() not in f.read()


# --- delete --------------------------------------------------------------------------------------


def fill(ws, new, trainees=3):
    tokens = []
    for n in range(trainees):
        seat = ws.join(new.code, f"T{n}", learner=f"learner-{n:03d}")
        tokens.append(seat.token)
        for q in QS:
            value = (q.values[0] if q.kind == "outcome" else [q.values[n]] if q.kind == "which"
                     else f"text {n}")
            ws.answer(new.code, seat.token, q.qid, value)
    return tokens


def test_delete_removes_the_session_and_everything_in_it_and_nothing_else(ws, db_url):
    doomed, kept = ws.create("john", QS), ws.create("john", QS)
    doomed_tokens = fill(ws, doomed)
    fill(ws, kept)
    ws.lock(doomed.code, doomed.secret, "why")
    assert counts(db_url, doomed.code) == {"workshop_sessions": 1, "workshop_questions": 4,
                                           "workshop_participants": 3, "workshop_answers": 12}
    kept_rows = {t: [r for r in rows if doomed.code not in r]
                 for t, rows in snapshot(db_url).items()}
    assert ws.delete(doomed.code, doomed.secret) == 12
    assert counts(db_url, doomed.code) == dict.fromkeys(WORKSHOP_TABLES, 0)
    assert snapshot(db_url) == kept_rows  # the other session, row for row
    with pytest.raises(NotFound):
        ws.session(doomed.code)
    with pytest.raises(NotFound):
        ws.join(doomed.code, "Owl")
    with pytest.raises(Forbidden):
        ws.answer(doomed.code, doomed_tokens[0], "duress-ew", "fails")
    for op in TRAINER_OPS.values():
        with pytest.raises(Forbidden):
            op(ws, doomed.code, doomed.secret)
    # The other session carries on.
    assert ws.tally(kept.code, kept.secret, "duress-ew").respondents == 3
    late = ws.join(kept.code, "Late")
    assert late.seat == 4
    ws.answer(kept.code, late.token, "duress-ew", "fails")  # fill() chose "succeeds"
    assert ws.tally(kept.code, kept.secret, "duress-ew").counts == {"succeeds": 3, "fails": 1}
    assert count(db_url, "workshop_answers") == 13


# --- invalid values --------------------------------------------------------------------------


BAD_ANSWERS = [
    ("duress-ew", "maybe"), ("duress-ew", "Fails"), ("duress-ew", "fails "),
    ("duress-ew", ["fails"]), ("duress-ew", ("fails",)), ("duress-ew", 1), ("duress-ew", True),
    ("duress-ew", None), ("duress-ew", {"value": "fails"}), ("duress-ew", b"fails"),
    ("causation", "not protected"),  # the label, not the value
    ("models", "causation"), ("models", ["causation", "nope"]), ("models", [1]),
    ("models", None), ("models", [["causation"]]), ("models", {"causation": True}),
    ("models", [None]), ("models", "Causation (but-for)"), ("models", {"causation"}),
    ("why", 42), ("why", None), ("why", ""), ("why", " \n\t "), ("why", ["text"]),
    ("why", {"text": "x"}), ("why", "x" * 1001), ("why", "\x00\x01\u202e"), ("why", 1.5),
]


def test_an_invalid_answer_is_a_workshop_error_and_changes_nothing(ws, room, db_url):
    seat = ws.join(room.code, "Owl")
    for q, good in zip(QIDS, ("fails", "protected", ["causation"], "Deceived."), strict=True):
        ws.answer(room.code, seat.token, q, good)
    before = snapshot(db_url)
    for qid, value in BAD_ANSWERS:
        label = f"{qid} = {value!r:.40}"
        refused(WorkshopError, lambda: ws.answer(room.code, seat.token, qid, value), label)  # noqa: B023
        assert snapshot(db_url) == before, label


# --- the report ------------------------------------------------------------------------------

ROOM_PLAN = [  # nickname and answers (duress-ew, causation, models, why), in join order
    ("Owl", ("fails", "protected", ["causation", "presumption"], "He was deceived.")),
    ("Fox", ("succeeds", "not_protected", ["dual_factor"], "=HYPERLINK(\"http://x\",\"y\")")),
    ("=cmd|' /C calc'!A0", ("fails", "discretionary", [], "+1+2")),
    ("Hen", ("fails", "protected", sorted(answer_key(CASE, CASE.questions[2]).correct),
             "-3+4")),
    ("Cat", (None, "protected", None, "@SUM(A1:A9)")),  # skipped two questions
    ("Elk", ("succeeds", None, ["closed_list"], "<script>alert('owned')</script>")),
]


def key_for(qid: str):
    return answer_key(CASE, next(q for q in CASE.questions if q.id == qid))


def labels(qid: str) -> dict[str, str]:
    """value -> label, from npkit.questions (the assessment), not from the report."""
    return {v: lab for lab, v in key_for(qid).choices}


@pytest.fixture
def reported(ws):
    new = ws.create("john", QS, title="Cohort <script>alert('title')</script>")
    for nickname, answers in ROOM_PLAN:
        seat = ws.join(new.code, nickname)
        for qid, value in zip(QIDS, answers, strict=True):
            if value is not None:
                ws.answer(new.code, seat.token, qid, value)
    return new


def expected_rows():
    """(question, participant, answer labels or text, matches) for every answer given."""
    out = []
    for seat, (_, answers) in enumerate(ROOM_PLAN, start=1):
        for qid, value in zip(QIDS, answers, strict=True):
            if value is None:
                continue
            if qid == "why":
                out.append((qid, f"P{seat}", value, None))
                continue
            chosen = set(value) if isinstance(value, list) else {value}
            out.append((qid, f"P{seat}", {labels(qid)[v] for v in chosen},
                        chosen == set(key_for(qid).correct)))
    return out


def test_results_frame_and_csv_round_trip_through_pandas(ws, reported):
    frame = results_frame(ws, reported.code, reported.secret, CASE)
    text = to_csv(frame)
    back = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(back.columns) == ["session", "question", "prompt", "participant", "answer",
                                  "npkit_answer", "matches_npkit", "answered_at_local"]
    expected = expected_rows()
    assert len(back) == len(frame) == len(expected) == 21
    assert set(back["session"]) == {reported.code}
    got = {}
    for row in back.itertuples(index=False):
        assert row.prompt == question(row.question).prompt
        assert row.answered_at_local[:2] == "20"
        if row.question == "why":
            assert (row.npkit_answer, row.matches_npkit) == ("", "")
            answer = row.answer[1:] if row.answer[:1] == "'" else row.answer
        else:
            correct = {labels(row.question)[v] for v in key_for(row.question).correct}
            assert set(row.npkit_answer.split("; ")) == correct
            answer = set() if row.answer == "(none)" else set(row.answer.split("; "))
        got[(row.question, row.participant)] = (answer, row.matches_npkit)
    assert got == {(q, p): (a, "" if m is None else str(m)) for q, p, a, m in expected}
    # Counts per question and choice, from the CSV, against the plan.
    for qid in ("duress-ew", "causation"):
        planned = Counter(labels(qid)[a[QIDS.index(qid)]] for _, a in ROOM_PLAN
                          if a[QIDS.index(qid)] is not None)
        assert Counter(back.loc[back["question"] == qid, "answer"]) == planned
    assert Counter(back["matches_npkit"]) == Counter(
        "" if m is None else str(m) for *_, m in expected)
    # Nicknames only when asked for.
    assert "Owl" not in text and "Fox" not in text
    named = pd.read_csv(io.StringIO(to_csv(results_frame(
        ws, reported.code, reported.secret, CASE, with_nicknames=True))), dtype=str)
    assert set(named["participant"]) == {"Owl", "Fox", "'=cmd|' /C calc'!A0", "Hen", "Cat",
                                         "Elk"}


def test_csv_cells_cannot_start_a_formula(ws, reported):
    for with_nicknames in (False, True):
        text = to_csv(results_frame(ws, reported.code, reported.secret, CASE, with_nicknames))
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    back = pd.read_csv(io.StringIO(text), dtype=str)
    why = set(back.loc[back["question"] == "why", "answer"])
    assert why == {"He was deceived.", "'=HYPERLINK(\"http://x\",\"y\")", "'+1+2", "'-3+4",
                   "'@SUM(A1:A9)", "<script>alert('owned')</script>"}


class Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.text = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def test_summary_html_escapes_trainee_text_and_gives_npkits_answer_to_each_question(
        ws, reported):
    page = summary_html(ws, reported.code, reported.secret, CASE)
    parsed = Tags()
    parsed.feed(page)
    tags = {t for t, _ in parsed.tags}
    assert tags <= {"html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "em",
                    "strong", "table", "tr", "th", "td", "ul", "li", "cite"}, tags
    assert not any(name.startswith("on") or name in ("href", "src")
                   for _, attrs in parsed.tags for name, _ in attrs)
    assert "<script" not in page.lower() and "<b>" not in page
    text = "".join(parsed.text)
    # The hostile text is there, as text.
    assert "<script>alert('owned')</script>" in text
    assert "Cohort <script>alert('title')</script>" in text
    assert "&lt;script&gt;alert(" in page
    assert "not legal advice" in text
    assert f"{len(ROOM_PLAN)} participants" in text
    sections = re.findall(r"<h2>(.*?)</h2>(.*?)(?=<h2>|<p>Generated)", page, re.S)
    assert [html.unescape(h) for h, _ in sections] == [q.prompt for q in QS]
    for (_, body), q in zip(sections, QS, strict=True):
        answered = [a[QIDS.index(q.qid)] for _, a in ROOM_PLAN
                    if a[QIDS.index(q.qid)] is not None]
        assert f"<p>{len(answered)} answered.</p>" in body
        if q.kind == "free_text":
            items = [html.unescape(x) for x in re.findall(r"<li>(.*?)</li>", body, re.S)]
            assert items == answered and "npkit" not in body
            continue
        key = key_for(q.qid)
        said = re.findall(r"npkit(?:'|&#x27;|&#39;)s answer:</strong>(.*?)</p>", body, re.S)
        assert len(said) == 1
        answer, _, rests = said[0].partition(" <em>(rests on ")
        assert set(html.unescape(answer).strip().split("; ")) == {
            labels(q.qid)[v] for v in key.correct}
        # the caveats the engine says the answer rests on, in words, and only then
        assert html.unescape(rests.removesuffix(")</em>")) == key.rests_on
        assert key.why and all(r.text in html.unescape(body) for r in key.why)
        table = dict(re.findall(r"<tr><td>(.*?)</td><td>(\d+)</td></tr>", body))
        planned = Counter(v for a in answered for v in (a if isinstance(a, list) else [a]))
        assert {html.unescape(k): int(n) for k, n in table.items()} == {
            labels(q.qid)[v]: planned[v] for v in q.values}


def test_summary_markdown_has_the_disclaimer_and_escapes_markup(ws, reported):
    page = summary_markdown(ws, reported.code, reported.secret, CASE)
    assert "not legal advice" in page
    assert "<script>" not in page
    assert f"{len(ROOM_PLAN)} participants" in page


# --- countdowns --------------------------------------------------------------------------------


class Clock:
    """A clock the test moves by hand (no test waits for real time)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def test_a_countdown_closes_the_question_in_the_store_when_it_ends(store, db_url):
    clock = Clock()
    ws = Workshop(store, clock=clock)
    room = ws.create("john", QS)
    seat = ws.join(room.code, "Owl")
    ws.set_timer(room.code, room.secret, "duress-ew", 30)
    q = ws.session(room.code).question("duress-ew")
    assert q.timed and not q.locked and q.seconds_left(clock.now) == 30
    clock.advance(29.5)
    assert ws.session(room.code).question("duress-ew").seconds_left(clock.now) == 1
    ws.answer(room.code, seat.token, "duress-ew", "fails")  # in time
    clock.advance(0.5)
    q = ws.session(room.code).question("duress-ew")
    assert q.locked and not q.timed and q.seconds_left(clock.now) == 0
    before = snapshot(db_url)
    # Another kernel with its own clock at the same time: the end is in the store.
    with Store.open(db_url) as elsewhere:
        with pytest.raises(Locked, match="Time is up"):
            Workshop(elsewhere, clock=clock).answer(room.code, seat.token, "duress-ew",
                                                    "succeeds")
    assert snapshot(db_url) == before
    assert ws.tally(room.code, room.secret, "duress-ew").counts == {"succeeds": 0, "fails": 1}
    assert not ws.session(room.code).question("causation").locked  # only that question


def test_a_countdown_can_be_restarted_stopped_or_overridden_by_the_lock(store):
    clock = Clock()
    ws = Workshop(store, clock=clock)
    room = ws.create("john", QS)
    seat = ws.join(room.code, "Owl")
    ws.set_timer(room.code, room.secret, "duress-ew", 5)
    clock.advance(10)
    assert ws.session(room.code).question("duress-ew").locked
    ws.set_timer(room.code, room.secret, "duress-ew", 60)  # more time: open again
    ws.answer(room.code, seat.token, "duress-ew", "fails")
    ws.set_timer(room.code, room.secret, "duress-ew", None)  # stopped: open, no end
    clock.advance(3600)
    q = ws.session(room.code).question("duress-ew")
    assert not q.locked and q.closes_at is None
    ws.set_timer(room.code, room.secret, "duress-ew", 60)
    ws.lock(room.code, room.secret, "duress-ew")  # locking by hand ends the countdown
    assert ws.session(room.code).question("duress-ew").closes_at is None
    ws.lock(room.code, room.secret, "duress-ew", False)
    clock.advance(120)
    assert not ws.session(room.code).question("duress-ew").locked  # no old end comes back


@pytest.mark.parametrize("seconds", [0, 4, 3601, -1, 2.5, "30", True])
def test_a_countdown_outside_its_limits_or_not_a_whole_number_is_refused(ws, room, seconds):
    with pytest.raises(WorkshopError, match="5 to 3600 seconds"):
        ws.set_timer(room.code, room.secret, "duress-ew", seconds)
    assert ws.session(room.code).question("duress-ew").closes_at is None


def test_only_the_trainer_sets_a_countdown(ws, room):
    with pytest.raises(Forbidden):
        ws.set_timer(room.code, "not-the-secret", "duress-ew", 30)
    with pytest.raises(NotFound):
        ws.set_timer(room.code, room.secret, "no-such-question", 30)


# --- a mistyped code ---------------------------------------------------------------------------


def test_suggest_names_the_session_a_mistyped_code_means(ws, room):
    typo = room.code[:5] + "0"  # a trainee reads the last character as a zero
    expected = room.code if room.code[5] in "QD" else None
    assert ws.suggest(typo) == expected
    assert ws.suggest(room.code) is None  # nothing to correct
    assert ws.suggest("K7M2Q") is None


def test_suggest_finds_a_session_whose_code_has_lookalikes(store):
    ws = Workshop(store)
    room = ws.create("john", QS)
    while "Q" not in room.code:  # a code with a Q, so that an O typed for it can be corrected
        ws.delete(room.code, room.secret)
        room = ws.create("john", QS)
    typo = room.code.replace("Q", "O")
    assert ws.suggest(typo.lower()) == room.code
