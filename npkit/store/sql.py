"""Every statement the store sends, for SQLite and PostgreSQL alike.

The text is written once, in the subset both databases accept (``TEXT``, ``INTEGER``,
``ON CONFLICT ... DO UPDATE``, named ``:parameters``); :mod:`npkit.store.learners` rewrites the
parameters for psycopg and swaps in the few statements that must differ (:data:`PG_ONLY`):
row locks, which SQLite does not need because ``BEGIN IMMEDIATE`` already serialises writers.

``MIGRATIONS[n]`` brings a store from schema ``n`` to ``n + 1``. A released step is never
edited; a change is a new step at the end, so a store made by an older npkit opens in a newer
one (the test suite keeps a version-1 store to prove it).
"""

from __future__ import annotations

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1 (issue 4): learners and their answers, one row per (learner, module, item)
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
    # 2 (issue 5): workshop sessions. Questions are a snapshot of the case's questions taken
    # when the session starts, so editing a case file mid-workshop cannot change a live poll.
    (
        """CREATE TABLE workshop_sessions (
            code TEXT PRIMARY KEY,
            secret_hash TEXT NOT NULL,
            case_id TEXT NOT NULL,
            title TEXT NOT NULL,
            current_question TEXT,
            created_at TEXT NOT NULL
        )""",
        """CREATE TABLE workshop_questions (
            session TEXT NOT NULL REFERENCES workshop_sessions(code) ON DELETE CASCADE,
            qid TEXT NOT NULL,
            position INTEGER NOT NULL,
            prompt TEXT NOT NULL,
            kind TEXT NOT NULL,
            choices TEXT NOT NULL,
            locked INTEGER NOT NULL DEFAULT 0,
            revealed INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (session, qid)
        )""",
        """CREATE TABLE workshop_participants (
            session TEXT NOT NULL REFERENCES workshop_sessions(code) ON DELETE CASCADE,
            token TEXT NOT NULL,
            seat INTEGER NOT NULL,
            learner TEXT,
            nickname TEXT NOT NULL,
            joined_at TEXT NOT NULL,
            PRIMARY KEY (session, token),
            UNIQUE (session, seat)
        )""",
        """CREATE TABLE workshop_answers (
            session TEXT NOT NULL,
            qid TEXT NOT NULL,
            participant TEXT NOT NULL,
            value TEXT NOT NULL,
            answered_at TEXT NOT NULL,
            PRIMARY KEY (session, qid, participant),
            FOREIGN KEY (session, qid)
                REFERENCES workshop_questions(session, qid) ON DELETE CASCADE,
            FOREIGN KEY (session, participant)
                REFERENCES workshop_participants(session, token) ON DELETE CASCADE
        )""",
    ),
    # 3 (issue 14): when a learner last opened each module, for the landing page's progress
    # and "Continue where you left off" (modules with nothing to answer leave no answer behind).
    (
        """CREATE TABLE visits (
            learner TEXT NOT NULL REFERENCES learners(code) ON DELETE CASCADE,
            module INTEGER NOT NULL,
            opened_at TEXT NOT NULL,
            PRIMARY KEY (learner, module)
        )""",
    ),
    # 4 (issue 15): a question's countdown. When closes_at (UTC, ISO 8601) has passed, the
    # question is closed as if locked: the store refuses answers from then on.
    (
        "ALTER TABLE workshop_questions ADD COLUMN closes_at TEXT",
    ),
)

