"""The workshop in two languages (issue 17): each page shows a question in its own kernel's
language, and the store keeps only ids and values, so a trainee answering in Thai and one
answering in English count in the same bar of the trainer's chart.

Each page is a kernel of its own under Voila; here the pages share one process, so the language
is switched (npkit.i18n.use) before each page acts, as its kernel would have it."""

from __future__ import annotations

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
