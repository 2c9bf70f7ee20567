"""What a page does with a case as its file has it is shared by every kernel without
serialising or validating the case again (issue 16): the case as loaded is the lab's starting
case, and its downloadable copy and that copy's YAML are made once (npkit.casefile.cache's
content keys). Each shared result is the one the full path makes; a changed case file or a
corrupt entry makes it again."""

from __future__ import annotations

from pathlib import Path

import pytest

from npkit.casefile import cache as case_cache
from npkit.casefile import editing
from npkit.casefile import library as lib
from npkit.casefile import scenario as sc

GOOD = Path(__file__).parent / "fixtures" / "cases"


@pytest.fixture
def folder(cached_case_folder):
    return cached_case_folder


def ana(folder: Path):
    return next(c for c in lib.library(folder, "en").cases if c.id == "ana")


@pytest.mark.parametrize("lang", ["en", "th"])
def test_the_initial_scenario_builds_the_case_as_loaded(lang):
    """The short cut in build_case: for every shipped case, validating the initial scenario's
    case (the full path) gives the case as loaded, field for field."""
    for case in lib.library(lang=lang).cases:
        s = sc.initial_scenario(case)
        assert sc.build_case(case, s) is case
        full = sc._build_case(case, s)
        assert full == case, case.id
        assert editing.to_yaml(full) == editing._to_yaml(case), case.id


def test_a_changed_scenario_is_still_validated(folder):
    case = ana(folder)
    s = sc.initial_scenario(case)
    changed = sc.apply_edit(case, s, "quick.imminent_threat", True)
    built = sc.build_case(case, changed)
    assert built is not case and built == sc._build_case(case, changed)
    assert case_cache.content_key(built) is None  # an edited case is not a library case


def test_library_cases_have_a_content_key_that_follows_the_file(folder):
    first = ana(folder)
    key = case_cache.content_key(first)
    assert key and key.startswith("en|") and key.endswith("|ana")
    assert case_cache.content_key(first.model_copy()) is None  # this object only
    ana_file = folder / "ana.yaml"
    ana_file.write_text(ana_file.read_text(encoding="utf-8").replace("age: 24", "age: 31", 1),
                        encoding="utf-8")
    again = ana(folder)
    assert again.person.age == 31
    assert case_cache.content_key(again) not in (None, key)


def test_no_cache_no_key(folder, monkeypatch):
    monkeypatch.setenv(case_cache.CACHE_VARIABLE, "off")
    lib._load.cache_clear()
    case = ana(folder)
    assert case_cache.content_key(case) is None
    copy = sc.edited_copy(case, case, [])
    assert copy == sc._edited_copy(case, case, []) and case_cache.content_key(copy) is None


def test_the_copy_and_its_yaml_are_made_once_and_are_the_full_paths(folder, monkeypatch):
    case = ana(folder)
    copy = sc.edited_copy(case, case, [])
    text = editing.to_yaml(copy)
    assert copy == sc._edited_copy(case, case, [])
    assert text == editing._to_yaml(copy)
    assert list((folder.parent / "cache").glob("lab-copy-en-ana-*.pickle"))
    assert list((folder.parent / "cache").glob("case-yaml-en-ana_edited-*.pickle"))

    lib._load.cache_clear()  # a new kernel: the library, the copy and the text from the cache
    case = ana(folder)

    def refuse(*_a, **_k):
        raise AssertionError("made again although the case file did not change")

    monkeypatch.setattr(sc, "_edited_copy", refuse)
    monkeypatch.setattr(editing, "_to_yaml", refuse)
    again = sc.edited_copy(case, case, [])
    assert again == copy and editing.to_yaml(again) == text


def test_a_changed_case_file_makes_the_copy_again(folder):
    copy = sc.edited_copy(ana(folder), ana(folder), [])
    ana_file = folder / "ana.yaml"
    ana_file.write_text(ana_file.read_text(encoding="utf-8").replace("age: 24", "age: 31", 1),
                        encoding="utf-8")
    case = ana(folder)
    fresh = sc.edited_copy(case, case, [])
    assert fresh.person.age == 31 and copy.person.age == 24
    assert "age: 31" in editing.to_yaml(fresh)


def test_a_corrupt_entry_makes_the_copy_again(folder):
    case = ana(folder)
    copy = sc.edited_copy(case, case, [])
    text = editing.to_yaml(copy)
    for entry in (folder.parent / "cache").glob("*-ana*.pickle"):
        entry.write_bytes(b"\x80\x05broken")
    lib._load.cache_clear()
    case = ana(folder)
    again = sc.edited_copy(case, case, [])
    assert again == copy and editing.to_yaml(again) == text


def test_a_changed_copy_is_not_shared(folder):
    case = ana(folder)
    changes = ["an imminent threat of serious harm aimed at them"]
    copy = sc.edited_copy(case, case, changes)
    assert case_cache.content_key(copy) is None
    assert "an imminent threat" in copy.narrative[-1].text
