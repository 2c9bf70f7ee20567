"""The learner store: a learner's answers, kept across modules and page reloads.

A learner is pseudonymous: a code such as ``amber-otter-4271`` (issued by :meth:`Store.issue`,
then carried in the page URL; :mod:`npkit.store.codes` says what a code looks like) and an
optional nickname. Nothing else about them is kept. Each answer is one JSON value under
(learner, module, item); saving the same key again replaces it. Opening a module records when
(:meth:`Store.visit`), for the landing page's progress (:meth:`Store.progress`).

SQLite by default, nothing to install: the file is ``$NPKIT_STORE``, else
``build/npkit-learners.sqlite`` in a source checkout or ``npkit-learners.sqlite`` in the user's
data folder for an installed wheel (:func:`npkit.paths.default_store_path`), created (directory
too) on first use. Several Voila kernels (processes) share it safely: WAL journal, a busy
timeout, and short write transactions taken with ``BEGIN IMMEDIATE``.

    store = Store.open()
    me = store.issue("Amber")                       # a new learner with a fresh code
    store.visit(me.code, 1)                         # None if the code was never issued
    store.save(me.code, 1, "tagger", {"case": "jane"})
    store.load(me.code, 1)                          # {"tagger": {"case": "jane"}}
    store.progress(me.code)                         # per module: answers, last opened
    store.forget(me.code)                           # the learner and every answer

Every input is checked before it reaches SQL (:func:`check_code`, :func:`clean_nickname`,
:func:`check_item`, :func:`encode_value`); anything outside the limits raises ``ValueError`` and
is never stored. Failures of the database itself (read-only disk, a lock held too long) raise
:class:`StoreError` with a readable message.

Where: SQLite by default; ``$NPKIT_DB_URL=postgresql://user@host/db`` switches to PostgreSQL
(psycopg 3, ``pip install 'npkit[postgres]'``) for a JupyterHub or several servers. The SQL
is written once in :mod:`npkit.store.sql` with versioned migrations; workshop sessions
(:mod:`npkit.store.workshop`) live in the same store and use :meth:`Store.write` and
:meth:`Store.read` with their own named queries.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from npkit.paths import default_store_path
from npkit.store import codes
from npkit.store import sql as store_sql
from npkit.store.checks import MAX_MODULE, check_module  # noqa: F401 - offered here, as before

DEFAULT_PATH = default_store_path()
ENV_PATH = "NPKIT_STORE"
ENV_URL = "NPKIT_DB_URL"

CODE_RE = re.compile(r"[a-z0-9][a-z0-9-]{3,39}")
MAX_NICKNAME = 40
MAX_ITEM = 100
MAX_VALUE_BYTES = 20 * 1024
BUSY_TIMEOUT_MS = 15_000
ISSUE_ATTEMPTS = 50


class StoreError(Exception):
    """The store could not be used (unreadable, read-only or locked file, newer schema)."""


# --- input checks: untrusted values never reach the database ------------------------------


def check_code(code: object) -> str:
    """``code`` if it is a learner code (``^[a-z0-9][a-z0-9-]{3,39}$``), else ``ValueError``."""
    if not isinstance(code, str) or not CODE_RE.fullmatch(code):
        raise ValueError("a learner code is 4 to 40 characters: a-z, 0-9 and '-', "
                         "starting with a letter or digit")
    return code


def is_code(code: object) -> bool:
    return isinstance(code, str) and CODE_RE.fullmatch(code) is not None


def clean_nickname(nickname: object) -> str | None:
    """A nickname with control and formatting characters removed and spaces tidied; ``None``
    if nothing is left. ``ValueError`` if it is not text or still longer than 40 characters."""
    if nickname is None:
        return None
    if not isinstance(nickname, str):
        raise ValueError("a nickname must be text")
    # Control, format and surrogate characters go; unassigned ones (new emoji) stay.
    kept = "".join(ch for ch in nickname if unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    kept = " ".join(kept.split())
    if len(kept) > MAX_NICKNAME:
        raise ValueError(f"a nickname has at most {MAX_NICKNAME} characters")
    return kept or None


def check_item(item: object) -> str:
    """An answer's name within a module: 1 to 100 characters, no control characters."""
    if not isinstance(item, str) or not 0 < len(item) <= MAX_ITEM:
        raise ValueError(f"an item name is 1 to {MAX_ITEM} characters of text")
    if any(unicodedata.category(ch).startswith("C") for ch in item):
        raise ValueError("an item name has no control characters")
    return item


def encode_value(value: object) -> str:
    """``value`` as compact JSON (at most 20 kB in UTF-8), else ``ValueError``."""
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, sort_keys=True,
                          separators=(",", ":"))
    except (TypeError, ValueError, RecursionError) as exc:
        raise ValueError(f"an answer must be plain JSON data ({exc})") from None
    if len(text.encode("utf-8")) > MAX_VALUE_BYTES:
        raise ValueError(f"an answer is at most {MAX_VALUE_BYTES // 1024} kB of JSON")
    return text


