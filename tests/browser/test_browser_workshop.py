"""Workshop mode as a room meets it: a trainer at a projector (1280x720 at 150% zoom) and three
trainees on phones and laptops, each in a browser context of its own (its own cookies and
localStorage, like four devices), on the session's one Voila server (conftest.py).

Nothing waits a fixed time: the trainer's chart and the trainees' pages update by themselves
(each page polls the store from its kernel), and every wait is for what the page must show,
with Playwright's auto-waiting ``expect``. The one countdown runs 5 seconds of real time: the
store closes the question when it ends, and the pages catch up.

150% zoom is a CSS viewport of 853x480 with a device pixel ratio of 1.5 (``viewport`` and
``device_scale_factor``), which is what Chromium's own zoom makes of a 1280x720 window: media
queries, ``rem`` and ``vw`` all see 853 pixels, and screenshots have the projector's 1280
pixels. CSS ``zoom`` on the page would leave the viewport at 1280 and test another layout.

The join page and the trainer's page are also in the offline / console / axe-core audit of
every page (test_browser_dashboards.py, from ``WORKSHOP_PAGES``); here axe-core also checks the
states only a session reaches: the trainer's page presenting, with npkit's answer revealed,
and a trainee's closed question with the reveal.
"""

from __future__ import annotations

import io
import re
from urllib.parse import parse_qs, urljoin, urlsplit

from browser_support import (
    FIND_MODEL,
    SEND_CLICK,
    axe_violations,
    comm_method,
    describe_violations,
    expect,
    known_learner,
    learner_code,
    record_frames,
    settle,
)

from npkit.casefile.library import library
from npkit.course.room import with_code
from npkit.course.training.modules import WORKSHOP_PAGES
from npkit.course.widgets.workshop_trainer import trainer_link
from npkit.store.codes import ISSUED_NUMBERS
from npkit.store.learners import Store
from npkit.store.workshop import Workshop
from npkit.store.workshop.polls import keys_by_id, poll_questions

JOIN, TRAINER = (p.notebook for p in WORKSHOP_PAGES)
CASE = "john"
FIRST = "duress-ew"  # John's first question: does duress save him in England & Wales?
NICKNAMES = ("Quokka Nine", "Heron Twelve", "Lynx Forty")
LOCKED_MESSAGE = "The trainer has closed this question; your answer was not recorded."
CODE_RE = re.compile(r"^[A-Z0-9]{6}$")
PROJECTOR = {"viewport": {"width": 853, "height": 480}, "device_scale_factor": 1.5}
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True}
COUNTDOWN = 5  # seconds
UPDATE = comm_method("update")  # a widget's change, in a websocket frame

# Elements wider than the viewport or reaching past its right edge (screen-reader-only text,
# parked far to the left, aside); and the document's own scroll width.
TOO_WIDE = """() => {
    const vw = document.documentElement.clientWidth, out = [];
    for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if ((r.width === 0 && r.height === 0) || r.right <= 0) continue;
        if (r.width > vw + 0.5 || r.right > vw + 0.5)
            out.push(`${el.tagName}.${el.getAttribute('class') || ''} `
                     + `${Math.round(r.left)}-${Math.round(r.right)}`);
    }
    return {viewport: vw, scroll: document.documentElement.scrollWidth, wide: out};
}"""
# The height of every control a finger must hit, on screen.
TARGETS = """() => [...document.querySelectorAll(
        'button, input:not([type=radio]):not([type=checkbox]), select, textarea, summary, '
        + '.widget-radio-box label, .widget-checkbox label, .npk-topbar a')]
    .map(el => [el, el.getBoundingClientRect()])
    .filter(([el, r]) => r.height > 0 && r.bottom > 0
                         && getComputedStyle(el).visibility !== 'hidden')
    .map(([el, r]) => [
        `${el.tagName} ${(el.textContent || el.value || el.placeholder || '').trim().slice(0, 30)}`,
        Math.round(r.height * 10) / 10])"""


# A crafted message: the first answer of a radio group, chosen even while it is disabled.
CHOOSE_FIRST = """async (id) => {
    const model = await window.jupyterapp.widgetManager.get_model(id);
    model.set('index', 0);
    model.save_changes();
}"""


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
    """The page's status line (what just happened, or why not)."""
    return page.locator(".npk-page-status")


