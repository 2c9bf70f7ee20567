"""The duress checklist: the trainee's yes/no answer to each of the four conditions, set
beside npkit's finding for each variant.

Nothing here decides the law: whether a condition is met, whether a variant counts it and
whether the defence succeeds are all read from :func:`npkit.assess` and
:data:`npkit.law.duress.VARIANTS`. This module only compares and words the comparison. Every input
is treated as untrusted: anything but ``"yes"`` or ``"no"`` counts as no answer. The questions'
words and citations are data (npkit/course/data/checklist.yaml).

An answer is kept in the condition's terms: ``"yes"`` is "the condition is met". A question asked
the positive way round ("Could Jane reasonably escape or get help?", ``yes_means: not_met``)
offers its "Yes" with the value ``"no"`` (:func:`answer_options`), so saved answers, the
comparison and npkit's findings always line up, however the question is worded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from npkit.course.training.questions_data import checklist
from npkit.engine.assessment import Assessment
from npkit.engine.counterfactuals import Counterfactual
from npkit.engine.findings import Finding
from npkit.i18n import N_
from npkit.law.citations import Citation, Confidence
from npkit.law.duress import CONDITIONS, VARIANTS

# (label, value): labels marked for the catalogue, shown as _(label)
ANSWER_OPTIONS = ((N_("Yes"), "yes"), (N_("No"), "no"))
WORDS = {True: "met", False: "not met"}
NOT_ANSWERED = "not answered"


def questions() -> dict[str, tuple[str, str]]:
    """condition -> (title, question): the four conditions of Fitzgerald 2024 V.A as questions
    (npkit/course/data/checklist.yaml), in the law module's order. "Yes" always means "the
    condition is met", so a trainee's answer lines up with npkit's finding."""
    return {e.condition: (e.title, e.question) for e in checklist()}


def yes_means_met(condition: str) -> bool:
    """Whether a "yes" to the question on ``condition`` says the condition is met."""
    return next(e.yes_means == "met" for e in checklist() if e.condition == condition)


def answer_options(condition: str) -> tuple[tuple[str, str], ...]:
    """The question's choices as (label, kept value); the value is in the condition's terms."""
    if yes_means_met(condition):
        return ANSWER_OPTIONS
    return ((N_("Yes"), "no"), (N_("No"), "yes"))


def citations(condition: str) -> tuple[Citation, ...]:
    """Where the question on ``condition`` comes from."""
    return next(tuple(c.citation() for c in e.cite) for e in checklist()
                if e.condition == condition)


def __getattr__(name: str):
    if name == "QUESTIONS":  # the name the widgets and tests have always used
        return questions()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def question(condition: str, name: str) -> str:
    return questions()[condition][1].format(name=name)


def parse_answer(value: object) -> bool | None:
    """``"yes"`` -> True, ``"no"`` -> False, anything else (unanswered or crafted) -> None."""
    if not isinstance(value, str):
        return None
    return {"yes": True, "no": False}.get(value)


def clean_answers(raw: Mapping[str, object]) -> dict[str, bool | None]:
    """One answer per condition of the checklist; unknown keys are dropped."""
    return {c: parse_answer(raw.get(c)) for c in CONDITIONS}


def agreement(given: bool | None, holds: bool | None) -> str:
    """``agrees``, ``differs`` or ``not answered``."""
    if given is None or holds is None:
        return NOT_ANSWERED
    return "agrees" if given == holds else "differs"


def answer_word(given: bool | None) -> str:
    return {True: "yes", False: "no"}.get(given, NOT_ANSWERED)


@dataclass(frozen=True, slots=True)
class Cell:
    """npkit's finding on one condition under one variant, beside the trainee's answer."""

    variant: str
    outcome: str  # met / not_met
    holds: bool | None
    required: bool  # False: the variant states no such condition (shown, not counted)
    agreement: str
    marks: tuple[Confidence, ...] = ()  # caveats npkit's finding rests on (Finding.marks)


@dataclass(frozen=True, slots=True)
class Row:
    condition: str
    title: str
    question: str
    given: bool | None  # the condition met, in the trainee's answer
    cells: tuple[Cell, ...]
    yes_means_met: bool = True

    @property
    def answer(self) -> str:
        """The trainee's answer to the question as asked: yes, no or not answered."""
        if self.given is None:
            return NOT_ANSWERED
        return answer_word(self.given == self.yes_means_met)

    @property
    def status(self) -> str:
        """What the answer says about the condition: met, not met, or "" unanswered."""
        return WORDS.get(self.given, "")


@dataclass(frozen=True, slots=True)
class Comparison:
    name: str
    rows: tuple[Row, ...]
    findings: dict[str, Finding]  # variant -> npkit's duress finding (reasons and sources)
    counterfactuals: tuple[Counterfactual, ...]

    @property
    def variants(self) -> tuple[str, ...]:
        return tuple(self.findings)

    def outcome(self, variant: str) -> str:
        return self.findings[variant].outcome

    @property
    def answered(self) -> int:
        return sum(r.given is not None for r in self.rows)

    def agreed(self, variant: str) -> int:
        """On how many conditions the trainee's answers match npkit's for ``variant``."""
        return sum(c.agreement == "agrees" for r in self.rows for c in r.cells
                   if c.variant == variant)

    def changes_for(self, variant: str) -> tuple[Counterfactual, ...]:
        return tuple(c for c in self.counterfactuals if c.path == f"duress.{variant}.outcome")


def duress_counterfactuals(assessment: Assessment) -> tuple[Counterfactual, ...]:
    """npkit's counterfactuals for the duress outcomes only."""
    return tuple(c for c in assessment.counterfactuals if c.path.startswith("duress."))


def compare(assessment: Assessment, answers: Mapping[str, object]) -> Comparison:
    """Set the trainee's ``answers`` (condition -> "yes"/"no") beside npkit's findings."""
    given = clean_answers(answers)
    name = assessment.case.person.pseudonym
    rows = []
    for cond in CONDITIONS:
        cells = []
        for vid, finding in assessment.duress.items():
            node = finding.child(cond)
            cells.append(Cell(vid, node.outcome, node.holds, cond in VARIANTS[vid].required,
                              agreement(given[cond], node.holds), node.marks))
        rows.append(Row(cond, questions()[cond][0], question(cond, name), given[cond],
                        tuple(cells), yes_means_met(cond)))
    return Comparison(name, tuple(rows), dict(assessment.duress),
                      duress_counterfactuals(assessment))
