"""Learner identity from the page URL, and binding a module's widgets to the store."""

import sqlite3

import pytest

from npkit.casefile.library import library
from npkit.course import binding as learner_module
from npkit.course.binding import ANONYMOUS, Learner, bind_learner, current_learner, parse_learner
from npkit.course.widgets.decision_path import DecisionPath, WhyPunish
from npkit.course.widgets.duress_checklist import DuressChecklist
from npkit.course.widgets.quiz import Quiz
from npkit.course.widgets.tagger import ElementTagger, VictimQuestion
from npkit.store.learners import Store, StoreError

CODE = "amber-otter-4271"
AMBER = Learner(CODE, "Amber", True)
EVIL = "<img src=x onerror=alert(1)>"
VOILA_VARS = ("VOILA_KERNEL_ID", "VOILA_PREHEAT", "QUERY_STRING")


@pytest.fixture(scope="module")
def cases():
    return library().cases


@pytest.fixture
def db(tmp_path):
    """A store that knows Amber (as if the course had issued her code)."""
    with Store.open(tmp_path / "learners.sqlite") as s:
        s.learner(CODE)
        yield s


@pytest.fixture
def clean_env(monkeypatch, tmp_path):
    """No Voila variables, a store path that must stay untouched, no cached learner."""
    for name in VOILA_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NPKIT_STORE", str(tmp_path / "untouched" / "learners.sqlite"))
    monkeypatch.setattr(learner_module, "_current", None)
    return tmp_path / "untouched"


def fail_if_called(*_args, **_kw):
    raise AssertionError("must not be called outside Voila")


# --- the query string -------------------------------------------------------------------------


@pytest.mark.parametrize("query,expected", [
    ("learner=amber-otter-4271", Learner(CODE, None, True)),
    ("?learner=amber-otter-4271&nick=Amber", AMBER),
    ("nick=Amber&learner=amber-otter-4271&theme=dark", AMBER),
    ("learner=amber-otter-4271&nick=Am%00ber%0A", AMBER),  # control characters removed
    ("learner=amber-otter-4271&nick=Ren%C3%A9e+K.", Learner(CODE, "Renée K.", True)),
    ("learner=amber-otter-4271&nick=" + "n" * 41, Learner(CODE, None, True)),  # nick dropped
    ("learner=amber-otter-4271&nick=a&nick=b", Learner(CODE, None, True)),
    ("learner=amber-otter-4271&nick=%3Cb%3E", Learner(CODE, "<b>", True)),  # escaped on show
])
def test_a_valid_code_names_a_persistent_learner(query, expected):
    assert parse_learner(query) == expected


@pytest.mark.parametrize("query", [
    "", "?", "nick=Amber", "learner=", "learner=abc", "learner=Amber-Otter",
    "learner=amber+otter", "learner=amber_otter", "learner=-amber", "learner=" + "a" * 41,
    "learner=amber-otter-4271&learner=other-one", "learner=amber-otter-42",
    "learner=%3Cimg%3E", "learner=amber-otter-4271" + "&x=1" * 30,
    "learner=amber-otter-4271&pad=" + "x" * 3000, None, 42, b"learner=amber-otter-4271",
])
def test_anything_else_is_anonymous(query):
    assert parse_learner(query) == ANONYMOUS


def test_voila_variable_names_agree_with_the_installed_voila():
    from voila.utils import ENV_VARIABLE

    assert ENV_VARIABLE.VOILA_KERNEL_ID == learner_module.KERNEL_ID_VARIABLE
    assert ENV_VARIABLE.VOILA_PREHEAT == learner_module.PREHEAT_VARIABLE
    assert ENV_VARIABLE.QUERY_STRING == learner_module.QUERY_VARIABLE


# --- current_learner ----------------------------------------------------------------------------


