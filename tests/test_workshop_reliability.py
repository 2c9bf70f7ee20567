"""A room of trainees at once, and a process killed mid-write, on SQLite and PostgreSQL
(``db_url``).

Fifty trainees answer from fifty processes (multiprocessing's forkserver: each child is a fork
of a clean server process that has imported npkit and psycopg once, and opens its own
connection). A child killed with SIGKILL while writing leaves a store that opens, holds every
answer it acknowledged, and never half a session.
"""

import json
import os
import queue
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from collections import Counter
from pathlib import Path

import pytest
import workshop_support as support
from workshop_support import (
    ROUNDS,
    WORKSHOP_TABLES,
    count,
    counts,
    free_text_questions,
    is_pg,
    john_questions,
    learner_code,
    planned_answer,
    query,
    run_processes,
)

from npkit.store.learners import Store
from npkit.store.workshop import Workshop

ROOT = Path(__file__).resolve().parents[1]
TRAINEES = 50


# --- fifty trainees at once ------------------------------------------------------------------


def test_fifty_trainees_answering_at_once_from_fifty_processes(db_url, request):
    questions = john_questions()
    with Store.open(db_url) as store:
        new = Workshop(store).create("john", questions)
    wall = time.monotonic()
    elapsed = run_processes(support.trainee,
                            lambda n: (db_url, new.code, n, questions), TRAINEES)
    wall = time.monotonic() - wall
    writes = TRAINEES * (1 + ROUNDS * len(questions))
    backend = request.node.callspec.params["db_url"]
    print(f"\n{backend}: {TRAINEES} processes, {writes} writes in {elapsed:.2f} s after the "
          f"barrier ({wall:.2f} s with process start-up)")

    # One row per (participant, question), read from the table itself.
    assert query(db_url, "SELECT participant, qid, COUNT(*) FROM workshop_answers "
                         "GROUP BY participant, qid HAVING COUNT(*) > 1") == []
    assert count(db_url, "workshop_answers", new.code) == TRAINEES * len(questions)
    seats = query(db_url, "SELECT seat, learner FROM workshop_participants WHERE session = ?",
                  (new.code,))
    assert sorted(s for s, _ in seats) == list(range(1, TRAINEES + 1))
    assert sorted(learner for _, learner in seats) == [learner_code(n) for n in range(TRAINEES)]
    # Each trainee's stored answer is the last one they sent.
    by_learner = {n: learner_code(n) for n in range(TRAINEES)}
    rows = query(db_url, "SELECT p.learner, a.qid, a.value FROM workshop_answers a "
                         "JOIN workshop_participants p "
                         "ON p.session = a.session AND p.token = a.participant "
                         "WHERE a.session = ?", (new.code,))
    stored = {(learner, qid): json.loads(value) for learner, qid, value in rows}
    assert stored == {(by_learner[n], q.qid): planned_answer(q, n, ROUNDS - 1)
                      for n in range(TRAINEES) for q in questions}
    # The trainer's view agrees.
    with Store.open(db_url) as store:
        ws = Workshop(store)
        assert ws.participants(new.code, new.secret) == TRAINEES
        for q in questions:
            tally = ws.tally(new.code, new.secret, q.qid)
            finals = [planned_answer(q, n, ROUNDS - 1) for n in range(TRAINEES)]
            assert tally.respondents == TRAINEES
            if q.kind == "free_text":
                assert sorted(tally.texts) == sorted(finals)
                continue
            chosen = Counter(v for f in finals for v in (f if isinstance(f, list) else [f]))
            assert tally.counts == {v: chosen[v] for v in q.values}
            if q.kind == "outcome":
                assert sum(tally.counts.values()) == TRAINEES


# --- SIGKILL mid-write -------------------------------------------------------------------------

# Prepended to every child script. With NPKIT_TEST_PAUSE="statement:n" the child stops inside
# the transaction that runs the named statement for the n-th time, right after it ran and
# before COMMIT, says so, and waits on stdin, which never answers: the parent's SIGKILL is
# certain to land mid-transaction. Only the child's copy of npkit is patched.
# A child says each line with say(): one write(2), so a SIGKILL never tears a line. print()
# writes word by word when stdout is unbuffered (PYTHONUNBUFFERED=1, set on some machines), and
# a kill between two words left the parent reading a lone "ack".
PAUSE_HOOK = textwrap.dedent("""
    import os, sys
    def say(*words):
        os.write(1, (" ".join(map(str, words)) + "\\n").encode())
    from npkit.store import learners as _store
    _at, _, _n = os.environ.get("NPKIT_TEST_PAUSE", "").partition(":")
    _seen = [0]
    _run = _store.Transaction.run
    def _pausing_run(self, name, params):
        changed = _run(self, name, params)
        if name == _at:
            _seen[0] += 1
            if _seen[0] == int(_n):
                say("paused", params.get("code"))
                sys.stdin.readline()
        return changed
    _store.Transaction.run = _pausing_run
""")

