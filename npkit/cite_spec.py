"""The citation schema of npkit's data files: ``cite:`` entries as pydantic models.

One schema for every YAML file that carries teaching or legal text beside its sources (the
notes, npkit/law/data/notes.yaml; the course content, npkit/course/data/), so that the same
rules reach all of them: a known source, a confidence mark the source can carry
(:class:`npkit.law.citations.Citation` refuses the rest), and, for course content, a citation
a reader can follow (:class:`FollowableCite`).

    - source: fitzgerald2024      # fitzgerald2024 | asean_npp_study | alsa2025 | npkit | outside
      pinpoint: IV.D
      confidence: verified        # verified | secondary | npkit_reading | outside_sources
      authority: ...              # optional: the statute or judgment the source discusses
"""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from npkit.law.citations import Citation, Confidence, known_source

__all__ = ["PINPOINT_CHECK", "WHOLE_TEXT_SOURCES", "CiteSpec", "FollowableCite", "PinpointCheck"]

# The ALSA 2025 abstract is one paragraph (about 320 words): it has nothing to pinpoint.
WHOLE_TEXT_SOURCES = frozenset({"alsa2025"})

# (source, pinpoint) -> why the pinpoint is not in the source, or "" when it is. The seeds are
# not shipped with npkit, so a loader checks pinpoints only when it is given such a check in its
# validation context under this key: the course content and parameter loaders give
# npkit.law.pinpoints.pinpoint_problem (its lists are checked against the seeds by the tests).
PinpointCheck = Callable[[str, str], str]
PINPOINT_CHECK = "pinpoint_check"


class CiteSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    source: str
    pinpoint: str = Field("", max_length=200)
    confidence: Confidence
    authority: str = Field("", max_length=300)

    @field_validator("source")
    @classmethod
    def _known_source(cls, v: str) -> str:
        return known_source(v)

    @model_validator(mode="after")
    def _valid_citation(self):
        self.citation()  # Citation refuses a mark its source cannot carry
        return self

    def citation(self) -> Citation:
        return Citation(self.source, self.pinpoint.strip(), self.confidence, self.authority)


class FollowableCite(CiteSpec):
    """A citation a reader can follow: a pinpoint in its source (unless the source is too
    short to need one), law from outside the sources named by its statute or judgment, and,
    when the validation context holds a :data:`PINPOINT_CHECK`, a pinpoint the seed has."""

    pinpoint: str = Field("", max_length=200, validate_default=True)

    @field_validator("pinpoint")
    @classmethod
    def _pinpoint_in_source(cls, v: str, info: ValidationInfo) -> str:
        source = info.data.get("source")
        if source is None or source == "outside":
            return v
        if not v.strip():
            if source in WHOLE_TEXT_SOURCES:
                return v
            raise ValueError(f"a citation of {source} needs a pinpoint (a section or heading)")
        check = (info.context or {}).get(PINPOINT_CHECK)
        problem = check(source, " ".join(v.split())) if check is not None else ""
        if problem:
            raise ValueError(problem)
        return v

    @model_validator(mode="after")
    def _outside_law_is_named(self):
        if self.source == "outside" and not self.authority.strip():
            raise ValueError("law from outside the sources needs an authority: name the "
                             "statute or judgment")
        return self
