"""Read case files (YAML) and validate them into :class:`npkit.casefile.case.Case`, with line
numbers.

A trainer who writes a case file should get messages they can act on without Python::

    cases/ana.yaml:14: periods[0].threats[0].imminence: 'soon' is not one of imminent, ...

So the loader composes the YAML node tree itself (PyYAML's composer), builds plain data from
it while recording the line of every key and list item by path, and turns every pydantic
error into a :class:`CaseError` that names the file, the line and the field. It reports all
errors of a file at once, and one broken file never stops the others loading.

Translations sit next to the English in the same file (a ``th:`` key in any mapping, see
:mod:`npkit.i18n.content`). The loader shows a case in one language: it applies that
language's overlays before validating (``lang=``, default :func:`npkit.i18n.current`), so a
Thai text that does not fit (a wrong shape, a key the English lacks, a title too long) is an
error like any other, naming the line and the field inside the ``th:`` overlay.

Public API: :func:`load_case`, :func:`load_cases`, :func:`case_from_text`.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from npkit import i18n
from npkit.casefile.case import SLUG_MAX, SLUG_PATTERN, TEXT_FIELDS, Case, suggest_id
from npkit.casefile.checks import contradictions
from npkit.casefile.results import (  # offered here too, as before
    CASE_SUFFIXES,
    CaseError,
    CaseFileError,
    LoadResult,
    case_files,
    language,
)
from npkit.i18n.content import ContentError, localize

__all__ = [
    "CASE_SUFFIXES",
    "CaseError",
    "CaseFileError",
    "LoadResult",
    "case_from_text",
    "format_field",
    "language",
    "load_case",
    "load_cases",
]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SLUG = re.compile(SLUG_PATTERN)

Path_ = tuple[str | int, ...]  # a location in the data: ("periods", 0, "threats", 1, "imminence")


# --------------------------------------------------------------------------------- errors


def format_field(path: Iterable[str | int]) -> str:
    """``("periods", 0, "threats", 1, "imminence")`` -> ``periods[0].threats[1].imminence``.

    A key with a dot in it (an ``expected`` outcome key) is shown as ``['victim.outcome']``.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif "." in str(part) or not str(part):
            out += f"[{str(part)!r}]"
        else:
            out += f".{part}" if out else str(part)
    return out


# --------------------------------------------------------------------------------- YAML


