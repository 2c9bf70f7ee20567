"""Module 7, "Check yourself": the question bank, grading and scoring.

Two kinds of question:

- **generated** questions name a case file and an outcome; the answer key and the "why" come
  from :func:`npkit.assess` (or :func:`npkit.law.stages.should_stop`, or the case file itself) at
  the moment the bank is built, so no answer is ever typed twice. ``Question.path`` is the key
  the case file's ``expected:`` block uses, where there is one, so tests can compare them;
- **conceptual** questions are written by hand from the sources, paraphrased, each with its
  citation; where the reference data already holds the answer (which state uses a closed
  list), the key is read from :mod:`npkit.law.jurisdiction_data` or :mod:`npkit.law.stages`.

Grading never trusts its input: an unknown question id or a choice no control offers (a
crafted widget message) is marked ``invalid`` and ignored, never raised.

This module also holds the discussion prompts module 6 uses ("Why punish them at all?",
Fitzgerald 2024 III), since the quiz asks about them too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from npkit.engine.findings import Finding, Reason
from npkit.law.citations import DOMESTIC_LAW, Citation, Confidence, alsa, asean, fitz
from npkit.law.vocabulary import OffenceCategory, Stage, describe

# ---------------------------------------------------------------------------------------------
# The question model


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    module: int  # the training module the question checks (1-6)
    prompt: str
    choices: tuple[tuple[str, str], ...]  # (label shown, value)
    answer: str  # the value of the right choice
    why: str
    source: Citation
    case_id: str = ""  # generated questions: the case file the key comes from
    path: str = ""  # generated questions: what was read (an ``expected:`` key where one exists)
    # generated questions: the caveats the engine says the answer rests on (Finding.marks)
    marks: tuple[Confidence, ...] = ()

    def __post_init__(self) -> None:
        values = [v for _, v in self.choices]
        if len(values) < 2 or len(set(values)) != len(values):
            raise ValueError(f"{self.id}: needs at least two distinct choices")
        if self.answer not in values:
            raise ValueError(f"{self.id}: answer {self.answer!r} is not one of the choices")
        if not (self.prompt and self.why and isinstance(self.source, Citation)):
            raise ValueError(f"{self.id}: needs a prompt, a why and a source")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(v for _, v in self.choices)

    def label(self, value: str) -> str:
        for lab, v in self.choices:
            if v == value:
                return lab
        return ""

    @property
    def answer_label(self) -> str:
        return self.label(self.answer)

    @property
    def generated(self) -> bool:
        return bool(self.case_id)

    @property
    def caveats(self) -> tuple[Confidence, ...]:
        """What the answer rests on that a trainee must see with it: the engine's marks for a
        generated question, the source's own mark for a conceptual one."""
        found = set(self.marks)
        if self.source.confidence.is_caveat:
            found.add(self.source.confidence)
        return tuple(c for c in Confidence if c in found)


# ---------------------------------------------------------------------------------------------
# Grading

RIGHT, WRONG, UNANSWERED, INVALID = "right", "wrong", "unanswered", "invalid"


@dataclass(frozen=True, slots=True)
class Feedback:
    question_id: str
    status: str  # right / wrong / unanswered / invalid
    chosen: str  # the label of the trainee's choice ('' if none or not a real choice)
    answer: str  # the label of the right answer ('' for an unknown question)
    why: str
    source: Citation | None
    marks: tuple[Confidence, ...] = ()  # the caveats the answer rests on, shown with it

    @property
    def rests_on(self) -> str:
        """"This answer rests on npkit's reading." in words, or '' when nothing needs saying."""
        words = "; ".join(m.label for m in self.marks if m.is_caveat)
        return f"This answer rests on {words}." if words else ""

    @property
    def right(self) -> bool:
        return self.status == RIGHT

    @property
    def message(self) -> str:
        """One line in words, for the page and for screen readers."""
        return {
            RIGHT: f"Right: “{self.answer}”.",
            WRONG: f"Not quite: you chose “{self.chosen}”; the answer is “{self.answer}”.",
            UNANSWERED: f"Not answered. The answer is “{self.answer}”.",
            INVALID: "That answer is not one of the choices offered, so it was ignored.",
        }[self.status]