def test_outside_voila_the_learner_is_anonymous_at_once(clean_env, monkeypatch):
    import voila.utils

    monkeypatch.setattr(voila.utils, "get_query_string", fail_if_called)
    # "at once": nothing that could wait is asked (Voila's query socket, the store)
    monkeypatch.setattr(learner_module, "_request_info", fail_if_called)
    monkeypatch.setenv("QUERY_STRING", "learner=amber-otter-4271")  # not Voila: ignored
    assert current_learner() == ANONYMOUS
    assert not clean_env.exists()


def test_under_voila_the_code_comes_from_the_query_string(clean_env, monkeypatch):
    import voila.utils

    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "learner=amber-otter-4271&nick=Amber")
    assert voila.utils.get_query_string() == "learner=amber-otter-4271&nick=Amber"  # no wait
    assert current_learner() == AMBER
    monkeypatch.setenv("QUERY_STRING", "learner=someone-else")
    assert current_learner() == AMBER  # read once per kernel


def test_a_preheated_kernel_asks_voila_once(clean_env, monkeypatch):
    calls = []

    def fake(open_timeout=5.0):
        calls.append(1)
        return {"QUERY_STRING": "learner=amber-otter-4271"}

    monkeypatch.setattr(learner_module, "_request_info", fake)
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    assert current_learner() == Learner(CODE, None, True)
    assert current_learner() == Learner(CODE, None, True)
    assert len(calls) == 1


def test_a_failing_query_string_means_anonymous_not_a_crash(clean_env, monkeypatch):
    def broken(open_timeout=5.0):
        raise OSError("websocket refused")

    monkeypatch.setattr(learner_module, "_request_info", broken)
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    assert current_learner() == ANONYMOUS


def test_voila_without_a_code_is_anonymous(clean_env, monkeypatch):
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    assert current_learner() == ANONYMOUS


# --- bind_learner ------------------------------------------------------------------------------


def test_anonymous_binding_never_touches_the_store(clean_env, cases, monkeypatch):
    monkeypatch.setattr(Store, "open", fail_if_called)
    tagger = ElementTagger(cases, "jane")
    binding = bind_learner(module=1, widgets=[tagger])
    tagger.boxes["act.recruitment"].value = True
    tagger.check.click()
    assert "not saved" in binding.widget.value and "start page" in binding.widget.value
    assert not clean_env.exists()
    assert "Your score: 1 of" in tagger.feedback.value  # the module works as before


def test_binding_through_voila_and_the_environment_store(clean_env, cases, monkeypatch):
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("VOILA_PREHEAT", "False")
    monkeypatch.setenv("QUERY_STRING", "learner=amber-otter-4271&nick=Amber")
    with Store.open() as s:
        s.learner(CODE)  # the course issued the code
    tagger = ElementTagger(cases, "jane")
    binding = bind_learner(module=1, widgets=[tagger])
    assert "Signed in as <strong>Amber</strong>" in binding.widget.value
    tagger.boxes["act.recruitment"].value = True
    with Store.open() as s:
        assert s.path == clean_env / "learners.sqlite"
        assert s.load(CODE, 1)["tagger"]["tags"] == {"0": ["act.recruitment"]}
        assert s.get_learner(CODE).nickname == "Amber"


def test_answers_come_back_after_a_reload(cases, tmp_path):
    path = tmp_path / "s.sqlite"
    with Store.open(path) as first:
        first.learner(CODE)
        tagger, victim = ElementTagger(cases, "jane"), VictimQuestion(cases, "john")
        bind_learner(1, [tagger, victim], learner=AMBER, store=first)
        tagger.next.click()
        tagger.boxes["act.transportation"].value = True
        tagger.check.click()
        victim.choice.value = "victim"
    # a reload is a new kernel: new widgets, a new connection, the same code in the URL
    with Store.open(path) as second:
        tagger2, victim2 = ElementTagger(cases, "jane"), VictimQuestion(cases, "john")
        binding = bind_learner(1, [tagger2, victim2], learner=AMBER, store=second)
    assert binding.restored == 2
    assert tagger2.get_state() == tagger.get_state()
    assert tagger2.passage.value == 1 and tagger2.boxes["act.transportation"].value
    assert tagger2.feedback.value == tagger.feedback.value
    assert victim2.choice.value == "victim"


