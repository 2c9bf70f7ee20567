"""Helpers for the workshop and store tests that run on both backends (the ``db_url`` fixture
gives a SQLite path or a ``postgresql://`` URL).

No pytest here: :func:`trainee` and :func:`open_and_write` run in child processes started by
multiprocessing's forkserver, which imports this module (and nothing of the test suite) once.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.forkserver
import os
import sqlite3
import threading
import time
import traceback
from pathlib import Path

from npkit.casefile.library import get_case
from npkit.store import learners as store_module
from npkit.store.learners import Store
from npkit.store.workshop import PollQuestion, Workshop

HERE = Path(__file__).resolve().parent
WORKSHOP_TABLES = ("workshop_sessions", "workshop_questions", "workshop_participants",
                   "workshop_answers")
# The column naming the session in each workshop table.
SESSION_COLUMN = {"workshop_sessions": "code", "workshop_questions": "session",
                  "workshop_participants": "session", "workshop_answers": "session"}


def is_pg(db_url: str) -> bool:
    return db_url.startswith("postgresql://")


def query(db_url: str, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows of ``sql`` (``?`` placeholders) on a connection of its own, bypassing npkit."""
    if is_pg(db_url):
        import psycopg

        with psycopg.connect(db_url, autocommit=True) as con:
            cur = con.execute(sql.replace("?", "%s"), params)
            return [tuple(r) for r in cur.fetchall()] if cur.description else []
    con = sqlite3.connect(db_url)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def execute_script(db_url: str, statements: list[tuple[str, tuple]]) -> None:
    """Run ``(sql, params)`` pairs in one transaction, bypassing npkit."""
    if is_pg(db_url):
        import psycopg

        with psycopg.connect(db_url) as con:  # commits on leaving the block
            for sql, params in statements:
                con.execute(sql.replace("?", "%s"), params)
        return
    con = sqlite3.connect(db_url)
    try:
        with con:
            for sql, params in statements:
                con.execute(sql, params)
    finally:
        con.close()


def count(db_url: str, table: str, session: str | None = None) -> int:
    assert table in WORKSHOP_TABLES  # never built from anything but these names
    if session is None:
        return query(db_url, f"SELECT COUNT(*) FROM {table}")[0][0]
    return query(db_url, f"SELECT COUNT(*) FROM {table} WHERE {SESSION_COLUMN[table]} = ?",
                 (session,))[0][0]


def counts(db_url: str, session: str | None = None) -> dict[str, int]:
    return {t: count(db_url, t, session) for t in WORKSHOP_TABLES}


def snapshot(db_url: str) -> dict[str, list[tuple]]:
    """Every row of every workshop table, sorted: equal snapshots mean nothing changed."""
    return {t: sorted(query(db_url, f"SELECT * FROM {t}"), key=repr) for t in WORKSHOP_TABLES}


def john_questions() -> tuple[PollQuestion, ...]:
    from npkit.store.workshop.polls import poll_questions

    return poll_questions(get_case("john"))


def free_text_questions(n: int, prompt: str = "Question {n}") -> tuple[PollQuestion, ...]:
    return tuple(PollQuestion(f"q{k:02d}", prompt.format(n=k), "free_text") for k in range(n))


# --- processes at once ----------------------------------------------------------------


def forkserver():
    """multiprocessing's forkserver, with npkit, psycopg and this folder's helpers imported
    once by the server: every child is a fork of it, so none pays for the imports (psycopg
    is safe there, the server never connects). Python 3.11's server ignores the parent's
    sys.path, so it finds this folder through PYTHONPATH; and it imports pytest because each
    child re-runs the parent's main script (here pytest's) before its target."""
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["pytest", "workshop_support", "psycopg"])
    old = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE), old]))
    try:
        multiprocessing.forkserver.ensure_running()  # no-op once this process started it
    finally:
        if old is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = old
    return ctx


