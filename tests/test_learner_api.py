"""The course server's learner API without a server: what it answers, and how it limits
guessing (npkit/course/learner_api.py). The browser tests drive the real routes."""

import pytest

from npkit.course import learner_api
from npkit.course.learner_api import LearnerService, RateLimit, scrub
from npkit.course.training.modules import MODULES
from npkit.store import codes
from npkit.store.learners import Store, StoreError


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


@pytest.fixture
def db(tmp_path):
    with Store.open(tmp_path / "learners.sqlite") as s:
        yield s


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def service(db, clock):
    return LearnerService(lambda: db, RateLimit(3, 5, 60, clock), RateLimit(2, 4, 60, clock))


def test_a_new_code_is_issued_known_and_has_no_progress(service, db):
    status, reply = service.new({"nickname": "  Amber\x00 "}, "10.0.0.1")
    assert status == 200 and reply["status"] == "known"
    assert codes.check(reply["code"]) == reply["code"] and db.is_known(reply["code"])
    assert reply["nickname"] == "Amber"
    assert [m["number"] for m in reply["modules"]] == [m.number for m in MODULES]
    assert {m["state"] for m in reply["modules"]} == {"new"}
    assert reply["continue"] is None
    assert reply["summary"] == "You have opened 0 of 8 modules."


def test_a_known_code_gets_its_progress_and_where_to_continue(service, db):
    me = db.issue("Bo")
    db.visit(me.code, 0)
    db.visit(me.code, 3)
    db.save(me.code, 2, "duress", {})
    typed = me.code.upper().replace("-", " ")  # as a learner might type it
    status, reply = service.check({"code": typed}, "10.0.0.1")
    assert status == 200 and reply["status"] == "known" and reply["code"] == me.code
    assert reply["nickname"] == "Bo"
    by = {m["number"]: m for m in reply["modules"]}
    assert by[0]["state"] == "opened" and "nothing to save" in by[0]["text"]
    assert by[2]["state"] == "answered" and by[2]["text"].startswith("Answers saved")
    assert by[3]["state"] == "opened" and by[1]["state"] == "new"
    assert by[1]["text"] == "Not opened yet."
    assert reply["summary"] == "You have opened 3 of 8 modules."
    latest = db.progress(me.code).latest.module
    title = next(m.title for m in MODULES if m.number == latest)
    assert reply["continue"]["notebook"] == MODULES[latest].notebook
    assert reply["continue"]["text"] == (
        f"Continue where you left off: module {latest}, {title}")


def test_an_unknown_code_gets_the_question_and_nothing_else(service, db):
    other = db.issue("Secret Sam")
    db.save(other.code, 1, "x", {"private": True})
    status, reply = service.check({"code": "green-seal-694"}, "10.0.0.1")
    assert (status, reply) == (200, {
        "status": "unknown", "code": "green-seal-694",
        "message": "No answers are saved under green-seal-694 yet. Is the code right?"})
    assert not db.is_known("green-seal-694")


@pytest.mark.parametrize("body", [{"code": "hello"}, {"code": 42}, {}, {"code": None},
                                  {"code": "x" * 5000}, []])
def test_anything_but_a_code_gets_a_message_and_no_lookup(body, clock):
    def no_store():
        raise AssertionError("the store must not be asked")

    service = LearnerService(no_store, RateLimit(3, 5, 60, clock))
    status, reply = service.check(body, "10.0.0.1")
    assert status == 200 and reply["status"] == "invalid" and reply["message"]


def test_unknown_codes_are_limited_per_caller_then_for_everyone(service, db, clock):
    me = db.issue()
    for n in range(3):
        assert service.check({"code": f"green-seal-{600 + n}"}, "a")[1]["status"] == "unknown"
    # Past the limit even a known code is refused: the reply teaches a guesser nothing.
    assert service.check({"code": me.code}, "a") == (429, {"status": "wait",
                                                           "message": learner_api.WAIT})
    assert service.check({"code": me.code}, "b")[1]["status"] == "known"
    for n in range(2):
        assert service.check({"code": f"green-seal-{700 + n}"}, "b")[1]["status"] == "unknown"
    assert service.check({"code": me.code}, "c")[0] == 429  # 5 unknown in all: everyone waits
    clock.now += 61
    assert service.check({"code": me.code}, "a")[1]["status"] == "known"


def test_known_codes_do_not_count_against_the_limit(service, db):
    me = db.issue()
    for _ in range(20):
        assert service.check({"code": me.code}, "a")[1]["status"] == "known"


def test_new_codes_are_limited_per_caller(service, clock):
    assert [service.new({}, "a")[0] for _ in range(3)] == [200, 200, 429]
    assert service.new({}, "b")[0] == 200
    clock.now += 61
    assert service.new({}, "a")[0] == 200


def test_a_nickname_too_long_is_refused_with_a_sentence(service, db):
    status, reply = service.new({"nickname": "n" * 41}, "a")
    assert status == 400 and reply["message"] == "A nickname has at most 40 characters."


def test_a_store_that_fails_gives_a_readable_503_and_is_opened_again(db, clock):
    attempts = []

    def opener():
        attempts.append(1)
        if len(attempts) == 1:
            raise StoreError("The answer store /x cannot be opened: readonly database")
        return db

    service = LearnerService(opener, RateLimit(3, 5, 60, clock))
    assert service.check({"code": "green-seal-694"}, "a") == (
        503, {"status": "error", "message": learner_api.UNAVAILABLE})
    assert "Traceback" not in learner_api.UNAVAILABLE
    assert service.check({"code": "green-seal-694"}, "a")[1]["status"] == "unknown"
    assert len(attempts) == 2


@pytest.mark.parametrize("uri,logged", [
    ("/voila/render/02_duress.ipynb?learner=amber-otter-4271&nick=Amber",
     "/voila/render/02_duress.ipynb?learner=[hidden]&nick=[hidden]"),
    ("/voila/render/08_workshop_join.ipynb?session=ABC123&learner=x",
     "/voila/render/08_workshop_join.ipynb?session=ABC123&learner=[hidden]"),
    ("/?learner=amber-otter-4271", "/?learner=[hidden]"),
    ("/voila/static/npkit.css", "/voila/static/npkit.css"),
    ("/voila/render/x.ipynb?theme=light", "/voila/render/x.ipynb?theme=light"),
    ("GET /npkit/api/learner/check?code=amber-otter-4271 (::1)",
     "GET /npkit/api/learner/check?code=[hidden] (::1)"),
])
def test_the_log_never_holds_a_code_or_a_nickname(uri, logged):
    assert scrub(uri) == logged


def test_log_records_naming_a_code_are_rewritten(caplog):
    import logging

    logger = logging.getLogger("npkit-test-hide-codes")
    learner_api.hide_codes_in_logs(logger)
    learner_api.hide_codes_in_logs(logger)  # twice: still one filter
    assert len(logger.filters) == 1
    with caplog.at_level(logging.WARNING, logger=logger.name):
        logger.warning("%d %s: %s", 404, "GET /x.ipynb?learner=amber-otter-4271&nick=Al (1.2.3.4)",
                       "file or directory does not exist")
        logger.warning("GET /npkit/api/learner/check?code=amber-otter-4271 %s", 405)
        logger.warning("nothing to hide %s", "here")
    assert [r.getMessage() for r in caplog.records] == [
        "404 GET /x.ipynb?learner=[hidden]&nick=[hidden] (1.2.3.4): file or directory does not "
        "exist",
        "GET /npkit/api/learner/check?code=[hidden] 405",
        "nothing to hide here"]
