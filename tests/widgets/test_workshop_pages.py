"""The workshop pages, driven in-process as a trainer and trainees (or a crafted browser message)
would, on SQLite and on PostgreSQL (the ``db_url`` fixture of tests/conftest.py).

Nothing here sleeps: the live view is :meth:`refresh`, called directly."""

from __future__ import annotations

import asyncio
import base64
import html
import io
import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

import ipywidgets as w
import pandas as pd
import pytest

from npkit.casefile.library import library
from npkit.course.widgets import workshop_page, workshop_trainer
from npkit.course.widgets.poll_chart import KEY_MARK
from npkit.course.widgets.workshop_page import session_from_query, status_html
from npkit.course.widgets.workshop_trainee import TraineePage
from npkit.course.widgets.workshop_trainer import TrainerPage
from npkit.store.learners import Store
from npkit.store.workshop import NotFound, Workshop, sessions
from npkit.store.workshop.polls import keys_by_id

HOSTILE_TEXT = "<script>window.__xss=1</script>\n<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def cases():
    return library().cases


@pytest.fixture
def ws(db_url):
    store = Store.open(db_url)
    yield Workshop(store)
    store.close()


@pytest.fixture
def trainer(ws, cases):
    page = TrainerPage(cases, workshop=ws)
    page.case.value = "jane"
    page.title.value = "Cohort 3"
    page.start_button.click()
    assert page.code, page.status.value
    yield page
    page.close()


def join(ws, cases, trainer, nickname, learner=None):
    query = f"session={trainer.code}" + (f"&learner={learner}" if learner else "")
    page = TraineePage(cases, workshop=ws, query=query)
    page.nickname.value = nickname
    page.join_button.click()
    assert page.seat is not None, page.status.value
    return page


def html_of(widget) -> str:
    """Every HTML string a widget tree shows, and every control's label and value."""
    out = []
    if isinstance(widget, w.HTML):
        out.append(widget.value)
    for name in ("description", "placeholder", "tooltip"):
        out.append(str(getattr(widget, name, "") or ""))
    if isinstance(widget, (w.Text, w.Textarea)):
        out.append(widget.value)
    if isinstance(widget, w.RadioButtons):
        out += [str(o) for o in widget.options]
    for child in getattr(widget, "children", ()):
        out.append(html_of(child))
    return "\n".join(out)


def controls(widget):
    if isinstance(widget, (w.Button, w.Dropdown, w.Text, w.Textarea, w.RadioButtons,
                           w.Checkbox)):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from controls(child)


def chart_rows(page) -> dict[str, str]:
    """{choice value: the text of its row} in the trainer's chart."""
    from test_poll_chart import rows

    found = rows(page.chart.value).rows
    q = page.view.current_question
    return {v: found[q.label(v)] for v in q.values}


def go_to(trainer, qid):
    while trainer.view.current != qid:
        trainer.next_button.click()
        assert "Everyone is now on" in trainer.status.value, trainer.status.value


# ---------------------------------------------------------------- starting a session


def test_start_form_offers_only_cases_that_ask_questions(cases):
    page = TrainerPage(cases, workshop=None)
    asked = sorted(c.id for c in cases if c.questions)
    assert sorted(v for _, v in page.case.options) == asked == [
        "child_recruiter", "jane", "john", "plea_offer", "sarah"]
    assert page.case.description == "Case" and page.title.description == "Title"
    assert page.start_form.layout.display is None and page.screen.layout.display == "none"
    page.close()


def test_start_shows_the_join_code_large_and_the_private_trainer_link(trainer, ws):
    code, secret = trainer.code, trainer.secret
    assert len(code) == 6 and len(secret) >= 32
    info = trainer.join_info.value
    assert (f'<p class="npk-joincode"><span aria-hidden="true">{code}</span>'
            f'<span class="npk-sr">{" ".join(code)}</span></p>') in info
    assert f"08_workshop_join.ipynb?session={code}" in info  # no address known outside Voila
    assert secret not in html_of(trainer.stage)  # nothing secret on the projected stage
    # The private link sits in the trainer panel, closed; its secret is in the link's
    # fragment, which a browser never sends to a server.
    assert trainer.panel.layout.display == "none"
    private = trainer.private.value
    (href,) = {h for h in re.findall(r'href="([^"]*)"', private) if "trainer" in h}
    link = urlsplit(html.unescape(href))
    assert link.path == "09_workshop_trainer.ipynb" and link.query == f"session={code}"
    assert parse_qs(link.fragment) == {"secret": [secret]}
    assert "Keep this link private: it controls the session." in private
    assert '<details class="npk-private">' in private  # folded, even in the panel
    assert "Cohort 3" in info
    assert trainer.screen.layout.display is None and trainer.start_form.layout.display == "none"
    assert "Question 1 of 5" in trainer.question.value
    assert ws.trainer_view(code, secret).title == "Cohort 3"


def test_every_control_is_labelled_and_explained(trainer, ws, cases):
    trainee = join(ws, cases, trainer, "Owl")
    for page in (trainer, trainee):
        for c in controls(page.widget):
            assert c.description.strip(), c
            if isinstance(c, w.Button):
                assert c.tooltip and len(c.tooltip) > 10, c.description
    assert trainee.text.placeholder == "Why? One or two sentences"
    assert "At most 1000 characters" in html_of(trainee.text_group)
    assert 'role="status" aria-live="polite"' in trainer.status.value
    trainee.close()


