"""The shared cache of the law's and the course's checked data (npkit.datacache.shared_data):
a second process reads the entry instead of checking the files again, a changed file is read
and checked again, a corrupt or foreign entry is ignored and the right data loaded, an error
is never stored; and the loaders a page uses go through it."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from npkit import datacache, notes
from npkit.casefile import library as lib
from npkit.course.training import glossary, modules, questions_data
from npkit.law import jurisdiction_data, parameters, wording


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(datacache.CACHE_VARIABLE, str(folder))
    return folder


def reader(path: Path, calls: list[str]):
    """What a loader does: read the file and check it (here: upper-case it), noting each read."""
    def build() -> dict:
        text = path.read_text(encoding="utf-8")
        calls.append(text)
        if "bad" in text:
            raise ValueError(f"{path.name}: bad data")
        return {"text": text.upper()}

    return build


def test_a_second_load_reads_the_entry_and_checks_nothing(cache, tmp_path):
    data = tmp_path / "data.yaml"
    data.write_text("one", encoding="utf-8")
    calls: list[str] = []
    assert datacache.shared_data("t-data", [data], reader(data, calls), dict) == {"text": "ONE"}
    assert datacache.shared_data("t-data", [data], reader(data, calls), dict) == {"text": "ONE"}
    assert calls == ["one"]
    assert len(list(cache.glob("t-data-*.pickle"))) == 1


def test_a_changed_file_is_read_again_and_replaces_the_entry(cache, tmp_path):
    data = tmp_path / "data.yaml"
    data.write_text("one", encoding="utf-8")
    calls: list[str] = []
    datacache.shared_data("t-data", [data], reader(data, calls), dict)
    data.write_text("two", encoding="utf-8")
    assert datacache.shared_data("t-data", [data], reader(data, calls), dict) == {"text": "TWO"}
    assert calls == ["one", "two"]
    assert len(list(cache.glob("t-data-*.pickle"))) == 1  # the old entry went


def test_another_file_list_or_name_is_another_entry(cache, tmp_path):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text("a", encoding="utf-8")
    b.write_text("b", encoding="utf-8")
    calls: list[str] = []
    datacache.shared_data("t-data", [a], reader(a, calls), dict)
    assert datacache.shared_data("t-data", [a, b], reader(b, calls), dict) == {"text": "B"}
    assert datacache.shared_data("t-other", [a], reader(b, calls), dict) == {"text": "B"}
    assert calls == ["a", "b", "b"]


def one_entry(cache: Path, tmp_path: Path) -> tuple[Path, list[str], Path]:
    """A data file read once through the cache: the file, the reads so far, its one entry."""
    data = tmp_path / "data.yaml"
    data.write_text("one", encoding="utf-8")
    calls: list[str] = []
    datacache.shared_data("t-data", [data], reader(data, calls), dict)
    [entry] = cache.glob("t-data-*.pickle")
    return data, calls, entry


@pytest.mark.parametrize("junk", [b"", b"not a pickle", pickle.dumps({"key": "x", "result": {}}),
                                  pickle.dumps(["a", "list"])])
def test_a_corrupt_or_foreign_entry_is_ignored_and_the_right_data_loaded(cache, tmp_path, junk):
    data, calls, entry = one_entry(cache, tmp_path)
    entry.write_bytes(junk)
    assert datacache.shared_data("t-data", [data], reader(data, calls), dict) == {"text": "ONE"}
    assert calls == ["one", "one"]
    assert datacache.shared_data("t-data", [data], reader(data, calls), dict) == {"text": "ONE"}
    assert calls == ["one", "one"]  # rewritten whole


def test_an_entry_of_the_wrong_kind_is_not_used(cache, tmp_path):
    data = tmp_path / "data.yaml"
    data.write_text("one", encoding="utf-8")
    calls: list[str] = []
    datacache.shared_data("t-data", [data], lambda: ["a list"], list)
    assert datacache.shared_data("t-data", [data], reader(data, calls), dict) == {"text": "ONE"}
    assert calls == ["one"]


def test_an_error_is_raised_every_time_and_never_stored(cache, tmp_path):
    data = tmp_path / "data.yaml"
    data.write_text("bad", encoding="utf-8")
    calls: list[str] = []
    for _ in range(2):
        with pytest.raises(ValueError, match="data.yaml: bad data"):
            datacache.shared_data("t-data", [data], reader(data, calls), dict)
    assert calls == ["bad", "bad"]
    assert not list(cache.glob("t-data-*"))


def test_off_means_read_every_time(monkeypatch, tmp_path):
    monkeypatch.setenv(datacache.CACHE_VARIABLE, "off")
    data = tmp_path / "data.yaml"
    data.write_text("one", encoding="utf-8")
    calls: list[str] = []
    for _ in range(2):
        datacache.shared_data("t-data", [data], reader(data, calls), dict)
    assert calls == ["one", "one"]


# --- the loaders a page uses ----------------------------------------------------------------

jd, qd = jurisdiction_data, questions_data
LOADERS = {
    # name of the entry: (the cached function, the uncached reader, where the reader is
    # looked up when the cached function misses)
    "law-jurisdictions-en": (lambda: jd._jurisdictions("en"),
                             lambda: jd._read_jurisdictions("en"), (jd, "_read_jurisdictions")),
    "law-instruments-en": (lambda: jd._instruments("en"), lambda: jd._read_instruments("en"),
                           (jd, "_read_instruments")),
    "law-parameters-en": (lambda: parameters.parameters("en"),
                          lambda: parameters.load(lang="en"), (parameters, "load")),
    "law-wording": (wording.catalogue, lambda: wording._read(wording._files()),
                    (wording, "_read")),
    "notes-en": (lambda: notes._notes("en"), lambda: notes._read_notes("en"),
                 (notes, "_read_notes")),
    "teaching-order": (lib.teaching_order, lib.load_teaching_order,
                       (lib, "load_teaching_order")),
    "course-objectives-en": (lambda: modules._objectives("en"),
                             lambda: modules.load_objectives(modules.DATA / "objectives.yaml",
                                                             lang="en"),
                             (modules, "load_objectives")),
    "course-glossary-en": (lambda: glossary._glossary("en"),
                           lambda: glossary.load_glossary(lang="en"),
                           (glossary, "load_glossary")),
    "course-quiz-en": (lambda: qd._quiz_entries("en"), lambda: qd._read_quiz_entries("en"),
                       (qd, "_read_quiz_entries")),
    "course-checklist-en": (lambda: qd._checklist("en"),
                            lambda: qd.load_checklist(qd.DATA / "checklist.yaml", lang="en"),
                            (qd, "load_checklist")),
    "course-prompts-en": (lambda: qd._prompts("en"),
                          lambda: qd.load_prompts(qd.DATA / "prompts.yaml", lang="en"),
                          (qd, "load_prompts")),
}
CLEAR = (jd._jurisdictions, jd._instruments, parameters.parameters, wording.catalogue,
         notes._notes, lib.teaching_order, modules._objectives, glossary._glossary,
         qd._generated_specs, qd._quiz_entries, qd._checklist, qd._prompts)


def clear_all() -> None:
    for cached in CLEAR:
        cached.cache_clear()


@pytest.mark.parametrize("name", sorted(LOADERS))
def test_the_page_loaders_share_their_checked_data(cache, monkeypatch, name):
    cached, read, (module, reader) = LOADERS[name]
    clear_all()
    try:
        first = cached()
        assert first == read()  # the entry holds what the files say
        assert list(cache.glob(f"{name}-*.pickle"))
        clear_all()  # a new kernel: nothing in memory, the entry on disk

        def refuse(*_a, **_k):
            raise AssertionError("checked again although the files did not change")

        with monkeypatch.context() as m:
            m.setattr(module, reader, refuse)
            m.setattr(datacache, "write", refuse)
            assert cached() == first
    finally:
        clear_all()


def test_a_corrupt_law_entry_loads_the_files(cache):
    jurisdiction_data._jurisdictions.cache_clear()
    try:
        good = jurisdiction_data._jurisdictions("en")
        [entry] = cache.glob("law-jurisdictions-en-*.pickle")
        entry.write_bytes(b"\x80\x05truncated")
        jurisdiction_data._jurisdictions.cache_clear()
        assert jurisdiction_data._jurisdictions("en") == good
        assert jurisdiction_data._jurisdictions("en")[0].code == "BN"
    finally:
        jurisdiction_data._jurisdictions.cache_clear()


# --- entries are pickles: only a private folder and file are read -------------------------

def test_npkit_makes_its_cache_folder_private(cache, tmp_path):
    data = tmp_path / "data.yaml"
    data.write_text("one", encoding="utf-8")
    datacache.shared_data("t-data", [data], reader(data, []), dict)
    assert cache.stat().st_mode & 0o777 == 0o700


def test_an_entry_others_may_write_is_not_read(cache, tmp_path, caplog):
    data, calls, entry = one_entry(cache, tmp_path)
    planted = pickle.loads(entry.read_bytes())
    planted["result"] = {"text": "PLANTED"}
    entry.write_bytes(pickle.dumps(planted))
    entry.chmod(0o666)
    assert datacache.shared_data("t-data", [data], reader(data, calls), dict) == {"text": "ONE"}
    assert calls == ["one", "one"]
    assert "others may write it" in caplog.text


def test_a_folder_others_may_write_is_neither_read_nor_written(tmp_path, monkeypatch, caplog):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    monkeypatch.setenv(datacache.CACHE_VARIABLE, str(shared))
    monkeypatch.setattr(datacache, "_warned", False)
    data = tmp_path / "data.yaml"
    data.write_text("one", encoding="utf-8")
    calls: list[str] = []
    datacache.shared_data("t-data", [data], reader(data, calls), dict)
    assert datacache.shared_data("t-data", [data], reader(data, calls), dict) == {"text": "ONE"}
    assert calls == ["one", "one"]
    assert list(shared.iterdir()) == []
    assert caplog.text.count("shared cache is off") == 1
