"""The cases in Thai (issue 17): every text field a learner reads has a Thai translation in the
file's ``th:`` overlays, the Thai validates, and it is the same case: the same facts and
expected outcomes, and the engine assesses it exactly as it assesses the English. A translation
that does not fit is a loader error naming file, line and field; the other files still load."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from npkit.casefile import cache as case_cache
from npkit.casefile import library as lib
from npkit.casefile.case import TEXT_FIELDS
from npkit.casefile.loader import CaseFileError, load_case, load_cases
from npkit.cli import main
from npkit.engine.assessment import assess
from npkit.i18n.content import localize, untranslated

CASES = Path(__file__).resolve().parents[1] / "cases"
FILES = sorted(CASES.glob("*.yaml"))
THAI = re.compile("[\u0e00-\u0e7f]")

# Cases whose Thai is still being written; strict xfail: a case that becomes complete fails
# here until it is taken off the list. Empty when every case is translated.
NOT_YET: set[str] = set()


def raw(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _params():
    for path in FILES:
        marks = [pytest.mark.xfail(strict=True, reason="Thai not written yet")] \
            if path.stem in NOT_YET else []
        yield pytest.param(path, id=path.stem, marks=marks)


@pytest.mark.parametrize("path", list(_params()))
def test_every_text_field_has_a_thai_translation(path):
    missing = [m.lstrip(".") for m in untranslated(raw(path), "th", TEXT_FIELDS)]
    assert not missing, f"cases/{path.name}: no Thai for {', '.join(missing)}"


def _texts(data: Any, where: str = "") -> dict[str, str]:
    """Every text field's value by path."""
    out: dict[str, str] = {}
    if isinstance(data, list):
        for i, item in enumerate(data):
            out |= _texts(item, f"{where}[{i}]")
    elif isinstance(data, dict):
        for key, value in data.items():
            if key in TEXT_FIELDS and isinstance(value, str):
                out[f"{where}.{key}"] = value
            else:
                out |= _texts(value, f"{where}.{key}")
    return out


def _without_texts(data: Any) -> Any:
    if isinstance(data, list):
        return [_without_texts(item) for item in data]
    if isinstance(data, dict):
        return {k: _without_texts(v) for k, v in data.items() if k not in TEXT_FIELDS}
    return data


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_the_thai_case_is_the_same_case(path):
    english, thai = load_case(path, lang="en"), load_case(path, lang="th")
    assert _without_texts(thai.model_dump(mode="json")) \
        == _without_texts(english.model_dump(mode="json")), f"{path.name}: facts differ"
    assert thai.expected_outcomes == english.expected_outcomes
    for offence in english.offences:
        en = assess(english, offence.id, counterfactuals=False).outcomes()
        th = assess(thai, offence.id, counterfactuals=False).outcomes()
        assert th == en, f"{path.name}: {offence.id} assessed differently in Thai"


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_thai_text_is_thai_not_english_copied_in(path):
    data = raw(path)
    english, thai = (_texts(localize(data, lang, TEXT_FIELDS)) for lang in ("en", "th"))
    covered = {p for p in english if p not in untranslated(data, "th", TEXT_FIELDS)}
    copied = sorted(p for p in covered if not THAI.search(thai[p]))
    assert not copied, f"cases/{path.name}: not Thai: {', '.join(copied)}"


def test_the_three_core_cases_use_the_standard_names():
    standard = {"jane": "เจน", "john": "จอห์น", "sarah": "ซาราห์"}
    names = {c: load_case(CASES / f"{c}.yaml", lang="th").person.pseudonym for c in standard}
    assert names == standard


# ------------------------------------------------------------------ the loader and the cache


def _copy_jane(folder: Path, change) -> Path:
    folder.mkdir(exist_ok=True)
    text = (CASES / "jane.yaml").read_text(encoding="utf-8")
    bad = folder / "jane.yaml"
    bad.write_text(change(text), encoding="utf-8")
    shutil.copy(CASES / "john.yaml", folder / "john.yaml")
    return bad


