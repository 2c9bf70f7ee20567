"""The case file format: what a trainer writes in ``cases/*.yaml``.

Pydantic v2 models. ``extra="forbid"`` everywhere so a misspelt key is an error (the loader
adds the file, line and a suggestion). Field descriptions are the trainer documentation;
``npkit schema`` prints them as JSON Schema and ``docs/case-format.md`` is written from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from npkit.law import registry
from npkit.law.citations import SOURCES
from npkit.law.vocabulary import (
    Act,
    DeceivedAbout,
    Harm,
    IdentificationStatus,
    Imminence,
    Means,
    OffenceCategory,
    OffenceType,
    Purpose,
    RecruitmentMethod,
    Rewards,
    Stage,
    ThreatSeverity,
    ThreatTarget,
    Timing,
    UnknownElement,
)

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
SLUG_MAX = 60
Slug = Annotated[str, Field(pattern=SLUG_PATTERN, max_length=SLUG_MAX)]


def suggest_id(text: Any) -> str | None:
    """An id the id rule accepts, made from ``text`` (a file name, a mistyped id), or None.

    'Ana Case' -> 'ana-case'. Whatever it returns passes :data:`Slug`'s own checks, so the
    loader never suggests an id it would then reject."""
    if not isinstance(text, str):
        return None
    slug = re.sub(r"[^a-z0-9_-]+", "-", text.strip().lower())
    slug = re.sub(r"^[^a-z0-9]+", "", slug)[:SLUG_MAX].rstrip("-_")
    return slug if slug and re.match(SLUG_PATTERN, slug) else None
Text = Annotated[str, Field(min_length=1, max_length=5000)]


class Strict(BaseModel):
    # defer_build: a kernel whose cases come validated from the shared cache
    # (npkit.casefile.cache) and that edits none never builds the validators (issue 16)
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True,
                              defer_build=True)


class SourceRef(Strict):
    """Where a story or a rule comes from."""

    source: Literal["fitzgerald2024", "asean_npp_study", "alsa2025", "npkit"] = Field(
        description="where it comes from: fitzgerald2024, asean_npp_study or alsa2025 "
        "(the three source documents), or npkit for a teaching variant npkit made up"
    )
    pinpoint: str = Field("", max_length=200, description="section or page, e.g. 'V.B.1'")

    @property
    def text(self) -> str:
        short = SOURCES[self.source].short
        return f"{short}, {self.pinpoint}" if self.pinpoint else short


TAG_RE = re.compile(r"^(act|means|purpose)\.([a-z_]+)$")


class Passage(Strict):
    """One passage of the story, told in our own words, with the trafficking elements in it."""

    text: Text
    tags: list[str] = Field(
        default_factory=list,
        description="elements this passage shows: 'act.<act>', 'means.<means>' or "
        "'purpose.<purpose>' (used by the element tagger)",
    )

    @field_validator("tags")
    @classmethod
    def _known_tags(cls, tags: list[str]) -> list[str]:
        vocab = {"act": Act, "means": Means, "purpose": Purpose}
        for tag in tags:
            m = TAG_RE.match(tag)
            if not m or m.group(2) not in vocab[m.group(1)].__members__:
                raise ValueError(
                    f"{tag!r} is not a known tag; write act.<act>, means.<means> or "
                    "purpose.<purpose> with the terms of the case format"
                )
        return tags


class Person(Strict):
    pseudonym: str = Field(max_length=80, description="a made-up or published first name only")
    age: int | None = Field(
        None, ge=0, le=120,
        description="established age at the time of the offences; leave out if unknown or "
        "not verified",
    )
    claimed_age: int | None = Field(
        None, ge=0, le=120,
        description="the age the person gives, not (yet) verified; while `age` is left out, "
        "the presumption model presumes them a child until their age is established",
    )


class Recruitment(Strict):
    method: RecruitmentMethod = Field(description="how the person was recruited")
    deceived_about: list[DeceivedAbout] = Field(
        default_factory=list, description="what they were deceived about"
    )
    knew_work_was_criminal: bool = Field(
        False, description="they knew before going that the work was crime (e.g. scamming)"
    )
    paid_own_travel: bool = Field(False, description="they paid their own way")
    age: int | None = Field(
        None, ge=0, le=120,
        description="established age when recruited for this period, if it differs from the "
        "age at the offences (a child when recruited needs no means)",
    )


class Threat(Strict):
    target: ThreatTarget = Field(description="who the threat is aimed at")
    severity: ThreatSeverity = Field(description="what harm is threatened")
    imminence: Imminence = Field(description="how close the threatened harm is")
    note: str = Field("", max_length=500)


class Escape(Strict):
    reasonable_opportunity: bool = Field(
        description="a reasonable (not heroic) chance to escape or seek help existed"
    )
    note: str = Field("", max_length=500)


class Contract(Strict):
    signed: bool = Field(description="the person signed an employment contract")
    requires_illegal_work: bool = Field(
        description="the contract (in truth) requires illegal work such as scamming"
    )


class Period(Strict):
    """One stint in the trafficking situation. Sarah has two; most cases have one."""

    id: Slug
    label: str = Field("", max_length=120)
    recruitment: Recruitment
    acts: list[Act] = Field(default_factory=list, description="trafficking acts in this period")
    means: list[Means] = Field(default_factory=list, description="means used in this period")
    purposes: list[Purpose] = Field(
        default_factory=list, description="the exploitation the person was held for"
    )
    threats: list[Threat] = Field(default_factory=list)
    escape: Escape
    voluntary_association: bool = Field(
        False,
        description="the person knowingly joined people who might compel them to offend",
    )
    informed_consent: bool = Field(
        False,
        description="they freely agreed to the work and its conditions, knowing both "
        "(consent that no means has nullified)",
    )
    rewards: Rewards = Field(
        Rewards.none,
        description="whether rewards (pay, privileges, promotion) drove compliance, instead of "
        "coercion or alongside it (the old yes/no field `rewarded_rather_than_coerced: true` is "
        "read as `instead_of_coercion`)",
    )
    unknown: list[UnknownElement] = Field(
        default_factory=list,
        description="elements the facts leave open: unknown is not 'no' (an empty `means:` list "
        "says no means was used; `unknown: [means]` says nobody knows yet)",
    )
    returned_after_rescue: bool = Field(
        False, description="they went back of their own accord after an earlier rescue"
    )
    contract: Contract | None = None

    @model_validator(mode="before")
    @classmethod
    def _old_rewards_field(cls, data: Any) -> Any:
        """Read the old yes/no ``rewarded_rather_than_coerced`` (before issue 11) as ``rewards``:
        true is ``instead_of_coercion``; false clears only that value."""
        if isinstance(data, dict) and OLD_REWARDS_FIELD in data:
            data = dict(data)
            old = data.pop(OLD_REWARDS_FIELD)
            if old is True:
                data["rewards"] = "instead_of_coercion"
            elif old is False:
                if data.get("rewards") == "instead_of_coercion":
                    data["rewards"] = "none"
            else:
                raise ValueError(f"{OLD_REWARDS_FIELD}: {old!r} is not true or false (the new "
                                 "form is rewards: none, instead_of_coercion or "
                                 "alongside_coercion)")
        return data

    @model_validator(mode="after")
    def _unknown_or_listed(self) -> Period:
        for element in self.unknown:
            if getattr(self, element):
                raise ValueError(
                    f"unknown: names {element!r}, but {element} are listed; an element is "
                    f"either listed or unknown (remove one)")
        return self

    @property
    def rewarded_rather_than_coerced(self) -> bool:
        """The old single fact, for readers written before issue 11."""
        return self.rewards == Rewards.instead_of_coercion


OLD_REWARDS_FIELD = "rewarded_rather_than_coerced"


class Offence(Strict):
    id: Slug
    charge: str = Field(max_length=200, description="the charge as the prosecutor words it")
    type: OffenceType
    category: OffenceCategory = Field(description="Fitzgerald 2024 IV.C's three categories")
    period: Slug = Field(description="id of the period the offence was committed in")
    committed: Timing = Field(Timing.during, description="when, relative to the trafficking")
    ordered_by_trafficker: bool = Field(
        False, description="the traffickers ordered or required this act"
    )
    connected_to_exploited_work: bool = Field(
        True, description="the act is part of the work the person was exploited for"
    )
    but_for_trafficking: bool = Field(
        True, description="it would not have happened but for the trafficking situation"
    )
    harm: Harm = Field(description="the harm the offence caused")
    harmed_other_victims: bool = Field(
        False, description="the act harmed other trafficked people (e.g. recruiting, guarding "
        "or beating newcomers)",
    )


class Identification(Strict):
    status: IdentificationStatus
    by: str = Field("", max_length=200, description="who identified (or failed to)")


class Proceedings(Strict):
    stage: Stage
    framed_as_labour_dispute: bool = Field(
        False, description="authorities call it a contract or labour dispute"
    )
    jurisdiction: str | None = Field(
        None, pattern=r"^[A-Z]{2}$", description="ISO code of the state prosecuting, if any"
    )


# The groups of findings an ``expected:`` key or a question may name (besides ``victim``).
QUESTION_GROUPS = ("duress", "models", "jurisdictions")


def expected_grammar() -> dict[str, tuple[str, ...] | tuple[bool, ...]]:
    """Every key an ``expected:`` block takes, with the values it allows, as the rule registry
    has them: ``victim.outcome``, ``<rule id>.outcome`` for each duress variant, model and
    state, and ``duress.<variant>.conditions.<condition>`` (true or false)."""
    grammar: dict[str, tuple[str, ...] | tuple[bool, ...]] = {
        "victim.outcome": registry.outcomes("victim")}
    for group in QUESTION_GROUPS:
        for rule_id in registry.ids(group):
            grammar[f"{rule_id}.outcome"] = registry.outcomes(rule_id)
            if group == "duress":
                for name in registry.conditions(rule_id.split(".", 1)[1]):
                    grammar[f"{rule_id}.conditions.{name}"] = (True, False)
    return grammar


def question_paths() -> tuple[str, ...]:
    """The findings a question of kind outcome may ask about: ``victim`` and every rule id of
    the question groups."""
    return ("victim", *(i for g in QUESTION_GROUPS for i in registry.ids(g)))


def _did_you_mean(word: str, known: Iterable[str]) -> str:
    import difflib  # only for a mistake in a file being validated (issue 16)

    close = difflib.get_close_matches(word, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


class Question(Strict):
    """A question a trainer asks the room about this case (workshop mode). The answer key is
    derived from npkit's assessment, never typed here."""

    id: Slug = Field(description="a short name for the question, unique in this case file")
    prompt: str = Field(min_length=1, max_length=300, description="the question, as asked")
    kind: Literal["outcome", "which", "free_text"] = Field(
        "outcome",
        description="outcome: one outcome npkit reports (give `path`); which: every test in a "
        "group with a given outcome (give `group` and `outcome`); free_text: an open 'why?'",
    )
    path: str | None = Field(
        None, description="for kind outcome: `victim` or a rule id as `npkit rule --list` "
        "shows it, e.g. 'duress.england_wales', 'models.causation' or 'jurisdictions.TH'",
    )
    group: Literal["duress", "models", "jurisdictions"] | None = Field(
        None, description="for kind which: the group the answer is drawn from")
    outcome: str | None = Field(
        None, description="for kind which: the outcome asked about, e.g. 'protected'")

    @field_validator("path")
    @classmethod
    def _known_path(cls, path: str | None) -> str | None:
        if path is not None and path not in question_paths():
            raise ValueError(
                f"{path!r} is not an outcome npkit reports{_did_you_mean(path, question_paths())}"
                " (a path is 'victim' or a rule id such as 'duress.england_wales', "
                "'models.causation' or 'jurisdictions.TH'; `npkit rule --list` lists them)")
        return path

    @model_validator(mode="after")
    def _shape(self) -> Question:
        if self.kind == "outcome":
            if not self.path:
                raise ValueError(
                    f"question {self.id!r}: kind outcome needs a path such as "
                    "'duress.england_wales', 'models.causation' or 'jurisdictions.TH'")
        elif self.kind == "which":
            allowed = registry.group_outcomes(self.group) if self.group else ()
            if not self.group or self.outcome not in allowed:
                raise ValueError(
                    f"question {self.id!r}: kind which needs a group (duress, models, "
                    f"jurisdictions) and an outcome of that group ({', '.join(allowed)})")
        return self