class _Collector:
    """Collects the errors of one file."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.errors: list[CaseError] = []

    def add(self, line: int | None, path: Path_ | str, message: str) -> None:
        fld = path if isinstance(path, str) else format_field(path)
        self.errors.append(CaseError(self.name, line, fld, message))


class _Builder:
    """Turns a composed YAML node tree into plain data plus a line for every path."""

    MAP = "tag:yaml.org,2002:map"
    SEQ = "tag:yaml.org,2002:seq"
    MERGE = "tag:yaml.org,2002:merge"

    def __init__(self, errors: _Collector) -> None:
        self.errors = errors
        self.lines: dict[Path_, int] = {}
        self._constructor = SafeConstructor()
        self._active: set[int] = set()  # node ids being built (guards against recursive aliases)

    def build(self, node: Node, path: Path_ = ()) -> Any:
        if id(node) in self._active:
            self.errors.add(_line(node), path, "an alias refers to itself; write the value out")
            return None
        self._active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                return self._mapping(node, path)
            if isinstance(node, SequenceNode):
                return self._sequence(node, path)
            return self._scalar(node, path)
        finally:
            self._active.discard(id(node))

    def _scalar(self, node: Node, path: Path_) -> Any:
        try:
            return self._constructor.construct_object(node, deep=True)
        except ConstructorError as exc:
            problem = exc.problem or "cannot read this value"
            self.errors.add(_line(node), path, f"{problem}; case files use plain values")
            return None

    def _sequence(self, node: SequenceNode, path: Path_) -> list[Any]:
        if node.tag != self.SEQ:
            self.errors.add(_line(node), path, f"the tag {node.tag!r} is not supported here")
        items = []
        for i, item in enumerate(node.value):
            self.lines[(*path, i)] = _line(item)
            items.append(self.build(item, (*path, i)))
        return items

    def _mapping(self, node: MappingNode, path: Path_) -> dict[str, Any]:
        if node.tag != self.MAP:
            self.errors.add(_line(node), path, f"the tag {node.tag!r} is not supported here")
        out: dict[str, Any] = {}
        first_seen: dict[str, int] = {}
        merged: list[MappingNode] = []
        for key_node, value_node in node.value:
            if key_node.tag == self.MERGE:  # `<<: *defaults`, as SafeLoader allows
                merged.extend(self._merge_sources(value_node, path))
                continue
            if not isinstance(key_node, ScalarNode):
                self.errors.add(_line(key_node), path, "a key must be a plain word")
                continue
            key = key_node.value  # the key as written: `on:` stays 'on', `1:` stays '1'
            line = _line(key_node)
            if key in first_seen:
                self.errors.add(
                    line,
                    (*path, key),
                    f"duplicate key {key!r}: given on line {first_seen[key]} and again on "
                    f"line {line}; keep one",
                )
            else:
                first_seen[key] = line
            self.lines[(*path, key)] = line
            out[key] = self.build(value_node, (*path, key))
        for source in merged:  # explicit keys win over merged ones, as in SafeLoader
            for key_node, value_node in source.value:
                if isinstance(key_node, ScalarNode) and key_node.value not in out:
                    key = key_node.value
                    self.lines[(*path, key)] = _line(key_node)
                    out[key] = self.build(value_node, (*path, key))
        return out

    def _merge_sources(self, node: Node, path: Path_) -> list[MappingNode]:
        if isinstance(node, MappingNode):
            return [node]
        if isinstance(node, SequenceNode) and all(isinstance(n, MappingNode) for n in node.value):
            return list(node.value)
        self.errors.add(_line(node), path, "'<<' must be followed by a mapping or its alias")
        return []


def _line(node: Node) -> int:
    return node.start_mark.line + 1


def _yaml_error(exc: yaml.YAMLError, errors: _Collector) -> None:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "cannot read the file"
        message = f"YAML syntax error: {problem}"
        if exc.context and exc.problem:
            context = exc.context
            if exc.context_mark is not None:
                context += f" on line {exc.context_mark.line + 1}"
            message += f" ({context})"
        if "tab" in message or "'\\t'" in message:
            message += "; indent with spaces, not tabs"
        errors.add(mark.line + 1 if mark is not None else None, "", message)
    else:
        errors.add(None, "", f"YAML error: {exc}")


def _parse(text: str, errors: _Collector) -> tuple[Any, dict[Path_, int]] | None:
    """Compose ``text`` and build plain data; ``None`` if the YAML itself is broken."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        _yaml_error(exc, errors)
        return None
    if root is None:
        errors.add(None, "", "the file is empty; a case file is a list of 'key: value' lines")
        return None
    builder = _Builder(errors)
    data = builder.build(root)
    builder.lines[()] = _line(root)
    if not isinstance(data, dict):
        kind = "a list" if isinstance(data, list) else f"the single value {_show(data)}"
        errors.add(
            _line(root),
            "",
            f"the top level of a case file must be 'key: value' lines (id:, title:, ...), "
            f"not {kind}",
        )
        return None
    return data, builder.lines


# --------------------------------------------------------------------------------- errors


