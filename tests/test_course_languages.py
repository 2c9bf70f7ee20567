"""The course's notebooks per language (issue 17): npkit.course.build's translation files,
the shipped Thai module text, and the dashboard's language and pool rules."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from npkit.course import build as course_build
from npkit.course import dashboard
from npkit.course.build import (
    TranslationError,
    build,
    read_translation,
    sources,
    translation_path,
    translation_status,
)

pytest.importorskip("jupytext")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

SKELETON = """# %%
print("hello")

# %% [markdown]
# ## First
#
# One sentence (Fitzgerald 2024, V.B.1).

# %%
x = 1

# %% [markdown]
# ## Second
"""


def h(text: str) -> str:
    """The hash a translation records, written out here rather than taken from the build."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:10]


@pytest.fixture
def course(tmp_path):
    src = tmp_path / "01_is_this_trafficking.py"
    src.write_text(SKELETON, encoding="utf-8")
    (tmp_path / "th").mkdir()
    return src


def write_th(src: Path, text: str) -> Path:
    path = src.parent / "th" / f"{src.stem}.md"
    path.write_text(text, encoding="utf-8")
    return path


FIRST = "## First\n\nOne sentence (Fitzgerald 2024, V.B.1)."
SECOND = "## Second"


def test_a_current_translation_replaces_the_english_and_the_page_speaks_thai(course):
    write_th(course, f"<!-- cell 01-001 en:{h(FIRST)} -->\n## หนึ่ง\n\nหนึ่งประโยค "
                     f"(Fitzgerald 2024, V.B.1)\n\n<!-- cell 01-003 en:{h(SECOND)} -->\n## สอง\n")
    nb = build(course, "th")
    assert nb.cells[0].cell_type == "code"
    assert "i18n.use('th')" in nb.cells[0].source
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert markdown == ["## หนึ่ง\n\nหนึ่งประโยค (Fitzgerald 2024, V.B.1)", "## สอง"]
    assert nb.metadata["npkit_lang"] == "th"
    assert nb.metadata["npkit_original"] == "01_is_this_trafficking.ipynb"
    assert nb.metadata["npkit"]["next"]["notebook"] == "th/02_duress.ipynb"
    assert nb.metadata["npkit"]["prev"]["notebook"] == "th/00_start_here.ipynb"
    assert translation_status(course, "th") == {"missing": [], "stale": [], "unknown": []}


def test_the_language_is_set_in_the_first_code_cell_not_a_cell_more(course):
    # each code cell costs every trainee's kernel and the server a round of messages
    write_th(course, "")
    english, thai = build(course), build(course, "th")
    assert [c.cell_type for c in thai.cells] == [c.cell_type for c in english.cells]
    assert [c.id for c in thai.cells] == [c.id for c in english.cells]
    lines = thai.cells[0].source.splitlines()
    assert lines.index("PAGE_LANGUAGE = i18n.use('th')") < lines.index('print("hello")')


def test_an_answer_key_first_gets_the_language_in_a_cell_before_it(course):
    # Voila does not run an answer key (npkit-check): the language must not hide in one
    course.write_text(SKELETON.replace('print("hello")', 'print("hello")\n# expect: hello'),
                      encoding="utf-8")
    write_th(course, "")
    english, thai = build(course), build(course, "th")
    assert len(thai.cells) == len(english.cells) + 1
    assert thai.cells[0].source.endswith("PAGE_LANGUAGE = i18n.use('th')")
    assert "npkit-check" in thai.cells[1].metadata.get("tags", [])
    assert "i18n.use" not in thai.cells[1].source  # it speaks English only for its own lines


def test_an_answer_key_of_a_translated_page_runs_in_english_with_the_english_expectations(
        course):
    course.write_text(SKELETON.replace('print("hello")', 'print("hello")\n# expect: hello'),
                      encoding="utf-8")
    write_th(course, "")
    english, thai = build(course), build(course, "th")
    key = thai.cells[1]
    assert key.outputs == english.cells[0].outputs  # the expectation written in English
    lines = key.source.splitlines()
    assert lines[0] == "# NBVAL_CHECK_OUTPUT"
    assert 'with i18n.speaking("en"):' in lines and '    print("hello")' in lines
    namespace: dict = {}
    from npkit import i18n

    before = i18n.current()
    exec(thai.cells[0].source, namespace)  # the page's language: Thai
    try:
        exec(key.source, namespace)
        assert i18n.current() == "th"  # the page speaks Thai again after its key
    finally:
        i18n.use(before)


def test_a_changed_english_cell_shows_as_stale_and_is_shown_in_english(course):
    write_th(course, f"<!-- cell 01-001 en:{h('## First, before an edit')} -->\n## หนึ่ง\n")
    nb = build(course, "th")
    markdown = [c.source for c in nb.cells if c.cell_type == "markdown"]
    assert markdown == [FIRST, SECOND]  # never an out-of-date translation
    assert translation_status(course, "th") == {"missing": ["01-003"], "stale": ["01-001"],
                                                "unknown": []}


def test_the_english_notebook_is_untouched_by_the_languages(course):
    nb = build(course)
    assert "npkit_lang" not in nb.metadata and "npkit_original" not in nb.metadata
    assert not any("i18n" in c.source for c in nb.cells)
    assert nb.metadata["npkit"]["next"]["notebook"] == "02_duress.ipynb"


def test_build_all_writes_each_language_beside_the_english(course, tmp_path):
    out = tmp_path / "built"
    written = course_build.build_all(course.parent, out)
    assert sorted(p.relative_to(out).as_posix() for p in written) == [
        "01_is_this_trafficking.ipynb", "th/01_is_this_trafficking.ipynb"]
    assert course_build.build_all(course.parent, out, check=True) == []
    assert course_build.built_pages(out) == ["01_is_this_trafficking.ipynb",
                                             "th/01_is_this_trafficking.ipynb"]


