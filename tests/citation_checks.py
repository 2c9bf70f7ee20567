"""What every reason the engine gives must carry: words, and a citation a reader can follow."""

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
