"""The course server's learner API, used by the landing page and module pages (npkit.js).

    GET  <base>npkit/api/learner        {"ready": true}, and the _xsrf cookie the POSTs need
    POST <base>npkit/api/learner/new    {"nickname": "..."}  -> a newly issued code
    POST <base>npkit/api/learner/check  {"code": "..."}      -> known (with progress),
                                                                unknown, or invalid

The code travels in the POST body, so it is in no address, no access log line and no browser
history entry for these calls. (A module page still carries it in its own address,
``?learner=``, because a kernel can only learn whose page it is from the page's query string;
:func:`hide_codes_in_logs` keeps it out of the server's log.)

Guessing: a check of a well-formed code that names nobody (``unknown``) counts against the
caller and against everyone (:class:`RateLimit`); past either limit every check is refused for
a while, known codes included, so the answer teaches a guesser nothing. A reply about an unknown
code holds only the code sent; one about a known code holds that learner's nickname and
progress, which is what the code is for. ``python -m npkit.store.codes`` gives the code space.

Everything here but :func:`handlers` works without a web server, so
tests call :class:`LearnerService` directly. Replies carry plain text; the page sets it with
``textContent``.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import deque
from collections.abc import Callable

from npkit import i18n
from npkit.course.training.modules import MODULES
from npkit.i18n import N_
from npkit.store import codes
from npkit.store.learners import MAX_NICKNAME, Progress, Store, StoreError, clean_nickname

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

ROUTE = "npkit/api/learner"
MAX_BODY = 2048  # bytes: a code and a nickname fit many times over
# Unknown codes one caller (one address) may try per window, and everyone together.
CHECKS_PER_CLIENT = 10
CHECKS_IN_ALL = 100
# New codes one caller may take per window (a room of 30 behind one address fits), and all.
ISSUES_PER_CLIENT = 60
ISSUES_IN_ALL = 600
WINDOW_SECONDS = 60.0
# Query parameters never written to the server's log ("code": the API takes none in its
# address, but a request that tries must not put one in the log either).
SECRET_PARAMS = ("learner", "nick", "code")
_SECRET = re.compile(rf"([?&](?:{'|'.join(SECRET_PARAMS)})=)[^&\s#'\"]*")

# The replies' words are in the language the page asks for (``"lang"`` in the request's body):
# this runs in the server, where one process serves every language, so never npkit.i18n.use().
WAIT = N_("Too many codes were tried from here in a short time. Wait a minute, then try again.")
UNAVAILABLE = N_("Your code could not be checked just now: the course's answer store is not "
                 "available. Try again in a moment; if it keeps happening, tell your trainer.")
NOT_UNDERSTOOD = N_("The request was not understood.")
# The store's refusals of a nickname (npkit.store.learners.clean_nickname), in words to show.
NICK_NOT_TEXT = N_("A nickname must be text.")
NICK_TOO_LONG = N_("A nickname has at most {n} characters.")


def language(body: object) -> Callable[[str], str]:
    """The gettext of the language a request's body names (``"lang"``; English by default)."""
    lang = body.get("lang") if isinstance(body, dict) else None
    return i18n.translations(i18n.normalise(lang)).gettext


