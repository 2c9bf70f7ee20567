"""The pseudo-locale shows what bypasses the catalogue (issue 17), for the scenario lab (module 5),
the quiz (module 7) and the workshop join and trainer pages.

With ``i18n.use(i18n.PSEUDO)`` every string that went through ``_()`` comes out accented and in
brackets (``[Ŝĥöŵ ~~]``); the pages are built and driven in-process, every text a learner sees or
hears is collected (HTML text, labels, tooltips, placeholders, menu entries, aria-labels), the
bracketed runs are dropped, and any English left is a string that bypassed the catalogue.
Left out: course content (case files, the quiz's YAML, citations: translated in the YAML itself)
and text owned by other modules (the engine's wording, the law vocabulary, the rule registry's
labels, the shared widgets and templates), which :data:`ELSEWHERE` lists by module so a failure
here names only strings of these pages. A small checker of its own, to be unified with
tests/i18n_checks.py.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path
from typing import NamedTuple

import ipywidgets as w
import pytest
import yaml

from npkit import i18n
from npkit.casefile.library import library
from npkit.course.training import quiz as qz
from npkit.engine.assessment import assess
from npkit.law import registry
from npkit.law.vocabulary import ALL_VOCABULARIES, describe

ROOT = Path(__file__).resolve().parents[1]
WIDGETS = ROOT / "npkit" / "course" / "widgets"
TEMPLATES = WIDGETS / "templates"

# Modules and templates whose strings are other helpers' to route through the catalogue: their
# English is not a failure of these pages (the lead's merge brings their conversion).
ELSEWHERE = [
    *(WIDGETS / f"{name}.py" for name in ("ui", "base", "choice", "outcome_matrix")),
    ROOT / "npkit" / "casefile" / "scenario.py",
    ROOT / "npkit" / "engine" / "counterfactuals.py",
    ROOT / "npkit" / "law" / "citations.py",
    ROOT / "npkit" / "render" / "marks.py",
    ROOT / "npkit" / "law" / "data" / "notes.yaml",
    # the shared templates and the outcome matrix's (not scenario_lab/, quiz/, workshop/)
    *TEMPLATES.glob("*.j2"), *TEMPLATES.glob("matrix/*.j2"),
]
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")
# Technical words that are the same in every language.
CODE = r"[A-Z2-9]{6}"  # a workshop's join code
PATTERN = "\0re:"  # marks an f-string's pattern among the strings
TECHNICAL = {"npkit", "CSV", "HTML", "KB", "UTC", "QR", "ASEAN", "http", "https", "ipynb",
             "voila", "render", "join", "session", "yaml"}


@pytest.fixture(autouse=True)
def _pseudo():
    i18n.use(i18n.PSEUDO)
    yield
    i18n.use(i18n.DEFAULT)


# --- collecting what a learner sees -----------------------------------------------------------

def _html_text(value: str) -> list[str]:
    """The text of an HTML value, cut at every tag, plus its aria-labels and titles; what is
    marked data-npk-verbatim (a case file shown as it is) and hidden script data are left out."""
    value = re.sub(r"<(pre|code)[^>]*data-npk-verbatim[^>]*>.*?</\1>", "\n", value, flags=re.S)
    value = re.sub(r"<(svg|style|script)\b.*?</\1>", "\n", value, flags=re.S)
    attrs = re.findall(r'(?:aria-label|title|placeholder)="([^"]*)"', value)
    return [html.unescape(t) for t in [re.sub(r"<[^>]+>", "\n", value), *attrs]]


def visible_text(root: w.Widget) -> list[str]:
    out: list[str] = []
    seen: set[int] = set()

    def walk(item: object) -> None:
        if not isinstance(item, w.Widget) or id(item) in seen:
            return
        seen.add(id(item))
        if isinstance(item, w.HTML | w.Label | w.HTMLMath):
            out.extend(_html_text(item.value or ""))
        for name in ("description", "tooltip", "placeholder"):
            text = getattr(item, name, None)
            if isinstance(text, str):
                out.extend(_html_text(text))
        out.extend(getattr(item, "_options_labels", ()) or ())
        for child in getattr(item, "children", ()) or ():
            walk(child)

    walk(root)
    return out


def _drop_pseudo(text: str) -> str:
    """``text`` without the pseudo-translated runs (innermost first: a run may hold another)."""
    while True:
        shorter = re.sub(r"\[[^\[\]]*~\]", "\n", text)
        if shorter == text:
            return text
        text = shorter


def _strings(data: object) -> list[str]:
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list | tuple | set | frozenset):
        return [s for v in data for s in _strings(v)]
    return []


def _literals(path: Path) -> list[str]:
    """A module's strings (an f-string as a pattern: each field may be anything), or a
    template's text between its tags and expressions, or a YAML file's strings."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".py":
        tree = ast.parse(text)
        inside = {id(v) for n in ast.walk(tree) if isinstance(n, ast.JoinedStr) for v in n.values}
        out = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant)
               and isinstance(n.value, str) and id(n) not in inside]
        for n in ast.walk(tree):
            if isinstance(n, ast.JoinedStr):
                out.append(PATTERN + "".join(re.escape(v.value) if isinstance(v, ast.Constant)
                                             else ".*?" for v in n.values))
        return out
    if path.suffix == ".yaml":
        return _strings(yaml.safe_load(text))
    return re.split(r"\{[{%#].*?[}%#]\}|<[^>]+>", text, flags=re.S)


