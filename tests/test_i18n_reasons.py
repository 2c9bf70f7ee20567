"""The engine's reasons, finding titles and counterfactual changes in the learner's language carry
no English pieces (issue 17): the parameters the law fills into a reason's wording (fact
descriptions, vocabulary lists, other worded codes) are translated too.

For every case and every charge, every reason of the assessment and of the process walk, every
finding title and every counterfactual change is worded by npkit.render.words under the
pseudo-locale (no run of two plain English words outside the pseudo brackets) and in Thai (no run
of three Latin words). Names of people, citations (sources, pinpoints, authorities) and statute
titles stay as they are: they are allowed by their source, as tests/i18n_checks.py does.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from npkit import i18n
from npkit.casefile.library import library
from npkit.engine.assessment import assess
from npkit.law.citations import SOURCES
from npkit.law.jurisdiction_data import instruments, jurisdictions
from npkit.law.stages import should_stop, walk_summary
from npkit.render import words as rw
from tests.i18n_checks import names

# Runs of plain words: two for the pseudo-locale (pseudo text has no plain word), three Latin
# words for Thai (a glossary term may keep its English in brackets, "duress" after the Thai).
PSEUDO_RUN = re.compile(r"[A-Za-z][A-Za-z'’]*(?:[ \t\n\-/]+[A-Za-z][A-Za-z'’]*)+")
THAI_RUN = re.compile(r"[A-Za-z][A-Za-z'’.]*(?:[ \t\n\-/]+[A-Za-z(][A-Za-z'’.)]*){2,}")
BRACKETED = re.compile(r"\([^()]*\)")


def _cases():
    cases = library().cases
    return sorted(cases.values() if isinstance(cases, dict) else cases, key=lambda c: c.id)


@cache
def assessments():
    return [assess(case, o.id) for case in _cases() for o in case.offences]


def _reasons(a):
    stop = should_stop(a)
    out = [walk_summary(stop), *stop.reasons]
    for node in a.tree.walk():
        out += [*node.reasons, *node.also_rests_on]
    return out


@cache
def citations() -> tuple[str, ...]:
    """What stays in its original language: sources, pinpoints, authorities, statute titles,
    case titles and the people's names."""
    found = set()
    for a in assessments():
        found |= {a.case.title, a.case.source.text}
        for r in _reasons(a):
            c = r.source
            found |= {str(c), c.pinpoint or "", c.authority or ""}
    found |= {s.short for s in SOURCES.values()} | {s.title for s in SOURCES.values()}
    # the names of judgments and statutes (law data rows) stay as they are
    found |= {r.name for r in (*jurisdictions().values(), *instruments().values())}
    return tuple(sorted(f for f in found if f))


def _allowed(run: str, text: str) -> bool:
    if names().fullmatch(run):
        return True
    return any(run in c for c in citations())


def texts():
    """(where, text) for everything worded: reasons, titles, counterfactual changes."""
    for a in assessments():
        where = f"{a.case.id}/{a.facts.offence_id}"
        for r in _reasons(a):
            yield f"{where} {r.code}", rw.reason_text(r)
        for node in a.tree.walk():
            yield f"{where} title {node.test}", rw.title(node)
        for c in a.counterfactuals:
            for text in rw.changes(c):
                yield f"{where} change {c.path}", text


def english(lang: str) -> list[str]:
    before = i18n.current()
    i18n.use(lang)
    try:
        out = set()
        for where, text in texts():
            if lang == i18n.PSEUDO:
                runs = PSEUDO_RUN.findall(text)  # every catalogue letter is accented
            else:
                runs = THAI_RUN.findall(BRACKETED.sub(" ", text))
            for run in runs:
                if not _allowed(run.strip(), text):
                    out.add(f"{where}: {run.strip()!r} in {text[:160]!r}")
        return sorted(out)
    finally:
        i18n.use(before)


@pytest.mark.parametrize("lang", [i18n.PSEUDO, "th"])
def test_no_english_piece_in_the_engines_words(lang):
    found = english(lang)
    assert not found, f"{len(found)} English pieces, e.g.\n" + "\n".join(found[:40])


def test_in_english_the_worded_parameters_give_the_engines_own_text():
    """The structure a parameter keeps (npkit.law.wording.Words) words the same English the
    engine gave: a page in English shows exactly the JSON's text."""
    i18n.use(i18n.DEFAULT)
    differ = []
    for a in assessments():
        for r in _reasons(a):
            if rw.reason_text(r) != r.text:
                differ.append(f"{r.code}: {rw.reason_text(r)!r} != {r.text!r}")
        for c in a.counterfactuals:
            if rw.changes(c) != tuple(c.changes):
                differ.append(f"{c.path}: {rw.changes(c)} != {c.changes}")
    assert not differ, "\n".join(differ[:20])
