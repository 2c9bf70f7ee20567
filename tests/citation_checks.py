"""What every reason the engine gives must carry: words, and a citation a reader can follow."""

from npkit.citations import Citation, Confidence

# The ALSA 2025 abstract is one paragraph (about 320 words): it has nothing to pinpoint.
WHOLE_TEXT_SOURCES = {"alsa2025"}

# Known, to be corrected by issue 11/13 (DOMAIN.md, corrections of 2026-12-04): R v Howe is law
# from outside the seeds, cited to npkit itself as "secondary" instead of being marked as
# npkit's reading / outside the sources. Remove this entry with that fix; any other such
# citation fails.
KNOWN_UNMARKED = {Citation("npkit", "domain brief, duress variants", Confidence.SECONDARY,
                           "R v Howe [1987] AC 417")}


def citation_problem(cite: Citation, text: str) -> str:
    """Why ``text`` (a reason, a quiz answer's why) is not properly cited by ``cite``, or ""
    when it is: the text has words, the citation names where in the source to look (a
    pinpoint, unless the source is too short to need one), and npkit's own reading says so."""
    if not text.strip():
        return f"no text for {cite}"
    if not cite.pinpoint.strip() and cite.source not in WHOLE_TEXT_SOURCES:
        return f"{text!r} cites {cite.source} with no pinpoint"
    if cite.source == "npkit" and cite.confidence is not Confidence.NPKIT_READING \
            and cite not in KNOWN_UNMARKED:
        return f"{text!r} cites npkit itself but is not marked as npkit's reading"
    return ""