def _show(value: Any) -> str:
    """A value as the trainer wrote it, for messages."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a 'key: value' section"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return repr(value)


def _quoted_terms(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def _allowed_values(err: dict[str, Any], typ: Any) -> list[str]:
    terms = _quoted_terms(str(err.get("ctx", {}).get("expected", "")))
    if terms:
        return terms
    if isinstance(typ, type) and issubclass(typ, Enum):
        return [str(m.value) for m in typ]
    if get_origin(typ) is Literal:
        return [str(a) for a in get_args(typ)]
    return []


_PATTERNS = {
    SLUG_PATTERN: "is not a valid id: use lower-case letters, digits, '-' and '_', "
    "starting with a letter or digit (e.g. 'main' or 'scam-fraud')",
    r"^[A-Z]{2}$": "is not a two-letter country code in capitals (e.g. 'MY', 'TH', 'GB')",
}

_MEMBER_WORDS = {"str": "text", "constrained-str": "text", "bool": "true/false",
                 "int": "a whole number", "float": "a number"}


def _message(err: dict[str, Any], typ: Any, model: Any) -> str:
    """A trainer-readable message for one pydantic error."""
    kind = err["type"]
    value = err.get("input")
    ctx = err.get("ctx") or {}
    if kind in ("enum", "literal_error"):
        allowed = ", ".join(_allowed_values(err, typ))
        if value is None:
            return f"needs a value: one of {allowed}"
        return f"{_show(value)} is not one of {allowed}"
    if kind == "extra_forbidden":
        key = str(err["loc"][-1])
        is_model = isinstance(model, type) and issubclass(model, BaseModel)
        names = list(model.model_fields) if is_model else []
        close = difflib.get_close_matches(key, names, n=1, cutoff=0.6)
        if close:
            return f"{key!r} is not a field here; did you mean {close[0]!r}?"
        if names:
            return f"{key!r} is not a field here; the fields here are {', '.join(names)}"
        return f"{key!r} is not a field here"
    if kind == "missing":
        return "required field is missing"
    if kind in ("value_error", "assertion_error"):
        msg = str(err["msg"])
        for prefix in ("Value error, ", "Assertion failed, "):
            msg = msg.removeprefix(prefix)
        return msg
    if kind == "string_type":
        if value is None:
            return "needs a value (text)"
        if isinstance(value, (bool, int, float, date)):
            return f"expected text, got {_show(value)}; put it in quotes to use it as text"
        return f"expected text, got {_show(value)}"
    if kind in ("bool_parsing", "bool_type"):
        return f"{_show(value)} is not true or false"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{_show(value)} is not a whole number"
    if kind == "list_type":
        hint = f"; write it as a list: - {value}" if isinstance(value, str) else ""
        return f"expected a list (one '- ' line per item), got {_show(value)}{hint}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a section of 'key: value' lines, got {_show(value)}"
    if kind == "string_too_short":
        n = ctx.get("min_length", 1)
        return "must not be empty" if n == 1 else f"must be at least {n} characters long"
    if kind == "string_too_long":
        n = len(value) if isinstance(value, str) else "?"
        return f"is too long: {n} characters, at most {ctx.get('max_length')} allowed"
    if kind == "too_short":
        n = ctx.get("min_length", 1)
        return f"needs at least {n} item{'s' if n != 1 else ''}"
    if kind == "too_long":
        return f"has too many items: at most {ctx.get('max_length')}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return f"{_show(value)} is too small: must be at least {bound}"
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"{_show(value)} is too large: must be at most {bound}"
    if kind == "string_pattern_mismatch":
        friendly = _PATTERNS.get(str(ctx.get("pattern")))
        if friendly:
            hint = suggest_id(value) if ctx.get("pattern") == _SLUG.pattern else None
            return f"{_show(value)} {friendly}" + (f"; perhaps {hint!r}" if hint else "")
    return f"{err['msg']} (got {_show(value)})"


def _type_at(path: Path_) -> tuple[Any, type[BaseModel] | None]:
    """The annotation at ``path`` and the model whose field set contains its last step."""
    typ: Any = Case
    parent: type[BaseModel] | None = None
    for step in path:
        typ = _unwrap(typ)
        if isinstance(typ, type) and issubclass(typ, BaseModel):
            parent = typ
            info = typ.model_fields.get(str(step))
            if info is None:
                return None, parent
            typ = info.annotation
        elif get_origin(typ) is list and isinstance(step, int):
            parent, typ = None, get_args(typ)[0]
        elif get_origin(typ) is dict:
            parent, typ = None, get_args(typ)[1]
        else:
            return None, None
    return _unwrap(typ), parent


def _unwrap(typ: Any) -> Any:
    """``X | None`` -> ``X``; other unions are left alone."""
    if get_origin(typ) in (Union, UnionType):
        members = [a for a in get_args(typ) if a is not NoneType]
        if len(members) == 1:
            return members[0]
    return typ


def _data_path(loc: tuple[Any, ...], data: Any, kind: str) -> tuple[Path_, list[str]]:
    """Split pydantic's ``loc`` into the path in the data and any union member tags in it."""
    path: list[str | int] = []
    tags: list[str] = []
    node = data
    for i, step in enumerate(loc):
        last = i == len(loc) - 1
        if isinstance(node, dict) and step in node:
            path.append(step)
            node = node[step]
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            path.append(step)
            node = node[step]
        elif last and kind in ("missing", "extra_forbidden"):
            path.append(step)
        else:
            tags.append(str(step))
    return tuple(path), tags


