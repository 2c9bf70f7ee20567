"""Printable handouts (issue 17): the trainees' handout holds the story and the questions and no
answer; the answer key holds npkit's answers, outcomes with their caveat marks and the
engine's decisive reasons; case text is escaped; the page prints on A4 or Letter without
splitting a question from its answer lines; the language shows in ``lang``."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from npkit import i18n
from npkit.casefile.loader import load_case
from npkit.cli import main
from npkit.engine.assessment import assess
from npkit.render.handout import documents

ROOT = Path(__file__).resolve().parents[1]
JANE = ROOT / "cases" / "jane.yaml"


class _Text(HTMLParser):
    """The text a reader sees (no <style>, no <script>), and every element's attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._skip += tag in ("style", "script")

    def handle_endtag(self, tag):
        self._skip -= tag in ("style", "script")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def parsed(html: str) -> _Text:
    p = _Text()
    p.feed(html)
    return p


def text(html: str) -> str:
    return " ".join(" ".join(parsed(html).parts).split())


def flat(s: str) -> str:
    return " ".join(s.split())


@pytest.fixture
def english(tmp_path, monkeypatch):
    # The catalogue compiled on load goes to the user cache, which another checkout on this
    # computer shares: this test compiles this checkout's own.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    i18n._translations.cache_clear()
    i18n.use("en")
    yield
    i18n.use("en")
    i18n._translations.cache_clear()


@pytest.fixture
def jane(english):
    return load_case(JANE)


def question_nodes(case):
    """The findings Jane's outcome and which questions ask about, straight from the engine."""
    a = assess(case, counterfactuals=False)
    nodes = []
    for q in case.questions:
        if q.kind == "outcome":
            group, _, key = q.path.partition(".")
            nodes.append(a.victim if group == "victim" else getattr(a, group)[key])
        elif q.kind == "which":
            nodes.extend(getattr(a, q.group).values())
    return nodes


def test_handout_holds_the_story_and_every_question_and_no_answer(jane):
    docs = documents(jane)
    handout = text(docs.handout)
    for passage in jane.narrative:
        assert flat(passage.text) in handout
    for q in jane.questions:
        assert flat(q.prompt) in handout
    nodes = question_nodes(jane)
    assert len(nodes) >= 3
    for node in nodes:
        assert flat(node.decisive.text) not in handout
    for leak in ("npkit's answer", "Decisive reason", "npkit's reading", "verify before use",
                 "in the answer", flat(jane.lesson)):
        assert leak not in handout
    # the charge and the story's source are part of the story
    assert "Fraud, by running online scams" in handout
    assert "Fitzgerald 2024, V.B.1" in handout


def test_answer_key_holds_outcomes_marks_decisive_reasons_and_sources(jane):
    key = text(documents(jane).answer_key)
    a = assess(jane, counterfactuals=False)
    for node in question_nodes(jane):
        assert flat(node.decisive.text) in key
    th = a.jurisdictions["TH"]
    assert th.outcome == "not_protected" and th.marks
    assert "Thailand: not protected [npkit's reading]" in key
    assert "This answer rests on: npkit's reading" in key
    # the which question: the states that protect her, in words
    protecting = [n.title for n in a.jurisdictions.values() if n.outcome == "protected"]
    assert f"npkit's answer: {', '.join(protecting)}" in key
    assert "Philippines: protected (in the answer)" in key
    assert "Source: Fitzgerald 2024, V.A; V.B.1" in key
    assert flat(jane.lesson) in key
    for q in jane.questions:
        assert flat(q.prompt) in key
    assert "not legal advice" in key


def test_question_sheet_offers_every_choice_so_it_gives_nothing_away(jane):
    handout = text(documents(jane).handout)
    assert "succeeds" in handout and "fails" in handout
    assert "protected" in handout and "not protected" in handout
    a = assess(jane, counterfactuals=False)
    for node in a.jurisdictions.values():  # the "which" question lists every state
        assert node.title in handout


def test_each_question_keeps_its_answer_lines_on_one_page(jane):
    html = documents(jane).handout
    css = re.search(r"<style>(.*?)</style>", html, re.S).group(1)
    rule = re.search(r"([^{}]*\.npk-question[^{}]*)\{([^}]*)\}", css)
    assert rule and "break-inside: avoid" in rule.group(2)
    blocks = re.findall(r'<div class="npk-question" data-question="([^"]+)">(.*?)</div>\s*'
                        r'(?=<div class="npk-question"|</section>)', html, re.S)
    assert [b[0] for b in blocks] == [q.id for q in jane.questions]
    for _, body in blocks:
        assert body.count('class="npk-line"') >= 3


@pytest.mark.parametrize(("paper", "size"), [("a4", "A4"), ("letter", "Letter")])
def test_page_size(jane, paper, size):
    for html in (documents(jane, paper=paper).handout, documents(jane, paper=paper).answer_key):
        page = re.search(r"@page\s*\{(.*?)\n\}", html, re.S).group(1)
        assert re.search(rf"^\s*size:\s*{size};", page, re.M)
        assert "counter(page)" in page and "counter(pages)" in page


def test_unknown_paper_is_refused(jane):
    with pytest.raises(ValueError, match="a4, letter"):
        documents(jane, paper="a3")


def test_case_text_is_escaped_everywhere(jane):
    evil = '</style><script>alert("x")</script> & "quotes"'
    case = jane.model_copy(update={
        "title": f"Jane {evil}",
        "lesson": f"Lesson {evil}",
        "narrative": [jane.narrative[0].model_copy(update={"text": f"Story {evil}"})],
        "questions": [q.model_copy(update={"prompt": f"Q {evil}"}) for q in jane.questions],
    })
    docs = documents(case)
    for html in (docs.handout, docs.answer_key):
        assert "<script>" not in html
        assert html.count("</style>") == 1
        assert "&lt;script&gt;" in html
        # the running header carries the title as a CSS string, every symbol escaped
        header = re.search(r"@top-left \{ content: (\"[^\"]*\");", html)
        assert header and "\\3c " in header.group(1) and "\\22 " in header.group(1)
    assert f"Story {evil}" in " ".join(parsed(docs.handout).parts)
    assert f"Lesson {evil}" in " ".join(parsed(docs.answer_key).parts)