def answer_state(page):
    """The trainee's line for the current question: not answered yet, or what was recorded."""
    return page.locator(".npk-answer-state")


def wait_for_join_form(page) -> None:
    """Until the join page has its learner code (the page reloads with one) and its form."""
    expect(page).to_have_url(re.compile(r"[?&]learner=[^&#]"))
    expect(page.get_by_role("textbox", name="Session code")).to_be_visible()
    expect(page.get_by_role("button", name="Join")).to_be_visible()


def join_and_answer(page, nickname: str, answer: str) -> None:
    """Type a nickname, join, answer the first question and send it."""
    page.get_by_role("textbox", name="Nickname (no real names)").fill(nickname)
    settle(page)  # the code and nickname are in the kernel before Join is pressed
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Question 1 of \d+$"))).to_be_visible()
    expect(answer_state(page)).to_have_text("Not answered yet.")
    radio(page, answer).check()
    settle(page)
    page.get_by_role("button", name="Send answer").click()
    expect(answer_state(page)).to_contain_text(f"Your answer is recorded: {answer}.")


def no_violations(page, where: str) -> None:
    found = axe_violations(page)
    assert not found, (f"{where}: axe-core found serious or critical violations:\n"
                       + describe_violations(found))


def decode_qr(locator) -> list[str]:
    """The texts of the QR codes in a screenshot of ``locator``: the pixels the browser
    drew, read back by zxing-cpp."""
    import zxingcpp
    from PIL import Image

    image = Image.open(io.BytesIO(locator.screenshot()))
    return [r.text for r in zxingcpp.read_barcodes(image)]


def inside(box: dict, width: float, height: float) -> bool:
    return (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= width
            and box["y"] + box["height"] <= height)


def fits_the_phone(page, where: str) -> None:
    found = page.evaluate(TOO_WIDE)
    assert found["scroll"] <= found["viewport"] and not found["wide"], (where, found)


