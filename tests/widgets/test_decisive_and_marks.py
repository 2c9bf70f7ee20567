"""Issue 11 §2-§3 for the consumers: every renderer, widget, the quiz and the workshop show the
reason the engine names as decisive (never a guess from the order of the reasons), and an
outcome that rests on npkit's reading or on law from outside npkit's sources carries that mark,
in words, at the outcome itself.

The findings here are planted by hand: the decisive reason is deliberately NOT the first (nor
the last) reason, so the tests hold whichever reason the law modules pick."""

from __future__ import annotations

import html
import re
from dataclasses import replace
from types import SimpleNamespace

import pytest

from npkit.casefile.library import get_case
from npkit.course.training import quiz as qz
from npkit.course.widgets import asean as asean_widget
from npkit.course.widgets.duress_checklist import _table_html
from npkit.course.widgets.models_table import models_table_html
from npkit.course.widgets.outcome_matrix import OutcomeMatrix, rows, table_html
from npkit.course.widgets.poll_chart import reveal_html
from npkit.course.widgets.quiz import feedback_body
from npkit.engine.assessment import Assessment, assess
from npkit.engine.findings import Finding, Reason
from npkit.law.citations import OUTSIDE_MARK, Confidence, fitz, outside, reading
from npkit.questions import AnswerKey
from npkit.render.frame import matrix, matrix_markdown, outcomes_frame
from npkit.render.markdown import to_markdown
from npkit.render.marks import analogue_label, international_analogue, marks_words
from npkit.render.text import summary, to_text
from npkit.store.workshop import report
from npkit.store.workshop.sessions import PollQuestion, Tally

READING = Confidence.NPKIT_READING.label
EVIL = '<img src=x onerror="alert(1)">'


def _reasons(area: str, decisive_cite, text: str):
    first = Reason(f"{area}: context that does not decide", fitz("IV.B.2"), f"{area}.context")
    decider = Reason(text, decisive_cite, f"{area}.planted")
    last = Reason(f"{area}: a closing remark", fitz("IV.C"), f"{area}.closing")
    return (first, decider, last), decider


@pytest.fixture(scope="module")
def planted():
    """Jane's assessment with three findings replaced: a model decided by npkit's reading, a
    duress variant decided by outside law, and a state decided by npkit's reading."""
    jane = assess(get_case("jane"), counterfactuals=False)
    e = jane.evaluation
    m_reasons, m_dec = _reasons("models.causation", reading("planted test"),
                                f"The planted decisive reason {EVIL}")
    model = Finding("models.causation", "Causation (but-for)", "protected", True, m_reasons,
                    {}, (), decisive=m_dec)
    d_reasons, d_dec = _reasons("duress.england_wales", outside("R v Planted", "a test"),
                                "The planted duress reason")
    duress = Finding("duress.england_wales", "Duress — England & Wales", "fails", False,
                     d_reasons, {"variant": "england_wales"}, e.duress["england_wales"].children,
                     decisive=d_dec)
    j_reasons, j_dec = _reasons("jurisdictions.PH", reading("planted state"),
                                "The planted state reason")
    state = Finding("jurisdictions.PH", "Philippines", "protected", True, j_reasons, {}, (),
                    decisive=j_dec)
    evaluation = replace(e, models={**e.models, "causation": model},
                         duress={**e.duress, "england_wales": duress},
                         jurisdictions={**e.jurisdictions, "PH": state})
    a = Assessment(jane.case, jane.facts, evaluation)
    return SimpleNamespace(a=a, model=model, duress=duress, state=state)


def _row(text: str, attr: str, key: str) -> str:
    m = re.search(rf"<tr[^>]*{attr}=[\"']{re.escape(key)}[\"'][^>]*>(.*?)</tr>", text, re.S)
    assert m, f"no row {key}"
    return m.group(1)


def _cells(row_html: str) -> list[str]:
    return re.findall(r"<td[^>]*>(.*?)</td>", row_html, re.S)


def test_planted_findings_decide_with_a_reason_that_is_neither_first_nor_last(planted):
    for node in (planted.model, planted.duress, planted.state):
        assert node.decisive is not node.reasons[0] and node.decisive is not node.reasons[-1]
    assert planted.model.marks == (Confidence.NPKIT_READING,)
    assert planted.duress.marks == (Confidence.OUTSIDE_SOURCES,)


# --- renderers -------------------------------------------------------------------------------

