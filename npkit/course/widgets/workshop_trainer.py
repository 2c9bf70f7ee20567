"""The trainer's workshop page: start a session on a case's questions, put the join address,
code and QR code on the projector, watch the answers arrive, lock (or count down), reveal
npkit's answer, move on, export and delete.

    page = TrainerPage()            # the start form (cases that ask the room questions)
    page.case.value = "jane"; page.start_button.click()
    page.code, page.secret          # the join code and the trainer's secret (shown once)
    page.refresh()                  # re-read the answers; redraws only if something changed
    page.lock_button.click(); page.reveal_button.click(); page.next_button.click()
    page.present_button.click()     # Present: code, QR, question and chart fill the screen

What is projected and what is not: the stage (join address, code, QR code, room password,
question, chart) and the controls are for the room; the instructions, the private trainer
link, the downloads and Delete sit in the trainer panel, closed unless the trainer opens it
(in Present mode a side panel over the stage).

Resuming, with the secret never in an address a server logs or the address bar shows:

- This browser remembers the sessions it started or opened (npkit.js keeps them in
  localStorage, handed over through the hidden ``vault``); after a reload the start form
  offers "Resume session K7M2QX" (``resume_button``).
- The private "trainer link" opens the session in any browser:
  ``09_workshop_trainer.ipynb?session=CODE#secret=SECRET``. The secret is in the fragment
  (after ``#``), which a browser never sends to a server; npkit.js takes it out of the address
  bar at once.

Either way the script types ``session=CODE&secret=SECRET`` (with ``&offer=1`` for a
remembered one) into a hidden field of the page, ``link_key``; the kernel reads it, empties
the field and checks the secret in the store like any other input. A secret in the query
string (an address a server sees and logs) is never used.

Every control acts through :class:`npkit.store.workshop.Workshop`, which checks the secret on every
trainer operation and enforces a lock and a countdown itself, so a crafted widget message (a
click on a disabled button, a value no control offers) can do no more than the trainer's own
buttons. What the page remembers in the kernel (which question it shows, whether deleting was
asked for) is never read back from the widgets, whose state the browser can change.
"""

from __future__ import annotations

import base64
import tempfile
import time
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

import ipywidgets as w
from markupsafe import Markup

from npkit import i18n
from npkit.casefile.case import Case
from npkit.course import room
from npkit.course.widgets import handout_link, ui
from npkit.course.widgets.first_state import opened_when_built
from npkit.course.widgets.poll_chart import chart_html, percent, shown_question
from npkit.course.widgets.workshop_page import (
    JOIN_NOTEBOOK,
    TRAINER_NOTEBOOK,
    Page,
    countdown,
    hidden_layout,
    page_query,
    query_fields,
    session_from_query,
    show,
    spaced,
)
from npkit.i18n import N_, _, ngettext
from npkit.questions import AnswerKey
from npkit.store.learners import Store, StoreError
from npkit.store.workshop import NotFound, SessionView, Workshop, WorkshopError
from npkit.store.workshop.inputs import MAX_TITLE
from npkit.store.workshop.polls import keys_by_id, poll_questions
from npkit.store.workshop.report import results_frame, summary_html, to_csv
from npkit.store.workshop.sessions import TIMER_SECONDS

POLL_SECONDS = 1.0
VAULT_SECONDS = 3.0  # the vault is emptied this long after it was filled (npkit.js read it)
HOW = {"outcome": N_("Trainees choose one answer."),
       "which": N_("Trainees tick every answer that applies."),
       "free_text": N_("Trainees answer in their own words.")}


def trainer_link(code: str, secret: str) -> str:
    """The private link that reopens a session: the join code in the query, the secret in the
    fragment (a browser never sends what follows ``#``)."""
    return f"{TRAINER_NOTEBOOK}?{urlencode({'session': code})}#secret={quote(secret, safe='')}"


def cases_with_questions(cases: Iterable[Case] | None = None) -> list[Case]:
    """The cases a session can be started on: those whose file asks the room questions."""
    if cases is None:
        from npkit.casefile.library import library

        cases = library().cases
    return [c for c in cases if c.questions]


