"""The trainer's workshop page: start a session on a case's questions, put the join code on
the projector, watch the answers arrive, lock, reveal npkit's answer, move on, export and
delete.

    page = TrainerPage()            # the start form (cases that ask the room questions)
    page.case.value = "jane"; page.start_button.click()
    page.code, page.secret          # the join code and the trainer's secret (shown once)
    page.refresh()                  # re-read the answers; redraws only if something changed
    page.lock_button.click(); page.reveal_button.click(); page.next_button.click()

Resuming: the "trainer link" shown at the start opens the same session again, in any kernel:

    09_workshop_trainer.ipynb?session=CODE#secret=SECRET

The secret is in the link's fragment (after ``#``), which a browser never sends to a server,
so no access log records it. The page's script (npkit.js) takes it out of the address bar and
types ``session=CODE&secret=SECRET`` into a hidden field of the page, ``link_key``; the kernel
reads it from there, empties the field and checks the secret in the store like any other
input. A secret in the query string (an address a server sees and logs) is never used.

Every control acts through :class:`npkit.store.workshop.Workshop`, which checks the secret on every
trainer operation and enforces a lock itself, so a crafted widget message (a click on a
disabled button, a value no control offers) can do no more than the trainer's own buttons.
What the page remembers in the kernel (which question it shows, whether deleting was asked
for) is never read back from the widgets, whose state the browser can change.
"""

from __future__ import annotations

import base64
import tempfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlencode

import ipywidgets as w

from npkit.casefile.case import Case
from npkit.course.widgets.base import esc
from npkit.course.widgets.poll_chart import box, chart_html, count_text
from npkit.course.widgets.workshop_page import (
    JOIN_NOTEBOOK,
    TRAINER_NOTEBOOK,
    Page,
    page_query,
    session_from_query,
    spaced,
)
from npkit.questions import AnswerKey
from npkit.store.learners import Store, StoreError
from npkit.store.workshop import NotFound, SessionView, Workshop, WorkshopError
from npkit.store.workshop.inputs import MAX_TITLE
from npkit.store.workshop.polls import keys_by_id, poll_questions
from npkit.store.workshop.report import results_frame, summary_html, to_csv

POLL_SECONDS = 1.0
TRAINER_CSS = """
<style>
.npk-joincode { font: 700 4em/1.1 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  letter-spacing: .25em; margin: .1em 0; color: #111; }
.npk-join-panel { border: 2px solid #1f3a66; padding: .4em 1em; max-width: 60rem; }
.npk-join-path { font-size: 1.3em; overflow-wrap: anywhere; }
.npk-private { border: 1px solid #8a1010; background: #fff5f5; padding: .3em .8em; }
.npk-private code { overflow-wrap: anywhere; }
.npk-qhead { font-size: 1.25em; }
/* Links in running text are underlined, not told apart by colour alone (WCAG 1.4.1). */
.npk-workshop-trainer .npk a { text-decoration: underline; text-underline-offset: .15em; }
</style>
"""


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


def _button(description: str, tooltip: str, icon: str = "", style: str = "") -> w.Button:
    return w.Button(description=description, tooltip=tooltip, icon=icon, button_style=style,
                    layout=w.Layout(width="auto"))


def _show(widget: w.Widget, visible: bool) -> None:
    widget.layout.display = None if visible else "none"


def data_link(text: str, mime: str, filename: str, label: str) -> str:
    """A link that downloads ``text`` with no server round trip (a ``data:`` URI)."""
    href = f"data:{mime};charset=utf-8;base64," + base64.b64encode(
        text.encode("utf-8")).decode("ascii")
    return (f"<a class='npk-download' href='{esc(href)}' download='{esc(filename)}'>"
            f"<span aria-hidden='true'>⬇ </span>{esc(label)}</a>")


