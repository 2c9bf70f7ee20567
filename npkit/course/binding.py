"""Who is learning, and keeping their answers: the page URL names the learner, the store keeps
what they answer.

The landing page sends every module to ``?learner=<code>&nick=<nickname>``; the code is one
the course server issued (:mod:`npkit.store.codes`). Under Voila,
:func:`current_learner` reads that query string (what ``voila.utils.get_query_string`` gives;
with a preheated kernel the call waits for the visitor, so a module calls it in its last cell,
after the heavy work; the page is complete only once that cell has run, so :func:`bind_learner`
does what does not depend on the visitor before it waits: :func:`_before_the_visitor`).
Anywhere else (JupyterLab, nbval, pytest) it returns an anonymous in-memory learner at once,
never blocks, imports nothing from voila and never touches the store.

:func:`bind_learner` is the one call a module makes:

    bind_learner(module=1, widgets=[tagger, victim_john])

It loads the learner's saved answers into the widgets (the same view comes back after a reload
or in a new kernel) and saves every change. A code the store does not know is never made into a
new learner: the page says so, saves nothing, and the page's script (npkit.js) offers "Start
fresh" and "Re-enter". If the store cannot be used, the module keeps working and says so in one
readable line, never a traceback.

A widget takes part by mixing in :class:`Stateful`: ``state_key`` (its name within the module),
``get_state() -> dict`` of JSON data, ``set_state(dict)`` that treats the dict as untrusted, and
``on_change(callback)``.

Only :class:`Binding` draws (its status line is an ipywidgets HTML widget), so only it imports
ipywidgets, when a page binds: like every npkit module outside ``npkit.course.widgets``, this one
imports with a core install (``pip install npkit``, no notebooks extra), as
tests/test_core_install.py checks.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode

from npkit.i18n import _
from npkit.store.checks import check_module

if TYPE_CHECKING:
    from npkit.store.learners import Store

# The store (npkit.store.learners, SQLite) and the learner codes (npkit.store.codes) are
# imported when a learner is named: a page opened without one never needs them (issue 16).

# Problems go to this logger, never to the page: the NullHandler keeps Python's last-resort
# handler from printing them (a kernel shows stderr under a cell), and no traceback is logged.
log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

# Names of voila.utils.ENV_VARIABLE members (tests check they agree with the installed voila).
KERNEL_ID_VARIABLE = "VOILA_KERNEL_ID"
PREHEAT_VARIABLE = "VOILA_PREHEAT"
QUERY_VARIABLE = "QUERY_STRING"
MAX_QUERY = 2048
QUERY_ATTEMPTS = 3  # tries at voila's query-string websocket before giving up
# A preheated kernel that has heard nothing for this long connects again: a request written to
# a connection that had died is kept for it by the course's server (npkit.course.voila_mends).
ASK_AGAIN_SECONDS = 15.0
RETRY_SECONDS = 20.0  # after the store fails, wait this long before trying it again


@dataclass(frozen=True, slots=True)
class Learner:
    """``persistent`` learners have a code and their answers go to the store; anonymous ones
    (``code is None``) keep answers in the page only."""

    code: str | None = None
    nickname: str | None = None
    persistent: bool = False

    @property
    def name(self) -> str:
        return self.nickname or self.code or "anonymous"


ANONYMOUS = Learner()


def parse_learner(query: object) -> Learner:
    """The learner named by a query string such as ``learner=amber-otter-4271&nick=Amber``.

    Strict: a missing, repeated or malformed ``learner`` gives :data:`ANONYMOUS` (the code is
    tidied first as a typed one is: any case, spaces or underscores for hyphens); a malformed
    ``nick`` (not text, over 40 characters) is dropped and the code kept, since a nickname is
    never required. Control characters are removed from the nickname."""
    if not isinstance(query, str) or len(query) > MAX_QUERY:
        return ANONYMOUS
    try:
        fields = parse_qs(query.lstrip("?"), max_num_fields=20)
    except ValueError:
        return ANONYMOUS
    given = fields.get("learner", [])
    if len(given) != 1:
        return ANONYMOUS
    from npkit.store import codes
    from npkit.store.learners import clean_nickname

    try:
        code = codes.check(given[0])
    except codes.CodeProblem:
        return ANONYMOUS
    nicks = fields.get("nick", [])
    nickname = None
    if len(nicks) == 1:
        try:
            nickname = clean_nickname(nicks[0])
        except ValueError:
            nickname = None
    return Learner(code, nickname, True)


def learner_query(learner: Learner) -> str:
    """``learner=<code>&nick=<nick>`` for links that keep the learner (empty if anonymous)."""
    if not learner.persistent:
        return ""
    pairs = [("learner", learner.code)] + ([("nick", learner.nickname)] if learner.nickname
                                           else [])
    return urlencode(pairs)


def in_voila() -> bool:
    """True inside a kernel started by Voila: Voila sets ``VOILA_KERNEL_ID`` in the kernel
    before the first cell runs. (The name is voila's ``ENV_VARIABLE.VOILA_KERNEL_ID``; it is
    spelt out here because importing ``voila.utils`` takes seconds, and a test checks that
    the two agree.)"""
    return bool(os.environ.get(KERNEL_ID_VARIABLE))


def query_string() -> str:
    """The page's query string, as ``voila.utils.get_query_string()`` gives it.

    A kernel started for a visitor already has it in ``QUERY_STRING`` (that is all
    ``get_query_string`` returns when ``VOILA_PREHEAT`` is not ``"True"``), so it is read
    directly; only a preheated kernel calls voila, which waits until a visitor arrives."""
    if os.environ.get(PREHEAT_VARIABLE, "False") == "False":
        return os.environ.get(QUERY_VARIABLE) or ""
    for _attempt in range(QUERY_ATTEMPTS):
        # the request stays cached in the server, so asking again after a failed connection
        # (e.g. a busy laptop) still gets it
        with _quiet_threads():
            info = _request_info()
        if info is not None:
            for key, value in info.items():
                os.environ[str(key)] = str(value)
            return os.environ.get(QUERY_VARIABLE) or ""
    return ""


def _query_url() -> str:
    """Voila's query-string websocket for this kernel, built as ``voila.utils`` builds it."""
    protocol = os.environ.get("VOILA_WS_PROTOCOL", "ws")
    ip = os.environ.get("VOILA_APP_IP", "127.0.0.1")
    port = os.environ.get("VOILA_APP_PORT", "8866")
    base = os.environ.get("VOILA_WS_BASE_URL", os.environ.get("VOILA_SERVER_URL", "/"))
    return f"{protocol}://{ip}:{port}{base}voila/query/{os.environ.get(KERNEL_ID_VARIABLE)}"