# Outcomes a source can conclude that no single key of 'npkit assess' reports. The golden test
# checks each against the engine as its comment says.
SOURCE_ONLY_KEYS: dict[str, tuple[str, ...]] = {
    # the non-punishment principle, as a principle, protects the person: at least one of the
    # non-punishment models npkit applies protects (not_protected: none does)
    "non_punishment.outcome": ("protected", "not_protected"),
}
EXPECTED_PARTS = ("source", "npkit")


def _check_outcomes(outcomes: Any, where: str, *, source_only: bool = False) -> None:
    if not isinstance(outcomes, dict) or not outcomes:
        raise ValueError(f"{where} must be a section of 'key: value' outcome lines")
    grammar = expected_grammar()
    for key, value in outcomes.items():
        if source_only and key in SOURCE_ONLY_KEYS:
            allowed: tuple[Any, ...] = SOURCE_ONLY_KEYS[key]
        elif key in grammar:
            allowed = grammar[key]
        else:
            raise ValueError(f"{key!r} is not an outcome key that 'npkit assess' reports"
                             f"{_did_you_mean(str(key), grammar)}")
        if value not in allowed or type(value) is not type(allowed[0]):
            raise ValueError(f"{key}: {value!r} is not one of {', '.join(map(str, allowed))}")