# --- the SQL, in one place (npkit/store/sql.py) -------------------------------------------


@dataclass(frozen=True)
class Dialect:
    """Everything a backend says in SQL. ``migrations[n]`` brings the schema from version ``n``
    to ``n + 1``; never edit a released step, append a new one. ``begin`` opens a write
    transaction."""

    name: str
    migrations: tuple[tuple[str, ...], ...]
    queries: Mapping[str, str] = field(default_factory=dict)
    begin: str = "BEGIN IMMEDIATE"
    # Several reads that must agree, without taking the write lock (SQLite: a WAL snapshot).
    begin_read: str = "BEGIN"


def _pyformat(sql: str) -> str:
    """``:name`` parameters as psycopg's ``%(name)s``."""
    return re.sub(r"(?<![:\w]):([a-z_]+)\b", r"%(\1)s", sql)


SQLITE = Dialect("sqlite", store_sql.MIGRATIONS, dict(store_sql.QUERIES))
POSTGRES = Dialect(
    "postgresql", store_sql.MIGRATIONS,
    {k: _pyformat(v) for k, v in (store_sql.QUERIES | store_sql.PG_ONLY).items()},
    begin="BEGIN",
    begin_read="BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY",
)


@dataclass(frozen=True, slots=True)
class LearnerRecord:
    code: str
    nickname: str | None
    created_at: str


@dataclass(frozen=True, slots=True)
class ModuleProgress:
    """One module for one learner: how many answers are saved, when the last was saved, and
    when the module was last opened (ISO times in UTC; None for never)."""

    module: int
    answers: int = 0
    answered_at: str | None = None
    opened_at: str | None = None

    @property
    def last(self) -> str | None:
        return max((t for t in (self.answered_at, self.opened_at) if t), default=None)


@dataclass(frozen=True, slots=True)
class Progress:
    """A learner's record and their :class:`ModuleProgress` for every module they touched."""

    learner: LearnerRecord
    modules: dict[int, ModuleProgress]

    @property
    def latest(self) -> ModuleProgress | None:
        """The module touched last (opened or answered), where the learner left off."""
        touched = [m for m in self.modules.values() if m.last]
        return max(touched, key=lambda m: (m.last, m.module), default=None)


def store_path() -> Path:
    """Where the SQLite file lives: ``$NPKIT_STORE``, else :data:`DEFAULT_PATH` (see
    :func:`npkit.paths.default_store_path`)."""
    env = os.environ.get(ENV_PATH, "").strip()
    return Path(env).expanduser() if env else DEFAULT_PATH


def store_target() -> str | Path:
    """``$NPKIT_DB_URL`` when set (a ``postgresql://`` URL, or ``sqlite:///path``), else
    :func:`store_path`."""
    return os.environ.get(ENV_URL, "").strip() or store_path()


def is_postgres_url(target: object) -> bool:
    return isinstance(target, str) and target.startswith(("postgresql://", "postgres://"))


