"""Sources and citation objects carried by every finding.

Each rule in npkit cites one of the three seed documents (with a pinpoint) and, where the
source discusses a named authority (a statute or a judgment), names it too. The confidence
mark says how close npkit stays to the source:

- ``verified``: the source states the rule; npkit paraphrases it.
- ``secondary``: the source reports another text (a statute, a judgment); npkit has not
  checked that text itself.
- ``npkit_reading``: npkit's own interpretation where the source gives no test. The output
  says "npkit's reading" wherever this mark appears.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Confidence(StrEnum):
    VERIFIED = "verified"
    SECONDARY = "secondary"
    NPKIT_READING = "npkit_reading"

    @property
    def label(self) -> str:
        return {
            "verified": "stated in the source",
            "secondary": "reported by the source (primary text not checked by npkit)",
            "npkit_reading": "npkit's reading",
        }[self.value]


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
    )
}


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a rule comes from: a seed source, a pinpoint in it, and an optional authority."""

    source: str
    pinpoint: str = ""
    confidence: Confidence = Confidence.VERIFIED
    authority: str = ""

    def __post_init__(self) -> None:
        if self.source not in SOURCES:
            raise ValueError(f"unknown source {self.source!r}; known: {sorted(SOURCES)}")

    def __str__(self) -> str:
        parts = [SOURCES[self.source].short]
        if self.pinpoint:
            parts[0] += f", {self.pinpoint}"
        if self.authority:
            parts.append(f"discussing {self.authority}")
        if self.confidence is Confidence.NPKIT_READING:
            parts.append("npkit's reading")
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
