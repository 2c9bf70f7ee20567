"""Workshop mode as a room meets it: a trainer's page and three trainees' pages, each in a
browser context of its own (its own cookies and localStorage, like four laptops), on the
session's one Voila server (conftest.py).

Nothing waits a fixed time: the trainer's chart and the trainees' pages update by themselves
(each page polls the store from its kernel), and every wait is for what the page must show,
with Playwright's auto-waiting ``expect``.

The join page and the trainer's page are also in the offline / console / axe-core audit of
every page (test_browser_dashboards.py, from ``WORKSHOP_PAGES``); here axe-core also checks the
states only a session reaches: the trainer's chart with npkit's answer revealed, and a
trainee's closed question with the reveal.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urljoin, urlsplit

from browser_support import (
    FIND_MODEL,
    SEND_CLICK,
    axe_violations,
    describe_violations,
    learner_code,
    settle,
)

from npkit.casefile.library import library
from npkit.course.training.modules import WORKSHOP_PAGES
from npkit.course.widgets.workshop_trainer import trainer_link
from npkit.store.learners import Store
from npkit.store.workshop import Workshop
from npkit.store.workshop.polls import keys_by_id, poll_questions

try:
    from playwright.sync_api import expect
except ImportError:  # conftest skips (or fails on CI) before any test below runs
    expect = None
else:
    expect.set_options(timeout=60_000)

JOIN, TRAINER = (p.notebook for p in WORKSHOP_PAGES)
CASE = "john"
FIRST = "duress-ew"  # John's first question: does duress save him in England & Wales?
NICKNAMES = ("Quokka Nine", "Heron Twelve", "Lynx Forty")
LOCKED_MESSAGE = "The trainer has closed this question; your answer was not recorded."
CODE_RE = re.compile(r"^[A-Z0-9]{6}$")


def case_file(site, case_id: str):
    return next(c for c in library(site.cases).cases if c.id == case_id)


def workshop(site) -> Workshop:
    """The server's store, opened from the test (SQLite is safe across processes)."""
    return Workshop(Store.open(site.store))


