"""The workshop in two languages (issue 17): each page shows a question in its own kernel's
language, and the store keeps only ids and values, so a trainee answering in Thai and one
answering in English count in the same bar of the trainer's chart.

Each page is a kernel of its own under Voila; here the pages share one process, so the language
is switched (npkit.i18n.use) before each page acts, as its kernel would have it."""

from __future__ import annotations

import base64
import html
import re

import pytest

from npkit import i18n
from npkit.casefile.library import library
from npkit.course.widgets.workshop_trainee import TraineePage
from npkit.course.widgets.workshop_trainer import TrainerPage
from npkit.store.learners import Store
from npkit.store.workshop import Workshop

THAI = re.compile("[\u0e00-\u0e7f]")


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use(i18n.DEFAULT)


@pytest.fixture
def ws(tmp_path):
    store = Store.open(tmp_path / "ws.sqlite")
    yield Workshop(store)
    store.close()


def _bars(chart: str) -> dict[str, str]:
    """value -> the bar's row text, from the trainer's chart."""
    rows = re.findall(r'<tr data-value="([^"]+)">(.*?)</tr>', chart, flags=re.S)
    return {v: " ".join(re.sub(r"<[^>]+>", " ", body).split()) for v, body in rows}


def test_a_thai_and_an_english_answer_count_in_the_same_bar(ws):
    cases = library().cases
    i18n.use("th")
    trainer = TrainerPage(cases, workshop=ws)
    trainer.case.value = "jane"
    trainer.start_button.click()
    assert trainer.code, trainer.status.value
    first = trainer.view.questions[0]
    assert first.kind == "outcome"

    seats = {}
    for lang, nickname in (("th", "นกฮูก"), ("en", "Owl")):
        i18n.use(lang)
        page = TraineePage(cases, workshop=ws, query=f"session={trainer.code}")
        page.nickname.value = nickname
        page.join_button.click()
        labels = dict((v, lab) for lab, v in page.choice.options)
        assert set(labels) == set(first.values)  # the same values in every language
        if lang == "th":
            assert all(THAI.search(lab) for lab in labels.values()), labels
            assert THAI.search(page.send_button.description)
        else:
            assert labels["fails"] == "fails"
            assert page.send_button.description == "Send answer"
        page.choice.value = "fails"
        page.send_button.click()
        seats[lang] = page

    tally = ws.tally(trainer.code, trainer.secret, first.qid)
    assert tally.respondents == 2 and tally.counts.get("fails") == 2

    i18n.use("th")  # the trainer's kernel
    trainer.refresh(force=True)
    bars = _bars(trainer.chart.value)
    assert set(bars) == set(first.values)
    assert "2" in bars["fails"] and THAI.search(bars["fails"]), bars
    assert THAI.search(trainer.question.value)

    i18n.use("en")  # the English trainee's kernel sees its own words after the reveal
    trainer.reveal_button.click()
    seats["en"].refresh(force=True)
    shown = html.unescape(seats["en"].reveal.value)
    assert "Your answer, fails, matches npkit's answer." in shown \
        or "Your answer, fails, differs from npkit's answer" in shown
    assert not THAI.search(shown)
    for page in (trainer, *seats.values()):
        page.close()


# --- the trainer page's handouts, and a session read from pages in two languages -----------

def _handout_files(links_value: str) -> dict[str, str]:
    """file name -> the decoded HTML of each download link."""
    found = re.findall(r'href="data:text/html;charset=utf-8;base64,([^"]+)" download="([^"]+)"',
                       links_value)
    return {name: base64.b64decode(b).decode("utf-8") for b, name in found}