def _request_info(open_timeout: float = 5.0) -> dict | None:
    """Wait for a visitor's request details from the preheated kernel's websocket.

    Does what ``voila.utils.wait_for_request`` does, with tornado's websocket client (already
    loaded in every kernel) instead of importing ``voila.utils``, which pulls in the whole
    Jupyter server and cost several seconds per kernel at startup. Runs its own event loop in
    a thread because the kernel's loop is busy running this cell."""
    box: dict[str, object] = {}

    def inner() -> None:
        from tornado.websocket import websocket_connect

        async def fetch() -> str | None:
            while True:  # a visitor may come hours later; only a failed connection is an error
                conn = await asyncio.wait_for(websocket_connect(_query_url()), open_timeout)
                try:  # sent when a visitor opens the page
                    return await asyncio.wait_for(conn.read_message(), ASK_AGAIN_SECONDS)
                except TimeoutError:
                    continue
                finally:
                    conn.close()

        loop = asyncio.new_event_loop()
        try:
            box["message"] = loop.run_until_complete(fetch())
        except Exception as exc:  # noqa: BLE001 - reported by the caller as "no query"
            log.warning("voila query websocket: %r", exc)
        finally:
            loop.close()

    thread = threading.Thread(target=inner, name="npkit-voila-query", daemon=True)
    thread.start()
    thread.join()
    try:
        info = json.loads(box["message"]) if box.get("message") else None
    except ValueError:
        return None
    return info if isinstance(info, dict) else None


