"""What the two workshop pages (:mod:`.workshop_trainer`, :mod:`.workshop_trainee`) share:
reading the page's address, the status line, callbacks that never raise into the page, and
polling the store on the kernel's event loop. Their HTML comes from the templates in
``templates/workshop/`` (:mod:`npkit.course.widgets.ui`).

The address: under Voila the page's query string (``?session=K7M2QX`` for the trainer,
``?session=K7M2QX&learner=amber-otter-42`` for a trainee) is read once per kernel with
:func:`npkit.course.binding.query_string`; outside Voila (JupyterLab, nbval, tests) it is empty and
nothing waits. Every field is untrusted: a repeated or malformed one is ignored. The trainer's
secret never travels in a query string (servers log those): it follows ``#`` in the trainer
link, and the page's script hands it to the kernel (:mod:`.workshop_trainer`), in the same
``session=...&secret=...`` form, parsed by :func:`session_from_query`.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Callable
from datetime import datetime
from urllib.parse import parse_qs

import ipywidgets as w

from npkit.course.binding import MAX_QUERY, in_voila, query_string
from npkit.course.training.modules import WORKSHOP_PAGES
from npkit.course.widgets import ui
from npkit.i18n import _
from npkit.store.learners import Store, StoreError
from npkit.store.workshop import PollQuestion, Workshop
from npkit.store.workshop.inputs import CODE_LENGTH, WorkshopError, clean_join_code

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())

JOIN_NOTEBOOK, TRAINER_NOTEBOOK = (p.notebook for p in WORKSHOP_PAGES)
MAX_SECRET = 200

_query: str | None = None


def page_query() -> str:
    """The page's query string, read once per kernel ("" outside Voila, never blocking
    there). Under Voila with a preheated kernel this waits for the visitor, so a notebook
    calls it in its last cell."""
    global _query
    if _query is None:
        if not in_voila():
            return ""
        try:
            _query = query_string()
        except Exception as exc:  # noqa: BLE001 - no address is better than a broken page
            log.warning("could not read the page's query string: %r", exc)
            _query = ""
    return _query


def _field(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name, [])
    return values[0] if len(values) == 1 else None


def query_fields(query: object) -> dict[str, list[str]]:
    if not isinstance(query, str) or len(query) > MAX_QUERY:
        return {}
    try:
        return parse_qs(query.lstrip("?"), max_num_fields=20)
    except ValueError:
        return {}


def session_from_query(query: object) -> tuple[str | None, str | None]:
    """``(join code, trainer secret)`` named by the query string; either may be None. A code
    that is not a join code is dropped; the secret is only checked for length here (the store
    checks it against the session)."""
    fields = query_fields(query)
    code = _field(fields, "session")
    try:
        code = clean_join_code(code) if code is not None else None
    except WorkshopError:
        code = None
    secret = _field(fields, "secret")
    if secret is not None and not 0 < len(secret) <= MAX_SECRET:
        secret = None
    return code, secret


def spaced(code: str) -> str:
    """A join code letter by letter, for screen readers ("K 7 M 2 Q X")."""
    return " ".join(code[:CODE_LENGTH])


# --- the status line --------------------------------------------------------------------

LEVELS = {"done": "done", "problem": "warning", "note": "info"}


def status_html(message: str, kind: str = "note") -> str:
    """One line saying what just happened, or why it did not (a readable message, never a
    traceback). A live region, so screen readers announce it."""
    if not message:
        return ""
    return ui.value("status.html.j2", text=message, level=LEVELS.get(kind, "info"))


def show(widget: w.Widget, visible: bool) -> None:
    """Show or hide ``widget``. One already so keeps its Layout: a part built hidden with the
    page's shared hidden Layout (:func:`hidden_layout`) gets its own only when first shown."""
    display = None if visible else "none"
    if widget.layout.display != display:
        ui.own_layout(widget).display = display


def hidden_layout() -> w.Layout:
    """The shared Layout of a part that is built hidden (:func:`show` shows it)."""
    return ui.shared(w.Layout, display="none")


def time_left(seconds: int) -> str:
    """"1:05 left"; "Time is up" at 0 (npkit.js writes the same words as it counts down)."""
    if seconds <= 0:
        return _("Time is up")
    return _("{time} left").format(time=f"{seconds // 60}:{seconds % 60:02d}")


def countdown(question: PollQuestion, now: datetime) -> ui.Markup:
    """The countdown of ``question`` as the page draws it (npkit.js counts it down)."""
    seconds = question.seconds_left(now)
    # the words npkit.js may count down in (data-npk-left: "{time} left", data-npk-up)
    return ui.render("workshop/countdown.html.j2", seconds=seconds, shown=time_left(seconds),
                     left=_("{time} left"), up=_("Time is up"))


