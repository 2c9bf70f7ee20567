"""Module 1: the element tagger, and a "decide first" victim question.

:class:`ElementTagger` shows a case's narrative one passage at a time; the trainee ticks the
elements each passage shows (act, means, purpose: the choices of
:func:`npkit.course.training.tagger.tag_choices`), presses "Check my tags" for per-passage feedback
and a score, then may show the answer. The answer key is the case file's passage tags; scoring is
:func:`npkit.course.training.tagger.score`.

:class:`VictimQuestion` asks "is this person a victim of trafficking?", then shows npkit's
victim finding tree with its reasons and sources.

Every text from a case file goes through ``esc``; every callback re-checks its input (widget
messages are untrusted) and shows a readable message instead of raising.
"""

from __future__ import annotations

import functools

import ipywidgets as w

from npkit.course.binding import Stateful
from npkit.course.training.tagger import (
    ELEMENT_TITLES,
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
from npkit.course.widgets.base import (
    CSS,
    case_picker,
    error_panel,
    esc,
    outcome_html,
    tree_html,
    words,
)
from npkit.engine.assessment import assess

VERDICTS = {
    "correct": ("✔", "good"),
    "partly correct": ("◐", "mixed"),
    "not correct": ("✘", "bad"),
    "agrees": ("✔", "good"),
    "differs": ("✘", "bad"),
    "not answered": ("?", "neutral"),
}


# Let long checkbox labels wrap instead of ending in "…" (ipywidgets keeps them on one line).
WRAP_CSS = """
<style>
.npk-wrap .widget-checkbox { height: auto; min-height: var(--jp-widgets-inline-height, 28px); }
.npk-wrap .widget-checkbox .widget-label-basic { align-items: flex-start; }
.npk-wrap .widget-checkbox .widget-label-basic input { margin-top: .3em; flex: none; }
.npk-wrap .widget-checkbox .widget-label-basic span { white-space: normal; overflow: visible;
  text-overflow: clip; line-height: 1.35; }
.npk-wrap .widget-radio-box label { white-space: normal; }
</style>
"""


def button(description: str, **kw) -> w.Button:
    """A labelled button as wide as its label (ipywidgets would cut long labels short)."""
    return w.Button(description=description, layout=w.Layout(width="auto"), **kw)


def verdict_badge(word: str) -> str:
    """A feedback word as a badge: symbol and word, colour only as a second channel."""
    symbol, kind = VERDICTS.get(word, ("•", "neutral"))
    return (f'<span class="npk-badge npk-{kind}"><span aria-hidden="true">{symbol}</span> '
            f"{esc(word)}</span>")


def boxed(body: str) -> str:
    """``body`` (already escaped) in the suite's style, as the value of an HTML widget."""
    return f'{CSS}<div class="npk">{body}</div>'


def failure(title: str, exc: BaseException) -> str:
    """An error panel's HTML for a callback that went wrong: readable, never a traceback."""
    return error_panel(title, [f"{type(exc).__name__}: {exc}",
                               "Everything else on this page still works."]).value


def safe(title: str):
    """Decorate a callback so it never raises into the page: errors land in ``self.status``."""

    def wrap(method):
        @functools.wraps(method)
        def run(self, *args, **kw):
            try:
                self.status.value = ""
                return method(self, *args, **kw)
            except Exception as exc:  # a callback must never raise into the page
                self.status.value = failure(title, exc)
                return None

        return run

    return wrap


def story_html(case) -> str:
    """A case's story without its lesson (the lesson would give the answer away)."""
    passages = "".join(
        f'<p class="npk-passage"><span class="npk-source">Passage {i + 1}.</span> '
        f"{esc(p.text)}</p>"
        for i, p in enumerate(case.narrative)
    )
    charges = "".join(f"<li>{esc(o.charge)}</li>" for o in case.offences)
    return (f"{passages}<p><strong>Charged with:</strong></p><ul>{charges}</ul>"
            f"<p class='npk-source'>Story told in npkit's words; source: "
            f"{esc(case.source.text)}</p>")


_PLURAL = {"act": "acts", "means": "means", "purpose": "purposes"}


def _short(tag: str) -> str:
    kind, term = tag.split(".", 1)
    return f"{words(term)} ({kind})"


def _tag_list(tags) -> str:
    return "".join(f"<li>{esc(tag_label(t))}</li>" for t in sort_tags(tags))


class ElementTagger(Stateful):
    """Tag each passage of a case with the trafficking elements it shows, then check.

    Its saved state (:meth:`get_state`): the case, the passage shown, the tags of each
    passage, and whether the trainee checked and showed the answer (the feedback itself is
    recomputed when the state is restored)."""

    state_key = "tagger"

    def __init__(self, cases, value: str | None = "jane"):
        self.cases = {c.id: c for c in cases}
        self.status = w.HTML("")
        self.answers: dict[int, frozenset[str]] = {}
        self.checked = False
        self.revealed = False
        self._loading = False
        self._feedback_body = ""
        if not self.cases:
            self.widget = error_panel("There is no case to tag.",
                                      ["No case file could be read from the case library."])
            return
        self.picker = case_picker(list(self.cases.values()), value, description="Case to tag")
        self.passage = w.Dropdown(description="Passage", options=[(" ", 0)],
                                  style={"description_width": "initial"},
                                  layout=w.Layout(width="36rem"))
        self.previous = button("Previous passage", icon="arrow-left",
                               tooltip="Go to the previous passage")
        self.next = button("Next passage", icon="arrow-right",
                           tooltip="Go to the next passage")
        self.passage_view = w.HTML("")
        self.boxes: dict[str, w.Checkbox] = {}
        groups = []
        for kind, choices in choices_by_element().items():
            boxes = []
            for label, tag in choices:
                box = w.Checkbox(value=False, description=label, indent=False,
                                 layout=w.Layout(width="auto"))
                box.observe(self._on_tick, names="value")
                self.boxes[tag] = box
                boxes.append(box)
            heading = w.HTML(boxed(f"<h4>{esc(ELEMENT_TITLES[kind])}</h4>"))
            groups.append(w.VBox([heading, *boxes], layout=w.Layout(
                border="1px solid #b8b8b8", padding="0 .6em .4em", margin="0 .4em .4em 0",
                min_width="20rem", flex="1 1 24rem")))
        self.groups = w.Box(groups, layout=w.Layout(display="flex", flex_flow="row wrap",
                                                    align_items="flex-start"))
        self.check = button("Check my tags", button_style="primary",
                            icon="check", tooltip="Compare your tags with the case file")
        self.show = button("Show the answer", disabled=True, icon="eye",
                           tooltip="Available after you have checked your tags once")
        self.clear = button("Clear my tags", icon="eraser",
                            tooltip="Remove every tag you set for this case")
        self.progress = w.HTML("")
        self.feedback = w.HTML("")
        self.answer = w.HTML("")
        self.intro = w.HTML(WRAP_CSS + boxed(
            "<p><strong>Decide first.</strong> Read each passage and tick every element it "
            "shows: an <em>act</em> (what was done to the person), a <em>means</em> (how "
            "their will was overcome) or a <em>purpose</em> (the exploitation). Some passages "
            "show several, some none. Then press <strong>Check my tags</strong>.</p>"))
        self.picker.observe(self._on_case, names="value")
        self.passage.observe(self._on_passage, names="value")
        self.previous.on_click(self._on_previous)
        self.next.on_click(self._on_next)
        self.check.on_click(self._on_check)
        self.show.on_click(self._on_show)
        self.clear.on_click(self._on_clear)
        self.widget = w.VBox([
            self.status, self.intro, self.picker,
            w.HBox([self.previous, self.passage, self.next],
                   layout=w.Layout(flex_flow="row wrap")),
            self.passage_view, self.groups,
            w.HBox([self.check, self.show, self.clear], layout=w.Layout(flex_flow="row wrap")),
            self.progress, self.feedback, self.answer,
        ])
        self.widget.add_class("npk-wrap")
        self.load(self.picker.value)

    # --- state -------------------------------------------------------------------------

    @property
    def case(self):
        return self.cases[self.picker.value]

    @property
    def index(self) -> int:
        i = clean_index(self.case, self.passage.value)
        return 0 if i is None else i

    @safe("The case could not be loaded.")
    def load(self, case_id: object) -> None:
        """Start tagging ``case_id`` afresh (ignored unless it is a case in the library)."""
        if not isinstance(case_id, str) or case_id not in self.cases:
            return
        if self.picker.value != case_id:
            self.picker.value = case_id  # its observer loads the case
            return
        case = self.cases[case_id]
        self.answers, self.checked, self.revealed = {}, False, False
        self.show.disabled = True
        self.feedback.value = self.answer.value = ""
        n = len(case.narrative)
        options = [(f"{i + 1} of {n}: {_preview(p.text)}", i) for i, p in enumerate(case.narrative)]
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

    @safe("The case could not be changed.")
    def _on_case(self, change) -> None:
        self.load(change.get("new"))

    @safe("The passage could not be shown.")
    def _on_passage(self, change) -> None:
        if self._loading or clean_index(self.case, change.get("new")) is None:
            return
        self._show_passage()
        self._changed()

    @safe("Your tag could not be recorded.")
    def _on_tick(self, change) -> None:
        if self._loading:
            return
        ticked = [tag for tag, box in self.boxes.items() if box.value is True]
        self.record(self.index, ticked)

    @safe("Could not move to the previous passage.")
    def _on_previous(self, _button=None) -> None:
        self.passage.value = max(0, self.index - 1)

    @safe("Could not move to the next passage.")
    def _on_next(self, _button=None) -> None:
        self.passage.value = min(len(self.case.narrative) - 1, self.index + 1)

    @safe("Your tags could not be checked.")
    def _on_check(self, _button=None) -> None:
        self.checked = True
        self.show.disabled = False
        self.show.tooltip = "Show the elements the case file gives for every passage"
        self._render_feedback()
        self._changed()

    @safe("The answer could not be shown.")
    def _on_show(self, _button=None) -> None:
        if not self.checked:  # the button is disabled until then; a crafted click is ignored
            return
        self.revealed = True
        self._render_feedback()
        self._render_answer()
        self._changed()

    @safe("Your tags could not be cleared.")
    def _on_clear(self, _button=None) -> None:
        self.answers = {}
        self._show_passage()
        if self.checked:
            self._mark_stale()
        self._changed()

    # --- rendering -----------------------------------------------------------------------

    def _show_passage(self) -> None:
        case, i = self.case, self.index
        p = case.narrative[i]
        n = len(case.narrative)
        self.passage_view.value = boxed(
            f"<h3>{esc(case.title)}</h3>"
            f'<p class="npk-passage"><strong>Passage {i + 1} of {n}.</strong> '
            f"{esc(p.text)}</p>"
            f"<p class='npk-source'>Story told in npkit's words; source: "
            f"{esc(case.source.text)}</p>")
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
        case = self.case
        items = []
        for i, _ in enumerate(case.narrative):
            mine = sort_tags(self.answers.get(i, ()))
            text = ", ".join(_short(t) for t in mine) or "no tags"
            current = " (showing)" if i == self.index else ""
            items.append(f"<li>Passage {i + 1}{current}: {esc(text)}</li>")
        self.progress.value = boxed(
            "<details><summary>Your tags so far</summary>"
            f"<ul>{''.join(items)}</ul></details>")

    def _mark_stale(self) -> None:
        """Keep the last feedback (the trainee may be fixing tags from it) and say it is old."""
        self.feedback.value = boxed(
            "<p class='npk-note' role='note'>You changed your tags since you checked: press "
            "<strong>Check my tags</strong> again to update this feedback.</p>"
            + self._feedback_body)

    def _render_feedback(self) -> None:
        result = score(self.case, self.answers)
        rows = []
        for p in result.passages:
            details = []
            if p.correct:
                details.append(f"<li><strong>Correct:</strong><ul>{_tag_list(p.correct)}</ul>"
                               "</li>")
            if p.extra:
                details.append(f"<li><strong>Wrong</strong> (the passage does not show "
                               f"this):<ul>{_tag_list(p.extra)}</ul></li>")
            if p.missed and self.revealed:
                details.append(f"<li><strong>Missed:</strong><ul>{_tag_list(p.missed)}</ul>"
                               "</li>")
            elif p.missed:
                kinds = ", ".join(f"{n} {_PLURAL[k] if n > 1 else k}"
                                  for k, n in count_by_element(p.missed).items())
                details.append(f"<li><strong>Missed:</strong> {esc(kinds)}. Look again, or "
                               "show the answer.</li>")
            if not p.possible and not p.extra:
                details.append("<li>Nothing to tag here.</li>")
            points = f"{p.points} of {p.possible}" + (
                f", {len(p.extra)} wrong" if p.extra else "")
            rows.append(
                f"<tr><th scope='row'>Passage {p.index + 1}</th>"
                f"<td>{verdict_badge(p.verdict)}</td><td>{esc(points)}</td>"
                f"<td><ul>{''.join(details)}</ul></td></tr>")
        n = len(result.passages)
        self._feedback_body = (
            f"<h3 role='status'>Your score: {result.score} of {result.possible}</h3>"
            f"<p>{result.all_correct} of {n} passages tagged exactly right. Each right tag "
            "earns a point and each wrong tag costs one, so ticking everything does not pay.</p>"
            "<table><caption class='npk-sr'>Feedback for each passage</caption><thead><tr>"
            "<th scope='col'>Passage</th><th scope='col'>Result</th>"
            "<th scope='col'>Points</th><th scope='col'>Details</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")
        self.feedback.value = boxed(self._feedback_body)

    def _render_answer(self) -> None:
        case = self.case
        rows = "".join(
            f"<tr><th scope='row'>Passage {i + 1}</th><td>{esc(p.text)}</td>"
            f"<td>{'<ul>' + _tag_list(p.tags) + '</ul>' if p.tags else 'none'}</td></tr>"
            for i, p in enumerate(case.narrative))
        self.answer.value = boxed(
            f"<h3>The answer: the elements in {esc(case.person.pseudonym)}'s story</h3>"
            "<table><caption class='npk-sr'>Elements each passage shows, from the case file"
            "</caption><thead><tr><th scope='col'>Passage</th><th scope='col'>Text</th>"
            f"<th scope='col'>Elements it shows</th></tr></thead><tbody>{rows}</tbody></table>"
            f"<p class='npk-source'>Answer key: the case file's tags; the elements follow "
            "Palermo Protocol art 3 as set out in Fitzgerald 2024, II.B.</p>")


def _as_index(key: object) -> object:
    """A passage index from a JSON object key (``"0"``); anything else is left for
    :func:`clean_index` to refuse."""
    if isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= 4:
        return int(key)
    return key


def _preview(text: str, length: int = 48) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + "…"


class VictimQuestion(Stateful):
    """"Is this person a victim of trafficking?": answer first, then see npkit's finding.

    Saved state: the answer chosen and whether npkit's analysis was shown."""

    def __init__(self, cases, case_id: str):
        self.status = w.HTML("")
        self.state_key = f"victim-{case_id}"
        self.case = next((c for c in cases if c.id == case_id), None)
        if self.case is None:
            self.widget = error_panel(f"The case {case_id!r} is not in the case library.",
                                      ["The rest of this module still works."])
            return
        name = self.case.person.pseudonym
        self.story = w.HTML(boxed(
            f"<details><summary>Read {esc(name)}'s story: {esc(self.case.title)}</summary>"
            f"{story_html(self.case)}</details>"))
        self.choice = w.RadioButtons(options=list(VICTIM_ANSWERS), value=None,
                                     description=f"Decide first: {name} is",
                                     style={"description_width": "initial"})
        self.reveal = button("Show npkit's analysis", icon="eye",
                             tooltip=f"npkit's victim finding for {name}, with sources")
        self.result = w.HTML("")
        self.reveal.on_click(self._on_reveal)
        self.choice.observe(self._on_choice, names="value")
        self.widget = w.VBox([self.status, self.story, self.choice, self.reveal, self.result])

    @safe("npkit's analysis could not be shown.")
    def _on_choice(self, _change=None) -> None:
        if self.result.value:
            self._render()
        self._changed()

    @safe("npkit's analysis could not be shown.")
    def _on_reveal(self, _button=None) -> None:
        self._render()
        self._changed()

    def get_state(self) -> dict:
        """``choice`` (``victim``, ``not_victim`` or None) and ``revealed``."""
        if self.case is None:
            return {}
        return {"choice": self.choice.value, "revealed": bool(self.result.value)}

    def _apply_state(self, state: dict) -> None:
        if self.case is None:
            return
        choice = state.get("choice")
        if choice is None or (isinstance(choice, str)
                              and choice in {v for _, v in VICTIM_ANSWERS}):
            self.choice.value = choice
        if state.get("revealed") is True:
            self._on_reveal()

    def _render(self) -> None:
        case = self.case
        victim = assess(case, counterfactuals=False).victim
        given = self.choice.value
        verdict = victim_agreement(given, victim.outcome)
        said = dict((v, label) for label, v in VICTIM_ANSWERS).get(given, "")
        you = (f"You said {esc(case.person.pseudonym)} is {esc(said)}: "
               f"{verdict_badge(verdict)}." if said
               else f"You did not answer first: {verdict_badge(verdict)}.")
        period = case.period(case.offence().period)
        self.result.value = boxed(
            f"<p>{you} npkit finds: {outcome_html(victim)}</p>"
            f"<p>Assessed for the period of the charge "
            f"({esc(case.offence().charge)}): {esc(period.label or period.id)}.</p>"
            f"{tree_html(victim, open_depth=2)}"
            f"<p><strong>What this case teaches:</strong> {esc(case.lesson)}</p>")
