"""What every reason the engine gives must carry: words, and a citation a reader can follow;
and where a seed pinpoint points (the section or heading must be in the seed's text)."""

import os
import re
from pathlib import Path

from npkit.law.citations import Citation, Confidence

# The ALSA 2025 abstract is one paragraph (about 320 words): it has nothing to pinpoint.
WHOLE_TEXT_SOURCES = {"alsa2025"}


def citation_problem(cite: Citation, text: str) -> str:
    """Why ``text`` (a reason, a quiz answer's why) is not properly cited by ``cite``, or ""
    when it is: the text has words, the citation names where to look (a pinpoint in a source,
    unless the source is too short to need one; for law from outside the sources, the statute
    or judgment), and npkit's own reading says so."""
    if not text.strip():
        return f"no text for {cite}"
    if cite.source == "outside":
        if cite.confidence is not Confidence.OUTSIDE_SOURCES or not cite.authority.strip():
            return f"{text!r} cites law from outside the sources without naming it"
        return ""
    if not cite.pinpoint.strip() and cite.source not in WHOLE_TEXT_SOURCES:
        return f"{text!r} cites {cite.source} with no pinpoint"
    if cite.source == "npkit" and cite.confidence is not Confidence.NPKIT_READING:
        return f"{text!r} cites npkit itself but is not marked as npkit's reading"
    return ""


# --- pinpoints in the seed texts -------------------------------------------------------------
# The seeds sit beside the checkout (../shared/seeds), or where $NPKIT_SEEDS says.
SEED_PREFIXES = {"000": "fitzgerald2024", "003": "asean_npp_study", "004": "alsa2025"}


def seed_folder() -> Path | None:
    """Where the seed texts are, or None: $NPKIT_SEEDS, else shared/seeds beside the checkout
    or one level further up (a worktree sits one folder deeper than the main checkout)."""
    env = os.environ.get("NPKIT_SEEDS")
    root = Path(__file__).resolve().parents[1]
    candidates = [Path(env)] if env else [root.parent / "shared" / "seeds",
                                          root.parent.parent / "shared" / "seeds"]
    return next((d for d in candidates if d.is_dir()), None)


def seed_texts(folder: Path) -> dict[str, str]:
    """The three seeds by source key."""
    out = {}
    for path in sorted(folder.glob("*.txt")):
        key = SEED_PREFIXES.get(path.name[:3])
        if key:
            out[key] = path.read_text(encoding="utf-8")
    return out


def fitzgerald_sections(text: str) -> set[str]:
    """Section ids of Fitzgerald 2024 as npkit cites them: I, IV.B, V.B.1 ... ("1./2./3."
    subsections may be plain numbered lines)."""
    found: set[str] = set()
    part = letter = ""
    for line in text.splitlines():
        if m := re.match(r"^#+\s*([IVX]+)\.\s", line):
            part, letter = m.group(1), ""
            found.add(part)
        elif m := re.match(r"^#+\s*([A-D])\.\s", line):
            letter = m.group(1)
            found.add(f"{part}.{letter}")
        elif (m := re.match(r"^(?:#+\s*)?(\d)\.\s+[A-Z]", line)) and letter:
            found.add(f"{part}.{letter}.{m.group(1)}")
    return found


def seed_pinpoint_problem(source: str, pinpoint: str, seeds: dict[str, str]) -> str:
    """Why ``pinpoint`` is not a place in the seed ``source``, or "" when it is: a section of
    Fitzgerald 2024 (IV.D), or for the ASEAN study (no numbered sections) "recommendation N"
    or headings joined by ": ", each one opening a line of the study. Other sources: ""."""
    if source == "fitzgerald2024":
        if pinpoint not in fitzgerald_sections(seeds[source]):
            return f"Fitzgerald has no section {pinpoint!r}"
        return ""
    if source != "asean_npp_study":
        return ""
    study, pin = seeds[source], " ".join(pinpoint.split())
    if m := re.fullmatch(r"recommendation (\d+)", pin):
        found = re.search(rf"^\s*{m.group(1)}\. ", study, re.M)
        return "" if found else f"the study has no recommendation {m.group(1)}"
    for part in pin.split(": "):
        if not re.search(rf"^\s*{re.escape(part)}\b", study, re.M):
            return f"the study has no heading {part!r}"
    return ""