def test_a_trainer_and_three_trainees_run_a_poll(site, visit):
    """A projector at 150% and three trainees. The trainer starts a session on John's case;
    the QR code the page draws decodes to the join address it shows, with the code. Trainees
    come in three ways: A on a phone from the landing page's "Join a workshop" (its seat
    survives a reload), B by opening the QR code's address (/join/CODE), C by a link with a
    learner code. In Present mode the code, the QR code, the question and the chart fit the
    projector's one screen, and nothing of the trainer panel shows. The chart counts the
    answers by itself; after the lock a crafted send is refused; after the reveal npkit's
    answer stands beside the room's and each trainee reads whether they matched it. Then a
    countdown closes the next question in the store; the trainer reloads, resumes the session
    this browser remembers (no secret in the address) and deletes it. No page shows another
    trainee's nickname, fetches from another host or logs an error; axe-core finds nothing
    serious on the trainer's page (presenting, and with the trainer panel open) or on the
    join page."""
    case = case_file(site, CASE)
    key = keys_by_id(case)[FIRST]
    assert key.correct == {"fails"} and key.why  # what the pages must show after the reveal
    why = key.why[0]

    # -- the trainer starts a session at the projector; trainee A opens the landing page on a
    #    phone meanwhile (pages load side by side, as in a room)
    trainer = visit(**PROJECTOR)
    tp = trainer.page
    phone = visit(**PHONE)
    laptops = [visit() for _ in NICKNAMES[1:]]
    trainees = [phone, *laptops]
    a, b, c = (t.page for t in trainees)
    tp.goto(site.module_url(TRAINER), wait_until="commit")
    a.goto(site.url("/"), wait_until="commit")
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
    expect(tp.locator(".npk-private")).to_be_hidden()  # in the trainer panel, closed
    chart = tp.locator(".npk-tally-line")
    expect(chart).to_have_text("0 answered of 0 joined")
    expect(tp.locator(".npk-participants")).to_have_text("Nobody has joined yet.")

    # -- the join address and its QR code: the browser's own address here (a course served
    #    to this computer only), /join, and the QR code holds it with the code
    address = f"{site.base}/join"
    expect(tp.locator(".npk-join-address")).to_have_text(address)
    qr = tp.locator(".npk-qr-img")
    assert decode_qr(qr) == [with_code(address, code)]
    assert qr.get_attribute("aria-label") == f"QR code that opens {address}/{code}"

    # -- Present: one screen at 1280x720 and 150%, nothing of the trainer panel on it
    tp.get_by_role("button", name="Present").click()
    expect(tp.get_by_role("button", name="Stop presenting")).to_be_visible()
    expect(tp.locator(".npk-topbar")).to_be_hidden()
    boxes = {name: tp.locator(sel).first.bounding_box() for name, sel in (
        ("code", ".npk-joincode"), ("QR code", ".npk-qr-img svg"),
        ("question", ".npk-qhead"), ("chart", ".npk-poll"),
        ("address", ".npk-join-address"))}
    outside = {n: b for n, b in boxes.items() if not inside(b, 853, 480)}
    assert not outside, outside
    assert tp.get_by_role("button", name="Delete this session").is_hidden()
    assert secret not in tp.evaluate("() => document.body.innerText")
    assert decode_qr(qr) == [with_code(address, code)]  # and it still reads, at that size

    # -- three trainees, three ways in. A: the landing page on a phone, "Join a workshop"
    #    first on the screen, then the code typed on the join page
    join_card = a.get_by_role("link", name="Join a workshop")
    expect(join_card).to_be_in_viewport()
    fits_the_phone(a, "landing page at 390 px")
    join_card.click()
    wait_for_join_form(a)
    assert len(query_of(a).get("learner", [])) == 1 and "session" not in query_of(a), a.url
    code_field = a.get_by_role("textbox", name="Session code")
    for name, value in (("autocapitalize", "characters"), ("autocomplete", "off"),
                        ("autocorrect", "off"), ("spellcheck", "false"),
                        ("inputmode", "text")):
        expect(code_field).to_have_attribute(name, value)
    fits_the_phone(a, "join page at 390 px")
    code_field.press_sequentially(code[:5].lower() + "0")  # a zero: codes never have one
    a.get_by_role("textbox", name="Nickname (no real names)").fill(NICKNAMES[0])
    settle(a)
    a.get_by_role("button", name="Join").click()
    expect(status(a)).to_contain_text("codes never use 1, 0, I, L or O")
    code_field.fill(code.lower())
    # B opens the address in the QR code; C has a learner code already
    b.goto(with_code(address, code), wait_until="commit")
    c.goto(site.module_url(JOIN, session=code, learner=learner_code("workshop-lynx")),
           wait_until="commit")
    for page in (b, c):
        wait_for_join_form(page)
        assert len(query_of(page).get("learner", [])) == 1, page.url
        expect(page.get_by_role("textbox", name="Session code")).to_have_value(code)
    assert urlsplit(b.url).path.endswith(f"/{JOIN}") and query_of(b)["session"] == [code]
    for page, nickname in zip((a, b, c), NICKNAMES, strict=True):
        join_and_answer(page, nickname, "fails")
    touch = [t for t in a.evaluate(TARGETS) if t[1] < 44]
    assert not touch, touch  # every control on the phone is at least 44 px tall
    fits_the_phone(a, "question at 390 px")

    # -- A's phone reloads the page by itself: the seat and the answer come back, although A
    #    came in through the landing page (the page put the session in its address)
    assert query_of(a)["session"] == [code] and query_of(a)["nick"] == [NICKNAMES[0]], a.url
    a.reload()
    expect(status(a)).to_contain_text("Welcome back")
    expect(radio(a, "fails")).to_be_checked()
    expect(answer_state(a)).to_contain_text("Your answer is recorded: fails.")

    # -- the trainer's chart counts the three answers by itself (the page polls)
    expect(chart).to_have_text("3 answered of 3 joined")
    fails = tp.locator("tr[data-value='fails']")
    expect(fails.locator(".npk-count")).to_have_text("3 of 3 (100%)")
    expect(tp.locator("tr[data-value='succeeds'] .npk-count")).to_have_text("0 of 3 (0%)")
    expect(tp.locator(".npk-participants")).to_have_text(
        "3 people have joined; 3 of them have answered this question (100%).")

    # -- lock: trainee B changes their mind too late; their page closes the question by
    #    itself, and a send (a crafted click: the button is disabled) is refused by the store
    radio(b, "succeeds").check()
    settle(b)
    tp.get_by_role("button", name="Lock answers").click()
    expect(tp.get_by_role("button", name="Reopen")).to_be_visible()
    expect(tp.get_by_text("answers closed")).to_be_visible()
    expect(b.get_by_text("The trainer has closed this question")).to_be_visible()
    send = b.get_by_role("button", name="Send answer")
    expect(send).to_be_disabled()
    assert b.evaluate(SEND_CLICK, b.evaluate(FIND_MODEL, ["ButtonModel", "Send answer"])) is True
    expect(status(b)).to_contain_text(LOCKED_MESSAGE)
    ws = workshop(site)
    try:
        tally = ws.tally(code, secret, FIRST)
        assert (tally.respondents, tally.counts) == (3, {"succeeds": 0, "fails": 3})
    finally:
        ws.store.close()
    expect(chart).to_have_text("3 answered of 3 joined")

    # -- reveal: npkit's answer beside the room's answers on the trainer's page ...
    tp.get_by_role("button", name="Reveal npkit's answer").click()
    expect(tp.get_by_role("button", name="Hide npkit's answer")).to_be_visible()
    expect(fails.locator("th")).to_contain_text("npkit's answer")
    expect(tp.locator("tr[data-value='succeeds'] th")).not_to_contain_text("npkit's answer")
    reveal = tp.locator(".npk-reveal")
    expect(reveal.get_by_role("heading", name="npkit's answer")).to_be_visible()
    expect(reveal).to_contain_text(why.text)
    expect(reveal.locator(".npk-source").first).to_contain_text(str(why.source))
    no_violations(tp, "trainer page presenting, question locked and revealed")

    # ... and on the trainees' pages, by their own polling, with whether each matched it;
    #    never the room's answers
    for page in (a, b, c):
        shown = page.locator(".npk-reveal")
        expect(shown.get_by_role("heading", name="npkit's answer")).to_be_visible()
        expect(shown).to_contain_text(why.text)
        expect(shown.locator(".npk-match")).to_have_text(
            "Your answer, fails, matches npkit's answer.")
        expect(page.locator(".npk-poll, .npk-tally-line")).to_have_count(0)
    no_violations(a, "join page on a phone, question closed and revealed")

    # -- nobody sees anyone else's nickname; the trainer sees none
    for page, own in zip((a, b, c), NICKNAMES, strict=True):
        html = page.content()
        others = [n for n in NICKNAMES if n != own and n in html]
        assert not others, f"{own}'s page shows {others}"
        expect(page.get_by_text(own).first).to_be_visible()  # the page does say who you are
    assert not [n for n in NICKNAMES if n in tp.content()], "the trainer's page shows a nickname"

    # -- the next question with a countdown: it shows on the projector and the phones, and
    #    when it ends the store closes the question, whatever a page sends
    tp.get_by_role("button", name="Next").click()
    expect(tp.get_by_role("heading", name=re.compile(r"^Question 2 of 4$"))).to_be_visible()
    for page in (a, b):
        expect(page.get_by_role("heading", name=re.compile(r"^Question 2 of 4$"))
               ).to_be_visible()
        expect(answer_state(page)).to_have_text("Not answered yet.")  # not question 1's
    tp.get_by_role("spinbutton", name="Countdown, seconds").fill(str(COUNTDOWN))
    settle(tp)
    tp.get_by_role("button", name="Start countdown").click()
    expect(tp.locator(".npk-countdown")).to_contain_text(re.compile(r"\d:\d\d left"))
    expect(a.locator(".npk-countdown")).to_contain_text(re.compile(r"\d:\d\d left"))
    expect(tp.get_by_text("time is up: answers closed")).to_be_visible()
    expect(a.get_by_text("Time is up: answers to this question are closed.")).to_be_visible()
    expect(a.get_by_role("button", name="Send answer")).to_be_disabled()
    second = next(q for q in poll_questions(case) if q.position == 1)
    ws = workshop(site)
    try:
        assert ws.session(code).question(second.qid).locked  # in the store, not only shown
    finally:
        ws.store.close()
    # B's page is closed too (each phone learns it on its own poll: wait for B's, or the
    # crafted send below races the page rather than testing the store); a crafted browser
    # chooses an answer and sends it anyway
    expect(b.get_by_role("button", name="Send answer")).to_be_disabled()
    b.evaluate(CHOOSE_FIRST, b.evaluate(FIND_MODEL, ["RadioButtonsModel", "Your answer"]))
    settle(b)
    assert b.evaluate(SEND_CLICK, b.evaluate(FIND_MODEL, ["ButtonModel", "Send answer"])) is True
    expect(status(b)).to_contain_text("Time is up for this question; your answer was not "
                                      "recorded.")
    ws = workshop(site)
    try:
        assert ws.tally(code, secret, second.qid).respondents == 0
    finally:
        ws.store.close()

    # -- the trainer's browser reloads: it offers the session it remembers, and resumes it
    #    with no secret in the address; then the trainer deletes it from the trainer panel
    tp.reload()
    resume = tp.get_by_role("button", name=f"Resume session {code}")
    expect(resume).to_be_visible()
    resume.click()
    expect(status(tp)).to_contain_text(f"Session {code} reopened.")
    expect(tp.locator(".npk-joincode > [aria-hidden='true']")).to_have_text(code)
    href = tp.evaluate("() => window.location.href")
    assert secret not in href and href == site.module_url(TRAINER), href
    tp.get_by_role("button", name="Show trainer panel").click()
    expect(tp.locator(".npk-private")).to_be_visible()
    no_violations(tp, "trainer page with its trainer panel open")
    tp.get_by_role("button", name="Delete this session").click()
    tp.get_by_role("button", name="Yes, delete it and every answer").click()
    expect(status(tp)).to_contain_text(f"Session {code} was deleted")
    expect(tp.get_by_role("button", name=re.compile("^Resume session"))).to_be_hidden()
    remembered = tp.evaluate("() => localStorage.getItem('npkit-trainer-sessions')")
    assert code not in (remembered or ""), remembered  # forgotten with the session
    assert secret not in site.log.read_text(encoding="utf-8", errors="replace")

    for v in (trainer, *trainees):
        assert not v.problems(), v.problems()


