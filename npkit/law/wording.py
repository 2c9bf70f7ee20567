"""The engine's wording: one sentence template per reason code.

Every :class:`~npkit.engine.findings.Reason` the law modules make carries a stable ``code`` (for
example ``duress.imminent_threat.not_imminent``). Its English text comes from one catalogue,
``npkit/law/data/wording/*.yaml`` (one file per area of law, so areas can be edited apart), where
each code maps to a template filled with the reason's parameters (``str.format`` fields).
Nothing reads the English to decide anything: tests and renderers read codes. Keeping the text
in data also lets a translation replace it code by code.
"""

from __future__ import annotations

from contextvars import ContextVar
from functools import cache
from importlib import resources
from string import Formatter
from typing import Any

from npkit.datacache import shared_data

CODE_PATTERN = r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$"


class WordingError(ValueError):
    """A code with no template, a template with a field the reason does not give, or a code
    defined twice."""


def _files() -> list:
    folder = resources.files("npkit.law") / "data" / "wording"
    return sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")),
                  key=lambda e: e.name)


@cache
def catalogue() -> dict[str, str]:
    """Every code and its template, read once from the wording files (and shared by every
    kernel: npkit.datacache)."""
    files = _files()
    return shared_data("law-wording", files, lambda: _read(files), dict)


def _read(files: list) -> dict[str, str]:
    import re

    import yaml  # only when the shared cache has no entry (issue 16)

    # libyaml's parser when PyYAML has it: the same data, several times faster
    safe = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    out: dict[str, str] = {}
    for entry in files:
        data = yaml.load(entry.read_text(encoding="utf-8"), Loader=safe) or {}
        for code, template in data.items():
            if not re.match(CODE_PATTERN, code):
                raise WordingError(f"{entry.name}: {code!r} is not a dotted lower-case code")
            if code in out:
                raise WordingError(f"{entry.name}: {code!r} is defined twice")
            if not isinstance(template, str) or not template.strip():
                raise WordingError(f"{entry.name}: {code!r} has no text")
            out[code] = template.strip()
    return out


@cache
def fields(code: str) -> frozenset[str]:
    """The parameters the template of ``code`` asks for (parsed once per code: every reason
    the engine words asks, thousands of times in a counterfactual search)."""
    return frozenset(f for _, f, _, _ in Formatter().parse(template(code)) if f)


def template(code: str) -> str:
    try:
        return catalogue()[code]
    except KeyError:
        raise WordingError(f"no wording for reason code {code!r}") from None


# Set by unworded(): the engine wants the outcomes of these findings only, never their words.
_UNWORDED: ContextVar[bool] = ContextVar("npkit_law_unworded", default=False)


def is_unworded() -> bool:
    return _UNWORDED.get()


class unworded:  # noqa: N801 - used as a function: ``with unworded():``
    """Within it, every wording function gives the same blank :data:`UNWORDED` instead of a
    sentence. The counterfactual search works out thousands of findings for changed facts and
    keeps only their outcomes: wording them was about a fifth of its time. Nothing in the law
    decides on a wording (the law reads facts and findings; words only go into reasons'
    parameters and text), so the outcomes are the same; tests/test_counterfactual_pruning.py
    checks the search against one that words everything. Arguments are still worked out as
    before (a list to join is still gone through), so the facts read stay the same too.
    A class, not a generator: the search enters it once per finding it works out."""

    __slots__ = ("_token",)

    def __enter__(self) -> None:
        self._token = _UNWORDED.set(True)

    def __exit__(self, *exc: object) -> None:
        _UNWORDED.reset(self._token)


def say(code: str, **params: Any) -> str:
    """The sentence for ``code`` with ``params`` filled in."""
    if _UNWORDED.get():
        return ""
    text = template(code)
    try:  # checked only when it fails: the engine words thousands of reasons per search
        return text.format(**params)
    except KeyError:
        missing = fields(code) - params.keys()
        if missing:
            raise WordingError(f"{code}: missing parameter(s) {sorted(missing)}") from None
        raise


class Words(str):
    """A reason's parameter in English that keeps how it was made, so that a page in another
    language can word it without deciding anything again (issue 17). It IS the English ``str``:
    :func:`say`, the JSON output and the CLI see nothing else. ``kind`` and ``parts`` tell the
    render layer (npkit.render.words.value) what to translate:

    - ``label``: the English is a msgid (a vocabulary description, a finding or rule title);
    - ``term``: a vocabulary term in words (msgctxt "term");
    - ``code``: ``parts`` is ``(code, params)``: the sentence of another wording code;
    - ``list`` / ``or`` / ``and``: ``parts`` are the items, joined by ", " / " or " / " and ".
    """

    kind: str
    parts: tuple

    def __new__(cls, english: str, kind: str = "label", parts: tuple = ()) -> Words:
        self = super().__new__(cls, english)
        self.kind, self.parts = kind, tuple(parts)
        return self

    def __reduce__(self):
        return (Words, (str(self), self.kind, self.parts))


JOINERS = {"list": ", ", "or": " or ", "and": " and "}
UNWORDED = Words("", "label")  # every wording within unworded()


def label(text: str) -> Words:
    if _UNWORDED.get():
        return UNWORDED
    return Words(text, "label")


def term(key: object, *, capital: bool = False) -> Words:
    """A vocabulary value in words (``money_laundering`` -> "money laundering"); ``capital``
    starts the English with a capital (the term stays the msgid: ``parts``)."""
    if _UNWORDED.get():
        return UNWORDED
    text = str(key).replace("_", " ")
    return Words(text.capitalize(), "term", (text,)) if capital else Words(text, "term")


def worded(code: str, **params: Any) -> Words:
    """The sentence of ``code``, kept as a code and its parameters."""
    if _UNWORDED.get():
        return UNWORDED
    return Words(say(code, **params), "code", (code, tuple(sorted(params.items()))))


def joined(items, kind: str = "list") -> Words:
    """``items`` (Words, or plain English taken as labels) joined as a list, "or" or "and"."""
    if _UNWORDED.get():
        for _ in items:  # worked out all the same: see unworded()
            pass
        return UNWORDED
    parts = tuple(i if isinstance(i, Words) else label(str(i)) for i in items)
    return Words(JOINERS[kind].join(parts), kind, parts)
