"""Pure scenario editing: the trainee's choices for one case file, and the case they make.

The scenario lab (``npkit.course.widgets.scenario_lab``) keeps a :class:`Scenario` (quick-fact
toggles, means, each recorded threat, the principal charge) beside the case as loaded, and
always rebuilds the edited case from the two with :func:`build_case`, through
:mod:`npkit.casefile.editing` (which re-validates the whole case). So toggling a fact twice gives
back exactly the loaded facts.

Every value from a control is untrusted: :func:`apply_edit` checks it against the vocabulary
and raises :class:`Rejected` (with a message fit for a trainee) for anything else. Saved
scenarios are replayed through the same checks (:func:`replay_changes`), and
:func:`edited_copy` turns an edited case into a case file of its own. Nothing here decides a
legal outcome, and nothing here needs a widget library: a core install imports it.

The controls' labels are marked with ``N_`` (npkit.i18n's no-op marker, so that ``make
catalogues`` extracts them); the fact editor shows them through ``_()``. Only the marker is
used here: this module never translates, and the values it checks stay the vocabulary's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from npkit.casefile.cache import content_key, remember, shared_name, shared_result
from npkit.casefile.case import Case
from npkit.casefile.editing import edit_case, edit_offence, edit_period
from npkit.i18n import N_
from npkit.law.facts import CHILD_UNDER
from npkit.law.vocabulary import (
    Harm,
    Imminence,
    Means,
    OffenceCategory,
    OffenceType,
    ThreatSeverity,
    ThreatTarget,
    Timing,
)


def _words(term: str) -> str:
    return str(term).replace("_", " ")


# --------------------------------------------------------------------------- the choices


@dataclass(frozen=True, slots=True)
class QuickFact:
    key: str
    label: str  # the checkbox's label, as the trainee reads it (N_: shown through _())
    group: str  # N_ too
    change: str  # how the change reads in "Your changes" and in a downloaded file (N_)


QUICK_FACTS: tuple[QuickFact, ...] = (
    QuickFact("imminent_threat", N_("An imminent threat of serious harm aimed at them"),
              N_("Threats and escape"), "an imminent threat of serious harm aimed at them"),
    QuickFact("escape", N_("They had a reasonable chance to escape"),
              N_("Threats and escape"), N_("a reasonable chance to escape")),
    QuickFact("voluntary_association",
              N_("They knowingly joined the group (voluntary association)"),
              N_("Their choices"), N_("knowingly joined the group")),
    QuickFact("informed_consent", N_("They gave informed consent"),
              N_("Their choices"), N_("informed consent")),
    QuickFact("rewarded", N_("Rewards, not coercion, kept them working"),
              N_("Their choices"), N_("rewards rather than coercion")),
    QuickFact("returned_after_rescue", N_("They went back after an earlier rescue"),
              N_("Their choices"), N_("went back after an earlier rescue")),
    QuickFact("ordered", N_("The traffickers ordered the act"),
              N_("The charge"), N_("the traffickers ordered the act")),
    QuickFact("but_for", N_("It would not have happened but for the trafficking"),
              N_("The charge"), N_("would not have happened but for the trafficking")),
    QuickFact("connected", N_("It was part of the work they were exploited for"),
              N_("The charge"), N_("part of the exploited work")),
    QuickFact("child", N_("Under 18"), N_("The person"), N_("under 18")),
    QuickFact("identified", N_("Identified as a victim"), N_("The person"),
              N_("identified as a victim")),
)
QUICK = {q.key: q for q in QUICK_FACTS}

# Quick facts that set one yes/no field of the period or of the charge to the toggle's value.
PERIOD_FLAGS = {
    "voluntary_association": "voluntary_association",
    "informed_consent": "informed_consent",
    "rewarded": "rewarded_rather_than_coerced",
    "returned_after_rescue": "returned_after_rescue",
}
OFFENCE_FLAGS = {
    "ordered": "ordered_by_trafficker",
    "but_for": "but_for_trafficking",
    "connected": "connected_to_exploited_work",
}
ADDED_THREAT = {"target": "self", "severity": "serious_harm", "imminence": "imminent",
                "note": "added in npkit's scenario lab"}
THREAT_PARTS: dict[str, tuple[str, type[StrEnum]]] = {
    "target": (N_("Aimed at"), ThreatTarget),
    "severity": (N_("Harm threatened"), ThreatSeverity),
    "imminence": (N_("How close"), Imminence),
}
OFFENCE_PARTS: dict[str, tuple[str, type[StrEnum]]] = {
    "type": (N_("Offence type"), OffenceType),
    "category": (N_("Category"), OffenceCategory),
    "committed": (N_("When committed"), Timing),
    "harm": (N_("Harm caused"), Harm),
}
# The ages "Under 18" switches to when the file says otherwise: the law's line, and a child's age.
ADULT_AGE, CHILD_AGE = CHILD_UNDER, 16


class Rejected(ValueError):
    """An edit that was not applied; ``str()`` is a message for the trainee."""


@dataclass(frozen=True, slots=True)
class Scenario:
    """The trainee's choices for one loaded case. Immutable: every edit makes a new one."""

    quick: Mapping[str, bool]
    means: tuple[str, ...]
    threats: tuple[tuple[str, str, str], ...]  # (target, severity, imminence) per recorded threat
    offence: Mapping[str, str] = field(default_factory=dict)  # type, category, committed, harm


