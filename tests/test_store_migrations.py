"""Schema migrations on SQLite and PostgreSQL (``db_url``): a store made by issue 4 (schema 1)
opens in this npkit, is brought to the latest schema with its data intact, and takes workshop
sessions; two processes opening a fresh store at once migrate it once; a store from a newer
npkit is refused and left alone."""

import re

import pytest
from workshop_support import (
    WORKSHOP_TABLES,
    execute_script,
    is_pg,
    john_questions,
    open_and_write,
    query,
    run_processes,
)

from npkit.store import sql as store_sql
from npkit.store.learners import SQLITE, Store, StoreError
from npkit.store.workshop import Workshop

# Schema 1 as issue 4 released it (commit c4996f5, then npkit/store.py), copied, not imported:
# an old store on disk is what that code made, whatever store_sql says today.
ISSUE_4_TABLES = (
    """CREATE TABLE learners (
        code TEXT PRIMARY KEY,
        nickname TEXT,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE answers (
        learner TEXT NOT NULL REFERENCES learners(code) ON DELETE CASCADE,
        module INTEGER NOT NULL,
        item TEXT NOT NULL,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (learner, module, item)
    )""",
)
ISSUE_4_VERSIONS = """CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER PRIMARY KEY,
        applied_at TEXT NOT NULL
    )"""
V1_APPLIED = "2025-03-01T09:00:00.000+00:00"
LEARNERS = [("amber-otter-42", "Amber", "2025-03-01T09:01:00.000+00:00"),
            ("brown-fox-17", None, "2025-03-02T10:00:00.000+00:00")]
ANSWERS = [
    ("amber-otter-42", 1, "tagger", '{"case":"jane","tags":{"0":["act.recruitment"]}}',
     "2025-03-01T09:05:00.000+00:00"),
    ("amber-otter-42", 2, "quiz", '"b"', "2025-03-01T09:06:00.000+00:00"),
    ("brown-fox-17", 1, "victim-john", '{"choice":"victim"}', "2025-03-02T10:01:00.000+00:00"),
]
LATEST = len(store_sql.MIGRATIONS)


def make_v1_store(db_url: str, versions=((1, V1_APPLIED),)) -> None:
    """A store as issue 4's npkit left it: its two tables, schema_version, some learners."""
    execute_script(db_url, [
        *[(sql, ()) for sql in ISSUE_4_TABLES],
        (ISSUE_4_VERSIONS, ()),
        *[("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", v)
          for v in versions],
        *[("INSERT INTO learners (code, nickname, created_at) VALUES (?, ?, ?)", row)
          for row in LEARNERS],
        *[("INSERT INTO answers (learner, module, item, value, updated_at) "
           "VALUES (?, ?, ?, ?, ?)", row) for row in ANSWERS],
    ])


def tables(db_url: str) -> set[str]:
    if is_pg(db_url):
        sql = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
    else:
        sql = "SELECT name FROM sqlite_master WHERE type = 'table'"
    return {name for (name,) in query(db_url, sql)}


def old_rows(db_url: str):
    return (sorted(query(db_url, "SELECT code, nickname, created_at FROM learners")),
            sorted(query(db_url, "SELECT learner, module, item, value, updated_at "
                                 "FROM answers")))


