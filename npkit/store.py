"""The learner store: a learner's answers, kept across modules and page reloads.

A learner is pseudonymous: a code such as ``amber-otter-42`` (from the page URL, made by the
landing page) and an optional nickname. Nothing else about them is kept. Each answer is one
JSON value under (learner, module, item); saving the same key again replaces it.

SQLite by default, nothing to install: the file is ``$NPKIT_STORE`` or
``<repo>/build/npkit-learners.sqlite``, created (directory too) on first use. Several Voila
kernels (processes) share it safely: WAL journal, a busy timeout, and short write transactions
taken with ``BEGIN IMMEDIATE``.

    store = Store.open()
    store.learner("amber-otter-42", "Amber")        # get or create
    store.save("amber-otter-42", 1, "tagger", {"case": "jane"})
    store.load("amber-otter-42", 1)                 # {"tagger": {"case": "jane"}}
    store.forget("amber-otter-42")                  # the learner and every answer

Every input is checked before it reaches SQL (:func:`check_code`, :func:`clean_nickname`,
:func:`check_item`, :func:`encode_value`); anything outside the limits raises ``ValueError`` and
is never stored. Failures of the database itself (read-only disk, a lock held too long) raise
:class:`StoreError` with a readable message.

Extending it (the workshop issue): all SQL lives in one :class:`Dialect` (:data:`SQLITE`):
named-parameter queries and an append-only list of migrations. New tables (sessions,
questions, answers to them) are a new entry at the end of ``migrations``; a PostgreSQL backend
is a second ``Dialect`` with its own query text plus a ``_connect`` for it, chosen in
:meth:`Store.open` (e.g. from an ``NPKIT_DB_URL`` setting). The methods stay the same.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATH = ROOT / "build" / "npkit-learners.sqlite"
ENV_PATH = "NPKIT_STORE"

CODE_RE = re.compile(r"[a-z0-9][a-z0-9-]{3,39}")
MAX_NICKNAME = 40
MAX_ITEM = 100
MAX_VALUE_BYTES = 20 * 1024
MAX_MODULE = 999
BUSY_TIMEOUT_MS = 5_000


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
    kept = "".join(ch for ch in nickname if not unicodedata.category(ch).startswith("C"))
    kept = " ".join(kept.split())
    if len(kept) > MAX_NICKNAME:
        raise ValueError(f"a nickname has at most {MAX_NICKNAME} characters")
    return kept or None


def check_module(module: object) -> int:
    if isinstance(module, bool) or not isinstance(module, int) or not 0 <= module <= MAX_MODULE:
        raise ValueError(f"a module is a whole number from 0 to {MAX_MODULE}")
    return module


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


# --- the SQL, in one place -----------------------------------------------------------------


@dataclass(frozen=True)
class Dialect:
    """Everything a backend says in SQL. ``migrations[n]`` brings the schema from version ``n``
    to ``n + 1``; never edit a released step, append a new one."""

    name: str
    migrations: tuple[tuple[str, ...], ...]
    queries: Mapping[str, str] = field(default_factory=dict)


SQLITE = Dialect(
    name="sqlite",
    migrations=(
        # 1: learners and their answers, one row per (learner, module, item)
        (
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
        ),
    ),
    queries={
        "create_versions": """CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER PRIMARY KEY,
                applied_at TEXT NOT NULL
            )""",
        "version": "SELECT COALESCE(MAX(version), 0) FROM schema_version",
        "record_version": "INSERT INTO schema_version (version, applied_at) VALUES (:v, :now)",
        "upsert_learner": """INSERT INTO learners (code, nickname, created_at)
                VALUES (:code, :nickname, :now)
                ON CONFLICT (code) DO UPDATE
                SET nickname = COALESCE(excluded.nickname, learners.nickname)""",
        "ensure_learner": """INSERT INTO learners (code, nickname, created_at)
                VALUES (:code, NULL, :now) ON CONFLICT (code) DO NOTHING""",
        "get_learner": "SELECT code, nickname, created_at FROM learners WHERE code = :code",
        "save_answer": """INSERT INTO answers (learner, module, item, value, updated_at)
                VALUES (:code, :module, :item, :value, :now)
                ON CONFLICT (learner, module, item) DO UPDATE
                SET value = excluded.value, updated_at = excluded.updated_at""",
        "load_answers": """SELECT item, value FROM answers
                WHERE learner = :code AND module = :module ORDER BY item""",
        "delete_answers": "DELETE FROM answers WHERE learner = :code",
        "delete_learner": "DELETE FROM learners WHERE code = :code",
        "count_answers": "SELECT COUNT(*) FROM answers",
    },
)


@dataclass(frozen=True, slots=True)
class LearnerRecord:
    code: str
    nickname: str | None
    created_at: str


def store_path() -> Path:
    """Where the SQLite file lives: ``$NPKIT_STORE`` or ``<repo>/build/npkit-learners.sqlite``."""
    env = os.environ.get(ENV_PATH, "").strip()
    return Path(env).expanduser() if env else DEFAULT_PATH


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class Store:
    """Learners and their answers. Open with :meth:`open`; every method is one short
    transaction, so several processes may use the same file at once."""

    def __init__(self, connection: sqlite3.Connection, dialect: Dialect = SQLITE,
                 path: Path | None = None) -> None:
        self._db = connection
        self.dialect = dialect
        self.path = path
        self._lock = threading.Lock()

    # --- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> Store:
        """Open (creating file, folder and tables on first use) the store at ``path``, by
        default :func:`store_path`. Raises :class:`StoreError` if it cannot be used."""
        target = Path(path).expanduser() if path is not None else store_path()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            db = _connect_sqlite(target)
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(f"The answer store {target} cannot be opened: {exc}") from None
        store = cls(db, SQLITE, target)
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
        """The learner ``code``, created if new; a nickname given replaces the stored one."""
        params = {"code": check_code(code), "nickname": clean_nickname(nickname),
                  "now": _now()}
        with self._write() as db:
            db.execute(self._q("upsert_learner"), params)
            row = db.execute(self._q("get_learner"), {"code": code}).fetchone()
        return LearnerRecord(*row)

    def save(self, code: str, module: int, item: str, value: object) -> None:
        """Store ``value`` (JSON data) as the learner's answer ``item`` in ``module``,
        replacing any earlier one. The learner is created if new."""
        params = {"code": check_code(code), "module": check_module(module),
                  "item": check_item(item), "value": encode_value(value), "now": _now()}
        with self._write() as db:
            db.execute(self._q("ensure_learner"), params)
            db.execute(self._q("save_answer"), params)

    def load(self, code: str, module: int) -> dict[str, object]:
        """``{item: value}`` of the learner's answers in ``module`` (empty if none)."""
        params = {"code": check_code(code), "module": check_module(module)}
        rows = self._read("load_answers", params)
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
        with self._write() as db:
            n = db.execute(self._q("delete_answers"), params).rowcount
            db.execute(self._q("delete_learner"), params)
        return max(n, 0)

    def get_learner(self, code: str) -> LearnerRecord | None:
        rows = self._read("get_learner", {"code": check_code(code)})
        return LearnerRecord(*rows[0]) if rows else None

    def count_answers(self) -> int:
        return self._read("count_answers", {})[0][0]

    @property
    def version(self) -> int:
        return self._read("version", {})[0][0]

    # --- plumbing -------------------------------------------------------------------------

    def _q(self, name: str) -> str:
        return self.dialect.queries[name]

    def _read(self, name: str, params: Mapping[str, object]) -> list[tuple]:
        try:
            with self._lock:
                return self._db.execute(self._q(name), params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(f"The answer store could not be read: {exc}") from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One short write transaction (``BEGIN IMMEDIATE`` takes the write lock at once, so
        a busy file waits up to the busy timeout instead of failing half-way)."""
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError(f"The answer store is busy or read-only: {exc}") from None
            try:
                yield db
                db.execute("COMMIT")
            except BaseException as exc:
                try:
                    db.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                if isinstance(exc, sqlite3.Error):
                    raise StoreError(f"The answer could not be saved: {exc}") from None
                raise

    def _migrate(self) -> None:
        steps = self.dialect.migrations
        with self._write() as db:
            db.execute(self._q("create_versions"))
            current = db.execute(self._q("version")).fetchone()[0]
            if current > len(steps):
                raise StoreError(f"The answer store {self.path} was made by a newer npkit "
                                 f"(schema {current}; this one knows {len(steps)}).")
            for version in range(current + 1, len(steps) + 1):
                for sql in steps[version - 1]:
                    db.execute(sql)
                db.execute(self._q("record_version"), {"v": version, "now": _now()})


def _connect_sqlite(path: Path) -> sqlite3.Connection:
    # Autocommit mode (isolation_level=None): transactions are explicit in Store._write.
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                         check_same_thread=False)
    try:
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"WAL journal not available (got {mode})")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
    except BaseException:
        db.close()
        raise
    return db