def principal(case: Case):
    """The principal charge and the period it was committed in."""
    offence = case.offence()
    return offence, case.period(offence.period)


def initial_scenario(case: Case) -> Scenario:
    """The choices that reproduce ``case`` exactly: every toggle shows what the file records
    (the added threat starts off)."""
    offence, period = principal(case)
    age = case.person.age
    quick = {
        "imminent_threat": False,
        "escape": period.escape.reasonable_opportunity,
        **{key: bool(getattr(period, name)) for key, name in PERIOD_FLAGS.items()},
        **{key: bool(getattr(offence, name)) for key, name in OFFENCE_FLAGS.items()},
        "child": age is not None and age < ADULT_AGE,
        "identified": case.identification.status == "identified",
    }
    return Scenario(
        quick=quick,
        means=tuple(str(m) for m in period.means),
        threats=tuple((str(t.target), str(t.severity), str(t.imminence)) for t in period.threats),
        offence={part: str(getattr(offence, part)) for part in OFFENCE_PARTS},
    )


def build_case(loaded: Case, s: Scenario) -> Case:
    """The loaded case with the scenario's choices applied, through
    ``npkit.casefile.editing`` (so the result is validated like a case file). Raises
    :class:`Rejected` if it does not validate."""
    if s == initial_scenario(loaded):
        # the case as loaded (already valid; the same case field for field, tested): a page
        # that loads a case does not validate it again (issue 16)
        return loaded
    return _build_case(loaded, s)


def _build_case(loaded: Case, s: Scenario) -> Case:
    offence, period = principal(loaded)
    threats = [
        {**t.model_dump(mode="json"), "target": target, "severity": severity,
         "imminence": imminence}
        for t, (target, severity, imminence) in zip(period.threats, s.threats, strict=True)
    ]
    if s.quick["imminent_threat"]:
        threats.append(dict(ADDED_THREAT))
    age = loaded.person.age
    if s.quick["child"]:
        age = age if age is not None and age < ADULT_AGE else CHILD_AGE
    elif age is not None and age < ADULT_AGE:
        age = ADULT_AGE
    status = loaded.identification.status
    if s.quick["identified"]:
        status = "identified"
    elif status == "identified":
        status = "not_identified"
    try:
        case = edit_period(
            loaded, period.id, means=list(s.means), threats=threats,
            escape={"reasonable_opportunity": s.quick["escape"]},
            **{name: s.quick[key] for key, name in PERIOD_FLAGS.items()},
        )
        case = edit_offence(
            case, offence.id, **dict(s.offence),
            **{name: s.quick[key] for key, name in OFFENCE_FLAGS.items()},
        )
        return edit_case(
            case,
            person={**loaded.person.model_dump(mode="json"), "age": age},
            identification={**loaded.identification.model_dump(mode="json"), "status": status},
        )
    except (ValidationError, KeyError, ValueError) as e:
        raise Rejected(f"npkit could not build a valid case from these facts ({short(e)}).") \
            from e


