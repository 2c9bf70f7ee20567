"""``npkit cases``: what a lecturer sees of the case library before setting an exercise. The
expected ids, titles and questions are read from the YAML files here, not from npkit."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from npkit import i18n
from npkit.cli import main

CASES = Path(__file__).resolve().parents[1] / "cases"


@pytest.fixture(autouse=True)
def english():
    """The titles compared are the files' English ones, and the language is the process's:
    a test before this one may have left another in use."""
    before = i18n.current()
    i18n.use("en")
    yield
    i18n.use(before)


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def raw(name: str) -> dict:
    return yaml.safe_load((CASES / f"{name}.yaml").read_text(encoding="utf-8"))


def test_every_case_of_the_library_is_listed(capsys, monkeypatch):
    monkeypatch.setenv("NPKIT_CASES", str(CASES))
    code, out, err = run(capsys, "cases", "--format", "json")
    assert code == 0 and err == ""
    listed = json.loads(out)
    assert listed["folder"] == str(CASES) and listed["errors"] == []
    files = sorted(p.stem for p in CASES.glob("*.yaml"))
    assert sorted(c["id"] for c in listed["cases"]) == files
    for row in listed["cases"]:
        data = raw(row["id"])
        assert row["title"] == data["title"]
        assert row["charges"] == [o["id"] for o in data["offences"]]
        assert row["handout"] is bool(data.get("questions"))


def test_the_text_list_names_each_case_and_says_which_have_a_handout(capsys):
    code, out, _ = run(capsys, "cases", str(CASES))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{len(list(CASES.glob('*.yaml')))} cases in {CASES}, in teaching order:"
    jane = lines.index(f"  jane: {raw('jane')['title']}")
    assert lines[jane + 1].startswith("      charges: fraud, laundering; story: ")
    assert lines[jane + 1].endswith("; handout: yes")
    status_only = next(n for n, s in enumerate(lines) if s.startswith("  status_only: "))
    assert lines[status_only + 1].endswith("; no handout (it asks no questions)")


def test_a_broken_file_is_named_and_the_others_are_listed(capsys, tmp_path):
    shutil.copy(CASES / "jane.yaml", tmp_path)
    (tmp_path / "broken.yaml").write_text(
        (CASES / "john.yaml").read_text(encoding="utf-8").replace("id: john", "id: John", 1),
        encoding="utf-8")
    code, out, err = run(capsys, "cases", str(tmp_path))
    assert code == 1
    assert out.splitlines()[0] == f"1 case in {tmp_path}, in teaching order:"
    assert "  jane: " in out and "John" not in out
    assert f"{tmp_path / 'broken.yaml'}:1: id: " in err


def test_a_folder_that_is_not_there_is_an_error(capsys, tmp_path):
    code, out, err = run(capsys, "cases", str(tmp_path / "nope"))
    assert code == 1 and out == ""
    assert err == f"{tmp_path / 'nope'}: not a folder of case files\n"


def test_a_reader_that_stops_early_is_no_error(tmp_path):
    """``npkit cases | head -1``: no traceback when the reader closes the pipe."""
    text = (CASES / "jane.yaml").read_text(encoding="utf-8")
    # about 300 bytes of JSON a case: 450 cases are twice a pipe's 64 KB, so the command is
    # still writing, blocked on the full pipe, when the reader closes it
    for n in range(450):
        (tmp_path / f"c{n}.yaml").write_text(text.replace("id: jane", f"id: c{n}", 1),
                                             encoding="utf-8")
    cli = subprocess.Popen([sys.executable, "-m", "npkit.cli", "cases", str(tmp_path),
                            "--format", "json"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    cli.stdout.readline()
    cli.stdout.close()  # as head does after its lines
    err = cli.stderr.read().decode()
    assert cli.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "BrokenPipeError" not in err