def test_answers_are_kept_per_module_and_per_learner(cases, db):
    quiz1, quiz7 = Quiz(), Quiz()
    bind_learner(1, [quiz1], learner=AMBER, store=db)
    bind_learner(7, [quiz7], learner=AMBER, store=db)
    qid = quiz7.shown[0].id
    value = [v for _, v in quiz7.radios[qid].options][0]
    quiz7.radios[qid].value = value
    assert db.load(CODE, 7)["quiz"]["answers"] == {qid: value}
    assert "quiz" not in db.load(CODE, 1)
    again7, other = Quiz(), Quiz()
    bind_learner(7, [again7], learner=AMBER, store=db)
    bind_learner(7, [other], learner=Learner("someone-else", None, True), store=db)
    assert again7.radios[qid].value == value and other.radios[qid].value is None


def test_every_module_widget_binds_and_restores(cases, db):
    def build():
        return [ElementTagger(cases), VictimQuestion(cases, "child"), DuressChecklist(cases),
                DecisionPath(cases), WhyPunish("Jane"), Quiz()]

    first = build()
    bind_learner(3, first, learner=AMBER, store=db)
    tagger, victim, duress, path, why, quiz = first
    tagger.boxes["purpose.forced_criminality"].value = True
    victim.choice.value = "victim"
    duress.picker.value = "john"
    duress.questions["no_escape"].value = "yes"
    path.case.value = "sarah"
    path.answer.value = "none"
    path.check.click()
    why.answers["agent"].value = "no"
    quiz.radios[quiz.shown[0].id].value = [v for _, v in quiz.radios[quiz.shown[0].id].options][0]
    assert set(db.load(CODE, 3)) == {"tagger", "victim-child", "duress", "decision-path",
                                      "why-punish", "quiz"}
    second = build()
    bind_learner(3, second, learner=AMBER, store=db)
    assert [w.get_state() for w in second] == [w.get_state() for w in first]
    assert second[3].result.value == path.result.value != ""


def test_two_widgets_with_the_same_key_get_their_own_items(cases, db):
    a, b = VictimQuestion(cases, "john"), VictimQuestion(cases, "john")
    binding = bind_learner(1, [a, b], learner=AMBER, store=db)
    assert list(binding.widgets) == ["victim-john", "victim-john-2"]
    b.choice.value = "not_victim"
    assert db.load(CODE, 1) == {"victim-john-2": {"choice": "not_victim", "revealed": False}}


def test_widgets_that_cannot_keep_state_are_skipped(cases, db):
    from npkit.course.widgets.base import error_panel

    binding = bind_learner(1, [error_panel("x", []), None, ElementTagger(cases)],
                           learner=AMBER, store=db)
    assert list(binding.widgets) == ["tagger"]


def test_the_status_line_escapes_the_nickname(cases, db):
    victim = VictimQuestion(cases, "john")
    binding = bind_learner(1, [victim], learner=Learner(CODE, EVIL, True), store=db)
    assert EVIL not in binding.widget.value and "&lt;img src=x" in binding.widget.value
    assert "your answers are saved on this computer" in binding.widget.value
    db.forget(CODE)
    db.learner(CODE)  # no nickname stored
    no_nick = bind_learner(1, [victim], learner=Learner(CODE, None, True), store=db)
    assert f"Signed in as <strong>{CODE}</strong>" in no_nick.widget.value


