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
the validated models never see them; the loader names its text fields (``text_keys``), and an
overlay on any other key is refused. :func:`untranslated` lists the text fields a language
still lacks (the completeness test). A loader localizes the raw YAML before validating it, and
reports a :class:`ContentError` with its file and line (:meth:`ContentError.located`,
:func:`line_in`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from npkit.i18n.languages import DEFAULT, LANGUAGES

TRANSLATED = tuple(code for code in LANGUAGES if code != DEFAULT)


Path = tuple[str | int, ...]  # keys and list indexes from the top of the data


class ContentError(ValueError):
    """A translation that does not fit the English it translates (wrong shape, or a key that
    is not a text field). ``path`` is where in the data (overlay keys included: ``("narrative",
    0, "th", "tags")``), ``message`` what is wrong; ``str()`` gives ``<where><path>: <message>``.
    Loaders name the file, line and field with :meth:`located` or with ``path``."""

    def __init__(self, path: Path, message: str, where: str = "") -> None:
        self.path, self.message, self.where = tuple(path), message, where
        super().__init__(f"{where}{dotted(self.path)}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:  # pickled with its parts, not its text
        return type(self), (self.path, self.message, self.where)

    @property
    def field(self) -> str:
        """The path as a trainer reads it: ``narrative[0].th.tags``."""
        return dotted(self.path).lstrip(".")

    def located(self, file: str, *, line: int | None = None, entry: object = None) -> str:
        """``<file>, line <n>, entry '<id>', field <field>: <message>`` (line and entry when
        known): the one way the course content and the notes report a translation."""
        return "".join((file, f", line {line}" if line is not None else "",
                        f", entry {entry!r}" if entry is not None else "",
                        f", field {self.field}: {self.message}"))


def dotted(path: Path) -> str:
    """``("narrative", 0, "text")`` as ``.narrative[0].text``."""
    return "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)


def line_in(node: Any, path: Path) -> int | None:
    """The line (1-based) of ``path`` in a composed YAML node tree (``yaml.compose``): of its
    last key, or of the deepest part of it the tree has; None without a tree."""
    line = None if node is None else node.start_mark.line + 1
    for step in path:
        if node is None or not isinstance(node.value, list):
            break
        pairs = [item for item in node.value if isinstance(item, tuple)]
        if pairs:  # a mapping: (key node, value node) pairs
            key, node = next(((k, v) for k, v in pairs if k.value == str(step)), (None, None))
            mark = None if key is None else key.start_mark
        else:
            node = node.value[step] if isinstance(step, int) and step < len(node.value) else None
            mark = None if node is None else node.start_mark
        if mark is not None:
            line = mark.line + 1
    return line


def localize(data: Any, lang: str, text_keys: Iterable[str], *, where: str = "") -> Any:
    """``data`` as ``lang`` shows it: each mapping's ``lang`` overlay applied, and every
    language key dropped. English (or a language with no overlay) gives the English.

    An overlay may replace only the strings held under ``text_keys`` (directly, or in a list
    under such a key): one that touched an id, a tag, a value or a citation would let a
    translation change the content, and is refused (:class:`ContentError`, at the overlay's
    field). ``where`` prefixes every error's path (e.g. the file)."""
    return _localize(data, lang, frozenset(text_keys), (), where)


def _localize(data: Any, lang: str, keys: frozenset[str], path: Path, where: str) -> Any:
    if isinstance(data, list):
        return [_localize(item, lang, keys, (*path, i), where) for i, item in enumerate(data)]
    if not isinstance(data, dict):
        return data
    overlay = data.get(lang) if lang in TRANSLATED else None
    out = {k: _localize(v, lang, keys, (*path, k), where) for k, v in data.items()
           if k not in TRANSLATED}
    if overlay is not None:
        out = _Overlay(lang, keys, where).apply(out, overlay, (*path, lang), "")
    return out


class _Overlay:
    def __init__(self, lang: str, keys: frozenset[str], where: str) -> None:
        self.lang, self.keys, self.where = lang, keys, where

    def error(self, path: Path, message: str) -> ContentError:
        return ContentError(path, message, self.where)

    def apply(self, english: Any, translated: Any, path: Path, key: str) -> Any:
        """``translated`` over ``english``; ``key`` is the mapping key holding them."""
        if isinstance(translated, str):
            if not isinstance(english, str):
                raise self.error(path, f"a text where the English has {type(english).__name__}")
            if key not in self.keys:
                raise self.error(path, f"{self.lang}: may only translate text fields "
                                       f"({', '.join(sorted(self.keys)) or 'none'}), not "
                                       f"{key!r}")
            return translated
        if isinstance(translated, list):
            if not isinstance(english, list) or len(english) != len(translated):
                raise self.error(path, f"a list of {len(translated)} where the English has "
                                 f"{len(english) if isinstance(english, list) else 'no list'}")
            return [e if t is None else self.apply(e, t, (*path, i), key)
                    for i, (e, t) in enumerate(zip(english, translated, strict=True))]
        if isinstance(translated, dict):
            if not isinstance(english, dict):
                raise self.error(path, "a mapping where the English has none")
            out = dict(english)
            for k, value in translated.items():
                if k not in english:
                    raise self.error((*path, k), "not a field of the English")
                out[k] = self.apply(english[k], value, (*path, k), k)
            return out
        raise self.error(path, f"{type(translated).__name__} is not a text, list or mapping")


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