def countdown_html(question: PollQuestion, now: datetime) -> str:
    return str(ui.render("frame.html.j2", body=countdown(question, now)))


def readable(exc: BaseException) -> str:
    """The message of a refusal, as a sentence."""
    text = str(exc).strip() or type(exc).__name__
    return text[:1].upper() + text[1:]


class Page:
    """Base of the two pages: ``status`` (HTML), :meth:`say`, :meth:`guard` and polling."""

    def __init__(self) -> None:
        self.status = ui.status_line()
        self.status.add_class("npk-page-status")
        self._task: asyncio.Future | None = None
        self._stopped = False
        self.polls = 0  # rounds of polling done (tests and the report read it)

    def say(self, message: str, kind: str = "note") -> None:
        self.status.value = status_html(message, kind)

    def connect(self, workshop: Workshop | None, store: Store | None, trouble: str) -> None:
        """Use ``workshop``, else one on ``store``, else on the default store; if that cannot
        be opened, ``self.problem`` says ``trouble`` and why, and ``self.workshop`` is None."""
        self.workshop = workshop
        self.problem = ui.html_widget()
        if workshop is None:
            try:
                self.workshop = Workshop(store if store is not None else Store.open())
            except StoreError as exc:
                self.problem.value = ui.value("error_panel.html.j2", title=trouble,
                                              lines=[str(exc)])

    def guard(self, action: Callable[[], object]) -> Callable[..., None]:
        """``action`` as a widget callback: refusals (:class:`WorkshopError`, a store that
        cannot be used, a value the store rejects) are shown in the status line; anything
        else is logged and reported in one line. Nothing ever raises into the page."""

        @functools.wraps(action)
        def run(*_args, **_kwargs) -> None:
            try:
                action()
            except StoreError as exc:  # the store's own words (English): framed in the page's
                self.say(_("The answer store could not be used just now: {problem}").format(
                    problem=exc), "problem")
            except (WorkshopError, ValueError) as exc:
                self.say(readable(exc), "problem")
            except Exception as exc:  # noqa: BLE001 - never a traceback in the page
                log.warning("workshop page: %s failed: %r", action.__name__, exc)
                self.say(_("Something went wrong; nothing was changed. Try again, or "
                           "reload the page."), "problem")

        return run

    def close(self) -> None:
        """Stop polling and close every widget of the page (for a page that was only driven,
        never shown, like the rehearsal's: its widgets leave the kernel and the browser)."""
        self.stop_polling()
        found: list[w.Widget] = []

        def collect(item: object) -> None:
            # A shared look (ui.shared) belongs to every page of the kernel: the rehearsal
            # closing its pages once left the real page's buttons on closed models, and the
            # browser could not draw the page at all.
            if isinstance(item, w.Widget) and not ui.is_shared(item) \
                    and not any(item is f for f in found):
                found.append(item)
                for name in item.keys:  # children, layout, style: widgets too
                    value = getattr(item, name, None)
                    for part in value if isinstance(value, tuple | list) else (value,):
                        collect(part)
            elif isinstance(item, dict):
                for value in item.values():
                    collect(value)

        collect(self.widget)
        for value in vars(self).values():
            collect(value)
        for widget in found:
            widget.close()

    # --- polling ---------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError

    def start_polling(self, interval: float, *, force: bool = False) -> asyncio.Future | None:
        """Call :meth:`refresh` every ``interval`` seconds on the kernel's event loop, until
        :meth:`stop_polling`. Only under Voila (a kernel with a page to update) unless
        ``force``: in JupyterLab or nbval it does nothing, so no cell keeps the kernel busy."""
        if not (force or in_voila()):
            return None
        if self._task is not None and not self._task.done():
            return self._task
        self._stopped = False
        try:
            self._task = asyncio.ensure_future(self.poll(interval))
        except RuntimeError as exc:  # no event loop in this thread
            log.warning("workshop page: cannot poll: %r", exc)
            self._task = None
        return self._task

    def stop_polling(self) -> None:
        self._stopped = True
        if self._task is not None and not self._task.done():
            self._task.cancel()

    async def poll(self, interval: float, rounds: int | None = None) -> None:
        """The polling loop: no exception ends it, only :meth:`stop_polling` (or ``rounds``)."""
        while not self._stopped and (rounds is None or self.polls < rounds):
            await asyncio.sleep(interval)
            if self._stopped:
                break
            try:
                self.refresh()
            except Exception as exc:  # noqa: BLE001 - the loop must outlive any failure
                log.warning("workshop page: refresh failed: %r", exc)
            self.polls += 1