def _as_text(choice: object) -> str | None:
    return choice if isinstance(choice, str) else None


def grade(question: Question, choice: object) -> Feedback:
    """Right or wrong, with why and the source. ``choice`` is a choice *value*; anything that
    is not one of the question's values (a crafted message) is ``invalid``, never raised."""
    if choice is None or choice == "":
        status = UNANSWERED
    elif _as_text(choice) is not None and choice in question.values:
        status = RIGHT if choice == question.answer else WRONG
    else:
        status = INVALID
    chosen = question.label(choice) if status in (RIGHT, WRONG) else ""
    return Feedback(question.id, status, chosen, question.answer_label, question.why,
                    question.source, question.caveats)


def grade_id(question_id: object, choice: object,
             questions: Iterable[Question] | None = None) -> Feedback:
    """Grade by id; an unknown id gives an ``invalid`` feedback."""
    found = by_id(questions).get(question_id) if isinstance(question_id, str) else None
    if found is None:
        return Feedback(str(question_id)[:80], INVALID, "", "", "", None)
    return grade(found, choice)


@dataclass(frozen=True, slots=True)
class Score:
    feedback: tuple[Feedback, ...]
    ignored: tuple[str, ...] = ()  # answers given for questions not in the set

    @property
    def right(self) -> int:
        return sum(f.right for f in self.feedback)

    @property
    def total(self) -> int:
        return len(self.feedback)

    @property
    def answered(self) -> int:
        return sum(f.status in (RIGHT, WRONG) for f in self.feedback)

    @property
    def line(self) -> str:
        return f"{self.right} of {self.total} right"


def score(questions: Iterable[Question], answers: object) -> Score:
    """Grade every question in the set; ``answers`` maps question id -> choice value. Answers
    for ids outside the set are ignored (and listed), never trusted."""
    qs = list(questions)
    given = answers if isinstance(answers, Mapping) else {}
    ids = {q.id for q in qs}
    ignored = tuple(sorted(str(k)[:80] for k in given if k not in ids))
    return Score(tuple(grade(q, given.get(q.id)) for q in qs), ignored)


def score_by_module(result: Score, questions: Iterable[Question]) -> dict[int, tuple[int, int]]:
    """module -> (right, total), for the per-module summary."""
    module = {q.id: q.module for q in questions}
    out: dict[int, tuple[int, int]] = {}
    for f in result.feedback:
        m = module.get(f.question_id)
        if m is None:
            continue
        right, total = out.get(m, (0, 0))
        out[m] = (right + f.right, total + 1)
    return dict(sorted(out.items()))


# ---------------------------------------------------------------------------------------------
# Choices shared with the widgets

# Outcome words read as a trainee would say them; every other word with its '_' as a space.
_OUTCOME_WORDS = {"not_victim": "not a victim"}
NOT_STOPPED = "none"


def outcome_label(outcome: str) -> str:
    return _OUTCOME_WORDS.get(outcome, outcome.replace("_", " "))


def stop_choices() -> tuple[tuple[str, str], ...]:
    """Module 6's choices: each stage of the process, or 'it should not stop it'."""
    return tuple((describe(Stage, s), s.value) for s in Stage) + (
        ("it should not stop the process", NOT_STOPPED),)


def _outcome_choices(group: str) -> tuple[tuple[str, str], ...]:
    """Every outcome the group's rules can give (the rule registry's list), so that the
    choices never give the answer away."""
    from npkit.law.registry import group_outcomes

    return tuple((outcome_label(o), o) for o in group_outcomes(group))


# ---------------------------------------------------------------------------------------------
# Generated questions: the key is read from assess() / should_stop() / the case file


@dataclass(frozen=True, slots=True)
class Spec:
    id: str
    module: int
    case_id: str
    kind: str  # outcome | failing | category | stop | change
    target: str  # an outcome path without ".outcome" (victim, duress.malaysia ...), or ''
    prompt: str  # may use {name}, {charge}
    focus: str = ""  # a child finding whose reason the "why" adds (e.g. victim -> consent)


