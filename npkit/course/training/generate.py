"""The generated questions of module 7: each names a case file and what to ask about it
(npkit/course/data/generated.yaml); the answer key and the "why" come from :func:`npkit.assess`
(or :func:`npkit.law.stages.should_stop`, or the case file itself) when the bank is built, so
no answer is ever typed twice. ``Question.path`` is the key the case file's ``expected:`` block
uses, where there is one, so tests can compare them."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from npkit.course.training.question import Question, Spec
from npkit.course.training.questions_data import generated_specs
from npkit.engine.findings import Finding, Reason
from npkit.i18n import N_, _
from npkit.law.citations import Confidence, fitz
from npkit.law.vocabulary import OffenceCategory, Stage, describe
from npkit.render import words as rw

# Outcome words read as a trainee would say them (shown in the page's language, _()); any
# other word with its '_' as a space. The values stay the engine's words.
OUTCOME_WORDS = {
    "victim": N_("victim"), "not_victim": N_("not a victim"),
    "succeeds": N_("succeeds"), "fails": N_("fails"),
    "protected": N_("protected"), "not_protected": N_("not protected"),
    "discretionary": N_("discretionary"),
}
NOT_STOPPED = "none"


CATEGORY_WORDS = {
    "status": N_("status offence"), "purpose": N_("purpose offence"),
    "secondary": N_("secondary offence"), "other": N_("other offence"),
}


def outcome_label(outcome: str) -> str:
    word = OUTCOME_WORDS.get(outcome)
    return _(word) if word else outcome.replace("_", " ")


def stop_choices() -> tuple[tuple[str, str], ...]:
    """Module 6's choices: each stage of the process, or 'it should not stop it'."""
    return tuple((rw.label(describe(Stage, s)), s.value) for s in Stage) + (
        (_("it should not stop the process"), NOT_STOPPED),)


def _outcome_choices(group: str) -> tuple[tuple[str, str], ...]:
    """Every outcome the group's rules can give (the rule registry's list), so that the
    choices never give the answer away."""
    from npkit.law.registry import group_outcomes

    return tuple((outcome_label(o), o) for o in group_outcomes(group))



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
            why = f"{rw.reason_text(reason)} {rw.reason_text(extra)}"
            reason = Reason(why, extra.source)
    why = rw.reason_text(reason) if reason.code else reason.text
    return Question(spec.id, spec.module, _fill(spec.prompt, case), _outcome_choices(group),
                    node.outcome, why, reason.source, case.id, f"{spec.target}.outcome",
                    _caveats(*marked))


def _failing_question(spec: Spec, case, assessment) -> Question:
    node = assessment.duress[spec.target.split(".", 1)[1]]
    choices = tuple((rw.title(c), c.test.rsplit(".", 1)[1]) for c in node.children)
    failing = [c for c in node.children if not c.holds]
    if len(failing) != 1:  # the question needs exactly one right answer
        raise ValueError(f"{spec.id}: {len(failing)} conditions fail, expected one")
    reason = failing[0].decisive
    return Question(spec.id, spec.module, _fill(spec.prompt, case), choices,
                    failing[0].test.rsplit(".", 1)[1], rw.reason_text(reason), reason.source,
                    case.id,
                    f"{spec.target}.conditions", _caveats(failing[0]))


def _category_question(spec: Spec, case, assessment) -> Question:
    offence = assessment.offence
    choices = tuple((_(CATEGORY_WORDS[c.value]) if c.value in CATEGORY_WORDS
                     else f"{c.value} offence", c.value) for c in OffenceCategory)
    word = CATEGORY_WORDS.get(offence.category)
    why = _("This is a {category}: {description}. Fitzgerald sorts the offences victims are "
            "charged with into status, purpose and secondary offences, and argues the "
            "principle should cover all of them.").format(
        category=_(word) if word else f"{offence.category} offence",
        description=rw.label(describe(OffenceCategory, offence.category)))
    return Question(spec.id, spec.module, _fill(spec.prompt, case), choices, offence.category,
                    why, fitz("IV.C"), case.id, "offence.category")


def _stop_question(spec: Spec, case, assessment) -> Question:
    from npkit.law.stages import should_stop

    stop = should_stop(assessment)
    reason = stop.decisive
    return Question(spec.id, spec.module, _fill(spec.prompt, case), stop_choices(),
                    stop.outcome, rw.reason_text(reason), reason.source, case.id, "process.stop",
                    _caveats(stop))


def stop_question(case, assessment=None) -> Question:
    """Module 6's question for any case: where should the principle stop the process? The key
    is :func:`npkit.law.stages.should_stop`."""
    from npkit.engine.assessment import assess

    spec = Spec(f"stop-{case.id}", 6, case.id, "stop", "", generated_specs()[1])
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
    # a change is a wording code (npkit.engine.counterfactuals): its words in the learner's
    # language (npkit.render.words); the choice's value stays the engine's English
    choices = tuple(sorted((_("if {change}").format(change=rw.value(t)), str(t))
                           for t in [answer, *others[:3]]))
    group, key = spec.target.split(".", 1)
    node = getattr(assessment, group)[key]
    reason = node.decisive
    why = _("This change turns '{before}' into '{after}'; each of the other changes alters "
            "some other outcome, but not this one. As the facts stand: {reason}").format(
        before=outcome_label(base[path]), after=outcome_label(after),
        reason=rw.reason_text(reason))
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

    specs = generated_specs()[0]
    check_targets(specs)
    by_case = {c.id: c for c in cases}
    assessed: dict[str, object] = {}
    out = []
    for spec in specs:
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