def test_markdown_table_shows_the_decisive_reason_and_the_mark_at_the_outcome(planted):
    md = to_markdown(planted.a)
    line = next(x for x in md.splitlines() if x.startswith("| causation |"))
    outcome, because = line.split(" | ")[1:3]
    assert "planted decisive reason" in because and "context" not in because
    assert EVIL not in md  # escaped
    assert READING in outcome
    duress_line = next(x for x in md.splitlines() if x.startswith("| england\\_wales |"))
    assert "planted duress reason" in duress_line and "verify before use" in duress_line


def test_text_summary_puts_the_mark_on_the_outcome_line(planted):
    lines = summary(planted.a)
    assert f"Model causation: protected [{READING}]" in lines
    assert f"Duress (england_wales): fails [{OUTSIDE_MARK}]" in lines
    assert any(x.startswith("States: ") and f"PH protected [{READING}]" in x for x in lines)
    unmarked = [x for x in lines if x.startswith("Model ") and "[" not in x]
    assert unmarked  # only outcomes that rest on a caveat are marked
    assert f"Model causation: protected [{READING}]" in to_text(planted.a)


def test_outcomes_frame_takes_the_decisive_reason(planted):
    frame = outcomes_frame(planted.a)
    row = frame[(frame.group == "models") & (frame.test == "causation")].iloc[0]
    assert row.because == planted.model.decisive.text
    assert row.source == str(planted.model.decisive.source)
    assert row.marks == READING
    duress = frame[(frame.group == "duress") & (frame.test == "england_wales")].iloc[0]
    assert duress.because == "The planted duress reason" and duress.marks == OUTSIDE_MARK


def test_matrix_cells_carry_the_marks_the_engine_gives():
    cases = [get_case("jane"), get_case("sarah")]
    table = matrix(cases)
    for case in cases:
        a = assess(case, counterfactuals=False)
        nodes = {"victim": a.victim, **{f"duress.{k}": v for k, v in a.duress.items()},
                 **{f"models.{k}": v for k, v in a.models.items()},
                 **{f"jurisdictions.{k}": v for k, v in a.jurisdictions.items()}}
        for col, node in nodes.items():
            assert table.attrs["marks"].get((case.id, col), "") == marks_words(node.marks)
    assert table.loc["jane", "victim"] in ("victim", "not_victim")  # cells stay outcome words


def test_matrix_markdown_marks_a_planted_cell(planted, monkeypatch):
    import npkit.engine.assessment

    monkeypatch.setattr(npkit.engine.assessment, "assess", lambda *args, **kw: planted.a)
    table = matrix([planted.a.case])
    assert table.attrs["marks"][("jane", "models.causation")] == READING
    assert table.attrs["marks"][("jane", "duress.england_wales")] == OUTSIDE_MARK
    head, _, row = matrix_markdown(table).splitlines()[:3]
    cells = dict(zip(head.split(" | "), row.split(" | "), strict=True))
    assert cells["models.causation"].replace("\\", "") == f"protected [{READING}]"
    assert OUTSIDE_MARK in cells["duress.england\\_wales"].replace("\\", "")


# --- widgets ---------------------------------------------------------------------------------

def test_models_table_shows_the_engines_decisive_reason_and_the_mark(planted):
    text = models_table_html(planted.a)
    cells = _cells(_row(text, "data-row", "models.causation"))
    outcome, because = cells[0], cells[1]
    assert html.unescape(because) == planted.model.decisive.text  # escaped, and the decisive
    assert EVIL not in text
    assert READING in html.unescape(outcome)
    d_cells = _cells(_row(text, "data-row", "duress.england_wales"))
    assert html.unescape(d_cells[1]) == "The planted duress reason"
    assert OUTSIDE_MARK in html.unescape(d_cells[0])


def test_outcome_matrix_cell_shows_the_mark_in_words(planted):
    m = OutcomeMatrix()
    m.set_baseline(planted.a)
    row = _row(m.table.value, "data-key", "models.causation")
    now = _cells(row)[1]
    assert READING in html.unescape(now) and "npk-mark" in now
    assert OUTSIDE_MARK in html.unescape(_cells(_row(m.table.value, "data-key",
                                                     "duress.england_wales"))[1])
    plain = table_html(rows(planted.a))
    assert READING in html.unescape(_cells(_row(plain, "data-key", "models.causation"))[1])


def test_asean_case_row_shows_the_decisive_reason_and_the_mark(planted, monkeypatch):
    monkeypatch.setattr(asean_widget, "assess", lambda *args, **kw: planted.a)
    view = asean_widget.AseanCase([get_case("jane")])
    view.compare.click()  # decide first: the table is shown once the trainee compares
    cells = _cells(_row(view.table.value, "data-row", "PH"))
    assert READING in html.unescape(cells[0])
    shown = html.unescape(cells[1].split("<details>")[0])  # before "Full reasoning"
    assert "The planted state reason" in shown
    assert "context that does not decide" not in shown


