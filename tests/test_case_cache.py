"""The shared cache of the validated case library (npkit.casefile.cache): an entry is read back
without validation, a changed or broken file is validated again and named as ever, a corrupt
entry is ignored, and kernels starting at once are safe."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from npkit.casefile import cache as case_cache
from npkit.casefile import library as lib
from npkit.casefile.loader import load_cases

GOOD = Path(__file__).parent / "fixtures" / "cases"


@pytest.fixture
def folder(cached_case_folder):
    return cached_case_folder


def entries(cases: Path) -> list[Path]:
    return sorted((cases.parent / "cache").glob("cases-*.pickle"))


def load(cases: Path, validations: list[Path]):
    """The cache's result for ``cases``, noting every validation it needed."""
    def counting(root: Path):
        validations.append(root)
        return load_cases(root)

    return case_cache.cached_load(cases, counting)


def test_second_load_reads_the_entry_without_validating(folder):
    validations: list[Path] = []
    first = load(folder, validations)
    assert len(validations) == 1 and len(entries(folder)) == 1
    second = load(folder, validations)
    assert len(validations) == 1  # not validated again
    assert [c.id for c in second.cases] == [c.id for c in first.cases] == ["ana", "dara"]
    assert second.cases == first.cases and second.files == first.files


def test_library_uses_the_shared_entry(folder, monkeypatch):
    ids = [c.id for c in lib.library(folder).cases]
    lib._load.cache_clear()

    def refuse(*_a, **_k):
        raise AssertionError("validated again although the files did not change")

    monkeypatch.setattr(lib, "load_cases", refuse)
    assert [c.id for c in lib.library(folder).cases] == ids


def test_a_changed_file_is_validated_again(folder):
    validations: list[Path] = []
    load(folder, validations)
    ana = folder / "ana.yaml"
    ana.write_text(ana.read_text(encoding="utf-8").replace("age: 24", "age: 31", 1),
                   encoding="utf-8")
    again = load(folder, validations)
    assert len(validations) == 2
    assert next(c for c in again.cases if c.id == "ana").person.age == 31
    assert len(entries(folder)) == 1  # the old entry was removed


def test_a_broken_file_is_named_by_file_line_and_field_after_a_good_entry(folder):
    validations: list[Path] = []
    load(folder, validations)
    ana = folder / "ana.yaml"
    lines = ana.read_text(encoding="utf-8").splitlines()
    n = next(i for i, line in enumerate(lines) if line.strip() == "age: 24")
    lines[n] = lines[n].replace("age: 24", "age: twenty")
    ana.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for _ in range(2):  # validated, then the same error read back from the entry
        result = load(folder, validations)
        assert [c.id for c in result.cases] == ["dara"]
        [error] = result.errors
        assert error.path == str(ana) and error.line == n + 1 and error.field == "person.age"
    assert len(validations) == 2


def test_an_added_or_removed_file_is_seen(folder):
    validations: list[Path] = []
    load(folder, validations)
    (folder / "dara.yaml").unlink()
    assert [c.id for c in load(folder, validations).cases] == ["ana"]
    assert len(validations) == 2


@pytest.mark.parametrize("junk", [b"", b"not a pickle", b"\x80\x05garbage"])
def test_a_corrupt_entry_is_ignored_and_rewritten(folder, junk):
    validations: list[Path] = []
    first = load(folder, validations)
    [entry] = entries(folder)
    entry.write_bytes(junk)
    again = load(folder, validations)
    assert len(validations) == 2 and again.cases == first.cases
    load(folder, validations)
    assert len(validations) == 2  # the rewritten entry is good


def test_an_entry_filed_under_another_name_is_not_used(folder, tmp_path):
    """An entry whose recorded key is not the one asked for (e.g. copied into another's place)
    is a miss: the key inside the entry is checked, not only the file name."""
    validations: list[Path] = []
    load(folder, validations)
    [entry] = entries(folder)
    other = tmp_path / "other"
    shutil.copytree(folder, other)
    place, key = case_cache.library_key(other)
    shutil.copy(entry, entry.with_name(f"cases-{place}-{key[:32]}.pickle"))
    load(other, validations)
    assert validations == [folder, other]


def test_off_or_unwritable_means_uncached(folder, monkeypatch, tmp_path):
    validations: list[Path] = []
    monkeypatch.setenv(case_cache.CACHE_VARIABLE, "off")
    load(folder, validations)
    load(folder, validations)
    assert len(validations) == 2
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(case_cache.CACHE_VARIABLE, str(blocker / "cache"))  # cannot be made
    assert [c.id for c in load(folder, validations).cases] == ["ana", "dara"]


def test_kernels_starting_at_once_agree_and_leave_one_whole_entry(folder):
    """Several processes with an empty cache validate and write at the same moment."""
    script = textwrap.dedent(f"""
        from pathlib import Path
        from npkit.casefile.cache import cached_load
        from npkit.casefile.loader import load_cases
        for _ in range(5):
            r = cached_load(Path({str(folder)!r}), load_cases)
            print(",".join(c.id for c in r.cases), len(r.errors))
    """)
    procs = [subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    outs = [p.communicate(timeout=300) for p in procs]
    assert all(p.returncode == 0 for p in procs), [err for _, err in outs]
    assert {line for out, _ in outs for line in out.split("\n") if line} == {"ana,dara 0"}
    assert len(entries(folder)) == 1
    assert not list((folder.parent / "cache").glob(".tmp-*"))
    validations: list[Path] = []
    assert [c.id for c in load(folder, validations).cases] == ["ana", "dara"]
    assert validations == []


def test_a_shared_result_is_built_once_per_content(folder):
    built: list[str] = []

    def build(text: str):
        return lambda: built.append(text) or [text.upper()]

    assert case_cache.shared_result("t-x", "abc", build("abc")) == ["ABC"]
    assert case_cache.shared_result("t-x", "abc", build("abc")) == ["ABC"]
    assert built == ["abc"]
    assert case_cache.shared_result("t-x", "abd", build("abd")) == ["ABD"]  # new content
    assert built == ["abc", "abd"]
    [entry] = (folder.parent / "cache").glob("t-x-*.pickle")  # the older one was replaced
    entry.write_bytes(b"junk")
    assert case_cache.shared_result("t-x", "abd", build("abd")) == ["ABD"]
    assert built == ["abc", "abd", "abd"]


def test_the_labs_shared_counterfactuals_are_the_engines(monkeypatch, tmp_path):
    """The lab's counterfactuals for a case as loaded, read back from the shared entry, are
    what the engine finds for that case."""
    from npkit.casefile.library import get_case
    from npkit.course.widgets.scenario_lab import ScenarioLab
    from npkit.engine.assessment import assess

    monkeypatch.setenv(case_cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    jane = get_case("jane")
    ScenarioLab([jane], start="jane")  # searches and writes the entry
    assert list((tmp_path / "cache").glob("lab-cf-en-jane-*.pickle"))
    import npkit.course.widgets.scenario_lab as lab_module

    def refuse(*_a, **kw):
        assert kw.get("counterfactuals") is False, "searched again"
        return assess(*_a, **kw)

    monkeypatch.setattr(lab_module, "assess", refuse)
    lab = ScenarioLab([jane], start="jane")
    assert lab._counterfactuals(compute=False) == assess(jane).counterfactuals
    assert "would become" in lab.counterfactuals.value
