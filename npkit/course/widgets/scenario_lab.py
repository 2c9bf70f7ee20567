"""Module 5, the scenario lab: load a case, change its facts with switches and menus, and watch
duress, the non-punishment models and the ten ASEAN Member States respond.

Every change goes through :func:`ScenarioLab.edit`, the one change handler: it checks the value
against the vocabulary (widget messages are untrusted), rebuilds the case from the case as
loaded plus the trainee's choices (``npkit.casefile.editing``), re-assesses it without the
counterfactual search (about a millisecond or two), and redraws the outcome matrix, the "why"
panel, the list of changes and the download link. The "What would have to change" search takes
longer (a quarter of a second on a new set of facts), so it runs when a case is loaded and when
the trainee asks for it, and is remembered per set of facts.

The lab keeps the trainee's scenario (:class:`npkit.course.binding.Stateful`, saved by
``bind_learner``): the case and the changes to its facts, as
:func:`~npkit.casefile.scenario.apply_edit` fields and values. A saved scenario is
untrusted: it is replayed through the same checks as a control's value, and whatever cannot be
applied (an unknown case, a fact outside the vocabulary, a threat the case file no longer records)
is left out with a note the trainee can read.

Nothing here decides an outcome: every outcome and reason comes from :func:`npkit.assess`.
"""

from __future__ import annotations

import functools
import html
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any, ClassVar, NamedTuple

import ipywidgets as w

from npkit import i18n
from npkit.casefile.cache import content_key, shared_name, shared_result
from npkit.casefile.case import Case
from npkit.casefile.scenario import (
    Rejected,
    Scenario,
    apply_edit,
    build_case,
    edited_copy,
    initial_scenario,
    replay_changes,
    said_changes,
    scenario_changes,
    short,
)
from npkit.course.binding import Stateful
from npkit.course.widgets import first_state, ui
from npkit.course.widgets.base import case_choice
from npkit.course.widgets.download import DownloadLink
from npkit.course.widgets.fact_editor import FactEditor
from npkit.course.widgets.first_state import opened_when_built
from npkit.course.widgets.outcome_matrix import OutcomeMatrix, finding_for, note_text, rows
from npkit.engine.assessment import Assessment, assess
from npkit.i18n import N_, _, ngettext
from npkit.law import registry
from npkit.render import words as rw

CF_CACHE_SIZE = 128
MAX_NOTE_LINES = 5  # skipped saved changes listed by name; the rest are counted
GUARD_MESSAGE = N_("Something went wrong, so that change was not applied. The lab keeps the "
                   "last facts that worked; press Reset to start again.")


class _Ready(NamedTuple):
    """A lab built ahead and kept unopened (ScenarioLab.build_ready), with what it was built
    from: a page takes it only if it would build the same lab."""

    start: str | None
    cases: list
    lab: ScenarioLab
    made: list[w.Widget]  # its widgets, in the order made, for first_state.open_kept


def _guarded(method: Callable) -> Callable:
    """:func:`ui.guard` for the lab's callbacks: an error is logged and shown in ``message``
    as a readable sentence, never a traceback; the controls go back to the facts that last
    worked, and the callback answers False (nothing applied)."""
    @functools.wraps(method)
    def run(self: ScenarioLab, *args: Any, **kw: Any) -> Any:
        # made at each call, so the sentence is in the page's language
        guarded = ui.guard(_(GUARD_MESSAGE), status="message", clear=False)(method)
        done = guarded(self, *args, **kw)
        if done is None:  # it raised, and ui.guard said so
            self._resync()
            return False
        return done

    return run


def _menu_label(label: str) -> str:
    """A matrix row's label, short enough for a menu on a phone: a model by its title alone
    ("Causation (but-for)"; the menu lists tests, and only models have titles like these).
    The prefix is the row label's own, in the learner's language (outcome_matrix.rows)."""
    return label.removeprefix(_("Model: {title}").format(title=""))


def _heading(title: str = "", text: str = "") -> ui.Markup:
    """A part's heading (and line), to go in the HTML widget before it (issue 16: a widget
    model each was sent to every trainee)."""
    return ui.render("scenario_lab/section.html.j2", title=title, text=text)