def _line_for(path: Path_, lines: dict[Path_, int]) -> int | None:
    for n in range(len(path), -1, -1):
        if path[:n] in lines:
            return lines[path[:n]]
    return None


def _get(data: Any, path: Path_) -> Any:
    for step in path:
        data = data[step]
    return data


def _refine(path: Path_, message: str, data: Any) -> Path_:
    """For a validator error on a list or mapping, point at the item the message names."""
    try:
        value = _get(data, path)
    except (KeyError, IndexError, TypeError):
        return path
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, str) and repr(item) in message:
                return (*path, i)
    elif isinstance(value, dict):
        for key in value:
            if repr(key) in message:
                return (*path, key)
    return path


def _model_error_path(message: str, data: dict[str, Any]) -> Path_:
    """Best place for an error raised by a model validator (no field of its own)."""
    if m := re.match(r"offence '([^']+)' names period", message):
        for i, o in enumerate(data.get("offences") or []):
            if isinstance(o, dict) and o.get("id") == m.group(1):
                return ("offences", i, "period")
    for section, noun in (("periods", "period"), ("offences", "offence")):
        if message.startswith(f"{noun} ids must be unique"):
            seen: set[Any] = set()
            for i, item in enumerate(data.get(section) or []):
                item_id = item.get("id") if isinstance(item, dict) else None
                if item_id in seen:
                    return (section, i, "id")
                seen.add(item_id)
            return (section,)
    for key in data:  # the first top-level field the message mentions
        stem = key.rstrip("s")
        if re.search(rf"\b{re.escape(stem)}", message):
            return (key,)
    return ()


def _in_overlay(path: Path_, lang: str | None, lines: dict[Path_, int]) -> Path_:
    """Where a translated value at ``path`` was written: inside the nearest ``lang`` overlay
    that gives it (``narrative[2].th.text``), else ``path`` itself (the English)."""
    if lang is None:
        return path
    for i in range(len(path) - 1, -1, -1):
        written = (*path[:i], lang, *path[i:])
        if written in lines:
            return written
    return path


def _content_error(exc: ContentError, lines: dict[Path_, int], errors: _Collector) -> None:
    """A translation that does not fit the English: at the overlay's line and field."""
    errors.add(_line_for(exc.path, lines), exc.path,
               f"the translation does not fit the English: {exc.message}")


def _convert(exc: ValidationError, data: dict[str, Any], lines: dict[Path_, int],
             errors: _Collector, lang: str | None = None) -> None:
    unions: dict[Path_, list[tuple[str, Any]]] = {}
    for err in exc.errors(include_url=False):
        path, tags = _data_path(err["loc"], data, err["type"])
        if tags and err["type"] not in ("value_error", "missing", "extra_forbidden"):
            unions.setdefault(path, []).append((tags[-1], err.get("input")))
            continue
        if err["type"] == "extra_forbidden":
            typ, parent = None, _type_at(path[:-1])[0]
        else:
            typ, parent = _type_at(path)
        message = _message(err, typ, parent)
        if err["type"] == "missing":
            line = _line_for(path[:-1], lines)
        else:
            if not path and err["type"] in ("value_error", "assertion_error"):
                path = _model_error_path(message, data)
            elif err["type"] in ("value_error", "assertion_error"):
                path = _refine(path, message, data)
            path = _in_overlay(path, lang, lines)
            line = _line_for(path, lines)
        errors.add(line, path, message)
    for path, members in unions.items():
        words = [_MEMBER_WORDS.get(tag, f"a {tag} section") for tag, _ in members]
        expected = " or ".join(dict.fromkeys(words))
        errors.add(_line_for(path, lines), path, f"expected {expected}, got {_show(members[0][1])}")


# --------------------------------------------------------------------------------- loading


@dataclass(slots=True)
class _Outcome:
    case: Case | None
    errors: list[CaseError]
    id_line: int | None = None
    warnings: list[CaseError] = field(default_factory=list)


