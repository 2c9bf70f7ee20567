"""What every reason the engine gives must carry: words, and a citation a reader can follow;
and the seed texts, read where they are, with Fitzgerald 2024's sections (tests/test_pinpoints.py
compares npkit.law.pinpoints, the one pinpoint check, with them)."""

import os
import re
from pathlib import Path

from npkit.cite_spec import WHOLE_TEXT_SOURCES
from npkit.law.citations import Citation, Confidence

HERE = Path(__file__).resolve()
SEED_FILES = {"000": "fitzgerald2024", "003": "asean_npp_study", "004": "alsa2025"}


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


def seed_folder() -> Path | None:
    """The seed texts: ``$NPKIT_SEEDS``, or ``shared/seeds`` beside the checkout (a worktree
    sits one folder deeper); None when they are not there."""
    env = os.environ.get("NPKIT_SEEDS")
    candidates = [Path(env)] if env else [p / "shared" / "seeds" for p in HERE.parents[1:4]]
    return next((p for p in candidates if p.is_dir()), None)


def seed_texts(folder: Path) -> dict[str, str]:
    """source key -> the seed's text."""
    return {SEED_FILES[p.name[:3]]: p.read_text(encoding="utf-8")
            for p in sorted(folder.glob("*.txt")) if p.name[:3] in SEED_FILES}


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