def redact(url: str) -> str:
    """A database URL without its password, for messages."""
    return re.sub(r"//([^:/@]+):[^@/]*@", r"//\1:***@", url)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Store:
    """Learners, their answers and workshop sessions. Open with :meth:`open`; every method is
    one short transaction, so several processes may use the same store at once."""

    def __init__(self, connection, dialect: Dialect = SQLITE, path: Path | None = None,
                 errors: tuple[type[BaseException], ...] = (sqlite3.Error,),
                 url: str | None = None) -> None:
        self._db = connection
        self.dialect = dialect
        self.path = path
        self.url = url
        self.errors = errors
        self._lock = threading.Lock()

    @property
    def where(self) -> str:
        """The store's location for messages: a file path or a URL without its password."""
        return redact(self.url) if self.url else str(self.path)

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, target: str | os.PathLike | None = None) -> Store:
        """Open (creating tables, and for SQLite the file and folder, on first use) the store
        at ``target``: a path, ``sqlite:///path`` or ``postgresql://...``; by default
        :func:`store_target`. Raises :class:`StoreError` if it cannot be used."""
        if target is None:
            target = store_target()
        if is_postgres_url(target):
            store = _open_postgres(cls, str(target))
        else:
            text = os.fspath(target)
            if isinstance(text, str) and text.startswith("sqlite://"):
                text = text.removeprefix("sqlite://")
            path = Path(text).expanduser()
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = _connect_sqlite(path)
            except (OSError, sqlite3.Error) as exc:
                raise StoreError(f"The answer store {path} cannot be opened: {exc}") from None
            store = cls(db, SQLITE, path)
        try:
            store._migrate()
        except BaseException:
            store.close()
            raise
        return store

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the API --------------------------------------------------------------------------

    def learner(self, code: str, nickname: str | None = None) -> LearnerRecord:
        """The learner ``code``, created if new; a nickname given replaces the stored one.
        For tests and administration: the course's pages never create a learner from a code
        they were given (they use :meth:`issue` and :meth:`visit`)."""
        params = {"code": check_code(code), "nickname": clean_nickname(nickname),
                  "now": _now()}
        with self.write() as tx:
            tx.run("upsert_learner", params)
            row = tx.one("get_learner", {"code": code})
        return LearnerRecord(*row)

    def save(self, code: str, module: int, item: str, value: object) -> None:
        """Store ``value`` (JSON data) as the learner's answer ``item`` in ``module``,
        replacing any earlier one. The learner is created if new."""
        params = {"code": check_code(code), "module": check_module(module),
                  "item": check_item(item), "value": encode_value(value), "now": _now()}
        with self.write() as tx:
            tx.run("ensure_learner", params)
            tx.run("save_answer", params)

    def load(self, code: str, module: int) -> dict[str, object]:
        """``{item: value}`` of the learner's answers in ``module`` (empty if none)."""
        params = {"code": check_code(code), "module": check_module(module)}
        rows = self.read("load_answers", params)
        out: dict[str, object] = {}
        for item, text in rows:
            try:
                out[item] = json.loads(text)
            except (TypeError, ValueError):
                continue  # a damaged row: skip it rather than lose the others
        return out

    def forget(self, code: str) -> int:
        """Delete the learner and all their answers; returns how many answers went."""
        params = {"code": check_code(code)}
        with self.write() as tx:
            n = tx.run("delete_answers", params)
            tx.run("delete_visits", params)
            tx.run("delete_learner", params)
        return max(n, 0)

    def get_learner(self, code: str) -> LearnerRecord | None:
        rows = self.read("get_learner", {"code": check_code(code)})
        return LearnerRecord(*rows[0]) if rows else None

    def is_known(self, code: str) -> bool:
        """True if ``code`` names a learner the store has (issued, or from before codes were
        issued); says nothing else about them."""
        return self.get_learner(code) is not None

    def issue(self, nickname: str | None = None,
              draw: Callable[[], str] = codes.new_code) -> LearnerRecord:
        """A new learner under a fresh code (:func:`npkit.store.codes.new_code`), never one
        already taken. :class:`StoreError` in the (astronomically unlikely) case that
        :data:`ISSUE_ATTEMPTS` draws in a row were all taken."""
        name = clean_nickname(nickname)
        for _ in range(ISSUE_ATTEMPTS):
            params = {"code": check_code(draw()), "nickname": name, "now": _now()}
            with self.write() as tx:
                if tx.run("issue_learner", params) == 1:
                    return LearnerRecord(*tx.one("get_learner", params))
        raise StoreError("No free learner code was found; try again.")

    def visit(self, code: str, module: int, nickname: str | None = None) -> LearnerRecord | None:
        """Record that the learner opened ``module`` (and take a nickname given as their new
        one). ``None``, and nothing written, if no learner has ``code``: a mistyped code never
        becomes a new learner here."""
        params = {"code": check_code(code), "module": check_module(module),
                  "nickname": clean_nickname(nickname), "now": _now()}
        with self.write() as tx:
            if tx.one("get_learner", params) is None:
                return None
            if params["nickname"]:
                tx.run("rename_learner", params)
            tx.run("record_visit", params)
            return LearnerRecord(*tx.one("get_learner", params))

    def progress(self, code: str) -> Progress | None:
        """The learner's progress in every module they opened or answered, read in one
        snapshot; ``None`` if no learner has ``code``."""
        params = {"code": check_code(code)}
        with self.snapshot() as tx:
            row = tx.one("get_learner", params)
            if row is None:
                return None
            answers = tx.all("progress_answers", params)
            visits = tx.all("progress_visits", params)
        modules: dict[int, ModuleProgress] = {}
        for module, count, at in answers:
            modules[module] = ModuleProgress(module, int(count), at)
        for module, at in visits:
            done = modules.get(module, ModuleProgress(module))
            modules[module] = ModuleProgress(module, done.answers, done.answered_at, at)
        return Progress(LearnerRecord(*row), dict(sorted(modules.items())))

    def count_answers(self) -> int:
        return self.read("count_answers", {})[0][0]

    @property
    def version(self) -> int:
        return self.read("version", {})[0][0]

    # --- plumbing, shared with npkit.store.workshop -----------------------------------------------

    def read(self, name: str, params: Mapping[str, object]) -> list[tuple]:
        """The rows of the named query, outside any write transaction."""
        try:
            with self._lock:
                return list(self._db.execute(self.dialect.queries[name], params).fetchall())
        except self.errors as exc:
            raise StoreError(f"The answer store could not be read: {_first_line(exc)}") from None

    def snapshot(self):
        """Like :meth:`write`, for reads only: one consistent view, and writers never wait
        for it (a trainer's screen polling the room must not hold trainees up)."""
        return self.write(read_only=True)

    @contextmanager
    def write(self, read_only: bool = False) -> Iterator[Transaction]:
        """One short write transaction. On SQLite ``BEGIN IMMEDIATE`` takes the write lock at
        once, so a busy file waits up to the busy timeout instead of failing half-way; on
        PostgreSQL the statements take row locks (:data:`npkit.store.sql.PG_ONLY`)."""
        with self._lock:
            db = self._db
            try:
                db.execute(self.dialect.begin_read if read_only else self.dialect.begin)
            except self.errors as exc:
                raise StoreError(
                    f"The answer store is busy or read-only: {_first_line(exc)}") from None
            try:
                yield Transaction(db, self.dialect)
                db.execute("COMMIT")
            except BaseException as exc:
                try:
                    db.execute("ROLLBACK")
                except self.errors:
                    pass
                if isinstance(exc, self.errors):
                    raise StoreError(
                        f"The answer could not be saved: {_first_line(exc)}") from None
                raise

    def _migrate(self) -> None:
        steps = self.dialect.migrations
        if self._schema_is(len(steps)):
            return
        with self.write() as tx:
            tx.run("migrate_lock", {})
            tx.run("create_versions", {})
            current = tx.one("version", {})[0]
            if current > len(steps):
                raise StoreError(f"The answer store {self.where} was made by a newer npkit "
                                 f"(schema {current}; this one knows {len(steps)}).")
            for version in range(current + 1, len(steps) + 1):
                for sql in steps[version - 1]:
                    tx.db.execute(sql)
                tx.run("record_version", {"v": version, "now": _now()})


    def _schema_is(self, version: int) -> bool:
        """Whether the store is at schema ``version`` already, read without taking the write
        lock: every page a learner opens opens the store, and a room of them would otherwise
        queue for the lock one by one only to find nothing to do (issue 16). Any doubt (no
        table yet, an older or newer schema) goes the locked way, which decides."""
        try:
            with self._lock:
                row = self._db.execute(self.dialect.queries["version"]).fetchone()
        except self.errors:
            return False
        return row is not None and row[0] == version