# ---------------------------------------------------------------- answers arrive


def test_three_trainees_answer_and_the_trainer_sees_the_counts_as_text(trainer, ws, cases):
    answers = {"Owl": "fails", "Fox": "fails", "Wren": "succeeds"}
    pages = []
    for nick, value in answers.items():
        t = join(ws, cases, trainer, nick)
        assert t.choice.description == "Your answer"
        assert [v for _, v in t.choice.options] == ["succeeds", "fails"]
        t.choice.value = value
        t.send_button.click()
        assert f"Your answer is recorded: {value}." in t.answer_state.value
        pages.append(t)
    assert trainer.refresh() is True
    assert chart_rows(trainer) == {"succeeds": "succeeds 1 of 3 (33%)",
                                   "fails": "fails 2 of 3 (67%)"}
    assert "3 answered of 3 joined" in trainer.chart.value
    assert ("<strong>3</strong> people have joined; 3 of them have answered this question "
            "(100%).") in trainer.participants.value
    for nick in answers:
        assert nick not in trainer.chart.value and nick not in html_of(trainer.widget)
    for t in pages:
        t.close()


def test_refresh_redraws_only_when_something_changed(trainer, ws, cases):
    drawn = []
    trainer.chart.observe(lambda change: drawn.append(change["new"]), names="value")
    assert trainer.refresh() is False and drawn == []
    t = join(ws, cases, trainer, "Owl")
    assert trainer.refresh() is True and "0 answered of 1 joined" in drawn[-1]
    assert trainer.refresh() is False and len(drawn) == 1
    t.choice.value = "fails"
    t.send_button.click()
    assert trainer.refresh() is True and "1 answered of 1 joined" in drawn[-1]
    t.send_button.click()  # the same answer again: nothing changed for the room
    assert trainer.refresh() is False and len(drawn) == 2
    t.close()


def test_changing_an_answer_replaces_it(trainer, ws, cases):
    t = join(ws, cases, trainer, "Owl")
    t.choice.value = "fails"
    t.send_button.click()
    t.choice.value = "succeeds"
    t.send_button.click()
    trainer.refresh()
    assert chart_rows(trainer) == {"succeeds": "succeeds 1 of 1 (100%)",
                                   "fails": "fails 0 of 1 (0%)"}
    assert ws.my_answers(trainer.code, t.seat.token) == {"duress-ew": "succeeds"}
    t.close()


# ---------------------------------------------------------------- lock, reveal, next


def test_a_locked_question_refuses_answers_with_a_message_and_the_store_is_unchanged(
        trainer, ws, cases):
    t = join(ws, cases, trainer, "Owl")
    stale = join(ws, cases, trainer, "Fox")  # never refreshed: its buttons still look open
    t.choice.value = "fails"
    t.send_button.click()
    trainer.lock_button.click()
    assert trainer.lock_button.description == "Reopen"
    assert "answers closed" in trainer.question.value
    assert "the store refuses new ones" in trainer.status.value

    assert t.refresh() is True
    assert t.choice.disabled and t.send_button.disabled
    assert "The trainer has closed this question" in t.closed.value
    t.choice.value = "succeeds"  # a crafted message sets a value and clicks the disabled button
    t.send_button.click()
    assert "closed this question; your answer was not recorded" in t.status.value
    assert not stale.send_button.disabled
    stale.choice.value = "succeeds"
    stale.send_button.click()
    assert "your answer was not recorded" in stale.status.value
    assert "The trainer has closed this question" in stale.closed.value  # it caught up

    assert ws.my_answers(trainer.code, t.seat.token) == {"duress-ew": "fails"}
    assert ws.my_answers(trainer.code, stale.seat.token) == {}
    trainer.refresh()
    assert chart_rows(trainer)["succeeds"] == "succeeds 0 of 1 (0%)"

    trainer.lock_button.click()  # "Reopen"
    assert trainer.lock_button.description == "Lock answers"
    stale.send_button.click()
    assert "Your answer is recorded: succeeds." in stale.answer_state.value
    t.close()
    stale.close()


def test_reveal_shows_npkits_answer_to_trainer_and_trainee_but_never_the_room(
        trainer, ws, cases):
    key = keys_by_id(next(c for c in cases if c.id == "jane"))["duress-ew"]
    owl, fox = join(ws, cases, trainer, "Owl"), join(ws, cases, trainer, "Fox")
    owl.choice.value, fox.choice.value = "succeeds", "fails"
    owl.send_button.click()
    fox.send_button.click()
    assert owl.reveal.value == ""
    trainer.reveal_button.click()
    assert trainer.reveal_button.description == "Hide npkit's answer"
    rows = chart_rows(trainer)
    assert "npkit's answer" in rows["fails"] and "npkit's answer" not in rows["succeeds"]
    assert owl.refresh() is True
    shown = owl.reveal.value
    assert KEY_MARK in shown and "<strong>fails</strong>" in shown
    for reason in key.why:
        assert str(reason.source) in html.unescape(shown)
    # in words, whether the trainee matched npkit's answer
    assert "Your answer, succeeds, differs from npkit&#39;s answer (fails)." in shown
    fox.refresh()
    assert "Your answer, fails, matches npkit&#39;s answer." in fox.reveal.value
    page = html_of(owl.widget)
    assert "of 2" not in page and "answered" not in page  # no count of the room
    assert "Fox" not in page
    trainer.reveal_button.click()  # "Hide"
    owl.refresh()
    assert owl.reveal.value == ""
    owl.close()
    fox.close()