ANSWERING = PAUSE_HOOK + textwrap.dedent("""
    from npkit.store.learners import Store
    from npkit.store.workshop import Workshop
    url, code, qids, start = sys.argv[1], sys.argv[2], sys.argv[3].split(","), int(sys.argv[4])
    ws = Workshop(Store.open(url))
    seat = ws.join(code, "Writer", learner="writer-0001")
    say("joined", seat.seat)
    i = start
    while True:  # until killed
        qid = qids[i % len(qids)]
        ws.answer(code, seat.token, qid, str(i))
        say("ack", qid, i)  # only once the answer is committed
        i += 1
""")

CREATING = PAUSE_HOOK + textwrap.dedent("""
    from npkit.store.learners import Store
    from npkit.store.workshop import PollQuestion, Workshop
    ws = Workshop(Store.open(sys.argv[1]))
    questions = [PollQuestion(f"q{k:02d}", f"Question {k}: " + "p" * 280, "free_text")
                 for k in range(50)]
    while True:
        say("created", ws.create("john", questions).code)
""")

DELETING = PAUSE_HOOK + textwrap.dedent("""
    import json
    from npkit.store.learners import Store
    from npkit.store.workshop import Workshop
    ws = Workshop(Store.open(sys.argv[1]))
    with open(sys.argv[2]) as f:
        for code, secret in json.load(f):
            ws.delete(code, secret)
            say("deleted", code)
    say("done")
""")


class Child:
    """A python -c child whose stdout lines arrive on a queue, so reading never hangs. Its
    stdin stays open and silent (see PAUSE_HOOK)."""

    def __init__(self, script: str, *args: str, pause: str = "") -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", script, *args], cwd=ROOT, text=True,
            env=os.environ | {"NPKIT_TEST_PAUSE": pause},
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.lines: queue.Queue = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.split())
        self.lines.put(None)

    def read(self, timeout: float = 60) -> list[str]:
        try:
            line = self.lines.get(timeout=timeout)
        except queue.Empty:
            self.proc.kill()
            pytest.fail(f"the child said nothing for {timeout} s")
        if line is None:
            self.proc.wait()
            pytest.fail(f"the child ended (exit {self.proc.returncode}):\n"
                        f"{self.proc.stderr.read()}")
        return line

    def read_until(self, word: str, limit: int = 1000) -> tuple[list[list[str]], list[str]]:
        """The lines before the first that starts with ``word``, and that line."""
        before = []
        while (line := self.read())[0] != word:
            before.append(line)
            if len(before) > limit:  # e.g. the statement to pause in was renamed
                self.proc.kill()
                pytest.fail(f"no {word!r} in {limit} lines; the last: {before[-3:]}")
        return before, line

    def kill(self) -> list[list[str]]:
        """SIGKILL while it is still working; every line it printed before dying."""
        assert self.proc.poll() is None, "the child stopped by itself before the kill"
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        assert self.proc.returncode == -signal.SIGKILL
        rest = []
        while (line := self.lines.get(timeout=30)) is not None:
            rest.append(line)
        return rest

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stderr):
            pipe.close()


def assert_store_is_sound(db_url: str) -> None:
    """Opens, passes SQLite's own checks, and takes a write."""
    if not is_pg(db_url):
        con = sqlite3.connect(db_url)
        try:
            assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            con.close()
    with Store.open(db_url) as store:
        assert store.version == 3
        store.save("after-the-kill", 1, "x", 1)
        assert store.load("after-the-kill", 1) == {"x": 1}


def stored_counters(db_url: str, new, qids: list[str]) -> dict[str, int]:
    with Store.open(db_url) as store:
        ws = Workshop(store)
        assert ws.participants(new.code, new.secret) == 1
        out = {}
        for qid in qids:
            tally = ws.tally(new.code, new.secret, qid)
            assert tally.respondents == 1
            out[qid] = int(tally.texts[0])
    assert count(db_url, "workshop_answers") == len(qids)  # one row per question, still
    return out


