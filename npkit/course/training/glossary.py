"""The course glossary (npkit/course/data/glossary.yaml) as validated data: the legal terms
the modules use, each with npkit's plain-English definition and where the term comes from.

The loader refuses a broken file as the other course content loaders do (file, line, entry,
field): every entry cites a source with a pinpoint, or npkit itself as npkit's reading; an
entry that cites npkit says so in its definition; ``see:`` names entries of the file. The
course server shows it as the page /glossary (npkit.course.dashboard), one anchor per id.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, model_validator

from npkit.cite_spec import FollowableCite, PinpointCheck
from npkit.course.training.content import (
    DATA,
    KEBAB,
    ContentError,
    Text,
    entries,
    fail,
    item_lines,
    read,
)

PATH = DATA / "glossary.yaml"


class GlossaryEntry(BaseModel):
    """One term (the schema of glossary.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=KEBAB, max_length=60)
    term: Text
    also: tuple[Text, ...] = ()
    definition: Text
    cite: tuple[FollowableCite, ...] = Field(min_length=1)
    see: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _reading_is_said(self):
        if any(c.source == "npkit" for c in self.cite) and "npkit" not in self.definition:
            raise ValueError("cites npkit's reading: the definition must say which part is "
                             "npkit's (name npkit in it)")
        return self

    def sources(self) -> list[dict[str, str | bool]]:
        """Each citation as the page shows it: where to look, and how sure npkit is (a caveat,
        npkit's reading or law from outside the sources, is part of the citation's text)."""
        out = []
        for c in self.cite:
            citation = c.citation()
            caveat = citation.confidence.is_caveat
            out.append({"text": str(citation), "mark": "" if caveat else citation.confidence.label,
                        "caveat": caveat})
        return out


def load_glossary(path: Path = PATH, *, check: PinpointCheck | None = None
                  ) -> tuple[GlossaryEntry, ...]:
    """The entries of ``path`` in file order; a :class:`ContentError` names every problem."""
    raw, node = read(path)
    found = entries(path, raw, item_lines(node), GlossaryEntry, check=check)
    ids = {e.value.id for e in found}
    fail([e.problem("see", f"{ref!r} is not the id of an entry in this file")
          for e in found for ref in e.value.see if ref not in ids])
    return tuple(e.value for e in found)


@cache
def glossary() -> tuple[GlossaryEntry, ...]:
    return load_glossary()


def page_context() -> dict:
    """What the glossary page (share/jupyter/voila/templates/npkit/glossary.html) shows."""
    from npkit import DISCLAIMER

    items = glossary()
    terms = {e.id: e.term for e in items}
    return {"entries": [
        {"id": e.id, "term": e.term, "also": list(e.also), "definition": e.definition,
         "sources": e.sources(), "see": [{"id": s, "term": terms[s]} for s in e.see]}
        for e in items], "disclaimer": DISCLAIMER}


__all__ = ["PATH", "ContentError", "GlossaryEntry", "glossary", "load_glossary",
           "page_context"]