def test_next_moves_every_trainee_and_an_unsent_answer_survives_a_refresh(trainer, ws, cases):
    t = join(ws, cases, trainer, "Owl")
    t.choice.value = "fails"  # chosen, not sent
    assert t.refresh() is False and t.choice.value == "fails"
    trainer.reveal_button.click()  # only a flag changes: the choice stays
    assert t.refresh() is True and t.choice.value == "fails" and t.reveal.value
    trainer.next_button.click()
    assert "Everyone is now on question 2 of 5" in trainer.status.value
    assert t.refresh() is True
    assert t.question_id == "causation" == trainer.view.current
    assert "Question 2 of 5" in t.heading.value
    assert "causation-based" in t.prompt.value
    assert t.choice.value is None and t.reveal.value == ""
    trainer.prev_button.click()
    t.refresh()
    assert t.question_id == "duress-ew"
    t.close()


def test_which_question_has_one_labelled_checkbox_per_choice(trainer, ws, cases):
    go_to(trainer, "states")
    t = join(ws, cases, trainer, "Owl")
    assert t.check_group.layout.display is None and t.choice.layout.display == "none"
    assert [c.description for c in t.checks.values()][:3] == ["Brunei Darussalam", "Indonesia",
                                                               "Cambodia"]
    assert "Tick every one that applies" in t.checks_label.value
    t.checks["PH"].value = True
    t.checks["ID"].value = True
    t.send_button.click()
    assert "Your answer is recorded: Indonesia, Philippines." in t.answer_state.value
    trainer.refresh()
    rows = chart_rows(trainer)
    assert rows["PH"] == "Philippines 1 of 1 (100%)" and rows["KH"] == "Cambodia 0 of 1 (0%)"
    # a reload (same learner would get the same seat) shows the ticks again
    t2 = TraineePage(cases, workshop=ws)
    t2.seat, t2.view = t.seat, ws.session(trainer.code)
    t2.refresh(force=True)
    assert {v for v, c in t2.checks.items() if c.value} == {"ID", "PH"}
    t.close()
    t2.close()


def test_going_back_and_forth_between_questions_leaves_no_widget_behind(trainer, ws, cases):
    """Each "which" question makes its checkboxes and each free-text question its answer box;
    the last question's are closed with their own parts, or every state request (a page
    reconnecting asks for all of them) would carry them: after a first round of the
    questions (a part first shown gets its own Layout, once), the kernel holds as many widgets
    on the same question after each round as before."""
    from ipywidgets.widgets.widget import _instances

    go_to(trainer, "states")
    t = join(ws, cases, trainer, "Owl")
    rounds = []
    for _ in range(3):
        for step in (trainer.next_button, trainer.prev_button):  # why, then states again
            step.click()
            assert t.refresh() is True
        assert t.question_id == "states" and len(t.checks) == 10
        rounds.append(len(_instances))
    assert rounds[1] == rounds[2] == rounds[0], rounds
    t.close()


# ---------------------------------------------------------------- hostile input


def test_hostile_free_text_is_shown_as_text_and_keeps_its_line_breaks(trainer, ws, cases):
    go_to(trainer, "why")
    t = join(ws, cases, trainer, "Owl")
    assert t.text_group.layout.display is None
    t.text.value = HOSTILE_TEXT + "\x00\x07\u202e done"
    t.send_button.click()
    assert "Your answer is recorded" in t.answer_state.value
    assert "<script>" not in t.answer_state.value and "&lt;script&gt;" in t.answer_state.value
    trainer.refresh()
    chart = trainer.chart.value
    assert "<script>" not in chart and "<img" not in chart
    assert "&lt;script&gt;window.__xss=1&lt;/script&gt;\n&lt;img src=x onerror=alert(1)&gt;" \
        in chart
    assert "\x00" not in chart and "\x07" not in chart and "\u202e" not in chart
    assert 'class="npk-text"' in chart  # npkit.css keeps its line breaks (pre-wrap)
    t.close()


def test_typed_fields_send_when_left_and_each_free_text_question_has_a_new_box(
        trainer, ws, cases):
    """Every field a trainer or trainee types into sends its text when it is left, not at each
    key (ui.typed: a button pressed right after typing must not overtake the text; the
    browser's side is in tests/browser/test_browser_workshop.py). So text typed for one
    free-text question and never sent may be only in the browser: the next free-text question
    gets a box of its own, holding that question's recorded answer, and the old box is
    closed."""
    go_to(trainer, "why")
    t = join(ws, cases, trainer, "Owl")
    shown = [c for page in (trainer, t) for c in controls(page.widget)
             if isinstance(c, (w.Text, w.Textarea)) and c.layout.display != "none"]
    assert {c.description for c in shown} == {"Title", "Address for the room",
                                              "Session code", "Nickname (no real names)",
                                              "Your answer"}
    assert not [c.description for c in shown if c.continuous_update]
    first = t.text
    first.value = "Forced to work"
    t.send_button.click()
    assert "Your answer is recorded" in t.answer_state.value, t.status.value
    trainer.prev_button.click()
    assert t.refresh() is True and t.text is first  # not a free-text question: no new box
    trainer.next_button.click()
    assert t.refresh() is True
    assert t.text is not first and first.comm is None and first.layout.comm is None  # closed
    assert t.text_group.children[0] is t.text and not t.text.continuous_update
    assert t.text.value == "Forced to work" and t.text.description == "Your answer"
    # a new box on a closed question is closed too
    trainer.lock_button.click()
    trainer.prev_button.click()
    t.refresh()
    second = t.text
    trainer.next_button.click()
    assert t.refresh() is True and t.text is not second and t.text.disabled
    t.close()


