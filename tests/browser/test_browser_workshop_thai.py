"""The workshop and the edges of the course in Thai, in headless Chromium (issue 17).

- ``/join?lang=th`` and ``/join/CODE?lang=th`` (a link that names the language) lead a fresh
  phone to the Thai join page, which asks for the session code in Thai.
- The Thai trainer page prints the chosen case's handouts in Thai (a download made in the
  page's kernel: nothing fetched), and its countdown counts down in Thai (npkit.js takes the
  words the kernel wrote on it).
- A mistyped learner code on the Thai landing page gets the course server's answer in Thai.
- A "not found" for a Thai page's address is a Thai page (lang="th").

Every wait is for something the page must show; none is a fixed time.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request

import pytest
from browser_support import expect, settle

from npkit.course.training.modules import WORKSHOP_PAGES

JOIN, TRAINER = (p.notebook for p in WORKSHOP_PAGES)
THAI = re.compile("[\u0e00-\u0e7f]")
SESSION_CODE = "รหัสเซสชัน"  # "Session code" (npkit.po)
PRINT = "พิมพ์เอกสารประกอบการอบรมของคดีนี้"  # "Print handouts for this case"
HANDOUT = "เอกสารสำหรับผู้เข้าอบรม (HTML สำหรับพิมพ์)"  # "Handout for trainees (HTML, to print)"
START = "เริ่มเซสชัน"  # "Start a session"
COUNTDOWN = "เริ่มนับถอยหลัง"  # "Start countdown"
NOT_FOUND = "ไม่มีหน้าที่อยู่นี้"  # "There is no page at this address"


@pytest.mark.parametrize("path", ["/join", "/join/K7M2QX"])
def test_a_join_link_that_names_thai_opens_the_thai_join_page(site, visit, path):
    v = visit(viewport={"width": 390, "height": 844})
    page = v.page
    page.goto(site.url(path, lang="th"), timeout=180_000)
    expect(page).to_have_url(re.compile(rf"/voila/render/th/{re.escape(JOIN)}\?"))
    expect(page).to_have_url(re.compile(r"[?&]learner=[^&#]"))  # seated, as in English
    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.get_by_role("textbox", name=SESSION_CODE)).to_be_visible(timeout=120_000)
    if path.endswith("K7M2QX"):
        expect(page).to_have_url(re.compile(r"[?&]session=K7M2QX"))
    assert page.evaluate("() => localStorage.getItem('npkit-lang')") == "th"
    assert not v.problems(), "\n".join(v.problems())


def test_the_thai_trainer_page_prints_handouts_and_counts_down_in_thai(site, visit):
    v = visit()
    page = v.page
    page.goto(site.module_url(f"th/{TRAINER}"), timeout=180_000)
    expect(page.locator("html")).to_have_attribute("lang", "th")
    button = page.get_by_role("button", name=PRINT)
    expect(button).to_be_visible(timeout=120_000)
    settle(page)
    button.click()
    link = page.get_by_role("link", name=HANDOUT)
    expect(link).to_have_attribute("download", re.compile(r"-handout-th\.html$"))
    with page.expect_download() as made:
        link.click()
    text = open(made.value.path(), encoding="utf-8").read()  # noqa: SIM115 - read at once
    assert '<html lang="th"' in text and THAI.search(text)
    assert "size: A4" in text

    page.get_by_role("button", name=START).click()
    expect(page.locator(".npk-joincode")).to_be_visible()
    page.get_by_role("button", name=COUNTDOWN).click()
    clock = page.locator(".npk-countdown-text").first
    expect(clock).to_contain_text(THAI)
    first = clock.inner_text()
    page.wait_for_function(  # npkit.js has counted at least once
        "(t) => { const e = document.querySelector('.npk-countdown-text');"
        " return e && e.textContent !== t; }", arg=first, timeout=30_000)
    counted = clock.inner_text()
    assert THAI.search(counted) and "left" not in counted and "Time" not in counted, counted
    assert not v.problems(), "\n".join(v.problems())


def test_a_mistyped_code_on_the_thai_landing_page_is_answered_in_thai(site, visit):
    v = visit()
    page = v.page
    page.goto(site.url("/", lang="th"), timeout=120_000)
    page.locator(".npk-have-code summary").click()
    page.locator("#npk-code").fill("gren-seal-694")
    page.locator("#npk-code-form button[type=submit]").click()
    error = page.locator("#npk-code-error")
    expect(error).to_contain_text("gren")
    expect(error).to_contain_text(THAI)
    assert "not one of" not in error.inner_text()
    assert not v.problems(), "\n".join(v.problems())


@pytest.mark.parametrize("path", ["/voila/render/th/99_no_such_module.ipynb",
                                  "/voila/render/th/05_scenario_lab.ipynb/extra"])
def test_not_found_under_a_thai_address_is_thai(site, path):
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(site.url(path), timeout=60)
    assert info.value.code == 404
    html = info.value.read().decode("utf-8")
    assert '<html lang="th">' in html and NOT_FOUND in html
    assert "There is no page at this address" not in html


def test_the_steps_of_a_thai_module_speak_thai(site, visit):
    """npkit-steps.js's words on a Thai page: the steps nav, its line, the pager and the
    announcement, from the catalogue (window.npkitText)."""
    v = visit()
    page = v.page
    page.goto(site.module_url("th/04_asean.ipynb"), timeout=180_000)
    nav = page.get_by_role("navigation", name="ขั้นต่าง ๆ ของบทเรียนนี้")  # "Steps of this module"
    expect(nav).to_be_visible(timeout=120_000)
    expect(page.locator(".npk-steps-intro")).to_contain_text("บทเรียนนี้มี")
    page.get_by_role("link", name=re.compile(r"^ขั้นถัดไป")).first.click()  # "Next step"
    expect(page.locator(".npk-steps-status")).to_contain_text(re.compile(r"^ขั้นที่ 2 จาก \d+: "))
    assert "Step" not in page.locator(".npk-steps-status").inner_text()
    assert not v.problems(), "\n".join(v.problems())