@contextmanager
def _quiet_threads() -> Iterator[None]:
    """voila reads the query string in a helper thread; an error there would print a traceback
    under the cell (threading's excepthook writes to stderr). Keep it out of the page."""
    previous = threading.excepthook
    threading.excepthook = lambda args: log.warning("query string thread: %r", args.exc_value)
    try:
        yield
    finally:
        threading.excepthook = previous


_current: Learner | None = None


def current_learner() -> Learner:
    """The learner this page belongs to (read once per kernel), or :data:`ANONYMOUS`.

    Outside Voila this returns at once and imports nothing. Under Voila with a preheated
    kernel it waits until a visitor opens the page."""
    global _current
    if _current is not None:
        return _current
    if not in_voila():
        return ANONYMOUS
    try:
        found = parse_learner(query_string())
    except Exception as exc:  # noqa: BLE001 - no identity is better than a broken page
        log.warning("could not read the page's query string: %s", exc)
        found = ANONYMOUS
    _current = found
    return found


# --- widgets that keep state ------------------------------------------------------------------


class Stateful:
    """Mixin for a widget whose answers can be saved and restored.

    Subclasses set ``state_key`` and implement ``get_state`` / ``_apply_state``; they call
    ``self._changed()`` whenever an answer changes. ``set_state`` never raises: a state that
    is not a dict, or whose parts are unknown, is ignored part by part."""

    state_key = "widget"

    def on_change(self, callback: Callable[[dict], object]) -> None:
        """Call ``callback(state)`` after every change the trainee makes."""
        self.__dict__.setdefault("_listeners", []).append(callback)

    def get_state(self) -> dict:
        raise NotImplementedError

    def set_state(self, state: object) -> bool:
        """Show ``state`` (untrusted: only values the controls offer are used). Listeners are
        not told (nothing new to save). Returns False if the state was ignored as a whole or
        could not be shown."""
        if not isinstance(state, dict):
            return False
        self.__dict__["_restoring"] = True
        try:
            self._apply_state(state)
            return True
        except Exception as exc:  # noqa: BLE001 - a bad saved state must not break the module
            log.warning("ignored a saved state for %s: %r", self.state_key, exc)
            return False
        finally:
            self.__dict__["_restoring"] = False

    def _apply_state(self, state: dict) -> None:
        raise NotImplementedError

    def _changed(self) -> None:
        if self.__dict__.get("_restoring") or not self.__dict__.get("_listeners"):
            return
        try:
            state = self.get_state()
        except Exception as exc:  # noqa: BLE001
            log.warning("could not read the state of %s: %r", self.state_key, exc)
            return
        for callback in list(self.__dict__.get("_listeners", ())):
            try:
                callback(state)
            except Exception as exc:  # noqa: BLE001 - a listener never breaks the widget
                log.warning("a state listener failed: %r", exc)


# --- binding a module's widgets to the store ----------------------------------------------


def _status_widget():
    from npkit.course.widgets import ui  # the notebooks extra: only a page draws one

    return ui.html_widget()


def _line(state: str, kind: str = "neutral", **values: str) -> str:
    """The status line's HTML for ``state`` (templates/learner_status.html.j2, which escapes
    ``values``)."""
    from npkit.course.widgets import ui

    return ui.value("learner_status.html.j2", state=state, kind=kind,
                    **{"who": "", "message": "", "problem": "", **values})


def _open_store() -> Store:
    """:meth:`Store.open <npkit.store.learners.Store.open>`, the store imported only now."""
    from npkit.store.learners import Store

    return Store.open()


