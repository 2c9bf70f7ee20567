"""Module 1: the element tagger, and a "decide first" victim question.

:class:`ElementTagger` shows a case's narrative one passage at a time; the trainee ticks the
elements each passage shows (act, means, purpose: the choices of
:func:`npkit.course.training.tagger.tag_choices`), presses "Check my tags" for per-passage feedback
and a score, then may show the answer. The answer key is the case file's passage tags; scoring is
:func:`npkit.course.training.tagger.score`.

:class:`VictimQuestion` asks "is this person a victim of trafficking?", then shows npkit's
victim finding tree with its reasons and sources.

Every text from a case file is escaped by the templates (templates/tagger/); every callback
re-checks its input (widget messages are untrusted) and shows a readable message instead of
raising (ui.guard).
"""

from __future__ import annotations

import ipywidgets as w

from npkit.course.binding import Stateful
from npkit.course.training.tagger import (
    ELEMENT_TITLES,
    ELEMENTS,
    VICTIM_ANSWERS,
    choices_by_element,
    clean_index,
    clean_tags,
    count_by_element,
    score,
    sort_tags,
    tag_label,
    victim_agreement,
)
from npkit.course.widgets import ui
from npkit.course.widgets.base import case_choice, error_panel, picked_case
from npkit.course.widgets.first_state import opened_when_built
from npkit.course.widgets.reveal import case_notes
from npkit.engine.assessment import assess
from npkit.i18n import N_, _, ngettext
from npkit.law import registry
from npkit.law.vocabulary import describe
from npkit.render import words as rw

# The element kinds in words, and the answers of npkit.course.training.tagger.VICTIM_ANSWERS by
# value: translated where shown.
KINDS = {"act": N_("act"), "means": N_("means"), "purpose": N_("purpose")}
VICTIM_WORDS = {"victim": N_("a victim of trafficking"), "not_victim": N_("not a victim")}


def _kinds(kind: str, n: int) -> str:
    """``n`` elements of ``kind`` in words ("2 means", "1 act")."""
    if kind == "act":
        return ngettext("{n} act", "{n} acts", n).format(n=n)
    if kind == "purpose":
        return ngettext("{n} purpose", "{n} purposes", n).format(n=n)
    return ngettext("{n} means", "{n} means", n).format(n=n)


def _short(tag: str) -> str:
    kind, term = tag.split(".", 1)
    return _("{term} ({kind})").format(term=rw.term(term), kind=_(KINDS[kind]))


def tag_text(tag: str) -> str:
    """A tag's label in the learner's language (the English is
    :func:`npkit.course.training.tagger.tag_label`): "means: fraud — fraud about the job"."""
    if tag not in TAG_KNOWN:
        return tag_label(tag)
    kind, term = tag.split(".", 1)
    return _("{kind}: {term} — {description}").format(
        kind=_(KINDS[kind]), term=rw.term(term),
        description=rw.label(describe(ELEMENTS[kind], term)))


TAG_KNOWN = frozenset(tag for choices in choices_by_element().values() for _l, tag in choices)


def _labels(tags) -> list[str]:
    return [tag_text(t) for t in sort_tags(tags)]