class ScenarioLab(Stateful):
    """The lab. Attributes tests and benchmarks drive:

    ``picker`` (case dropdown), ``quick[key]`` (quick-fact checkboxes), ``means[term]``,
    ``threats[n][part]``, ``offence[part]`` (fact controls), ``why_row`` (row to explain),
    ``counterfactual_button``, ``reset_button``; and the HTML outputs ``status``, ``matrix``,
    ``why``, ``counterfactuals``, ``your_changes``, ``download.widget`` and ``message``;
    ``others_button`` (the toggle "Every other outcome") and its list ``others``;
    ``download.button`` (makes the download link).
    ``edit(field, value)`` is the change handler every control calls.

    Saved state (:meth:`get_state`): ``{"case": <case id>, "changes": {<field>: <value>}}``,
    the changes from the case file only; :meth:`set_state` replays them.
    """

    state_key = "scenario"

    def __init__(self, cases: Sequence[Case], *, start: str | None = None,
                 problems: w.Widget | None = None) -> None:
        # every widget opens once the first case is loaded, with what it shows then: no
        # update message for a page nobody sees yet (issue 16)
        with opened_when_built():
            self._build(cases, start, problems)

    # Labs the fork server built before any kernel existed, unopened (npkit.course.warm), by
    # language. Each kernel forked from it has its own copy: for_page takes its page's
    # language's lab, once, and drops the others.
    _ready: ClassVar[dict[str, _Ready]] = {}

    @classmethod
    def build_ready(cls, cases: Sequence[Case], *, start: str | None = None) -> None:
        """Build a lab from ``cases`` now, in the current language, and keep it unopened for
        :meth:`for_page` (first_state.kept_unopened). A room's kernels then skip most of the
        lab's build: in a forked kernel, taking it cost about 8 ms of CPU against 22 ms for
        building it (issue 16; docs/performance.md)."""
        with first_state.kept_unopened() as made:
            lab = cls(cases, start=start)
        cls._ready[i18n.current()] = _Ready(start, list(cases), lab, made)

    @classmethod
    def for_page(cls, cases: Sequence[Case], *, start: str | None = None,
                 problems: w.Widget | None = None) -> ScenarioLab:
        """The page's lab: the one :meth:`build_ready` built in this language, if it was
        built from these cases and ``start`` (given ``problems`` in place of its own), else a
        new one. Either way it is the lab ``ScenarioLab(cases, start=start,
        problems=problems)`` builds, nobody has seen it, and no later call gets it again."""
        ready, cls._ready = cls._ready, {}
        mine = ready.pop(i18n.current(), None)
        unused = list(ready.values())  # the other languages' labs
        lab = None
        if mine is not None and mine.start == start and (mine.cases is cases
                                                          or mine.cases == list(cases)):
            lab = mine.lab
            if problems is not None:
                first_state.discard_kept(lab.problems)
                lab.problems = problems
                lab.widget.children = (problems, *lab.widget.children[1:])
            first_state.open_kept(mine.made)
        elif mine is not None:  # built from other cases or for another first case
            unused.append(mine)
        # after the opening: a shared look both labs hold is open now, no longer kept
        for other in unused:
            for widget in other.made:
                first_state.discard_kept(widget)
        return lab if lab is not None else cls(cases, start=start, problems=problems)

    def _build(self, cases: Sequence[Case], start: str | None,
               problems: w.Widget | None) -> None:
        self.cases: dict[str, Case] = {c.id: c for c in cases}
        self.problems = problems if problems is not None else ui.html_widget()
        self.message = ui.html_widget()
        self.timings: dict[str, float] = {}
        self.loaded: Case | None = None
        self.scenario: Scenario | None = None
        self.case: Case | None = None
        self.assessment: Assessment | None = None
        self.baseline: Assessment | None = None
        self._cf: OrderedDict[Any, list] = OrderedDict()

        self.editor = FactEditor(self.edit)
        self.quick = self.editor.quick
        self.means = self.editor.means
        self.offence = self.editor.offence
        # the heading of the part under the table goes in the table's widget (issue 16)
        self.outcomes = OutcomeMatrix(after=N_("Why?"), joined=True)
        self.status, self.matrix = self.outcomes.status, self.outcomes.table
        self.story = ui.html_widget()
        self.why = ui.html_widget()
        self.counterfactuals = ui.html_widget()
        self.your_changes = ui.html_widget()
        self.download = DownloadLink(self.your_changes)  # the link under the list of changes
        self.counterfactual_button = ui.button(
            _("What would have to change?"),
            tooltip=_("Work out which one or two facts would flip each outcome"))
        self.counterfactual_button.on_click(lambda _b: self.show_counterfactuals())
        # "Every other outcome": the changes for every row but the one explained, made only
        # when the trainee presses it (issue 16: the list was a third of the page's widget
        # state, sent to every trainee inside a closed <details>). Hidden (npk-gone) while
        # there is nothing to list.
        self.others_button = w.ToggleButton(
            description=_("Every other outcome"), tooltip=_("Every other outcome"),
            layout=ui.shared(w.Layout, width="auto"), style=ui.shared_style(w.ToggleButton),
            _dom_classes=("npk-gone",))
        self.others_button.observe(lambda ch: self._toggle_others(ch["new"]), "value")
        self.others = ui.html_widget()
        self._others_key: Any = None
        self._others_rows: list = []
        self.reset_button = ui.button(_("Reset to the case file"), tooltip=_("Undo every change"))
        self.reset_button.on_click(lambda _b: self.reset())

        if not self.cases:
            self.picker = None
            self.why_row = None
            self._say(_("No case could be loaded, so the lab has nothing to show."),
                      [_("Tell the person running the course: the case files named above "
                         "need fixing.")])
            self.widget = w.VBox([self.problems, self.message])
            return

        self.case_choice = case_choice(list(self.cases.values()), start,
                                       description=_("Case to explore"))
        self.picker = self.case_choice.menu
        self.picker.observe(lambda ch: self.load(ch["new"]), "value")
        first = assess(self.cases[self.picker.value], counterfactuals=False)
        self.why_row = w.Dropdown(description=_("Explain the outcome for"),
                                  options=[(_menu_label(r.label), r.key)
                                           for r in rows(first)],
                                  value="duress.england_wales",
                                  style=ui.shared_style(w.Dropdown,
                                                        description_width="initial"),
                                  layout=ui.shared(w.Layout, width="auto"))
        self.why_row.observe(lambda ch: self.explain(ch["new"]), "value")

        results = w.VBox([
            self.matrix,  # the status line, the table, then the heading "Why?"
            self.why_row, self.why,  # the row explained, then "What would have to change"
            self.counterfactual_button, self.counterfactuals, self.others_button, self.others,
            self.your_changes,  # its heading, the list and, once made, the download link
            self.download.button,
        ], layout=ui.shared(w.Layout), _dom_classes=("npk-lab-outcomes",))
        # From 1280 px wide the facts and this panel sit side by side and the panel stays in
        # view while the facts scroll (npkit.css: .npk-lab-grid; npkit-layout.js keeps the row
        # a change moved inside the panel). The boxes' sizes are in npkit.css too (.npk-lab*),
        # not in a Layout model each (issue 16).
        lab = w.HBox([self.editor.widget, results], layout=ui.shared(w.Layout),
                     _dom_classes=("npk-lab-grid",))
        self.widget = w.VBox([
            self.problems,
            w.HBox([self.case_choice.widget, self.reset_button], layout=ui.shared(w.Layout),
                   _dom_classes=("npk-lab-pick",)),
            self.story,
            self.message,
            lab,
        ], layout=ui.shared(w.Layout), _dom_classes=("npk-lab",))
        self.load(self.picker.value)

    @property
    def edited(self) -> Case | None:
        """The scenario as the case file the download link gives."""
        return self.download.case

    @property
    def threats(self):
        return self.editor.threats

    # ------------------------------------------------------------------ messages

    def _say(self, title: str, lines: Sequence[str] = (), *, kind: str = "error") -> None:
        self.message.value = ui.value("scenario_lab/message.html.j2", kind=kind, title=title,
                                      lines=list(lines))

    def _note(self, title: str, lines: Sequence[str] = ()) -> None:
        """A note for the trainee that is not an error (e.g. about a restored scenario)."""
        self._say(title, lines, kind="note")

    def _clear(self) -> None:
        self.message.value = ""

    def _resync(self) -> None:
        """Put every control back to the lab's state (after a refused or crafted value)."""
        self.editor.clear_note()
        if self.loaded is not None and self.scenario is not None:
            self.editor.sync(self.scenario)
            if self.picker is not None and self.picker.value != self.loaded.id:
                self._silently(self.picker, self.loaded.id)

    def _silently(self, control: w.ValueWidget, value: Any) -> None:
        self.editor._quiet += 1
        try:
            control.value = value
        finally:
            self.editor._quiet -= 1

    # ------------------------------------------------------------------ loading and editing

    @_guarded
    def load(self, case_id: Any) -> bool:
        """Load a case from the library by id (anything else is refused)."""
        if self.editor._quiet:
            return False
        if not isinstance(case_id, str) or case_id not in self.cases:
            self._say(_("That case is not in the library; the lab still shows the last one."))
            self._resync()
            return False
        start = time.perf_counter()
        self.loaded = self.cases[case_id]
        self.scenario = initial_scenario(self.loaded)
        self.case = build_case(self.loaded, self.scenario)
        self.editor.show(self.loaded, self.scenario)
        self.story.value = ui.value("scenario_lab/story.html.j2", case=self.loaded,
                                    show_tags=False)
        self._clear()
        self._changed()
        self._redraw(fresh=True, announce=_("Loaded {name}.").format(
            name=self.loaded.person.pseudonym))
        self.timings["load_ms"] = (time.perf_counter() - start) * 1000
        return True

    @_guarded
    def edit(self, field: Any, value: Any) -> bool:
        """The change handler: apply one control's value, or refuse it with a message."""
        if self.loaded is None:
            return False
        start = time.perf_counter()
        try:
            scenario = apply_edit(self.loaded, self.scenario, field, value)
            case = build_case(self.loaded, scenario)
        except Rejected as e:
            # TODO(i18n): npkit.casefile.scenario words the refusal, in English (not this
            # page's module; tests/test_i18n_pseudo_b.py lists it as allowed until then)
            self._say(_("That change was not applied; the facts stay as they were."), [str(e)])
            self._resync()
            return False
        previous = self.scenario, self.case
        self.scenario, self.case = scenario, case
        # Saved before drawn: a learner who leaves as the outcomes change keeps the change
        # (and if they cannot be drawn, the facts kept are saved again).
        self._changed()
        try:
            self.editor.sync(scenario)  # a list edit (or a crafted message) touches several boxes
            self._clear()
            self._redraw()
            self.editor.show_note(field, note_text(self.outcomes.last_changes))
        except Exception:
            self.scenario, self.case = previous  # all or nothing: keep the last good facts
            self._changed()
            self._try_redraw()
            raise
        self.timings["edit_ms"] = (time.perf_counter() - start) * 1000
        return True

    def _try_redraw(self) -> None:
        try:
            self._redraw()
        except Exception:  # noqa: BLE001 - the caller reports the first error
            pass

    @_guarded
    def reset(self) -> bool:
        """Back to the case as loaded."""
        if self.loaded is None:
            return False
        self.scenario = initial_scenario(self.loaded)
        self.case = build_case(self.loaded, self.scenario)
        self.editor.sync(self.scenario)
        self._clear()
        self._changed()
        self._redraw(announce=_("Reset to the case file."), point=False)
        return True

    @_guarded
    def explain(self, key: Any) -> bool:
        """Show the finding tree and counterfactuals for one matrix row."""
        if self.assessment is None or self.editor._quiet:
            return False
        keys = [k for _label, k in self.why_row.options]
        ok = isinstance(key, str) and key in keys
        if ok:
            self._clear()
        else:
            self._silently(self.why_row, "duress.england_wales")
            self._say(_("There is no such row to explain; showing duress ({label}).").format(
                label=rw.label(registry.label("duress.england_wales"))))
        self._draw_why()
        self._draw_counterfactuals()
        return ok

    @_guarded
    def show_counterfactuals(self) -> bool:
        """Work out (or recall) what would have to change for the facts as they are now."""
        if self.case is None:
            return False
        start = time.perf_counter()
        if self._counterfactuals(compute=False) is None:
            # the search takes a few tenths of a second: say so while it runs
            ui.say(self.counterfactuals, _("Working it out…"))
            self.counterfactual_button.disabled = True
        try:
            self._counterfactuals(compute=True)
        finally:
            self.counterfactual_button.disabled = False
        self._draw_counterfactuals()
        self.timings["counterfactuals_ms"] = (time.perf_counter() - start) * 1000
        return True

    # ------------------------------------------------------------------ saved state

    def get_state(self) -> dict:
        """``{"case": ..., "changes": {...}}`` for the facts shown now (``{}`` with no case)."""
        if self.loaded is None or self.scenario is None:
            return {}
        return {"case": self.loaded.id, "changes": scenario_changes(self.loaded, self.scenario)}

    def _apply_state(self, state: dict) -> None:
        if not self._restore(state.get("case"), state.get("changes")):
            raise ValueError("the saved scenario was not restored")  # set_state: False

    @_guarded
    def _restore(self, case_id: Any, changes: Any) -> bool:
        """Load ``case_id`` and replay the saved ``changes`` (both untrusted): an unknown case
        leaves the lab as it is, a change that cannot be applied is left out; either way a
        note says what was not restored. False if nothing was restored. Only through
        :meth:`set_state`, which keeps the restored scenario from being saved again."""
        if not self.cases:
            return False
        if not isinstance(case_id, str) or case_id not in self.cases:
            if self.loaded is not None:
                line = _("It was for a case that is not in the case library ({case}). The lab "
                         "shows {name} as the case file has it.").format(
                    case=short(case_id), name=self.loaded.person.pseudonym)
            else:
                line = _("It was for a case that is not in the case library ({case}). The lab "
                         "shows the first case as the case file has it.").format(
                    case=short(case_id))
            self._note(_("Your saved scenario could not be restored."), [line])
            return False
        loaded = self.cases[case_id]
        scenario, skipped = replay_changes(loaded, changes)
        case = build_case(loaded, scenario)
        if self.loaded is None or self.loaded.id != case_id:
            self._silently(self.picker, case_id)
            if not self.load(case_id):
                return False
        previous = self.scenario, self.case
        self.scenario, self.case = scenario, case
        try:
            self.editor.sync(scenario)
            self._redraw(announce=_("Your saved scenario is back."), point=False)
        except Exception:
            self.scenario, self.case = previous  # all or nothing, as for an edit
            self._try_redraw()
            raise
        if skipped:
            more = len(skipped) - MAX_NOTE_LINES
            self._note(_("Part of your saved scenario could not be restored; the rest is "
                         "shown."),
                       [*skipped[:MAX_NOTE_LINES],
                        *([ngettext("… and {n} more.", "… and {n} more.", more).format(n=more)]
                          if more > 0 else [])])
        return True

    # ------------------------------------------------------------------ drawing

    def _redraw(self, *, fresh: bool = False, announce: str = "", point: bool = True) -> None:
        """Re-assess the case now and redraw every panel; ``fresh`` for a newly loaded case
        (it becomes the baseline, and its counterfactuals are worked out at once); ``point``:
        the matrix names the rows this redraw moved (OutcomeMatrix.show). The note
        under the last changed fact goes: :meth:`edit` puts it back for its own change."""
        self.editor.clear_note()
        self.assessment = assess(self.case, counterfactuals=False)
        if fresh:
            self.baseline = self.assessment
            self.outcomes.set_baseline(self.assessment, announce)
            self._counterfactuals(compute=True, shared=True)
        else:
            self.outcomes.show(self.assessment, announce, point=point)
        self._draw_why()
        self._draw_counterfactuals()
        changes = said_changes(self.loaded, self.scenario)
        # shown in the learner's language; the downloaded file records them in English
        listed = ui.render("scenario_lab/sections.html.j2", parts=[
            _heading(_("Your changes")),
            ui.render("scenario_lab/changes.html.j2", changes=[rw.said(c) for c in changes])])
        # the case to download, made only once the trainee asks for the link (download.py)
        self.download.show(functools.partial(edited_copy, self.loaded, self.case,
                                             [str(c) for c in changes]), above=listed)

    def _draw_why(self) -> None:
        key = self.why_row.value
        node = finding_for(self.assessment, key)
        label = {r.key: r.label for r in self.outcomes.rows}.get(
            key, dict((k, lbl) for lbl, k in self.why_row.options)[key])
        before = self.outcomes.baseline.get(key, node.outcome)
        self.why.value = ui.value("scenario_lab/sections.html.j2", parts=[
            ui.render("scenario_lab/why.html.j2", label=label, before=before, node=node),
            _heading(_("What would have to change"))])

    def _counterfactuals(self, *, compute: bool, shared: bool = False) -> list | None:
        """The counterfactuals for the facts now: remembered per set of facts, searched for
        (``assess(case)`` with counterfactuals) only when ``compute``. ``shared``: a case as
        loaded, whose search every kernel would repeat, is searched once and shared
        (npkit.casefile.cache)."""
        key = self.assessment.facts
        if key in self._cf:
            self._cf.move_to_end(key)
            return self._cf[key]
        if not compute:
            return None
        case = self.case
        if shared:
            known = content_key(case)  # one entry per case and language (kernels of both)
            name = shared_name("lab-cf", known, case.id) if known else f"lab-cf-{case.id}"
            found = shared_result(name, known or case.model_dump_json(),
                                  lambda: assess(case).counterfactuals)
        else:
            found = assess(case).counterfactuals
        self._cf[key] = found
        while len(self._cf) > CF_CACHE_SIZE:
            self._cf.popitem(last=False)
        return found

    def _draw_counterfactuals(self) -> None:
        found = self._counterfactuals(compute=False)
        others: list = []
        if found is None:
            self.counterfactuals.value = ui.value("scenario_lab/counterfactuals.html.j2",
                                                  found=False)
        else:
            key = self.why_row.value
            labels = {r.key: r.label for r in self.outcomes.rows}
            flips = {r.key: [c for c in found if c.path == f"{r.key}.outcome"]
                     for r in self.outcomes.rows}
            others = [(r.label, flips[r.key]) for r in self.outcomes.rows
                      if flips[r.key] and r.key != key]
            # the changes in the learner's language: each is a wording code
            # (npkit.render.words)
            self.counterfactuals.value = ui.value(
                "scenario_lab/counterfactuals.html.j2", found=True, label=labels.get(key, key),
                mine=rw.worded_changes(flips.get(key, [])))
        # As the <details> this replaces: a list that stays the same stays open, a new one
        # starts closed.
        shown_key = (self.counterfactuals.value, others)
        if shown_key != self._others_key:
            self._others_key = shown_key
            self._others_rows = others
            self._silently(self.others_button, False)
            self.others.value = ""
        if others:
            self.others_button.remove_class("npk-gone")
        else:
            self.others_button.add_class("npk-gone")

    @_guarded
    def _toggle_others(self, shown: Any) -> bool:
        """Show (or empty) the list of every other row's changes under its toggle button."""
        if self.editor._quiet:
            return False
        if shown is True and self._others_rows:
            self.others.value = ui.value(
                "scenario_lab/other_outcomes.html.j2",
                others=[(label, rw.worded_changes(hits)) for label, hits in self._others_rows])
        else:
            self.others.value = ""
        return True

    # ------------------------------------------------------------------ for tests and benches

    def row_text(self, key: str) -> str:
        """The visible text of one matrix row, e.g. ``'Duress (England & Wales) ✘ fails ✔
        succeeds changed'``."""
        raw = self.outcomes.row_html(key)
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw.split(">", 1)[-1])).split())