def _check_split(expected: dict[str, Any]) -> None:
    """``expected: {source: {citation, outcomes, pinpoints}, npkit: {outcomes, note}}``."""
    for part in expected:
        if part not in EXPECTED_PARTS:
            raise ValueError(f"{part!r}: a split expected block holds only 'source:' (what the "
                             "source concludes) and 'npkit:' (npkit's application)")
    source, npkit = expected.get("source"), expected.get("npkit")
    if source is not None:
        if not isinstance(source, dict):
            raise ValueError("'source' must be a section with citation and outcomes")
        for key in source:
            if key not in ("citation", "outcomes", "pinpoints"):
                raise ValueError(f"{key!r}: the source part takes citation, outcomes and "
                                 "pinpoints")
        if "citation" not in source:
            raise ValueError("'source' needs a citation, e.g. {source: fitzgerald2024, "
                             "pinpoint: 'V.B.1'}")
        try:
            cite = SourceRef.model_validate(source["citation"])
        except ValidationError as exc:
            raise ValueError("'source: citation' must be written like the case's source, "
                             "e.g. {source: fitzgerald2024, pinpoint: 'V.B.1'}: "
                             f"{exc.errors()[0]['msg']}") from None
        if cite.source == "npkit":
            raise ValueError("'source' is for what a source document concludes; put npkit's "
                             "own outcomes under 'npkit'")
        _check_outcomes(source.get("outcomes"), "'source: outcomes'", source_only=True)
        pinpoints = source.get("pinpoints") or {}
        if not isinstance(pinpoints, dict):
            raise ValueError("'pinpoints' must be 'key: pinpoint' lines")
        for key, pin in pinpoints.items():
            if key not in source["outcomes"]:
                raise ValueError(f"pinpoint for {key!r}, which the source part does not list")
            if not isinstance(pin, str) or not pin.strip():
                raise ValueError(f"pinpoint for {key!r} must be text such as 'V.B.1'")
        if not cite.pinpoint and set(pinpoints) != set(source["outcomes"]):
            raise ValueError("every outcome the source concludes needs a pinpoint: give one "
                             "in the citation or one per outcome under 'pinpoints'")
    if npkit is not None:
        if not isinstance(npkit, dict):
            raise ValueError("'npkit' must be a section with outcomes")
        for key in npkit:
            if key not in ("outcomes", "note"):
                raise ValueError(f"{key!r}: the npkit part takes outcomes and note")
        _check_outcomes(npkit.get("outcomes"), "'npkit: outcomes'")
        if source is not None:
            both = set(source["outcomes"]) & set(npkit["outcomes"])
            if both:
                raise ValueError(f"{sorted(both)[0]!r} is under both 'source' and 'npkit': "
                                 "an outcome is either the source's or npkit's")


