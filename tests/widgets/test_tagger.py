"""Module 1 widgets, driven headless as a trainee would: tick, click, read the feedback."""

import ipywidgets as w
import pytest
from traitlets import TraitError

from npkit.casefile.editing import edit_case
from npkit.casefile.library import get_case, library
from npkit.course.training.tagger import tag_choices
from npkit.course.widgets import tagger as tagger_module
from npkit.course.widgets.tagger import ElementTagger, VictimQuestion

PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def cases():
    return library().cases


@pytest.fixture
def tagger(cases):
    return ElementTagger(cases, "jane")


def tick(t, *tags):
    for tag in tags:
        t.boxes[tag].value = True


def passage_row(html, n):
    """The feedback table row of passage ``n`` (1-based)."""
    return html.split(f"<th scope='row'>Passage {n}</th>")[1].split("</tr>")[0]


def controls(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from controls(child)


def test_starts_on_janes_first_passage(tagger):
    assert tagger.picker.value == "jane"
    assert tagger.passage.value == 0
    assert "Jane is 25" in tagger.passage_view.value
    assert not any(b.value for b in tagger.boxes.values())
    assert tagger.show.disabled
    assert set(tagger.boxes) == {tag for _, tag in tag_choices()}


def test_exact_tags_on_the_first_passage_give_full_marks_for_it(tagger):
    tick(tagger, "act.recruitment")
    tagger.check.click()
    row = passage_row(tagger.feedback.value, 1)
    assert "correct" in row and "not correct" not in row and "partly" not in row
    assert "1 of 1" in row
    assert "recruiting the person" in row  # the term's description
    assert "Your score: 1 of" in tagger.feedback.value


def test_a_wrong_tag_is_reported_as_wrong(tagger):
    tick(tagger, "act.recruitment", "means.abduction")
    tagger.check.click()
    row = passage_row(tagger.feedback.value, 1)
    assert "Wrong" in row and "means: abduction" in row
    assert "partly correct" in row and "1 wrong" in row


def test_missed_tags_are_counted_but_not_named_until_the_answer_is_shown(tagger):
    tagger.check.click()
    row = passage_row(tagger.feedback.value, 2)
    assert "Missed:" in row and "2 acts, 1 means" in row
    assert "transportation" not in row
    tagger.show.click()
    row = passage_row(tagger.feedback.value, 2)
    assert "act: transportation" in row and "means: fraud" in row
    assert "act: receipt" in tagger.answer.value


def test_tags_follow_their_passage(tagger):
    tagger.next.click()
    assert tagger.passage.value == 1 and "bought her tickets" in tagger.passage_view.value
    tick(tagger, "act.transportation")
    tagger.previous.click()
    assert tagger.passage.value == 0
    assert not tagger.boxes["act.transportation"].value
    tagger.passage.value = 1
    assert tagger.boxes["act.transportation"].value
    assert tagger.answers == {1: {"act.transportation"}}
    assert "transportation (act)" in tagger.progress.value


def test_navigation_stops_at_the_ends(tagger):
    assert tagger.previous.disabled
    tagger.previous.click()  # a click on a disabled button (a crafted message) is harmless
    assert tagger.passage.value == 0
    last = len(get_case("jane").narrative) - 1
    tagger.passage.value = last
    assert tagger.next.disabled
    tagger.next.click()
    assert tagger.passage.value == last


def test_changing_tags_after_checking_marks_the_feedback_stale(tagger):
    tagger.check.click()
    tick(tagger, "act.recruitment")
    assert "changed your tags since you checked" in tagger.feedback.value
    assert "Your score: 0 of" in tagger.feedback.value  # the old feedback stays readable
    tagger.check.click()
    assert "since you checked" not in tagger.feedback.value
    assert "Your score: 1 of" in tagger.feedback.value


def test_clear_removes_every_tag(tagger):
    tick(tagger, "act.recruitment")
    tagger.clear.click()
    assert tagger.answers == {}
    assert not tagger.boxes["act.recruitment"].value


def test_picking_another_case_starts_afresh(tagger):
    tick(tagger, "act.recruitment")
    tagger.check.click()
    tagger.picker.value = "john"
    assert tagger.answers == {} and tagger.feedback.value == "" and tagger.show.disabled
    assert "John, 30" in tagger.passage_view.value
    assert len(tagger.passage.options) == len(get_case("john").narrative)


def test_show_the_answer_before_checking_is_ignored(tagger):
    assert tagger.show.disabled
    tagger.show.click()  # what a crafted click on the disabled button does
    assert tagger.answer.value == ""


def test_crafted_values_are_ignored(tagger):
    assert tagger.record(99, {"act.recruitment"}) is False
    assert tagger.record(-1, {"act.recruitment"}) is False
    assert tagger.record("0", {"act.recruitment"}) is False
    assert tagger.record(0, {"act.hacking", PAYLOAD, "act.recruitment"}) is True
    assert tagger.answers == {0: {"act.recruitment"}}
    tagger.load("no-such-case")
    tagger._on_case({"new": PAYLOAD})
    tagger._on_passage({"new": 99})
    assert tagger.picker.value == "jane" and tagger.passage.value == 0
    tagger.check.click()
    assert "Your score: 1 of" in tagger.feedback.value
    assert tagger.status.value == ""
    # the widgets themselves refuse values no control offers
    with pytest.raises(TraitError):
        tagger.passage.set_state({"index": 99})
    with pytest.raises(TraitError):
        tagger.boxes["act.recruitment"].set_state({"value": "yes"})


def test_an_error_in_a_callback_shows_a_message_not_a_traceback(tagger, monkeypatch):
    def broken(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(tagger_module, "score", broken)
    tagger.check.click()  # must not raise
    assert "could not be checked" in tagger.status.value and "boom" in tagger.status.value
    assert "Traceback" not in tagger.status.value
    monkeypatch.undo()
    tagger.check.click()
    assert tagger.status.value == ""


def test_html_in_a_case_is_escaped_everywhere(cases):
    jane = get_case("jane")
    narrative = [p.model_dump() for p in jane.narrative]
    narrative[0]["text"] = f"Jane {PAYLOAD} applied."
    evil = edit_case(jane, narrative=narrative, title=f"Jane {PAYLOAD}")
    t = ElementTagger([evil], "jane")
    tick(t, "act.recruitment")
    t.check.click()
    t.show.click()
    for view in (t.passage_view, t.feedback, t.answer, t.progress, t.status):
        assert "<img" not in view.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in t.passage_view.value
    assert "&lt;img src=x onerror=alert(1)&gt;" in t.answer.value


def test_no_cases_gives_a_readable_message():
    t = ElementTagger([])
    assert isinstance(t.widget, w.HTML) and "no case to tag" in t.widget.value


def test_every_control_is_labelled(tagger):
    for c in controls(tagger.widget):
        if isinstance(c, (w.Checkbox, w.Dropdown, w.Button, w.RadioButtons)):
            assert c.description.strip(), c


# --- the victim question -----------------------------------------------------------------


def test_victim_question_for_the_child(cases):
    q = VictimQuestion(cases, "child")
    assert q.choice.value is None and q.result.value == ""
    assert "Read Nara" in q.story.value
    q.choice.value = "victim"
    q.reveal.click()
    assert "agrees" in q.result.value
    assert "a child needs no means" in q.result.value
    assert "ASEAN NPP study" in q.result.value  # the source of the child rule
    q.choice.value = "not_victim"  # changing the answer after the reveal updates it
    assert "differs" in q.result.value


def test_victim_question_unanswered_is_reported(cases):
    q = VictimQuestion(cases, "sarah")
    q.reveal.click()
    assert "not answered" in q.result.value
    assert "not victim" in q.result.value
    assert "second stay" in q.result.value  # the period of the charge


def test_victim_question_for_a_missing_case(cases):
    q = VictimQuestion(cases, "nobody")
    assert isinstance(q.widget, w.HTML) and "not in the case library" in q.widget.value


def test_victim_question_escapes_the_story(cases):
    john = get_case("john")
    narrative = [p.model_dump() for p in john.narrative]
    narrative[0]["text"] = PAYLOAD
    q = VictimQuestion([edit_case(john, narrative=narrative, lesson=PAYLOAD)], "john")
    q.reveal.click()
    assert "<img" not in q.story.value and "<img" not in q.result.value
    assert "&lt;img" in q.story.value and "&lt;img" in q.result.value


def test_load_moves_the_picker_too(tagger):
    tagger.load("john")
    assert tagger.picker.value == "john" and "John, 30" in tagger.passage_view.value


# --- saved state (npkit.course.binding binds it to the store) -------------------------------------


def test_state_round_trips_into_a_new_tagger(cases):
    import json

    t = ElementTagger(cases, "jane")
    tick(t, "act.recruitment")
    t.next.click()
    tick(t, "act.transportation", "means.fraud")
    t.check.click()
    t.show.click()
    state = t.get_state()
    assert state == json.loads(json.dumps(state))  # plain JSON data
    assert state == {"case": "jane", "passage": 1, "checked": True, "revealed": True,
                     "tags": {"0": ["act.recruitment"],
                              "1": ["act.transportation", "means.fraud"]}}
    again = ElementTagger(cases, "jane")
    assert again.set_state(state) is True
    assert again.get_state() == state
    assert again.boxes["means.fraud"].value and again.passage.value == 1
    # the same view: feedback and answer are recomputed, not stored
    assert again.feedback.value == t.feedback.value and again.answer.value == t.answer.value
    assert not again.show.disabled


def test_state_of_another_case_switches_the_case(cases):
    t = ElementTagger(cases, "jane")
    t.set_state({"case": "john", "passage": 2, "tags": {"2": ["act.harbouring"]}})
    assert t.picker.value == "john" and t.passage.value == 2
    assert t.answers == {2: {"act.harbouring"}} and t.boxes["act.harbouring"].value
    assert t.feedback.value == "" and t.show.disabled  # not checked


def test_a_crafted_state_is_ignored_part_by_part_and_escaped(cases):
    t = ElementTagger(cases, "jane")
    assert t.set_state({"case": PAYLOAD, "tags": {"0": ["act.recruitment"]}}) is True
    assert t.answers == {}  # an unknown case: the tags cannot belong anywhere
    assert t.set_state(["not", "a", "dict"]) is False and t.set_state(None) is False
    t.set_state({
        "case": "jane", "passage": 99, "checked": "yes", "revealed": True, "extra": PAYLOAD,
        "tags": {"0": ["act.recruitment", PAYLOAD, "act.hacking"], "99": ["act.receipt"],
                 "-1": ["act.receipt"], "x": ["act.receipt"], PAYLOAD: ["act.receipt"],
                 "1": PAYLOAD, "2": {"act.receipt": True}, "3": [["act.receipt"]]},
    })
    assert t.answers == {0: {"act.recruitment"}} and t.passage.value == 0
    assert not t.checked and not t.revealed and t.answer.value == ""
    for view in (t.passage_view, t.progress, t.feedback, t.status):
        assert PAYLOAD not in view.value
    t.set_state({"case": "jane", "revealed": True})  # revealed without checking: ignored
    assert t.answer.value == ""


def test_every_change_is_reported_once(cases):
    t = ElementTagger(cases, "jane")
    seen = []
    t.on_change(seen.append)
    tick(t, "act.recruitment")
    assert seen[-1]["tags"] == {"0": ["act.recruitment"]}
    t.next.click()
    assert seen[-1]["passage"] == 1
    t.check.click()
    assert seen[-1]["checked"] is True
    t.clear.click()
    assert seen[-1]["tags"] == {}
    t.picker.value = "john"
    assert seen[-1]["case"] == "john" and len(seen) == 5
    t.set_state({"case": "jane", "tags": {"0": ["act.recruitment"]}})
    assert len(seen) == 5  # restoring is not a change to save


def test_a_failing_listener_does_not_break_the_tagger(cases):
    t = ElementTagger(cases, "jane")

    def broken(_state):
        raise RuntimeError("store gone")

    t.on_change(broken)
    tick(t, "act.recruitment")
    t.check.click()
    assert t.status.value == "" and "Your score: 1 of" in t.feedback.value


def test_changes_are_saved_to_the_store(cases, tmp_path):
    from npkit.course.binding import Learner, bind_learner
    from npkit.store.learners import Store

    with Store.open(tmp_path / "s.sqlite") as store:
        store.learner("amber-otter-42")  # a learner the store knows
        t, q = ElementTagger(cases, "jane"), VictimQuestion(cases, "sarah")
        bind_learner(1, [t, q], learner=Learner("amber-otter-42", None, True), store=store)
        tick(t, "act.recruitment")
        q.choice.value = "not_victim"
        q.reveal.click()
        saved = store.load("amber-otter-42", 1)
    assert saved["tagger"]["tags"] == {"0": ["act.recruitment"]}
    assert saved["victim-sarah"] == {"choice": "not_victim", "revealed": True}


def test_victim_question_state_round_trips_and_refuses_crafted_values(cases):
    q = VictimQuestion(cases, "child")
    q.choice.value = "victim"
    q.reveal.click()
    again = VictimQuestion(cases, "child")
    again.set_state(q.get_state())
    assert again.choice.value == "victim" and again.result.value == q.result.value
    crafted = VictimQuestion(cases, "child")
    crafted.set_state({"choice": PAYLOAD, "revealed": 1})
    assert crafted.choice.value is None and crafted.result.value == ""
    assert q.state_key == "victim-child"
    assert VictimQuestion(cases, "nobody").get_state() == {}
