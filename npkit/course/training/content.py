"""Reading the course content (npkit/course/data/*.yaml) through pydantic, with errors a
trainer can act on: every problem names the file, the line and id of the entry, and the field.

    npkit/course/data/quiz/conceptual.yaml, line 42, entry 'burden', field cite.0.pinpoint:
    the ASEAN NPP study has no heading 'Recomendation 19'
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, ValidationError

from npkit import i18n
from npkit.cite_spec import PINPOINT_CHECK, PinpointCheck
from npkit.i18n import content as translated
from npkit.law.pinpoints import pinpoint_problem

if TYPE_CHECKING:
    import yaml

DATA = Path(str(resources.files("npkit.course") / "data"))
_ROOT = DATA.parents[2]  # the folder holding the npkit package (a checkout or site-packages)
MAX_SHOWN = 20  # problems listed in one error; the rest are counted


def text(value: object) -> object:
    """A text field's value, refusing what YAML turned into something else by surprise."""
    if isinstance(value, bool):  # YAML reads a bare yes / no as true / false
        raise ValueError("write yes / no in quotes (\"yes\"): YAML reads them bare as a boolean")
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and not value.strip():
        raise ValueError("must not be empty")
    return value


Text = Annotated[str, BeforeValidator(text), Field(min_length=1)]
Module = Annotated[int, Field(strict=True, ge=1, le=6)]
KEBAB = r"^[a-z0-9]+(-[a-z0-9]+)*$"  # ids of hand-written entries


def placeholders(value: str, allowed: tuple[str, ...], field: str = "text") -> str:
    """``value`` when every ``{field}`` in it is one of ``allowed``; else a ValueError."""
    try:
        used = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
    except ValueError as exc:
        raise ValueError(f"{exc} (write a brace as {{{{ or }}}})") from None
    unknown = sorted(used - set(allowed))
    if unknown:
        known = ", ".join(f"{{{a}}}" for a in allowed) or "none"
        raise ValueError(f"unknown placeholder {{{unknown[0]}}} in the {field}; known: {known}")
    return value


class ContentError(ValueError):
    """A course content file that cannot be used; the message lists every problem found."""


def shown(path: Path) -> str:
    """``path`` as a trainer finds it: from the npkit folder when it is npkit's own data."""
    try:
        return Path(path).resolve().relative_to(_ROOT).as_posix()
    except ValueError:
        return str(path)


def fail(problems: list[str]) -> None:
    if problems:
        more = len(problems) - MAX_SHOWN
        lines = problems[:MAX_SHOWN] + ([f"... and {more} more"] if more > 0 else [])
        raise ContentError("\n".join(lines))


def read(path: Path, text_keys: tuple[str, ...], lang: str | None = None
         ) -> tuple[Any, yaml.Node | None]:
    """The YAML data of ``path`` as ``lang`` (default: the current language) shows it, the
    ``th:`` overlays of its ``text_keys`` applied and removed (:mod:`npkit.i18n.content`), and
    its node tree (for line numbers)."""
    import yaml  # only when the shared cache has no entry (issue 16)

    # libyaml's parser when PyYAML has it: the same data, several times faster
    safe = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        text = Path(path).read_text(encoding="utf-8")
        raw, node = yaml.load(text, Loader=safe), yaml.compose(text, Loader=safe)
    except OSError as exc:
        raise ContentError(f"{shown(path)}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or exc
        raise ContentError(f"{shown(path)}{where}: not valid YAML ({problem})") from None
    return localized(path, raw, node, i18n.current() if lang is None else lang, text_keys), node


def localized(path: Path, raw: Any, node: yaml.Node | None, lang: str,
              text_keys: tuple[str, ...]) -> Any:
    """``raw`` in ``lang``; a translation that does not fit its English, or that touches a
    field not in ``text_keys``, is refused naming the file, the line and id of the entry, and
    the field."""
    if not isinstance(raw, list):
        try:
            return translated.localize(raw, lang, text_keys)
        except translated.ContentError as exc:
            raise ContentError(exc.located(shown(path), line=translated.line_in(node, exc.path))
                               ) from None
    lines, out, problems = item_lines(node), [], []
    for n, item in enumerate(raw):
        try:
            out.append(translated.localize(item, lang, text_keys))
        except translated.ContentError as exc:
            ident = next((item[k] for k in ("id", "module", "condition")
                          if isinstance(item, dict) and k in item), f"#{n + 1}")
            problems.append(exc.located(shown(path), line=lines[n] if n < len(lines) else None,
                                        entry=ident))
    fail(problems)
    return out


def item_lines(node: yaml.Node | None, key: str | None = None) -> list[int]:
    """The first line of each item of the list at the top of the file (or under ``key``)."""
    import yaml

    if key is not None and isinstance(node, yaml.MappingNode):
        node = next((v for k, v in node.value if k.value == key), None)
    if not isinstance(node, yaml.SequenceNode):
        return []
    return [item.start_mark.line + 1 for item in node.value]


@dataclass(frozen=True, slots=True)
class Entry:
    """One validated entry and where it is, for any later error about it."""

    value: Any
    where: str  # "<file>, line <n>, entry '<id>'"

    def problem(self, field: str, message: str) -> str:
        return f"{self.where}, field {field}: {message}"


def _errors(exc: ValidationError) -> list[tuple[tuple, str]]:
    """(field path, message) of each error; a list whose item is wrong also "has no valid
    item", which says nothing more, so an error on a field holding another error is left out."""
    found = [(tuple(e["loc"]), str(e["msg"]).removeprefix("Value error, ")) for e in exc.errors()]
    return [(loc, msg) for loc, msg in found
            if not any(len(other) > len(loc) and other[:len(loc)] == loc for other, _ in found)]


def entries(path: Path, raw: object, lines: list[int], model: type[BaseModel], *,
            check: PinpointCheck | None = None, key: str = "id",
            taken: Mapping[str, str] | None = None) -> list[Entry]:
    """Validate each item of ``raw`` (a list) with ``model``; ``key`` names the field that
    identifies an entry, unique here and not in ``taken`` (id -> where it is used already).
    Pinpoints are checked with ``check``, by default the seeds' known places
    (:func:`npkit.law.pinpoints.pinpoint_problem`). Raises :class:`ContentError` listing every
    problem."""
    name = shown(path)
    if not isinstance(raw, list) or not raw:
        raise ContentError(f"{name}: expected a list of entries (- {key}: ...)")
    context = {PINPOINT_CHECK: check or pinpoint_problem}
    seen = dict(taken or {})
    out: list[Entry] = []
    problems: list[str] = []
    for n, item in enumerate(raw):
        line = f", line {lines[n]}" if n < len(lines) else ""
        ident = item.get(key) if isinstance(item, dict) else None
        where = f"{name}{line}, entry {ident!r}" if ident is not None else \
            f"{name}{line}, entry #{n + 1}"
        if not isinstance(item, dict):
            problems.append(f"{where}: expected a mapping of fields, not {type(item).__name__}")
            continue
        try:
            value = model.model_validate(item, context=context)
        except ValidationError as exc:
            problems += [f"{where}, field {'.'.join(map(str, loc)) or '(entry)'}: {msg}"
                         for loc, msg in _errors(exc)]
            continue
        ident = getattr(value, key)
        if ident in seen:
            problems.append(f"{where}, field {key}: {ident!r} is used already ({seen[ident]})")
            continue
        seen[ident] = where
        out.append(Entry(value, where))
    fail(problems)
    return out
