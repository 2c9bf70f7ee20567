"""The trainee's workshop page: join with the code on the projector and a nickname, answer
the question the trainer is on, change the answer until the trainer closes the question, and
see npkit's answer once the trainer reveals it.

    page = TraineePage(query="session=K7M2QX")   # the code from the page's address
    page.nickname.value = "Owl"; page.join_button.click()
    page.choice.value = "fails"; page.send_button.click()
    page.refresh()      # follows the trainer: current question, lock, reveal

A trainee never sees anyone else's answers or nickname: this page reads only the session's
questions and flags and the trainee's own answers, never a tally. Everything the trainee sends
is checked again by :meth:`npkit.store.workshop.Workshop.answer` (the choice must be offered, the
question open, the text at most 1000 characters), so a crafted message gains nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import ipywidgets as w

from npkit.casefile.case import Case
from npkit.course.binding import ANONYMOUS, Learner, parse_learner
from npkit.course.widgets.base import esc
from npkit.course.widgets.poll_chart import box, reveal_html
from npkit.course.widgets.workshop_page import Page, page_query, session_from_query
from npkit.questions import AnswerKey
from npkit.store.learners import Store, StoreError
from npkit.store.workshop import NotFound, PollQuestion, Seat, SessionView, Workshop, WorkshopError
from npkit.store.workshop.inputs import MAX_FREE_TEXT, Locked
from npkit.store.workshop.polls import keys_by_id

POLL_SECONDS = 1.5
TRAINEE_CSS = """
<style>
.npk-workshop-trainee .widget-radio-box label,
.npk-workshop-trainee .jupyter-widget-radio-box label {
  height: auto; line-height: 1.4; white-space: normal; }
