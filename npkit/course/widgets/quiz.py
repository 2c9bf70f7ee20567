"""Module 7, "Check yourself": a scored quiz in pages, one per module its questions come from.

Each page ("Module 3: ...") holds that module's questions, each a labelled set of radio
buttons. "Check answers" grades the page's questions with
:func:`npkit.course.training.quiz.grade` (right / wrong in words and a symbol, why, source):
a page's key appears only after that page's Check. The score shows the page's result and the
overall one over every page checked so far; "Try again" clears the page. "Previous page",
"Next page" and the "Go to page" menu turn pages (the buttons move the focus to the new
page's heading, the menu keeps it); a progress bar (a labelled ``<progress>``
with its words beside it) says which page and how many questions are answered, and a status
line announces a new page. The widget only presents: the answer keys and the grading live in
:mod:`npkit.course.training.quiz`.

Only one page's questions are drawn at a time, on a fixed set of widgets reused from page to
page (as many as the longest page has questions), and the widgets share their layout and
style models: the page holds a few dozen widget models, not one set per question.

    quiz = Quiz(bank()); quiz.go(2); quiz.radios["duress-ew-john"].value = "fails"
    quiz.check.click(); assert "Your score: 1 of" in quiz.score.value
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterable
from urllib.parse import parse_qs

import ipywidgets as w

from npkit.course.binding import QUERY_VARIABLE, Stateful, current_learner, in_voila
from npkit.course.training import quiz as qz
from npkit.course.training.modules import MODULES
from npkit.course.widgets import ui
from npkit.course.widgets.first_state import opened_when_built
from npkit.i18n import N_, _

# A quiz status in words, shown as a badge (ui.BADGES gives its symbol).
STATUS_WORDS = {
    qz.RIGHT: "right",
    qz.WRONG: "wrong",
    qz.UNANSWERED: "not answered",
    qz.INVALID: "ignored",
}


def _feedback(fb: qz.Feedback) -> dict:
    return {"fb": fb, "word": STATUS_WORDS.get(fb.status, STATUS_WORDS[qz.INVALID]),
            "show_rests_on": fb.status != qz.INVALID and bool(fb.rests_on)}


def feedback_body(fb: qz.Feedback) -> str:
    """One question's feedback: mark, message, what the answer rests on (npkit's reading, law
    from outside npkit's sources) in words right beside it, why and source, all escaped."""
    return str(ui.render("quiz/feedback.html.j2", **_feedback(fb)))


def module_title(number: int) -> str:
    titles = {m.number: m.title for m in MODULES}
    title = titles.get(number, "")
    if not title:
        return _("Module {n}").format(n=number)
    return _("Module {n}: {title}").format(n=number, title=_(title))


def page_from_query(query: object) -> int | None:
    """The page a link names (``...&page=3``: module 3's page), or None. Strict: one ``page``
    of one to two digits, else None."""
    if not isinstance(query, str) or len(query) > 2048:
        return None
    try:
        given = parse_qs(query.lstrip("?"), max_num_fields=20).get("page", [])
    except ValueError:
        return None
    if len(given) != 1 or not re.fullmatch(r"[0-9]{1,2}", given[0]):
        return None
    return int(given[0])


def linked_page() -> int | None:
    """The page the address of this Voila page names (``&page=3``), or None (and always None
    outside Voila). Call it after :func:`npkit.course.binding.bind_learner`, which has read the
    query string by then."""
    if not in_voila():
        return None
    current_learner()  # reads the query string once per kernel (may wait for the visitor)
    return page_from_query(os.environ.get(QUERY_VARIABLE, ""))


GRADING_FAILED = N_("Something went wrong while grading; your answers are kept.")


def _guarded(fn):
    """:func:`ui.guard` with :data:`GRADING_FAILED` in the page's language (made at each call:
    the language is chosen after this module is imported)."""

    @functools.wraps(fn)
    def run(*args, **kw):
        return ui.guard(_(GRADING_FAILED))(fn)(*args, **kw)

    return run

def _described() -> w.Widget:
    """The style a labelled choice shares (the label as wide as its words)."""
    return ui.shared_style(w.RadioButtons, description_width="initial")


