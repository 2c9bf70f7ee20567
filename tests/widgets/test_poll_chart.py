"""The poll chart: counts as text as well as bars, npkit's answer marked in words once revealed
(and not before), free texts escaped with their line breaks kept."""

import re
from html import unescape
from html.parser import HTMLParser

import pytest

from npkit.casefile.library import get_case
from npkit.course.widgets.poll_chart import (
    PREVIEW_CHARS,
    bar_label,
    chart_html,
    count_text,
    key_words,
    percent,
    reveal_html,
)
from npkit.engine.findings import Reason
from npkit.law.citations import Citation
from npkit.questions import AnswerKey
from npkit.store.workshop import PollQuestion, Tally
from npkit.store.workshop.polls import keys_by_id, poll_questions

HOSTILE = "<img src=x onerror=alert(1)>"


class Rows(HTMLParser):
    """{label: row text} of the chart's rows (a row is one bar), whitespace tidied."""

    def __init__(self):
        super().__init__()
        self.rows, self._value, self._label, self._text = {}, None, None, []

    def handle_starttag(self, tag, attrs):
        if tag == "tr" and "data-value" in dict(attrs):
            self._value, self._label, self._text = dict(attrs)["data-value"], "", []
        elif tag in ("th", "td") and self._value is not None:
            self._text.append(" ")  # cells are read one after another
        elif tag == "span" and self._label == "" and "".join(self._text).strip():
            self._label = "".join(self._text)  # the label ends where the mark begins

    def handle_endtag(self, tag):
        if tag == "th" and self._value is not None and not self._label:
            self._label = "".join(self._text)
        if tag == "tr" and self._value is not None:
            self.rows[" ".join(self._label.split())] = " ".join("".join(self._text).split())
            self._value = None

    def handle_data(self, data):
        if self._value is not None:
            self._text.append(data)


def rows(html):
    p = Rows()
    p.feed(html)
    return p


@pytest.fixture(scope="module")
def jane():
    case = get_case("jane")
    return poll_questions(case), keys_by_id(case)


def tally(q, counts, respondents, texts=()):
    full = {v: 0 for v in q.values} | counts
    return Tally(q, respondents, full, tuple(texts))


def test_percentages_are_whole_numbers_rounded_half_up():
    assert [percent(n, 3) for n in range(4)] == [0, 33, 67, 100]
    assert percent(1, 8) == 13  # 12.5 rounds up, not to the even 12
    assert percent(0, 0) == 0
    assert count_text(2, 3) == "2 of 3 (67%)"
    assert bar_label("fails", 2, 3) == "fails — 2 of 3 (67%)"


def test_every_bar_says_its_count_and_percentage_in_words(jane):
    questions, keys = jane
    q = questions[0]  # duress-ew: succeeds / fails
    html = chart_html(tally(q, {"fails": 2, "succeeds": 1}, 3), joined=4)
    found = rows(html).rows
    assert found == {"succeeds": "succeeds 1 of 3 (33%)", "fails": "fails 2 of 3 (67%)"}
    assert "3 answered of 4 joined" in html
    assert 'title="fails — 2 of 3 (67%)"' in html
    # the bar is a picture of the text: hidden from screen readers, width from the count
    assert '<span class="npk-bar-track" aria-hidden="true">' in html
    assert "width:67%" in html and "width:33%" in html
    assert '<th scope="col">Answer</th>' in html
    assert "<script" not in html and "src=" not in html and "http" not in html


def test_npkits_answer_is_not_shown_before_the_reveal(jane):
    questions, keys = jane
    q = questions[0]
    html = chart_html(tally(q, {"fails": 1}, 1), 1, keys[q.qid])
    assert "npkit's answer" not in html
    assert keys[q.qid].why[0].text not in html


def test_revealed_answer_is_marked_in_words_with_its_reasons_and_sources(jane):
    questions, keys = jane
    q = questions[0]
    key = keys[q.qid]
    html = chart_html(tally(q, {"fails": 2, "succeeds": 1}, 3), 3, key, revealed=True)
    found = rows(html).rows
    assert found["fails"].startswith("fails npkit's answer")
    assert "npk-key-mark" in html and "<svg" in html  # the tick is drawn, not a font glyph
    assert "npkit's answer" not in found["succeeds"]
    assert "npk-bar npk-bar-key" in html  # a second channel only: the words above are first
    for reason in key.why:
        assert reason.text in unescape(html)
        assert str(reason.source) in unescape(html)