def issued_by_the_server(site, code: str) -> bool:
    """``code`` is of the server's form (a four-digit number) and the store knows it."""
    with Store.open(site.store) as store:
        known = store.progress(code) is not None
    return known and int(code.rsplit("-", 1)[1]) in ISSUED_NUMBERS


def test_the_join_link_without_a_learner_keeps_the_seat_across_a_reload(site, visit):
    """The link the trainer shows has no learner code. The page asks the course server for one
    (and remembers it in localStorage) before the kernel reads the address, so a reload gives
    the trainee the same seat back: the answer is remembered, a re-sent answer replaces it, and
    the trainer still counts one trainee and one answer. The code is one the store knows, so
    the course's pages later greet the trainee instead of asking "Is the code right?"."""
    ws = workshop(site)
    try:
        new = ws.create(CASE, poll_questions(case_file(site, CASE)), title="Reload check")
    finally:
        ws.store.close()

    # A server just started may not have begun the join page's pool yet; Voila then starts a
    # kernel of its own for the visit, and logs no "Using pre-heated kernel" line to find it by.
    assert site.wait_for_log(rf"Kernel pool of \S*{re.escape(JOIN)} is filled", timeout=180), \
        site.log_tail(20)
    v = visit()
    page = v.page
    logged = len(site.log.read_text(encoding="utf-8", errors="replace"))
    page.goto(site.module_url(JOIN, session=new.code))
    wait_for_join_form(page)
    query = query_of(page)
    assert query["session"] == [new.code], page.url
    (learner,) = query["learner"]
    assert issued_by_the_server(site, learner), learner
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
    expect(answer_state(page)).to_contain_text("Your answer is recorded: fails.")

    ws = workshop(site)
    try:
        assert ws.participants(new.code, new.secret) == 1
        tally = ws.tally(new.code, new.secret, FIRST)
        assert (tally.respondents, tally.counts["fails"]) == (1, 1)
    finally:
        ws.delete(new.code, new.secret)
        ws.store.close()
    assert not v.problems(), v.problems()