class TrainerPage(Page):
    """The trainer's page. ``widget`` is the root; the controls and outputs are attributes:
    start form ``case``, ``title``, ``start_button``; then ``join_info``, ``question``,
    ``chart``, ``participants``, ``lock_button``, ``reveal_button``, ``prev_button``,
    ``next_button``, ``export_button`` / ``export``, ``delete_button`` /
    ``confirm_delete_button`` / ``cancel_delete_button``, and ``status``.

    ``workshop`` (or ``store``) says where sessions are kept; by default the store
    :meth:`Store.open` finds ($NPKIT_DB_URL, $NPKIT_STORE, or the course's SQLite file)."""

    def __init__(self, cases: Iterable[Case] | None = None, *,
                 workshop: Workshop | None = None, store: Store | None = None) -> None:
        super().__init__()
        self.cases = cases_with_questions(cases)
        self._by_id = {c.id: c for c in self.cases}
        self.connect(workshop, store, "Workshop sessions cannot be kept on this computer just now.")
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

        # the start form
        options = [(c.title, c.id) for c in self.cases]
        self.case = w.Dropdown(options=options, value=options[0][1] if options else None,
                               description="Case", style={"description_width": "initial"},
                               layout=w.Layout(width="36rem"))
        self.title = w.Text(description="Title", placeholder="e.g. Prosecutors, Bangkok, May",
                            style={"description_width": "initial"},
                            layout=w.Layout(width="36rem"))
        self.start_button = _button("Start a session", "Start a workshop session on this case "
                                    "and show its join code", "play", "primary")
        intro = w.HTML(box(
            "<h2>Start a workshop session</h2><p>Choose a case and give the session a title "
            "the room will recognise. You get a join code to put on the projector; trainees "
            "open <strong>Join a workshop</strong> on the course's start page and type it. "
            "They answer the case's questions on their own screens; you see the answers "
            "arrive here, without names.</p>"
            + ("" if self.cases else "<p class='npk-error' role='alert'>No case in this copy "
               "of npkit asks the room questions, so no session can be started.</p>")))
        self.start_form = w.VBox([intro, self.case, self.title, self.start_button])

        # the trainer's screen
        self.join_info = w.HTML("")
        self.question = w.HTML("")
        self.chart = w.HTML("")
        self.participants = w.HTML("")
        self.lock_button = _button("Lock answers", "Stop accepting answers to this question",
                                   "lock")
        self.reveal_button = _button("Reveal npkit's answer", "Show npkit's answer and why, "
                                     "here and on every trainee's screen", "eye")
        self.prev_button = _button("Previous", "Go back to the previous question",
                                   "arrow-left")
        self.next_button = _button("Next", "Move everyone on to the next question",
                                   "arrow-right")
        self.export_button = _button("Prepare downloads", "Make the results (CSV) and a "
                                     "one-page summary (HTML) ready to download", "download")
        self.export = w.HTML("")
        self.delete_button = _button("Delete this session", "Delete the session, its "
                                     "participants and every answer", "trash", "danger")
        self.confirm_delete_button = _button(
            "Yes, delete it and every answer", "Delete the session now; this cannot be "
            "undone", "trash", "danger")
        self.cancel_delete_button = _button("Keep the session", "Do not delete anything")
        self.confirm_text = w.HTML("")
        self.confirm_box = w.VBox([self.confirm_text, w.HBox(
            [self.confirm_delete_button, self.cancel_delete_button])])
        controls = w.HBox([self.prev_button, self.lock_button, self.reveal_button,
                           self.next_button], layout=w.Layout(flex_flow="row wrap"))
        self.screen = w.VBox([
            self.join_info, self.question, controls, self.participants, self.chart,
            w.HTML(box("<h3>After the session</h3>")),
            w.HBox([self.export_button, self.delete_button],
                   layout=w.Layout(flex_flow="row wrap")),
            self.export, self.confirm_box])
        self.ended = w.HTML("")
        # Where npkit.js hands over the trainer link's fragment (see the module's docstring).
        # Never shown; a Password widget so that it would show no secret if it were.
        self.link_key = w.Password(description="Trainer link",
                                   layout=w.Layout(display="none"))
        self.link_key.add_class("npk-trainer-key")
        self.link_key.observe(self._link_handed, "value")
        self.widget = w.VBox([w.HTML(TRAINER_CSS), self.problem, self.ended, self.start_form,
                              self.screen, self.status, self.link_key])
        self.widget.add_class("npk-workshop-trainer")
        _show(self.screen, False)
        _show(self.confirm_box, False)

        self.start_button.on_click(self.guard(self._start))
        self.lock_button.on_click(self.guard(self._lock))
        self.reveal_button.on_click(self.guard(self._reveal))
        self.prev_button.on_click(self.guard(self._previous))
        self.next_button.on_click(self.guard(self._next))
        self.export_button.on_click(self.guard(self._export))
        self.delete_button.on_click(self.guard(self._ask_delete))
        self.confirm_delete_button.on_click(self.guard(self._delete))
        self.cancel_delete_button.on_click(self.guard(self._cancel_delete))

    # --- opening a session -------------------------------------------------------------------

    def _need_store(self) -> Workshop:
        if self.workshop is None:
            raise WorkshopError("Workshop sessions cannot be kept on this computer just now "
                                "(see the message above).")
        return self.workshop

    def _start(self) -> None:
        ws = self._need_store()
        case = self._by_id.get(self.case.value)  # a crafted value names no case: refused
        if case is None:
            raise WorkshopError("Choose one of the cases in the list.")
        title = self.title.value.strip() if isinstance(self.title.value, str) else ""
        if len(title) > MAX_TITLE:
            raise WorkshopError(f"A title has at most {MAX_TITLE} characters; this one has "
                                f"{len(title)}.")
        new = ws.create(case.id, poll_questions(case), title=title or case.title[:MAX_TITLE])
        self._open(new.code, new.secret)
        self.say(f"Session {new.code} started: {len(self.view.questions)} questions on "
                 f"{case.title}. Put the join code on the projector.", "done")

    def resume(self, link: object) -> bool:
        """Open the session named by ``session=CODE&secret=SECRET`` (what npkit.js hands over
        from the trainer link); without both, the start form stays. A wrong secret is refused
        with a readable message."""
        code, secret = session_from_query(link)
        if code is None or secret is None:
            return False
        if (code, secret) == (self.code, self.secret):
            return True  # the trainer link followed again on its own page: already open
        try:
            self._open(code, secret)
        except (WorkshopError, StoreError) as exc:
            self.say(f"{exc} You can start a new session below.", "problem")
            return False
        self.say(f"Session {code} reopened.", "done")
        return True

    def _link_handed(self, change: dict) -> None:
        link = change.get("new")
        if not link:
            return
        self.link_key.value = ""  # the secret is kept in the kernel only, not in widget state
        self.guard(lambda: self.resume(link))()

    def from_url(self, interval: float = POLL_SECONDS) -> None:
        """What the notebook's last cell calls: under Voila, keep the chart live. The session
        itself arrives through ``link_key``, never from the page's query string: a secret
        found there is refused, because a server has logged it. (Returns nothing, so the cell
        shows nothing.)"""
        code, secret = session_from_query(page_query())
        if secret is not None:
            self.say("This address has the session's secret in its query, which servers "
                     "write in their logs, so it is not used. Open the trainer link (its "
                     "secret comes after #, which the browser never sends) or start a new "
                     "session below.", "problem")
        self.start_polling(interval)

    def _open(self, code: str, secret: str) -> None:
        ws = self._need_store()
        view = ws.trainer_view(code, secret)  # checks the secret
        self.code, self.secret, self.view = view.code, secret, view
        self.case_file = self._by_id.get(view.case_id)
        self.keys = keys_by_id(self.case_file) if self.case_file is not None else {}
        self._signature = None
        self._confirming = False
        self.export.value = ""
        self.ended.value = ""
        _show(self.confirm_box, False)
        _show(self.start_form, False)
        _show(self.screen, True)
        self.join_info.value = self._join_html(view)
        self.refresh(force=True)

    def _join_html(self, view: SessionView) -> str:
        code = view.code
        join = f"{JOIN_NOTEBOOK}?{urlencode({'session': code})}"
        private = trainer_link(code, self.secret)
        missing = "" if self.case_file is not None else (
            "<p class='npk-note'>The case file of this session is not in this copy of npkit: "
            "npkit's answers cannot be revealed and the downloads are not available.</p>")
        return box(
            f"<div class='npk-join-panel'><h2>{esc(view.title)}</h2>"
            "<p>Join code:</p>"
            # Screen readers get the code letter by letter (an aria-label on a paragraph is
            # not announced: ARIA gives paragraphs no name).
            f"<p class='npk-joincode'><span aria-hidden='true'>{esc(code)}</span>"
            f"<span class='npk-sr'>{esc(spaced(code))}</span>"
            "</p><p class='npk-join-path'>Trainees open <strong>Join a workshop</strong> on "
            f"the course's start page, or <a href='{esc(join)}'>{esc(join)}</a>, and type "
            "the code with a nickname (no real names).</p></div>"
            f"{missing}"
            "<details class='npk-private'><summary>Trainer link (private: do not show it on "
            "the projector)</summary>"
            f"<p><a href='{esc(private)}'>{esc(private)}</a></p>"
            "<p><strong>Keep this link private: it controls the session. Copy it, or "
            "bookmark the link itself, to come back.</strong> Once opened, the page takes the "
            "secret out of its address bar, so a bookmark of the opened page does not keep "
            "it. Anyone who has the link can lock, reveal, export and delete this "
            "session.</p></details>")

    # --- live view ---------------------------------------------------------------------------

    def refresh(self, force: bool = False) -> bool:
        """Re-read the current question's answers and the number of participants; redraw only
        if something changed (or ``force``). True if the page was redrawn. Never raises: a
        problem is shown in the status line, and a deleted session ends the page's session."""
        if self.code is None or self.workshop is None:
            return False
        ws = self.workshop
        try:
            view = ws.session(self.code)
            question = view.current_question or view.questions[0]
            tally = ws.tally(self.code, self.secret, question.qid)
            joined = ws.participants(self.code, self.secret)
        except NotFound:
            self._ended("This session no longer exists: it was deleted (perhaps from another "
                        "window).")
            return True
        except (WorkshopError, StoreError) as exc:
            self.say(f"The answers could not be read just now: {exc}", "problem")
            return False
        signature = (view.current, question.locked, question.revealed, tally.respondents,
                     tuple(sorted(tally.counts.items())), tally.texts, joined)
        if signature == self._signature and not force:
            return False
        self._signature = signature
        self.view = view
        self._draw(view, question, tally, joined)
        return True

    def _draw(self, view, question, tally, joined: int) -> None:
        n = next(i for i, q in enumerate(view.questions) if q.qid == question.qid)
        total = len(view.questions)
        state = ("<span class='npk-badge npk-bad'><span aria-hidden='true'>🔒</span> answers "
                 "closed</span>" if question.locked else
                 "<span class='npk-badge npk-good'><span aria-hidden='true'>✎</span> open for "
                 "answers</span>")
        if question.revealed:
            state += (" <span class='npk-badge npk-neutral'><span aria-hidden='true'>👁"
                      "</span> npkit's answer shown to the room</span>")
        kind = {"outcome": "one answer", "which": "any number of answers",
                "free_text": "in their own words"}.get(question.kind, "")
        self.question.value = box(
            f"<h2>Question {n + 1} of {total}</h2>"
            f"<p class='npk-qhead'>{esc(question.prompt)}</p>"
            f"<p>Trainees give {esc(kind)}. {state}</p>")
        self.chart.value = chart_html(tally, joined, self.keys.get(question.qid))
        people = "person has" if joined == 1 else "people have"
        self.participants.value = box(
            f"<p><strong>{joined}</strong> {people} joined; {tally.respondents} answered this "
            f"question ({count_text(tally.respondents, joined)}).</p>")
        self._shown_qid = question.qid
        self._shown_locked = question.locked
        self._shown_revealed = question.revealed
        self.lock_button.description = "Reopen" if question.locked else "Lock answers"
        self.lock_button.tooltip = ("Accept answers to this question again" if question.locked
                                    else "Stop accepting answers to this question")
        self.lock_button.icon = "unlock" if question.locked else "lock"
        self.reveal_button.description = ("Hide npkit's answer" if question.revealed
                                          else "Reveal npkit's answer")
        self.reveal_button.tooltip = (
            "Hide npkit's answer again, here and on every trainee's screen" if question.revealed
            else "Show npkit's answer and why, here and on every trainee's screen")
        self.prev_button.disabled = n == 0
        self.next_button.disabled = n + 1 >= total

    # --- the controls (each re-reads the session: the buttons' state may be stale or forged)

    def _current(self):
        if self.code is None:
            raise WorkshopError("Start a session first.")
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
        self.say("Answers to this question are closed: the store refuses new ones." if lock
                 else "Answers to this question are accepted again.", "done")

    def _reveal(self) -> None:
        view, q = self._current()
        self._cancel_confirm()
        reveal = not self._shown_revealed if q.qid == self._shown_qid else not q.revealed
        self.workshop.reveal(self.code, self.secret, q.qid, reveal)
        self.refresh(force=True)
        self.say("npkit's answer is shown here and on every trainee's screen." if reveal
                 else "npkit's answer is hidden again.", "done")

    def _move(self, step: int) -> None:
        view, q = self._current()
        self._cancel_confirm()
        ids = [x.qid for x in view.questions]
        i = ids.index(q.qid) + step
        if not 0 <= i < len(ids):
            self.say("This is the first question." if step < 0 else
                     "This is the last question.", "note")
            return
        self.workshop.set_current(self.code, self.secret, ids[i])
        self.refresh(force=True)
        self.say(f"Everyone is now on question {i + 1} of {len(ids)}.", "done")

    def _previous(self) -> None:
        self._move(-1)

    def _next(self) -> None:
        self._move(+1)

    def _export(self) -> None:
        self._current()
        self._cancel_confirm()
        case = self.case_file
        if case is None:
            raise WorkshopError("The case file of this session is not in this copy of npkit, "
                                "so the results cannot be exported here.")
        frame = results_frame(self.workshop, self.code, self.secret, case)
        page = summary_html(self.workshop, self.code, self.secret, case)
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
        name = f"npkit-workshop-{self.code}"
        csv = data_link(to_csv(frame), "text/csv", f"{name}-results.csv",
                        "Download results (CSV)")
        summary = data_link(page, "text/html", f"{name}-summary.html", "Download summary (HTML)")
        self.export.value = box(
            f"<p>{csv} · {summary}</p><p class='npk-source'>{len(frame)} answers, as of "
            f"{esc(stamp)} UTC. Answers given later are not in these files: press "
            "<em>Prepare downloads</em> again. Trainees appear as P1, P2… in the order they "
            "joined, not by nickname.</p>")
        self.say("The downloads are ready below.", "done")

    def _ask_delete(self) -> None:
        self._current()
        self._confirming = True
        self.confirm_text.value = box(
            f"<p class='npk-error' role='alert'><strong>Delete session {esc(self.code)}?</strong>"
            " Its participants and every answer go for good; download the results first if "
            "you need them.</p>")
        _show(self.confirm_box, True)
        self.say("Deleting needs a second press: “Yes, delete it and every answer”.", "note")

    def _cancel_confirm(self) -> None:
        self._confirming = False
        self.confirm_text.value = ""
        _show(self.confirm_box, False)

    def _cancel_delete(self) -> None:
        self._cancel_confirm()
        self.say("Nothing was deleted.", "note")

    def _delete(self) -> None:
        if not self._confirming or self.code is None:
            # A crafted click on the hidden confirm button: the kernel never asked.
            self.say("Press “Delete this session” first.", "note")
            return
        self._confirming = False
        code = self.code
        joined = self.workshop.participants(code, self.secret)
        answers = self.workshop.delete(code, self.secret)
        self._ended(f"Session {code} was deleted, with its {joined} participants and "
                    f"{answers} answers. Nothing of it is left in the store.")

    def _ended(self, message: str) -> None:
        self.stop_polling()
        self.code = self.secret = self.view = None
        self.keys, self.case_file, self._signature = {}, None, None
        self._shown_qid = None
        self._cancel_confirm()
        for html in (self.join_info, self.question, self.chart, self.participants,
                     self.export):
            html.value = ""
        _show(self.screen, False)
        _show(self.start_form, True)
        self.ended.value = box(f"<p class='npk-note' role='status'>{esc(message)} You can "
                               "start a new session below.</p>")
        self.say(message, "done")