# --------------------------------------------------------------------------- checking input


def short(value: object, limit: int = 60) -> str:
    """An untrusted value, quoted and cut to ``limit`` characters, to name it in a message."""
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _is_bool(value: object) -> bool:
    return value is True or value is False


def _term(value: object, vocab: type[StrEnum], what: str) -> str:
    if not isinstance(value, str) or value not in vocab.__members__:
        raise Rejected(f"{short(value)} is not one of the {what} npkit knows; "
                       "choose one of the options shown.")
    return value


def _ordered_means(chosen: Iterable[str], loaded: Iterable[str]) -> tuple[str, ...]:
    """The loaded case's order first (so an untouched list is unchanged), then new terms in
    the vocabulary's order."""
    chosen = set(chosen)
    first = [m for m in loaded if m in chosen]
    return tuple(first + [m for m in Means.__members__ if m in chosen and m not in first])


def apply_edit(loaded: Case, s: Scenario, field_name: object, value: object) -> Scenario:
    """A new scenario with one control's value applied. Fields:

    ``quick.<key>`` (bool), ``means.<term>`` (bool), ``means`` (a list of terms),
    ``threat.<n>.<target|severity|imminence>`` (a term), ``offence.<type|category|committed|
    harm>`` (a term). Anything else, or a value outside the vocabulary, raises
    :class:`Rejected` and changes nothing.
    """
    if not isinstance(field_name, str) or len(field_name) > 80:
        raise Rejected("That control is not part of the scenario lab.")
    kind, _, rest = field_name.partition(".")
    if kind == "quick" and rest in QUICK:
        if not _is_bool(value):
            raise Rejected(f"{QUICK[rest].label}: expected on or off, got {short(value)}.")
        return replace(s, quick={**s.quick, rest: value})
    if kind == "means" and rest == "":
        if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
            raise Rejected(f"Means: expected a list of means, got {short(value)}.")
        terms = list(value)
        if len(terms) > len(Means.__members__):
            raise Rejected("Means: too many values.")
        for term in terms:
            _term(term, Means, "means")
        return replace(s, means=_ordered_means(terms, loaded_means(loaded)))
    if kind == "means":
        _term(rest, Means, "means")
        if not _is_bool(value):
            raise Rejected(f"Means ({_words(rest)}): expected on or off, got {short(value)}.")
        chosen = set(s.means) | {rest} if value else set(s.means) - {rest}
        return replace(s, means=_ordered_means(chosen, loaded_means(loaded)))
    if kind == "threat":
        index, _, part = rest.partition(".")
        if not index.isdigit() or int(index) >= len(s.threats) or part not in THREAT_PARTS:
            raise Rejected("That threat is not recorded in this case.")
        label, vocab = THREAT_PARTS[part]
        term = _term(value, vocab, f"choices for '{label.lower()}'")
        threats = list(s.threats)
        row = dict(zip(THREAT_PARTS, threats[int(index)], strict=True))
        row[part] = term
        threats[int(index)] = tuple(row.values())
        return replace(s, threats=tuple(threats))
    if kind == "offence" and rest in OFFENCE_PARTS:
        label, vocab = OFFENCE_PARTS[rest]
        term = _term(value, vocab, f"choices for '{label.lower()}'")
        return replace(s, offence={**s.offence, rest: term})
    raise Rejected("That control is not part of the scenario lab.")