def test_too_long_text_is_refused_with_a_message_and_stays_in_the_box(trainer, ws, cases):
    go_to(trainer, "why")
    t = join(ws, cases, trainer, "Owl")
    long = "x" * 5000
    t.text.value = long
    t.send_button.click()
    assert "at most 1000 characters; this one has 5000" in t.status.value
    assert t.text.value == long
    assert ws.my_answers(trainer.code, t.seat.token) == {}
    t.close()


def test_a_lone_surrogate_is_stored_as_a_replacement_character(trainer, ws, cases):
    go_to(trainer, "why")
    t = join(ws, cases, trainer, "Owl")
    t.text.value = "a\ud800b"  # what json.loads makes of a crafted "\\ud800" in a message
    t.send_button.click()
    assert ws.my_answers(trainer.code, t.seat.token) == {"why": "a\ufffdb"}
    trainer.refresh()
    assert "a\ufffdb" in trainer.chart.value
    for page in (trainer, t):
        json.dumps(html_of(page.widget)).encode("utf-8")  # every value can be sent
        assert "\ud800" not in html_of(page.widget).replace(t.text.value, "")
    t.close()


def test_hostile_nickname_and_title_are_escaped(ws, cases):
    trainer = TrainerPage(cases, workshop=ws)
    trainer.title.value = "<b onmouseover=alert(1)>Cohort</b>"
    trainer.start_button.click()
    assert "<b onmouseover" not in trainer.join_info.value
    assert "&lt;b onmouseover=alert(1)&gt;Cohort&lt;/b&gt;" in trainer.join_info.value
    t = TraineePage(cases, workshop=ws, query=f"session={trainer.code}")
    t.nickname.value = "<img src=x onerror=alert(1)>"
    t.join_button.click()
    assert t.seat is not None
    assert "<img" not in t.heading.value + t.status.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in t.heading.value
    t2 = TraineePage(cases, workshop=ws, query=f"session={trainer.code}")
    t2.nickname.value = "x" * 41
    t2.join_button.click()
    long_title = TrainerPage(cases, workshop=ws)
    long_title.title.value = "T" * 121
    long_title.start_button.click()
    assert "A title has at most 120 characters; this one has 121." in long_title.status.value
    assert long_title.code is None
    long_title.close()
    assert t2.seat is None and "A nickname has at most 40 characters" in t2.status.value
    for page in (trainer, t, t2):
        page.close()


def test_a_trainee_never_sees_another_trainees_text_or_nickname(trainer, ws, cases):
    go_to(trainer, "why")
    owl, fox = join(ws, cases, trainer, "Owl-7"), join(ws, cases, trainer, "Fox-9")
    owl.text.value = "Owl's secret reason"
    fox.text.value = "Fox's private reason"
    owl.send_button.click()
    fox.send_button.click()
    trainer.reveal_button.click()
    trainer.refresh()
    assert "Owl&#39;s secret reason" in trainer.chart.value
    assert "Fox&#39;s private reason" in trainer.chart.value
    for page, other in ((owl, fox), (fox, owl)):
        page.refresh()
        shown = html_of(page.widget)
        assert other.seat.nickname not in shown
        assert other.text.value.replace("'", "&#39;") not in shown
        assert other.text.value not in shown
        assert "no single right answer" in page.reveal.value
    owl.close()
    fox.close()


# ---------------------------------------------------------------- crafted clicks


def test_crafted_clicks_on_disabled_or_hidden_buttons_do_nothing_harmful(trainer, ws, cases):
    assert trainer.prev_button.disabled
    trainer.prev_button.click()
    assert trainer.view.current == "duress-ew" and "first question" in trainer.status.value
    go_to(trainer, "why")
    assert trainer.next_button.disabled
    trainer.next_button.click()
    assert ws.session(trainer.code).current == "why" and "last question" in trainer.status.value

    trainer.confirm_delete_button.click()  # hidden until "Delete this session" is pressed
    assert "Press “Delete this session” first." in trainer.status.value
    assert ws.session(trainer.code).code == trainer.code

    t = join(ws, cases, trainer, "Owl")
    t.join_button.click()  # hidden once seated: a second click takes no second seat
    assert ws.participants(trainer.code, trainer.secret) == 1

    fresh = TrainerPage(cases, workshop=ws)  # no session: every control refuses politely
    for button in (fresh.lock_button, fresh.reveal_button, fresh.next_button,
                   fresh.export_button, fresh.delete_button):
        button.click()
        assert "Start a session first." in fresh.status.value
    fresh.case.value = None  # a value no option offers
    fresh.start_button.click()
    assert "Choose one of the cases in the list." in fresh.status.value
    assert fresh.code is None
    t.close()
    fresh.close()