SPECS: tuple[Spec, ...] = (
    Spec("victim-john", 1, "john", "outcome", "victim",
         "{name} knew before he left that the job was running scams, and paid his own fare. "
         "Is he a victim of trafficking?", focus="consent"),
    Spec("victim-sarah", 1, "sarah", "outcome", "victim",
         "After a raid freed her, {name} went back to the compound of her own accord. For her "
         "second stay, when the fraud she is charged with took place, is she a victim of "
         "trafficking?"),
    Spec("victim-child", 1, "child", "outcome", "victim",
         "{name} is 16. Her uncle took her to a scam compound; nobody lied to her, forced her "
         "or threatened her. Is she a victim of trafficking?", focus="means"),
    Spec("duress-ew-jane", 2, "jane", "outcome", "duress.england_wales",
         "Does duress under the law of England & Wales succeed for {name}?"),
    Spec("duress-ew-john", 2, "john", "outcome", "duress.england_wales",
         "Does duress under the law of England & Wales succeed for {name}?"),
    Spec("duress-my-jane-imminent", 2, "jane_imminent", "outcome", "duress.malaysia",
         "In a variant of her story, {name} is threatened with a beating there and then, at her "
         "desk. Does duress succeed under the Malaysian test Fitzgerald quotes (Mohamed "
         "Yusof)?"),
    Spec("failing-ew-john", 2, "john", "failing", "duress.england_wales",
         "Which condition of duress under the law of England & Wales does {name} fail?"),
    Spec("model-closed_list-jane", 3, "jane", "outcome", "models.closed_list",
         "Is {name} protected under a closed-list model (Thailand's list: immigration, false "
         "information, document, prostitution and work-permit offences)?"),
    Spec("model-compulsion_strict-child", 3, "child", "outcome", "models.compulsion_strict",
         "Is {name} (16, taken by her uncle without force or threats) protected under the "
         "strict compulsion model, which asks for force or threats by the trafficker?"),
    Spec("model-dual_factor-sarah", 3, "sarah", "outcome", "models.dual_factor",
         "Is {name} protected under npkit's reading of the Dual-Factor model?"),
    Spec("category-status_only", 3, "status_only", "category", "",
         "{name} is charged with: {charge}. What kind of offence is that?"),
    Spec("category-guard_escape", 3, "guard_escape", "category", "",
         "{name} is charged with: {charge}. What kind of offence is that?"),
    Spec("state-TH-jane", 4, "jane", "outcome", "jurisdictions.TH",
         "Would Thailand's non-punishment provision protect {name} from her fraud charge?"),
    Spec("state-PH-jane", 4, "jane", "outcome", "jurisdictions.PH",
         "Would the Philippines' non-punishment provision protect {name} from her fraud charge?"),
    Spec("state-TH-status_only", 4, "status_only", "outcome", "jurisdictions.TH",
         "{name} is charged with overstaying her visa. What does Thailand's provision give her?"),
    Spec("lab-ew-jane-imminent", 5, "jane_imminent", "outcome", "duress.england_wales",
         "In the scenario lab you change one fact in {name}'s story: a manager threatens her "
         "with a beating there and then, at her desk. Does duress under the law of England & "
         "Wales now succeed?"),
    Spec("lab-change-john", 5, "john", "change", "duress.england_wales",
         "In the scenario lab, which single change to {name}'s facts would make duress under "
         "the law of England & Wales succeed?"),
    Spec("lab-change-jane", 5, "jane", "change", "models.closed_list",
         "In the scenario lab, which single change to {name}'s case would bring her under a "
         "closed-list model (Thailand's list of offences)?"),
    Spec("stop-jane", 6, "jane", "stop", "", "At which stage should the non-punishment "
         "principle have stopped the process against {name}?"),
    Spec("stop-john", 6, "john", "stop", "",
         "The authorities treated {name} as a willing offender. At which stage should the "
         "principle have stopped the process against him?"),
    Spec("stop-sarah", 6, "sarah", "stop", "",
         "At which stage should the principle have stopped the process against {name}, charged "
         "for her second stay?"),
)


def _caveats(*nodes: Finding) -> tuple[Confidence, ...]:
    found = {m for n in nodes for m in n.marks}
    return tuple(c for c in Confidence if c in found)


