"""Printable workshop handouts for one case (issue 17): two HTML documents made for paper.

- The **handout** for trainees: the story, the charge, and a question sheet with boxes to tick
  and lines to write on. It holds no answer, no outcome and no reason.
- The **answer key** for the trainer: each question's answer as npkit gives it, the outcome
  under each model, state or duress test the question asks about with the caveat marks the
  screen shows (npkit's reading; from outside npkit's sources: verify before use), the reason
  the engine names as decisive (``Finding.decisive``) with its source and pinpoint, and the
  case's teaching point.

Both come from :func:`npkit.questions.answer_keys` and the assessment: nothing here decides
or picks a reason. Templates are ``npkit/render/templates/handout/*.html.j2`` (Jinja2,
autoescaped, strict): case text goes in as plain values. Printing: ``@page`` size A4 or
Letter, a running header (case title) and page numbers in the page margins, and no page break
inside a question and its answer lines. Fonts are the system's (Thai-capable ones named),
nothing is fetched. :mod:`npkit.render.pdf` prints the HTML to PDF with Chromium.

The language is the process's (:func:`npkit.i18n.use`), for the interface words and, through
the case loader, the case text; the engine's reasons, titles, outcome words and marks through
:mod:`npkit.render.words`, as the pages show them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

from npkit import i18n
from npkit.casefile.case import Case
from npkit.engine.findings import Finding
from npkit.i18n import _
from npkit.law.citations import SOURCES, Citation, Confidence
from npkit.render import words
from npkit.render.words import outcome_word, reason_text

PAPERS = {"a4": "A4", "letter": "Letter"}
# Printed answer lines: a written "why" for a choice, more room for a question in own words.
LINES = {"outcome": 3, "which": 3, "free_text": 7}


@dataclass(frozen=True, slots=True)
class Documents:
    """The two documents of one handout, as complete HTML pages."""

    case_id: str
    lang: str
    handout: str
    answer_key: str

    def names(self, ext: str) -> tuple[str, str]:
        """File names: ``jane-handout.pdf`` and ``jane-answer-key.pdf`` (``-th`` for Thai)."""
        tail = "" if self.lang == i18n.DEFAULT else f"-{self.lang}"
        return (f"{self.case_id}-handout{tail}.{ext}", f"{self.case_id}-answer-key{tail}.{ext}")


@cache
def env() -> Environment:
    e = Environment(loader=PackageLoader("npkit.render", "templates/handout"),
                    autoescape=True, undefined=StrictUndefined,
                    trim_blocks=True, lstrip_blocks=True)
    e.add_extension("jinja2.ext.i18n")
    e.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True,
                                pgettext=i18n.pgettext, npgettext=i18n.npgettext)
    return e


def mark_words(marks) -> list[str]:
    """The caveats among ``marks``, in words, as the screen shows them."""
    return [words.mark(m) for m in marks if m.is_caveat]


def source_words(c: Citation) -> str:
    """A citation as the screen shows it ("Fitzgerald 2024, IV.A.2; discussing ...; npkit's
    reading"), its connecting words and mark in the current language; the source's name,
    pinpoint and authority as they are."""
    if c.confidence is Confidence.OUTSIDE_SOURCES:
        return "; ".join([c.authority or c.pinpoint or _("law"), *mark_words([c.confidence])])
    head = SOURCES[c.source].short + (f", {c.pinpoint}" if c.pinpoint else "")
    parts = [head]
    if c.authority:
        parts.append(_("discussing {authority}").format(authority=c.authority))
    return "; ".join(parts + mark_words([c.confidence]))


def _css_string(text: str) -> str:
    """``text`` as a CSS string literal: every ASCII character that is not a letter, digit or
    space as a hex escape, so a case title can close neither the string nor the style."""
    out = "".join(c if c.isalnum() or c == " " or ord(c) > 127 else f"\\{ord(c):x} "
                  for c in text)
    return f'"{out}"'


def _page_counter() -> Markup:
    """"Page 2 of 5" as a CSS ``content`` value, the sentence from the catalogue."""
    sentence = _("Page {page} of {pages}")
    parts = []
    for piece in re.split(r"(\{page\}|\{pages\})", sentence):
        if piece == "{page}":
            parts.append("counter(page)")
        elif piece == "{pages}":
            parts.append("counter(pages)")
        elif piece:
            parts.append(_css_string(piece))
    return Markup(" ".join(parts))


def _node_row(key: str, node: Finding, answer: frozenset[str]) -> dict[str, Any]:
    decisive = node.decisive
    return {
        "key": key,
        "title": words.title(node),
        "outcome": outcome_word(node.outcome),
        "marks": mark_words(node.marks),
        "in_answer": key in answer,
        "reason": reason_text(decisive) if decisive else "",
        "source": source_words(decisive.source) if decisive else "",
    }


def _key_item(number: int, k, assessment) -> dict[str, Any]:
    q = k.question
    rows: list[dict[str, Any]] = []
    answer = ""
    if q.kind == "outcome":
        group, _sep, key = (q.path or "").partition(".")
        node = assessment.victim if group == "victim" else getattr(assessment, group)[key]
        rows = [_node_row(key or group, node, frozenset())]
        answer = ", ".join(outcome_word(v) for v in sorted(k.correct))
    elif q.kind == "which":
        nodes = getattr(assessment, q.group)
        rows = [_node_row(key, node, k.correct) for key, node in nodes.items()]
        chosen = [words.label(label) for label, value in k.choices if value in k.correct]
        answer = ", ".join(chosen) if chosen else _("none of the options")
    return {"number": number, "id": q.id, "prompt": q.prompt, "kind": q.kind,
            "answer": answer, "rests_on": mark_words(k.marks), "rows": rows,
            "asked": outcome_word(q.outcome) if q.kind == "which" else ""}


def _question(number: int, k) -> dict[str, Any]:
    q = k.question
    choices = [outcome_word(v) if q.kind == "outcome" else words.label(label)
               for label, v in k.choices]
    return {"number": number, "id": q.id, "prompt": q.prompt, "kind": q.kind,
            "choices": choices, "lines": LINES[q.kind]}


def documents(case: Case, *, paper: str = "a4") -> Documents:
    """The handout and the answer key of ``case`` (loaded in the current language), for
    ``paper`` (a4 or letter)."""
    if paper not in PAPERS:
        raise ValueError(f"paper {paper!r}: choose one of {', '.join(PAPERS)}")
    from npkit.engine.assessment import assess
    from npkit.questions import answer_keys

    keys = answer_keys(case)
    assessment = assess(case, counterfactuals=False)
    lang = i18n.current()
    common = {
        "lang": "en" if lang == i18n.PSEUDO else lang,
        "draft": lang not in (i18n.DEFAULT, i18n.PSEUDO),
        "case_id": case.id,
        "title": case.title,
        "source": case.source.text,
        "paper": PAPERS[paper],
        "header": Markup(_css_string(case.title)),
        "counter": _page_counter(),
    }
    handout = env().get_template("handout.html.j2").render(
        **common, person=case.person, narrative=[p.text for p in case.narrative],
        charges=[o.charge for o in case.offences],
        questions=[_question(n, k) for n, k in enumerate(keys, 1)])
    key = env().get_template("answer_key.html.j2").render(
        **common, charge=assessment.offence.charge, lesson=case.lesson,
        items=[_key_item(n, k, assessment) for n, k in enumerate(keys, 1)])
    return Documents(case.id, lang, handout, key)
