"""The learner store: created on first use, upserts, strict input limits, safe across processes."""

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from npkit.store import learners as store_module
from npkit.store.learners import (
    DEFAULT_PATH,
    MAX_VALUE_BYTES,
    SQLITE,
    Store,
    StoreError,
    clean_nickname,
    store_path,
)

ROOT = Path(__file__).resolve().parents[1]
CODE = "amber-otter-42"
LATEST = len(SQLITE.migrations)


@pytest.fixture
def db(tmp_path):
    with Store.open(tmp_path / "learners.sqlite") as s:
        yield s


def rows(path, sql):
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# --- opening ---------------------------------------------------------------------------------


def test_created_on_first_use_with_its_folder_wal_and_schema_version(tmp_path):
    path = tmp_path / "a" / "b" / "learners.sqlite"
    assert not path.parent.exists()
    with Store.open(path) as s:
        assert path.exists() and s.version == LATEST == 4
    assert rows(path, "PRAGMA journal_mode") == [("wal",)]
    tables = {name for (name,) in rows(path, "SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"schema_version", "learners", "answers", "visits"} <= tables
    assert rows(path, "SELECT version FROM schema_version") == [(1,), (2,), (3,), (4,)]


def test_reopening_applies_no_migration_twice(tmp_path):
    path = tmp_path / "s.sqlite"
    Store.open(path).close()
    with Store.open(path) as s:
        s.save(CODE, 1, "x", 1)
    with Store.open(path) as s:
        assert s.version == LATEST and s.load(CODE, 1) == {"x": 1}
    assert rows(path, "SELECT COUNT(*) FROM schema_version") == [(LATEST,)]


def test_a_new_migration_is_applied_to_an_existing_store(tmp_path, monkeypatch):
    path = tmp_path / "s.sqlite"
    with Store.open(path) as s:
        s.save(CODE, 1, "x", 1)
    extended = store_module.Dialect(
        "sqlite", SQLITE.migrations + (("CREATE TABLE sessions (id TEXT PRIMARY KEY)",),),
        SQLITE.queries)
    monkeypatch.setattr(store_module, "SQLITE", extended)
    with Store.open(path) as s:
        assert s.version == LATEST + 1 and s.load(CODE, 1) == {"x": 1}
    assert ("sessions",) in rows(path, "SELECT name FROM sqlite_master")


def test_a_store_from_a_newer_npkit_is_refused(tmp_path):
    path = tmp_path / "s.sqlite"
    Store.open(path).close()
    con = sqlite3.connect(path)
    con.execute("INSERT INTO schema_version VALUES (99, 'later')")
    con.commit()
    con.close()
    with pytest.raises(StoreError, match="newer npkit"):
        Store.open(path)


def test_location_is_the_environment_variable_or_the_build_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("NPKIT_STORE", raising=False)
    assert store_path() == DEFAULT_PATH == ROOT / "build" / "npkit-learners.sqlite"
    monkeypatch.setenv("NPKIT_STORE", str(tmp_path / "env.sqlite"))
    with Store.open() as s:
        assert s.path == tmp_path / "env.sqlite"
    assert (tmp_path / "env.sqlite").exists()


def test_an_unusable_location_is_a_readable_store_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="cannot be opened"):
        Store.open(blocker / "learners.sqlite")
    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not a database, " * 100)
    with pytest.raises(StoreError):
        Store.open(garbage)


def test_a_lock_held_too_long_is_a_store_error_not_a_hang(tmp_path, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 200)
    path = tmp_path / "s.sqlite"
    with Store.open(path) as s:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
        try:
            # SQLite waits the store's busy timeout, then gives up: never an endless wait
            assert s._db.execute("PRAGMA busy_timeout").fetchone() == (200,)
            with pytest.raises(StoreError, match="busy"):
                s.save(CODE, 1, "x", 1)
        finally:
            holder.execute("ROLLBACK")
            holder.close()
        s.save(CODE, 1, "x", 1)  # the lock is gone: saving works again
        assert s.load(CODE, 1) == {"x": 1}


# --- learners and answers -------------------------------------------------------------------


def test_learner_is_got_or_created_and_a_new_nickname_replaces_the_old(db):
    first = db.learner(CODE, "Amber")
    assert (first.code, first.nickname) == (CODE, "Amber") and first.created_at
    assert db.learner(CODE) == first  # no nickname given: keep the stored one
    renamed = db.learner(CODE, "Amber O.")
    assert renamed.nickname == "Amber O." and renamed.created_at == first.created_at
    assert db.get_learner("nobody-here") is None


def test_nickname_loses_control_characters(db):
    assert db.learner(CODE, "Am\x00ber\u202e\n  O.\t").nickname == "Amber O."
    assert clean_nickname("   ") is None and clean_nickname(None) is None
    assert clean_nickname("<b>Amber</b>") == "<b>Amber</b>"  # stored as typed, escaped on show


def test_save_and_load_round_trip_and_saving_again_replaces(db):
    db.save(CODE, 1, "tagger", {"case": "jane", "tags": {"0": ["act.recruitment"]}})
    db.save(CODE, 1, "victim-john", {"choice": "victim"})
    db.save(CODE, 1, "victim-john", {"choice": "not_victim"})
    assert db.load(CODE, 1) == {
        "tagger": {"case": "jane", "tags": {"0": ["act.recruitment"]}},
        "victim-john": {"choice": "not_victim"},
    }
    assert db.count_answers() == 2
    assert db.get_learner(CODE) is not None  # saving creates the learner


def test_module_number_is_part_of_the_key(db):
    db.save(CODE, 1, "quiz", "one")
    db.save(CODE, 7, "quiz", "seven")
    assert db.load(CODE, 1) == {"quiz": "one"} and db.load(CODE, 7) == {"quiz": "seven"}
    assert db.load(CODE, 2) == {} and db.load("someone-else", 1) == {}


def test_forget_deletes_the_learner_and_only_their_answers(db):
    db.learner(CODE, "Amber")
    db.save(CODE, 1, "a", 1)
    db.save(CODE, 2, "b", 2)
    db.save("other-learner", 1, "a", 3)
    assert db.forget(CODE) == 2
    assert db.get_learner(CODE) is None and db.load(CODE, 1) == {} and db.load(CODE, 2) == {}
    assert db.load("other-learner", 1) == {"a": 3}
    assert db.forget(CODE) == 0


def test_sql_in_an_item_or_value_is_stored_as_plain_text(db):
    evil = "x'); DROP TABLE answers; --"
    db.save(CODE, 1, evil, evil)
    assert db.load(CODE, 1) == {evil: evil} and db.count_answers() == 1


def test_a_damaged_row_is_skipped_not_fatal(tmp_path):
    path = tmp_path / "s.sqlite"
    with Store.open(path) as s:
        s.save(CODE, 1, "good", 1)
        s.save(CODE, 1, "bad", 2)
    con = sqlite3.connect(path)
    con.execute("UPDATE answers SET value = '{not json' WHERE item = 'bad'")
    con.commit()
    con.close()
    with Store.open(path) as s:
        assert s.load(CODE, 1) == {"good": 1}


# --- input limits: rejected with ValueError, never stored -------------------------------------


@pytest.mark.parametrize("code", [
    "", "abc", "-abc", "Amber-otter", "amber otter", "amber_otter", "ambér-otter",
    "a" * 41, "amber-otter\n", "../etc/passwd", None, 42, ["amber-otter"],
])
def test_bad_codes_are_rejected(db, code):
    with pytest.raises(ValueError):
        db.learner(code)
    with pytest.raises(ValueError):
        db.save(code, 1, "x", 1)
    with pytest.raises(ValueError):
        db.load(code, 1)
    with pytest.raises(ValueError):
        db.forget(code)
    assert db.count_answers() == 0


def test_good_codes_are_accepted(db):
    for code in ("abcd", "0000", "a" * 40, "amber-otter-42", "x---"):
        db.save(code, 0, "x", 1)
    assert db.count_answers() == 5


@pytest.mark.parametrize("module,item,value", [
    (True, "x", 1), (-1, "x", 1), (1000, "x", 1), ("1", "x", 1), (1.0, "x", 1),
    (1, "", 1), (1, "x" * 101, 1), (1, "a\nb", 1), (1, "a\x00b", 1), (1, 7, 1),
    (1, "x", {1, 2}), (1, "x", float("nan")), (1, "x", float("inf")), (1, "x", object()),
    (1, "x", b"bytes"), (1, "x", "é" * (MAX_VALUE_BYTES // 2 + 1)),
    (1, "x", {"list": list(range(MAX_VALUE_BYTES))}),
])
def test_bad_answers_are_rejected_and_nothing_is_stored(db, module, item, value):
    with pytest.raises(ValueError):
        db.save(CODE, module, item, value)
    assert db.count_answers() == 0 and db.get_learner(CODE) is None


def test_nickname_limits(db):
    assert db.learner(CODE, "n" * 40).nickname == "n" * 40
    assert db.learner(CODE, "n" * 40 + "\x00\x01").nickname == "n" * 40
    with pytest.raises(ValueError):
        db.learner(CODE, "n" * 41)
    with pytest.raises(ValueError):
        db.learner(CODE, 42)
    assert db.get_learner(CODE).nickname == "n" * 40


def test_the_largest_answer_allowed_is_stored(db):
    value = "x" * (MAX_VALUE_BYTES - 2)  # two quotes make it exactly the limit
    db.save(CODE, 1, "big", value)
    assert db.load(CODE, 1) == {"big": value}


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=JSON, item=st.text(min_size=1, max_size=100).filter(
    lambda s: all(ch.isprintable() or ch == " " for ch in s)))
def test_any_json_value_round_trips(db, value, item):
    try:
        db.save(CODE, 3, item, value)
    except ValueError:
        return  # e.g. a format character in the item: refused, fine
    assert db.load(CODE, 3)[item] == json.loads(json.dumps(value))


# --- several processes at once ------------------------------------------------------------------

WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from npkit.store.learners import Store
    path, n, answers, gate = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])
    (gate / f"ready-{n}").touch()
    while not (gate / "go").exists():  # start together: every process opens the new file
        time.sleep(0.001)              # at once, racing the first migration
    s = Store.open(path)
    code = f"proc-{n:02d}"
    s.learner(code, f"Process {n}")
    for i in range(answers):
        s.save(code, i % 8, f"item-{i}", {"n": n, "i": i})
        s.save("shared-learner", 1, f"shared-{i % 5}", {"n": n, "i": i})  # everyone, same keys
    s.close()
