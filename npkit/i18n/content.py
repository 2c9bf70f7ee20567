"""Translations of course content kept next to the English in the same YAML (issue 17).

Any mapping in a case file or a course-data file may carry a language key (``th:``) holding
that mapping's text fields in the language, in the same shape: a string for a string, a list
in the same order for a list, a mapping for a mapping. Citations, ids, tags and values are never
translated: they stay out of the overlay::

    title: "Jane: a fake office job, ..."
    th:
      title: "เจน: ..."
    narrative:
      - text: >- Jane is 25 ...
        tags: [act.recruitment]
        th: {text: >- เจนอายุ 25 ...}

:func:`localize` gives the data as one language sees it, with every language key removed, so
the validated models never see them. :func:`untranslated` lists the text fields a language
still lacks (the completeness test). A loader localizes the raw YAML before validating it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from npkit.i18n.languages import DEFAULT, LANGUAGES

TRANSLATED = tuple(code for code in LANGUAGES if code != DEFAULT)


class ContentError(ValueError):
    """A translation that does not fit the English it translates (wrong shape or key)."""


def localize(data: Any, lang: str, *, where: str = "") -> Any:
    """``data`` as ``lang`` shows it: each mapping's ``lang`` overlay applied, and every
    language key dropped. English (or a language with no overlay) gives the English."""
    if isinstance(data, list):
        return [localize(item, lang, where=f"{where}[{i}]") for i, item in enumerate(data)]
    if not isinstance(data, dict):
        return data
    overlay = data.get(lang) if lang in TRANSLATED else None
    out = {k: localize(v, lang, where=f"{where}.{k}") for k, v in data.items()
           if k not in TRANSLATED}
    if overlay is not None:
        out = _overlay(out, overlay, f"{where}.{lang}")
    return out


def _overlay(english: Any, translated: Any, where: str) -> Any:
    if isinstance(translated, str):
        if not isinstance(english, str):
            raise ContentError(f"{where}: a text where the English has {type(english).__name__}")
        return translated
    if isinstance(translated, list):
        if not isinstance(english, list) or len(english) != len(translated):
            raise ContentError(f"{where}: a list of {len(translated)} where the English has "
                               f"{len(english) if isinstance(english, list) else 'no list'}")
        return [e if t is None else _overlay(e, t, f"{where}[{i}]")
                for i, (e, t) in enumerate(zip(english, translated, strict=True))]
    if isinstance(translated, dict):
        if not isinstance(english, dict):
            raise ContentError(f"{where}: a mapping where the English has none")
        out = dict(english)
        for key, value in translated.items():
            if key not in english:
                raise ContentError(f"{where}.{key}: not a field of the English")
            out[key] = _overlay(english[key], value, f"{where}.{key}")
        return out
    raise ContentError(f"{where}: {type(translated).__name__} is not a text, list or mapping")


def untranslated(data: Any, lang: str, text_keys: Iterable[str]) -> list[str]:
    """The paths of English text fields (keys in ``text_keys`` holding a string, or a list of
    strings) that ``lang`` does not translate."""
    keys = frozenset(text_keys)
    english = set(_text_paths(data, keys, ""))
    covered = set(_covered(data, lang, ""))
    return sorted(english - covered)


def _text_paths(data: Any, keys: frozenset[str], where: str) -> Iterator[str]:
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield from _text_paths(item, keys, f"{where}[{i}]")
    elif isinstance(data, dict):
        for k, v in data.items():
            if k in TRANSLATED:
                continue
            path = f"{where}.{k}"
            if k in keys and isinstance(v, str) and v.strip():
                yield path
            elif k in keys and isinstance(v, list) and all(isinstance(s, str) for s in v):
                yield from (f"{path}[{i}]" for i in range(len(v)))
            else:
                yield from _text_paths(v, keys, path)


def _covered(data: Any, lang: str, where: str) -> Iterator[str]:
    """Paths given a translated string by some overlay."""
    if isinstance(data, list):
        for i, item in enumerate(data):
            yield from _covered(item, lang, f"{where}[{i}]")
    elif isinstance(data, dict):
        if isinstance(data.get(lang), (dict, list)):
            yield from _leaves(data[lang], where)
        for k, v in data.items():
            if k not in TRANSLATED:
                yield from _covered(v, lang, f"{where}.{k}")


def _leaves(translated: Any, where: str) -> Iterator[str]:
    if isinstance(translated, str) and translated.strip():
        yield where
    elif isinstance(translated, list):
        for i, item in enumerate(translated):
            yield from _leaves(item, f"{where}[{i}]")
    elif isinstance(translated, dict):
        for k, v in translated.items():
            yield from _leaves(v, f"{where}.{k}")