def test_which_question_marks_every_state_npkit_names(jane):
    questions, keys = jane
    q = next(x for x in questions if x.kind == "which")
    key = keys[q.qid]
    html = chart_html(tally(q, {"PH": 2, "ID": 1, "TH": 1}, 2), 2, key, revealed=True)
    found = rows(html).rows
    marked = {label for label, text in found.items() if "npkit's answer" in text}
    assert marked == {q.label(v) for v in key.correct} == {"Philippines"}
    assert found["Philippines"].endswith("2 of 2 (100%)")
    assert "more than 100" in html  # several choices each
    assert key_words(q, key) == "Philippines"


def test_a_key_with_no_correct_choice_says_none():
    q = PollQuestion("q", "Which?", "which", (("A", "a"), ("B", "b")))
    key = AnswerKey(None, q.choices, frozenset(), ())
    assert key_words(q, key) == "none of the options"
    assert "none of the options" in reveal_html(q, key)


def test_case_text_in_labels_prompts_and_reasons_is_escaped():
    q = PollQuestion("q", HOSTILE, "outcome", ((HOSTILE, "x"), ("fine", "y")), revealed=True)
    src = Citation(source="fitzgerald2024", pinpoint=HOSTILE)
    key = AnswerKey(None, q.choices, frozenset({"x"}), (Reason(HOSTILE, src),))
    html = chart_html(tally(q, {"x": 1}, 1), 1, key)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html


def test_free_texts_are_escaped_without_names_and_keep_their_line_breaks():
    q = PollQuestion("why", "Why?", "free_text")
    texts = ("<script>alert(1)</script>\nsecond line", "plain", "a\ud800b")
    html = chart_html(Tally(q, 3, {}, texts), 5)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;\nsecond line" in html
    assert 'class="npk-text"' in html  # npkit.css: white-space: pre-wrap
    assert "a\ufffdb" in html and "\ud800" not in html  # a lone surrogate would break the message
    assert html.count("<li>") == 3
    assert "3 answered of 5 joined" in html
    assert 'aria-label="Answers, without names"' in html


def test_a_long_free_text_shows_its_beginning_and_the_rest_on_request():
    q = PollQuestion("why", "Why?", "free_text")
    long = "word " * 200  # 1000 characters
    html = chart_html(Tally(q, 2, {}, (long.strip(), "line\n" * 12 + "end")), 2)
    assert html.count("<details><summary>Show the whole answer</summary>") == 2
    preview = unescape(html.split('<div class="npk-text">')[1].split("</div>")[0])
    assert len(preview) <= PREVIEW_CHARS + 1 and preview.endswith("…")
    assert long.strip() in html  # the whole text is still there, behind the summary


def test_no_answers_yet():
    q = PollQuestion("why", "Why?", "free_text")
    assert "No answers yet." in chart_html(Tally(q, 0, {}, ()), 0)
    q2 = PollQuestion("q", "Q?", "outcome", (("yes", "yes"), ("no", "no")))
    assert rows(chart_html(tally(q2, {}, 0), 0)).rows == {"yes": "yes 0 of 0 (0%)",
                                                         "no": "no 0 of 0 (0%)"}


def test_reveal_for_free_text_and_for_a_missing_key():
    free = PollQuestion("why", "Why?", "free_text")
    assert "no single right answer" in reveal_html(free, None)
    q = PollQuestion("q", "Q?", "outcome", (("yes", "yes"),))
    assert "not available" in reveal_html(q, None)


def test_the_trainee_is_told_in_words_whether_their_answer_matches_npkits(jane):
    questions, keys = jane
    q = questions[0]  # npkit: fails
    key = keys[q.qid]
    agrees = reveal_html(q, key, "fails")
    assert "Your answer, fails, matches npkit's answer." in unescape(agrees)
    assert 'data-match="agrees"' in agrees
    differs = unescape(reveal_html(q, key, "succeeds"))
    assert "Your answer, succeeds, differs from npkit's answer (fails)." in differs
    assert "You did not answer this question." in reveal_html(q, key, None)
    assert "npk-match" not in reveal_html(q, key)  # the trainer's screen: no "your answer"
    which = next(x for x in questions if x.kind == "which")
    wkey = keys[which.qid]
    assert "matches npkit's answer" in unescape(reveal_html(which, wkey, sorted(wkey.correct)))
    assert "differs" in reveal_html(which, wkey, [])
    free = next(x for x in questions if x.kind == "free_text")
    assert "npk-match" not in reveal_html(free, keys.get(free.qid), "my words")


def test_the_reasons_under_a_which_answer_name_their_state(jane):
    questions, keys = jane
    q = next(x for x in questions if x.kind == "which")
    key = keys[q.qid]
    assert key.why_from  # one state or model per reason
    html = unescape(re.sub(r"<[^>]+>", "", reveal_html(q, key)))
    for giver, reason in zip(key.why_from, key.why, strict=True):
        assert f"{giver}: {reason.text}" in html