def test_a_trainee_must_join_and_choose_before_sending(trainer, ws, cases):
    t = TraineePage(cases, workshop=ws, query=f"session={trainer.code}")
    t.send_button.click()
    assert "Join the session before answering." in t.status.value
    t.nickname.value = "Owl"
    t.join_button.click()
    t.send_button.click()  # nothing chosen
    assert "Choose one of the options first." in t.status.value
    assert ws.my_answers(trainer.code, t.seat.token) == {}
    t.close()


# ---------------------------------------------------------------- joining


def test_the_code_comes_from_the_address_and_typing_is_forgiving(trainer, ws, cases):
    t = TraineePage(cases, workshop=ws, query=f"session={trainer.code.lower()}")
    assert t.code.value == trainer.code
    t2 = TraineePage(cases, workshop=ws)
    t2.code.value = " " + "-".join([trainer.code[:3], trainer.code[3:]]).lower()
    t2.nickname.value = "Owl"
    t2.join_button.click()
    assert t2.seat is not None and t2.seat.code == trainer.code
    assert "You have joined “Cohort 3” as Owl." in t2.status.value
    t.close()
    t2.close()


def test_unknown_code_and_full_session_are_readable_refusals(trainer, ws, cases, monkeypatch):
    t = TraineePage(cases, workshop=ws)
    t.code.value, t.nickname.value = "ZZZZZZ", "Owl"
    t.join_button.click()
    assert "There is no session ZZZZZZ" in t.status.value
    assert t.seat is None and t.join_form.layout.display is None
    t.code.value = "hello"
    t.join_button.click()
    assert "A session code is 6 letters and digits" in t.status.value
    monkeypatch.setattr(sessions, "MAX_PARTICIPANTS", 1)
    join(ws, cases, trainer, "First")
    t.code.value = trainer.code
    t.join_button.click()
    assert "This session is full." in t.status.value and t.seat is None
    t.close()


def test_a_learner_code_in_the_address_keeps_the_seat_across_a_reload(trainer, ws, cases):
    query = f"session={trainer.code}&learner=amber-otter-427&nick=Amber"
    first = TraineePage(cases, workshop=ws, query=query)
    assert first.nickname.value == "Amber"
    first.join_button.click()
    assert "You have joined" in first.status.value  # no earlier answers: no "welcome back"
    assert "Welcome back" not in first.status.value
    first.choice.value = "fails"
    first.send_button.click()
    reloaded = TraineePage(cases, workshop=ws, query=query)
    reloaded.join_button.click()
    assert reloaded.seat.token == first.seat.token
    assert reloaded.choice.value == "fails"  # the answer given before the reload
    assert "Welcome back" in reloaded.status.value
    assert "your 1 earlier answer is remembered" in reloaded.status.value
    assert ws.participants(trainer.code, trainer.secret) == 1
    first.close()
    reloaded.close()


def test_query_fields_are_strict():
    assert session_from_query("session=k7m2qx&secret=abc") == ("K7M2QX", "abc")
    assert session_from_query("session=K7M2QX&session=ABCDEF") == (None, None)
    assert session_from_query("session=<script>") == (None, None)
    assert session_from_query("secret=" + "s" * 500) == (None, None)
    assert session_from_query(None) == (None, None)
    assert session_from_query("x" * 5000) == (None, None)


# ---------------------------------------------------------------- resume, export, delete


def test_the_trainer_link_reopens_the_session_in_a_new_page(trainer, ws, cases):
    again = TrainerPage(cases, workshop=ws)
    assert again.resume(f"session={trainer.code}&secret={trainer.secret}") is True
    assert again.code == trainer.code and "Question 1 of 5" in again.question.value
    assert f"Session {trainer.code} reopened." in again.status.value
    wrong = TrainerPage(cases, workshop=ws)
    assert wrong.resume(f"session={trainer.code}&secret=not-the-secret") is False
    assert "do not match" in wrong.status.value
    assert wrong.code is None and wrong.start_form.layout.display is None
    assert wrong.resume(f"session={trainer.code}") is False  # a trainee's link: start form
    again.close()
    wrong.close()


def test_the_secret_arrives_through_the_hidden_field_which_keeps_nothing(trainer, ws, cases):
    """What npkit.js does with the trainer link's fragment: it types "session=...&secret=..."
    into ``link_key``. The kernel empties the field (the secret stays out of the widgets'
    state) and treats the value as untrusted: a wrong secret gets the usual refusal."""
    assert trainer.link_key.layout.display == "none"
    assert "npk-trainer-key" in trainer.link_key._dom_classes
    assert isinstance(trainer.link_key, w.Password)
    page = TrainerPage(cases, workshop=ws)
    page.link_key.value = f"session={trainer.code}&secret=not-the-secret"
    assert page.link_key.value == "" and page.code is None
    assert "do not match" in page.status.value
    for crafted in ("<script>", "session=K7M2QX&session=ABCDEF&secret=x", "x" * 5000,
                    f"session={trainer.code}"):
        page.link_key.value = crafted
        assert page.link_key.value == "" and page.code is None, crafted
    page.link_key.value = f"session={trainer.code.lower()}&secret={trainer.secret}"
    assert page.link_key.value == "" and page.code == trainer.code
    assert f"Session {trainer.code} reopened." in page.status.value
    assert "Question 1 of 5" in page.question.value
    page.close()


