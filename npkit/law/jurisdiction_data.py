"""Reference data: ASEAN jurisdictions, international instruments and the ASEAN study's
26 recommendations.

The rows live in ``npkit/law/data/*.yaml`` and are paraphrased from the seed sources only
(the ASEAN NPP study and Fitzgerald 2024); npkit has not checked any statute text. Each
jurisdiction and instrument row carries its sources, a confidence mark, the date it was
last checked and what it was checked against. Where a value is npkit's own mapping of the
source's words (for example "immigration offences" -> ``illegal_entry`` and ``overstay``),
the row's confidence is ``npkit_reading`` and ``readings`` says which value it is. Law that
none of the seeds states (a statute npkit knows from elsewhere) is listed as a source with
``source: outside`` and an ``authority``: its citation is always marked ``outside_sources``
("verify before use"), whatever the row's confidence.

Loading is cached and cheap (PyYAML + pydantic only)::

    from npkit.law.jurisdiction_data import jurisdictions, instruments, recommendations
    jurisdictions()["TH"].covers("fraud")  # False: Thailand's list is closed

A row's text may carry a ``th:`` overlay (:mod:`npkit.law.translated`): ``jurisdictions("th")``
gives the rows a Thai page shows, with only the text fields (``JURISDICTION_TEXT``,
``INSTRUMENT_TEXT``) replaced. The engine reads the English rows (no ``lang``).
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from npkit.datacache import shared_data
from npkit.i18n import content
from npkit.law.citations import SOURCES, Citation, Confidence, known_source, outside, reading
from npkit.law.translated import ENGLISH, localized
from npkit.law.vocabulary import OffenceType, Stage

__all__ = [
    "ANY",
    "ASEAN_CODES",
    "INSTRUMENT_TEXT",
    "JURISDICTION_TEXT",
    "Instrument",
    "Jurisdiction",
    "Recommendation",
    "SourceRef",
    "instruments",
    "jurisdictions",
    "recommendations",
]

ASEAN_CODES = ("BN", "ID", "KH", "LA", "MM", "MY", "PH", "SG", "TH", "VN")

JurisdictionModel = Literal["causation", "compulsion_strict", "closed_list", "none"]
InstrumentModel = Literal[
    "causation", "compulsion_broad", "compulsion_strict", "closed_list", "none"
]
JurisdictionDiscretion = Literal["none", "ministerial_permission", "shall_consider"]
InstrumentDiscretion = Literal["none", "shall_consider", "entitled"]
InstrumentKind = Literal["soft_law", "treaty", "eu_law", "case_law"]

_SEED_SOURCES = frozenset(k for k in SOURCES if k not in ("npkit", "outside"))

# The fields a learner reads, which a translation replaces; ids, models, offence terms,
# provisions (the statute as cited), sources and pinpoints stay as the sources give them.
JURISDICTION_TEXT = ("name", "coverage_note", "summary", "readings", "notes", "checked_against")
INSTRUMENT_TEXT = (*JURISDICTION_TEXT, "binding_note", "applies_only_to")


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class SourceRef(_Row):
    """A seed source and a pinpoint in it (section heading or section number)."""

    source: str
    pinpoint: str = Field(min_length=1, max_length=200)
    authority: str = Field("", max_length=300, description="statute or case the source discusses")

    @field_validator("source")
    @classmethod
    def _known_source(cls, v: str) -> str:
        return known_source(v)

    @model_validator(mode="after")
    def _outside_names_its_law(self):
        if self.source == "outside" and not self.authority:
            raise ValueError("a source from outside the seeds must name its authority")
        return self

    def citation(self, confidence: Confidence) -> Citation:
        """The citation, carrying the row's ``confidence``; outside law and npkit's own
        readings keep their fixed marks."""
        if self.source == "outside":
            return outside(self.authority, self.pinpoint)
        if self.source == "npkit":
            return reading(self.pinpoint)
        return Citation(self.source, self.pinpoint, Confidence(confidence), self.authority)


ANY = "any"


def _check_offences(v: Any) -> Any:
    """``"any"`` (alone or as a one-item list) becomes ``("any",)``; otherwise OffenceType terms."""
    if v == ANY or (isinstance(v, list | tuple) and ANY in v):
        if v not in (ANY, [ANY], (ANY,)):
            raise ValueError('"any" cannot be combined with other offence types')
        return (ANY,)
    if isinstance(v, str):
        raise ValueError('offences_covered must be a list of OffenceType terms or "any"')
    bad = [o for o in v if o not in OffenceType.__members__]
    if bad:
        raise ValueError(f"unknown OffenceType terms {bad}; known: {list(OffenceType.__members__)}")
    if len(set(v)) != len(v):
        raise ValueError("offences_covered lists a term twice")
    return v


class _Sourced(_Row):
    """Fields shared by jurisdiction and instrument rows."""

    name: str = Field(min_length=1)
    model: str
    discretion: str
    offences_covered: tuple[str, ...] = Field(
        description='OffenceType terms, or ("any",) when no offence list limits the provision'
    )
    coverage_note: str = ""
    summary: str = Field(min_length=1)
    sources: tuple[SourceRef, ...] = Field(min_length=1)
    confidence: Confidence
    readings: tuple[str, ...] = ()
    last_checked: dt.date
    checked_against: str = Field(min_length=1)
    notes: str = ""

    @field_validator("offences_covered", mode="before")
    @classmethod
    def _known_offences(cls, v: Any) -> Any:
        return _check_offences(v)

    @model_validator(mode="after")
    def _sources_and_readings(self):
        if not any(s.source in _SEED_SOURCES for s in self.sources):
            raise ValueError(f"{self.name}: needs at least one seed source")
        if self.readings and self.confidence is not Confidence.NPKIT_READING:
            raise ValueError(f"{self.name}: has readings, so confidence must be npkit_reading")
        if self.confidence is Confidence.NPKIT_READING and not self.readings:
            raise ValueError(f"{self.name}: npkit_reading needs `readings` saying what it reads")
        if self.confidence is Confidence.OUTSIDE_SOURCES:
            raise ValueError(f"{self.name}: mark law from outside the seeds on the source "
                             "(source: outside, with its authority), not on the whole row")
        return self

    @property
    def citations(self) -> list[Citation]:
        """The row's sources as citations, each carrying the row's confidence."""
        return [s.citation(self.confidence) for s in self.sources]

    @property
    def covers_any(self) -> bool:
        return ANY in self.offences_covered

    def covers(self, offence_type: str) -> bool:
        """Whether the offence type is within the row's listed scope (not whether it applies)."""
        return self.covers_any or offence_type in self.offences_covered