class RateLimit:
    """At most ``per_client`` events per caller and ``in_all`` events in total within any
    ``window`` seconds. ``clock`` is injectable so tests need not wait."""

    def __init__(self, per_client: int, in_all: int, window: float = WINDOW_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_client, self.in_all, self.window, self.clock = per_client, in_all, window, clock
        self._clients: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()

    def _trim(self, events: deque[float], now: float) -> deque[float]:
        while events and events[0] <= now - self.window:
            events.popleft()
        return events

    def allows(self, client: str) -> bool:
        now = self.clock()
        mine = self._trim(self._clients.get(client, deque()), now)
        if not mine:
            self._clients.pop(client, None)
        return len(mine) < self.per_client and len(self._trim(self._all, now)) < self.in_all

    def note(self, client: str) -> None:
        now = self.clock()
        self._clients.setdefault(client, deque()).append(now)
        self._all.append(now)
        if len(self._clients) > 10 * self.in_all:  # many one-off callers: forget the idle ones
            for key in [k for k, v in self._clients.items() if not self._trim(v, now)]:
                del self._clients[key]


class LearnerService:
    """What the API answers, as ``(HTTP status, JSON-ready dict)``; the store is opened on
    first use and again after a failure."""

    def __init__(self, opener: Callable[[], Store] = Store.open,
                 checks: RateLimit | None = None, issues: RateLimit | None = None) -> None:
        self._opener = opener
        self._store: Store | None = None
        self.checks = checks or RateLimit(CHECKS_PER_CLIENT, CHECKS_IN_ALL)
        self.issues = issues or RateLimit(ISSUES_PER_CLIENT, ISSUES_IN_ALL)

    def store(self) -> Store:
        if self._store is None:
            self._store = self._opener()
        return self._store

    def _with_store(self, work: Callable[[Store], tuple[int, dict]],
                    say: Callable[[str], str] = str) -> tuple[int, dict]:
        try:
            return work(self.store())
        except (StoreError, OSError) as exc:
            log.warning("learner API: the store failed: %s", exc)
            self._store = None
            return 503, {"status": "error", "message": say(UNAVAILABLE)}

    def check(self, body: object, client: str) -> tuple[int, dict]:
        say = language(body)
        raw = body.get("code") if isinstance(body, dict) else None
        try:
            code = codes.check(raw)
        except codes.CodeProblem as exc:
            return 200, {"status": "invalid", "message": exc.say(say)}
        if not self.checks.allows(client):
            return 429, {"status": "wait", "message": say(WAIT)}

        def work(store: Store) -> tuple[int, dict]:
            progress = store.progress(code)
            if progress is None:
                self.checks.note(client)
                return 200, {"status": "unknown", "code": code,
                             "message": codes.unknown_message(code, say)}
            return 200, known(progress, say)

        return self._with_store(work, say)

    def new(self, body: object, client: str) -> tuple[int, dict]:
        say = language(body)
        raw = body.get("nickname") if isinstance(body, dict) else None
        try:
            nickname = clean_nickname(raw)
        except ValueError:
            message = (say(NICK_TOO_LONG).format(n=MAX_NICKNAME) if isinstance(raw, str)
                       else say(NICK_NOT_TEXT))
            return 400, {"status": "invalid", "message": message}
        if not self.issues.allows(client):
            return 429, {"status": "wait", "message": say(WAIT)}
        self.issues.note(client)

        def work(store: Store) -> tuple[int, dict]:
            record = store.issue(nickname)
            return 200, known(store.progress(record.code), say)

        return self._with_store(work, say)


def known(progress: Progress, say: Callable[[str], str] = str) -> dict:
    """The reply about a known learner: their code, nickname and a line per module, in the
    words of ``say`` (a language's gettext, :func:`language`)."""
    modules = []
    for m in MODULES:
        p = progress.modules.get(m.number)
        modules.append({"number": m.number, "notebook": m.notebook,
                        "state": _state(p), "text": _module_line(m.keeps_answers, p, say)})
    latest = progress.latest
    here = next((m for m in MODULES if latest and m.number == latest.module), None)
    opened = sum(1 for m in modules if m["state"] != "new")
    return {
        "status": "known", "code": progress.learner.code, "nickname": progress.learner.nickname,
        "modules": modules,
        "summary": say(N_("You have opened {n} of {total} modules.")).format(n=opened,
                                                                           total=len(MODULES)),
        "continue": None if here is None else {
            "number": here.number, "notebook": here.notebook,
            "text": say(N_("Continue where you left off: module {n}, {title}")).format(
                n=here.number, title=say(here.title))},
    }


def _state(p) -> str:
    if p is None or not p.last:
        return "new"
    return "answered" if p.answers else "opened"


def _day(iso: str | None) -> str:
    return (iso or "")[:10]  # the date of an ISO time, e.g. 2026-12-04 (UTC)


def _module_line(keeps: bool, p, say: Callable[[str], str] = str) -> str:
    if p is None or not p.last:
        return say(N_("Not opened yet."))
    if not keeps:
        return say(N_("Opened on {day}. This module has nothing to save.")).format(
            day=_day(p.opened_at))
    if p.answers:
        return say(N_("Answers saved, the latest on {day}.")).format(day=_day(p.answered_at))
    return say(N_("Opened on {day}; no answers saved yet.")).format(day=_day(p.opened_at))


def scrub(text: str) -> str:
    """``text`` (a log message, an address) with the values of :data:`SECRET_PARAMS` hidden."""
    return _SECRET.sub(r"\1[hidden]", text)


class HideCodes(logging.Filter):
    """Rewrites a log record whose message names a learner code or nickname in an address
    (Tornado logs the address of every failed request, and of every request at INFO)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken record is the logger's to report
            return True
        hidden = scrub(message)
        if hidden != message:
            record.msg, record.args = hidden, ()
        return True


def hide_codes_in_logs(*loggers: logging.Logger) -> None:
    """Keep learner codes and nicknames out of Tornado's logs and of ``loggers``."""
    names = ("tornado.access", "tornado.general", "tornado.application")
    for logger in (*map(logging.getLogger, names), *loggers):
        if not any(isinstance(f, HideCodes) for f in logger.filters):
            logger.addFilter(HideCodes())


def handlers(server_url: str, service: LearnerService | None = None) -> list[tuple]:
    """The API's Tornado routes under ``server_url`` (Voila's base URL). Jupyter Server's
    APIHandler gives them the server's authentication and XSRF check."""
    from jupyter_server.base.handlers import APIHandler
    from jupyter_server.utils import url_path_join
    from tornado import web

    service = service or LearnerService()

    class LearnerHandler(APIHandler):
        def set_default_headers(self):
            super().set_default_headers()
            self.set_header("Cache-Control", "no-store")

        @web.authenticated
        def get(self, action: str | None = None):
            if action is not None:
                raise web.HTTPError(405)
            self.xsrf_token  # noqa: B018 - the property sets the cookie the POSTs need
            self.finish(json.dumps({"ready": True}))

        @web.authenticated
        def post(self, action: str | None = None):
            if action is None:
                raise web.HTTPError(405)
            body = None
            if len(self.request.body) <= MAX_BODY:
                try:
                    body = json.loads(self.request.body or b"null")
                except ValueError:
                    body = None
            if not isinstance(body, dict):
                status, reply = 400, {"status": "invalid",
                                      "message": language(None)(NOT_UNDERSTOOD)}
            elif action == "new":
                status, reply = service.new(body, self.request.remote_ip or "")
            else:
                status, reply = service.check(body, self.request.remote_ip or "")
            self.set_status(status)
            self.finish(json.dumps(reply))

    return [(url_path_join(server_url, ROUTE), LearnerHandler),
            (url_path_join(server_url, ROUTE, "(check|new)"), LearnerHandler)]