def _outcome_question(spec: Spec, case, assessment) -> Question:
    group = spec.target.split(".")[0]
    node = assessment.victim if spec.target == "victim" else \
        getattr(assessment, group)[spec.target.split(".", 1)[1]]
    reason, marked = node.decisive, (node,)
    if spec.focus:
        focus = node.child(spec.focus)
        extra, marked = focus.decisive, (node, focus)
        if extra is not None and extra is not reason:
            reason = Reason(f"{reason.text} {extra.text}", extra.source)
    return Question(spec.id, spec.module, _fill(spec.prompt, case), _outcome_choices(group),
                    node.outcome, reason.text, reason.source, case.id, f"{spec.target}.outcome",
                    _caveats(*marked))


def _failing_question(spec: Spec, case, assessment) -> Question:
    node = assessment.duress[spec.target.split(".", 1)[1]]
    choices = tuple((c.title, c.test.rsplit(".", 1)[1]) for c in node.children)
    failing = [c for c in node.children if not c.holds]
    if len(failing) != 1:  # the question needs exactly one right answer
        raise ValueError(f"{spec.id}: {len(failing)} conditions fail, expected one")
    reason = failing[0].decisive
    return Question(spec.id, spec.module, _fill(spec.prompt, case), choices,
                    failing[0].test.rsplit(".", 1)[1], reason.text, reason.source, case.id,
                    f"{spec.target}.conditions", _caveats(failing[0]))


def _category_question(spec: Spec, case, assessment) -> Question:
    offence = assessment.offence
    choices = tuple((f"{c.value} offence", c.value) for c in OffenceCategory)
    why = (f"A {offence.category} offence: {describe(OffenceCategory, offence.category)}. "
           "Fitzgerald sorts the offences victims are charged with into status, purpose and "
           "secondary offences, and argues the principle should cover all of them.")
    return Question(spec.id, spec.module, _fill(spec.prompt, case), choices, offence.category,
                    why, fitz("IV.C"), case.id, "offence.category")


def _stop_question(spec: Spec, case, assessment) -> Question:
    from npkit.law.stages import should_stop

    stop = should_stop(assessment)
    reason = stop.decisive
    return Question(spec.id, spec.module, _fill(spec.prompt, case), stop_choices(),
                    stop.outcome, reason.text, reason.source, case.id, "process.stop",
                    _caveats(stop))


STOP_PROMPT = ("At which stage should the non-punishment principle have stopped the process "
               "against {name}?")


def stop_question(case, assessment=None) -> Question:
    """Module 6's question for any case: where should the principle stop the process? The key
    is :func:`npkit.law.stages.should_stop`."""
    from npkit.engine.assessment import assess

    spec = Spec(f"stop-{case.id}", 6, case.id, "stop", "", STOP_PROMPT)
    return _stop_question(spec, case, assessment or assess(case, counterfactuals=False))


def _change_question(spec: Spec, case, assessment) -> Question:
    """Which single fact change flips ``target``? Every choice is one of the scenario lab's
    changes, evaluated here: the answer flips the outcome, and each distractor flips some other
    outcome but not this one, so exactly one choice is right."""
    from npkit.engine.assessment import evaluate
    from npkit.engine.counterfactuals import changes

    path = f"{spec.target}.outcome"
    base = assessment.outcomes()
    flipping, others = [], []
    for change in changes(assessment.facts):
        after = evaluate(change.facts).outcomes()
        if after[path] != base[path]:
            flipping.append((change.text, after[path]))
        elif any(after[k] != v for k, v in base.items() if k.endswith(".outcome")):
            others.append(change.text)
    if not flipping:
        raise ValueError(f"{spec.id}: no single change flips {path}")
    answer, after = flipping[0]
    choices = tuple(sorted((f"if {t}", t) for t in [answer, *others[:3]]))
    group, key = spec.target.split(".", 1)
    node = getattr(assessment, group)[key]
    reason = node.decisive
    why = (f"This change turns '{outcome_label(base[path])}' into '{outcome_label(after)}'; "
           f"each of the other changes alters some other outcome, but not this one. As the "
           f"facts stand: {reason.text}")
    return Question(spec.id, spec.module, _fill(spec.prompt, case), choices, answer, why,
                    reason.source, case.id, f"counterfactuals.{spec.target}", _caveats(node))