.npk-closed { border: 2px solid #8a1010; background: #fff5f5; padding: .3em .8em; }
</style>
"""


class TraineePage(Page):
    """The join form (``code``, ``nickname``, ``join_button``), then the current question:
    ``prompt`` and one of ``choice`` (RadioButtons, outcome questions), ``checks`` ({value:
    Checkbox}, "which" questions) or ``text`` (Textarea, free text); ``send_button``;
    ``closed`` (shown while the question is locked); ``reveal`` (npkit's answer, once
    revealed); ``status``.

    ``query`` is the page's query string (by default read under Voila by :meth:`from_url`);
    ``learner`` overrides the learner it names. A learner code keeps the same seat across
    reloads."""

    def __init__(self, cases: Iterable[Case] | None = None, *,
                 workshop: Workshop | None = None, store: Store | None = None,
                 query: str = "", learner: Learner | None = None) -> None:
        super().__init__()
        self._cases = None if cases is None else {c.id: c for c in cases}
        self.connect(workshop, store, "The workshop cannot be reached on this computer just now.")
        self.learner = ANONYMOUS
        self.seat: Seat | None = None
        self.view: SessionView | None = None
        self.question_id: str | None = None
        self._question: PollQuestion | None = None
        self._flags: tuple | None = None
        self._keys: dict[str, AnswerKey] | None = None

        self.code = w.Text(description="Session code", placeholder="e.g. K7M2QX",
                           style={"description_width": "initial"},
                           layout=w.Layout(width="20rem"))
        self.nickname = w.Text(description="Nickname (no real names)",
                               placeholder="e.g. Blue Owl",
                               style={"description_width": "initial"},
                               layout=w.Layout(width="28rem"))
        self.join_button = w.Button(description="Join", button_style="primary",
                                    icon="sign-in", tooltip="Join the session with this code "
                                    "and nickname", layout=w.Layout(width="auto"))
        intro = w.HTML(box(
            "<h2>Join a workshop</h2><p>Type the code on the trainer's screen and a nickname. "
            "Use a nickname, not your real name: the trainer sees the room's answers without "
            "names, and nobody else sees yours.</p>"))
        # npkit.js reads the nickname when Join is pressed and keeps it in the page's address
        # (&nick=), so a reload seats the trainee again by itself.
        self.nickname.add_class("npk-join-nick")
        self.join_button.add_class("npk-join-button")
        self.join_form = w.VBox([intro, self.code, self.nickname, self.join_button])

        self.heading = w.HTML("")
        self.prompt = w.HTML("")
        self.choice = w.RadioButtons(options=[], value=None, description="Your answer",
                                     style={"description_width": "initial"},
                                     layout=w.Layout(width="auto", max_width="60rem"))
        self.checks: dict[str, w.Checkbox] = {}
        self.checks_label = w.HTML("")
        self.check_group = w.VBox([self.checks_label])
        self.text = w.Textarea(description="Your answer", placeholder="Why? One or two "
                               "sentences", style={"description_width": "initial"},
                               layout=w.Layout(width="100%", max_width="48rem", height="7em"))
        self.text_hint = w.HTML(box(f"<p class='npk-source'>At most {MAX_FREE_TEXT} "
                                    "characters. No names, please.</p>"))
        self.text_group = w.VBox([self.text, self.text_hint])
        self.send_button = w.Button(description="Send answer", button_style="primary",
                                    icon="paper-plane", tooltip="Send your answer to the "
                                    "trainer; send again to change it",
                                    layout=w.Layout(width="auto"))
        self.closed = w.HTML("")
        self.reveal = w.HTML("")
        self.answer_area = w.VBox([self.heading, self.prompt, self.choice, self.check_group,
                                   self.text_group, self.send_button, self.closed,
                                   self.reveal])
        self.widget = w.VBox([w.HTML(TRAINEE_CSS), self.problem, self.join_form,
                              self.answer_area, self.status])
        self.widget.add_class("npk-workshop-trainee")
        for part in (self.answer_area, self.choice, self.check_group, self.text_group):
            _show(part, False)

        self.join_button.on_click(self.guard(self._join))
        self.send_button.on_click(self.guard(self._send))
        self.use_query(query, learner)

    # --- the address and joining -------------------------------------------------------------

    def use_query(self, query: object, learner: Learner | None = None) -> None:
        """Take the session code (prefilled in the form) and the learner from ``query``."""
        code, _secret = session_from_query(query)  # a trainer's secret is of no use here
        if code is not None and self.seat is None:
            self.code.value = code
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
            raise WorkshopError("The workshop cannot be reached on this computer just now "
                                "(see the message above).")
        return self.workshop

    def _join(self) -> None:
        if self.seat is not None:
            return  # already seated: a second (crafted) click changes nothing
        ws = self._need_store()
        code = self.code.value if isinstance(self.code.value, str) else ""
        learner = self.learner.code if self.learner.persistent else None
        seat = ws.join(code, self.nickname.value, learner=learner)
        self.seat = seat
        self.view = ws.session(seat.code)
        _show(self.join_form, False)
        _show(self.answer_area, True)
        self.refresh(force=True)
        earlier = len(self._mine())
        if earlier:  # the same learner code (a reload): the seat and its answers came back
            answers = "answer is" if earlier == 1 else "answers are"
            self.say(f"Welcome back: you have your seat in “{self.view.title}” again, as "
                     f"{seat.nickname}; your {earlier} earlier {answers} remembered. "
                     "Sending again replaces an answer; it is never counted twice.", "done")
            return
        keep = ("" if self.learner.persistent else " Keep this page open: if you reload it, "
                "join again with the same code (your earlier answers stay with the trainer).")
        self.say(f"You have joined “{self.view.title}” as {seat.nickname}.{keep}", "done")

    # --- following the trainer -----------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:
        """Follow the trainer: show the current question, and whether it is closed or its
        answer revealed. Redraws only on a change (or ``force``), so a half-typed answer is
        kept. True if something was redrawn. Never raises."""
        if self.seat is None or self.workshop is None:
            return False
        try:
            view = self.workshop.session(self.seat.code)
        except NotFound:
            self._ended()
            return True
        except (WorkshopError, StoreError) as exc:
            self.say(f"The session could not be read just now: {exc}", "problem")
            return False
        q = view.current_question or (view.questions[0] if view.questions else None)
        if q is None:
            return False
        flags = (q.qid, q.locked, q.revealed)
        if flags == self._flags and not force:
            return False
        new_question = force or self._flags is None or self._flags[0] != q.qid
        self.view, self._flags, self._question, self.question_id = view, flags, q, q.qid
        if new_question:
            self._show_question(view, q)
        self._show_flags(q)
        return True

    def _show_question(self, view: SessionView, q: PollQuestion) -> None:
        n = next(i for i, x in enumerate(view.questions) if x.qid == q.qid)
        self.heading.value = box(
            f"<p class='npk-source'>{esc(view.title)} · you are "
            f"<strong>{esc(self.seat.nickname)}</strong></p>"
            f"<h2>Question {n + 1} of {len(view.questions)}</h2>")
        self.prompt.value = box(f"<p style='font-size:1.15em'>{esc(q.prompt)}</p>")
        mine = self._mine().get(q.qid)
        for box_ in self.checks.values():  # the previous question's boxes
            box_.close()
        self.checks = {}
        self.check_group.children = [self.checks_label]
        _show(self.choice, q.kind == "outcome")
        _show(self.check_group, q.kind == "which")
        _show(self.text_group, q.kind == "free_text")
        if q.kind == "outcome":
            self.choice.options = list(q.choices)
            self.choice.value = mine if mine in q.values else None
        elif q.kind == "which":
            chosen = set(mine) if isinstance(mine, list) else set()
            self.checks = {v: w.Checkbox(value=v in chosen, description=label, indent=False,
                                         layout=w.Layout(width="auto"))
                           for label, v in q.choices}
            self.checks_label.value = box("<p><strong>Tick every one that applies</strong> "
                                          "(or none).</p>")
            self.check_group.children = [self.checks_label, *self.checks.values()]
        else:
            self.text.value = mine if isinstance(mine, str) else ""
        self.reveal.value = ""

    def _show_flags(self, q: PollQuestion) -> None:
        locked = q.locked
        for control in (self.choice, self.text, self.send_button, *self.checks.values()):
            control.disabled = locked
        self.closed.value = box(
            "<p class='npk-closed' role='status'><span aria-hidden='true'>🔒</span> The "
            "trainer has closed this question: answers are no longer accepted.</p>"
        ) if locked else ""
        self.reveal.value = box(reveal_html(q, self._key(q.qid))) if q.revealed else ""

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

    def _mine(self) -> dict[str, object]:
        try:
            return self.workshop.my_answers(self.seat.code, self.seat.token)
        except (WorkshopError, StoreError):
            return {}

    def _ended(self) -> None:
        self.stop_polling()
        for control in (self.choice, self.text, self.send_button, *self.checks.values()):
            control.disabled = True
        self.closed.value = box("<p class='npk-closed' role='status'>This session has ended: "
                                "the trainer deleted it, with every answer.</p>")
        self.say("This session has ended.", "note")

    # --- answering -----------------------------------------------------------------------------

    def _send(self) -> None:
        if self.seat is None or self._question is None:
            raise WorkshopError("Join the session before answering.")
        q = self._question
        if q.kind == "outcome":
            value = self.choice.value
            if value not in q.values:  # nothing chosen, or a value no control offers
                raise WorkshopError("Choose one of the options first.")
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
        if q.kind == "free_text":
            shown = f"“{stored}”"
        elif q.kind == "which":
            shown = ", ".join(q.label(v) for v in stored) or "none of the options"
        else:
            shown = q.label(stored)
        self.say(f"Your answer is recorded: {shown}. You can change it and send again until "
                 "the trainer closes the question.", "done")


def _show(widget: w.Widget, visible: bool) -> None:
    widget.layout.display = None if visible else "none"