def loaded_means(case: Case) -> tuple[str, ...]:
    return tuple(str(m) for m in principal(case)[1].means)


@dataclass(frozen=True, slots=True)
class Said:
    """One change in words: an English ``template`` (marked with N_) and its fields, each
    ``(name, kind, value)``: ``term`` (a vocabulary term), ``terms`` (a list of them, joined
    by ", "), ``label`` (an N_ label of this module), ``lower`` (one, in lower case) or
    ``number``. ``str()`` is the English; a page in another language words it from the parts
    (npkit.render.words.said), deciding nothing again."""

    template: str
    fields: tuple[tuple[str, str, object], ...] = ()

    def __str__(self) -> str:
        return self.template.format(**{name: _english(kind, v) for name, kind, v in self.fields})


def _english(kind: str, value: object) -> object:
    if kind == "term":
        return _words(str(value))
    if kind == "terms":
        return ", ".join(_words(str(v)) for v in value)
    if kind == "lower":
        return str(value).lower()
    return value


def said_changes(loaded: Case, s: Scenario) -> list[Said]:
    """Every choice that differs from the loaded case, as :class:`Said` (its words and parts)."""
    base = initial_scenario(loaded)
    out = []
    for q in QUICK_FACTS:
        now = s.quick[q.key]
        if now != base.quick[q.key]:
            if q.key == "imminent_threat":
                out.append(Said(N_("added: an imminent threat of serious harm aimed at them")))
            elif now:
                out.append(Said(N_("now: {change}"), (("change", "label", q.change),)))
            else:
                out.append(Said(N_("no longer: {change}"), (("change", "label", q.change),)))
    added = tuple(m for m in s.means if m not in base.means)
    removed = tuple(m for m in base.means if m not in s.means)
    if added:
        out.append(Said(N_("means added: {means}"), (("means", "terms", added),)))
    if removed:
        out.append(Said(N_("means removed: {means}"), (("means", "terms", removed),)))
    for i, (old, new) in enumerate(zip(base.threats, s.threats, strict=True)):
        for part, a, b in zip(THREAT_PARTS, old, new, strict=True):
            if a != b:
                out.append(Said(N_("threat {n}, {part}: {before} → {after}"),
                                (("n", "number", i + 1), ("part", "lower", THREAT_PARTS[part][0]),
                                 ("before", "term", a), ("after", "term", b))))
    for part, (label, _) in OFFENCE_PARTS.items():
        a, b = base.offence[part], s.offence[part]
        if a != b:
            out.append(Said(N_("charge, {part}: {before} → {after}"),
                            (("part", "lower", label), ("before", "term", a),
                             ("after", "term", b))))
    return out


def describe_changes(loaded: Case, s: Scenario) -> list[str]:
    """Plain sentences (English) naming every choice that differs from the loaded case: what a
    downloaded case file records (:func:`edited_copy`)."""
    return [str(x) for x in said_changes(loaded, s)]


# --------------------------------------------------------------------------- saving a scenario

# More saved changes than this cannot come from the lab (it has about 40 controls): the rest of
# a crafted state is not even looked at.
MAX_SAVED_CHANGES = 200


def scenario_changes(loaded: Case, s: Scenario) -> dict[str, Any]:
    """The trainee's changes as :func:`apply_edit` fields and values (JSON data), only those
    that differ from the case as loaded: ``{"quick.imminent_threat": True, "means": [...],
    "threat.0.severity": "serious_harm", "offence.harm": "death"}``. Replayed from the case
    file by :func:`replay_changes`, they give back ``s``."""
    base = initial_scenario(loaded)
    out: dict[str, Any] = {}
    for q in QUICK_FACTS:
        if s.quick[q.key] != base.quick[q.key]:
            out[f"quick.{q.key}"] = bool(s.quick[q.key])
    if tuple(s.means) != tuple(base.means):
        out["means"] = list(s.means)
    for i, (old, new) in enumerate(zip(base.threats, s.threats, strict=True)):
        for part, a, b in zip(THREAT_PARTS, old, new, strict=True):
            if a != b:
                out[f"threat.{i}.{part}"] = b
    for part in OFFENCE_PARTS:
        if s.offence[part] != base.offence[part]:
            out[f"offence.{part}"] = s.offence[part]
    return out


