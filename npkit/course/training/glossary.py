"""The course glossary (npkit/course/data/glossary.yaml) as validated data: the legal terms
the modules use, each with npkit's plain-English definition and where the term comes from.

The loader refuses a broken file as the other course content loaders do (file, line, entry,
field): every entry cites a source with a pinpoint, or npkit itself as npkit's reading; an
entry that cites npkit says so in its definition; ``see:`` names entries of the file. The
course server shows it as the page /glossary (npkit.course.dashboard), one anchor per id.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

from npkit import i18n
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
from npkit.datacache import shared_data

PATH = DATA / "glossary.yaml"


class GlossaryEntry(BaseModel):
    """One term (the schema of glossary.yaml)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    # the fields a th: overlay may translate (npkit.i18n.content)
    TEXT: ClassVar[tuple[str, ...]] = ("term", "also", "definition")

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


def load_glossary(path: Path = PATH, *, check: PinpointCheck | None = None,
                  lang: str | None = None) -> tuple[GlossaryEntry, ...]:
    """The entries of ``path`` in file order, in ``lang`` (default: the current language); a
    :class:`ContentError` names every problem."""
    raw, node = read(path, GlossaryEntry.TEXT, lang)
    found = entries(path, raw, item_lines(node), GlossaryEntry, check=check)
    ids = {e.value.id for e in found}
    fail([e.problem("see", f"{ref!r} is not the id of an entry in this file")
          for e in found for ref in e.value.see if ref not in ids])
    return tuple(e.value for e in found)


def glossary(lang: str | None = None) -> tuple[GlossaryEntry, ...]:
    return _glossary(i18n.current() if lang is None else lang)


@cache
def _glossary(lang: str) -> tuple[GlossaryEntry, ...]:
    # checked once for every kernel (npkit.datacache)
    return shared_data(f"course-glossary-{lang}", [PATH], lambda: load_glossary(lang=lang),
                       tuple)


def terms(lang: str) -> dict[str, str]:
    """Each English name of a term (its ``term`` and every ``also``, lower case) and the word
    ``lang`` uses for it: the entry's term in ``lang`` without a trailing English gloss in
    brackets ("การกระทำโดยถูกบังคับ (duress)" gives "การกระทำโดยถูกบังคับ"), or, for an ``also``
    name, that name's own translation."""
    return {name: words[-1] for name, words in _names(lang).items()}


@cache
def _names(lang: str) -> dict[str, tuple[str, ...]]:
    """English name -> the words of ``lang`` that render it (the entry's term, and an
    ``also`` name's own translation)."""
    out: dict[str, tuple[str, ...]] = {}
    for english, there in zip(glossary("en"), glossary(lang), strict=True):
        word = _GLOSS.sub("", there.term)
        out.setdefault(english.term.lower(), (word,))
        for name, translated in zip(english.also, there.also, strict=True):
            out.setdefault(name.lower(), (word, _GLOSS.sub("", translated)))
    return out


# A Latin-script gloss after the word: "(duress)", not the "(d)" of "art 31(1)(d)".
_GLOSS = re.compile(r"\s+\([A-Za-z][A-Za-z' -]+\)$")
# Names that are also everyday English words ("this means", "an Act", "for that purpose"):
# their element sense is checked through the longer names ("purpose of exploitation").
ORDINARY = frozenset({"act", "means", "purpose"})
# A name followed by these words names something else: a "closed list of purposes" is a
# definition of trafficking that lists its purposes, not the closed list of offences the
# glossary defines.
NOT_THE_TERM = {"closed list": r"\s+of\s+(?:exploitation\s+)?purposes"}
# Official titles that hold a term, each with the words of its official translation, which
# may render the term otherwise ("the Forced Labour Convention" is อนุสัญญาว่าด้วยแรงงานบังคับ
# in Thai treaty practice): a title found in the English needs its own translation, and the
# term inside it is the title's.
TITLES = {"th": {"forced labour convention": "อนุสัญญาว่าด้วยแรงงานบังคับ"}}
# A {field} of a template is filled at run time: its name ("{imminence}") is no text.
_FIELD = re.compile(r"\{\w+\}")


def missing_terms(english: str, translated: str, lang: str) -> list[str]:
    """The glossary names in ``english`` of which ``translated`` has no ``lang`` word (the
    entry's term, or an ``also`` name's own translation): one line per name,
    ``'<english>' needs '<word>'``. A name inside a longer one found in the same text
    ("compulsion" in "compulsion model") is the longer one's, and so is one inside an
    official title of :data:`TITLES`; a name :data:`NOT_THE_TERM` marks as something else, a
    name of :data:`ORDINARY` and a template's ``{field}`` names are left out."""
    english = _FIELD.sub(" ", english)
    names = _names(lang) | {t: (w,) for t, w in TITLES.get(lang, {}).items()}
    found, taken = [], []
    for name, words in sorted(names.items(), key=lambda kv: -len(kv[0])):
        if name in ORDINARY:
            continue
        for m in _name_pattern(name).finditer(english):
            if not any(a < m.end() and m.start() < b for a, b in taken):
                taken.append(m.span())
                found.append((name, words))
    return [f"{name!r} needs {words[-1]!r}" for name, words in dict.fromkeys(found)
            if not any(w in translated for w in words)]


@cache
def _name_pattern(name: str) -> re.Pattern[str]:
    words = r"[\s-]+".join(re.escape(w) + "(?:s|es)?" for w in name.split())
    other = f"(?!{NOT_THE_TERM[name]})" if name in NOT_THE_TERM else ""
    return re.compile("".join((_NOT_IN_A_WORD, words, r"(?![\w-])", other)), re.IGNORECASE)


_NOT_IN_A_WORD = r"(?<![\w-])"  # kept apart: a "<" in an f-string reads as hand-built HTML


def page_context() -> dict:
    """What the glossary page (share/jupyter/voila/templates/npkit/glossary.html) shows."""
    from npkit import DISCLAIMER

    items = glossary()
    terms = {e.id: e.term for e in items}
    return {"entries": [
        {"id": e.id, "term": e.term, "also": list(e.also), "definition": e.definition,
         "sources": e.sources(), "see": [{"id": s, "term": terms[s]} for s in e.see]}
        for e in items], "disclaimer": DISCLAIMER}


__all__ = ["NOT_THE_TERM", "ORDINARY", "PATH", "TITLES", "ContentError", "GlossaryEntry",
           "glossary", "load_glossary", "missing_terms", "page_context", "terms"]