# Puts a learner in the page's localStorage once, before any script of the first page runs.
REMEMBER = """code => { if (!sessionStorage.getItem('seeded')) {
    localStorage.setItem('npkit-learner', JSON.stringify({learner: code, nick: ''}));
    sessionStorage.setItem('seeded', '1'); } }"""


def test_the_join_page_takes_its_code_from_the_server(site, visit):
    """A code this browser remembers is kept if the store knows it; one it does not know (a
    three-digit code the join page used to make in the browser) is replaced by a code the
    server issues, never one the page makes up."""
    old = "green-seal-694"
    with Store.open(site.store) as store:
        assert store.progress(old) is None
    kept = known_learner(site.store, "workshop-remembered")
    for remembered in (old, kept):
        v = visit()
        v.context.add_init_script(f"({REMEMBER})({remembered!r})")
        v.page.goto(site.module_url(JOIN))
        wait_for_join_form(v.page)
        (learner,) = query_of(v.page)["learner"]
        if remembered == kept:
            assert learner == kept, learner
        else:
            assert learner != old, learner
        assert issued_by_the_server(site, learner), learner
        stored = v.page.evaluate("() => JSON.parse(localStorage.getItem('npkit-learner'))")
        assert stored["learner"] == learner
        expect(v.page.locator("#npk-who")).to_contain_text(f"Learner {learner}")
        assert not v.problems(), v.problems()