class Binding:
    """The link between one module's widgets and the store, with its status line (``widget``).

    ``unknown`` is True when the page's code names no learner in the store: nothing is saved
    and nobody is created. A module with no widget to keep (``keeps`` False) says that nothing
    on it is saved, and only records that the learner opened it.

    Displaying a Binding (the last expression of a notebook cell) shows the status line."""

    def __init__(self, module: int, widgets: Iterable[object], learner: Learner,
                 store: Store | None = None, opener: Callable[[], Store] | None = None,
                 header: object = None, status: object = None) -> None:
        self.header = header
        self.learner = learner
        self.module = check_module(module)
        self.widgets: dict[str, Stateful] = {}
        for widget in widgets:
            if not isinstance(widget, Stateful):
                continue  # e.g. an error panel shown instead of a widget that failed to build
            key = str(getattr(widget, "state_key", "widget"))
            base, n = key, 1
            while key in self.widgets:
                n += 1
                key = f"{base}-{n}"
            self.widgets[key] = widget
        self.store = store
        # After a failure, try again on the next change: the same store if one was given.
        self._opener = (opener or _open_store) if store is None else (lambda: store)
        self.problem: str | None = None
        self._pending: dict[str, object] = {}
        self._pause_until = 0.0
        # the status line, made by bind_learner before a preheated kernel's visitor came
        self.widget = _status_widget() if status is None else status
        self.restored = 0
        self.unknown = False
        if not learner.persistent:
            self._show()
            return
        try:
            if self.store is None:
                self.store = self._opener()
            record = self.store.visit(learner.code, self.module, learner.nickname)
            if record is None:
                self.unknown = True
                self.store = None
                self._show()
                return
            if not learner.nickname and record.nickname:
                self.learner = Learner(learner.code, record.nickname, True)
            saved = self.store.load(learner.code, self.module)
        except Exception as exc:  # noqa: BLE001 - never a traceback in the page
            self.store = None
            self._pause_until = time.monotonic() + RETRY_SECONDS
            self._fail(exc)
            saved = {}
        for key, widget in self.widgets.items():
            if key in saved and widget.set_state(saved[key]):
                self.restored += 1
            widget.on_change(self._saver(key))
        self._show()

    def _saver(self, key: str) -> Callable[[dict], None]:
        def save(state: dict) -> None:
            self.save(key, state)

        return save

    def save(self, key: str, state: object) -> bool:
        """Save one widget's state (and any still waiting from an earlier failure). On
        failure the status line says so and nothing raises; the state waits, and the store is
        tried again on a change at least :data:`RETRY_SECONDS` later, so a locked file does
        not make every click wait for the busy timeout."""
        if not self.learner.persistent or self.unknown:
            return False
        self._pending[key] = state
        if time.monotonic() < self._pause_until:
            return False
        return self.flush()

    def flush(self) -> bool:
        """Write every waiting state now; True if none is left waiting."""
        try:
            if self.store is None:  # the store failed before: try again, it may be back
                self.store = self._opener()
            for key, state in list(self._pending.items()):
                try:
                    self.store.save(self.learner.code, self.module, key, state)
                except ValueError:  # this state can never be stored (e.g. too large)
                    log.warning("answer %s of module %s is not storable", key, self.module)
                del self._pending[key]
        except Exception as exc:  # noqa: BLE001 - never a traceback in the page
            self._pause_until = time.monotonic() + RETRY_SECONDS
            self._fail(exc)
            return False
        self._pause_until = 0.0
        if self.problem is not None:
            self.problem = None
            self._show()
        return True

    def _fail(self, exc: BaseException) -> None:
        log.warning("learner store failed: %s", exc)
        self.problem = str(exc) or type(exc).__name__
        self._show()

    @property
    def keeps(self) -> bool:
        """Whether this page has answers to keep (a reading page has none)."""
        return bool(self.widgets)

    def _show(self) -> None:
        self._show_in_header()
        who = self.learner.name
        if not self.learner.persistent:
            self.widget.value = _line("anonymous")
        elif self.unknown:
            from npkit.store import codes

            self.widget.value = _line("unknown", "problem",
                                      message=codes.unknown_message(self.learner.code))
        elif self.problem is not None:
            self.widget.value = _line("problem", "problem", who=who, problem=self.problem)
        elif not self.keeps:
            self.widget.value = _line("nothing_to_keep", who=who)
        else:
            self.widget.value = _line("saved", "saved", who=who)

    def _show_in_header(self) -> None:
        """Tell the module header (``npkit.course.widgets.base.ModuleHeader``: ``show_learner`` and
        ``set_query``, used only if present) whose answers are kept, and give its links the
        learner."""
        header, who = self.header, self.learner
        if header is None:
            return
        try:
            if (who.persistent and not self.unknown
                    and callable(getattr(header, "set_query", None))):
                header.set_query(learner_query(who))
            if callable(getattr(header, "show_learner", None)):
                if self.unknown:
                    from npkit.store import codes

                    header.show_learner(None, None, codes.unknown_message(who.code))
                elif who.persistent and self.problem is None and not self.keeps:
                    header.show_learner(None, None, _(
                        "This page has nothing to save. Your learner code {code} goes with you "
                        "to the other modules.").format(code=who.code))
                elif who.persistent and self.problem is None:
                    header.show_learner(who.code, who.nickname)
                elif who.persistent:
                    header.show_learner(None, None, _(
                        "They could not be saved on this computer just now: see the note at "
                        "the end of the page."))
                else:
                    header.show_learner(None)
        except Exception as exc:  # noqa: BLE001 - the header is a courtesy, never a failure
            log.warning("could not update the module header: %r", exc)

    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)