_BUILDERS: dict[str, Callable] = {
    "outcome": _outcome_question,
    "failing": _failing_question,
    "category": _category_question,
    "stop": _stop_question,
    "change": _change_question,
}


def _fill(prompt: str, case) -> str:
    return prompt.format(name=case.person.pseudonym, charge=case.offences[0].charge)


def check_targets(specs: Iterable[Spec]) -> None:
    """Every spec's target is ``victim`` or a rule id of the registry: a misspelt target is a
    programming error, not a question to skip quietly."""
    from npkit.casefile.case import question_paths

    known = question_paths()
    for spec in specs:
        if spec.target and spec.target not in known:
            raise ValueError(f"quiz question {spec.id!r}: {spec.target!r} is not a rule id "
                             "(`npkit rule --list` lists them)")


def generated(cases: Iterable) -> list[Question]:
    """The generated questions for the cases given; a spec whose case is missing (or whose key
    cannot be read from it) is skipped, so one broken case file never empties the quiz."""
    from npkit.engine.assessment import assess

    check_targets(SPECS)
    by_case = {c.id: c for c in cases}
    assessed: dict[str, object] = {}
    out = []
    for spec in SPECS:
        case = by_case.get(spec.case_id)
        if case is None:
            continue
        try:
            if case.id not in assessed:
                assessed[case.id] = assess(case, counterfactuals=False)
            out.append(_BUILDERS[spec.kind](spec, case, assessed[case.id]))
        except (KeyError, ValueError, IndexError):
            continue
    return out


# ---------------------------------------------------------------------------------------------
# Conceptual questions: written by hand from the sources (paraphrased), each with its citation


def _closed_list_state() -> Question:
    from npkit.law.jurisdiction_data import jurisdictions

    rows = jurisdictions()
    answer = next(r for r in rows.values() if r.model == "closed_list")
    others = [r for r in rows.values() if r.code in ("PH", "ID", "KH") and r is not answer]
    choices = tuple(sorted((r.name, r.code) for r in [answer, *others]))
    return Question(
        "state-closed-list", 4,
        "Several ASEAN states protect victims only from listed offences. In which one may a "
        "victim still be prosecuted even for a listed offence, once the Minister of Justice "
        "gives written permission?",
        choices, answer.code,
        f"{answer.name}: its list covers immigration, false information, document, "
        "prostitution and work-permit offences, and the Minister may still permit a "
        "prosecution; a victim of a scam centre charged with fraud is not protected even once "
        "identified. Thailand is not the only state with a list: the ASEAN NPP study also names "
        "Brunei Darussalam, Lao PDR, Malaysia and Myanmar.",
        fitz("IV.A.2", "Anti-Trafficking in Persons Act (Thailand) s 41", Confidence.SECONDARY))


def _compulsion_state() -> Question:
    from npkit.law.jurisdiction_data import jurisdictions

    rows = jurisdictions()
    answer = next(r for r in rows.values() if r.model == "compulsion_strict")
    others = [r for r in rows.values() if r.code in ("PH", "MY", "TH") and r is not answer]
    choices = tuple(sorted((r.name, r.code) for r in [answer, *others]))
    return Question(
        "state-compulsion", 4,
        "Which ASEAN state's law takes a compulsion approach, protecting only victims the "
        "trafficker forced to offend?",
        choices, answer.code,
        f"{answer.name} is the one state in the region with a compulsion model; five others "
        "use causation, and Thailand requires the Justice Minister's written permission to "
        "prosecute a victim for a listed offence.",
        asean(DOMESTIC_LAW))


def _provision_count() -> Question:
    from npkit.law.jurisdiction_data import jurisdictions

    n = sum(r.has_provision for r in jurisdictions().values())
    options = sorted({3, 5, n, 10})
    choices = tuple((str(k), str(k)) for k in options)
    return Question(
        "states-with-provision", 4,
        "How many of the ten ASEAN Member States have an explicit non-punishment provision in "
        "their anti-trafficking law?",
        choices, str(n),
        f"{n} of the ten do; Cambodia, Singapore and Viet Nam have no explicit provision, so "
        "there only general defences such as duress remain.",
        asean(DOMESTIC_LAW))