def test_a_secret_in_the_query_string_is_refused(trainer, ws, cases, monkeypatch):
    """An old-style link (?session=...&secret=...) has sent the secret where servers log it:
    the page does not open the session with it and says why."""
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)  # no polling
    monkeypatch.setattr(workshop_trainer, "page_query",
                        lambda: f"session={trainer.code}&secret={trainer.secret}")
    page = TrainerPage(cases, workshop=ws)
    page.from_url()
    assert page.code is None and page.start_form.layout.display is None
    assert "servers write in their logs, so it is not used" in page.status.value
    monkeypatch.setattr(workshop_trainer, "page_query", lambda: f"session={trainer.code}")
    quiet = TrainerPage(cases, workshop=ws)
    quiet.from_url()  # the code alone: the start form, until the page hands the secret over
    assert quiet.code is None and quiet.status.value == ""
    page.close()
    quiet.close()


def decode(link_html: str, name: str) -> str:
    href = link_html.split(f'download="{name}"')[0].rsplit('href="', 1)[1].split('"')[0]
    return base64.b64decode(unquote(href.split("base64,", 1)[1])).decode("utf-8")


def test_export_gives_a_csv_and_a_summary_without_nicknames(trainer, ws, cases):
    t = join(ws, cases, trainer, "<b>Owl</b>")
    t.choice.value = "fails"
    t.send_button.click()
    trainer.export_button.click()
    html = trainer.export.value
    assert "Download results (CSV)" in html and "Download summary (HTML)" in html
    assert 'href="data:text/csv;charset=utf-8;base64,' in html
    name = f"npkit-workshop-{trainer.code}"
    frame = pd.read_csv(io.StringIO(decode(html, f"{name}-results.csv")))
    assert list(frame["participant"]) == ["P1"] and list(frame["answer"]) == ["fails"]
    assert bool(frame["matches_npkit"][0]) is True
    summary = decode(html, f"{name}-summary.html")
    assert "Workshop summary: Cohort 3" in summary and "Owl" not in summary
    t.close()


def test_delete_needs_a_second_press_then_the_session_is_gone(trainer, ws, cases):
    code = trainer.code
    t = join(ws, cases, trainer, "Owl")
    t.choice.value = "fails"
    t.send_button.click()
    trainer.delete_button.click()
    assert trainer.confirm_box.layout.display is None
    assert f"Delete session {code}?" in trainer.confirm_text.value
    assert ws.session(code).code == code  # nothing deleted yet
    trainer.cancel_delete_button.click()
    assert trainer.confirm_box.layout.display == "none" and ws.session(code)
    trainer.confirm_delete_button.click()  # the confirm state was cancelled in the kernel
    assert ws.session(code).code == code

    trainer.delete_button.click()
    trainer.confirm_delete_button.click()
    with pytest.raises(NotFound):
        ws.session(code)
    assert f"Session {code} was deleted, with its 1 participants and 1 answers." in \
        trainer.ended.value
    assert trainer.code is None and trainer.screen.layout.display == "none"
    assert trainer.start_form.layout.display is None
    assert code not in trainer.join_info.value + trainer.chart.value
    assert t.refresh() is True
    assert "This session has ended" in t.closed.value and t.send_button.disabled
    t.close()


# ---------------------------------------------------------------- polling and failures


def test_the_polling_loop_survives_failures_and_stops_when_asked(trainer):
    calls = []

    def flaky(force=False):
        calls.append(force)
        raise RuntimeError("boom")

    trainer.refresh = flaky
    asyncio.run(trainer.poll(0, rounds=3))
    assert len(calls) == 3 and trainer.polls == 3

    async def run_and_stop():
        task = trainer.start_polling(0, force=True)
        assert task is not None and trainer.start_polling(0, force=True) is task
        while trainer.polls < 6:
            await asyncio.sleep(0)
        trainer.stop_polling()
        await asyncio.sleep(0)
        return task

    task = asyncio.run(run_and_stop())
    assert task.cancelled() or task.done()


def test_polling_is_off_outside_voila(trainer, monkeypatch):
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    assert trainer.start_polling(1.0) is None
    trainer.from_url()  # no address outside Voila: nothing changes, nothing waits
    assert trainer.code is not None and trainer._task is None


def test_an_unusable_store_is_a_readable_panel_not_a_traceback(tmp_path, monkeypatch, cases):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.delenv("NPKIT_DB_URL", raising=False)
    monkeypatch.setenv("NPKIT_STORE", str(blocker / "store.sqlite"))
    trainer, trainee = TrainerPage(cases), TraineePage(cases, query="session=K7M2QX")
    assert "cannot be kept on this computer" in trainer.problem.value
    assert "cannot be reached on this computer" in trainee.problem.value
    trainer.start_button.click()
    assert "cannot be kept on this computer" in trainer.status.value
    trainee.nickname.value = "Owl"
    trainee.join_button.click()
    assert "cannot be reached" in trainee.status.value and "Traceback" not in trainee.status.value
    trainer.close()
    trainee.close()


def test_a_store_failure_during_refresh_is_shown_and_the_page_keeps_working(trainer, ws):
    real = ws.tally

    def broken(*args):
        from npkit.store.learners import StoreError
        raise StoreError("The answer store is busy or read-only: database is locked")

    ws.tally = broken
    assert trainer.refresh() is False
    assert "could not be read just now" in trainer.status.value
    ws.tally = real
    assert trainer.refresh(force=True) is True


def test_status_line_is_escaped():
    assert "<b>" not in status_html("<b>bold</b>", "problem")
    assert workshop_page.readable(ValueError("a nickname has at most 40 characters")) == \
        "A nickname has at most 40 characters"