def replay_changes(loaded: Case, changes: object) -> tuple[Scenario, list[str]]:
    """The case as loaded with saved ``changes`` applied one at a time, exactly as the controls
    apply them: each through :func:`apply_edit` (so only the vocabulary's values pass) and
    :func:`build_case` (so every step is a valid case). ``changes`` is untrusted (a saved
    state, perhaps from an older case file): a change that cannot be applied is skipped, and
    the second value lists a sentence for each, fit for the trainee."""
    s = initial_scenario(loaded)
    if changes is None:
        return s, []
    if not isinstance(changes, Mapping):
        return s, [f"The saved changes were not a list of facts ({short(changes)})."]
    items = list(changes.items())
    skipped = [f"{len(items) - MAX_SAVED_CHANGES} more changes than the lab has controls were "
               "ignored."] if len(items) > MAX_SAVED_CHANGES else []
    for name, value in items[:MAX_SAVED_CHANGES]:
        try:
            candidate = apply_edit(loaded, s, name, value)
            build_case(loaded, candidate)
        except Rejected as e:
            skipped.append(f"{short(name, 40)}: {e}")
            continue
        s = candidate
    return s, skipped


# --------------------------------------------------------------------------- a case file of its own

SUFFIX = "_edited"
ID_MAX, TITLE_MAX, LESSON_MAX, PINPOINT_MAX = 60, 120, 500, 200


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def edited_id(case_id: str) -> str:
    """The id of a scenario-lab variant: ``<id>_edited``, within the case format's limit."""
    if case_id.endswith(SUFFIX):
        return case_id
    return case_id[: ID_MAX - len(SUFFIX)].rstrip("_-") + SUFFIX


def edited_copy(loaded: Case, edited: Case, changes: list[str]) -> Case:
    """``edited`` renamed and re-labelled as a scenario-lab variant of ``loaded``: its own id
    and title, a narrative passage naming the changes, ``source: npkit`` and no ``expected``
    block (the source's expected outcomes no longer describe the changed facts), so it never
    clashes with the case it came from and still passes ``npkit validate``.

    The copy of an unchanged case from the shared library is made once for every kernel
    (the lab makes it for the case it opens with)."""
    key = content_key(loaded) if edited is loaded and not changes else None
    if key is None:
        return _edited_copy(loaded, edited, changes)
    copy = shared_result(shared_name("lab-copy", key, loaded.id), key,
                         lambda: _edited_copy(loaded, edited, changes), Case)
    remember(copy, f"{key}|copy")
    return copy


def _edited_copy(loaded: Case, edited: Case, changes: list[str]) -> Case:
    listed = "; ".join(changes) if changes else "no fact changed"
    mark = " (edited)"
    title = loaded.title if loaded.title.endswith(mark) else \
        _fit(loaded.title, TITLE_MAX - len(mark)) + mark
    narrative = [p.model_dump(mode="json") for p in edited.narrative]
    narrative.append({"text": _fit(f"Changed in npkit's scenario lab: {listed}.", 5000),
                      "tags": []})
    return edit_case(
        edited,
        id=edited_id(loaded.id),
        title=title,
        lesson=_fit(f"A scenario-lab variant of '{loaded.id}'. Changes: {listed}.", LESSON_MAX),
        source={"source": "npkit",
                "pinpoint": _fit(f"scenario-lab variant of {loaded.source.text}", PINPOINT_MAX)},
        narrative=narrative,
        expected={},
        expected_source=None,
    )