class ElementTagger(Stateful):
    """Tag each passage of a case with the trafficking elements it shows, then check.

    Its saved state (:meth:`get_state`): the case, the passage shown, the tags of each
    passage, and whether the trainee checked and showed the answer (the feedback itself is
    recomputed when the state is restored)."""

    state_key = "tagger"

    @opened_when_built()  # each widget opens with its first state (issue 16)
    def __init__(self, cases, value: str | None = "jane"):
        self.cases = {c.id: c for c in cases}
        self.status = ui.status_line()
        self.answers: dict[int, frozenset[str]] = {}
        self.checked = False
        self.revealed = False
        self._loading = False
        self._feedback_body = ui.Markup()
        self._reveal = 0  # presses of "Check my tags" so far (see reveal.py)
        if not self.cases:
            self.widget = error_panel(_("There is no case to tag."),
                                      [_("No case file could be read from the case library.")])
            return
        self.case_choice = case_choice(list(self.cases.values()), value,
                                       description=_("Case to tag"))
        self.picker = self.case_choice.menu
        self.passage = w.Dropdown(description=_("Passage"), options=[(" ", 0)],
                                  style=ui.shared_style(w.Dropdown, description_width="initial"),
                                  layout=ui.shared(w.Layout, width="auto"))
        self.previous = ui.button(_("Previous passage"), tooltip=_("Go to the previous passage"))
        self.next = ui.button(_("Next passage"), tooltip=_("Go to the next passage"))
        self.passage_view = ui.html_widget()
        self.boxes: dict[str, w.Checkbox] = {}
        groups = []
        for kind, choices in choices_by_element().items():
            boxes = []
            for _label, tag in choices:
                box = w.Checkbox(value=False, description=tag_text(tag), indent=False,
                                 layout=ui.shared(w.Layout, width="auto"),
                                 style=ui.shared_style(w.Checkbox))
                box.observe(self._on_tick, names="value")
                self.boxes[tag] = box
                boxes.append(box)
            groups.append(ui.box(boxes, label=rw.label(ELEMENT_TITLES[kind]), kind="group"))
        self.groups = ui.box(groups, kind="groups", row=True)
        self.check = ui.button(_("Check my tags"), kind="primary",
                               tooltip=_("Compare your tags with the case file"))
        self.show = ui.button(_("Show the answer"), disabled=True,
                              tooltip=_("Available after you have checked your tags once"))
        self.clear = ui.button(_("Clear my tags"),
                               tooltip=_("Remove every tag you set for this case"))
        self.progress = ui.html_widget()
        self.feedback = ui.html_widget()
        self.answer = ui.html_widget()
        self.intro = ui.html_widget("tagger/intro.html.j2")
        self.picker.observe(self._on_case, names="value")
        self.passage.observe(self._on_passage, names="value")
        self.previous.on_click(self._on_previous)
        self.next.on_click(self._on_next)
        self.check.on_click(self._on_check)
        self.show.on_click(self._on_show)
        self.clear.on_click(self._on_clear)
        # The passage and the tags side by side on a wide screen, the passage kept in view
        # while the tags scroll; "Next passage" under the tags (npkit.css: .npk-tagger).
        passage = ui.vbox([self.passage_view], "npk-tagger-passage")
        tags = ui.vbox([self.groups,
                        ui.box([self.previous, self.passage, self.next], row=True),
                        ui.box([self.check, self.show, self.clear], row=True)],
                       "npk-tagger-tags")
        self.workspace = ui.hbox([passage, tags], "npk-tagger")
        self.widget = ui.vbox([
            self.status, self.intro, self.case_choice.widget, self.workspace,
            self.progress, self.feedback, self.answer,
        ], "npk-wrap")
        self.load(self.picker.value)

    # --- state -------------------------------------------------------------------------

    @property
    def case(self):
        return self.cases[self.picker.value]

    @property
    def index(self) -> int:
        i = clean_index(self.case, self.passage.value)
        return 0 if i is None else i

    @ui.guard(N_("The case could not be loaded."))
    def load(self, case_id: object) -> None:
        """Start tagging ``case_id`` afresh (ignored unless it is a case in the library)."""
        case = picked_case(self.cases, self.picker, case_id)
        if case is None:
            return
        self.answers, self.checked, self.revealed = {}, False, False
        self.show.disabled = True
        self.feedback.value = self.answer.value = ""
        n = len(case.narrative)
        # the passage itself is shown beside the menu
        options = [(_("{i} of {n}").format(i=i + 1, n=n), i) for i in range(n)]
        self._loading = True
        try:
            self.passage.options = options
            self.passage.value = 0
        finally:
            self._loading = False
        self._show_passage()
        self._changed()

    def record(self, index: object, tags: object) -> bool:
        """Set the trainee's tags for passage ``index``. Untrusted input: an index outside the
        narrative is ignored (returns False); tags not offered are dropped."""
        i = clean_index(self.case, index)
        if i is None:
            return False
        self.answers[i] = clean_tags(tags)
        self._render_progress()
        if self.checked:
            self._mark_stale()
        self._changed()
        return True

    # --- saved state ---------------------------------------------------------------------

    def get_state(self) -> dict:
        """The trainee's answers as JSON data: ``case``, ``passage`` (shown), ``tags``
        (``{"0": [tag, ...]}`` per passage, in the order offered), ``checked``, ``revealed``."""
        if not self.cases:
            return {}
        return {
            "case": self.picker.value,
            "passage": self.index,
            "tags": {str(i): sort_tags(tags)
                     for i, tags in sorted(self.answers.items()) if tags},
            "checked": self.checked,
            "revealed": self.revealed,
        }

    def _apply_state(self, state: dict) -> None:
        case_id = state.get("case")
        if not self.cases or not isinstance(case_id, str) or case_id not in self.cases:
            return  # tags belong to a case: without a known case there is nothing to show
        self.load(case_id)
        if self.picker.value != case_id:
            return
        tags = state.get("tags")
        if isinstance(tags, dict):
            for key, value in tags.items():
                i = clean_index(self.case, _as_index(key))
                found = clean_tags(value) if isinstance(value, list) else frozenset()
                if i is not None and found:
                    self.answers[i] = found
        shown = clean_index(self.case, state.get("passage"))
        if shown is not None and shown != self.passage.value:
            self.passage.value = shown  # its observer shows the passage and its ticks
        self._show_passage()
        if state.get("checked") is True:
            self._on_check()
            if state.get("revealed") is True:
                self._on_show()

    # --- callbacks -----------------------------------------------------------------------

    @ui.guard(N_("The case could not be changed."))
    def _on_case(self, change) -> None:
        self.load(change.get("new"))

    @ui.guard(N_("The passage could not be shown."))
    def _on_passage(self, change) -> None:
        if self._loading or clean_index(self.case, change.get("new")) is None:
            return
        self._show_passage()
        self._changed()

    @ui.guard(N_("Your tag could not be recorded."))
    def _on_tick(self, change) -> None:
        if self._loading:
            return
        ticked = [tag for tag, box in self.boxes.items() if box.value is True]
        self.record(self.index, ticked)

    @ui.guard(N_("Could not move to the previous passage."))
    def _on_previous(self, _button=None) -> None:
        self.passage.value = max(0, self.index - 1)

    @ui.guard(N_("Could not move to the next passage."))
    def _on_next(self, _button=None) -> None:
        self.passage.value = min(len(self.case.narrative) - 1, self.index + 1)

    @ui.guard(N_("Your tags could not be checked."))
    def _on_check(self, _button=None) -> None:
        self._reveal += 1
        self.checked = True
        # Saved before drawn: a learner who leaves as the feedback appears keeps the check.
        self._changed()
        self.show.disabled = False
        self.show.tooltip = _("Show the elements the case file gives for every passage")
        self._render_feedback()

    @ui.guard(N_("The answer could not be shown."))
    def _on_show(self, _button=None) -> None:
        if not self.checked:  # the button is disabled until then; a crafted click is ignored
            return
        self.revealed = True
        self._changed()
        self._render_feedback()
        self._render_answer()

    @ui.guard(N_("Your tags could not be cleared."))
    def _on_clear(self, _button=None) -> None:
        self.answers = {}
        self._show_passage()
        if self.checked:
            self._mark_stale()
        self._changed()

    # --- rendering -----------------------------------------------------------------------

    def _show_passage(self) -> None:
        case, i = self.case, self.index
        n = len(case.narrative)
        self.passage_view.value = ui.value("tagger/passage.html.j2", case=case, index=i)
        mine = self.answers.get(i, frozenset())
        self._loading = True
        try:
            for tag, box in self.boxes.items():
                box.value = tag in mine
        finally:
            self._loading = False
        self.previous.disabled = i == 0
        self.next.disabled = i == n - 1
        self._render_progress()

    def _render_progress(self) -> None:
        items = [(i + 1, i == self.index,
                  ", ".join(_short(t) for t in sort_tags(self.answers.get(i, ()))))
                 for i in range(len(self.case.narrative))]
        self.progress.value = ui.value("tagger/progress.html.j2", items=items)

    def _mark_stale(self) -> None:
        """Keep the last feedback (the trainee may be fixing tags from it) and say it is old."""
        self.feedback.value = ui.value("tagger/stale.html.j2", body=self._feedback_body)

    def _render_feedback(self) -> None:
        result = score(self.case, self.answers)
        rows = []
        for p in result.passages:
            missed_kinds = ", ".join(_kinds(k, n)
                                     for k, n in count_by_element(p.missed).items())
            rows.append({
                "index": p.index, "verdict": p.verdict,
                "points": (_("{points} of {possible}, {wrong} wrong").format(
                    points=p.points, possible=p.possible, wrong=len(p.extra)) if p.extra else
                    _("{points} of {possible}").format(points=p.points, possible=p.possible)),
                "correct": _labels(p.correct), "extra": _labels(p.extra),
                "missed": _labels(p.missed) if self.revealed else [],
                "missed_kinds": missed_kinds,
                "nothing": not p.possible and not p.extra,
            })
        self._feedback_body = ui.render("tagger/feedback.html.j2", result=result, rows=rows,
                                        reveal=self._reveal)
        self.feedback.value = ui.value("frame.html.j2", body=self._feedback_body)

    def _render_answer(self) -> None:
        case = self.case
        # where the three elements come from: the victim rule's first citation
        self.answer.value = ui.value("tagger/answer.html.j2", case=case,
                                     elements=registry.rule("victim").citations[0],
                                     passages=[(p, _labels(p.tags)) for p in case.narrative])


