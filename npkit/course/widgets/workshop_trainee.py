"""The trainee's workshop page: join with the code on the projector and a nickname, answer
the question the trainer is on, change the answer until the question closes, and see npkit's
answer, and whether one's own matched it, once the trainer reveals it.

    page = TraineePage(query="session=K7M2QX")   # the code from the page's address
    page.nickname.value = "Owl"; page.join_button.click()
    page.choice.value = "fails"; page.send_button.click()
    page.refresh()      # follows the trainer: current question, lock, countdown, reveal

A trainee never sees anyone else's answers or nickname: this page reads only the session's
questions and flags and the trainee's own answers, never a tally. Everything the trainee sends
is checked again by :meth:`npkit.store.workshop.Workshop.answer` (the choice must be offered, the
question open and its countdown not over, the text at most 1000 characters), so a crafted
message gains nothing.

The seat holds across reloads (phones reload a page they were switched away from): the page's
address names a learner (npkit.js adds one), and once the trainee has joined the page hands
the session code and nickname to npkit.js (``seat_note``), which writes them into the address
too, so a reload seats the trainee again by itself, however they first came in.
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as w

from npkit.casefile.case import Case
from npkit.course.binding import ANONYMOUS, Learner, parse_learner
from npkit.course.widgets import ui
from npkit.course.widgets.first_state import opened_when_built
from npkit.course.widgets.poll_chart import choice_words, reveal_html, shown_question
from npkit.course.widgets.workshop_page import (
    Page,
    _field,
    countdown_html,
    hidden_layout,
    page_query,
    query_fields,
    session_from_query,
    show,
)
from npkit.i18n import N_, _, ngettext
from npkit.questions import AnswerKey
from npkit.store.learners import Store, StoreError
from npkit.store.workshop import NotFound, PollQuestion, Seat, SessionView, Workshop, WorkshopError
from npkit.store.workshop.inputs import MAX_FREE_TEXT, Locked, clean_join_code
from npkit.store.workshop.polls import keys_by_id

POLL_SECONDS = 1.5
NOT_ANSWERED = N_("Not answered yet.")


def answer_box(value: str = "") -> w.Textarea:
    """The box for a free-text answer; it sends its text when it is left (ui.typed)."""
    return ui.typed(w.Textarea, value=value, description=_("Your answer"),
                    placeholder=_("Why? One or two sentences"),
                    style=ui.shared_style(w.Text, description_width="initial"),
                    # its own Layout: a shared one, made first in the trainer page's
                    # rehearsal (never shown), would be sent to the trainer's page
                    layout=w.Layout(width="100%", max_width="48rem", height="7em"))


class TraineePage(Page):
    """The join form (``code``, ``nickname``, ``join_button``), then the current question:
    ``prompt``, ``countdown`` (while one runs) and one of ``choice`` (RadioButtons, outcome
    questions), ``checks`` ({value: Checkbox}, "which" questions) or ``text`` (Textarea, free
    text); ``send_button``; ``answer_state`` (this question's answer: "Not answered yet" or
    what was recorded); ``closed`` (shown while the question is closed); ``reveal`` (npkit's
    answer and whether the trainee's matched it, once revealed); ``status``.

    ``query`` is the page's query string (by default read under Voila by :meth:`from_url`);
    ``learner`` overrides the learner it names. A learner code keeps the same seat across
    reloads."""

    @opened_when_built()  # each widget opens with its first state (issue 16)
    def __init__(self, cases: Iterable[Case] | None = None, *,
                 workshop: Workshop | None = None, store: Store | None = None,
                 query: str = "", learner: Learner | None = None) -> None:
        super().__init__()
        self._cases = None if cases is None else {c.id: c for c in cases}
        self.connect(workshop, store,
                     _("The workshop cannot be reached on this computer just now."))
        self.learner = ANONYMOUS
        self.seat: Seat | None = None
        self.view: SessionView | None = None
        self.question_id: str | None = None
        self._question: PollQuestion | None = None
        self._flags: tuple | None = None
        self._keys: dict[str, AnswerKey] | None = None

        # The form first, its help folded below it: a phone shows the fields at once.
        # Parts that look alike share their Layout and style (issue 16: a model less each).
        label_style = ui.shared_style(w.Text, description_width="initial")
        self.code = ui.typed(w.Text, description=_("Session code"),
                             placeholder=_("e.g. K7M2QX"), layout=ui.shared(w.Layout),
                             style=label_style)
        self.nickname = ui.typed(w.Text, description=_("Nickname (no real names)"),
                                 placeholder=_("e.g. Blue Owl"), layout=ui.shared(w.Layout),
                                 style=label_style)
        self.join_button = ui.button(_("Join"), kind="primary",
                                     tooltip=_("Join the session with this code and nickname"))
        # npkit.js gives the code field its phone keyboard (capitals, no autocorrect), and
        # keeps the nickname in the page's address when Join is pressed.
        self.code.add_class("npk-join-code")
        self.nickname.add_class("npk-join-nick")
        self.join_button.add_class("npk-join-button")
        self.join_form = ui.vbox([ui.html_widget("workshop/join_intro.html.j2"), self.code,
                                  self.nickname, self.join_button,
                                  ui.html_widget("workshop/join_help.html.j2")],
                                 "npk-join-form")

        self.heading = ui.html_widget()
        self.prompt = ui.html_widget()
        self.countdown = ui.html_widget()
        self.choice = w.RadioButtons(options=[], value=None, description=_("Your answer"),
                                     style={"description_width": "initial"},
                                     layout=w.Layout(width="auto", max_width="60rem"))
        self.checks: dict[str, w.Checkbox] = {}
        self.checks_label = ui.html_widget("workshop/which_label.html.j2")
        self.check_group = w.VBox([self.checks_label], layout=hidden_layout())
        self.text = answer_box()
        self.text_group = w.VBox([self.text, ui.html_widget("workshop/text_hint.html.j2",
                                                            limit=MAX_FREE_TEXT)],
                                 layout=hidden_layout())
        self.send_button = ui.button(_("Send answer"), kind="primary",
                                     tooltip=_("Send your answer to the trainer; send again "
                                               "to change it"))
        self.answer_state = ui.status_line()
        self.answer_state.add_class("npk-answer-state")
        self.closed = ui.html_widget()
        self.reveal = ui.html_widget()
        self.answer_area = w.VBox([self.heading, self.prompt, self.countdown, self.choice,
                                   self.check_group, self.text_group, self.send_button,
                                   self.answer_state, self.closed, self.reveal],
                                  layout=hidden_layout(), _dom_classes=("npk-choices",))
        # never shown: npkit.js reads the seat from it
        self.seat_note = w.HTML("", layout=hidden_layout(), style=ui.shared_style(w.HTML),
                                _dom_classes=("npk-seat-note",))
        self.widget = ui.vbox([ui.stylesheet(), self.problem, self.join_form, self.answer_area,
                               self.status, self.seat_note], "npk-workshop-trainee")
        show(self.choice, False)  # its own Layout (its width) is hidden with it

        self.join_button.on_click(self.guard(self._join))
        self.send_button.on_click(self.guard(self._send))
        self.use_query(query, learner)

    # --- the address and joining -------------------------------------------------------------

    def use_query(self, query: object, learner: Learner | None = None) -> None:
        """Take the session code (prefilled in the form) and the learner from ``query``. A
        code that cannot be one (``/join/K7M2Q0``) is shown as given, with what it should be."""
        code, _secret = session_from_query(query)  # a trainer's secret is of no use here
        given = _field(query_fields(query), "session")
        if self.seat is None:
            if code is not None:
                self.code.value = code
            elif given:
                self.code.value = given[:20]
                self.guard(lambda: self._check_code(given))()
        self.learner = learner if learner is not None else parse_learner(query)
        if self.learner.nickname and not self.nickname.value:
            self.nickname.value = self.learner.nickname

    def from_url(self, interval: float = POLL_SECONDS) -> None:
        """What the notebook's last cell calls: read the page's address (the session code and
        the learner) and, under Voila, follow the trainer live. A learner already seated in
        that session (a reload) is seated again at once."""
        self.use_query(page_query())
        if self.learner.persistent and self.code.value and self.nickname.value:
            self.guard(self._join)()
        self.start_polling(interval)

    def _need_store(self) -> Workshop:
        if self.workshop is None:
            raise WorkshopError(_("The workshop cannot be reached on this computer just now "
                                  "(see the message above)."))
        return self.workshop

    def _check_code(self, code: object) -> str:
        """``code`` as a join code, or a refusal that says what it should be, naming the
        session a mistyped code most likely means ("did you mean K7M2QX?")."""
        try:
            return clean_join_code(code)
        except NotFound as exc:
            guess = self.workshop.suggest(code) if self.workshop is not None else None
            if guess:
                raise NotFound(_("{problem} Did you mean {code}?").format(
                    problem=exc, code=guess)) from None
            raise

    def _join(self) -> None:
        if self.seat is not None:
            return  # already seated: a second (crafted) click changes nothing
        ws = self._need_store()
        code = self._check_code(self.code.value if isinstance(self.code.value, str) else "")
        learner = self.learner.code if self.learner.persistent else None
        seat = ws.join(code, self.nickname.value, learner=learner)
        self.seat = seat
        self.view = ws.session(seat.code)
        self.code.value = seat.code
        show(self.join_form, False)
        show(self.answer_area, True)
        self.seat_note.value = ui.value("workshop/seat.html.j2", code=seat.code,
                                        nickname=seat.nickname)
        self.refresh(force=True)
        earlier = len(self._mine())
        if earlier:  # the same learner code (a reload): the seat and its answers came back
            self.say(ngettext(
                "Welcome back: you have your seat in “{title}” again, as {nickname}; your "
                "{n} earlier answer is remembered. Sending again replaces an answer; it is "
                "never counted twice.",
                "Welcome back: you have your seat in “{title}” again, as {nickname}; your "
                "{n} earlier answers are remembered. Sending again replaces an answer; it is "
                "never counted twice.", earlier).format(
                title=self.view.title, nickname=seat.nickname, n=earlier), "done")
            return
        if self.learner.persistent:
            self.say(_("You have joined “{title}” as {nickname}.").format(
                title=self.view.title, nickname=seat.nickname), "done")
        else:
            self.say(_("You have joined “{title}” as {nickname}. Keep this page open: if you "
                       "reload it, join again with the same code (your earlier answers stay "
                       "with the trainer).").format(title=self.view.title,
                                                    nickname=seat.nickname), "done")

    # --- following the trainer -----------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:
        """Follow the trainer: show the current question, and whether it is closed, counting
        down or its answer revealed. Redraws only on a change (or ``force``), so a half-typed
        answer is kept. True if something was redrawn. Never raises."""
        if self.seat is None or self.workshop is None:
            return False
        try:
            view = self.workshop.session(self.seat.code)
        except NotFound:
            self._ended()
            return True
        except (WorkshopError, StoreError) as exc:
            self.say(_("The session could not be read just now: {problem}").format(
                problem=exc), "problem")
            return False
        q = view.current_question or (view.questions[0] if view.questions else None)
        if q is None:
            return False
        flags = (q.qid, q.locked, q.revealed, q.closes_at)
        if flags == self._flags and not force:
            return False
        new_question = force or self._flags is None or self._flags[0] != q.qid
        self.view, self._flags, self._question, self.question_id = view, flags, q, q.qid
        if new_question:
            self._show_question(view, q)
        self._show_flags(q)
        return True

    def _show_question(self, view: SessionView, q: PollQuestion) -> None:
        q = shown_question(q, self._key(q.qid))  # in this page's language; values as stored
        n = next(i for i, x in enumerate(view.questions) if x.qid == q.qid)
        self.heading.value = ui.value("workshop/trainee_heading.html.j2", title=view.title,
                                      nickname=self.seat.nickname, n=n + 1,
                                      total=len(view.questions))
        self.prompt.value = ui.value("workshop/prompt.html.j2", prompt=q.prompt)
        mine = self._mine().get(q.qid)
        for box_ in self.checks.values():  # the previous question's boxes
            box_.close()
        self.checks = {}
        self.check_group.children = [self.checks_label]
        show(self.choice, q.kind == "outcome")
        show(self.check_group, q.kind == "which")
        show(self.text_group, q.kind == "free_text")
        if q.kind == "outcome":
            self.choice.options = list(q.choices)
            self.choice.value = mine if mine in q.values else None
        elif q.kind == "which":
            chosen = set(mine) if isinstance(mine, list) else set()
            # one Layout and one style for them all, as ui.button's: a box's own would stay
            # open in the kernel after the box was closed
            self.checks = {v: w.Checkbox(value=v in chosen, description=label, indent=False,
                                         layout=ui.shared(w.Layout, width="auto"),
                                         style=ui.shared_style(w.Checkbox))
                           for label, v in q.choices}
            self.check_group.children = [self.checks_label, *self.checks.values()]
        else:
            self._new_answer_box(mine if isinstance(mine, str) else "")
        self.reveal.value = ""
        # Each question starts with its own state: the last one's "recorded" must not stay.
        self.say("")
        if mine is None:
            ui.say(self.answer_state, _(NOT_ANSWERED))
        else:
            ui.say(self.answer_state, _("Your answer is recorded: {answer}.").format(
                answer=self._words(q, mine)), "done")

    def _show_flags(self, q: PollQuestion) -> None:
        locked = q.locked
        for control in (self.choice, self.text, self.send_button, *self.checks.values()):
            control.disabled = locked
        self.countdown.value = countdown_html(q, self.workshop.clock()) if q.timed else ""
        if locked:
            text = (_("Time is up: answers to this question are closed.") if q.closes_at else
                    _("The trainer has closed this question: answers are no longer accepted."))
            self.closed.value = ui.value("workshop/closed.html.j2", text=text)
        else:
            self.closed.value = ""
        self.reveal.value = reveal_html(q, self._key(q.qid), self._mine().get(q.qid)) \
            if q.revealed else ""

    def _key(self, qid: str) -> AnswerKey | None:
        if self._keys is None:
            self._keys = {}
            case = self._case(self.view.case_id) if self.view is not None else None
            if case is not None:
                try:
                    self._keys = keys_by_id(case)
                except Exception:  # noqa: BLE001 - no key is shown as "not available"
                    self._keys = {}
        return self._keys.get(qid)

    def _case(self, case_id: str) -> Case | None:
        if self._cases is None:
            from npkit.casefile.library import library

            self._cases = {c.id: c for c in library().cases}
        return self._cases.get(case_id)

    def _new_answer_box(self, value: str) -> None:
        """A new box for a new free-text question. Text typed for the last one and never sent
        may be only in the browser (a box sends when it is left); setting the old box to
        ``value`` would not clear it when the kernel's copy already was ``value``."""
        old, self.text = self.text, answer_box(value)  # refresh's _show_flags disables it
        self.text_group.children = [self.text, *self.text_group.children[1:]]
        old.close()
        old.layout.close()  # its own (answer_box): the page would still be sent it

    def _mine(self) -> dict[str, object]:
        try:
            return self.workshop.my_answers(self.seat.code, self.seat.token)
        except (WorkshopError, StoreError):
            return {}

    def _ended(self) -> None:
        self.stop_polling()
        for control in (self.choice, self.text, self.send_button, *self.checks.values()):
            control.disabled = True
        self.countdown.value = ""
        self.closed.value = ui.value("workshop/closed.html.j2",
                                     text=_("This session has ended: the trainer deleted it, "
                                            "with every answer."))
        self.say(_("This session has ended."), "note")

    # --- answering -----------------------------------------------------------------------------

    def _words(self, q: PollQuestion, value: object) -> str:
        q = shown_question(q, self._key(q.qid))
        if q.kind == "free_text":
            return f"“{value}”"  # no words of its own to translate
        if q.kind == "which":
            return choice_words(q, value if isinstance(value, list) else [])
        return q.label(value)

    def _send(self) -> None:
        if self.seat is None or self._question is None:
            raise WorkshopError(_("Join the session before answering."))
        q = self._question
        if q.kind == "outcome":
            value = self.choice.value
            if value not in q.values:  # nothing chosen, or a value no control offers
                raise WorkshopError(_("Choose one of the options first."))
        elif q.kind == "which":
            value = [v for v in q.values if v in self.checks and self.checks[v].value is True]
        else:
            value = self.text.value  # the store cleans it, or refuses it (text stays here)
        try:
            stored = self._need_store().answer(self.seat.code, self.seat.token, q.qid, value)
        except Locked:
            self.refresh(force=False)
            raise
        except NotFound:
            self.refresh()
            raise
        self.say("")
        ui.say(self.answer_state, _("Your answer is recorded: {answer}. You can change it and "
                                    "send again until the question closes.").format(
            answer=self._words(q, stored)), "done")
