"""Decide first in modules 3 and 4: tick what you expect to protect the person, then compare.

:class:`GuessFirst` is a mixin for a case-and-charge widget (models_table.CaseAndCharge):
for the charge on show it asks "Which of these N models (states) protect Jane?", one checkbox
each, and "Compare with npkit". Until the trainee compares, the widget shows the case and the
charge but no outcome, count, lesson or conclusion (``conceal``); then a one-line summary
("You guessed 3 of 8 ...; npkit finds 6 of 8 ...", a live region) heads the table and the
headline (``show_result``). Each charge of each case is guessed afresh; the guesses are the
widget's saved state (npkit.course.binding.Stateful).

Grading is :func:`npkit.course.training.guess.compare_guess`; the outcomes are the engine's.
"""

from __future__ import annotations

import ipywidgets as w

from npkit.course.binding import Stateful
from npkit.course.training.guess import GuessResult, clean_ticks, compare_guess
from npkit.course.widgets import ui
from npkit.i18n import N_, _
from npkit.render import words as rw

MAX_KEPT = 200  # guesses kept in a saved state (a crafted state cannot grow without end)


class GuessFirst(Stateful):
    """Mixin: subclasses call :meth:`_init_guess` in ``__init__`` (before the first render),
    :meth:`_offer` at the end of ``render``, and implement ``offered()`` (every key a tick may
    name), ``conceal()`` and ``show_result(result, reveal)``."""

    noun = "items"

    def _init_guess(self, noun: str) -> None:
        self.noun = noun
        self.guesses: dict[str, tuple[str, ...]] = {}  # "case/charge" -> ticked keys
        self.compared: set[str] = set()
        self.found: dict[str, object] = {}  # key -> npkit's finding, for the charge on show
        self.key = ""
        self._reveal = 0  # presses of "Compare with npkit" (see reveal.py)
        self._ticking = False
        self.question = ui.html_widget()
        self.boxes: dict[str, w.Checkbox] = {}
        self.choices = ui.box([], row=True, kind="guess")
        self.choices.add_class("npk-wrap")
        self.compare = ui.button(_("Compare with npkit"), kind="primary",
                                 tooltip=_("Show npkit's outcomes beside your guess"))
        self.compare.on_click(self._on_compare)
        self.guess = ui.vbox([self.question, self.choices, ui.box([self.compare], row=True)])

    # -- what the subclass provides -------------------------------------------------------

    def offered(self) -> tuple[str, ...]:  # pragma: no cover - abstract
        raise NotImplementedError

    def conceal(self) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def show_result(self, result: GuessResult, reveal: int) -> None:  # pragma: no cover
        raise NotImplementedError

    # -- the guess for the charge on show -------------------------------------------------

    def _offer(self, case, offence_id: str, found: dict[str, object], question: str) -> None:
        """Ask about ``found`` (key -> finding) for ``offence_id`` of ``case``; the result
        stays concealed unless this charge was compared before."""
        self.key, self.found = f"{case.id}/{offence_id}", dict(found)
        if list(self.boxes) != list(found):
            self.boxes = {}
            for k, node in found.items():
                box = w.Checkbox(value=False, description=rw.title(node), indent=False,
                                 layout=ui.shared(w.Layout, width="auto"),
                                 style=ui.shared_style(w.Checkbox))
                box.observe(self._on_tick, names="value")
                self.boxes[k] = box
            self.choices.children = list(self.boxes.values())
        ticked = set(self.guesses.get(self.key, ()))
        self._ticking = True
        try:
            for k, box in self.boxes.items():
                box.value = k in ticked
        finally:
            self._ticking = False
        self.question.value = question
        self._refresh()

    def ticked(self) -> tuple[str, ...]:
        return tuple(k for k, box in self.boxes.items() if box.value is True)

    def result(self) -> GuessResult:
        return compare_guess(self.found, list(self.guesses.get(self.key, ())))

    def _refresh(self) -> None:
        if self.key in self.compared:
            self.show_result(self.result(), self._reveal)
        else:
            self.conceal()

    @ui.guard(N_("Your guess could not be compared with npkit."))
    def _on_compare(self, _button=None) -> None:
        if not self.key:
            return
        self.guesses[self.key] = self.ticked()
        self.compared.add(self.key)
        # Saved before drawn: a learner who leaves as the outcomes appear keeps the comparison.
        self._changed()
        self._reveal += 1
        self._refresh()

    @ui.guard(N_("Your tick could not be recorded."))
    def _on_tick(self, _change=None) -> None:
        if self._ticking or not self.key:
            return
        self.guesses[self.key] = self.ticked()
        self._changed()
        if self.key in self.compared:
            self._refresh()  # keep the summary in step (same press: no new scroll)

    def show(self, case_id: str, offence_id: str | None = None) -> None:
        """Show a charge of a case (CaseAndCharge.show), and keep which one: a learner who
        picks Sarah and comes back finds Sarah, ticked or not."""
        before = (self.case_id, self.offence_id)
        super().show(case_id, offence_id)
        if (self.case_id, self.offence_id) != before:
            self._changed()

    # -- saved state ----------------------------------------------------------------------

    def get_state(self) -> dict:
        """``case``, ``charge`` (on show), ``guesses`` (``{"case/charge": [ticked keys]}``)
        and ``compared`` (the "case/charge" keys compared)."""
        return {"case": self.case_id, "charge": self.offence_id,
                "guesses": {k: list(v) for k, v in self.guesses.items()},
                "compared": sorted(self.compared)}

    def _known(self, key: object) -> bool:
        if not isinstance(key, str) or key.count("/") != 1:
            return False
        case_id, offence_id = key.split("/")
        case = self._cases.get(case_id)
        return case is not None and offence_id in {o.id for o in case.offences}

    def _apply_state(self, state: dict) -> None:
        guesses, compared = state.get("guesses"), state.get("compared")
        offered = self.offered()
        if isinstance(guesses, dict):
            kept = [(k, clean_ticks(v, offered)) for k, v in guesses.items() if self._known(k)]
            self.guesses = dict(kept[:MAX_KEPT])
        if isinstance(compared, list):
            self.compared = {k for k in compared if self._known(k)}
            self.compared = set(sorted(self.compared)[:MAX_KEPT])
            # shown as after one press, as the other widgets restore theirs (see reveal.py)
            self._reveal = max(self._reveal, 1 if self.compared else 0)
        case_id, offence_id = state.get("case"), state.get("charge")
        if not self._known(f"{case_id}/{offence_id}"):
            case_id, offence_id = self.case_id, self.offence_id
        moved = False
        if case_id != self.case_picker.value:
            self.case_picker.value = case_id  # its observer shows the principal charge
            moved = True
        if offence_id != self.offence_picker.value:
            self.offence_picker.value = offence_id  # its observer shows this charge
            moved = True
        if not moved:
            self.show(case_id, offence_id)  # the restored guess for the charge on show
