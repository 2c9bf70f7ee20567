import json
import shutil
from pathlib import Path

import pytest

from npkit.cli import main

CASES = Path(__file__).resolve().parents[1] / "cases"


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def nodes(d):
    """Every dict in the JSON that carries an outcome."""
    if isinstance(d, dict):
        if "outcome" in d:
            yield d
        for v in d.values():
            yield from nodes(v)
    elif isinstance(d, list):
        for v in d:
            yield from nodes(v)


def test_assess_json_contract(capsys):
    code, out, _ = run(capsys, "assess", str(CASES / "jane.yaml"), "--format", "json")
    assert code == 0
    d = json.loads(out)
    assert d["victim"]["outcome"] in {"victim", "not_victim"}
    for variant in ("england_wales", "malaysia", "rome_statute"):
        node = d["duress"][variant]
        assert node["outcome"] in {"succeeds", "fails"}
        assert set(node["conditions"]) == {
            "imminent_threat", "no_escape", "proportionate", "no_voluntary_exposure"}
        assert all(isinstance(v, bool) for v in node["conditions"].values())
    assert len(d["jurisdictions"]) == 10
    for group in ("models", "jurisdictions"):
        assert all(n["outcome"] in {"protected", "not_protected", "discretionary"}
                   for n in d[group].values())
    every = list(nodes(d))
    assert len(every) > 50
    for n in every:
        assert n["reasons"], n.get("test")
        assert all(set(r) >= {"text", "source"} and r["text"] and r["source"]
                   for r in n["reasons"])
    assert "not legal advice" in d["disclaimer"]
    assert d["counterfactuals"] and "other_offences" in d


def test_npkit_reading_is_labelled_in_output(capsys):
    _, out, _ = run(capsys, "assess", str(CASES / "jane.yaml"), "--format", "json")
    dual = json.loads(out)["models"]["dual_factor"]
    assert any("npkit's reading" in r["source"] for r in dual["reasons"])


@pytest.mark.parametrize("fmt", ["text", "md"])
def test_assess_text_formats_name_outcomes_and_sources(capsys, fmt):
    code, out, _ = run(capsys, "assess", str(CASES / "john.yaml"), "--format", fmt,
                       "--no-counterfactuals")
    assert code == 0
    assert "Fitzgerald 2024" in out and "not legal advice" in out
    assert "voluntar" in out  # John's duress fails on voluntary exposure


def test_assess_malformed_case_gives_file_line_and_nonzero(tmp_path, capsys):
    bad = tmp_path / "jane.yaml"
    text = (CASES / "jane.yaml").read_text().replace("imminence: periodic", "imminence: soon", 1)
    bad.write_text(text)
    line = text.splitlines().index(next(x for x in text.splitlines() if "imminence: soon" in x))
    code, out, err = run(capsys, "assess", str(bad))
    assert code == 1 and out == ""
    assert f"jane.yaml:{line + 1}:" in err and "'soon' is not one of" in err


def test_matrix_still_lists_good_cases_when_one_is_broken(tmp_path, capsys):
    for name in ("jane", "john", "sarah"):
        shutil.copy(CASES / f"{name}.yaml", tmp_path)
    (tmp_path / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    code, out, err = run(capsys, "matrix", str(tmp_path), "--format", "csv")
    assert code == 1
    assert "broken.yaml:" in err
    lines = out.strip().splitlines()
    assert lines[0].startswith("case,victim,duress.england_wales")
    assert sorted(line.split(",")[0] for line in lines[1:]) == ["jane", "john", "sarah"]


def test_unknown_offence_is_a_clear_error(capsys):
    code, _, err = run(capsys, "assess", str(CASES / "jane.yaml"), "--offence", "nope")
    assert code == 1 and "no offence 'nope'" in err


def test_a_case_of_the_library_can_be_named_by_its_id(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("NPKIT_CASES", str(CASES))
    monkeypatch.chdir(tmp_path)  # no file "jane" here: the id names the library's case
    by_id = run(capsys, "assess", "jane", "--no-counterfactuals", "--format", "json")
    by_file = run(capsys, "assess", str(CASES / "jane.yaml"), "--no-counterfactuals",
                  "--format", "json")
    assert by_id[0] == 0 and json.loads(by_id[1])["case"]["id"] == "jane"
    assert by_id == by_file


def test_a_file_of_that_name_comes_before_the_library(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("NPKIT_CASES", str(CASES))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "jane").write_text("not: a case\n", encoding="utf-8")
    code, out, err = run(capsys, "assess", "jane")
    assert code == 1 and out == "" and err.startswith("jane:")


def test_an_unknown_id_lists_the_library(capsys, monkeypatch, tmp_path):
    library = tmp_path / "library"
    library.mkdir()
    for name in ("jane", "john"):
        shutil.copy(CASES / f"{name}.yaml", library)
    monkeypatch.setenv("NPKIT_CASES", str(library))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "assess", "janet")
    assert code == 1 and out == ""
    assert err.splitlines() == ["janet: no such file",
                                f"no case 'janet' in the case library ({library}) either; "
                                "it has: jane, john"]


def test_an_unknown_charge_lists_the_case_s_charges(capsys):
    code, out, err = run(capsys, "assess", str(CASES / "jane.yaml"), "--offence", "nope",
                         "--no-counterfactuals")
    assert code == 1 and out == ""
    assert err.strip().endswith("case 'jane' has no offence 'nope'; its offences: fraud, "
                                "laundering")
