"""Parameters: the figures and thresholds the law layer uses, as dated, cited data
(``npkit/law/data/parameters.yaml``; OpenFisca's parameters are the model).

A threshold in a legal test (the age line of the child rule, the Dual-Factor weights, duress's
harm scale) or a figure the course quotes is a claim like any other: it comes from a source, from
npkit's own reading or from law outside the sources, and it may change over time. So each one
is a parameter with dated values and a citation, checked on load:

- every reference names a known source and, for a seed, a pinpoint the seed has
  (:mod:`npkit.law.pinpoints`); a reference to ``npkit`` is always npkit's reading and one to
  ``outside`` always names its authority, with a note saying what to verify;
- the values are in date order, all numbers or all mappings;
- no id is declared twice.

A broken file raises :class:`ParameterFileError` naming the file, the line, the parameter and
the field. ``parameter(id)`` gives the latest value, ``parameter(id, on=date)`` the value in force
on that date::

    from npkit.law.parameters import parameter
    parameter("victim.child_age_under")  # 18

A parameter may carry the sentence a page shows with its figure (``shown``, the context figures of
module 6), translated by a ``th:`` overlay next to it (:mod:`npkit.law.translated`):
``parameters("th")`` gives that text in Thai. Values and references are never translated, and
the rules read the English table.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from importlib import resources
from itertools import pairwise
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from npkit.cite_spec import PINPOINT_CHECK, FollowableCite
from npkit.datacache import shared_data
from npkit.law.citations import Citation, Confidence
from npkit.law.pinpoints import pinpoint_problem
from npkit.law.translated import ENGLISH, ContentError, localized

if TYPE_CHECKING:
    import yaml

__all__ = ["FILE", "Parameter", "ParameterFileError", "load", "parameter", "parameters",
           "reference"]

FILE = "npkit/law/data/parameters.yaml"

Number = StrictInt | StrictFloat
Unit = Literal["years", "rank", "weight", "ratio", "people", "countries", "percent"]


class ParameterFileError(ValueError):
    """A parameters file npkit cannot use; the message says where and why."""


class Reference(FollowableCite):
    """A citation with the fields of ``notes.yaml`` (the one schema, :mod:`npkit.cite_spec`);
    :func:`load` checks its pinpoint against the seeds' sections (:mod:`npkit.law.pinpoints`)."""


