"""The translated texts of the course data (issue 17), for the i18n tests: which fields of
which file a learner reads, and each English text beside its translation."""

from __future__ import annotations

import string
from collections.abc import Iterator
from pathlib import Path

import yaml

from npkit.course.training.content import DATA
from npkit.i18n.content import TRANSLATED, untranslated

LAW_DATA = DATA.parents[1] / "law" / "data"

# file -> the keys of its learner-visible text fields (everything else: ids, values, answers,
# tags, citations, stays as written)
TEXT_FIELDS: dict[Path, tuple[str, ...]] = {
    DATA / "glossary.yaml": ("term", "also", "definition"),
    DATA / "quiz" / "conceptual.yaml": ("prompt", "why", "label"),
    DATA / "quiz" / "lessons.yaml": ("prompt", "why", "label"),
    DATA / "prompts.yaml": ("title", "question", "argument", "discuss"),
    DATA / "checklist.yaml": ("title", "question"),
    DATA / "objectives.yaml": ("text",),
    DATA / "generated.yaml": ("stop_prompt", "prompt"),
    LAW_DATA / "notes.yaml": ("title", "text"),
    LAW_DATA / "recommendations.yaml": ("title", "text"),
}


def name(path: Path) -> str:
    path = Path(path)
    return path.relative_to(DATA.parents[2]).as_posix() if path.is_relative_to(DATA.parents[2]) \
        else str(path)


def load(path: Path) -> object:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8"))


def missing(path: Path, lang: str, keys: tuple[str, ...] | None = None) -> list[str]:
    """One line per text field of ``path`` that ``lang`` does not translate."""
    keys = TEXT_FIELDS[path] if keys is None else keys
    return [f"{name(path)}, field {where.lstrip('.')}: no {lang} text"
            for where in untranslated(load(path), lang, keys)]


def pairs(english: object, lang: str, where: str = "") -> Iterator[tuple[str, str, str]]:
    """(path, English, translation) of every text an overlay of ``lang`` translates."""
    if isinstance(english, list):
        for i, item in enumerate(english):
            yield from pairs(item, lang, f"{where}[{i}]")
    elif isinstance(english, dict):
        if lang in english:
            yield from _aligned(english, english[lang], f"{where}.{lang}")
        for k, v in english.items():
            if k not in TRANSLATED:
                yield from pairs(v, lang, f"{where}.{k}")


def _aligned(english: object, there: object, where: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(there, str) and isinstance(english, str):
        yield where, english, there
    elif isinstance(there, list) and isinstance(english, list):
        for i, (e, t) in enumerate(zip(english, there, strict=False)):
            yield from _aligned(e, t, f"{where}[{i}]")
    elif isinstance(there, dict) and isinstance(english, dict):
        for k, t in there.items():
            yield from _aligned(english.get(k), t, f"{where}.{k}")


def fields(text: str) -> list[str]:
    """The ``{field}`` names of a template, in order, with repeats."""
    return sorted(n for _, n, _, _ in string.Formatter().parse(text) if n is not None)