class Jurisdiction(_Sourced):
    """An ASEAN Member State's non-punishment provision, as the seed sources report it."""

    code: str = Field(pattern=r"^[A-Z]{2}$")
    has_provision: bool
    provision: str = Field("", description="statute as the sources name it; '' if they name none")
    model: JurisdictionModel
    obedience_to_order: bool = False
    obedience_source: SourceRef | None = Field(
        None, description="where the obedience-to-order route is stated (required with it)")
    discretion: JurisdictionDiscretion

    @property
    def obedience_citation(self) -> Citation | None:
        """The citation of the obedience-to-order route, with the row's confidence."""
        return self.obedience_source.citation(self.confidence) if self.obedience_source else None

    @model_validator(mode="after")
    def _consistent(self):
        if not self.has_provision:
            if self.model != "none" or self.offences_covered:
                raise ValueError(f"{self.code}: no provision, so model none and no offences")
            if self.provision or self.obedience_to_order or self.discretion != "none":
                raise ValueError(f"{self.code}: no provision, but provision details are given")
        elif self.model == "none" or not self.offences_covered:
            raise ValueError(f"{self.code}: has a provision, so needs a model and offences")
        if self.obedience_to_order != (self.obedience_source is not None):
            raise ValueError(f"{self.code}: obedience_to_order and obedience_source go together")
        return self


class Instrument(_Sourced):
    """An international or regional instrument (or judgment) on non-punishment."""

    id: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: InstrumentKind
    provision: str = Field(min_length=1)
    year: int | None = Field(None, description="year adopted or decided; None if not in sources")
    binding: bool
    binding_note: str = Field(min_length=1)
    model: InstrumentModel
    requires_forced_labour: bool = False
    discretion: InstrumentDiscretion
    applies_only_to: str = Field(
        "", max_length=80, description="a status the person must have, e.g. 'refugees'; "
        "npkit's case format does not record it, so the outcome is conditional"
    )