def _thai_police_share() -> Question:
    from npkit.law.stages import CONTEXT_FIGURES

    fig = next(f for f in CONTEXT_FIGURES if "Royal Thai Police" in f.text)
    options = sorted({"10%", "30%", fig.figure, "95%"}, key=lambda s: float(s.rstrip("%")))
    return Question(
        "thai-police-share", 6,
        "In October 2022, what share of victims returned from scam centres did the Royal Thai "
        "Police report as facing prosecution?",
        tuple((o, o) for o in options), fig.figure,
        f"{fig.figure} {fig.text} Once inside the system as offenders, victims are rarely "
        "redirected to protection.", fig.source)


def conceptual() -> list[Question]:
    return [
        Question(
            "palermo-means", 1,
            "Which of these is NOT one of the 'means' in the Palermo Protocol's definition of "
            "trafficking?",
            (("fraud", "fraud"),
             ("abuse of a position of vulnerability", "vulnerability"),
             ("giving payments to someone who controls the person", "payments"),
             ("knowing in advance that the work would be criminal", "knowledge")),
            "knowledge",
            "The means are threats or force, other coercion, abduction, fraud, deception, abuse "
            "of power or of vulnerability, and payments to a person in control. Knowing the work "
            "was criminal is not a means; it goes to consent, which is irrelevant once any means "
            "was used.",
            fitz("II.B", "Palermo Protocol art 3(a)", Confidence.SECONDARY)),
        Question(
            "child-means", 1,
            "For a child victim, which element of trafficking does NOT have to be shown?",
            (("the act (recruitment, transport, harbouring ...)", "act"),
             ("the means (deception, force, abuse of vulnerability ...)", "means"),
             ("the purpose of exploitation", "purpose")),
            "means",
            "For a child, an act and an exploitative purpose are enough; no means is needed. "
            "That is also why the study finds a compulsion model impractical for child victims.",
            asean(DOMESTIC_LAW)),
        Question(
            "consent", 1,
            "A person agreed to go, but was deceived about the conditions once there. Since a "
            "means was used, their consent to the exploitation ...",
            (("is irrelevant", "irrelevant"),
             ("means they were not trafficked", "defeats"),
             ("must be weighed against the means", "weighed")),
            "irrelevant",
            "Once any means has been used, consent to the exploitation does not count: no one "
            "can consent to being trafficked.",
            fitz("II.B")),
        Question(
            "duress-conditions", 2,
            "Which of these is NOT one of the four conditions of duress?",
            (("a threat of death or serious harm that is imminent", "threat"),
             ("no reasonable chance to escape", "escape"),
             ("the harm threatened is at least as great as the harm caused", "proportion"),
             ("formal identification as a victim of trafficking", "identification")),
            "identification",
            "Duress asks for an imminent threat of death or serious harm, no reasonable way "
            "out, proportionality and no voluntary exposure to the risk. Victim status plays no "
            "part in it, which is why it fits trafficking victims so badly.",
            fitz("V.A")),
        Question(
            "malaysia-s94", 2,
            "In the Malaysian case Fitzgerald quotes, what must a defendant fear for duress?",
            (("instant death, at the very time of the act", "instant_death"),
             ("serious harm at some later time", "later_harm"),
             ("harm to their family back home", "family"),
             ("losing their job or pay", "job")),
            "instant_death",
            "The Malaysian court required a reasonable fear, at the very moment, of instant "
            "death; anyone acting from fear of something less does so at their own risk.",
            fitz("V.B.1", "Mohamed Yusof bin Haji Ahmad v PP [1983] 2 MLJ 167",
                 Confidence.SECONDARY)),
        Question(
            "ongwen", 2,
            "Under the Rome Statute as read in Ongwen, is a danger that is always present but "
            "abstract enough for duress?",
            (("yes", "yes"), ("no", "no")), "no",
            "No: an abstract danger, or just a higher chance that danger will arise, is not "
            "enough, even if it is there all the time.",
            fitz("V.A", "Prosecutor v Ongwen (ICC, 2021)", Confidence.SECONDARY)),
        Question(
            "causation-broader", 3,
            "Which link between trafficking and offence do some experts prefer as broader and "
            "easier to prove?",
            (("causation: the offence was a direct consequence of the trafficking", "causation"),
             ("compulsion: the trafficker compelled the offence", "compulsion"),
             ("a closed list of offences", "closed_list")),
            "causation",
            "Compulsion needs proof of the means used to compel the victim; causation only asks "
            "whether the offence followed from the trafficking.",
            asean(DOMESTIC_LAW)),
        Question(
            "dual-factor-test", 3,
            "The ALSA 2025 abstract proposes a Dual-Factor model. What test does it give?",
            (("none: npkit's weighing of determination against free choice is its own "
              "reading", "none"),
             ("a points table of means and choices", "points"),
             ("a but-for test", "but_for")),
            "none",
            "The abstract names the model and says it draws on theories of determinism and free "
            "will, but it sets out no test. npkit's weighing of how far the trafficking "
            "determined the act against the free choice left is its own, and every Dual-Factor "
            "outcome says so.",
            alsa()),
        _closed_list_state(),
        _compulsion_state(),
        _provision_count(),
        Question(
            "actip-14-7", 4,
            "What does ACTIP art 14(7) ask of every ASEAN state?",
            (("to consider not holding victims liable, in criminal or administrative law, "
              "for unlawful acts directly related to their trafficking", "consider"),
             ("never to prosecute anyone who says they were trafficked", "never"),
             ("to protect victims from immigration charges only", "immigration"),
             ("to reduce a convicted victim's sentence", "mitigate")),
            "consider",
            "Each party must weigh, within its own legal system and where appropriate, not "
            "holding victims liable for unlawful acts that flow directly from the trafficking. "
            "Fitzgerald reads 'not holding' as ruling out a mere reduction of the penalty.",
            fitz("IV.A.2", "ACTIP 2015 art 14(7)", Confidence.SECONDARY)),
        Question(
            "earliest-point", 6,
            "According to the ASEAN study, from when should the principle protect a person?",
            (("from the earliest point they are recognised as a potential victim", "earliest"),
             ("once a formal victim-status decision has been made", "formal"),
             ("once the trafficker has been charged", "trafficker"),
             ("at sentencing", "sentencing")),
            "earliest",
            "The study's participants agreed: as soon as someone treated as an offender is seen "
            "as possibly trafficked, without waiting for formal identification, a charge or any "
            "result against a trafficker.",
            asean("Application of the non-punishment principle: When the non-punishment "
                  "principle applies in practice")),
        Question(
            "burden", 6,
            "When a person may be a victim, who should carry the burden of proof?",
            (("the State", "state"), ("the victim", "victim"), ("the judge", "judge")),
            "state",
            "The study recommends that the burden rests on the State and never on the victim.",
            asean("Recommendation 19")),
        Question(
            "purposes", 6,
            "On Fitzgerald's argument, which purpose of punishment does punishing a victim for "
            "a forced scam serve?",
            (("retribution", "retribution"), ("deterrence", "deterrence"),
             ("incapacitation", "incapacitation"), ("rehabilitation", "rehabilitation"),
             ("none of them", "none")),
            "none",
            "None: the victim kept none of the profits, cannot be deterred from what they were "
            "made to do, is not dangerous and needs no reform. Punishing them shields the "
            "traffickers.",
            fitz("III.B.3")),
        Question(
            "hart", 6,
            "For Hart, punishment can be justified only if the offender was a responsible "
            "agent. What does that require?",
            (("that they could have kept the law they broke", "could_obey"),
             ("that they profited from the crime", "profit"),
             ("that they knew the act was a crime", "knew")),
            "could_obey",
            "A responsible agent is someone who could have obeyed the law they broke; a victim "
            "under the traffickers' control could not.",
            fitz("III.B.1", "H.L.A. Hart")),
        _thai_police_share(),
    ]