""")


def test_several_processes_writing_at_once_store_every_answer_exactly_once(tmp_path):
    processes, answers = 8, 250
    path = tmp_path / "shared" / "learners.sqlite"
    gate = tmp_path / "gate"
    gate.mkdir()
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(path), str(n), str(answers),
                               str(gate)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
             for n in range(processes)]
    deadline = time.monotonic() + 60
    while len(list(gate.glob("ready-*"))) < processes and time.monotonic() < deadline:
        time.sleep(0.01)
    start = time.monotonic()
    (gate / "go").touch()
    errors = [p.communicate(timeout=120)[1] for p in procs]
    elapsed = time.monotonic() - start
    assert [p.returncode for p in procs] == [0] * processes, errors
    with Store.open(path) as s:
        assert s.count_answers() == processes * answers + 5
        for n in range(processes):
            code = f"proc-{n:02d}"
            saved = {}
            for module in range(8):
                saved.update(s.load(code, module))
            assert saved == {f"item-{i}": {"n": n, "i": i} for i in range(answers)}
            assert s.get_learner(code).nickname == f"Process {n}"
        shared = s.load("shared-learner", 1)
        assert sorted(shared) == [f"shared-{k}" for k in range(5)]
        assert all(v["i"] % 5 == int(k[-1]) for k, v in shared.items())
        assert s.version == len(SQLITE.migrations)
    dup = rows(path, "SELECT learner, module, item, COUNT(*) FROM answers "
                     "GROUP BY learner, module, item HAVING COUNT(*) > 1")
    assert dup == []
    writes = processes * answers * 2
    print(f"\n{processes} processes, {writes} writes ({processes * answers + 5} distinct "
          f"answers) in {elapsed:.2f} s")


# --- issued codes, visits and progress (issue 14) --------------------------------------------


def test_issue_makes_a_new_learner_under_a_fresh_code_of_the_issued_form(db):
    from npkit.store import codes

    made = [db.issue("Amber"), db.issue(), db.issue("  Bo \x00")]
    assert len({m.code for m in made}) == 3
    for m in made:
        assert codes.check(m.code) == m.code
        assert m.code.rsplit("-", 1)[1].isdigit() and len(m.code.rsplit("-", 1)[1]) == 4
        assert db.get_learner(m.code) == m and db.is_known(m.code)
    assert [m.nickname for m in made] == ["Amber", None, "Bo"]
    assert db.count_answers() == 0


def test_issue_never_hands_out_a_code_already_taken(db):
    db.learner("amber-otter-4271", "First")
    draws = iter(["amber-otter-4271", "amber-otter-4271", "brave-heron-1234"])
    made = db.issue("Second", draw=lambda: next(draws))
    assert made.code == "brave-heron-1234"
    assert db.get_learner("amber-otter-4271").nickname == "First"  # untouched
    with pytest.raises(StoreError, match="No free learner code"):
        db.issue(draw=lambda: "amber-otter-4271")


def test_a_visit_under_an_unknown_code_creates_nobody(db):
    assert db.visit("green-seal-694", 1, "Mallory") is None
    assert not db.is_known("green-seal-694")
    assert rows(db.path, "SELECT COUNT(*) FROM learners") == [(0,)]
    assert rows(db.path, "SELECT COUNT(*) FROM visits") == [(0,)]
    assert db.progress("green-seal-694") is None


def test_a_visit_is_recorded_and_a_nickname_given_replaces_the_old(db):
    me = db.issue("Amber")
    assert db.visit(me.code, 3).nickname == "Amber"  # no nickname given: kept
    assert db.visit(me.code, 3, "Amber O.").nickname == "Amber O."
    first = db.progress(me.code).modules[3].opened_at
    db.visit(me.code, 3)
    again = db.progress(me.code).modules[3]
    assert again.opened_at >= first and again.answers == 0 and again.answered_at is None
    assert again.last == again.opened_at
    assert rows(db.path, "SELECT COUNT(*) FROM visits") == [(1,)]  # one row per module


def test_progress_counts_answers_and_visits_per_module_and_finds_the_latest(db, monkeypatch):
    ticks = iter(range(10_000))  # a clock that always moves on, however fast the calls come
    monkeypatch.setattr(store_module, "_now", lambda: f"2026-12-04T10:00:{next(ticks):05d}")
    me, other = db.issue(), db.issue()
    db.visit(me.code, 0)
    db.visit(me.code, 2)
    db.save(me.code, 2, "duress", {"a": 1})
    db.save(me.code, 2, "duress", {"a": 2})  # replaced: still one answer
    db.save(me.code, 5, "scenario", {})
    db.save(me.code, 5, "notes", {})
    db.save(other.code, 7, "quiz", {})
    progress = db.progress(me.code)
    assert progress.learner == db.get_learner(me.code)
    assert {n: (m.answers, bool(m.opened_at)) for n, m in progress.modules.items()} == {
        0: (0, True), 2: (1, True), 5: (2, False)}
    assert progress.latest.module == 5
    db.visit(me.code, 1)
    assert db.progress(me.code).latest.module == 1
    assert set(db.progress(other.code).modules) == {7}  # nobody else's rows


def test_a_new_learner_has_no_progress_and_forget_removes_the_visits(db):
    me = db.issue()
    assert db.progress(me.code).modules == {} and db.progress(me.code).latest is None
    db.visit(me.code, 1)
    db.save(me.code, 1, "x", 1)
    assert db.forget(me.code) == 1
    assert rows(db.path, "SELECT COUNT(*) FROM visits") == [(0,)]
    assert db.progress(me.code) is None


@pytest.mark.parametrize("code", ["", "abc", "Amber-otter", "amber otter", None, 42])
def test_visit_and_progress_refuse_what_is_no_code_at_all(db, code):
    with pytest.raises(ValueError):
        db.visit(code, 1)
    with pytest.raises(ValueError):
        db.progress(code)
