"""Jane's handout printed to PDF by the system's Chromium (``npkit handout --format pdf``), read
back with poppler's ``pdftotext`` and ``pdfinfo`` (Debian poppler-utils): the questions are in
the handout, the answer key's decisive reasons and answer words only in the key, the page
sizes are A4 and Letter, in English and in Thai.

Skips outside CI when Chromium, Playwright or pdftotext is missing; fails on CI (CI=true).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from ci_policy import skip_or_fail

from npkit import i18n
from npkit.casefile.loader import load_case
from npkit.engine.assessment import assess
from npkit.render.words import reason_text

ROOT = Path(__file__).resolve().parents[1]
JANE = ROOT / "cases" / "jane.yaml"
PRINT_TIMEOUT_S = 300  # a loaded 2-core machine; the print itself takes a few seconds


def _needs() -> None:
    if shutil.which("chromium") is None:
        skip_or_fail("Debian's chromium is not installed (apt-get install chromium)")
    for tool in ("pdftotext", "pdfinfo"):
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is not installed (apt-get install poppler-utils)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        skip_or_fail("Playwright is not installed (pip install 'npkit[handout]')")


def _print(out: Path, *options: str) -> tuple[Path, Path]:
    # A cache of our own: the catalogue compiled on load goes to the user cache, which another
    # checkout on this computer shares.
    env = {**os.environ, "XDG_CACHE_HOME": str(out / "cache")}
    run = subprocess.run([sys.executable, "-m", "npkit.cli", "handout", str(JANE), "--format",
                          "pdf", "--out", str(out), *options], capture_output=True, text=True,
                         timeout=PRINT_TIMEOUT_S, cwd=ROOT, env=env)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    paths = [Path(line.rpartition(": ")[2]) for line in run.stdout.splitlines() if line.strip()]
    assert len(paths) == 2 and all(p.suffix == ".pdf" and p.exists() for p in paths), run.stdout
    return paths[0], paths[1]


@pytest.fixture(scope="module", autouse=True)
def own_catalogue(tmp_path_factory):
    """This checkout's catalogue in this process too (see _print)."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    i18n._translations.cache_clear()
    yield
    mp.undo()
    i18n._translations.cache_clear()


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    _needs()
    out = tmp_path_factory.mktemp("handouts")
    return {"en": _print(out), "th": _print(out, "--lang", "th", "--paper", "letter")}


def pdf_text(path: Path) -> str:
    """The PDF's text with every space and line break taken out (lines wrap anywhere, and Thai
    has no spaces between words), compatibility characters folded."""
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True, timeout=60)
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", run.stdout.decode("utf-8")))


def squeeze(s: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", s))


def page_size(path: Path) -> str:
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True,
                          timeout=60).stdout
    return re.search(r"^Page size:\s*(.*)$", info, re.M).group(1)


def expected(lang: str):
    """Jane in ``lang`` as the loader gives her, and the reasons the engine names as decisive
    for the findings her questions ask about, worded in ``lang``."""
    i18n.use(lang)
    try:
        case = load_case(JANE)
        a = assess(case, counterfactuals=False)
        reasons = [reason_text(a.duress["england_wales"].decisive),
                   reason_text(a.models["causation"].decisive),
                   reason_text(a.jurisdictions["TH"].decisive),
                   reason_text(a.jurisdictions["PH"].decisive)]
        words = {k: i18n.gettext(k) for k in ("Decisive reason:", "npkit's answer:",
                                              "This answer rests on:", "npkit's reading")}
        return case, reasons, words
    finally:
        i18n.use("en")


@pytest.mark.parametrize("lang", ["en", "th"])
def test_questions_in_the_handout_and_the_key_only_in_the_key(pdfs, lang):
    handout, key = (pdf_text(p) for p in pdfs[lang])
    case, reasons, words = expected(lang)
    for q in case.questions:
        assert squeeze(q.prompt) in handout, q.id
    for passage in case.narrative:
        assert squeeze(passage.text) in handout
    for reason in reasons:
        assert squeeze(reason) in key
        assert squeeze(reason) not in handout
    for word in words.values():
        assert squeeze(word) in key, word
        assert squeeze(word) not in handout, word
    assert squeeze(case.lesson) in key and squeeze(case.lesson) not in handout


def test_thai_pdf_shows_thai(pdfs):
    handout, key = (pdf_text(p) for p in pdfs["th"])
    assert squeeze("คำถามที่ 1") in handout and squeeze("เหตุผลชี้ขาด") in key
    assert squeeze("ยังไม่ได้ตรวจทานโดยนักแปลด้านกฎหมาย") in handout  # the draft notice


def test_page_sizes_and_page_numbers(pdfs):
    for path in pdfs["en"]:
        assert "(A4)" in page_size(path)
        assert "Page1of" in pdf_text(path)
    for path in pdfs["th"]:
        assert page_size(path).startswith("612 x 792")  # US Letter, in points
        assert squeeze("หน้า 1 จาก") in pdf_text(path)


def _pages(path: Path) -> list[str]:
    run = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                         check=True, timeout=60)
    return [squeeze(page) for page in run.stdout.decode("utf-8").split("\f") if page.strip()]


@pytest.mark.parametrize("lang", ["en", "th"])
def test_no_question_is_split_from_its_answer_lines(pdfs, lang):
    """Every page that starts a question also holds the words above its answer lines."""
    i18n.use(lang)
    try:
        heading = [squeeze(i18n.gettext("Question {n}").format(n=n)) for n in range(1, 6)]
        lines = [squeeze(i18n.gettext(s)) for s in ("Why?", "Your answer in your own words:")]
    finally:
        i18n.use("en")
    pages = _pages(pdfs[lang][0])
    assert len(pages) >= 2
    seen = 0
    for page in pages:
        starts = sum(page.count(h) for h in heading)
        ends = sum(page.count(w) for w in lines)
        assert starts == ends, page[:200]
        seen += starts
    assert seen == 5  # Jane's five questions