def _as_index(key: object) -> object:
    """A passage index from a JSON object key (``"0"``); anything else is left for
    :func:`clean_index` to refuse."""
    if isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= 4:
        return int(key)
    return key


class VictimQuestion(Stateful):
    """"Is this person a victim of trafficking?": answer first, then see npkit's finding, what
    the sources conclude about the case and its lesson (none of it is on the page before).

    Saved state: the answer chosen and whether npkit's analysis was shown."""

    def __init__(self, cases, case_id: str):
        self.status = ui.status_line()
        self.state_key = f"victim-{case_id}"
        self.case = next((c for c in cases if c.id == case_id), None)
        if self.case is None:
            self.widget = error_panel(
                _("The case {case!r} is not in the case library.").format(case=case_id),
                [_("The rest of this module still works.")])
            return
        name = self.case.person.pseudonym
        self.story = ui.html_widget("story.html.j2", case=self.case, opened=False,
                                    summary=_("Read {name}'s story: {title}").format(
                                        name=name, title=self.case.title))
        self.choice = w.RadioButtons(options=[(_(VICTIM_WORDS.get(v, label)), v)
                                              for label, v in VICTIM_ANSWERS], value=None,
                                     description=_("Decide first: {name} is").format(name=name),
                                     style=ui.shared_style(w.RadioButtons,
                                                           description_width="initial"),
                                     layout=ui.shared(w.Layout))
        self.reveal = ui.button(_("Show npkit's analysis"),
                                tooltip=_("npkit's victim finding for {name}, with sources")
                                .format(name=name))
        self.result = ui.html_widget()
        self._reveal = 0
        self.revealed = False
        self.reveal.on_click(self._on_reveal)
        self.choice.observe(self._on_choice, names="value")
        self.widget = ui.vbox([self.status, self.story, self.choice, self.reveal, self.result])

    @ui.guard(N_("npkit's analysis could not be shown."))
    def _on_choice(self, _change=None) -> None:
        self._changed()
        if self.revealed:
            self.result.value = self._result_html()

    @ui.guard(N_("npkit's analysis could not be shown."))
    def _on_reveal(self, _button=None) -> None:
        self._reveal += 1
        shown = self._result_html()
        self.revealed = True
        self._changed()
        self.result.value = shown

    def get_state(self) -> dict:
        """``choice`` (``victim``, ``not_victim`` or None) and ``revealed``."""
        if self.case is None:
            return {}
        return {"choice": self.choice.value, "revealed": self.revealed}

    def _apply_state(self, state: dict) -> None:
        if self.case is None:
            return
        choice = state.get("choice")
        if choice is None or (isinstance(choice, str)
                              and choice in {v for _, v in VICTIM_ANSWERS}):
            self.choice.value = choice
        if state.get("revealed") is True:
            self._on_reveal()

    def _result_html(self) -> str:
        case = self.case
        victim = assess(case, counterfactuals=False).victim
        given = self.choice.value
        verdict = victim_agreement(given, victim.outcome)
        said = dict((v, label) for label, v in self.choice.options).get(given, "")
        period = case.period(case.offence().period)
        return ui.value("tagger/victim_result.html.j2", case=case, said=said,
                        verdict=verdict, victim=victim, charge=case.offence().charge,
                        period=period.label or period.id, reveal=self._reveal,
                        notes=case_notes("victim", case.id))