def stored_case(case: Case) -> Case:
    """``case`` as the store keeps its questions: in English, the cases' own language, whatever
    this page's, so that a session (and its exported results) reads the same from every page;
    each page shows the prompt and choices in its own words (poll_chart.shown_question). A
    case the English library lacks (or holds with other questions) is kept as given."""
    if i18n.current() == i18n.DEFAULT:
        return case
    from npkit.casefile.library import library

    try:
        english = {c.id: c for c in library(lang=i18n.DEFAULT).cases}.get(case.id)
    except (OSError, ValueError):
        return case
    same = english is not None and [q.id for q in english.questions] == [
        q.id for q in case.questions]
    return english if same else case


def data_href(text: str, mime: str) -> str:
    """A ``data:`` URI that downloads ``text`` with no server round trip."""
    return f"data:{mime};charset=utf-8;base64," + base64.b64encode(
        text.encode("utf-8")).decode("ascii")


def _hidden(kind: type, cls: str, **traits) -> w.Widget:
    """A field npkit.js reads or fills, never shown: the page's shared hidden Layout and the
    shared style of its kind, its class in its first state."""
    return kind(layout=hidden_layout(), style=ui.shared_style(kind), _dom_classes=(cls,),
                **traits)


class TrainerPage(Page):
    """The trainer's page. ``widget`` is the root; the controls and outputs are attributes:
    start form ``case``, ``handouts`` (the case's printable handout and answer key,
    :mod:`~npkit.course.widgets.handout_link`), ``title``, ``start_button`` (and
    ``resume_button`` when this browser remembers a session); then the stage ``join_info``,
    ``question``, ``participants``, ``chart``; the controls ``prev_button``, ``lock_button``,
    ``reveal_button``, ``next_button``, ``timer_seconds`` / ``timer_button``,
    ``present_button``, ``panel_button``; the trainer panel ``address`` /
    ``address_button``, ``private``, ``export_button`` / ``export``, ``delete_button`` /
    ``confirm_delete_button`` / ``cancel_delete_button``; and ``status``.

    ``workshop`` (or ``store``) says where sessions are kept; by default the store
    :meth:`Store.open` finds ($NPKIT_DB_URL, $NPKIT_STORE, or the course's SQLite file)."""

    @opened_when_built()  # each widget opens with its first state (issue 16)
    def __init__(self, cases: Iterable[Case] | None = None, *,
                 workshop: Workshop | None = None, store: Store | None = None) -> None:
        super().__init__()
        self.cases = cases_with_questions(cases)
        self._by_id = {c.id: c for c in self.cases}
        self.connect(workshop, store,
                     _("Workshop sessions cannot be kept on this computer just now."))
        self.code: str | None = None
        self.secret: str | None = None
        self.view: SessionView | None = None
        self.keys: dict[str, AnswerKey] = {}
        self.case_file: Case | None = None
        self._signature: tuple | None = None
        self._shown_qid: str | None = None
        self._shown_locked = False
        self._shown_revealed = False
        self._confirming = False
        self._offered: tuple[str, str] | None = None
        self._origin: str | None = None
        self._typed_address: str | None = None
        self._vault_n = 0
        self._vault_at = 0.0
        self.presenting = False
        self.panel_open = False

        # the start form; parts that look alike share their Layout and style (issue 16)
        labelled = ui.shared_style(w.Dropdown, description_width="initial")
        labelled_text = ui.shared_style(w.Text, description_width="initial")
        options = [(c.title, c.id) for c in self.cases]
        self.case = w.Dropdown(options=options, value=options[0][1] if options else None,
                               description=_("Case"), layout=ui.shared(w.Layout),
                               style=labelled)
        self.title = ui.typed(w.Text, description=_("Title"),
                              placeholder=_("e.g. Prosecutors, Bangkok, May"),
                              layout=ui.shared(w.Layout), style=labelled_text)
        self.start_button = ui.button(_("Start a session"), kind="primary", tooltip=_(
            "Start a workshop session on this case and show its join code"))
        self.resume_text = ui.html_widget()
        self.resume_button = ui.button(_("Resume session"), kind="primary",
                                       tooltip=_("Open the session this browser remembers"))
        self.resume_box = w.VBox([self.resume_text, self.resume_button], layout=hidden_layout())
        # "Print handouts for this case": made in this kernel, in the page's language
        self.handouts = handout_link.for_dropdown(self.case, self._by_id)
        self.start_form = ui.vbox([
            ui.html_widget("workshop/start_intro.html.j2", any_cases=bool(self.cases)),
            self.resume_box, self.case, self.handouts, self.title, self.start_button],
            "npk-ws-start")

        # the stage: what the room sees
        self.join_info = ui.html_widget(classes=("npk-ws-join",))
        self.question = ui.html_widget()
        self.participants = ui.html_widget()
        self.chart = ui.html_widget(classes=("npk-ws-chart",))
        main = ui.vbox([self.question, self.participants, self.chart], "npk-ws-main")
        self.stage = ui.hbox([self.join_info, main], "npk-ws-stage")

        # the controls
        self.prev_button = ui.button(_("Previous"),
                                     tooltip=_("Go back to the previous question"))
        self.lock_button = ui.button(_("Lock answers"),
                                     tooltip=_("Stop accepting answers to this question"))
        self.reveal_button = ui.button(_("Reveal npkit's answer"), tooltip=_(
            "Show npkit's answer and why, here and on every trainee's screen"))
        self.next_button = ui.button(_("Next"),
                                     tooltip=_("Move everyone on to the next question"))
        low, high = TIMER_SECONDS
        self.timer_seconds = w.BoundedIntText(value=60, min=low, max=high,
                                              description=_("Countdown, seconds"),
                                              style=labelled,
                                              layout=ui.shared(w.Layout, width="auto"),
                                              _dom_classes=("npk-ws-seconds",))
        self.timer_button = ui.button(_("Start countdown"), tooltip=_(
            "Open this question for that many seconds, then close it"))
        self.present_button = ui.button(_("Present"), tooltip=_(
            "Show the code, the QR code, the question and the chart on one screen for the "
            "projector"))
        self.panel_button = ui.button(_("Show trainer panel"), tooltip=_(
            "Instructions, the private trainer link, downloads and Delete: not for the "
            "projector"))
        self.controls = ui.hbox([self.prev_button, self.lock_button, self.reveal_button,
                                 self.next_button, self.timer_seconds, self.timer_button,
                                 self.present_button, self.panel_button], "npk-ws-controls")

        # the trainer panel: not for the projector
        self.address = ui.typed(w.Text, description=_("Address for the room"),
                                placeholder=_("e.g. http://192.168.1.20:8080/join"),
                                layout=ui.shared(w.Layout), style=labelled_text)
        self.address_button = ui.button(_("Use this address"), tooltip=_(
            "Show this address and its QR code to the room (empty: the automatic one)"))
        self.address_note = ui.html_widget()
        self.private = ui.html_widget()
        self.export_button = ui.button(_("Prepare downloads"), tooltip=_(
            "Make the results (CSV) and a one-page summary (HTML) ready to download"))
        self.export = ui.html_widget()
        self.delete_button = ui.button(_("Delete this session"), kind="danger", tooltip=_(
            "Delete the session, its participants and every answer"))
        self.confirm_delete_button = ui.button(
            _("Yes, delete it and every answer"), kind="danger",
            tooltip=_("Delete the session now; this cannot be undone"))
        self.cancel_delete_button = ui.button(_("Keep the session"),
                                              tooltip=_("Do not delete anything"))
        self.confirm_text = ui.html_widget()
        # built hidden, they share one hidden Layout until show() gives one its own
        self.confirm_box = w.VBox([self.confirm_text, ui.box(
            [self.confirm_delete_button, self.cancel_delete_button], row=True)],
            layout=hidden_layout())
        self.panel = w.VBox([
            ui.html_widget("heading.html.j2", text=_("Trainer panel (not for the projector)")),
            ui.html_widget("workshop/trainer_help.html.j2"),
            self.address_note, ui.box([self.address, self.address_button], row=True),
            self.private,
            ui.box([self.export_button, self.delete_button], row=True),
            self.export, self.confirm_box], layout=hidden_layout(),
            _dom_classes=("npk-ws-panel",))
        self.screen = w.VBox([self.stage, self.controls, self.panel], layout=hidden_layout(),
                             _dom_classes=("npk-ws-screen",))
        self.ended = ui.html_widget()
        # Hidden fields for npkit.js (see the module's docstring): the trainer link's secret
        # arrives in link_key (a Password widget, so that it would show no secret if it were
        # ever drawn), the browser's own address in origin_key; the vault tells the script
        # which sessions to remember.
        self.link_key = _hidden(w.Password, "npk-trainer-key", description=_("Trainer link"))
        self.link_key.observe(self._link_handed, "value")
        self.origin_key = _hidden(w.Text, "npk-trainer-origin", description=_("Page address"))
        self.origin_key.observe(self._origin_handed, "value")
        self.vault = _hidden(w.HTML, "npk-trainer-vault")
        self.widget = ui.vbox([ui.stylesheet(), self.problem, self.ended, self.start_form,
                               self.screen, self.status, self.link_key, self.origin_key,
                               self.vault], "npk-workshop-trainer")

        for button, action in (
                (self.start_button, self._start), (self.resume_button, self._resume_offered),
                (self.lock_button, self._lock), (self.reveal_button, self._reveal),
                (self.prev_button, self._previous), (self.next_button, self._next),
                (self.timer_button, self._timer), (self.present_button, self._present),
                (self.panel_button, self._toggle_panel),
                (self.address_button, self._use_address),
                (self.export_button, self._export), (self.delete_button, self._ask_delete),
                (self.confirm_delete_button, self._delete),
                (self.cancel_delete_button, self._cancel_delete)):
            button.on_click(self.guard(action))

    # --- opening a session -------------------------------------------------------------------

    def _need_store(self) -> Workshop:
        if self.workshop is None:
            raise WorkshopError(_("Workshop sessions cannot be kept on this computer just now "
                                  "(see the message above)."))
        return self.workshop

    def _start(self) -> None:
        ws = self._need_store()
        case = self._by_id.get(self.case.value)  # a crafted value names no case: refused
        if case is None:
            raise WorkshopError(_("Choose one of the cases in the list."))
        title = self.title.value.strip() if isinstance(self.title.value, str) else ""
        if len(title) > MAX_TITLE:
            raise WorkshopError(_("A title has at most {limit} characters; this one has "
                                  "{n}.").format(limit=MAX_TITLE, n=len(title)))
        new = ws.create(case.id, poll_questions(stored_case(case)),
                        title=title or case.title[:MAX_TITLE])
        self._open(new.code, new.secret)
        n = len(self.view.questions)
        self.say(ngettext("Session {code} started: {n} question on {case}. Press Present to "
                          "put the join code on the projector.",
                          "Session {code} started: {n} questions on {case}. Press Present to "
                          "put the join code on the projector.", n).format(
            code=new.code, n=n, case=case.title), "done")

    def resume(self, link: object) -> bool:
        """Open the session named by ``session=CODE&secret=SECRET`` (what npkit.js hands over
        from the trainer link); without both, the start form stays. A wrong secret is refused
        with a readable message. With ``offer=1`` (a session this browser remembers) the
        session is only offered: "Resume session CODE"."""
        code, secret = session_from_query(link)
        if code is None or secret is None:
            return False
        if (code, secret) == (self.code, self.secret):
            return True  # the trainer link followed again on its own page: already open
        if query_fields(link).get("offer") == ["1"]:
            return self._offer(code, secret)
        try:
            self._open(code, secret)
        except (WorkshopError, StoreError) as exc:
            self._remember("forget", code)  # this browser keeps no key that fails
            self.say(_("{problem} You can start a new session below.").format(problem=exc),
                     "problem")
            return False
        self.say(_("Session {code} reopened.").format(code=code), "done")
        return True

    def _offer(self, code: str, secret: str) -> bool:
        if self.code is not None:
            return False  # a session is open already
        try:
            view = self._need_store().trainer_view(code, secret)
        except (WorkshopError, StoreError):
            self._remember("forget", code)  # deleted, or not this browser's to resume
            return False
        self._offered = (view.code, secret)
        self.resume_text.value = ui.value("workshop/resume.html.j2", code=view.code,
                                          title=view.title)
        self.resume_button.description = _("Resume session {code}").format(code=view.code)
        show(self.resume_box, True)
        return True

    def _resume_offered(self) -> None:
        if self._offered is None:
            raise WorkshopError(_("No session to resume: start a new one below."))
        code, secret = self._offered
        self.resume(urlencode({"session": code, "secret": secret}))

    def _link_handed(self, change: dict) -> None:
        link = change.get("new")
        if not link:
            return
        self.link_key.value = ""  # the secret is kept in the kernel only, not in widget state
        self.guard(lambda: self.resume(link))()

    def _origin_handed(self, change: dict) -> None:
        origin = change.get("new")
        if isinstance(origin, str) and origin != self._origin:
            self._origin = origin[:room.MAX_ADDRESS]
            if self.view is not None:
                self.join_info.value = self._join_html(self.view)

    def from_url(self, interval: float = POLL_SECONDS) -> None:
        """What the notebook's last cell calls: under Voila, keep the chart live. The session
        itself arrives through ``link_key``, never from the page's query string: a secret
        found there is refused, because a server has logged it. (Returns nothing, so the cell
        shows nothing.)"""
        code, secret = session_from_query(page_query())
        if secret is not None:
            self.say(_("This address has the session's secret in its query, which servers "
                       "write in their logs, so it is not used. Open the trainer link (its "
                       "secret comes after #, which the browser never sends) or start a new "
                       "session below."), "problem")
        self.start_polling(interval)

    def _open(self, code: str, secret: str) -> None:
        ws = self._need_store()
        view = ws.trainer_view(code, secret)  # checks the secret
        self.code, self.secret, self.view = view.code, secret, view
        self._offered = None
        self.case_file = self._by_id.get(view.case_id)
        self.keys = keys_by_id(self.case_file) if self.case_file is not None else {}
        self._signature = None
        self._confirming = False
        self.export.value = ""
        self.ended.value = ""
        show(self.confirm_box, False)
        show(self.resume_box, False)
        show(self.start_form, False)
        show(self.screen, True)
        self.join_info.value = self._join_html(view)
        self.private.value = ui.value("workshop/private_link.html.j2",
                                      link=trainer_link(view.code, secret))
        self._remember("remember", view.code, secret, view.title)
        self.refresh(force=True)

    def _remember(self, action: str, code: str, secret: str = "", title: str = "") -> None:
        """Tell npkit.js to remember (or forget) a session in this browser's storage."""
        self._vault_n += 1
        self._vault_at = time.monotonic()
        self.vault.value = ui.value("workshop/vault.html.j2", n=self._vault_n, actions=[
            {"action": action, "code": code, "secret": secret, "title": title}])

    def join_address(self) -> str | None:
        """The address the room is shown (npkit.course.room): typed here, configured, or this
        browser's own."""
        return room.room_address(self._origin, self._typed_address)

    def _join_html(self, view: SessionView) -> str:
        address = self.join_address()
        self.address_note.value = ui.value("workshop/address_note.html.j2", address=address,
                                           note=room.room_note(address))
        qr_text = room.with_code(address, view.code) if address else None
        return ui.value(
            "workshop/join_panel.html.j2", title=view.title, code=view.code,
            spaced=spaced(view.code), address=address,
            join_link=f"{JOIN_NOTEBOOK}?{urlencode({'session': view.code})}",
            # segno's SVG holds only modules and colours: no text of anyone's.
            qr=Markup(room.qr_svg(qr_text)) if qr_text else None, qr_text=qr_text,
            login=room.room_login(), missing=self.case_file is None)

    # --- live view ---------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:
        """Re-read the current question's answers and the number of participants; redraw only
        if something changed (or ``force``). True if the page was redrawn. Never raises: a
        problem is shown in the status line, and a deleted session ends the page's session."""
        if self.vault.value and time.monotonic() - self._vault_at > VAULT_SECONDS:
            self.vault.value = ""  # npkit.js has read it: no secret stays in widget state
        if self.code is None or self.workshop is None:
            return False
        ws = self.workshop
        try:
            view = ws.session(self.code)
            question = view.current_question or view.questions[0]
            tally = ws.tally(self.code, self.secret, question.qid)
            joined = ws.participants(self.code, self.secret)
        except NotFound:
            self._ended(_("This session no longer exists: it was deleted (perhaps from "
                          "another window)."))
            return True
        except (WorkshopError, StoreError) as exc:
            self.say(_("The answers could not be read just now: {problem}").format(problem=exc),
                     "problem")
            return False
        signature = (view.current, question.locked, question.revealed, question.closes_at,
                     tally.respondents, tuple(sorted(tally.counts.items())), tally.texts,
                     joined)
        if signature == self._signature and not force:
            return False
        self._signature = signature
        self.view = view
        self._draw(view, question, tally, joined)
        return True

    def _draw(self, view, question, tally, joined: int) -> None:
        shown = shown_question(question, self.keys.get(question.qid))  # the trainer's language
        n = next(i for i, q in enumerate(view.questions) if q.qid == question.qid)
        total = len(view.questions)
        self.question.value = ui.value(
            "workshop/question.html.j2", n=n + 1, total=total, prompt=shown.prompt,
            how=_(HOW[question.kind]) if question.kind in HOW else "", locked=question.locked,
            timed_out=question.locked and question.closes_at is not None,
            revealed=question.revealed,
            countdown=countdown(question, self.workshop.clock()) if question.timed else "")
        self.chart.value = chart_html(tally, joined, self.keys.get(question.qid))
        self.participants.value = ui.value(
            "workshop/participants.html.j2", joined=joined, answered=tally.respondents,
            percent=percent(tally.respondents, joined))
        self._shown_qid = question.qid
        self._shown_locked = question.locked
        self._shown_revealed = question.revealed
        self.lock_button.description = _("Reopen") if question.locked else _("Lock answers")
        self.lock_button.tooltip = (_("Accept answers to this question again") if question.locked
                                    else _("Stop accepting answers to this question"))
        self.reveal_button.description = (_("Hide npkit's answer") if question.revealed
                                          else _("Reveal npkit's answer"))
        self.reveal_button.tooltip = (
            _("Hide npkit's answer again, here and on every trainee's screen")
            if question.revealed
            else _("Show npkit's answer and why, here and on every trainee's screen"))
        self.timer_button.description = _("Stop countdown") if question.timed else \
            _("Start countdown")
        self.timer_button.tooltip = (_("Stop the countdown; the question stays open")
                                     if question.timed else _("Open this question for that "
                                                              "many seconds, then close it"))
        self.prev_button.disabled = n == 0
        self.next_button.disabled = n + 1 >= total

    # --- the controls (each re-reads the session: the buttons' state may be stale or forged)

    def _current(self):
        if self.code is None:
            raise WorkshopError(_("Start a session first."))
        view = self._need_store().session(self.code)
        question = view.current_question or view.questions[0]
        return view, question

    def _lock(self) -> None:
        view, q = self._current()
        self._cancel_confirm()
        # What the trainer saw decides (another window may have changed it since): locking a
        # locked question, or reopening an open one, changes nothing.
        lock = not self._shown_locked if q.qid == self._shown_qid else not q.locked
        self.workshop.lock(self.code, self.secret, q.qid, lock)
        self.refresh(force=True)
        self.say(_("Answers to this question are closed: the store refuses new ones.") if lock
                 else _("Answers to this question are accepted again."), "done")

    def _timer(self) -> None:
        view, q = self._current()
        self._cancel_confirm()
        if q.timed:
            self.workshop.set_timer(self.code, self.secret, q.qid, None)
            self.refresh(force=True)
            self.say(_("The countdown is stopped; the question stays open."), "done")
            return
        seconds = self.timer_seconds.value  # checked again by the store
        self.workshop.set_timer(self.code, self.secret, q.qid, seconds)
        self.refresh(force=True)
        self.say(ngettext("Answers close in {n} second; the store refuses any later.",
                          "Answers close in {n} seconds; the store refuses any later.",
                          seconds).format(n=seconds), "done")

    def _reveal(self) -> None:
        view, q = self._current()
        self._cancel_confirm()
        reveal = not self._shown_revealed if q.qid == self._shown_qid else not q.revealed
        self.workshop.reveal(self.code, self.secret, q.qid, reveal)
        self.refresh(force=True)
        self.say(_("npkit's answer is shown here and on every trainee's screen.") if reveal
                 else _("npkit's answer is hidden again."), "done")

    def _move(self, step: int) -> None:
        view, q = self._current()
        self._cancel_confirm()
        ids = [x.qid for x in view.questions]
        i = ids.index(q.qid) + step
        if not 0 <= i < len(ids):
            self.say(_("This is the first question.") if step < 0 else
                     _("This is the last question."), "note")
            return
        self.workshop.set_current(self.code, self.secret, ids[i])
        self.refresh(force=True)
        self.say(_("Everyone is now on question {n} of {total}.").format(n=i + 1,
                                                                          total=len(ids)),
                 "done")

    def _previous(self) -> None:
        self._move(-1)

    def _next(self) -> None:
        self._move(+1)

    def _present(self) -> None:
        """Present mode: the page fills the window for the projector (its own header and text
        step aside), the stage takes the first screen and the trainer panel closes."""
        self.presenting = not self.presenting
        if self.presenting:
            self.widget.add_class("npk-presenting")
            self._set_panel(False)
        else:
            self.widget.remove_class("npk-presenting")
        self.present_button.description = (_("Stop presenting") if self.presenting
                                           else _("Present"))
        self.say("")  # the room need not read about the page itself

    def _toggle_panel(self) -> None:
        self._set_panel(not self.panel_open)

    def _set_panel(self, open_: bool) -> None:
        self.panel_open = open_
        show(self.panel, open_)
        self.panel_button.description = (_("Hide trainer panel") if open_ else
                                         _("Show trainer panel"))

    def _use_address(self) -> None:
        typed = self.address.value.strip() if isinstance(self.address.value, str) else ""
        if typed and room.clean_address(typed) is None:
            raise WorkshopError(_("That is not an address a phone can open. Type it as "
                                  "http://192.168.1.20:8080/join (this computer's address on "
                                  "the room's network, and the port)."))
        self._typed_address = room.clean_address(typed) if typed else None
        if self.view is not None:
            self.join_info.value = self._join_html(self.view)
        address = self.join_address()
        self.say(_("The room is shown {address}.").format(address=address) if address
                 else _("The room is shown the start page."), "done")

    def _export(self) -> None:
        self._current()
        self._cancel_confirm()
        case = self.case_file
        if case is None:
            raise WorkshopError(_("The case file of this session is not in this copy of npkit, "
                                  "so the results cannot be exported here."))
        frame = results_frame(self.workshop, self.code, self.secret, case)
        page = summary_html(self.workshop, self.code, self.secret, case)
        name = f"npkit-workshop-{self.code}"
        self.export.value = ui.value(
            "workshop/export.html.j2", csv_href=data_href(to_csv(frame), "text/csv"),
            csv_name=f"{name}-results.csv", summary_href=data_href(page, "text/html"),
            summary_name=f"{name}-summary.html", rows=len(frame),
            stamp=datetime.now(UTC).strftime("%Y-%m-%d %H:%M"))
        self.say(_("The downloads are ready below."), "done")

    def _ask_delete(self) -> None:
        self._current()
        self._confirming = True
        self.confirm_text.value = ui.value("workshop/confirm_delete.html.j2", code=self.code)
        show(self.confirm_box, True)
        self.say(_("Deleting needs a second press: “{button}”.").format(
            button=_("Yes, delete it and every answer")), "note")

    def _cancel_confirm(self) -> None:
        self._confirming = False
        self.confirm_text.value = ""
        show(self.confirm_box, False)

    def _cancel_delete(self) -> None:
        self._cancel_confirm()
        self.say(_("Nothing was deleted."), "note")

    def _delete(self) -> None:
        if not self._confirming or self.code is None:
            # A crafted click on the hidden confirm button: the kernel never asked.
            self.say(_("Press “{button}” first.").format(button=_("Delete this session")),
                     "note")
            return
        self._confirming = False
        code = self.code
        joined = self.workshop.participants(code, self.secret)
        answers = self.workshop.delete(code, self.secret)
        self._ended(_("Session {code} was deleted, with its {joined} participants and "
                      "{answers} answers. Nothing of it is left in the store.").format(
            code=code, joined=joined, answers=answers))

    def _ended(self, message: str) -> None:
        self.stop_polling()
        if self.code is not None:
            self._remember("forget", self.code)
        self.code = self.secret = self.view = None
        self.keys, self.case_file, self._signature = {}, None, None
        self._shown_qid = None
        self._cancel_confirm()
        for html in (self.join_info, self.question, self.chart, self.participants,
                     self.export, self.private):
            html.value = ""
        if self.presenting:
            self._present()
        self._set_panel(False)
        show(self.screen, False)
        show(self.start_form, True)
        self.ended.value = ui.value("workshop/ended.html.j2", message=message)
        self.say(message, "done")