# ---------------------------------------------------------------- fifty participants
# (how long a refresh takes is measured by make bench: benchmarks/inprocess.py)


def test_refresh_with_fifty_participants_redraws_once_then_waits_for_news(trainer, ws):
    q = "duress-ew"
    for n in range(50):
        seat = ws.join(trainer.code, f"P{n}")
        ws.answer(trainer.code, seat.token, q, "fails" if n % 3 else "succeeds")
    assert trainer.refresh(force=True) is True
    assert trainer.refresh() is False  # nothing new: nothing redrawn
    assert chart_rows(trainer)["fails"] == "fails 33 of 50 (66%)"
    seat = ws.join(trainer.code, "P50")
    ws.answer(trainer.code, seat.token, q, "fails")
    assert trainer.refresh() is True
    assert chart_rows(trainer)["fails"] == "fails 34 of 51 (67%)"


# ---------------------------------------------------------------- issue 15: the room


def vault_actions(page) -> list[dict[str, str]]:
    """What the trainer page last asked npkit.js to remember or forget."""
    return [dict(re.findall(r'data-([a-z-]+)="([^"]*)"', tag))
            for tag in re.findall(r"<span data-npk-vault[^>]*>", page.vault.value)]


def test_the_stage_shows_the_join_address_its_qr_code_and_the_room_password(
        trainer, monkeypatch):
    monkeypatch.setenv("NPKIT_ROOM_PASSWORD", "k7m2-qx9p-4dwh")
    monkeypatch.setenv("NPKIT_ROOM_USER", "trainee")
    monkeypatch.delenv("NPKIT_JOIN_URL", raising=False)
    monkeypatch.setenv("NPKIT_COURSE_HOST", "127.0.0.1")
    trainer.origin_key.value = "http://127.0.0.1:8866/"  # what npkit.js hands over
    info = trainer.join_info.value
    assert '<p class="npk-join-address">http:/<wbr>/<wbr>127.0.0.1:8866/<wbr>join</p>' in info
    assert f'aria-label="QR code that opens http://127.0.0.1:8866/join/{trainer.code}"' in info
    assert '<svg viewBox="0 0 37 37" class="npk-qr-svg">' in info  # drawn here, no image URL
    assert "k7m2-qx9p-4dwh" in info and "user name trainee" in info
    assert "works on this computer only" in trainer.address_note.value  # for the trainer
    assert "works on this computer only" not in info  # not for the room
    monkeypatch.setenv("NPKIT_JOIN_URL", "http://192.168.1.20:8080/join")
    trainer.origin_key.value = "http://127.0.0.1:8080/"
    assert "192.168.1.20:8080/<wbr>join" in trainer.join_info.value
    assert trainer.address_note.value.count("npk-room-note") == 0
    trainer.address.value = "10.0.0.5:9000"  # the trainer's own: wins over the configured
    trainer.address_button.click()
    assert trainer.join_address() == "http://10.0.0.5:9000/join"
    assert f"http://10.0.0.5:9000/join/{trainer.code}" in trainer.join_info.value
    trainer.address.value = "javascript:alert(1)"
    trainer.address_button.click()
    assert "not an address a phone can open" in trainer.status.value
    assert trainer.join_address() == "http://10.0.0.5:9000/join"


def test_present_and_the_trainer_panel_keep_the_secret_off_the_projector(trainer):
    assert trainer.panel.layout.display == "none"
    assert trainer.secret not in html_of(trainer.stage) + html_of(trainer.controls)
    assert trainer.secret in trainer.private.value and trainer.private in trainer.panel.children
    assert trainer.delete_button in controls(trainer.panel)
    trainer.panel_button.click()
    assert trainer.panel.layout.display is None
    assert trainer.panel_button.description == "Hide trainer panel"
    trainer.present_button.click()  # presenting closes the panel
    assert "npk-presenting" in trainer.widget._dom_classes
    assert trainer.present_button.description == "Stop presenting"
    assert trainer.panel.layout.display == "none"
    trainer.present_button.click()
    assert "npk-presenting" not in trainer.widget._dom_classes
    assert trainer.present_button.description == "Present"


def test_the_browser_remembers_the_session_and_a_reload_offers_to_resume_it(trainer, ws,
                                                                            cases):
    (remember,) = vault_actions(trainer)
    assert remember == {"npk-vault": "remember", "code": trainer.code,
                        "secret": trainer.secret, "title": "Cohort 3", "n": "1"}
    assert trainer.vault.layout.display == "none"
    trainer._vault_at -= workshop_trainer.VAULT_SECONDS + 1
    trainer.refresh()
    assert trainer.vault.value == ""  # read by npkit.js by then: the secret leaves the page
    # the reloaded page: npkit.js hands over the newest remembered session, as an offer
    page = TrainerPage(cases, workshop=ws)
    page.link_key.value = f"session={trainer.code}&secret={trainer.secret}&offer=1"
    assert page.link_key.value == "" and page.code is None  # offered, not opened
    assert page.resume_box.layout.display is None
    assert page.resume_button.description == f"Resume session {trainer.code}"
    assert "Cohort 3" in page.resume_text.value
    page.resume_button.click()
    assert page.code == trainer.code and f"Session {trainer.code} reopened." in \
        page.status.value
    assert page.resume_box.layout.display == "none"
    # a remembered session that is gone (or a key that fails) is offered no more, forgotten
    stale = TrainerPage(cases, workshop=ws)
    stale.link_key.value = f"session={trainer.code}&secret=not-the-secret&offer=1"
    assert stale.resume_box.layout.display == "none" and stale.code is None
    assert [a["npk-vault"] for a in vault_actions(stale)] == ["forget"]
    assert "not-the-secret" not in stale.vault.value
    stale.resume_button.click()  # a crafted click on the hidden button
    assert stale.code is None and "No session to resume" in stale.status.value
    page.delete_button.click()
    page.confirm_delete_button.click()
    assert [(a["npk-vault"], a["code"]) for a in vault_actions(page)] == [
        ("forget", trainer.code)]
    for p in (page, stale):
        p.close()