def test_english_page_and_thai_page(jane):
    en = documents(jane)
    assert re.search(r'<html lang="en">', en.handout)
    assert "draft" not in text(en.handout)
    i18n.use("th")
    try:
        th = documents(load_case(JANE))
    finally:
        i18n.use("en")
    for html in (th.handout, th.answer_key):
        assert re.search(r'<html lang="th">', html)
        assert "ยังไม่ได้ตรวจทานโดยนักแปลด้านกฎหมาย" in text(html)  # the draft notice
        assert "npkit handout jane --lang en" in text(html)
    assert "คำถามที่ 1" in text(th.handout)
    assert "เหตุผลชี้ขาด" in text(th.answer_key) and "เหตุผลชี้ขาด" not in text(th.handout)
    assert th.names("pdf") == ("jane-handout-th.pdf", "jane-answer-key-th.pdf")
    assert en.names("pdf") == ("jane-handout.pdf", "jane-answer-key.pdf")


def test_nothing_is_fetched(jane):
    docs = documents(jane)
    for html in (docs.handout, docs.answer_key):
        for tag, attrs in parsed(html).tags:
            assert not {"src", "href"} & attrs.keys(), (tag, attrs)
        assert "url(" not in html and "@import" not in html
        assert '"Noto Sans Thai"' in html and '"Loma"' in html


def test_cli_writes_both_html_files(tmp_path, capsys, english):
    assert main(["handout", str(JANE), "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    handout, key = tmp_path / "jane-handout.html", tmp_path / "jane-answer-key.html"
    assert str(handout) in out and str(key) in out
    assert "Decisive reason" in key.read_text(encoding="utf-8")
    assert "Decisive reason" not in handout.read_text(encoding="utf-8")


def test_cli_takes_a_case_of_the_library_by_its_id(tmp_path, capsys, english, monkeypatch):
    monkeypatch.setenv("NPKIT_CASES", str(JANE.parent))
    monkeypatch.chdir(tmp_path)  # no file "jane" here
    assert main(["handout", "jane", "--out", "by-id"]) == 0
    assert main(["handout", str(JANE), "--out", "by-file"]) == 0
    for name in ("jane-handout.html", "jane-answer-key.html"):
        by_id = (tmp_path / "by-id" / name).read_text(encoding="utf-8")
        assert by_id == (tmp_path / "by-file" / name).read_text(encoding="utf-8")


def test_cli_broken_case_names_file_line_and_field(tmp_path, capsys, english):
    bad = tmp_path / "bad.yaml"
    bad.write_text(JANE.read_text(encoding="utf-8").replace(
        "path: models.causation", "path: models.no_such_model"), encoding="utf-8")
    assert main(["handout", str(bad), "--out", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    line = next(n for n, s in enumerate(bad.read_text().splitlines(), 1) if "no_such_model" in s)
    assert re.search(rf"{re.escape(str(bad))}:{line}: questions\[1\]\.path: ", err)
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists()


def test_cli_case_without_questions_is_refused(tmp_path, capsys, english):
    assert main(["handout", str(ROOT / "cases" / "status_only.yaml"),
                 "--out", str(tmp_path)]) == 1
    assert "asks no questions" in capsys.readouterr().err


def test_trainer_link_offers_both_files_for_the_chosen_case(english):
    w = pytest.importorskip("ipywidgets")
    from npkit.course.widgets import handout_link

    jane = load_case(JANE)
    dropdown = w.Dropdown(options=[("Jane", "jane"), ("Other", "other")], value="jane")
    box = handout_link.for_dropdown(dropdown, {"jane": jane})
    row, links, status = box.children
    button, paper = row.children
    assert paper.value == "a4"
    assert button.description == "Print handouts for this case"
    button.click()
    hrefs = re.findall(r'href="data:text/html;charset=utf-8;base64,([^"]+)" download="([^"]+)"',
                       links.value)
    assert [name for _, name in hrefs] == ["jane-handout.html", "jane-answer-key.html"]
    handout, key = (base64.b64decode(b).decode("utf-8") for b, _ in hrefs)
    assert "Decisive reason" in key and "Decisive reason" not in handout
    assert 'role="status"' in status.value
    dropdown.value = "other"
    assert links.value == ""
    button.click()  # an unknown case: a readable message, no links, no exception
    assert links.value == "" and "could not be made" in status.value


def test_core_install_writes_html_and_names_what_pdf_needs(tmp_path):
    """Without the extras (tests/test_core_install.py's guard): HTML is written; PDF is refused
    in one line that says what to install, never with a traceback."""
    from test_core_install import run_core

    html_out, pdf_out = tmp_path / "html", tmp_path / "pdf"
    argvs = [["handout", str(JANE), "--out", str(html_out)],
             ["handout", str(JANE), "--format", "pdf", "--out", str(pdf_out)]]
    proc, report = run_core(argvs)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert list(report["runs"].values()) == [0, 1]
    assert sorted(p.name for p in html_out.iterdir()) == ["jane-answer-key.html",
                                                          "jane-handout.html"]
    assert not pdf_out.exists()
    assert "PDF needs Playwright: pip install 'npkit[handout]'" in proc.stderr
    assert "playwright" in report["refused"]
    assert "Traceback" not in proc.stderr
