"""Where npkit finds its files (a checkout or an installed wheel) and what ``npkit course``
does before it hands over to the course server. The installed wheel itself is tested in
tests/test_wheel.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import npkit
from npkit import cli, paths
from npkit.casefile import library
from npkit.course import dashboard
from npkit.course import launch as course
from npkit.store import learners as store

ROOT = Path(__file__).resolve().parents[1]
SOURCES = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.py"))


@pytest.fixture
def installed(tmp_path, monkeypatch):
    """npkit as a wheel installs it: the package alone in a folder (site-packages), with its
    own case files and notebook sources, and the user's folders in tmp_path."""
    site = tmp_path / "site-packages"
    (site / "npkit" / "_cases").mkdir(parents=True)
    (site / "npkit" / "_notebooks").mkdir()
    monkeypatch.setattr(paths, "CHECKOUT", site)
    monkeypatch.setattr(paths, "SHIPPED_CASES", site / "npkit" / "_cases")
    monkeypatch.setattr(paths, "SHIPPED_NOTEBOOKS", site / "npkit" / "_notebooks")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("NPKIT_CASES", raising=False)
    return site


def test_in_a_checkout_everything_stays_in_the_repository(monkeypatch):
    monkeypatch.delenv("NPKIT_CASES", raising=False)
    assert paths.in_checkout()
    assert library.cases_dir() == ROOT / "cases"
    assert paths.notebook_sources() == ROOT / "notebooks"
    assert paths.course_notebooks() == ROOT / "notebooks" == dashboard.NOTEBOOKS
    assert paths.default_store_path() == ROOT / "build" / "npkit-learners.sqlite"


def test_installed_npkit_reads_what_it_ships_and_writes_to_the_user_folders(installed, tmp_path):
    assert not paths.in_checkout()
    assert library.cases_dir() == installed / "npkit" / "_cases"
    assert paths.notebook_sources() == installed / "npkit" / "_notebooks"
    assert paths.default_store_path() == tmp_path / "data" / "npkit" / "npkit-learners.sqlite"
    assert paths.course_notebooks().parent == tmp_path / "cache" / "npkit"
    assert paths.course_notebooks().name == f"course-{npkit.__version__}"


def test_the_environment_still_names_the_case_library_and_the_store(installed, tmp_path,
                                                                    monkeypatch):
    monkeypatch.setenv("NPKIT_CASES", str(tmp_path / "my-cases"))
    monkeypatch.setenv("NPKIT_STORE", str(tmp_path / "my.sqlite"))
    assert library.cases_dir() == tmp_path / "my-cases"
    assert store.store_path() == tmp_path / "my.sqlite"


def test_prepare_builds_every_module_once_and_removes_what_is_no_longer_shipped(tmp_path):
    out = tmp_path / "course"
    out.mkdir()
    (out / "99_withdrawn.ipynb").write_text("{}", encoding="utf-8")
    assert course.prepare(out, ROOT / "notebooks") == out
    built = sorted(p.name for p in out.glob("*.ipynb"))
    assert built == [f"{p.stem}.ipynb" for p in SOURCES]
    first = json.loads((out / "01_is_this_trafficking.ipynb").read_text(encoding="utf-8"))
    assert first["metadata"]["npkit"]["number"] == 1
    stamps = {p.name: p.stat().st_mtime_ns for p in out.glob("*.ipynb")}
    (out / "02_duress.ipynb").write_text("stale", encoding="utf-8")
    course.prepare(out, ROOT / "notebooks")
    assert (out / "02_duress.ipynb").read_text(encoding="utf-8") != "stale"
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.ipynb")
            if p.name != "02_duress.ipynb"} == {k: v for k, v in stamps.items()
                                                if k != "02_duress.ipynb"}


def test_prepare_never_removes_notebooks_beside_their_sources(tmp_path):
    src = tmp_path / "notebooks"
    src.mkdir()
    (src / "01_is_this_trafficking.py").write_bytes(
        (ROOT / "notebooks" / "01_is_this_trafficking.py").read_bytes())
    (src / "scratch.ipynb").write_text("{}", encoding="utf-8")
    course.prepare(src, src)
    assert sorted(p.name for p in src.glob("*.ipynb")) \
        == ["01_is_this_trafficking.ipynb", "scratch.ipynb"]


def test_prepare_without_sources_is_a_readable_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no module sources"):
        course.prepare(tmp_path / "out", tmp_path)


def test_npkit_course_builds_then_hands_its_options_to_the_course_server(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(course, "prepare", lambda: tmp_path)
    monkeypatch.setattr(dashboard, "main", lambda argv: calls.append(argv) or 0)
    assert cli.main(["course", "--port", "8870", "--pool-size", "05_scenario_lab=3"]) == 0
    assert calls == [["--notebooks", str(tmp_path), "--port", "8870",
                      "--pool-size", "05_scenario_lab=3"]]


def test_npkit_course_without_the_notebooks_extra_says_what_to_install(monkeypatch, capsys):
    monkeypatch.setattr(course, "missing_modules", lambda: ["voila"])
    monkeypatch.setattr(course, "prepare", lambda: pytest.fail("built without the extra"))
    assert cli.main(["course"]) == 2
    err = capsys.readouterr().err
    assert "pip install 'npkit[notebooks]'" in err and "voila" in err


def test_other_commands_still_refuse_unknown_options(capsys):
    with pytest.raises(SystemExit) as exit_:
        cli.main(["schema", "--pool-size", "3"])
    assert exit_.value.code == 2
    assert "unrecognized arguments: --pool-size 3" in capsys.readouterr().err