def waits_for_visitor() -> bool:
    """True in a kernel Voila preheated, until the page's visitor is known: then
    :func:`current_learner` blocks until someone opens the page."""
    return (_current is None and in_voila()
            and os.environ.get(PREHEAT_VARIABLE, "False") != "False")


def _before_the_visitor() -> None:
    """What binding a learner needs whoever the visitor is, done while a preheated kernel
    still waits for them: the store's modules imported and the status line's templates
    compiled. The visitor's page is complete only once the binding cell has run, so every
    millisecond of it counts in their first render; done here, it costs them none (issue 16).
    A page that never waits (a kernel started for its visitor, JupyterLab) skips this and
    imports the store only when a learner is named."""
    import npkit.store.codes
    import npkit.store.learners  # noqa: F401 - imported for the visitor's binding
    from npkit.course.widgets import ui

    for template in ("learner_status.html.j2", "learner_line.html.j2"):
        ui.env().get_template(template)


def anonymous_now() -> bool:
    """True when the page's learner is known without waiting (not a preheated kernel before
    its visitor) and is anonymous: :func:`bind_learner` will then tell the header that
    nothing is kept, so the header can say so when it is made (issue 16: no update)."""
    return not waits_for_visitor() and not current_learner().persistent


def bind_learner(module: int, widgets: Iterable[object], *, header: object = None,
                 learner: Learner | None = None, store: Store | None = None) -> Binding:
    """Load the current learner's answers for ``module`` into ``widgets`` and save every
    change. Returns the :class:`Binding`; as a cell's last expression it shows the status
    line. ``header`` (the module's ``module_header``) also shows who is signed in and gets the
    learner in its links. Anonymous learners (outside Voila, or no code in the URL) never
    touch the store."""
    status = None
    if learner is None and waits_for_visitor():
        try:
            _before_the_visitor()
            status = _status_widget()
        except Exception as exc:  # noqa: BLE001 - only a head start: the binding does it later
            log.warning("could not prepare for the visitor: %r", exc)
    who = current_learner() if learner is None else learner
    from npkit.course.widgets.first_state import opened_when_built

    # the status line opens with its words (issue 16: no update for a page nobody sees yet)
    with opened_when_built():
        try:
            return Binding(module, widgets, who, store, header=header, status=status)
        except Exception as exc:  # noqa: BLE001 - e.g. a bad module number: say so, keep working
            log.warning("bind_learner failed: %r", exc)
            binding = Binding(0, [], ANONYMOUS, header=header, status=status)
            binding.problem = str(exc)
            return binding