def test_a_thai_overlay_that_does_not_fit_names_file_line_and_field(tmp_path):
    # a th: key the English mapping does not have
    bad = _copy_jane(tmp_path, lambda t: t.replace('person: {pseudonym: Jane, age: 25, th: '
                                                   '{pseudonym: "เจน"}}',
                                                   'person: {pseudonym: Jane, age: 25, th: '
                                                   '{name: "เจน"}}'))
    result = load_cases(tmp_path, lang="th")
    assert [c.id for c in result.cases] == ["john"]  # the other file still loads
    (error,) = result.errors
    line = next(i for i, s in enumerate(bad.read_text().splitlines(), 1) if "{name:" in s)
    assert (error.path, error.line, error.field) == (str(bad), line, "person.th.name")
    assert "not a field of the English" in error.message
    assert load_cases(tmp_path, lang="en").ok  # the English is untouched


@pytest.mark.parametrize("old, new, marker, field", [
    ("th:\n  title:", "th:\n  id: jane-th\n  title:", "id: jane-th", "th.id"),
    ("    th:\n      text: >-\n        เจนอายุ",
     "    th:\n      tags: [act.harbouring]\n      text: >-\n        เจนอายุ",
     "tags: [act.harbouring]", "narrative[0].th.tags[0]"),
    ('source: {source: fitzgerald2024, pinpoint: "V.B.1"}',
     'source: {source: fitzgerald2024, pinpoint: "V.B.1", th: {pinpoint: "V.B.2"}}',
     'th: {pinpoint: "V.B.2"}', "source.th.pinpoint"),
], ids=["id", "tag", "pinpoint"])
def test_an_overlay_on_anything_but_a_text_field_is_refused(tmp_path, old, new, marker, field):
    bad = _copy_jane(tmp_path, lambda t: t.replace(old, new, 1))
    assert marker in bad.read_text(encoding="utf-8")
    result = load_cases(tmp_path, lang="th")
    assert [c.id for c in result.cases] == ["john"]  # the other file still loads
    (error,) = result.errors
    line = next(i for i, s in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1)
                if marker in s)
    assert (error.path, error.line, error.field) == (str(bad), line, field)
    assert "th: may only translate text fields (by, charge, label, lesson" in error.message
    assert load_cases(tmp_path, lang="en").ok  # the English is untouched


def test_a_thai_text_too_long_is_reported_at_the_overlay(tmp_path):
    long_title = "ก" * 130
    bad = _copy_jane(tmp_path, lambda t: t.replace(
        'title: "เจน: งานสำนักงานปลอม', f'title: "{long_title} เจน: งานสำนักงานปลอม', 1))
    with pytest.raises(CaseFileError) as caught:
        load_case(bad, lang="th")
    (error,) = caught.value.errors
    line = next(i for i, s in enumerate(bad.read_text().splitlines(), 1) if long_title in s)
    assert (error.line, error.field) == (line, "th.title")
    assert "too long" in error.message
    assert load_case(bad, lang="en").title.startswith("Jane")


def test_npkit_validate_checks_the_thai_overlays(tmp_path, capsys):
    bad = _copy_jane(tmp_path, lambda t: t.replace('th: {pseudonym: "เจน"}',
                                                   'th: {pseudonym: ["เจน"]}'))
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{bad}:") and "person.th.pseudonym" in out[0]
    assert out[-1] == "validated 2 files: 1 ok, 1 with errors (1 error)"


def test_the_case_cache_keeps_each_language_apart(tmp_path, monkeypatch):
    folder = tmp_path / "cases"
    folder.mkdir()
    shutil.copy(CASES / "jane.yaml", folder / "jane.yaml")
    monkeypatch.setenv(case_cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    assert case_cache.library_key(folder, "en") != case_cache.library_key(folder, "th")
    lib._load.cache_clear()
    try:
        for _ in range(2):  # the second round reads the shared cache's entries
            assert lib.library(folder, lang="th").cases[0].person.pseudonym == "เจน"
            assert lib.library(folder, lang="en").cases[0].person.pseudonym == "Jane"
            lib._load.cache_clear()
    finally:
        lib._load.cache_clear()
    assert len(list((tmp_path / "cache").glob("cases-*.pickle"))) == 2


def test_the_translation_example_of_the_case_format_page_gives_thai():
    from npkit.casefile.docs import TRANSLATION_EXAMPLE

    data = yaml.safe_load(TRANSLATION_EXAMPLE)
    assert untranslated(data, "th", TEXT_FIELDS) == []
    thai = localize(data, "th", TEXT_FIELDS)
    assert thai["person"] == {"pseudonym": "แอนา", "age": 24}
    assert THAI.search(thai["narrative"][0]["text"]) and "th" not in thai["narrative"][0]