# ---------------------------------------------------------------------------------------------
# The bank

_CACHE: dict[int, tuple[object, tuple[Question, ...]]] = {}


def bank(cases: Iterable | None = None) -> tuple[Question, ...]:
    """Every question, in module order. With no ``cases``, the case library's (cached until a
    case file changes)."""
    if cases is None:
        from npkit.casefile.library import library

        result = library()
        hit = _CACHE.get(id(result))
        if hit is not None and hit[0] is result:
            return hit[1]
        questions = _sorted(generated(result.cases) + conceptual())
        _CACHE.clear()
        _CACHE[id(result)] = (result, questions)
        return questions
    return _sorted(generated(cases) + conceptual())


def _sorted(questions: list[Question]) -> tuple[Question, ...]:
    return tuple(sorted(questions, key=lambda q: q.module))  # stable: spec order within a module


def by_id(questions: Iterable[Question] | None = None) -> dict[str, Question]:
    return {q.id: q for q in (bank() if questions is None else questions)}


def answer_key_line(question_id: str, questions: Iterable[Question] | None = None) -> str:
    """``<id>: <answer>`` for the lecturer's key and the checked notebook cell."""
    q = by_id(questions).get(question_id)
    if q is None:
        return f"{question_id}: no such question"
    return f"{q.id}: {q.answer_label}"