def is_split(expected: dict[str, Any]) -> bool:
    return any(k in EXPECTED_PARTS for k in expected)


# The fields a learner reads: each may be translated in a language overlay next to the English
# (``th:``, see npkit.i18n.content); every other field (ids, facts, tags, sources, outcomes)
# stays as written. ``note`` is also the note of ``expected: npkit:``.
TEXT_FIELDS = ("title", "lesson", "pseudonym", "text", "label", "note", "charge", "by",
               "prompt")


class Case(Strict):
    """A training scenario."""

    id: Slug
    title: str = Field(max_length=120)
    lesson: str = Field(max_length=500, description="the one thing this case teaches")
    source: SourceRef = Field(description="where the story comes from")
    person: Person
    narrative: list[Passage] = Field(min_length=1, description="the story, in our own words")
    periods: list[Period] = Field(min_length=1)
    offences: list[Offence] = Field(min_length=1, description="the first is the principal charge")
    identification: Identification
    proceedings: Proceedings
    expected: dict[str, Any] = Field(
        default_factory=dict,
        description="the outcomes this case should reach, as JSON keys of 'npkit assess' "
        "(e.g. 'models.causation.outcome: protected'), either as plain lines (npkit's "
        "application, for a case npkit made up) or split into 'source:' (what a source "
        "concludes, with pinpoints) and 'npkit:' (npkit's application); the tests check them",
    )
    expected_source: SourceRef | None = None
    questions: list[Question] = Field(
        default_factory=list,
        description="questions for the room in workshop mode; answers come from npkit",
    )

    @field_validator("expected")
    @classmethod
    def _expected_keys(cls, expected: dict[str, Any]) -> dict[str, Any]:
        if is_split(expected):
            _check_split(expected)
        elif expected:
            _check_outcomes(expected, "expected")
        return expected

    @model_validator(mode="after")
    def _expected_attribution(self) -> Case:
        if not is_split(self.expected):
            credited = self.expected_source or self.source
            if self.expected and credited.source != "npkit":
                raise ValueError(
                    "expected: a case told from a source document splits its outcomes into "
                    "'source:' (what the source concludes) and 'npkit:' (npkit's application)")
        elif self.expected_source is not None:
            raise ValueError("expected_source: with a split expected block, give the "
                             "citation under 'expected: source: citation'")
        return self

    @property
    def source_conclusions(self) -> dict[str, str | bool]:
        """What the source itself concludes for this case (may include source-only keys)."""
        part = self.expected.get("source") if is_split(self.expected) else None
        return dict(part["outcomes"]) if part else {}

    @property
    def source_citation(self) -> SourceRef | None:
        part = self.expected.get("source") if is_split(self.expected) else None
        return SourceRef.model_validate(part["citation"]) if part else None

    def source_pinpoint(self, key: str) -> str:
        """The pinpoint of one outcome the source concludes."""
        part = self.expected["source"]
        return (part.get("pinpoints") or {}).get(key) or part["citation"].get("pinpoint", "")

    @property
    def npkit_outcomes(self) -> dict[str, str | bool]:
        """Outcomes that are npkit's application of its rules, not a source's conclusion."""
        if not is_split(self.expected):
            return dict(self.expected)
        part = self.expected.get("npkit")
        return dict(part["outcomes"]) if part else {}

    @property
    def expected_outcomes(self) -> dict[str, str | bool]:
        """Every expected value keyed as 'npkit assess' reports it (source and npkit alike)."""
        source = {k: v for k, v in self.source_conclusions.items() if k not in SOURCE_ONLY_KEYS}
        return {**source, **self.npkit_outcomes}

    @model_validator(mode="after")
    def _references(self) -> Case:
        ids = [p.id for p in self.periods]
        if len(set(ids)) != len(ids):
            raise ValueError(f"period ids must be unique, got {ids}")
        for o in self.offences:
            if o.period not in ids:
                raise ValueError(
                    f"offence {o.id!r} names period {o.period!r}; the periods are {ids}"
                )
        qids = [q.id for q in self.questions]
        if len(set(qids)) != len(qids):
            raise ValueError(f"question ids must be unique, got {qids}")
        oids = [o.id for o in self.offences]
        if len(set(oids)) != len(oids):
            raise ValueError(f"offence ids must be unique, got {oids}")
        return self

    def period(self, period_id: str) -> Period:
        return next(p for p in self.periods if p.id == period_id)

    def offence(self, offence_id: str | None = None) -> Offence:
        if offence_id is None:
            return self.offences[0]
        for o in self.offences:
            if o.id == offence_id:
                return o
        raise KeyError(f"case {self.id!r} has no offence {offence_id!r}; its offences: "
                       + ", ".join(o.id for o in self.offences))