@dataclass(frozen=True, slots=True)
class Transaction:
    """The open write transaction: named queries only, so no SQL is built from input."""

    db: object
    dialect: Dialect

    def run(self, name: str, params: Mapping[str, object]) -> int:
        """Execute; the number of rows changed."""
        return self.db.execute(self.dialect.queries[name], params).rowcount

    def one(self, name: str, params: Mapping[str, object]) -> tuple | None:
        return self.db.execute(self.dialect.queries[name], params).fetchone()

    def all(self, name: str, params: Mapping[str, object]) -> list[tuple]:
        return list(self.db.execute(self.dialect.queries[name], params).fetchall())


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _wal(db: sqlite3.Connection) -> str:
    """Switch to WAL. The switch needs the file to itself and SQLite does not wait for that
    (processes opening a new store together get "database is locked" at once), so retry for
    up to the busy timeout. WAL is kept in the file: once set, this is a query."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    pause = 0.01
    while True:
        try:
            return str(db.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) and "busy" not in str(exc):
                raise
            if time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.25)


def _connect_sqlite(path: Path) -> sqlite3.Connection:
    # Autocommit mode (isolation_level=None): transactions are explicit in Store.write.
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                         check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = _wal(db)
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"WAL journal not available (got {mode})")
        db.execute("PRAGMA foreign_keys = ON")
        # A committed transaction survives the process being killed (it is in the WAL file);
        # only a power cut could lose the last few, which FULL would prevent at an fsync each.
        db.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        db.close()
        raise
    return db


def _open_postgres(cls: type[Store], url: str) -> Store:
    try:
        import psycopg
    except ImportError:
        raise StoreError("NPKIT_DB_URL names PostgreSQL, but psycopg is not installed "
                         "(pip install 'npkit[postgres]').") from None
    try:
        # Autocommit: transactions are explicit (BEGIN ... COMMIT) in Store.write, as for
        # SQLite; lock_timeout plays the part of SQLite's busy timeout.
        db = psycopg.connect(url, autocommit=True, connect_timeout=10)
        db.execute(f"SET lock_timeout = {int(BUSY_TIMEOUT_MS)}")
    except psycopg.Error as exc:
        raise StoreError(
            f"The answer store {redact(url)} cannot be opened: {_first_line(exc)}") from None
    return cls(db, POSTGRES, None, (psycopg.Error,), url)
