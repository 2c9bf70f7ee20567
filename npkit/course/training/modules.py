"""The catalogue of training modules, shown by module 0 and the dashboard's landing page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Module:
    """``keeps_answers``: the module has exercises whose answers the store keeps (its notebook
    binds widgets with ``bind_learner``; tests/test_learner.py checks the two agree). The others
    are for reading and discussion: the landing page and the module say nothing is saved."""

    number: int
    slug: str
    title: str
    minutes: int
    objectives: tuple[str, ...]
    keeps_answers: bool = True

    @property
    def notebook(self) -> str:
        return f"{self.number:02d}_{self.slug}.ipynb"


MODULES: tuple[Module, ...] = (
    Module(0, "start_here", "Start here", 10, (
        "Know who the suite is for and how to use it alone, in a workshop or in class",
        "Understand that npkit is a teaching tool, not legal advice",
    ), keeps_answers=False),
    Module(1, "is_this_trafficking", "Is this trafficking?", 25, (
        "Find the act, the means and the purpose in each passage of a story",
        "Apply the child rule and the irrelevance of consent (John, Nara)",
        "Explain why a person can stop being a victim for a later period (Sarah)",
    )),
    Module(2, "duress", "Duress, condition by condition", 25, (
        "Test the four conditions of duress on Jane, John and Sarah, deciding first",
        "Compare England & Wales (R v LM), the Malaysian test Fitzgerald quotes and the Rome "
        "Statute (the international analogue)",
        "See what would have to change for duress to succeed, and why it fails most victims",
    )),
    Module(3, "models", "The non-punishment models", 30, (
        "Compare compulsion, causation, closed list, presumption and dual-factor on one case",
        "See why duress fails where the non-punishment principle protects",
        "Sort offences into status, purpose and secondary offences, and debate a severity limit",
    )),
    Module(4, "asean", "Across ASEAN", 20, (
        "Read each ASEAN state's provision and its limits, with its source and date checked",
        "See one case assessed in every state and international instrument",
        "Explain where protection is discretionary, and why",
    )),
    Module(5, "scenario_lab", "Scenario lab", 30, (
        "Predict, then see, how duress, the models and the ten ASEAN states respond when one "
        "fact of a case changes",
        "Find the fact that makes duress succeed for Jane, and why the Malaysian test still "
        "refuses it",
        "Save a changed scenario as a case file to share with your group or trainer",
    )),
    Module(6, "prosecutors_decision", "The prosecutor's decision", 25, (
        "Walk a case through the six stages, from identification to after conviction",
        "Decide where the principle should have stopped the process, then check",
        "Read the ASEAN study's recommendations for each stage",
        "Discuss why punishing victims serves no purpose of punishment",
    )),
    Module(7, "check_yourself", "Check yourself", 20, (
        "Test your understanding of modules 1-6, with feedback and a source for every answer",
        "Use it alone, or set it as an exercise by module",
    )),
)


@dataclass(frozen=True, slots=True)
class Page:
    """A page of the course that is not a numbered module (the workshop pages): listed on the
    landing page under its own heading, with no place in the module order."""

    notebook: str
    title: str
    audience: str
    summary: str


WORKSHOP_PAGES: tuple[Page, ...] = (
    Page("08_workshop_join.ipynb", "Join a workshop", "trainees",
         "Type the code on the trainer's screen and a nickname, then answer the case's "
         "questions on your own screen. Nobody else sees your answers."),
    Page("09_workshop_trainer.ipynb", "Run a workshop", "trainers",
         "Start a live poll on a case's questions, put the join code on the projector, watch "
         "the answers arrive, then reveal npkit's answer with its reasons and sources."),
)