def test_rome_statute_is_labelled_the_international_analogue_wherever_variants_meet():
    a = assess(get_case("jane"), counterfactuals=False)
    rome = a.duress["rome_statute"]
    assert international_analogue(rome)
    assert not any(international_analogue(a.duress[k]) for k in ("england_wales", "malaysia"))
    label = analogue_label()
    by_key = {r.key: r for r in rows(a)}
    assert label in by_key["duress.rome_statute"].note
    assert not by_key["duress.malaysia"].note
    assert label in html.unescape(_row(models_table_html(a), "data-row", "duress.rome_statute"))
    from npkit.course.training.checklist import compare

    head = re.search(r"<thead>(.*?)</thead>", _table_html(compare(a, {})), re.S).group(1)
    assert head.count(label) == 1
    assert label.lower() in to_markdown(a)
    assert label.lower() in matrix_markdown(matrix([get_case("jane")])).splitlines()[0]


# --- quiz --------------------------------------------------------------------------------------

def test_quiz_why_is_the_decisive_reason_and_feedback_says_what_it_rests_on(planted):
    spec = qz.Spec("planted", 3, "jane", "outcome", "models.causation", "Is {name} protected?")
    q = qz._outcome_question(spec, planted.a.case, planted.a)
    assert q.why == planted.model.decisive.text and q.source == planted.model.decisive.source
    assert Confidence.NPKIT_READING in q.caveats
    fb = qz.grade(q, q.answer)
    assert READING in fb.rests_on
    body = feedback_body(fb)
    assert fb.rests_on in html.unescape(body) and EVIL not in body
    outside_spec = qz.Spec("planted-d", 2, "jane", "outcome", "duress.england_wales", "{name}?")
    fb = qz.grade(qz._outcome_question(outside_spec, planted.a.case, planted.a), "fails")
    assert OUTSIDE_MARK in fb.rests_on


def test_quiz_feedback_is_silent_when_nothing_needs_saying():
    q = qz.Question("plain", 1, "A?", (("yes", "yes"), ("no", "no")), "yes", "Because.",
                    fitz("II.B"))
    fb = qz.grade(q, "yes")
    assert fb.rests_on == "" and "rests on" not in feedback_body(fb)
    assert qz.grade(q, "<crafted>").status == qz.INVALID


# --- workshop ----------------------------------------------------------------------------------

def _poll_and_key(planted) -> tuple[PollQuestion, AnswerKey]:
    from npkit.casefile.case import Question

    question = Question(id="planted", prompt="Causation?", kind="outcome",
                        path="models.causation")
    poll = PollQuestion("planted", "Causation?", "outcome",
                        (("protected", "protected"), ("not protected", "not_protected")),
                        revealed=True)
    return poll, question


def test_answer_key_puts_the_decisive_reason_first_and_carries_the_marks(planted, monkeypatch):
    import npkit.questions as questions

    monkeypatch.setattr(questions, "assess", lambda *args, **kw: planted.a)
    poll, question = _poll_and_key(planted)
    key = questions.answer_key(planted.a.case, question)
    assert key.why[0] is planted.model.decisive
    assert key.marks == (Confidence.NPKIT_READING,)
    reveal = reveal_html(poll, key)
    assert "This answer rests on" in reveal and READING in html.unescape(reveal)
    assert EVIL not in reveal


def test_workshop_report_says_what_npkits_answer_rests_on(planted, monkeypatch):
    import npkit.questions as questions

    monkeypatch.setattr(questions, "assess", lambda *args, **kw: planted.a)
    poll, question = _poll_and_key(planted)
    key = questions.answer_key(planted.a.case, question)
    view = SimpleNamespace(title="Cohort", case_id="jane", code="ABC123",
                           created_at="2026-12-04T19:00:00")
    tally = Tally(poll, 2, {"protected": 1, "not_protected": 1}, ())
    monkeypatch.setattr(report, "_gather", lambda *a: (view, [tally], {"planted": key}))
    ws = SimpleNamespace(participants=lambda code, secret: 2)
    md = report.summary_markdown(ws, "ABC123", "secret", planted.a.case)
    line = next(x for x in md.splitlines() if x.startswith("**npkit's answer:**"))
    assert "rests on" in line and "npkit" in line and "reading" in line
    page = report.summary_html(ws, "ABC123", "secret", planted.a.case)
    assert f"rests on {html.escape(READING)}" in page and EVIL not in page