def rehearsal(case_id: str = "jane", answers: Iterable[str] = ("fails", "fails", "succeeds"),
              folder: str | Path | None = None) -> str:
    """A dry run of a whole session in a throwaway store, through both pages: the trainer
    starts a session on ``case_id``; one trainee per answer joins and answers the first
    question; the trainer locks it (a late answer is refused), reveals npkit's answer and
    moves on. Returns what happened, one line per step (the notebooks print it).

    Its pages are never shown, and closed at the end: made and closed inside
    first_state.opened_when_built, their widgets never reach the page at all (issue 16: the
    rehearsal sent the trainer's page about 200 updates, and every model twice)."""
    with opened_when_built():
        return _rehearse(case_id, answers, folder)


def _rehearse(case_id: str, answers: Iterable[str], folder: str | Path | None) -> str:
    from npkit.course.widgets.workshop_trainee import TraineePage

    answers = tuple(answers)
    pages: list[Page] = []
    with tempfile.TemporaryDirectory(dir=folder) as tmp:
        store = Store.open(Path(tmp) / "rehearsal.sqlite")
        try:
            ws = Workshop(store)
            trainer = TrainerPage(workshop=ws)
            pages.append(trainer)
            trainer.case.value = case_id
            trainer.title.value = _("Rehearsal")
            trainer.start_button.click()
            trainees = []
            for n, value in enumerate(answers, 1):
                t = TraineePage(workshop=ws, query=f"session={trainer.code}")
                t.nickname.value = _("Trainee {n}").format(n=n)
                t.join_button.click()
                t.choice.value = value
                t.send_button.click()
                trainees.append(t)
                pages.append(t)
            trainer.refresh()
            first = trainer.view.questions[0]
            tally = ws.tally(trainer.code, trainer.secret, first.qid)
            counts = "; ".join(f"{first.label(v)} {n}" for v, n in tally.counts.items())
            trainer.lock_button.click()
            late = TraineePage(workshop=ws, query=f"session={trainer.code}")
            pages.append(late)
            late.nickname.value = _("Late")
            late.join_button.click()
            late.choice.value = next(iter(answers))
            late.send_button.click()
            # read from the store, not the page's words (they are in the page's language)
            refused = late.seat is not None and not ws.my_answers(late.seat.code,
                                                                   late.seat.token)
            trainer.reveal_button.click()
            trainees[0].refresh()
            sees_key = "npk-reveal" in trainees[0].reveal.value
            trainer.next_button.click()
            trainees[0].refresh()
            follows = trainees[0].question_id == trainer.view.current
            lines = [
                _("joined {joined}, answered {answered}").format(
                    joined=ws.participants(trainer.code, trainer.secret),
                    answered=tally.respondents),
                _("counts: {counts}").format(counts=counts),
                _("late answer refused after the lock: {yes}").format(yes=refused),
                _("trainee sees npkit's answer after the reveal: {yes}").format(yes=sees_key),
                _("trainee follows the trainer to the next question: {yes}").format(
                    yes=follows),
            ]
            trainer.delete_button.click()
            trainer.confirm_delete_button.click()
            lines.append(_("deleted: {yes}").format(yes=trainer.code is None))
            return "\n".join(lines)
        finally:
            for page in pages:
                page.close()
            store.close()
