"""Workshop sessions in the store: the trainer's controls and the trainees' answers.

Two kinds of caller, two kinds of method:

- **Trainer** methods take the session code *and* the trainer's secret, and check the secret
  inside the same transaction (SHA-256 of the secret, compared in constant time). Without it
  nothing about the room's answers can be read or changed.
- **Trainee** methods take the session code and, once joined, the participant token the join
  returned. They can read the questions and their own answers, never anyone else's, and only
  in the session they joined.

A lock is enforced here, not only on screen: an answer to a locked question raises
:class:`Locked`. So is a countdown (:meth:`Workshop.set_timer`): once its time is up the
question reads as locked and the store refuses answers to it, whatever a page shows.
Changing an answer replaces it (one row per session, question and participant). See
:mod:`npkit.store.workshop.inputs` for what text is accepted.

    ws = Workshop(Store.open())
    new = ws.create("john", questions, title="Cohort 3")      # new.code, new.secret
    seat = ws.join(new.code, "Owl")
    ws.answer(new.code, seat.token, "duress-ew", "fails")
    ws.tally(new.code, new.secret, "duress-ew").counts         # {"fails": 1}
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import secrets
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from npkit.i18n import _
from npkit.store.learners import MAX_NICKNAME, Store, clean_nickname, is_code
from npkit.store.learners import _now as now
from npkit.store.workshop.inputs import (
    Forbidden,
    Locked,
    NotFound,
    WorkshopError,
    clean_free_text,
    clean_join_code,
    clean_title,
    code_candidates,
    new_join_code,
    new_secret,
)

# A case file's id (npkit.casefile.case.SLUG_PATTERN allows '_', as in plea_offer), kept to the
# 4-40 characters a learner code has.
CASE_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{3,39}")

MAX_PARTICIPANTS = 500
MAX_QUESTIONS = 50
TIMER_SECONDS = (5, 3600)  # the shortest and longest countdown a trainer can set
KINDS = ("outcome", "which", "free_text")
# Compared against when a code is unknown, so a wrong code costs the same as a wrong secret.
_NO_SESSION = hashlib.sha256(b"no such session").hexdigest()


@dataclass(frozen=True, slots=True)
class PollQuestion:
    """A question as the room sees it. ``choices`` are (label, value) pairs; ``which``
    questions take any number of them, ``outcome`` exactly one, ``free_text`` none."""

    qid: str
    prompt: str
    kind: str
    choices: tuple[tuple[str, str], ...] = ()
    position: int = 0
    locked: bool = False  # by the trainer, or because the countdown has ended
    revealed: bool = False
    closes_at: datetime | None = None  # a countdown's end (UTC); None: no countdown

    @property
    def timed(self) -> bool:
        """A countdown is running: the question is open until ``closes_at``."""
        return self.closes_at is not None and not self.locked

    def seconds_left(self, now: datetime) -> int:
        """Whole seconds until the countdown ends (rounded up; 0 once it has)."""
        if self.closes_at is None:
            return 0
        left = (self.closes_at - now).total_seconds()
        return max(0, int(-(-left // 1)))

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(v for _, v in self.choices)

    def label(self, value: str) -> str:
        return dict((v, lab) for lab, v in self.choices).get(value, value)


@dataclass(frozen=True, slots=True)
class NewSession:
    code: str
    secret: str  # shown once to the trainer; only its hash is stored


@dataclass(frozen=True, slots=True)
class SessionView:
    """What anyone holding the code may see: no answers."""

    code: str
    case_id: str
    title: str
    current: str | None
    created_at: str
    questions: tuple[PollQuestion, ...]

    def question(self, qid: str | None) -> PollQuestion | None:
        return next((q for q in self.questions if q.qid == qid), None)

    @property
    def current_question(self) -> PollQuestion | None:
        return self.question(self.current)


@dataclass(frozen=True, slots=True)
class Seat:
    code: str
    token: str
    seat: int
    nickname: str


@dataclass(frozen=True, slots=True)
class Tally:
    """The room's answers to one question: counts per choice (``which`` questions count each
    value chosen) and free texts in seat order, without names."""

    question: PollQuestion
    respondents: int
    counts: dict[str, int]
    texts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class AnswerRow:
    qid: str
    seat: int
    nickname: str
    value: object
    answered_at: str


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def _flag(value: bool) -> int:
    return 1 if value else 0


def _utc_now() -> datetime:
    return datetime.now(UTC)


class Workshop:
    """Workshop sessions kept in a :class:`~npkit.store.learners.Store`. ``clock`` gives the
    current time (UTC) that countdowns are measured against (tests pass their own)."""

    def __init__(self, store: Store, clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.clock = clock or _utc_now

    # --- trainer -------------------------------------------------------------------------

    def create(self, case_id: str, questions: Sequence[PollQuestion],
               title: str | None = None) -> NewSession:
        """A new session on ``questions`` (a snapshot: later edits to the case file do not
        reach it). The first question is current. The secret is returned once."""
        if not (isinstance(case_id, str) and CASE_ID_RE.fullmatch(case_id)):
            raise WorkshopError(_("A case id is 4 to 40 characters: a-z, 0-9, '-' and '_'."))
        if not 0 < len(questions) <= MAX_QUESTIONS:
            raise WorkshopError(_("A session has 1 to {n} questions.").format(n=MAX_QUESTIONS))
        if len({q.qid for q in questions}) != len(questions):
            raise WorkshopError(_("Two questions share an id."))
        if any(q.kind not in KINDS for q in questions):
            raise WorkshopError(_("A question's kind is one of {kinds}.").format(
                kinds=", ".join(KINDS)))
        secret = new_secret()
        params = {"secret_hash": _hash(secret), "case_id": case_id, "now": now(),
                  "title": clean_title(title or case_id), "current": questions[0].qid}
        for _attempt in range(20):
            code = new_join_code()
            with self.store.write() as tx:
                if tx.run("ws_create", params | {"code": code}) != 1:
                    continue  # the code is taken: draw another
                for n, q in enumerate(questions):
                    tx.run("ws_add_question", {
                        "code": code, "qid": q.qid, "position": n,
                        "prompt": clean_free_text(q.prompt, 300), "kind": q.kind,
                        "choices": json.dumps([list(c) for c in q.choices])})
                return NewSession(code, secret)
        raise WorkshopError(_("No free session code was found; try again."))

    def trainer_view(self, code: str, secret: str) -> SessionView:
        with self.store.snapshot() as tx:
            self._check(tx, code, secret)
        return self.session(code)

    def set_current(self, code: str, secret: str, qid: str) -> None:
        self._control(code, secret, qid, "ws_set_current", {})

    def lock(self, code: str, secret: str, qid: str, locked: bool = True) -> None:
        """Stop (or resume) accepting answers to ``qid``; answers already given stay. Either
        way a countdown on it ends."""
        self._control(code, secret, qid, "ws_set_locked", {"flag": _flag(locked)})

    def set_timer(self, code: str, secret: str, qid: str, seconds: int | None) -> None:
        """Open ``qid`` for ``seconds`` more, then close it (the store refuses answers from
        then on); ``None`` stops a countdown and leaves the question open."""
        if seconds is not None:
            low, high = TIMER_SECONDS
            if isinstance(seconds, bool) or not isinstance(seconds, int) or \
                    not low <= seconds <= high:
                raise WorkshopError(_("A countdown lasts {low} to {high} seconds.").format(
                    low=low, high=high))
        closes = None if seconds is None else _iso(self.clock() + timedelta(seconds=seconds))
        self._control(code, secret, qid, "ws_set_timer", {"closes_at": closes})

    def reveal(self, code: str, secret: str, qid: str, revealed: bool = True) -> None:
        """Mark npkit's analysis of ``qid`` as shown to the room (trainees see it too)."""
        self._control(code, secret, qid, "ws_set_revealed", {"flag": _flag(revealed)})

    def tally(self, code: str, secret: str, qid: str) -> Tally:
        with self.store.snapshot() as tx:
            code = self._check(tx, code, secret)
            question = self._question(tx, code, qid)
            rows = tx.all("ws_answers_to", {"code": code, "qid": qid})
        counts: Counter[str] = Counter({v: 0 for v in question.values})
        texts: list[str] = []
        for _seat, text in rows:
            value = _decode(text)
            if question.kind == "free_text":
                if isinstance(value, str):
                    texts.append(value)
            else:
                counts.update(value if isinstance(value, list) else [value])
        return Tally(question, len(rows), dict(counts), tuple(texts))

    def answers(self, code: str, secret: str) -> list[AnswerRow]:
        """Every answer in the session, by question in the order asked (the session's order,
        which the trainer's Previous and Next follow) then seat (for the export)."""
        with self.store.snapshot() as tx:
            code = self._check(tx, code, secret)
            rows = tx.all("ws_answers", {"code": code})
        return [AnswerRow(qid, seat, nick, _decode(value), at)
                for qid, seat, nick, value, at in rows]

    def participants(self, code: str, secret: str) -> int:
        with self.store.snapshot() as tx:
            code = self._check(tx, code, secret)
            return tx.one("ws_count_participants", {"code": code})[0]

    def delete(self, code: str, secret: str) -> int:
        """Delete the session, its questions, participants and answers; how many answers."""
        with self.store.write() as tx:
            code = self._check(tx, code, secret)
            params = {"code": code}
            n = tx.run("ws_delete_answers", params)
            for name in ("ws_delete_participants", "ws_delete_questions", "ws_delete_session"):
                tx.run(name, params)
        return max(n, 0)

    # --- trainee -------------------------------------------------------------------------

    def session(self, code: str) -> SessionView:
        """The session's questions and state (no answers); :class:`NotFound` if none."""
        code = clean_join_code(code)
        rows = self.store.read("ws_session", {"code": code})
        if not rows:
            raise NotFound(_("There is no session {code}. Check the code on the trainer's "
                             "screen.").format(code=code))
        questions = self.store.read("ws_questions", {"code": code})
        now = self.clock()
        return SessionView(*rows[0], tuple(_poll(row, now) for row in questions))

    def suggest(self, text: object) -> str | None:
        """The session a mistyped code most likely means: the first code that exists among
        those made by reading each character codes never use (0 O 1 I L) as one that looks
        like it. None if there is no such session (or the text is no near miss)."""
        for code in code_candidates(text):
            if self.store.read("ws_session_for_join", {"code": code}):
                return code
        return None

    def join(self, code: str, nickname: object, learner: str | None = None) -> Seat:
        """Take a seat. A learner code (from the page URL) already seated gets the same seat
        back, so reloading the page keeps one's answers; a new nickname replaces the old."""
        code = clean_join_code(code)
        try:
            name = clean_nickname(nickname)
        except ValueError:  # too long, or not text: a refusal like any other, in words to show
            raise WorkshopError(
                _("A nickname has at most {n} characters.").format(n=MAX_NICKNAME)
                if isinstance(nickname, str) else _("A nickname must be text.")) from None
        if not name:
            raise WorkshopError(_("Choose a nickname (no real name needed)."))
        learner = learner if is_code(learner) else None
        with self.store.write() as tx:
            if not tx.one("ws_session_for_join", {"code": code}):
                raise NotFound(_("There is no session {code}. Check the code on the "
                                 "trainer's screen.").format(code=code))
            params = {"code": code, "learner": learner, "nickname": name, "now": now()}
            found = learner and tx.one("ws_participant_by_learner", params)
            if found:
                token = found[0]
                tx.run("ws_rename", params | {"token": token})
            else:
                if tx.one("ws_count_participants", params)[0] >= MAX_PARTICIPANTS:
                    raise WorkshopError(_("This session is full."))
                token = secrets.token_urlsafe(16)
                tx.run("ws_join", params | {"token": token})
            row = tx.one("ws_participant", {"code": code, "token": token})
        return Seat(code, *row)

    def answer(self, code: str, token: str, qid: str, value: object) -> object:
        """Record (or replace) the participant's answer; returns the value as stored.
        :class:`Locked` if the trainer has locked the question."""
        code = clean_join_code(code)
        with self.store.write() as tx:
            params = {"code": code, "token": _param(token), "qid": _param(qid)}
            if not tx.one("ws_participant", params):
                raise Forbidden(_("Join the session before answering."))
            row = tx.one("ws_question_for_answer", params)
            if not row:
                raise NotFound(_("This session has no such question."))
            kind, choices, locked, closes_at = row
            if locked:
                raise Locked(_("The trainer has closed this question; your answer was not "
                               "recorded."))
            if _ended(closes_at, self.clock()):
                raise Locked(_("Time is up for this question; your answer was not recorded."))
            stored = _check_value(kind, [v for _, v in json.loads(choices)], value)
            tx.run("ws_answer", params | {"value": json.dumps(stored, ensure_ascii=False),
                                          "now": now()})
        return stored

    def my_answers(self, code: str, token: str) -> dict[str, object]:
        rows = self.store.read("ws_my_answers", {"code": clean_join_code(code),
                                                 "token": _param(token)})
        return {qid: _decode(value) for qid, value in rows}

    # --- plumbing ------------------------------------------------------------------------

    def _check(self, tx, code: object, secret: object) -> str:
        """The session code if ``secret`` is its trainer's, else :class:`Forbidden`."""
        try:
            code = clean_join_code(code)
        except NotFound:
            code = None
        row = tx.one("ws_secret", {"code": code}) if code else None
        given = _hash(secret) if isinstance(secret, str) else ""
        ok = hmac.compare_digest(given, row[0] if row else _NO_SESSION)
        if not (ok and row):
            raise Forbidden(_("This session code and trainer key do not match. Open the "
                              "trainer page from the link shown when the session was "
                              "started."))
        return code

    def _question(self, tx, code: str, qid: str) -> PollQuestion:
        for row in tx.all("ws_questions", {"code": code}):
            if row[0] == qid:
                return _poll(row, self.clock())
        raise NotFound(_("This session has no such question."))

    def _control(self, code: str, secret: str, qid: str, query: str, extra: dict) -> None:
        with self.store.write() as tx:
            code = self._check(tx, code, secret)
            self._question(tx, code, qid)
            tx.run(query, {"code": code, "qid": qid} | extra)


