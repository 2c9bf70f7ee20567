"""Notes: the statements of law the widgets show beside the engine's outcomes, each with its
citations (``npkit/law/data/notes.yaml``).

A note is presentation, not a rule: it explains a model, a discretion or a discussion point in
npkit's words. It lives in data rather than in a widget's string literal so that the same
citation checks as the rules reach it: every note names its sources, pinpoints and confidence,
and tests/test_notes.py checks them against the seeds.

    from npkit.notes import note
    note("models.causation").text, note("models.causation").source_text
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from npkit import i18n
from npkit.cite_spec import CiteSpec
from npkit.datacache import shared_data
from npkit.i18n import content
from npkit.law.citations import Citation, Confidence

NOTES_FILE = "data/notes.yaml"

FILE = "npkit/law/data/notes.yaml"

__all__ = ["Note", "NoteCitation", "note", "notes"]


# The citation schema shared with the course content (npkit/cite_spec.py).
NoteCitation = CiteSpec


class Note(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    # the fields a th: overlay may translate (npkit.i18n.content)
    TEXT: ClassVar[tuple[str, ...]] = ("title", "text")

    title: str = ""
    text: str = Field(min_length=1)
    cite: tuple[NoteCitation, ...] = Field(min_length=1)

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(c.citation() for c in self.cite)

    @property
    def marks(self) -> tuple[Confidence, ...]:
        """The caveats the note rests on (npkit's reading, outside law), in a fixed order."""
        found = {c.confidence for c in self.cite if c.confidence.is_caveat}
        return tuple(c for c in Confidence if c in found)

    @property
    def source_text(self) -> str:
        """Every citation in words, with its confidence where that is a caveat."""
        return "; ".join(_cite_words(c) for c in self.citations)


def _cite_words(c: Citation) -> str:
    if c.source == "npkit":
        return f"npkit's reading ({c.pinpoint})" if c.pinpoint else "npkit's reading"
    return str(c)


def notes(lang: str | None = None) -> dict[str, Note]:
    """Every note by id, in ``lang`` (default: the current language; the ``th:`` overlays of
    notes.yaml, :mod:`npkit.i18n.content`); a malformed file raises pydantic's
    ValidationError naming the note, a translation that does not fit its English a
    ValueError naming the note and field."""
    return _notes(i18n.current() if lang is None else lang)


@cache
def _notes(lang: str) -> dict[str, Note]:
    # checked once for every kernel (npkit.datacache)
    return shared_data(f"notes-{lang}", [resources.files("npkit.law").joinpath(NOTES_FILE)],
                       lambda: _read_notes(lang), dict)


def _read_notes(lang: str) -> dict[str, Note]:
    return parse(resources.files("npkit.law").joinpath(NOTES_FILE).read_text("utf-8"), lang)


def parse(text: str, lang: str) -> dict[str, Note]:
    """The notes of ``text`` (notes.yaml's content) in ``lang``."""
    import yaml  # only when the shared cache has no entry (issue 16)

    # libyaml's parser when PyYAML has it: the same data, several times faster
    safe = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    raw = yaml.load(text, Loader=safe)
    if not isinstance(raw, dict):
        raise ValueError(f"{FILE} must be a mapping of note id to note")
    try:
        raw = content.localize(raw, lang, Note.TEXT)
    except content.ContentError as exc:
        line = content.line_in(yaml.compose(text, Loader=safe), exc.path)
        raise ValueError(exc.located(FILE, line=line)) from None
    return {str(k): Note.model_validate(v) for k, v in raw.items()}


def note(note_id: str, lang: str | None = None) -> Note:
    """The note ``note_id``; ``KeyError`` naming the known ids if there is none."""
    try:
        return notes(lang)[note_id]
    except KeyError:
        raise KeyError(f"no note {note_id!r} in {FILE}") from None