def _finding_words(finding) -> list[str]:
    out = [finding.title, finding.outcome.replace("_", " ")]
    for r in (finding.decisive, *finding.reasons):
        if r is not None:
            out += [r.text, str(r.source)]
    for c in getattr(finding, "children", ()) or ():
        out += _finding_words(c)
    return out


def _assessment_words(case) -> list[str]:
    a = assess(case)
    out = _finding_words(a.victim)
    for group in ("duress", "models", "jurisdictions", "instruments"):
        for f in (getattr(a, group, None) or {}).values():
            out += _finding_words(f)
    out += [str(c) for c in a.counterfactuals]
    for c in a.counterfactuals:
        out += [str(x) for x in getattr(c, "changes", ())]
    return out


@pytest.fixture(scope="module")
def known():
    return known_text()


def known_text() -> Known:
    """Text that is not these pages' to translate: content, and other modules' words."""
    i18n.use(i18n.PSEUDO)
    cases = library().cases
    corpus = [s for c in cases for s in _strings(c.model_dump(mode="json"))]
    corpus += [c.title for c in cases]
    for case in cases:
        corpus += _assessment_words(case)
    for q in qz.bank():
        corpus += [q.prompt, q.why, *(lab for lab, _v in q.choices), *map(str, q.citations)]
    for vocab in ALL_VOCABULARIES.values():
        corpus += [f"{t.replace('_', ' ')}: {describe(vocab, t)}" for t in vocab.__members__]
        corpus += [describe(vocab, t) for t in vocab.__members__]
    for group in registry.GROUPS:
        corpus += [registry.label(r) for r in registry.ids(group)]
        corpus += [registry.rule(r).title for r in registry.ids(group)]
    for path in ELSEWHERE:
        corpus += _literals(path)
    i18n.use(i18n.DEFAULT)
    patterns = [s[len(PATTERN):] for s in corpus if s.startswith(PATTERN)]
    return Known("\n".join(" ".join(s.split()) for s in corpus if s and s not in patterns),
                 re.compile("|".join(f"(?:{p})" for p in patterns if p.strip(".*? "))))


# Where a page joins words from several places ("Duress (Malaysia): fails → succeeds").
PIECES = re.compile(r"[():;—→,&]|\.\s|\s[-–]\s|\d+")


class Known(NamedTuple):
    text: str  # every string, one a line
    patterns: re.Pattern  # the f-strings of other modules, each field as ".*?"

    def __contains__(self, piece: str) -> bool:
        return piece in self.text or self.patterns.search(piece) is not None


def _unknown(piece: str, known: Known) -> bool:
    piece = " ".join(piece.split()).strip(" .'’\"“”")
    words = [x for x in WORD.findall(piece) if x not in TECHNICAL]
    return any(len(x) > 2 for x in words) and piece not in known


