"""Sources and citation objects carried by every finding.

Each rule in npkit cites one of the three seed documents (with a pinpoint) and, where the
source discusses a named authority (a statute or a judgment), names it too. The confidence
mark says how close npkit stays to the source:

- ``verified``: the source states the rule; npkit paraphrases it.
- ``secondary``: the source reports another text (a statute, a judgment); npkit has not
  checked that text itself.
- ``npkit_reading``: npkit's own interpretation where the source gives no test. The output
  says "npkit's reading" wherever this mark appears.
- ``outside_sources``: law that none of the three sources states (a statute section, a
  judgment, an age limit npkit knows from elsewhere). The output says "from outside npkit's
  sources: verify before use" wherever this mark appears.

The marks are kept apart on purpose: a reading interprets what a source says; outside law is
something no source says at all, and the user must check it before relying on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Confidence(StrEnum):
    VERIFIED = "verified"
    SECONDARY = "secondary"
    NPKIT_READING = "npkit_reading"
    OUTSIDE_SOURCES = "outside_sources"

    @property
    def label(self) -> str:
        return {
            "verified": "stated in the source",
            "secondary": "reported by the source (primary text not checked by npkit)",
            "npkit_reading": "npkit's reading",
            "outside_sources": OUTSIDE_MARK,
        }[self.value]

    @property
    def is_caveat(self) -> bool:
        """True for the marks a user must see beside the outcome that rests on them."""
        return self in (Confidence.NPKIT_READING, Confidence.OUTSIDE_SOURCES)


OUTSIDE_MARK = "from outside npkit's sources: verify before use"


@dataclass(frozen=True, slots=True)
class Source:
    key: str
    short: str
    title: str


SOURCES: dict[str, Source] = {
    s.key: s
    for s in (
        Source(
            "fitzgerald2024",
            "Fitzgerald 2024",
            'M. Fitzgerald, "Protecting Forced Offenders: Applying the Non-Punishment '
            'Principle to Victims of Trafficking into Scam Centres", Thai Legal Studies '
            "4(2) (2024) 162-194",
        ),
        Source(
            "asean_npp_study",
            "ASEAN NPP study",
            "Regional study of non-punishment principle law, policy and practice in ASEAN "
            "Member States (12 roundtables, 6 countries, 196 participants; 26 recommendations)",
        ),
        Source(
            "alsa2025",
            "ALSA 2025 abstract",
            'Abstract, ALSA 2025 meeting (CUHK): "The Non-Criminalization Principle in Human '
            'Trafficking" - duress, causation and presumption models and a proposed '
            "Dual-Factor Model",
        ),
        Source("npkit", "npkit", "npkit's own reading, where the sources give no test"),
        Source("outside", "outside npkit's sources",
               "Law that none of npkit's three sources states: verify before use"),
    )
}
# A source that is not a document fixes its own mark.
_FIXED_MARK = {"npkit": Confidence.NPKIT_READING, "outside": Confidence.OUTSIDE_SOURCES}


def known_source(key: str) -> str:
    """``key`` when it names a source; otherwise a ValueError that lists them (the data
    loaders' validators say the same)."""
    if key not in SOURCES:
        raise ValueError(f"unknown source {key!r}; known: {sorted(SOURCES)}")
    return key


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule comes from: a seed source, a pinpoint in it, and an optional authority."""

    source: str
    pinpoint: str = ""
    confidence: Confidence = Confidence.VERIFIED
    authority: str = ""

    def __post_init__(self) -> None:
        known_source(self.source)
        fixed = _FIXED_MARK.get(self.source)
        if fixed is not None and self.confidence is not fixed:
            raise ValueError(f"a citation of {self.source!r} is always {fixed.value}")
        if self.confidence is Confidence.OUTSIDE_SOURCES and self.source != "outside":
            raise ValueError("outside_sources marks law no seed states: cite it with outside()")

    def __str__(self) -> str:
        parts = [SOURCES[self.source].short]
        if self.pinpoint:
            parts[0] += f", {self.pinpoint}"
        if self.authority:
            parts.append(f"discussing {self.authority}")
        if self.confidence is Confidence.NPKIT_READING:
            parts.append("npkit's reading")
        elif self.confidence is Confidence.OUTSIDE_SOURCES:
            parts = [self.authority or self.pinpoint or "law", OUTSIDE_MARK]
        return "; ".join(parts)

    def to_dict(self) -> dict[str, str]:
        return {
            "source": self.source,
            "title": SOURCES[self.source].title,
            "pinpoint": self.pinpoint,
            "authority": self.authority,
            "confidence": self.confidence.value,
            "text": str(self),
        }


# Headings of the ASEAN NPP study used as pinpoints (the study text has no page numbers).
DOMESTIC_LAW = "Sources of the non-punishment principle: Domestic law and policy"
IDENTIFICATION = "Victim identification challenges"


def fitz(pinpoint: str, authority: str = "", confidence: Confidence = Confidence.VERIFIED):
    return Citation("fitzgerald2024", pinpoint, confidence, authority)


def asean(pinpoint: str, authority: str = "", confidence: Confidence = Confidence.VERIFIED):
    return Citation("asean_npp_study", pinpoint, confidence, authority)


def alsa(pinpoint: str = "", confidence: Confidence = Confidence.VERIFIED):
    return Citation("alsa2025", pinpoint, confidence)


def reading(note: str) -> Citation:
    """npkit's own interpretation; ``note`` says what it interprets."""
    return Citation("npkit", note, Confidence.NPKIT_READING)


def outside(authority: str, note: str = "") -> Citation:
    """Law from outside the three sources (``authority``: the statute or judgment, as npkit
    knows it); ``note`` says what npkit uses it for. Always shown with "verify before use"."""
    return Citation("outside", note, Confidence.OUTSIDE_SOURCES, authority)