QUERIES: dict[str, str] = {
    # --- bookkeeping
    "create_versions": """CREATE TABLE IF NOT EXISTS schema_version (
            version INTEGER PRIMARY KEY,
            applied_at TEXT NOT NULL
        )""",
    "version": "SELECT COALESCE(MAX(version), 0) FROM schema_version",
    "record_version": "INSERT INTO schema_version (version, applied_at) VALUES (:v, :now)",
    # Only PostgreSQL needs it (PG_ONLY): two servers starting at once must not both migrate.
    "migrate_lock": "SELECT 1",
    # --- learners (issue 4)
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
    # --- issued codes, visits and progress (issue 14)
    "issue_learner": """INSERT INTO learners (code, nickname, created_at)
            VALUES (:code, :nickname, :now) ON CONFLICT (code) DO NOTHING""",
    "rename_learner": "UPDATE learners SET nickname = :nickname WHERE code = :code",
    "record_visit": """INSERT INTO visits (learner, module, opened_at)
            VALUES (:code, :module, :now)
            ON CONFLICT (learner, module) DO UPDATE SET opened_at = excluded.opened_at""",
    "delete_visits": "DELETE FROM visits WHERE learner = :code",
    "progress_answers": """SELECT module, COUNT(*), MAX(updated_at) FROM answers
            WHERE learner = :code GROUP BY module ORDER BY module""",
    "progress_visits": """SELECT module, opened_at FROM visits
            WHERE learner = :code ORDER BY module""",
    # --- workshop sessions (issue 5)
    "ws_create": """INSERT INTO workshop_sessions
            (code, secret_hash, case_id, title, current_question, created_at)
            VALUES (:code, :secret_hash, :case_id, :title, :current, :now)
            ON CONFLICT (code) DO NOTHING""",
    "ws_add_question": """INSERT INTO workshop_questions
            (session, qid, position, prompt, kind, choices)
            VALUES (:code, :qid, :position, :prompt, :kind, :choices)""",
    "ws_secret": "SELECT secret_hash FROM workshop_sessions WHERE code = :code",
    "ws_session": """SELECT code, case_id, title, current_question, created_at
            FROM workshop_sessions WHERE code = :code""",
    # Taken before a join: it serialises seat numbering within one session.
    "ws_session_for_join": "SELECT code FROM workshop_sessions WHERE code = :code",
    "ws_questions": """SELECT qid, position, prompt, kind, choices, locked, revealed, closes_at
            FROM workshop_questions WHERE session = :code ORDER BY position""",
    # Taken before an answer is written: a lock committed by the trainer waits for answers
    # already under way and every later answer sees it (PG_ONLY adds FOR SHARE).
    "ws_question_for_answer": """SELECT kind, choices, locked, closes_at
            FROM workshop_questions
            WHERE session = :code AND qid = :qid""",
    "ws_set_current": """UPDATE workshop_sessions SET current_question = :qid
            WHERE code = :code""",
    # Locking or reopening by hand ends a countdown too.
    "ws_set_locked": """UPDATE workshop_questions SET locked = :flag, closes_at = NULL
            WHERE session = :code AND qid = :qid""",
    "ws_set_timer": """UPDATE workshop_questions SET locked = 0, closes_at = :closes_at
            WHERE session = :code AND qid = :qid""",
    "ws_set_revealed": """UPDATE workshop_questions SET revealed = :flag
            WHERE session = :code AND qid = :qid""",
    "ws_participant_by_learner": """SELECT token FROM workshop_participants
            WHERE session = :code AND learner = :learner""",
    "ws_participant": """SELECT token, seat, nickname FROM workshop_participants
            WHERE session = :code AND token = :token""",
    "ws_rename": """UPDATE workshop_participants SET nickname = :nickname
            WHERE session = :code AND token = :token""",
    "ws_join": """INSERT INTO workshop_participants
            (session, token, seat, learner, nickname, joined_at)
            SELECT :code, :token, COALESCE(MAX(seat), 0) + 1, :learner, :nickname, :now
            FROM workshop_participants WHERE session = :code""",
    "ws_count_participants": """SELECT COUNT(*) FROM workshop_participants
            WHERE session = :code""",
    "ws_answer": """INSERT INTO workshop_answers (session, qid, participant, value, answered_at)
            VALUES (:code, :qid, :token, :value, :now)
            ON CONFLICT (session, qid, participant) DO UPDATE
            SET value = excluded.value, answered_at = excluded.answered_at""",
    "ws_my_answers": """SELECT qid, value FROM workshop_answers
            WHERE session = :code AND participant = :token""",
    "ws_answers": """SELECT a.qid, p.seat, p.nickname, a.value, a.answered_at
            FROM workshop_answers a JOIN workshop_participants p
              ON p.session = a.session AND p.token = a.participant
            JOIN workshop_questions q ON q.session = a.session AND q.qid = a.qid
            WHERE a.session = :code ORDER BY q.position, p.seat""",
    "ws_answers_to": """SELECT p.seat, a.value FROM workshop_answers a
            JOIN workshop_participants p ON p.session = a.session AND p.token = a.participant
            WHERE a.session = :code AND a.qid = :qid ORDER BY p.seat""",
    "ws_delete_answers": "DELETE FROM workshop_answers WHERE session = :code",
    "ws_delete_participants": "DELETE FROM workshop_participants WHERE session = :code",
    "ws_delete_questions": "DELETE FROM workshop_questions WHERE session = :code",
    "ws_delete_session": "DELETE FROM workshop_sessions WHERE code = :code",
}

# PostgreSQL's versions of the statements that differ: advisory and row locks. READ COMMITTED
# re-checks a locked row after the lock is released, so a join or an answer never acts on a
# state another transaction has just changed.
PG_ONLY: dict[str, str] = {
    "migrate_lock": "SELECT pg_advisory_xact_lock(7365837)",
    "ws_session_for_join": "SELECT code FROM workshop_sessions WHERE code = :code FOR UPDATE",
    "ws_question_for_answer": """SELECT kind, choices, locked, closes_at
            FROM workshop_questions
            WHERE session = :code AND qid = :qid FOR SHARE""",
}