def _validate(text: str, name: str, expected_id: str | None, lang: str) -> _Outcome:
    errors = _Collector(name)
    parsed = _parse(text, errors)
    if parsed is None:
        return _Outcome(None, errors.errors)
    raw, lines = parsed
    try:
        data = localize(raw, lang, TEXT_FIELDS)
    except ContentError as exc:
        _content_error(exc, lines, errors)
        return _Outcome(None, errors.errors, lines.get(("id",)))
    case: Case | None = None
    try:
        case = Case.model_validate(data)
    except ValidationError as exc:
        _convert(exc, data, lines, errors, lang if lang != i18n.DEFAULT else None)
    case_id = data.get("id")
    id_line = lines.get(("id",))
    if (
        expected_id is not None
        and isinstance(case_id, str)
        and _SLUG.match(case_id.strip())  # an invalid id has its own error already
        and len(case_id.strip()) <= SLUG_MAX
        and case_id.strip() != expected_id
    ):
        # suggest only an id the id rule accepts: a file name may not be one
        fix = f"rename the file to '{case_id}.yaml'"
        other = suggest_id(expected_id)
        if other == expected_id:
            fix += f" or change the id to {expected_id!r}"
        elif other:
            fix += f" (or rename it to '{other}.yaml' and change the id to {other!r})"
        errors.add(id_line, ("id",), f"the id {case_id!r} must match the file name: {fix}")
    if errors.errors:
        return _Outcome(None, sorted(errors.errors, key=lambda e: e.line or 0), id_line)
    assert case is not None
    warnings = [CaseError(name, _line_for(path, lines), format_field(path), message, "warning")
                for path, message in contradictions(case, data)]
    return _Outcome(case, [], id_line, sorted(warnings, key=lambda w: w.line or 0))


def _read(path: Path, name: str) -> tuple[str | None, list[CaseError]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None, [CaseError(name, None, "", "no such file")]
    except IsADirectoryError:
        return None, [CaseError(name, None, "", "is a directory, not a case file")]
    except OSError as exc:
        return None, [CaseError(name, None, "", f"cannot read the file: {exc.strerror or exc}")]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        msg = "the file is not UTF-8 text; save it as UTF-8 (e.g. 'Save as... UTF-8')"
        return None, [CaseError(name, line, "", msg)]


def _load(path: Path, lang: str) -> _Outcome:
    name = str(path)
    text, errors = _read(path, name)
    if text is None:
        return _Outcome(None, errors)
    return _validate(text, name, expected_id=path.stem, lang=lang)


def load_case(path: str | Path, lang: str | None = None) -> Case:
    """Load one case file in ``lang`` (default: the current language); raise
    :class:`CaseFileError` with every problem in it."""
    outcome = _load(Path(path), language(lang))
    if outcome.case is None:
        raise CaseFileError(outcome.errors)
    return outcome.case


def case_from_text(text: str, name: str = "<text>", expected_id: str | None = None,
                   lang: str | None = None) -> Case:
    """Validate YAML text (e.g. typed into a dashboard); errors name ``name`` as the file.

    The id is checked against ``expected_id`` only when one is given. ``lang`` as for
    :func:`load_case`.
    """
    outcome = _validate(text, name, expected_id, language(lang))
    if outcome.case is None:
        raise CaseFileError(outcome.errors)
    return outcome.case


def load_cases(*paths: str | Path, lang: str | None = None) -> LoadResult:
    """Load every case file under ``paths`` (files or directories, not recursive), in ``lang``
    (default: the current language).

    Broken files are reported in ``.errors`` and left out of ``.cases``; the others load.
    Two files with the same case id: the second is reported.
    """
    lang = language(lang)
    result = LoadResult()
    by_id: dict[str, str] = {}
    for path in case_files(*paths):
        result.files.append(str(path))
        outcome = _load(path, lang)
        case, errors = outcome.case, outcome.errors
        if case is not None and case.id in by_id:
            message = f"the case id {case.id!r} is also used by {by_id[case.id]}"
            errors = [CaseError(str(path), outcome.id_line, "id", message)]
            case = None
        result.errors.extend(errors)
        if case is not None:
            result.warnings.extend(outcome.warnings)
            by_id[case.id] = str(path)
            result.cases.append(case)
    result.cases.sort(key=lambda c: c.id)
    return result
