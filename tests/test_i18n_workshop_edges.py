"""The edges of the course in the trainee's language (issue 17): what the course server says
about a learner code (in the language the page names, the stored code English), the module
header's links on a Thai page, the language of error pages and of a room (--language), and
the workshop server passing the room's language on."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from dashboard_support import workshop_server

from npkit import i18n
from npkit.course import dashboard
from npkit.course.learner_api import LearnerService, RateLimit
from npkit.store import codes
from npkit.store.learners import Store

ROOT = Path(__file__).resolve().parents[1]
THAI = re.compile("[\u0e00-\u0e7f]")
# English words left in a sentence (a code's own words such as "amber" stay: they are the code)
ENGLISH_WORD = re.compile(r"\b(?:the|is|a|code|number|words?|such|as|not|has|learner)\b", re.I)


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use(i18n.DEFAULT)


# --- learner codes: English in str(), the learner's language where shown ------------------

TYPED = ["", "x" * 41, "green<b>-seal-694", "green-seal", "694-green-seal", "seal-green-694",
         "gren-seal-694", "zzzz-seal-694", "green-sael-694", "green-zzzz-694", "green-seal-69",
         "green-seal-0694"]


@pytest.mark.parametrize("typed", TYPED)
def test_a_code_problem_is_english_in_the_log_and_thai_on_a_thai_page(typed):
    with pytest.raises(codes.CodeProblem) as caught:
        codes.check(typed)
    problem = caught.value
    assert not THAI.search(str(problem)) and ENGLISH_WORD.search(str(problem))
    assert problem.say() == str(problem)  # the process's language: English here
    thai = problem.say(i18n.translations("th").gettext)
    assert THAI.search(thai), thai
    assert not ENGLISH_WORD.search(thai), thai
    for value in problem.fields.values():  # what the learner typed, quoted back as typed
        assert str(value) in thai


def test_the_unknown_code_sentence_follows_the_language():
    assert codes.unknown_message("green-seal-694") == (
        "No answers are saved under green-seal-694 yet. Is the code right?")
    thai = codes.unknown_message("green-seal-694", i18n.translations("th").gettext)
    assert "green-seal-694" in thai and THAI.search(thai) and not ENGLISH_WORD.search(thai)
    i18n.use("th")  # a Thai page's kernel (npkit.course.binding shows it there)
    assert codes.unknown_message("green-seal-694") == thai


@pytest.fixture
def service(tmp_path):
    with Store.open(tmp_path / "learners.sqlite") as db:
        clock = lambda: 1000.0  # noqa: E731
        yield LearnerService(lambda: db, RateLimit(3, 5, 60, clock), RateLimit(2, 4, 60, clock))


@pytest.mark.parametrize(("action", "body", "status", "kind"), [
    ("check", {"code": "gren-seal-694"}, 200, "invalid"),
    ("check", {"code": "green-seal-694"}, 200, "unknown"),
    ("new", {"nickname": "x" * 41}, 400, "invalid"),
    ("new", {"nickname": 7}, 400, "invalid"),
])
def test_the_server_answers_a_thai_page_in_thai(service, action, body, status, kind):
    english = getattr(service, action)(body, "1.2.3.4")
    thai = getattr(service, action)({**body, "lang": "th"}, "1.2.3.5")
    assert english[0] == thai[0] == status
    assert english[1]["status"] == thai[1]["status"] == kind
    assert not THAI.search(english[1]["message"])
    assert THAI.search(thai[1]["message"]) and not ENGLISH_WORD.search(thai[1]["message"]), thai
    assert thai[1].get("code") == english[1].get("code")  # the code itself: as stored
    json.dumps(thai[1])  # the reply goes out as JSON


def test_a_thai_learner_is_stored_as_anyone_else(service, tmp_path):
    status, reply = service.new({"nickname": "นกฮูก", "lang": "th"}, "1.2.3.4")
    assert status == 200 and codes.is_valid(reply["code"])
    assert re.fullmatch(r"[a-z]+-[a-z]+-\d+", reply["code"])  # English words, any page
    assert THAI.search(reply["summary"])
    again = service.check({"code": reply["code"], "lang": "en"}, "1.2.3.4")[1]
    assert again["nickname"] == "นกฮูก" and not THAI.search(again["summary"])


def test_the_page_script_names_its_language_to_the_server():
    js = (ROOT / "share/jupyter/voila/templates/npkit/static/npkit.js").read_text("utf-8")
    assert re.search(r"JSON\.stringify\(Object\.assign\(\{ lang: replyLang\(\) \}, body\)\)", js)
    # no sentence of the scripts bypasses T(): every message the learner API part shows
    assert "UNREACHABLE" not in js
    for words in ("Checking the code…", "Checking your code…", "Start fresh", "Re-enter",
                  "Asking the course for a new code…", "Time is up", "{time} left"):
        assert f'T("{words}")' in js, words


SCRIPTS = ROOT / "share/jupyter/voila/templates/npkit/static"
# A string literal that starts with a capital and has a lower-case letter: words for a person,
# unless T(...) takes it (what is not words: event and header names).
LITERAL = re.compile(r'(T\(\s*)?"([A-Z][^"\\]*(?:\\.[^"\\]*)*)"')
NOT_WORDS = {"DOMContentLoaded", "Content-Type", "X-XSRFToken"}


@pytest.mark.parametrize("script", sorted(p.name for p in SCRIPTS.glob("*.js")))
def test_every_word_a_script_shows_goes_through_the_catalogue(script):
    from npkit.i18n.extract import extract_script

    bare = []
    for n, line in enumerate((SCRIPTS / script).read_text("utf-8").splitlines(), 1):
        code = line.strip()
        if code.startswith(("*", "//", "/*")):
            continue
        for m in LITERAL.finditer(code.split(" // ")[0]):
            if m.group(1) is None and re.search("[a-z]", m.group(2)) and \
                    m.group(2) not in NOT_WORDS:
                bare.append(f"{script}:{n}: {m.group(2)}")
    assert not bare, "words shown without T(...):\n" + "\n".join(bare)
    thai = dashboard.script_text("th")
    with (SCRIPTS / script).open("rb") as fh:
        words = [msg for _n, _f, (_ctx, msg), _c in extract_script(fh, {}, [], {})]
    # a sentence with words (not only {fields} and signs) has Thai words
    missing = [w for w in words if w not in thai or (
        re.search("[A-Za-z]", re.sub(r"\{\w+\}", "", w)) and not THAI.search(thai[w]))]
    assert not missing, f"{script}: no Thai for {missing}"


# --- the module header on a Thai page --------------------------------------------------------

def _hrefs(html: str) -> list[str]:
    return [h.replace("&amp;", "&") for h in re.findall(r'href="([^"]*)"', html)]


def test_the_module_header_links_of_a_thai_page_stay_thai():
    from npkit.course.widgets.base import ModuleHeader, nav_html

    i18n.use("th")
    hrefs = _hrefs(nav_html(2, "learner=amber-otter-4271&nick=Ann"))
    assert hrefs == ["01_is_this_trafficking.ipynb?learner=amber-otter-4271&nick=Ann&lang=th",
                     "00_start_here.ipynb?learner=amber-otter-4271&nick=Ann&lang=th",
                     "03_models.ipynb?learner=amber-otter-4271&nick=Ann&lang=th"]
    header = ModuleHeader(2)  # before the kernel knows the visitor: the language alone
    assert _hrefs(header.nav.value) == ["01_is_this_trafficking.ipynb?lang=th",
                                        "00_start_here.ipynb?lang=th", "03_models.ipynb?lang=th"]
    assert THAI.search(header.nav.value)
    header.close()
    i18n.use("en")
    assert _hrefs(nav_html(2, "")) == ["01_is_this_trafficking.ipynb", "00_start_here.ipynb",
                                       "03_models.ipynb"]


def test_all_modules_in_a_thai_header_leads_to_the_thai_landing_page():
    js = (ROOT / "share/jupyter/voila/templates/npkit/static/npkit.js").read_text("utf-8")
    home = js[js.index("function fixLink(a)"):js.index("function fixLinks(root)")]
    assert 'get("lang")' in home and "homeUrl()" in home


# --- error pages and the room's language -----------------------------------------------------

@pytest.mark.parametrize(("path", "expected"), [
    ("/voila/render/th/99_nope.ipynb", "th"),
    ("/voila/render/th/05_scenario_lab.ipynb/extra", "th"),
    ("/base/voila/files/th/05_scenario_lab.ipynb/extra", "th"),
    ("/voila/render/99_nope.ipynb", None),
    ("/voila/render/xx/99_nope.ipynb", None),
    ("/th/voila/render/05_scenario_lab.ipynb", None),
    (None, None),
])
def test_an_error_page_takes_the_language_of_the_page_asked_for(path, expected):
    assert dashboard.path_language(path) == expected


def test_the_order_of_the_languages_of_a_plain_page():
    page = "/voila/render/th/99_nope.ipynb"
    assert dashboard.page_language(None, None, page) == "th"
    assert dashboard.page_language("en", None, page) == "en"  # the link asked for English
    assert dashboard.page_language(None, "en", page) == "th"  # the page's own language
    assert dashboard.page_language(None, "en", "/", "th") == "en"  # the browser's choice
    assert dashboard.page_language(None, None, "/", "th") == "th"  # else the room's
    assert dashboard.page_language(None, None, "/") == "en"


def test_error_pages_speak_thai(tmp_path):
    from jinja2 import Environment, FileSystemLoader

    folder = ROOT / "share/jupyter/voila/templates/npkit"
    env = Environment(loader=FileSystemLoader([str(folder)]), autoescape=True)
    dashboard.install_template_i18n(env)
    ns = {"base_url": "/", "include_url": lambda p: f"/voila/templates/npkit/{p}",
          "status_message": "Not Found", "message": "", "exception": ""}
    for name, status in (("404.html", 404), ("error.html", 500)):
        html = env.get_template(name).render(**ns, status_code=status, npk_lang="th")
        assert '<html lang="th">' in html
        title = re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)
        assert THAI.search(title) and not re.search("[A-Za-z]", title), title
        assert 'href="/?lang=th"' in html  # back to the Thai landing page
        english = env.get_template(name).render(**ns, status_code=status, npk_lang="en")
        assert '<html lang="en">' in english and not THAI.search(
            re.search(r"<h1>(.*?)</h1>", english, re.S).group(1))


@pytest.fixture
def built(tmp_path):
    folder = tmp_path / "nb"
    (folder / "th").mkdir(parents=True)
    for name in ("00_start_here.ipynb", "05_scenario_lab.ipynb"):
        (folder / name).write_text("{}", encoding="utf-8")
        (folder / "th" / name).write_text("{}", encoding="utf-8")
    return folder


def test_a_thai_room_tells_the_course_server(built):
    english = dashboard.voila_command(built)
    thai = dashboard.voila_command(built, language="th")
    assert not any("CourseVoila.language" in a for a in english)
    assert "--CourseVoila.language=th" in thai


# --- the workshop server passes the room's language on ---------------------------------------

def _pools(cmd: list[str]) -> dict:
    flag = next((a for a in cmd if a.startswith("--VoilaKernelManager.kernel_pools_config=")),
                None)
    return json.loads(flag.split("=", 1)[1]) if flag else {}


def test_the_workshop_server_runs_a_thai_room(built):
    ws = workshop_server()
    thai = ws.course_command(ws.parse_args(["--language", "th", "--room", "30"]), built)
    assert "--CourseVoila.language=th" in thai
    pools = _pools(thai)
    assert pools["th/00_start_here.ipynb"]["pool_size"] == 30  # a bare ROOM: the Thai module 0
    assert "00_start_here.ipynb" not in pools  # the English one keeps its usual kernel
    named = ws.course_command(ws.parse_args(["--room", "th/05_scenario_lab=12"]), built)
    assert _pools(named)["th/05_scenario_lab.ipynb"]["pool_size"] == 12
    assert not any("CourseVoila.language" in a for a in named)
    english = ws.course_command(ws.parse_args(["--room", "30"]), built)
    assert _pools(english)["00_start_here.ipynb"]["pool_size"] == 30
    with pytest.raises(SystemExit):
        ws.parse_args(["--language", "xx"])


@pytest.mark.skipif(not shutil.which("make"), reason="needs make")
def test_make_workshop_server_passes_room_language():
    out = subprocess.run(["make", "-n", "-W", "notebooks", "workshop-server",
                          "ROOM_LANGUAGE=th", "ROOM=30", "ROOM_PAGE=th/05_scenario_lab"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.replace("\\\n", " ").splitlines() if "workshop_server.py" in x)
    assert "--room th/05_scenario_lab=30" in line and "--language th" in line
    plain = subprocess.run(["make", "-n", "-W", "notebooks", "workshop-server", "LANGUAGE=th_TH"],
                           cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert "--language" not in plain  # gettext's own LANGUAGE variable is not the room's