# ---------------------------------------------------------------------------------------------
# Module 6 discussion: "Why punish them at all?" (Fitzgerald 2024 III), paraphrased


@dataclass(frozen=True, slots=True)
class Prompt:
    id: str
    title: str
    question: str  # asked of the trainee about the case (yes / no / not sure)
    argument: str  # Fitzgerald's argument, in npkit's words
    source: Citation
    discuss: tuple[str, ...] = field(default=())  # open prompts for the room


DISCUSSION: tuple[Prompt, ...] = (
    Prompt("agent", "A responsible agent",
           "Could {name} have obeyed the law at the time?",
           "Hart: punishment is justified only for the act of a responsible agent, someone "
           "who could have obeyed the law they broke. Traffickers take away a victim's power to "
           "act for themselves, so even a deliberate act done under their control is not the "
           "act of a free agent.",
           fitz("III.B.1", "H.L.A. Hart"),
           ("Does the size of the loss to the scam victims change your answer?",)),
    Prompt("choice", "Choice",
           "Was the wrongful act {name}'s own choice?",
           "Choice theory punishes offences that come from the accused's choice to do wrong. "
           "Victims neither choose nor can consent to their exploitation: the choice was the "
           "traffickers'.",
           fitz("III.B.2")),
    Prompt("capacity", "Capacity",
           "Did {name} have a fair chance to act otherwise?",
           "Capacity theory excuses those who lacked a real opportunity to act differently. "
           "Violence, confinement and threats take that opportunity away.",
           fitz("III.B.2")),
    Prompt("character", "Character",
           "Does the offence show bad character in {name}?",
           "Character theory ties liability to conduct that shows a bad disposition. Victims "
           "offend because of the trafficking, not their character: but for it, they would not "
           "have offended at all.",
           fitz("III.B.2", "Zabyelina")),
    Prompt("retribution", "Retribution",
           "Would punishing {name} serve retribution?",
           "On Bradley's account, retribution strips offenders of the unfair advantage their "
           "crime gave them. Victims gain nothing from the scams: the traffickers keep the "
           "profits, so retribution belongs to them.",
           fitz("III.B.3", "Bradley")),
    Prompt("deterrence", "Deterrence",
           "Would punishing {name} deter anyone?",
           "A person with no choice cannot be deterred, and punishing victims helps traffickers "
           "avoid detection, which weakens deterrence where it matters.",
           fitz("III.B.3")),
    Prompt("incapacitation", "Incapacitation and rehabilitation",
           "Is {name} a danger to the public, or in need of reform?",
           "Victims are neither dangerous nor in need of reform: their offences came from the "
           "trafficking, and once free they go back to obeying the law.",
           fitz("III.B.3")),
    Prompt("integrity", "Who gains?",
           "Would punishing {name} help the traffickers?",
           "The traffickers: they use their victims as shields, and victims who fear "
           "prosecution do not come forward or testify. Treating victims as offenders proves "
           "the traffickers right.",
           fitz("III.B.4"),
           ("What would make a victim in a scam compound willing to talk to the police?",)),
)

DISCUSSION_ANSWERS: tuple[tuple[str, str], ...] = (
    ("yes", "yes"), ("no", "no"), ("not sure", "unsure"))