def test_a_trainee_killed_mid_write_loses_no_acknowledged_answer(db_url, request):
    """Two kills wherever the writer happens to be after 200 acknowledgements, then one
    inside an answer's transaction: every acknowledged answer survives, and nothing the
    writer did not finish is half there."""
    questions = free_text_questions(4)
    qids = [q.qid for q in questions]
    with Store.open(db_url) as store:
        new = Workshop(store).create("john", questions)
    start = time.monotonic()
    for rnd in range(3):
        first = rnd * 1_000_000  # counters of a later round are all higher
        paused = rnd == 2
        child = Child(ANSWERING, db_url, new.code, ",".join(qids), str(first),
                      pause="ws_answer:201" if paused else "")
        try:
            assert child.read() == ["joined", "1"]  # the same seat after every restart
            if paused:
                acks, line = child.read_until("paused")
                assert len(acks) == 200 and line == ["paused", new.code]
            else:
                acks = [child.read() for _ in range(200)]
            acks += child.kill()
        finally:
            child.stop()
        assert all(a[0] == "ack" for a in acks), acks[-3:]
        last_acked = {qid: int(i) for _, qid, i in acks}  # later acks overwrite earlier ones
        top = max(last_acked.values())
        assert sorted(int(i) for *_, i in acks) == list(range(first, top + 1))

        assert_store_is_sound(db_url)
        stored = stored_counters(db_url, new, qids)
        # The acknowledged value, or, after a kill at a random moment, the one write after
        # the last ack (committed, then killed before it could say so); never an older value,
        # never one the writer did not send; never the paused, uncommitted one.
        in_flight = qids[(top + 1) % len(qids)]
        for qid in qids:
            allowed = {last_acked[qid]}
            if qid == in_flight and not paused:
                allowed.add(top + 1)
            assert stored[qid] in allowed, (rnd, qid, stored[qid], last_acked[qid], top)
    backend = request.node.callspec.params["db_url"]
    print(f"\n{backend}: three writers killed after 200+ acknowledged answers each, "
          f"{time.monotonic() - start:.2f} s")


def test_a_kill_inside_create_leaves_whole_sessions_and_none_of_the_killed_one(db_url):
    # Paused after the 25th question of the fourth session.
    child = Child(CREATING, db_url, pause=f"ws_add_question:{3 * 50 + 25}")
    try:
        acks, (_, paused_code) = child.read_until("paused")
        assert child.kill() == []
    finally:
        child.stop()
    created = [code for _, code in acks]
    assert len(created) == 3 and paused_code not in created
    assert_store_is_sound(db_url)
    assert sorted(c for (c,) in query(db_url, "SELECT code FROM workshop_sessions")) == \
        sorted(created)
    assert dict(query(db_url, "SELECT session, COUNT(*) FROM workshop_questions "
                              "GROUP BY session")) == dict.fromkeys(created, 50)
    assert counts(db_url, paused_code) == dict.fromkeys(WORKSHOP_TABLES, 0)


def test_a_kill_inside_delete_leaves_the_session_whole(db_url, tmp_path):
    questions = free_text_questions(50)
    made = []
    with Store.open(db_url) as store:
        ws = Workshop(store)
        for _ in range(6):
            new = ws.create("john", questions)
            for name in ("Owl", "Fox"):
                seat = ws.join(new.code, name)
                for q in questions[:5]:
                    ws.answer(new.code, seat.token, q.qid, f"{name} on {q.qid}")
            made.append(new)
    whole = {"workshop_sessions": 1, "workshop_questions": 50, "workshop_participants": 2,
             "workshop_answers": 10}
    assert all(counts(db_url, m.code) == whole for m in made)
    todo = tmp_path / "delete.json"
    todo.write_text(json.dumps([[m.code, m.secret] for m in made]))
    # Paused in the fourth delete, its answers and participants gone, its questions not yet.
    child = Child(DELETING, db_url, str(todo), pause="ws_delete_participants:4")
    try:
        acks, (_, paused_code) = child.read_until("paused")
        assert child.kill() == []
    finally:
        child.stop()
    codes = [m.code for m in made]
    assert [code for _, code in acks] == codes[:3] and paused_code == codes[3]
    assert_store_is_sound(db_url)
    for code in codes[:3]:
        assert counts(db_url, code) == dict.fromkeys(WORKSHOP_TABLES, 0), code
    for code in codes[3:]:
        assert counts(db_url, code) == whole, code
    with Store.open(db_url) as store:  # the survivor still works, and can still be deleted
        ws = Workshop(store)
        survivor = made[3]
        assert ws.tally(survivor.code, survivor.secret, "q00").respondents == 2
        assert ws.delete(survivor.code, survivor.secret) == 10
    assert counts(db_url, paused_code) == dict.fromkeys(WORKSHOP_TABLES, 0)