def squash(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


def test_migration_1_is_the_schema_issue_4_released():
    """A released step is never edited: old stores were made by exactly this SQL."""
    assert [squash(s) for s in store_sql.MIGRATIONS[0]] == [squash(s) for s in ISSUE_4_TABLES]
    assert squash(store_sql.QUERIES["create_versions"]) == squash(ISSUE_4_VERSIONS)


def test_a_version_1_store_is_migrated_and_keeps_its_data(db_url):
    make_v1_store(db_url)
    before = old_rows(db_url)
    assert not tables(db_url) & set(WORKSHOP_TABLES)
    with Store.open(db_url) as store:
        assert store.version == LATEST == 4
    assert {*WORKSHOP_TABLES, "visits"} <= tables(db_url)
    versions = sorted(query(db_url, "SELECT version, applied_at FROM schema_version"))
    assert [v for v, _ in versions] == [1, 2, 3, 4] and versions[0] == (1, V1_APPLIED)
    assert old_rows(db_url) == before  # row for row, timestamps included

    with Store.open(db_url) as store:  # and the learners' answers read as before
        assert store.get_learner("amber-otter-42").nickname == "Amber"
        # A learner from before codes were issued is known: their progress reads too.
        assert store.progress("amber-otter-42").modules[2].answers == 1
        assert store.load("amber-otter-42", 1) == {
            "tagger": {"case": "jane", "tags": {"0": ["act.recruitment"]}}}
        assert store.load("amber-otter-42", 2) == {"quiz": "b"}
        assert store.load("brown-fox-17", 1) == {"victim-john": {"choice": "victim"}}
        store.save("amber-otter-42", 2, "quiz", "c")
        assert store.load("amber-otter-42", 2) == {"quiz": "c"}
        # The workshop works in the migrated store, beside the old data.
        ws = Workshop(store)
        new = ws.create("john", john_questions())
        seat = ws.join(new.code, "Amber", learner="amber-otter-42")
        ws.answer(new.code, seat.token, "duress-ew", "fails")
        assert ws.tally(new.code, new.secret, "duress-ew").counts == {"succeeds": 0,
                                                                      "fails": 1}
        assert ws.delete(new.code, new.secret) == 1
        assert store.forget("brown-fox-17") == 1
    with Store.open(db_url) as store:  # opening again applies nothing twice
        assert store.version == LATEST
    assert sorted(v for (v,) in query(db_url, "SELECT version FROM schema_version")) == [
        *range(1, LATEST + 1)]


def fresh_targets(db_url: str, request, tmp_path, n: int) -> list[str]:
    """``n`` stores nobody has opened yet, on db_url's backend."""
    if is_pg(db_url):
        server = request.getfixturevalue("pg_server")
        return [db_url] + [server.new_database() for _ in range(n - 1)]
    return [db_url] + [str(tmp_path / f"fresh-{k}.sqlite") for k in range(1, n)]


def test_processes_opening_a_fresh_store_at_once_all_succeed_and_migrate_once(
        db_url, request, tmp_path):
    openers = 4
    for target in fresh_targets(db_url, request, tmp_path, 3):  # three races
        run_processes(open_and_write, lambda n, t=target: (t, n), openers)
        assert sorted(v for (v,) in query(target, "SELECT version FROM schema_version")) == \
            list(range(1, LATEST + 1))
        assert sorted(c for (c,) in query(target, "SELECT learner FROM answers")) == [
            f"opener-{n:02d}" for n in range(openers)]
        assert {"learners", "answers", *WORKSHOP_TABLES} <= tables(target)


def test_a_store_from_a_newer_npkit_is_refused(db_url):
    with Store.open(db_url) as store:
        store.save("amber-otter-42", 1, "x", 1)
    execute_script(db_url, [("INSERT INTO schema_version (version, applied_at) VALUES (?, ?)",
                             (LATEST + 1, "from the future"))])
    with pytest.raises(StoreError, match=rf"newer npkit \(schema {LATEST + 1}; this one "
                                         rf"knows {LATEST}\)"):
        Store.open(db_url)
    assert sorted(v for (v,) in query(db_url, "SELECT version FROM schema_version")) == [
        *range(1, LATEST + 1), LATEST + 1]
    assert query(db_url, "SELECT learner, item, value FROM answers") == [
        ("amber-otter-42", "x", "1")]


def test_a_newer_store_is_left_exactly_as_it_was(db_url):
    """Refused before any step runs: an old-looking store that says schema 99 gets none of
    this npkit's tables, and the refusal leaves no lock or connection behind."""
    make_v1_store(db_url, versions=((1, V1_APPLIED), (99, "from the future")))
    before, names = old_rows(db_url), tables(db_url)
    with pytest.raises(StoreError, match="newer npkit"):
        Store.open(db_url)
    assert tables(db_url) == names and not names & set(WORKSHOP_TABLES)
    assert old_rows(db_url) == before
    # Nobody holds a lock: a writer gets in at once.
    if is_pg(db_url):
        execute_script(db_url, [("LOCK TABLE schema_version, learners, answers "
                                 "IN ACCESS EXCLUSIVE MODE NOWAIT", ())])
    execute_script(db_url, [("INSERT INTO learners VALUES (?, ?, ?)",
                             ("late-comer", None, "now"))])


def test_open_honours_npkit_db_url_before_npkit_store(db_url, tmp_path, monkeypatch):
    decoy = tmp_path / "decoy.sqlite"
    monkeypatch.setenv("NPKIT_STORE", str(decoy))
    monkeypatch.setenv("NPKIT_DB_URL", db_url if is_pg(db_url) else f"sqlite://{db_url}")
    with Store.open() as store:
        store.save("amber-otter-42", 1, "where", "here")
        assert store.dialect.name == ("postgresql" if is_pg(db_url) else SQLITE.name)
    assert not decoy.exists()
    assert query(db_url, "SELECT value FROM answers") == [('"here"',)]
    monkeypatch.delenv("NPKIT_DB_URL")
    with Store.open() as store:
        assert store.path == decoy and store.load("amber-otter-42", 1) == {}