def test_a_countdown_shows_on_both_pages_and_closes_the_question(trainer, ws, cases):
    clock = [ws.clock()]
    ws.clock = lambda: clock[0]
    owl = join(ws, cases, trainer, "Owl")
    trainer.timer_seconds.value = 30
    trainer.timer_button.click()
    assert "Answers close in 30 seconds" in trainer.status.value
    assert trainer.timer_button.description == "Stop countdown"
    assert 'data-npk-countdown="30"' in trainer.question.value
    assert "0:30 left" in trainer.question.value
    assert owl.refresh() is True
    assert 'data-npk-countdown="30"' in owl.countdown.value and 'role="timer"' in \
        owl.countdown.value
    clock[0] += timedelta(seconds=31)
    assert owl.refresh() is True
    assert owl.countdown.value == "" and owl.send_button.disabled
    assert "Time is up: answers to this question are closed." in owl.closed.value
    owl.choice.value = "fails"
    owl.send_button.click()  # a crafted click: the store refuses it
    assert "Time is up for this question" in owl.status.value
    assert ws.my_answers(trainer.code, owl.seat.token) == {}
    trainer.refresh()
    assert "time is up: answers closed" in trainer.question.value
    assert trainer.lock_button.description == "Reopen"
    trainer.timer_seconds.value = 2  # a crafted value below the limit is bounded in the
    assert trainer.timer_seconds.value == 5  # kernel too (and the store checks it again)
    owl.close()


def test_the_trainee_starts_each_question_unanswered_and_learns_whether_they_matched(
        trainer, ws, cases):
    owl = join(ws, cases, trainer, "Owl")
    assert "Not answered yet." in owl.answer_state.value
    owl.choice.value = "succeeds"
    owl.send_button.click()
    assert "Your answer is recorded: succeeds." in owl.answer_state.value
    trainer.reveal_button.click()
    owl.refresh()
    assert "Your answer, succeeds, differs from npkit&#39;s answer (fails)." in \
        owl.reveal.value
    trainer.next_button.click()
    owl.refresh()
    assert "Not answered yet." in owl.answer_state.value  # not the last question's
    assert "recorded" not in owl.answer_state.value + owl.status.value
    trainer.reveal_button.click()
    owl.refresh()
    assert "You did not answer this question." in owl.reveal.value
    owl.close()


def test_the_trainers_words_for_how_trainees_answer_and_who_has(trainer, ws, cases):
    assert "Trainees choose one answer." in trainer.question.value
    assert "Nobody has joined yet." in trainer.participants.value
    owl = join(ws, cases, trainer, "Owl")
    trainer.refresh()
    assert "<strong>1</strong> person has joined; they have not answered this question " \
           "yet." in trainer.participants.value
    join(ws, cases, trainer, "Fox").close()
    trainer.refresh()
    assert "2</strong> people have joined; none of them has answered this question yet." \
        in trainer.participants.value
    go_to(trainer, "why")
    assert "Trainees answer in their own words." in trainer.question.value
    assert "give" not in trainer.question.value and "(0 of" not in trainer.participants.value
    owl.close()


def test_an_impossible_code_is_corrected_kindly(trainer, ws, cases):
    t = TraineePage(cases, workshop=ws)
    t.nickname.value = "Owl"
    for typed in (trainer.code[:5] + "0", "K7M2Q1"):
        t.code.value = typed
        t.join_button.click()
        assert "codes never use 1, 0, I, L or O" in t.status.value and t.seat is None
    # a code with a Q or D read as O or 0 names the session it meant
    target = trainer.code
    if "Q" in target or "D" in target:
        typo = target.replace("Q", "O").replace("D", "0")
        t.code.value = typo.lower()
        t.join_button.click()
        assert f"Did you mean {target}?" in t.status.value
    # /join/K7M2Q0: the page shows the code as typed, and says what it should be
    shown = TraineePage(cases, workshop=ws, query="session=k7m2q0")
    assert shown.code.value == "k7m2q0" and "never use 1, 0, I, L or O" in shown.status.value
    t.close()
    shown.close()


def test_after_joining_the_page_names_its_seat_for_the_address(trainer, ws, cases):
    t = TraineePage(cases, workshop=ws, query="learner=amber-otter-42")  # from the landing
    t.code.value = trainer.code.lower()
    t.nickname.value = "<b>Owl</b>"
    t.join_button.click()
    assert t.seat is not None and t.code.value == trainer.code
    assert t.seat_note.layout.display == "none"
    assert (f'<span class="npk-seat" data-session="{trainer.code}" '
            'data-nick="&lt;b&gt;Owl&lt;/b&gt;" hidden></span>') in t.seat_note.value
    t.close()