def _param(value: object) -> str | None:
    """A token or question id from a client, as a query parameter. Text no database can take
    (NUL, which PostgreSQL refuses; a lone surrogate, which is not UTF-8) names no row, so it
    becomes NULL, which matches none: the caller refuses it as any unknown token or id."""
    text = str(value)
    if "\x00" in text or any("\ud800" <= ch <= "\udfff" for ch in text):
        return None
    return text


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")


def _when(text: object) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None  # a damaged value is no countdown
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _ended(closes_at: object, now: datetime) -> bool:
    moment = _when(closes_at)
    return moment is not None and moment <= now


def _poll(row: tuple, now: datetime) -> PollQuestion:
    qid, position, prompt, kind, choices, locked, revealed, closes_at = row
    return PollQuestion(qid, prompt, kind, tuple(tuple(c) for c in _decode(choices) or ()),
                        position, bool(locked) or _ended(closes_at, now), bool(revealed),
                        _when(closes_at))


def _decode(text: str) -> object:
    try:
        return json.loads(text)
    except (TypeError, ValueError):
        return None  # a damaged row counts as no answer rather than breaking the tally


def _check_value(kind: str, allowed: list[str], value: object) -> object:
    if kind == "free_text":
        return clean_free_text(value)
    if kind == "which":
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise WorkshopError(_("Choose any number of the options."))
        chosen = sorted(set(value))
        if any(v not in allowed for v in chosen):
            raise WorkshopError(_("That is not one of the options."))
        return chosen
    if value not in allowed:
        raise WorkshopError(_("Choose one of the options."))
    return value