def test_a_binding_displays_as_its_status_line(db):
    bundle = bind_learner(1, [], learner=AMBER, store=db)._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_a_store_that_cannot_open_leaves_the_module_working(cases, monkeypatch):
    def broken():
        raise StoreError("The answer store /x cannot be opened: readonly database")

    tagger = ElementTagger(cases, "jane")
    binding = learner_module.Binding(1, [tagger], AMBER, opener=broken)
    assert "not saved" in binding.widget.value and "readonly database" in binding.widget.value
    assert "Traceback" not in binding.widget.value
    tagger.boxes["act.recruitment"].value = True  # no exception reaches the page
    tagger.check.click()
    assert "Your score: 1 of" in tagger.feedback.value and tagger.status.value == ""


def test_a_store_that_fails_later_says_so_and_recovers(cases, tmp_path, monkeypatch):
    monkeypatch.setattr(learner_module, "RETRY_SECONDS", 0.0)
    monkeypatch.setattr("npkit.store.learners.BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "s.sqlite"
    store = Store.open(path)
    store.learner(CODE)
    victim = VictimQuestion(cases, "john")
    binding = bind_learner(1, [victim], learner=AMBER, store=store)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another process holds the write lock too long
    victim.choice.value = "victim"
    assert "not saved" in binding.widget.value and victim.status.value == ""
    holder.execute("ROLLBACK")
    holder.close()
    victim.reveal.click()  # the next change saves everything that waited
    assert "your answers are saved" in binding.widget.value
    assert store.load(CODE, 1)["victim-john"] == {"choice": "victim", "revealed": True}
    store.close()


def test_after_a_failure_the_store_is_not_retried_on_every_click(cases, monkeypatch):
    attempts = []

    def broken():
        attempts.append(1)
        raise StoreError("locked")

    victim = VictimQuestion(cases, "john")
    learner_module.Binding(1, [victim], AMBER, opener=broken)
    victim.choice.value = "victim"
    victim.choice.value = "not_victim"
    assert len(attempts) == 1


def test_a_crafted_saved_state_is_ignored_and_escaped(cases, db):
    db.save(CODE, 1, "tagger", {"case": EVIL, "tags": {"0": [EVIL]}})
    db.save(CODE, 1, "victim-john", {"choice": EVIL, "revealed": "yes"})
    db.save(CODE, 1, "quiz", [EVIL])
    tagger, victim, quiz = ElementTagger(cases, "jane"), VictimQuestion(cases, "john"), Quiz()
    binding = bind_learner(1, [tagger, victim, quiz], learner=AMBER, store=db)
    assert binding.restored == 2  # dicts are read part by part; the list is refused whole
    assert tagger.get_state()["tags"] == {} and victim.choice.value is None
    assert victim.result.value == ""
    for html in (tagger.passage_view.value, tagger.progress.value, binding.widget.value):
        assert EVIL not in html


def test_a_bad_module_number_still_gives_a_working_page(cases):
    tagger = ElementTagger(cases)
    binding = bind_learner("one", [tagger], learner=AMBER)
    assert "not saved" in binding.widget.value
    tagger.boxes["act.recruitment"].value = True


# --- the module header (npkit.course.widgets.base.ModuleHeader: show_learner / set_query) ---------


class FakeHeader:
    def __init__(self):
        self.calls = []

    def show_learner(self, code, nick=None, note=None):
        self.calls.append(("show", code, nick, note))

    def set_query(self, query):
        self.calls.append(("query", query))


def test_the_header_shows_the_learner_and_gets_the_query(cases, db):
    header = FakeHeader()
    bind_learner(1, [VictimQuestion(cases, "john")], header=header,
                 learner=Learner(CODE, "Amy & Co", True), store=db)
    assert ("query", "learner=amber-otter-4271&nick=Amy+%26+Co") in header.calls
    assert header.calls[-1] == ("show", CODE, "Amy & Co", None)


def test_the_header_says_when_answers_are_not_kept(cases):
    def broken():
        raise StoreError("locked")

    anonymous, failing = FakeHeader(), FakeHeader()
    bind_learner(1, [], header=anonymous, learner=ANONYMOUS)
    assert anonymous.calls == [("show", None, None, None)]
    learner_module.Binding(1, [], AMBER, opener=broken, header=failing)
    assert failing.calls[-1][:2] == ("show", None) and "could not be saved" in failing.calls[-1][3]


def test_a_header_without_the_slot_or_a_broken_one_is_harmless(db):
    from npkit.course.widgets.base import module_header

    class Broken(FakeHeader):
        def show_learner(self, *a, **k):
            raise RuntimeError("boom")

    for header in (object(), Broken(), module_header(1)):
        binding = bind_learner(1, [], header=header, learner=AMBER, store=db)
        assert "Signed in as" in binding.widget.value


def test_the_real_module_header_escapes_the_nickname(db):
    from npkit.course.widgets.base import module_header

    header = module_header(1)
    if not hasattr(header, "show_learner"):
        pytest.skip("this module header has no learner slot")
    bind_learner(1, [], header=header, learner=Learner(CODE, EVIL, True), store=db)
    assert EVIL not in header.learner.value and CODE in header.learner.value
    assert "learner=amber-otter-4271" in header.nav.value and "<img" not in header.nav.value


def test_a_preheated_kernel_asks_again_when_voila_gives_up(clean_env, monkeypatch):
    import threading
    import warnings

    answers = [None, None, {"QUERY_STRING": "learner=amber-otter-4271"}]

    def flaky(open_timeout=5.0):
        t = threading.Thread(target=lambda: 1 / 0)  # an error in a helper thread stays quiet
        t.start()
        t.join()
        return answers.pop(0)

    monkeypatch.setattr(learner_module, "_request_info", flaky)
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert current_learner() == Learner(CODE, None, True)
    assert caught == [] and answers == []


def test_a_preheated_kernel_that_never_hears_from_voila_is_anonymous(clean_env, monkeypatch):
    calls = []
    monkeypatch.setattr(learner_module, "_request_info",
                        lambda open_timeout=5.0: calls.append(1))
    monkeypatch.setenv("VOILA_KERNEL_ID", "k-1")
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    assert current_learner() == ANONYMOUS and len(calls) == learner_module.QUERY_ATTEMPTS


def test_request_info_speaks_voilas_query_protocol(clean_env, monkeypatch):
    """A real websocket on loopback at voila's path sends the request details, as voila's
    QueryStringSocketHandler does; the kernel side must read them without importing voila."""
    import asyncio
    import json
    import socket
    import threading

    import tornado.web
    import tornado.websocket

    seen = []

    class Query(tornado.websocket.WebSocketHandler):
        def open(self, kernel_id):
            seen.append(kernel_id)
            self.write_message(json.dumps({"QUERY_STRING": "learner=amber-otter-4271&nick=Amber"}))

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    ready = threading.Event()
    box = {}

    def serve():
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        app = tornado.web.Application([(r"/voila/query/(.*)", Query)])
        box["server"] = app.listen(port, address="127.0.0.1")
        box["loop"] = loop
        ready.set()
        loop.run_forever()

    threading.Thread(target=serve, daemon=True).start()
    ready.wait(5)
    monkeypatch.setenv("VOILA_KERNEL_ID", "kernel-7")
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_APP_PORT", str(port))
    try:
        assert learner_module._request_info() == {
            "QUERY_STRING": "learner=amber-otter-4271&nick=Amber"}
        assert seen == ["kernel-7"]
    finally:
        box["loop"].call_soon_threadsafe(box["loop"].stop)


def test_learner_module_does_not_import_voila():
    import subprocess
    import sys

    code = ("import sys, npkit.course.binding as m; m.query_string; "
            "print('voila.utils' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "False"


# --- learner codes: what is accepted, and what an unknown code gets (issue 14) ----------------

from npkit.store import codes  # noqa: E402 - kept with the tests that use it

JS = (learner_module.__file__.rsplit("/npkit/", 1)[0]
      + "/share/jupyter/voila/templates/npkit/static/npkit.js")


@pytest.mark.parametrize("typed,code", [
    ("green-seal-694", "green-seal-694"),
    ("Green-Seal-694", "green-seal-694"),
    ("GREEN SEAL 694", "green-seal-694"),
    ("green_seal_694", "green-seal-694"),
    ("  green -- seal __ 694\n", "green-seal-694"),
    ("green\u2013seal\u2014694", "green-seal-694"),  # dashes a word processor puts in
    ("ＧＲＥＥＮ-seal-694", "green-seal-694"),  # full-width letters (NFKC)
    ("amber-otter-4271", "amber-otter-4271"),
    ("wise-zebra-9999", "wise-zebra-9999"),
    ("amber-otter-100", "amber-otter-100"),
])
def test_a_typed_code_is_tidied_and_accepted(typed, code):
    assert codes.check(typed) == code and codes.is_valid(typed)


@pytest.mark.parametrize("typed,says", [
    ("hello", "“hello” is not a learner code. A code has three parts"),
    ("", "Type the code you were given"),
    ("   ", "Type the code you were given"),
    (None, "Type the code you were given"),
    ("gren-seal-694", "“gren” is not one of the describing words learner codes use. Did you "
                      "mean “green”?"),
    ("green-sael-694", "“sael” is not one of the animals learner codes use. Did you mean "
                       "“seal”?"),
    ("zzz-seal-694", "“zzz” is not one of the describing words learner codes use. Check its "
                     "spelling."),
    ("seal-green-694", "The two words are the other way round: did you mean green-seal-694?"),
    ("green-seal-69", "The number at the end of a code has 3 or 4 digits; “69” has 2."),
    ("green-seal-12345", "has 3 or 4 digits; “12345” has 5."),
    ("green-seal-0694", "never starts with 0"),
    ("694-green-seal", "two words and then a number"),
    ("green-seal", "“green-seal” is not a learner code"),
    ("green-seal-694-1", "“green-seal-694-1” is not a learner code"),
    ("green<b>-seal-694", "has signs a learner code does not have"),
    ("green.seal.694", "has signs a learner code does not have"),
    ("x" * 41, "longer than any learner code"),
    ("x" * 10_000, "longer than any learner code"),
])
def test_anything_else_gets_a_specific_message(typed, says):
    with pytest.raises(codes.CodeProblem) as caught:
        codes.check(typed)
    assert says in str(caught.value)
    assert not codes.is_valid(typed)


def test_the_unknown_code_message_is_the_agreed_sentence():
    assert codes.unknown_message("green-seal-694") == (
        "No answers are saved under green-seal-694 yet. Is the code right?")


def test_the_code_space():
    assert (len(codes.ADJECTIVES), len(codes.ANIMALS)) == (64, 64)
    assert len(set(codes.ADJECTIVES)) == 64 and len(set(codes.ANIMALS)) == 64
    assert not set(codes.ADJECTIVES) & set(codes.ANIMALS)
    assert codes.code_space() == {"issued": 64 * 64 * 9000}
    assert codes.code_space()["issued"] == 36_864_000


def test_every_issued_code_is_valid_and_of_the_issued_shape():
    drawn = {codes.new_code() for _ in range(500)}
    assert len(drawn) > 490  # 500 draws from 36.9 million: repeats are rare
    for code in drawn:
        assert codes.check(code) == code and codes.SHAPE.fullmatch(code)
        assert int(code.rsplit("-", 1)[1]) in codes.ISSUED_NUMBERS


def test_the_browser_checks_the_shape_and_makes_no_code():
    """npkit.js checks a code's shape (SHAPE) before asking the server, and makes no code of
    its own: no word list, no random number; every new code comes from POST .../new."""
    text = open(JS, encoding="utf-8").read()

    assert f"var CODE = /^{codes.SHAPE.pattern}$/;" in text
    for word in ("amber", "otter", "getRandomValues", "Math.random", "newCode"):
        assert word not in text, word
    assert text.count('api("new"') >= 3  # landing page, module page, workshop join page


@pytest.mark.parametrize("query,code", [
    ("learner=Green_Seal_694", "green-seal-694"),
    ("learner=GREEN+SEAL+694", "green-seal-694"),
    ("learner=green%20seal%20694&nick=Gus", "green-seal-694"),
    ("learner=amber-otter-4271%0A", CODE),
])
def test_a_code_in_the_address_is_tidied_like_a_typed_one(query, code):
    assert parse_learner(query).code == code


@pytest.mark.parametrize("query", ["learner=hello", "learner=gren-seal-694",
                                   "learner=t-some-test-name", "learner=abcd"])
def test_a_code_not_of_the_issued_form_is_anonymous(query):
    assert parse_learner(query) == ANONYMOUS


def test_an_unknown_code_in_the_address_creates_no_learner_and_saves_nothing(cases, db):
    header = FakeHeader()
    victim = VictimQuestion(cases, "john")
    binding = bind_learner(1, [victim], header=header,
                           learner=Learner("green-seal-694", "Gus", True), store=db)
    assert binding.unknown and binding.store is None
    victim.choice.value = "victim"  # the page still works...
    assert victim.get_state()["choice"] == "victim"
    assert not db.is_known("green-seal-694")  # ...but nobody was created, nothing saved
    assert db.count_answers() == 0
    assert "No answers are saved under green-seal-694 yet. Is the code right?" in (
        binding.widget.value)
    assert "Start fresh" in binding.widget.value and "Re-enter" in binding.widget.value
    assert "saved on this computer" not in binding.widget.value
    # The header says so and its links do not carry a code that names nobody.
    assert header.calls == [("show", None, None, codes.unknown_message("green-seal-694"))]


def test_a_known_learner_opening_a_module_is_recorded_with_their_stored_nickname(cases, db):
    db.forget(CODE)
    me = db.issue("Amber")
    binding = bind_learner(2, [DuressChecklist(cases)], learner=Learner(me.code, None, True),
                           store=db)
    assert not binding.unknown and binding.learner.nickname == "Amber"
    assert "Signed in as <strong>Amber</strong>" in binding.widget.value
    assert db.progress(me.code).modules[2].opened_at


def test_a_page_with_nothing_to_keep_says_so_instead_of_answers_are_kept(db):
    header = FakeHeader()
    binding = bind_learner(3, [], header=header, learner=AMBER, store=db)
    assert not binding.keeps
    assert "no answers to save" in binding.widget.value
    assert "your answers are saved" not in binding.widget.value
    (show,) = [c for c in header.calls if c[0] == "show"]
    assert show[1] is None and "nothing to save" in show[3] and CODE in show[3]
    assert ("query", "learner=amber-otter-4271&nick=Amber") in header.calls  # links keep it
    assert 3 in db.progress(CODE).modules  # the visit counts for the landing page


def test_the_catalogue_says_which_modules_keep_answers_as_their_notebooks_do():
    """keeps_answers is False exactly for the modules whose notebook binds no widget."""
    import ast
    from pathlib import Path

    from npkit.course.training.modules import MODULES

    folder = Path(JS).parents[6] / "notebooks"
    for m in MODULES:
        tree = ast.parse((folder / m.notebook.replace(".ipynb", ".py")).read_text("utf-8"))
        (call,) = [n for n in ast.walk(tree) if isinstance(n, ast.Call)
                   and getattr(n.func, "id", "") == "bind_learner"]
        widgets = next(k.value for k in call.keywords if k.arg == "widgets")
        assert isinstance(widgets, ast.List)
        assert bool(widgets.elts) is m.keeps_answers, m.notebook
    assert [m.number for m in MODULES if not m.keeps_answers] == [0]  # 3, 4: the guesses
