"""The places in the three seed texts a citation may point to, so that a data file can be
refused when it cites a section the source does not have.

The seeds themselves are not shipped with npkit; these lists are taken from their headings and
``tests/test_pinpoints.py`` checks them against the seed texts wherever the seeds are present.

- Fitzgerald 2024: section numbers as npkit cites them (``II.A.1``, ``V.B``); several may be
  joined with ``; ``.
- ASEAN NPP study (no page numbers): a heading, or ``heading: sub-heading``, or a
  recommendation (``Recommendation 19``, ``Recommendations 11-12``).
- ALSA 2025 abstract: one paragraph, so nothing or ``abstract``.
"""

from __future__ import annotations

import re

FITZGERALD_SECTIONS = frozenset({
    "I",
    "II", "II.A", "II.A.1", "II.A.2", "II.A.3", "II.B", "II.B.1", "II.B.2", "II.B.3", "II.C",
    "III", "III.A", "III.B", "III.B.1", "III.B.2", "III.B.3", "III.B.4", "III.C",
    "IV", "IV.A", "IV.A.1", "IV.A.2", "IV.B", "IV.B.1", "IV.B.2", "IV.C", "IV.D",
    "V", "V.A", "V.B", "V.B.1", "V.B.2", "V.B.3", "V.C",
    "VI",
})

# Part headings of the study, each with the run-in sub-headings that open its paragraphs.
ASEAN_HEADINGS: dict[str, tuple[str, ...]] = {
    "Sources of the non-punishment principle": (
        "International law and policy", "Regional law and policy", "Domestic law and policy"),
    "Interpretation of the non-punishment principle": (
        "Establishing the link between the offence and the trafficking",
        "Divergent views on the scope of protection",
        "The need for guidance to interpret the non-punishment principle"),
    "Application of the non-punishment principle": (
        "Non-punishment provisions in law are rarely applied in practice",
        "Role of criminal justice practitioners",
        "When the non-punishment principle applies in practice",
        "When the non-punishment principle should not apply in practice"),
    "International cooperation challenges": (
        "Uneven application of non-punishment in bilateral agreements",
        "Practical challenges in international cooperation"),
    "Victim identification challenges": (
        "Victim identification is critical to non-punishment of victims of trafficking",
        "Measures urgently required to address identified challenges",
        "Victim non-punishment and protection key to victim identification"),
    "Victim punishment in practice": (
        "Victims punished for a range of offences in practice",
        "Misuse of anti-trafficking legislation to criminalize women in the sex industry",
        "Punishment of children",
        "Use of victim punishment by traffickers",
        "Use of punishment by State officials for corruption or convenience",
        "Victims of trafficking at high risk of prosecution for drug-related offences",
        "Corporal and capital punishment"),
    "Recommendations on implementing the non-punishment principle": (
        "Identification and investigation", "Arrest and charge", "Prosecution",
        "Statutory defences", "Conviction and sentencing", "Post-conviction remedies"),
}
ASEAN_RECOMMENDATIONS = 26

_RECOMMENDATION = re.compile(r"[Rr]ecommendations? (\d+)(?:-(\d+))?")


def _asean_problem(pin: str) -> str:
    if m := _RECOMMENDATION.fullmatch(pin):
        first, last = int(m.group(1)), int(m.group(2) or m.group(1))
        if 1 <= first <= last <= ASEAN_RECOMMENDATIONS:
            return ""
        return f"the ASEAN NPP study has recommendations 1-{ASEAN_RECOMMENDATIONS} only"
    head, _, sub = pin.partition(": ")
    if head not in ASEAN_HEADINGS:
        return (f"the ASEAN NPP study has no heading {head!r}; its headings: "
                f"{sorted(ASEAN_HEADINGS)}")
    if sub and sub not in ASEAN_HEADINGS[head]:
        return f"the ASEAN NPP study has no sub-heading {sub!r} under {head!r}"
    return ""


def pinpoint_problem(source: str, pinpoint: str) -> str:
    """Why ``pinpoint`` is not a place in the seed ``source``, or "" when it is (and for
    ``npkit`` and ``outside``, whose pinpoint is a note, not a place)."""
    pin = " ".join(pinpoint.split())
    if source == "fitzgerald2024":
        unknown = [p for p in pin.split("; ") if p not in FITZGERALD_SECTIONS]
        if unknown:
            return f"Fitzgerald 2024 has no section {unknown[0]!r} (sections are like 'V.B.1')"
        return ""
    if source == "asean_npp_study":
        return _asean_problem(pin)
    if source == "alsa2025" and pin not in ("", "abstract"):
        return "the ALSA 2025 abstract is one paragraph: cite it with no pinpoint or 'abstract'"
    return ""