@pytest.mark.parametrize("lang", ["en", "th"])
def test_the_trainer_page_prints_the_chosen_case_in_its_language(ws, lang):
    i18n.use(lang)
    trainer = TrainerPage(library().cases, workshop=ws)
    handouts = trainer.handouts
    assert handouts in trainer.start_form.children
    row, links, status = handouts.children
    button, paper = row.children
    trainer.case.value = "jane"
    assert paper.value == "a4"
    button.click()
    files = _handout_files(links.value)
    tail = "" if lang == "en" else "-th"
    assert sorted(files) == [f"jane-answer-key{tail}.html", f"jane-handout{tail}.html"], \
        status.value
    handout, key = files[f"jane-handout{tail}.html"], files[f"jane-answer-key{tail}.html"]
    for doc in (handout, key):
        assert f'<html lang="{lang}"' in doc
        assert "size: A4" in doc
        assert bool(THAI.search(doc)) == (lang == "th")
    if lang == "th":
        assert THAI.search(button.description) and THAI.search(status.value)
    paper.value = "letter"  # another paper: the old links go
    assert links.value == ""
    button.click()
    files = _handout_files(links.value)
    assert files and all("size: Letter" in doc for doc in files.values())
    other = next(c.id for c in trainer.cases if c.id != "jane")
    trainer.case.value = other  # another case: the old links go, and the new are its own
    assert links.value == ""
    button.click()
    assert sorted(_handout_files(links.value)) == [f"{other}-answer-key{tail}.html",
                                                   f"{other}-handout{tail}.html"]
    trainer.close()


def _thai_session_on_jane(ws):
    """A Thai trainer page that has started a session on Jane's case."""
    i18n.use("th")
    trainer = TrainerPage(library().cases, workshop=ws)
    trainer.case.value = "jane"
    trainer.start_button.click()
    return trainer


def test_a_session_started_in_thai_is_stored_in_english_and_shown_in_each_language(ws):
    thai = _thai_session_on_jane(ws)
    assert thai.code, thai.status.value
    stored = ws.session(thai.code).questions
    english_case = next(c for c in library(lang="en").cases if c.id == "jane")
    english_prompts = [q.prompt for q in english_case.questions]
    assert [q.prompt for q in stored] == english_prompts
    for q in stored:  # the store: ids, values and the English words only
        assert not THAI.search(q.prompt), q.prompt
        assert not any(THAI.search(label) for label, _v in q.choices), q.choices
    assert THAI.search(html.unescape(thai.question.value))
    assert not any(p in html.unescape(thai.question.value) for p in english_prompts)

    i18n.use("en")  # the same session opened on an English trainer page
    english = TrainerPage(library().cases, workshop=ws)
    assert english.resume(f"session={thai.code}&secret={thai.secret}"), english.status.value
    shown = html.unescape(english.question.value)
    assert english_prompts[0] in shown and not THAI.search(shown)
    bars = _bars(english.chart.value)
    assert set(bars) == set(stored[0].values)
    assert not any(THAI.search(text) for text in bars.values()), bars

    i18n.use("th")  # and the Thai page still shows Thai after a redraw
    thai.refresh(force=True)
    assert all(THAI.search(text) for text in _bars(thai.chart.value).values())
    for page in (thai, english):
        page.close()


def test_a_thai_trainee_is_refused_in_thai(ws):
    trainer = _thai_session_on_jane(ws)
    trainee = TraineePage(library().cases, workshop=ws, query=f"session={trainer.code}")
    trainee.nickname.value = "น" * 41  # longer than a nickname may be
    trainee.join_button.click()
    said = html.unescape(trainee.status.value)
    assert THAI.search(said) and "41" not in said and "40" in said, said
    assert "nickname" not in said.lower()

    from npkit.store.learners import StoreError

    def broken(*_args, **_kwargs):
        raise StoreError("The answer store is busy or read-only: database is locked")

    trainer.workshop.lock = broken  # the store fails under a button: framed in Thai
    trainer.lock_button.click()
    said = html.unescape(trainer.status.value)
    assert "could not be used just now" not in said and THAI.search(said), said
    assert "database is locked" in said  # the store's own words, for whoever fixes it
    assert "Traceback" not in said
    for page in (trainer, trainee):
        page.close()