def test_the_trainer_link_opens_the_session_and_no_server_sees_its_secret(site, visit):
    """The trainer link carries its secret after "#": a fresh browser (no storage, as on
    another laptop) that opens it gets the session, and the secret is in no request the
    browser makes (address, Referer, websocket), nor in the server's log, nor in the address
    bar once the page has loaded. A reload of the tab reopens the session (this browser
    remembers it). A wrong secret gets the store's usual refusal, and the start form, and
    this browser keeps nothing of it."""
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
    page.get_by_role("button", name="Show trainer panel").click()
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
    wrong.wait_for_function(  # the refused key is forgotten, not offered after a reload
        "code => !(localStorage.getItem('npkit-trainer-sessions') || '').includes(code)",
        arg=new.code)
    ws = workshop(site)
    try:
        ws.delete(new.code, new.secret)
    finally:
        ws.store.close()


def test_what_was_typed_reaches_the_kernel_before_the_press_that_follows_it(site, visit):
    """A trainee types and presses the button at once, as on a phone over a slow link.
    ipywidgets would send a text field's first keystroke and hold the later ones until the
    kernel had answered it, but a button press goes at once: the press could overtake the last
    characters, and Join or Send act on a cut nickname or answer. The fields send what was
    typed when they are left (the press leaves them), in one message: nothing goes to the
    kernel while the trainee types, nothing waits for the kernel between typing and pressing,
    and the store holds the whole nickname and the whole answer to John's free-text
    question."""
    nickname, answer = "Pelican Seventeen", ("Ordered, watched and fined: the work was what "
                                             "he was trafficked for.")
    ws = workshop(site)
    try:
        new = ws.create(CASE, poll_questions(case_file(site, CASE)), title="Typing check")
        ws.set_current(new.code, new.secret, "why")  # the free-text question
    finally:
        ws.store.close()
    v = visit()
    page = v.page
    frames = record_frames(page)
    page.goto(site.module_url(JOIN, session=new.code))
    wait_for_join_form(page)
    for field, text, press in (("Nickname (no real names)", nickname, "Join"),
                               ("Your answer", answer, "Send answer")):
        before = [f for f in frames.sent if UPDATE.search(f)]
        page.get_by_role("textbox", name=field).press_sequentially(text)
        assert [f for f in frames.sent if UPDATE.search(f)] == before, field  # one key each
        page.get_by_role("button", name=press).click()
        if press == "Join":
            expect(page.get_by_role("heading", name=re.compile(r"^Question 4 of 4$"))
                   ).to_be_visible()
    expect(answer_state(page)).to_contain_text("Your answer is recorded")

    ws = workshop(site)
    try:
        rows = ws.answers(new.code, new.secret)
    finally:
        ws.delete(new.code, new.secret)
        ws.store.close()
    assert [(r.qid, r.nickname, r.value) for r in rows] == [("why", nickname, answer)], rows
    assert not v.problems(), v.problems()
