"""The throwaway PostgreSQL behind the ``db_url`` fixture's postgresql cases works."""

import psycopg
import pytest

pytestmark = pytest.mark.postgres


# indirect: only db_url's postgresql case (its sqlite case is a plain path, nothing to prove).
@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_db_url_postgresql_round_trip(db_url):
    assert db_url.startswith("postgresql://npkit@127.0.0.1:")
    with psycopg.connect(db_url) as con:
        con.execute("CREATE TABLE learner (code text PRIMARY KEY, nickname text)")
        con.execute("INSERT INTO learner VALUES (%s, %s)", ("amber-otter-42", "Ämber ✓"))
    with psycopg.connect(db_url) as con:  # a new connection sees the committed row
        assert con.execute("SELECT code, nickname FROM learner").fetchall() == [
            ("amber-otter-42", "Ämber ✓")
        ]


def test_new_databases_are_isolated(pg_server):
    first, second = pg_server.new_database(), pg_server.new_database()
    assert first != second
    with psycopg.connect(first) as con:
        con.execute("CREATE TABLE t (x int)")
        con.execute("INSERT INTO t VALUES (1)")
    with psycopg.connect(second) as con:
        assert con.execute("SELECT to_regclass('t')").fetchone() == (None,)
        con.execute("CREATE TABLE t (x int)")  # the same name is free here
        assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)
    with psycopg.connect(first) as con:
        assert con.execute("SELECT x FROM t").fetchall() == [(1,)]


def test_server_listens_only_on_loopback(pg_server):
    with psycopg.connect(pg_server.url) as con:
        assert con.execute("SHOW listen_addresses").fetchone() == ("127.0.0.1",)
        assert con.execute("SHOW server_encoding").fetchone() == ("UTF8",)