def _html(value: str = "", *classes: str) -> w.HTML:
    out = ui.html_widget(classes=classes)
    out.value = value
    return out


def _row(children: list[w.Widget]) -> w.HBox:
    row = w.HBox(children, layout=ui.shared(w.Layout))
    row.add_class("npk-box")
    row.add_class("npk-row")
    return row


class _Slot:
    """The widgets of one question on the page: its text, its choices, its feedback."""

    def __init__(self, n: int, on_answer) -> None:
        self.qid = ui.question_id()
        self.question: qz.Question | None = None
        self.prompt = _html()
        self.radio = w.RadioButtons(options=[], value=None, description=_("Answer {n}").format(n=n),
                                    style=_described(),
                                    layout=ui.shared(w.Layout, width="auto", max_width="60rem"))
        ui.labelled_by(self.radio, f"{self.qid}-n", self.qid)  # "Question 3 of 8", the text
        self.radio.add_class("npk-choices")
        self.radio.observe(on_answer, names="value")
        self.feedback = _html()


class Quiz(Stateful):
    """The quiz in pages, one per module, with "Check answers", "Try again", a score per page
    and overall, Previous / Next page, a progress bar and a status line.

    ``page`` is the module number of the page shown and ``pages`` every page's; ``shown`` the
    page's questions; ``radios``, ``prompts`` and ``feedback`` the page's widgets keyed by
    question id; ``score``, ``progress`` and ``status`` are HTML outputs tests can read.
    Saved state (:meth:`get_state`): the page, every page's choices, and the pages checked
    (feedback and score are recomputed when the state is restored). The single-page quiz's
    state (``module``, ``answers``, ``checked``) restores too.
    """

    state_key = "quiz"

    @opened_when_built()  # each widget opens with its first state (issue 16)
    def __init__(self, questions: Iterable[qz.Question] | None = None) -> None:
        self._quiet = False
        self._reveal = 0  # presses of "Check answers" (see reveal.py)
        self._turns = 0  # page changes the learner made (npkit-a11y.js moves focus on each)
        self.questions = list(qz.bank() if questions is None else questions)
        self._by_id = {q.id: q for q in self.questions}
        self.pages = sorted({q.module for q in self.questions})
        self._on_page = {p: [q for q in self.questions if q.module == p] for p in self.pages}
        self.chosen: dict[str, str] = {}  # every page's answers: question id -> choice value
        self.checked_pages: set[int] = set()
        self.page = self.pages[0] if self.pages else 0
        longest = max((len(qs) for qs in self._on_page.values()), default=0)
        self._slots = [_Slot(n, self._on_answer) for n in range(1, longest + 1)]

        self.menu = w.Dropdown(options=[(module_title(p), p) for p in self.pages],
                               value=self.page if self.pages else None,
                               description=_("Go to page"),
                               style=_described(), layout=ui.shared(w.Layout, width="32rem"))
        self.heading = _html()
        self.progress = _html("", "npk-quiz-progress")
        self.list = w.VBox(layout=ui.shared(w.Layout))
        self.check = ui.button(_("Check answers"), kind="primary",
                               tooltip=_("Grade the questions on this page"))
        self.retry = ui.button(_("Try again"),
                               tooltip=_("Clear your answers and the feedback on this page"))
        self.previous = ui.button(_("Previous page"),
                                  tooltip=_("Go to the previous page of questions"))
        self.next = ui.button(_("Next page"), tooltip=_("Go to the next page of questions"))
        self.score = _html()
        self.status = _html("", "npk-status-line")
        self.check.on_click(self._on_check)
        self.retry.on_click(self._on_retry)
        self.previous.on_click(self._on_previous)
        self.next.on_click(self._on_next)
        self.menu.observe(self._on_menu, names="value")
        intro = _html(ui.value("quiz/intro.html.j2", pages=len(self.pages),
                               total=len(self.questions)))
        self.widget = w.VBox([intro, self.menu, self.heading, self.progress, self.list,
                              _row([self.check, self.retry]), self.score,
                              _row([self.previous, self.next]), self.status],
                             layout=ui.shared(w.Layout))
        self.widget.add_class("npk-quiz")
        self._draw()

    # -- what is shown ------------------------------------------------------------------------

    @property
    def shown(self) -> list[qz.Question]:
        return list(self._on_page.get(self.page, []))

    @property
    def checked(self) -> bool:
        """Whether the page shown has been checked."""
        return self.page in self.checked_pages

    def _used(self) -> list[_Slot]:
        return self._slots[:len(self.shown)]

    @property
    def radios(self) -> dict[str, w.RadioButtons]:
        return {s.question.id: s.radio for s in self._used() if s.question}

    @property
    def prompts(self) -> dict[str, w.HTML]:
        return {s.question.id: s.prompt for s in self._used() if s.question}

    @property
    def feedback(self) -> dict[str, w.HTML]:
        return {s.question.id: s.feedback for s in self._used() if s.question}

    def answers(self) -> dict[str, object]:
        """The page's answers (None where unanswered)."""
        return {q.id: self.chosen.get(q.id) for q in self.shown}

    def _draw(self) -> None:
        """Show the current page: its questions with their answers, and its feedback and
        score if it has been checked."""
        shown = self.shown
        self._quiet = True
        try:
            for n, (slot, q) in enumerate(zip(self._slots, shown, strict=False), 1):
                slot.question = q
                slot.prompt.value = ui.value("quiz/question.html.j2", n=n, total=len(shown),
                                             prompt=q.prompt, qid=slot.qid)
                slot.radio.value = None
                slot.radio.options = list(q.choices)
                slot.radio.value = self.chosen.get(q.id)
                slot.feedback.value = ""
            for slot in self._slots[len(shown):]:
                slot.question = None
        finally:
            self._quiet = False
        if shown:
            self.list.children = [x for s in self._used()
                                  for x in (s.prompt, s.radio, s.feedback)]
        else:
            self.list.children = [_html(ui.value("quiz/empty.html.j2"))]
        if self.pages:
            self.menu.value = self.page  # the observer sees no change if already there
            at = self.pages.index(self.page)
            self.previous.disabled = at == 0
            self.next.disabled = at == len(self.pages) - 1
        else:
            self.previous.disabled = self.next.disabled = True
        self.heading.value = ui.value("quiz/page_heading.html.j2",
                                      title=module_title(self.page) if self.pages else "",
                                      turn=self._turns, qid=self._slots[0].qid
                                      if self._slots else "npk-quiz")
        if self.checked:
            self._grade_page()
        self._show_score()
        self._show_progress()

    def _show_progress(self) -> None:
        self.progress.value = ui.value("quiz/progress.html.j2", **self._progress())

    def _progress(self) -> dict:
        answered = sum(1 for q in self.questions if self.chosen.get(q.id) in q.values)
        return {"page": self.pages.index(self.page) + 1 if self.pages else 0,
                "pages": len(self.pages), "answered": answered, "total": len(self.questions),
                "pid": f"{self._slots[0].qid}-progress" if self._slots else "npk-quiz-progress"}

    def progress_line(self) -> str:
        """"Page 2 of 6 · 14 of 49 answered": what the progress bar says in words."""
        p = self._progress()
        return _("Page {page} of {pages} · {answered} of {total} answered").format(**p)

    def go(self, page: object) -> bool:
        """Show module ``page``'s page (untrusted: anything not a page is refused, False)."""
        if isinstance(page, bool) or page not in self.pages:
            return False
        if page != self.page:
            self.page = page
            self._draw()
        return True

    def reset(self) -> None:
        """Clear the page shown: its answers, feedback and check."""
        for q in self.shown:
            self.chosen.pop(q.id, None)
        self.checked_pages.discard(self.page)
        self._draw()

    # -- saved state ----------------------------------------------------------------------------

    def get_state(self) -> dict:
        """``page`` (a module number), ``answers`` (``{question id: choice}`` over every page,
        unanswered left out) and ``checked`` (the pages checked, in order)."""
        return {"page": self.page, "answers": dict(self.chosen),
                "checked": sorted(self.checked_pages)}

    def _apply_state(self, state: dict) -> None:
        old = "page" not in state and "module" in state  # the single-page quiz's shape
        page = state.get("module" if old else "page")
        self.chosen = {}
        answers = state.get("answers")
        if isinstance(answers, dict):
            for qid, choice in answers.items():
                q = self._by_id.get(qid) if isinstance(qid, str) else None
                if q is not None and isinstance(choice, str) and choice in q.values:
                    self.chosen[qid] = choice
        checked = state.get("checked")
        if old:
            # It checked what it showed: one module's questions, or (module 0) all of them.
            if checked is True:
                self.checked_pages = set(self.pages) if page == 0 else {page} & set(self.pages)
            else:
                self.checked_pages = set()
        elif isinstance(checked, list):
            self.checked_pages = {p for p in checked
                                  if not isinstance(p, bool) and p in self.pages}
        else:
            self.checked_pages = set()
        if not isinstance(page, bool) and page in self.pages:
            self.page = page
        self._draw()

    # -- callbacks: re-check every input, never raise into the page ---------------------------

    def _turn(self, page: object, focus: bool = True) -> None:
        if page == self.page or not self.go_and_tell(page, focus=focus):
            return
        self._changed()

    def go_and_tell(self, page: object, *, focus: bool = True) -> bool:
        """Turn to ``page`` as the learner does: the status line says where they are and, with
        ``focus``, the heading takes the focus (npkit-a11y.js). The "Go to page" menu keeps
        it: arrow keys on a menu change its value, and the focus must not leave the menu
        at every press."""
        if isinstance(page, bool) or page not in self.pages:
            return False
        self._turns += focus
        self.page = page
        self._draw()
        p = self._progress()
        ui.say(self.status, _("Page {page} of {pages}: {title}. {answered} of {total} "
                              "questions answered.").format(title=module_title(page), **p))
        return True

    @_guarded
    def _on_menu(self, change) -> None:
        self._turn(change.get("new"), focus=False)

    @_guarded
    def _on_previous(self, _button=None) -> None:
        if self.pages and self.pages.index(self.page) > 0:
            self._turn(self.pages[self.pages.index(self.page) - 1])

    @_guarded
    def _on_next(self, _button=None) -> None:
        if self.pages and self.pages.index(self.page) < len(self.pages) - 1:
            self._turn(self.pages[self.pages.index(self.page) + 1])

    def _on_answer(self, change) -> None:
        if self._quiet:
            return
        slot = next((s for s in self._used() if s.radio is change.get("owner")), None)
        if slot is None or slot.question is None:
            return
        value = change.get("new")
        if isinstance(value, str) and value in slot.question.values:
            self.chosen[slot.question.id] = value
        else:
            self.chosen.pop(slot.question.id, None)
        slot.feedback.value = ""  # a changed answer makes its old feedback stale
        self._show_progress()
        self._changed()

    @_guarded
    def _on_check(self, _button=None) -> None:
        self._reveal += 1
        self.checked_pages.add(self.page)
        # Saved before drawn: a learner who leaves as the feedback appears keeps the check.
        self._changed()
        self._grade_page()
        self._show_score()

    def _grade_page(self) -> None:
        result = qz.score(self.shown, self.answers())
        for slot, fb in zip(self._used(), result.feedback, strict=True):
            slot.feedback.value = ui.value("quiz/feedback.html.j2", **_feedback(fb))

    @_guarded
    def _on_retry(self, _button=None) -> None:
        self.reset()
        self._changed()

    def _show_score(self) -> None:
        """The page's score once it is checked, and the overall one over the pages checked."""
        if not self.checked_pages:
            self.score.value = ""
            return
        rows, right, total = [], 0, 0
        for p in self.pages:
            if p in self.checked_pages:
                result = qz.score(self._on_page[p], self.chosen)
                right, total = right + result.right, total + result.total
                rows.append((module_title(p), _("{right} of {total}").format(
                    right=result.right, total=result.total)))
            else:
                rows.append((module_title(p), _("not checked yet")))
        page = qz.score(self.shown, self.answers()) if self.checked or not self.pages else None
        self.score.value = ui.value(
            "quiz/score.html.j2", result=page, rows=rows, right=right, total=total,
            checked=len(self.checked_pages), pages=len(self.pages),
            unanswered=page.total - page.answered if page else 0,
            reveal=self._reveal if page else 0)