@pytest.mark.parametrize(("text", "message"), [
    ("stray text\n<!-- cell 01-001 en:0123456789 -->\nx\n", r"\.md:1: text before the first"),
    ("<!-- cell 01-001 en:0123456789 -->\na\n\n<!-- cell 01-001 en:0123456789 -->\nb\n",
     r"\.md:4: cell 01-001 translated twice"),
])
def test_a_broken_translation_file_is_named_with_its_line(course, text, message):
    path = write_th(course, text)
    with pytest.raises(TranslationError, match=message):
        read_translation(path)


# --- the shipped Thai module text --------------------------------------------------------

def test_every_module_is_translated_into_thai_and_current():
    gaps = {src.name: status for src in sources(NOTEBOOKS)
            if any((status := translation_status(src, "th")).values())}
    assert not gaps, ("Thai module text missing or older than the English (python "
                      f"tools/build_notebooks.py --translations): {gaps}")


# A citation's pinpoint: "Fitzgerald 2024, V.B.1", "(2024, IV.C)", "art 14(7)" (ข้อ 14(7)), "s 6/1",
# "recommendation 19" (a list of them, "recommendations 1-5", reads as a range in prose).
PINPOINT = re.compile(r"\b(?:Fitzgerald 2024|\d{4}), [IVX]+(?:\.[A-Z0-9]+)*"
                      r"|(?<![\w'’])(?:art|s) \d+(?:/\d+)?(?:\(\d+\))*(?:\([a-z]\))?"
                      r"|\brecommendation \d+")


@pytest.mark.parametrize("src", sources(NOTEBOOKS), ids=lambda p: p.stem)
def test_thai_text_keeps_the_headings_and_every_pinpoint_of_the_english(src):
    english = {c.id: c.source for c in course_build._read(src).cells
               if c.cell_type == "markdown"}
    thai = read_translation(translation_path(src, "th")).cells
    for cell_id, text in english.items():
        translated = thai[cell_id][1]
        heads = [ln.split(" ")[0] for ln in text.splitlines() if ln.startswith("#")]
        assert [ln.split(" ")[0] for ln in translated.splitlines() if ln.startswith("#")] == \
            heads, f"{src.stem} {cell_id}: the steps of a module follow its ## headings"
        # an article is "ข้อ" in Thai (the glossary: "ธรรมนูญกรุงโรม ข้อ 31(1)(d)")
        kept = PINPOINT.findall(re.sub(r"ข้อ (?=\d)", "art ", translated))
        missing = set(PINPOINT.findall(text)) - set(kept)
        assert not missing, f"{src.stem} {cell_id}: pinpoints not kept as in English: {missing}"


# --- the dashboard ------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "cookie", "expected"), [
    (None, None, "en"), ("th", None, "th"), (None, "th", "th"), ("en", "th", "en"),
    ("TH-th", None, "th"), ("<script>", None, "en"), (None, "xx", "en"),
])
def test_a_plain_page_takes_the_link_s_language_then_the_browser_s(query, cookie, expected):
    assert dashboard.page_language(query, cookie) == expected


@pytest.fixture
def built(tmp_path):
    for name in ("00_start_here.ipynb", "05_scenario_lab.ipynb"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
        (tmp_path / "th").mkdir(exist_ok=True)
        (tmp_path / "th" / name).write_text("{}", encoding="utf-8")
    return tmp_path


def test_thai_pages_start_on_demand_unless_thai_is_the_room_s_language(built):
    assert dashboard.on_demand_pages(built) == {"th/00_start_here.ipynb": 0,
                                                "th/05_scenario_lab.ipynb": 0}
    assert dashboard.on_demand_pages(built, "th") == {}
    flags = [f for f in dashboard.voila_command(built) if "kernel_pools_config" in f]
    assert flags == ['--VoilaKernelManager.kernel_pools_config={"default": {"pool_size": 1}, '
                     '"th/00_start_here.ipynb": {"pool_size": 0}, '
                     '"th/05_scenario_lab.ipynb": {"pool_size": 0}}']
    assert not [f for f in dashboard.voila_command(built, language="th")
                if "kernel_pools_config" in f]


def test_a_room_names_a_thai_page_or_opens_the_thai_first_module(built):
    assert dashboard.parse_room_sizes(["30"], built, "th") == {"th/00_start_here.ipynb": 30}
    assert dashboard.parse_room_sizes(["th/05_scenario_lab=12"], built) == {
        "th/05_scenario_lab.ipynb": 12}
    assert dashboard.parse_pool_sizes(["th/05_scenario_lab=3"], built) == {
        "th/05_scenario_lab.ipynb": 3}
    with pytest.raises(ValueError, match="no page th/07_check_yourself.ipynb"):
        dashboard.parse_room_sizes(["th/07_check_yourself=5"], built)


def test_the_thai_landing_page_links_the_thai_notebooks(built):
    landing = dashboard.landing_context("th", built)
    first = landing["modules"][0]
    assert first["notebook"] == "th/00_start_here.ipynb" and first["built"] is True
    assert landing["modules"][1]["built"] is False
    assert first["title"] == "เริ่มต้นที่นี่"
    assert dashboard.landing_context()["modules"][0]["notebook"] == "00_start_here.ipynb"


def test_the_scripts_get_their_words_from_the_catalogue_in_the_page_s_language():
    words = dashboard.script_text("th")
    assert words["Get a code on the start page"] == "รับรหัสที่หน้าเริ่มต้น"
    assert "Glossary" not in words  # the template's own words are no script's
    assert dashboard.script_text("en") == {}