def bypassed(texts: list[str], known: Known) -> list[str]:
    """The English runs left once pseudo-translated text, content and other modules' words are
    dropped."""
    found = []
    for text in texts:
        for run in re.split(r"[\n\[\]]+", _drop_pseudo(text)):
            run = " ".join(run.split()).strip(" .,:;·—–-()“”\"'?!…✔✘●○◐ℹ⬇▲→")
            if " " not in run and (re.search(r"[0-9/?=#]", run) or re.fullmatch(CODE, run)):
                continue  # a join code, a link
            words = [x for x in WORD.findall(run) if x not in TECHNICAL]
            if not any(len(x) > 2 for x in words):
                continue
            if run not in known and any(_unknown(piece, known) for piece in PIECES.split(run)):
                found.append(run)
    return sorted(set(found))


# --- the pages ----------------------------------------------------------------------------------

def _lab_texts() -> list[str]:
    from npkit.course.widgets.scenario_lab import ScenarioLab

    lab = ScenarioLab(library().cases, start="jane")
    texts = visible_text(lab.widget)
    lab.quick["imminent_threat"].value = not lab.quick["imminent_threat"].value
    lab.edit("no.such.control", True)  # refused: a message
    texts += visible_text(lab.widget)
    lab.show_counterfactuals()
    lab.explain("no such row")
    texts += visible_text(lab.widget)
    lab.set_state({"case": "no-such-case", "changes": {}})
    texts += visible_text(lab.widget)
    lab.reset()
    return texts + visible_text(lab.widget)


def _quiz_texts() -> list[str]:
    from npkit.course.widgets.quiz import Quiz

    quiz = Quiz()
    texts = visible_text(quiz.widget)
    for n, radio in enumerate(quiz.radios.values()):
        if n % 2:
            radio.value = radio.options[0][1]
    quiz.check.click()
    texts += visible_text(quiz.widget)
    quiz.next.click()
    texts += visible_text(quiz.widget) + [quiz.progress_line()]
    return texts


def _workshop_texts(tmp_path) -> list[str]:
    from npkit.course.widgets.workshop_trainee import TraineePage
    from npkit.course.widgets.workshop_trainer import TrainerPage
    from npkit.store.learners import Store
    from npkit.store.workshop import Workshop

    store = Store.open(tmp_path / "ws.sqlite")
    ws, cases = Workshop(store), library().cases
    trainer = TrainerPage(cases, workshop=ws)
    texts = visible_text(trainer.widget)
    trainer.case.value = "jane"
    trainer.start_button.click()
    trainee = TraineePage(cases, workshop=ws, query=f"session={trainer.code}")
    texts += visible_text(trainee.widget)
    trainee.nickname.value = "Owl"
    trainee.join_button.click()
    trainee.send_button.click()  # nothing chosen: refused
    texts += visible_text(trainee.widget)
    trainee.choice.value = trainee.choice.options[0][1]
    trainee.send_button.click()
    trainer.refresh(force=True)
    texts += visible_text(trainer.widget)
    for button in (trainer.lock_button, trainer.reveal_button, trainer.panel_button,
                   trainer.export_button, trainer.delete_button):
        button.click()
        texts += visible_text(trainer.widget)
    trainee.refresh(force=True)
    texts += visible_text(trainee.widget)
    trainer.next_button.click()
    trainee.refresh()
    texts += visible_text(trainee.widget) + visible_text(trainer.widget)
    trainer.confirm_delete_button.click()
    trainee.refresh()
    texts += visible_text(trainee.widget) + visible_text(trainer.widget)
    for page in (trainer, trainee):
        page.close()
    store.close()
    return texts


def test_the_scenario_lab_shows_no_english_that_bypassed_the_catalogue(known):
    assert bypassed(_lab_texts(), known) == []


def test_the_quiz_shows_no_english_that_bypassed_the_catalogue(known):
    assert bypassed(_quiz_texts(), known) == []


def test_the_workshop_pages_show_no_english_that_bypassed_the_catalogue(known, tmp_path):
    assert bypassed(_workshop_texts(tmp_path), known) == []


def test_the_checker_finds_a_string_that_bypassed_the_catalogue(known):
    """What a forgotten ``_()`` leaves on a page is found, and named."""
    shown = [*_html_text(f"<p>{i18n._('Check answers')} Reset to the case file</p>"),
             *_html_text(f"<p>{i18n._('Press <strong>{button}</strong> first.')}</p>"),
             *_html_text("<p>Your answer, <em>yes</em>, matches npkit's answer.</p>")]
    found = bypassed(shown, known)
    assert "Reset to the case file" in found and "matches npkit's answer" in found
    assert not any("Check" in run or "Press" in run for run in found)