class Dated(BaseModel):
    """One value and the date it holds from."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    start: dt.date = Field(alias="from")
    value: Number | dict[str, Number]
    date_note: str = ""

    @field_validator("value", mode="before")
    @classmethod
    def _number_or_mapping(cls, v: Any) -> Any:
        # one message instead of one per member of the union
        def number(x: Any) -> bool:
            return isinstance(x, int | float) and not isinstance(x, bool)

        if isinstance(v, dict):
            if not v:
                raise ValueError("a mapping value needs at least one term")
            if bad := next((k for k, x in v.items() if not number(x)), None):
                raise ValueError(f"term {bad!r}: must be a number, not {v[bad]!r}")
        elif not number(v):
            raise ValueError(f"must be a number or a mapping of term to number, not {v!r}")
        return v


class Parameter(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")
    description: str = Field(min_length=1)
    unit: Unit
    values: tuple[Dated, ...] = Field(min_length=1)
    reference: tuple[Reference, ...]
    note: str = Field("", validate_default=True)
    last_checked: dt.date
    shown: str = Field("", description="what a page says with the figure; {fields} are filled "
                       "by npkit.law.stages.context_figures")

    @field_validator("values")
    @classmethod
    def _in_date_order(cls, v: tuple[Dated, ...]) -> tuple[Dated, ...]:
        for a, b in pairwise(v):
            if b.start <= a.start:
                raise ValueError(f"values must be in date order, each from a later date: "
                                 f"{b.start} is listed after {a.start}")
        if len({isinstance(d.value, dict) for d in v}) > 1:
            raise ValueError("values must be all numbers or all mappings")
        return v

    @field_validator("reference", mode="before")
    @classmethod
    def _one_or_many(cls, v: Any) -> Any:
        # checked here: pydantic's own length check also counts the items it refused
        if not v:
            raise ValueError("at least one reference is needed")
        return [v] if isinstance(v, dict) else v

    @field_validator("note")
    @classmethod
    def _outside_says_what_to_verify(cls, v: str, info: ValidationInfo) -> str:
        refs = info.data.get("reference") or ()
        if any(r.source == "outside" for r in refs) and "verify" not in v.lower():
            raise ValueError("law from outside the sources needs a note saying what to verify")
        return v

    def value_on(self, on: dt.date | None = None) -> Any:
        """The value in force on ``on`` (the latest when ``on`` is None)."""
        if on is None:
            return self.values[-1].value
        if isinstance(on, dt.datetime):
            on = on.date()
        in_force = [d for d in self.values if d.start <= on]
        if not in_force:
            raise LookupError(f"parameter {self.id!r} has no value before "
                              f"{self.values[0].start} (asked for {on})")
        return in_force[-1].value

    @property
    def citations(self) -> tuple[Citation, ...]:
        return tuple(r.citation() for r in self.reference)

    @property
    def marks(self) -> tuple[Confidence, ...]:
        """The caveats the value rests on (npkit's reading, outside law), in a fixed order."""
        found = {r.confidence for r in self.reference if r.confidence.is_caveat}
        return tuple(c for c in Confidence if c in found)


# --- loading ----------------------------------------------------------------------------------


# YAML is read only when the shared cache (npkit.datacache) has no entry: a kernel that finds
# one never imports the parser (issue 16).
@cache
def _loader() -> type:
    import yaml

    class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml when present
        """YAML without implicit dates: a date stays text for pydantic, whose error names the
        field (PyYAML's own "month must be in 1..12" names nothing)."""

    _Loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return _Loader


def _parse(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree (for lines) and the data built from it: the text is parsed once."""
    loader = _loader()(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def _duplicate_key(node: yaml.Node) -> yaml.Node | None:
    """The first key given twice in one mapping anywhere under ``node`` (PyYAML keeps the last
    silently)."""
    import yaml

    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                return key
            seen.add(key.value)
            if (found := _duplicate_key(value)) is not None:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            if (found := _duplicate_key(item)) is not None:
                return found
    return None


def _line(node: yaml.Node, loc: tuple) -> int:
    """The line of the deepest node ``loc`` (a pydantic error location) reaches: the key's
    line for a field, the item's for a list entry."""
    import yaml

    for i, step in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            hit = next(((k, v) for k, v in node.value if k.value == step), None)
            if hit is None:
                break
            node = hit[0] if i == len(loc) - 1 else hit[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) \
                and 0 <= step < len(node.value):
            node = node.value[step]
        else:
            break
    return node.start_mark.line + 1


def _field(loc: tuple) -> str:
    # pydantic adds the union member it tried ("int", "dict[str,...]"): not a field of the file
    parts = [str(p) for p in loc if not (isinstance(p, str) and ("[" in p or p in (
        "int", "float", "constrained-int", "constrained-float")))]
    return ".".join(parts) or "(the parameter)"


def _problems(error: ValidationError, node: yaml.Node, name: str, pid: object) -> str:
    lines = []
    for err in error.errors():
        msg = err["msg"].removeprefix("Value error, ")
        lines.append(f"{name}:{_line(node, err['loc'])}: parameter {pid!r}: "
                     f"{_field(err['loc'])}: {msg}")
    return "\n".join(dict.fromkeys(lines))


# The fields a translation may replace (the rest is values, ids and citations).
TEXT = ("shown",)


def load(path: str | Path | None = None, lang: str = ENGLISH) -> dict[str, Parameter]:
    """Every parameter in ``path`` (npkit's own file by default), by id, checked; the text a
    page shows in ``lang``."""
    import yaml

    name = FILE if path is None else str(path)
    if path is None:
        text = resources.files("npkit.law").joinpath("data/parameters.yaml").read_text("utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    try:
        root, raw = _parse(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        raise ParameterFileError(f"{name}{where}: not valid YAML: "
                                 f"{getattr(e, 'problem', None) or e}") from None
    if not isinstance(root, yaml.SequenceNode):
        raise ParameterFileError(f"{name}: must be a list of parameters, each starting '- id:'")
    if (key := _duplicate_key(root)) is not None:
        raise ParameterFileError(f"{name}:{key.start_mark.line + 1}: {key.value!r} is given "
                                 "twice in one entry")
    out: dict[str, Parameter] = {}
    first_line: dict[str, int] = {}
    for item, node in zip(raw, root.value, strict=True):
        line = node.start_mark.line + 1
        pid = item.get("id") if isinstance(item, dict) else None
        try:
            item = localized(item, lang, TEXT, where=f"{name}:{line}: parameter {pid!r}")
        except ContentError as e:
            raise ParameterFileError(str(e)) from None
        try:
            p = Parameter.model_validate(item, context={PINPOINT_CHECK: pinpoint_problem})
        except ValidationError as e:
            raise ParameterFileError(_problems(e, node, name, pid)) from None
        if p.id in out:
            raise ParameterFileError(f"{name}:{line}: parameter {p.id!r}: id: declared twice "
                                     f"(first at line {first_line[p.id]})")
        out[p.id], first_line[p.id] = p, line
    return out


@cache
def parameters(lang: str = ENGLISH) -> dict[str, Parameter]:
    """npkit's parameters by id (loaded once per language, and checked once for every kernel:
    npkit.datacache; the rules read the English)."""
    return shared_data(f"law-parameters-{lang}",
                       [resources.files("npkit.law").joinpath("data/parameters.yaml")],
                       lambda: load(lang=lang), dict)


def _get(pid: str) -> Parameter:
    try:
        return parameters()[pid]
    except KeyError:
        raise KeyError(f"no parameter {pid!r} in {FILE}; known: {sorted(parameters())}") from None


def parameter(pid: str, on: dt.date | None = None) -> Any:
    """The value of ``pid`` in force on ``on`` (the latest value by default); a mapping comes
    back read-only."""
    value = _get(pid).value_on(on)
    return MappingProxyType(value) if isinstance(value, dict) else value


def reference(pid: str) -> tuple[Citation, ...]:
    """The citations of ``pid``, in the order the file gives them."""
    return _get(pid).citations