def rehearsal(case_id: str = "jane", answers: Iterable[str] = ("fails", "fails", "succeeds"),
              folder: str | Path | None = None) -> str:
    """A dry run of a whole session in a throwaway store, through both pages: the trainer
    starts a session on ``case_id``; one trainee per answer joins and answers the first
    question; the trainer locks it (a late answer is refused), reveals npkit's answer and
    moves on. Returns what happened, one line per step (the notebooks print it)."""
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
            trainer.title.value = "Rehearsal"
            trainer.start_button.click()
            trainees = []
            for n, value in enumerate(answers, 1):
                t = TraineePage(workshop=ws, query=f"session={trainer.code}")
                t.nickname.value = f"Trainee {n}"
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
            late.nickname.value = "Late"
            late.join_button.click()
            late.choice.value = next(iter(answers))
            late.send_button.click()
            refused = "closed" in late.status.value
            trainer.reveal_button.click()
            trainees[0].refresh()
            sees_key = "npkit's answer" in trainees[0].reveal.value
            trainer.next_button.click()
            trainees[0].refresh()
            follows = trainees[0].question_id == trainer.view.current
            lines = [
                f"joined {ws.participants(trainer.code, trainer.secret)}, answered "
                f"{tally.respondents}",
                f"counts: {counts}",
                f"late answer refused after the lock: {refused}",
                f"trainee sees npkit's answer after the reveal: {sees_key}",
                f"trainee follows the trainer to the next question: {follows}",
            ]
            trainer.delete_button.click()
            trainer.confirm_delete_button.click()
            lines.append(f"deleted: {trainer.code is None}")
            return "\n".join(lines)
        finally:
            for page in pages:
                page.close()
            store.close()