class Recommendation(_Row):
    """One of the ASEAN NPP study's 26 recommendations."""

    number: int = Field(ge=1, le=26)
    stage: str
    title: str = Field(min_length=1, max_length=120)
    text: str = Field(min_length=1)
    source: SourceRef
    confidence: Confidence = Confidence.VERIFIED

    @field_validator("stage")
    @classmethod
    def _known_stage(cls, v: str) -> str:
        if v not in Stage.__members__:
            raise ValueError(f"unknown Stage {v!r}; known: {list(Stage.__members__)}")
        return v

    @property
    def citations(self) -> list[Citation]:
        return [self.source.citation(self.confidence)]


RECOMMENDATION_TEXT = ("title", "text")  # what a translation may change


def _file(name: str):
    return resources.files("npkit.law").joinpath("data", name)


def _load(name: str, lang: str = ENGLISH, text: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    import yaml  # only when the shared cache has no entry (issue 16)

    raw = _file(name).read_text(encoding="utf-8")
    # libyaml's parser when PyYAML has it: the same data, several times faster
    data = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not isinstance(data, list):
        raise ValueError(f"npkit/law/data/{name}: expected a list of rows")
    return [localized(row, lang, text, where=f"npkit/law/data/{name}[{i}]")
            for i, row in enumerate(data)]


def _unique(keys: list[Any], what: str) -> None:
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    if dupes:
        raise ValueError(f"duplicate {what}: {dupes}")


# Each kernel would read and check the same rows: they are checked once and shared
# (npkit.datacache, keyed by the file's content and npkit's code).
@cache
def _jurisdictions(lang: str = ENGLISH) -> tuple[Jurisdiction, ...]:
    return shared_data(f"law-jurisdictions-{lang}", [_file("jurisdictions.yaml")],
                       lambda: _read_jurisdictions(lang), tuple)


def _read_jurisdictions(lang: str) -> tuple[Jurisdiction, ...]:
    rows = [Jurisdiction.model_validate(r)
            for r in _load("jurisdictions.yaml", lang, JURISDICTION_TEXT)]
    _unique([r.code for r in rows], "jurisdiction codes")
    return tuple(sorted(rows, key=lambda r: r.code))


@cache
def _instruments(lang: str = ENGLISH) -> tuple[Instrument, ...]:
    return shared_data(f"law-instruments-{lang}", [_file("instruments.yaml")],
                       lambda: _read_instruments(lang), tuple)


def _read_instruments(lang: str) -> tuple[Instrument, ...]:
    rows = [Instrument.model_validate(r) for r in _load("instruments.yaml", lang, INSTRUMENT_TEXT)]
    _unique([r.id for r in rows], "instrument ids")
    return tuple(rows)


@cache
def _recommendations(lang: str) -> tuple[Recommendation, ...]:
    return shared_data(f"law-recommendations-{lang}", [_file("recommendations.yaml")],
                       lambda: _read_recommendations(lang), tuple)


def _read_recommendations(lang: str) -> tuple[Recommendation, ...]:
    raw = _load("recommendations.yaml", lang, RECOMMENDATION_TEXT)
    rows = [Recommendation.model_validate(r) for r in raw]
    _unique([r.number for r in rows], "recommendation numbers")
    return tuple(sorted(rows, key=lambda r: r.number))


def jurisdictions(lang: str = ENGLISH) -> dict[str, Jurisdiction]:
    """ASEAN Member States by ISO code, ordered by code; their text in ``lang`` (a page's
    language; the engine passes none)."""
    return {r.code: r for r in _jurisdictions(lang)}


def instruments(lang: str = ENGLISH) -> dict[str, Instrument]:
    """International and regional instruments by id, in file order; text in ``lang``."""
    return {r.id: r for r in _instruments(lang)}


def recommendations(lang: str = content.DEFAULT) -> list[Recommendation]:
    """The ASEAN study's 26 recommendations, ordered by number, their titles and texts in
    ``lang`` (the ``th:`` overlays of recommendations.yaml). The law layer knows no current
    language: a page passes its own."""
    return list(_recommendations(lang))