def query_of_url(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def query_of(page) -> dict[str, list[str]]:
    return query_of_url(page.url)


def radio(page, label: str):
    """The answer radio button ``label`` of the trainee's current question."""
    group = page.locator(".widget-radio, .jupyter-widget-radio",
                         has=page.locator(".widget-label", has_text="Your answer"))
    return group.get_by_role("radio", name=label, exact=True)


def status(page):
    """The page's status line (the last one: the workshop pages have one each)."""
    return page.locator(".npk-status").last


def wait_for_join_form(page) -> None:
    expect(page.get_by_role("textbox", name="Session code")).to_be_visible()
    expect(page.get_by_role("button", name="Join")).to_be_visible()


def join_and_answer(page, nickname: str, answer: str) -> None:
    """Type a nickname, join, answer the first question and send it."""
    page.get_by_role("textbox", name="Nickname (no real names)").fill(nickname)
    settle(page)  # the code and nickname are in the kernel before Join is pressed
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Question 1 of \d+$"))).to_be_visible()
    radio(page, answer).check()
    settle(page)
    page.get_by_role("button", name="Send answer").click()
    expect(status(page)).to_contain_text(f"Your answer is recorded: {answer}.")


def no_violations(page, where: str) -> None:
    found = axe_violations(page)
    assert not found, (f"{where}: axe-core found serious or critical violations:\n"
                       + describe_violations(found))


def test_a_trainer_and_three_trainees_run_a_poll(site, visit):
    """The trainer starts a session on John's case and reads the join code off the page; three
    trainees join (one types the code, two follow the trainer's join link, one of those with a
    learner code already) and answer "fails"; the trainer's chart counts them by itself; after
    the lock a trainee's crafted send is refused with a readable message and the count stays
    3; after the reveal npkit's answer stands beside the room's answers on the trainer's page
    and appears on the trainees' pages. No trainee page shows another trainee's nickname, and
    no page fetches from another host or logs an error."""
    case = case_file(site, CASE)
    key = keys_by_id(case)[FIRST]
    assert key.correct == {"fails"} and key.why  # what the pages must show after the reveal
    why = key.why[0]

    # -- the trainer starts a session; trainee A opens the join page meanwhile (pages load
    #    side by side, as in a room: each waits only for what it must show)
    trainer = visit()
    tp = trainer.page
    trainees = [visit() for _ in NICKNAMES]
    a, b, c = (t.page for t in trainees)
    tp.goto(site.module_url(TRAINER), wait_until="commit")
    a.goto(site.module_url(JOIN), wait_until="commit")
    start = tp.get_by_role("button", name="Start a session")
    expect(start).to_be_visible()
    tp.get_by_role("combobox", name="Case").select_option(label=case.title)
    tp.get_by_role("textbox", name="Title").fill("Browser workshop")
    settle(tp)
    start.click()
    shown = tp.locator(".npk-joincode > [aria-hidden='true']")  # what the projector shows
    expect(shown).to_have_text(CODE_RE)
    code = shown.inner_text().strip()
    expect(tp.get_by_role("heading", name=re.compile(r"^Question 1 of 4$"))).to_be_visible()
    expect(status(tp)).to_contain_text(f"Session {code} started")
    private = urlsplit(tp.locator(".npk-private a").first.get_attribute("href"))
    assert parse_qs(private.query) == {"session": [code]}, private  # nothing secret there
    (secret,) = parse_qs(private.fragment)["secret"]
    chart = tp.locator(".npk-tally-line")
    expect(chart).to_have_text("0 answered of 0 joined")

    # -- three trainees, three ways in: A types the code into the field; B follows the join
    #    link the trainer's page shows (?session=CODE, no learner code: the page adds one and
    #    reloads itself); C has a learner code already (e.g. from the course's start page).
    link = urljoin(tp.url, tp.locator(".npk-join-path a").get_attribute("href"))
    assert urlsplit(link).path.endswith(f"/{JOIN}") and query_of_url(link) == {"session": [code]}
    b.goto(link, wait_until="commit")
    c.goto(site.module_url(JOIN, session=code, learner=learner_code("workshop-lynx")),
           wait_until="commit")
    for page in (a, b, c):
        wait_for_join_form(page)
        assert len(query_of(page).get("learner", [])) == 1, page.url
    expect(a.get_by_role("textbox", name="Session code")).to_have_value("")
    a.get_by_role("textbox", name="Session code").press_sequentially(code.lower())
    for page in (b, c):
        expect(page.get_by_role("textbox", name="Session code")).to_have_value(code)
    for page, nickname in zip((a, b, c), NICKNAMES, strict=True):
        join_and_answer(page, nickname, "fails")

    # -- the trainer's chart counts the three answers by itself (the page polls)
    expect(chart).to_have_text("3 answered of 3 joined")
    fails = tp.locator("tr[data-value='fails']")
    expect(fails.locator(".npk-count")).to_have_text("3 of 3 (100%)")
    expect(tp.locator("tr[data-value='succeeds'] .npk-count")).to_have_text("0 of 3 (0%)")
    expect(tp.get_by_text(re.compile(r"3 people have joined; 3 answered this question"))
           ).to_be_visible()

    # -- lock: trainee A changes their mind too late; their page closes the question by
    #    itself, and a send (a crafted click: the button is disabled) is refused by the store
    radio(a, "succeeds").check()
    settle(a)
    tp.get_by_role("button", name="Lock answers").click()
    expect(tp.get_by_role("button", name="Reopen")).to_be_visible()
    expect(tp.get_by_text("answers closed")).to_be_visible()
    expect(a.get_by_text("The trainer has closed this question")).to_be_visible()
    send = a.get_by_role("button", name="Send answer")
    expect(send).to_be_disabled()
    assert a.evaluate(SEND_CLICK, a.evaluate(FIND_MODEL, ["ButtonModel", "Send answer"])) is True
    expect(status(a)).to_contain_text(LOCKED_MESSAGE)
    ws = workshop(site)
    try:
        tally = ws.tally(code, secret, FIRST)
        assert (tally.respondents, tally.counts) == (3, {"succeeds": 0, "fails": 3})
    finally:
        ws.store.close()
    expect(chart).to_have_text("3 answered of 3 joined")
    expect(fails.locator(".npk-count")).to_have_text("3 of 3 (100%)")

    # -- reveal: npkit's answer beside the room's answers on the trainer's page ...
    tp.get_by_role("button", name="Reveal npkit's answer").click()
    expect(tp.get_by_role("button", name="Hide npkit's answer")).to_be_visible()
    expect(fails.locator("th")).to_contain_text("✓ npkit's answer")
    expect(tp.locator("tr[data-value='succeeds'] th")).not_to_contain_text("npkit's answer")
    reveal = tp.locator(".npk-reveal")
    expect(reveal.get_by_role("heading", name="npkit's answer")).to_be_visible()
    expect(reveal).to_contain_text("fails")
    expect(reveal).to_contain_text(why.text)
    expect(reveal.locator(".npk-source").first).to_contain_text(str(why.source))
    expect(chart).to_have_text("3 answered of 3 joined")  # the room's answers stay

    # ... and on the trainees' pages, by their own polling; never the room's answers
    for page in (a, b, c):
        shown = page.locator(".npk-reveal")
        expect(shown.get_by_role("heading", name="npkit's answer")).to_be_visible()
        expect(shown).to_contain_text("fails")
        expect(shown).to_contain_text(why.text)
        expect(shown.locator(".npk-source").first).to_contain_text(str(why.source))
        expect(page.locator(".npk-poll, .npk-tally-line")).to_have_count(0)

    # -- nobody sees anyone else's nickname; the trainer sees none
    for page, own in zip((a, b, c), NICKNAMES, strict=True):
        html = page.content()
        others = [n for n in NICKNAMES if n != own and n in html]
        assert not others, f"{own}'s page shows {others}"
        expect(page.get_by_text(own).first).to_be_visible()  # the page does say who you are
    html = tp.content()
    assert not [n for n in NICKNAMES if n in html], "the trainer's page shows a nickname"

    # -- accessibility of the states only a session reaches
    no_violations(tp, "trainer page, question locked and revealed")
    no_violations(a, "trainee page, question closed and revealed")

    for v in (trainer, *trainees):
        assert not v.problems(), v.problems()


def test_the_join_link_without_a_learner_keeps_the_seat_across_a_reload(site, visit):
    """The link the trainer shows has no learner code. The page adds one (and remembers it in
    localStorage) before the kernel reads the address, so a reload gives the trainee the same
    seat back: the answer is remembered, a re-sent answer replaces it, and the trainer still
    counts one trainee and one answer."""
    ws = workshop(site)
    try:
        new = ws.create(CASE, poll_questions(case_file(site, CASE)), title="Reload check")
    finally:
        ws.store.close()

    v = visit()
    page = v.page
    logged = len(site.log.read_text(encoding="utf-8", errors="replace"))
    page.goto(site.module_url(JOIN, session=new.code))
    wait_for_join_form(page)
    query = query_of(page)
    assert query["session"] == [new.code], page.url
    (learner,) = query["learner"]
    # The kernel Voila gave the address without a learner is shut down, not left to the cull.
    kernels = re.findall(rf"Using pre-heated kernel: (\S+) for {re.escape(JOIN)}",
                         site.log.read_text(encoding="utf-8", errors="replace")[logged:])
    first, current = kernels[0], page.evaluate("() => window.jupyterapp.widgetManager.kernel.id")
    assert first != current, kernels
    assert site.wait_for_log(rf"Kernel shutdown: {re.escape(first)}"), site.log_tail(20)
    remembered = page.evaluate("() => JSON.parse(localStorage.getItem('npkit-learner'))")
    assert remembered["learner"] == learner
    expect(page.locator("#npk-who")).to_contain_text(f"Learner {learner}")
    join_and_answer(page, "Kestrel Two", "fails")
    # Join put the nickname into the address too, so a reload seats the trainee by itself.
    assert query_of(page)["nick"] == ["Kestrel Two"], page.url

    page.reload()
    expect(status(page)).to_contain_text("Welcome back")
    expect(status(page)).to_contain_text("your 1 earlier answer is remembered")
    assert query_of(page)["learner"] == [learner], page.url
    expect(radio(page, "fails")).to_be_checked()
    page.get_by_role("button", name="Send answer").click()
    expect(status(page)).to_contain_text("Your answer is recorded: fails.")

    ws = workshop(site)
    try:
        assert ws.participants(new.code, new.secret) == 1
        tally = ws.tally(new.code, new.secret, FIRST)
        assert (tally.respondents, tally.counts["fails"]) == (1, 1)
    finally:
        ws.delete(new.code, new.secret)
        ws.store.close()
    assert not v.problems(), v.problems()



def test_the_trainer_link_opens_the_session_and_no_server_sees_its_secret(site, visit):
    """The trainer link carries its secret after "#": a fresh browser (no storage, as on
    another laptop) that opens it gets the session, and the secret is in no request the
    browser makes (address, Referer, websocket), nor in the server's log, nor in the address
    bar once the page has loaded. A reload of the tab reopens the session (sessionStorage). A
    wrong secret gets the store's usual refusal, and the start form."""
    ws = workshop(site)
    try:
        new = ws.create(CASE, poll_questions(case_file(site, CASE)), title="Link check")
    finally:
        ws.store.close()
    page_url = site.module_url(TRAINER)
    link = urljoin(page_url, trainer_link(new.code, new.secret))
    assert urlsplit(link).fragment == f"secret={new.secret}" and new.secret not in (
        urlsplit(link).path + urlsplit(link).query)

    v = visit()
    page = v.page
    sent: list[str] = []
    page.on("request", lambda r: sent.append(f"{r.url} referer={r.headers.get('referer')}"))
    page.on("websocket", lambda socket: sent.append(socket.url))
    page.goto(link)
    expect(page.locator(".npk-joincode > [aria-hidden='true']")).to_have_text(new.code)
    expect(status(page)).to_contain_text(f"Session {new.code} reopened.")
    expect(page.get_by_role("heading", name=re.compile(r"^Question 1 of 4$"))).to_be_visible()
    href = page.evaluate("() => window.location.href")
    assert href == site.module_url(TRAINER, session=new.code), href
    page.reload()
    expect(status(page)).to_contain_text(f"Session {new.code} reopened.")
    assert new.secret not in page.url
    # The trainer link followed on its own page changes only the fragment (no new page): the
    # script takes the secret out of the address again.
    page.locator(".npk-private summary").click()
    page.locator(".npk-private a").click()
    expect(page).to_have_url(site.module_url(TRAINER, session=new.code))
    expect(page.locator(".npk-joincode > [aria-hidden='true']")).to_have_text(new.code)
    assert any("/api/kernels/" in u for u in sent), sent  # the kernel traffic was recorded
    leaks = [u for u in sent if new.secret in u or "secret=" in u]
    assert not leaks, leaks
    assert new.secret not in site.log.read_text(encoding="utf-8", errors="replace")
    assert not v.problems(), v.problems()

    wrong = visit().page
    wrong.goto(urljoin(page_url, trainer_link(new.code, "not-the-secret")))
    expect(status(wrong)).to_contain_text("do not match")
    expect(wrong.get_by_role("button", name="Start a session")).to_be_visible()
    assert "secret" not in wrong.url, wrong.url
    ws = workshop(site)
    try:
        ws.delete(new.code, new.secret)
    finally:
        ws.store.close()