def run_processes(target, args_for, n: int, timeout: float = 120) -> float:
    """Start ``n`` processes of ``target(*args_for(i), barrier, results)``, release them
    together, and return the seconds from the release until the last one reported.
    Fails with the children's tracebacks if any failed."""
    ctx = forkserver()
    barrier, results = ctx.Barrier(n + 1), ctx.Queue()
    procs = [ctx.Process(target=target, args=(*args_for(i), barrier, results), daemon=True)
             for i in range(n)]
    try:
        for p in procs:
            p.start()
        try:
            barrier.wait(timeout=timeout)  # every child has connected and waits here too
        except threading.BrokenBarrierError:
            pass  # a child failed before the start and broke it: the reports say why
        start = time.monotonic()
        wait = timeout + CHILD_BUSY_TIMEOUT_MS / 1000
        reports = dict(results.get(timeout=wait) for _ in range(n))
        elapsed = time.monotonic() - start
        for p in procs:
            p.join(timeout=wait)
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
    failed = {i: tb for i, tb in reports.items() if tb}
    first = {i: tb for i, tb in failed.items() if "BrokenBarrierError" not in tb} or failed
    assert not failed, f"{len(failed)} of {n} children failed, e.g.\n" + "\n".join(
        f"child {i}:\n{tb}" for i, tb in sorted(first.items())[:3])
    assert sorted(reports) == list(range(n))
    assert [p.exitcode for p in procs] == [0] * n
    return elapsed


# A child waits this long for a lock (the store's default is 15 s): on a slow shared disk a
# lock holder's commit can take seconds, and that must not pass for a failure. A real race
# shows as a wrong row or an integrity error, never as a wait.
CHILD_BUSY_TIMEOUT_MS = 120_000


# --- the 50 trainees of tests/test_workshop_reliability.py --------------------------------

ROUNDS = 4  # every trainee answers every question, then changes each answer ROUNDS - 1 times


def planned_answer(question: PollQuestion, trainee: int, rnd: int) -> object:
    """What trainee ``trainee`` sends to ``question`` in round ``rnd``: differs between
    rounds and between neighbours, so a lost or stale write shows."""
    values = [v for _, v in question.choices]
    if question.kind == "outcome":
        return values[(trainee + rnd) % len(values)]
    if question.kind == "which":
        return sorted({values[(trainee + rnd) % len(values)],
                       values[(trainee * 3 + rnd * 5) % len(values)]})
    return f"trainee {trainee} says, round {rnd}: <b>&amp;</b>"


def learner_code(trainee: int) -> str:
    return f"trainee-{trainee:02d}"


def trainee(db_url: str, code: str, n: int, questions: tuple[PollQuestion, ...], barrier,
            results) -> None:
    """One trainee in a process of its own: connect, wait for everyone, join, answer every
    question, change every answer ROUNDS - 1 times. Reports ``(n, None)`` or a traceback."""
    store_module.BUSY_TIMEOUT_MS = CHILD_BUSY_TIMEOUT_MS
    try:
        with Store.open(db_url) as store:
            ws = Workshop(store)
            barrier.wait(timeout=120)
            seat = ws.join(code, f"Trainee {n}", learner=learner_code(n))
            for rnd in range(ROUNDS):
                for q in questions:
                    ws.answer(code, seat.token, q.qid, planned_answer(q, n, rnd))
        results.put((n, None))
    except BaseException:
        barrier.abort()  # the others, and the parent, stop waiting for this one
        results.put((n, traceback.format_exc()))


def open_and_write(db_url: str, n: int, barrier, results) -> None:
    """Open a (fresh) store at the same moment as the other processes, then use it."""
    store_module.BUSY_TIMEOUT_MS = CHILD_BUSY_TIMEOUT_MS
    try:
        barrier.wait(timeout=120)
        with Store.open(db_url) as store:
            store.save(f"opener-{n:02d}", 1, "opened", n)
        results.put((n, None))
    except BaseException:
        barrier.abort()  # the others, and the parent, stop waiting for this one
        results.put((n, traceback.format_exc()))
