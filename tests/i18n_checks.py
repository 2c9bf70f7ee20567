"""What a page shows that bypassed the catalogue (issue 17), for the pseudo-locale tests.

Under ``i18n.use(i18n.PSEUDO)`` every string that went through the catalogue comes out
accented (``[Ŝĥöŵ ţĥé åñšŵéŕ ~~~]``): no word of it is plain ASCII. English left on a page is
therefore a run of two or more plain words. Some English is meant to stay: course content
comes from YAML (translated next to the English by npkit.i18n.content, not by the catalogue),
citations and pinpoints stay in their original language, and the engine fills some wording
fields with data values. :func:`content_text` gathers that English by its source; a run found
in it is allowed.

    from tests.i18n_checks import bypassed, pseudo_page

    with pseudo_page():
        widgets = [MyWidget(cases).widget]
    assert not bypassed(widgets)   # each finding names the text and where it was seen

Used by tests/test_i18n_pseudo.py (modules 0-4 and 6); the other widget pages can call it the
same way.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator
from functools import cache
from html.parser import HTMLParser
from pathlib import Path

import ipywidgets as w
import yaml

from npkit import i18n

ROOT = Path(__file__).resolve().parents[1]
# YAML whose strings are content (or data shown as is), not msgids. The wording catalogue is
# not here: it is translated through the catalogue (msgctxt = reason code).
CONTENT = [ROOT / "cases", ROOT / "npkit" / "course" / "data", ROOT / "npkit" / "law" / "data"]
NOT_CONTENT = {ROOT / "npkit" / "law" / "data" / "wording"}
# Two or more plain (ASCII) words in a row: pseudo text has no plain word of letters.
RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ \t\n\-/]+[A-Za-z][A-Za-z'’]*)+")
ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


@contextlib.contextmanager
def pseudo_page() -> Iterator[None]:
    """Build widgets with every catalogue string pseudo-translated; English afterwards."""
    before = i18n.current()
    i18n.use(i18n.PSEUDO)
    try:
        yield
    finally:
        i18n.use(before)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        for name, value in attrs:
            if name in ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and data.strip():
            self.parts.append(data)


def html_text(value: str) -> list[str]:
    """The text nodes and the labelling attributes of an HTML fragment."""
    parser = _Text()
    parser.feed(value)
    parser.close()
    return parser.parts


def visible_texts(widgets: Iterable[w.Widget]) -> Iterator[tuple[str, str]]:
    """(where, text) for everything a learner reads or hears in these widget trees: HTML
    values without their tags, descriptions, tooltips, placeholders and option labels."""
    seen: set[int] = set()
    stack = [(type(x).__name__, x) for x in widgets]
    while stack:
        where, widget = stack.pop()
        if id(widget) in seen or not isinstance(widget, w.Widget):
            continue
        seen.add(id(widget))
        if isinstance(widget, (w.HTML, w.HTMLMath, w.Label)):
            for text in html_text(widget.value or ""):
                yield f"{where} value", text
        for trait in ("description", "tooltip", "placeholder"):
            value = getattr(widget, trait, None)
            if isinstance(value, str) and value:
                yield f"{where} {trait}", value
        for label in getattr(widget, "_options_labels", ()) or ():
            yield f"{where} option", label
        for i, child in enumerate(getattr(widget, "children", ()) or ()):
            stack.append((f"{where}/{type(child).__name__}[{i}]", child))


def _strings(data) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


@cache
def content_text() -> str:
    """Every English string that reaches a page without the catalogue, by its source: the
    YAML content and data (cases, course data, law data other than the wording), the sources'
    names and titles, and the values the engine fills into wording fields."""
    found: list[str] = []
    for folder in CONTENT:
        for path in sorted(folder.rglob("*.yaml")):
            if any(parent in NOT_CONTENT for parent in path.parents):
                continue
            found.extend(_strings(yaml.safe_load(path.read_text(encoding="utf-8"))))
    from npkit.casefile.library import library
    from npkit.engine.assessment import assess
    from npkit.law.citations import SOURCES

    found += [s.short for s in SOURCES.values()] + [s.title for s in SOURCES.values()]
    from npkit.law.stages import should_stop, walk_summary
    from npkit.notes import notes

    # notes' citations in words (npkit.notes words them, "npkit's reading (...)" included)
    found += [n.source_text for n in notes().values()]
    cases = library().cases
    for case in cases.values() if isinstance(cases, dict) else cases:
        found += [case.title, case.source.text]
        a = assess(case)
        # the engine's counterfactuals word their changes in English (npkit.engine)
        found += [str(x) for c in a.counterfactuals for x in getattr(c, "changes", ())]
        stop = should_stop(a)
        reasons = [walk_summary(stop), *stop.reasons]
        stack = [a.tree]
        while stack:
            node = stack.pop()
            reasons += list(node.reasons)
            stack.extend(node.children)
        for reason in reasons:
            found += [str(v) for _k, v in reason.params]
            c = reason.source
            found += [str(c), c.pinpoint or "", c.authority or ""]
    # {fields} of a content template are filled in on the page: keep the text around them
    return "\n".join(part for text in found for part in re.split(r"\{[^{}]*\}", str(text)))


@cache
def names() -> re.Pattern:
    """The people of the cases as the English content names them ("Was {name} ..."): read in
    English whatever language the process is in when this is first asked (a Thai test first
    would have kept their Thai spelling for every later test)."""
    from npkit.casefile.library import library

    cases = library(lang="en").cases
    found = {c.person.pseudonym for c in (cases.values() if isinstance(cases, dict) else cases)}
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(found)) + r")\b")


def _content(run: str, blob: str) -> bool:
    """Whether ``run`` is content: found in it as it is, or piece by piece around the names of
    the cases' people; a citation's "discussing" joins its source and an authority."""
    run = run.removeprefix("discussing ")
    if run in blob:
        return True
    pieces = [p.strip(" '’") for p in names().split(run)]
    return all(p in blob or len(english_runs(p)) == 0 for p in pieces)


def english_runs(text: str) -> list[str]:
    """The runs of two or more plain words in ``text``."""
    return [m.group(0).strip("'’") for m in RUN.finditer(text)]


def bypassed(widgets: Iterable[w.Widget], allowed: Iterable[str] = ()) -> list[str]:
    """'where: "run" in "text"' for every run of plain English that is not content, a
    citation or an engine value, nor one of ``allowed`` (each entry says why in the caller)."""
    blob = content_text()
    extra = tuple(allowed)
    out = []
    for where, text in visible_texts(widgets):
        for run in english_runs(text):
            if _content(run, blob) or any(run in a for a in extra):
                continue
            out.append(f'{where}: "{run}" in "{text[:120]}"')
    return sorted(set(out))
