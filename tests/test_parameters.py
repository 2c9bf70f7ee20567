"""Parameters (npkit/law/data/parameters.yaml): the loader refuses a file it cannot trust and
says where; ``parameter()`` picks the value in force on a date; the law modules read their
thresholds from the file and hold no number of their own."""

from __future__ import annotations

import ast
import datetime as dt
import textwrap
from pathlib import Path

import pytest

from npkit.law import parameters as params_mod
from npkit.law.citations import Confidence
from npkit.law.parameters import ParameterFileError, load, parameter, parameters, reference
from npkit.law.registry import rules
from npkit.law.vocabulary import Harm, ThreatSeverity
from npkit.law.wording import say

ROOT = Path(__file__).resolve().parents[1]

GOOD = """\
- id: demo.age_line
  description: A demonstration threshold.
  unit: years
  values:
    - from: 2001-01-01
      value: 16
    - from: 2010-07-01
      value: 18
  reference:
    source: fitzgerald2024
    pinpoint: II.B
    confidence: verified
  last_checked: 2026-12-04
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "parameters.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> str:
    path = write(tmp_path, text)
    with pytest.raises(ParameterFileError) as err:
        load(path)
    message = str(err.value)
    assert str(path) in message  # every refusal names the file
    return message


# --- the loader ------------------------------------------------------------------------------


def test_a_good_file_loads(tmp_path):
    loaded = load(write(tmp_path, GOOD))
    assert list(loaded) == ["demo.age_line"]
    assert [d.value for d in loaded["demo.age_line"].values] == [16, 18]


def test_a_missing_reference_is_refused(tmp_path):
    text = GOOD.split("  reference:")[0] + "  last_checked: 2026-12-04\n"
    message = refusal(tmp_path, text)
    assert "parameter 'demo.age_line'" in message and ": reference: " in message
    assert "parameters.yaml:1:" in message  # the line of the entry
    empty = GOOD.split("  reference:")[0] + "  reference: []\n  last_checked: 2026-12-04\n"
    assert "at least one reference" in refusal(tmp_path, empty)


def test_an_unknown_source_is_refused(tmp_path):
    message = refusal(tmp_path, GOOD.replace("source: fitzgerald2024", "source: wikipedia"))
    assert "reference.0.source" in message and "unknown source 'wikipedia'" in message
    assert "parameters.yaml:10:" in message  # the line of the bad field
    assert "at least" not in message  # one problem, said once


def test_a_pinpoint_the_seed_does_not_have_is_refused(tmp_path):
    message = refusal(tmp_path, GOOD.replace("pinpoint: II.B", "pinpoint: II.F.9"))
    assert "reference.0.pinpoint" in message and "no section 'II.F.9'" in message
    asean = GOOD.replace("source: fitzgerald2024", "source: asean_npp_study").replace(
        "pinpoint: II.B", 'pinpoint: "Sources of the non-punishment principle: Galactic law"')
    assert "no sub-heading 'Galactic law'" in refusal(tmp_path, asean)
    too_many = asean.replace('"Sources of the non-punishment principle: Galactic law"',
                             '"Recommendation 27"')
    assert "recommendations 1-26" in refusal(tmp_path, too_many)


def test_values_out_of_date_order_are_refused(tmp_path):
    text = GOOD.replace("from: 2010-07-01", "from: 1999-07-01")
    message = refusal(tmp_path, text)
    assert ": values: " in message and "date order" in message and "1999-07-01" in message
    assert "parameters.yaml:4:" in message
    same_day = GOOD.replace("from: 2010-07-01", "from: 2001-01-01")
    assert "date order" in refusal(tmp_path, same_day)


def test_a_duplicate_id_is_refused_with_both_lines(tmp_path):
    message = refusal(tmp_path, GOOD + "\n" + GOOD)
    assert "parameter 'demo.age_line': id: declared twice (first at line 1)" in message
    assert "parameters.yaml:15:" in message


def test_a_key_given_twice_in_one_entry_is_refused(tmp_path):
    text = GOOD.replace("  unit: years\n", "  unit: years\n  unit: people\n")
    assert "'unit' is given twice" in refusal(tmp_path, text)


def test_npkit_choices_and_outside_law_carry_their_marks(tmp_path):
    npkit_verified = GOOD.replace("source: fitzgerald2024", "source: npkit").replace(
        "pinpoint: II.B", "pinpoint: npkit's own threshold")
    assert "always npkit_reading" in refusal(tmp_path, npkit_verified)
    outside = GOOD.replace("""    source: fitzgerald2024
    pinpoint: II.B
    confidence: verified""", """    source: outside
    authority: Some Act s 9
    pinpoint: the age line
    confidence: outside_sources""")
    assert "what to verify" in refusal(tmp_path, outside)
    assert load(write(tmp_path, outside.replace(
        "  last_checked:", "  note: Verify s 9 of the Act.\n  last_checked:")))
    unnamed = outside.replace("    authority: Some Act s 9\n", "")
    assert "needs an authority" in refusal(tmp_path, unnamed)


def test_other_broken_files_are_refused_readably(tmp_path):
    assert "not valid YAML" in refusal(tmp_path, "- id: [unclosed\n")
    assert "must be a list" in refusal(tmp_path, "demo.age_line: 18\n")
    mixed = GOOD.replace("      value: 18", "      value: {a: 1}")
    assert "all numbers or all mappings" in refusal(tmp_path, mixed)
    flag = GOOD.replace("      value: 18", "      value: true")
    assert "values.1.value: must be a number" in refusal(tmp_path, flag)
    typo = refusal(tmp_path, GOOD.replace("from: 2010-07-01", "from: 2010-13-01"))
    assert "parameters.yaml:7:" in typo and "values.1.from" in typo and "month" in typo


# --- picking a value by date -----------------------------------------------------------------


def test_a_value_is_picked_by_the_date_it_holds_from(tmp_path, monkeypatch):
    monkeypatch.setattr(params_mod, "parameters", lambda: load(write(tmp_path, GOOD)))
    assert parameter("demo.age_line") == 18  # the latest by default
    assert parameter("demo.age_line", on=dt.date(2010, 6, 30)) == 16
    assert parameter("demo.age_line", on=dt.date(2010, 7, 1)) == 18
    assert parameter("demo.age_line", on=dt.datetime(2005, 1, 1, 12, 0)) == 16
    with pytest.raises(LookupError, match="no value before 2001-01-01"):
        parameter("demo.age_line", on=dt.date(2000, 12, 31))
    with pytest.raises(KeyError, match="no parameter 'demo.nothing'"):
        parameter("demo.nothing")


def test_a_mapping_value_is_read_only():
    ranks = parameter("duress.harm_rank")
    with pytest.raises(TypeError):
        ranks["death"] = 0  # type: ignore[index]
    assert parameter("duress.harm_rank")["death"] == 50


# --- npkit's own file ------------------------------------------------------------------------


def test_npkits_file_cites_each_value_as_the_brief_requires():
    table = parameters()
    assert table
    for pid, p in table.items():
        assert p.last_checked <= dt.date.today(), pid
        if p.unit in ("rank", "weight", "ratio"):  # npkit's own choices say so first
            assert p.reference[0].source == "npkit", pid
            assert Confidence.NPKIT_READING in p.marks, pid
        if pid.startswith("context."):  # figures the article reports, at its sections
            assert {r.source for r in p.reference} == {"fitzgerald2024"}, pid
    age = table["victim.child_age_under"]
    assert age.marks == (Confidence.OUTSIDE_SOURCES,)  # no seed states the age
    assert reference("victim.child_age_under")[0].authority == "Palermo Protocol art 3(d)"


def test_every_rule_parameter_exists_and_every_threshold_is_read_by_a_rule():
    declared = {pid for r in rules().values() for pid in r.parameters}
    assert declared <= set(parameters())
    thresholds = {pid for pid in parameters() if not pid.startswith("context.")}
    assert thresholds <= declared, sorted(thresholds - declared)
    assert "victim.child_age_under" in rules()["victim.means"].parameters
    assert "duress.harm_rank" in rules()["duress.england_wales.proportionate"].parameters
    assert "duress.harm_rank" not in rules()["duress.malaysia"].parameters  # not counted there


def test_the_harm_scale_ranks_every_term_of_the_vocabulary():
    assert set(parameter("duress.threat_rank")) == {t.value for t in ThreatSeverity}
    assert set(parameter("duress.harm_rank")) == {h.value for h in Harm}


def test_the_dual_factor_model_reads_every_weight_and_no_other(monkeypatch):
    from importlib import import_module

    from npkit.law.facts import Facts

    dual_factor = import_module("npkit.law.models.dual_factor")

    read: dict[str, set[str]] = {"determined": set(), "free": set()}

    class Recording(dict):
        def __init__(self, data, into):
            super().__init__(data)
            self.into = into

        def __getitem__(self, key):
            self.into.add(key)
            return super().__getitem__(key)

    monkeypatch.setattr(dual_factor, "DETERMINED", Recording(dual_factor.DETERMINED,
                                                             read["determined"]))
    monkeypatch.setattr(dual_factor, "FREE_CHOICE", Recording(dual_factor.FREE_CHOICE,
                                                              read["free"]))
    for f in (
        Facts(means=frozenset({"threat_of_force", "deception"}), ordered_by_trafficker=True,
              offence_category="purpose", age=15, deceived_about=frozenset({"job"}),
              rewards="instead_of_coercion", informed_consent=True,
              knew_work_was_criminal=True, voluntary_association=True,
              returned_after_rescue=True, harmed_other_victims=True),
        Facts(age=30, age_at_recruitment=16, escape_opportunity=True,
              rewards="alongside_coercion"),
    ):
        dual_factor.factors(f)
    assert read["determined"] == set(parameter("models.dual_factor.weights.determined"))
    assert read["free"] == set(parameter("models.dual_factor.weights.free_choice"))


def test_words_that_name_a_threshold_agree_with_its_value():
    """The wording says "twice", "two-to-one", "at least as weighty" and "under 18" in words:
    whoever changes a value must change these texts (this test tells them so)."""
    assert parameter("models.dual_factor.protect_ratio") == 2, "reword 'twice', 'two to one'"
    assert "twice" in say("models.dual_factor.protected", determined=4, free=2)
    assert "two-to-one" in say("models.dual_factor.middle_ground", determined=3, free=2)
    assert "two to one" in rules()["models.dual_factor"].summary
    assert parameter("models.dual_factor.deny_ratio") == 1, "reword 'at least as weighty'"
    assert "at least as weighty" in say("models.dual_factor.choice_dominates",
                                        determined=1, free=1)
    under = f"under {parameter('victim.child_age_under')}"
    assert under in reference("victim.child_age_under")[0].pinpoint


def test_the_context_figures_are_the_articles_figures():
    from npkit.law.stages import CONTEXT_FIGURES, context_figures

    assert [f.figure for f in CONTEXT_FIGURES] == ["300,000+", "70%", "80-90%", "86%"]
    held = CONTEXT_FIGURES[0]
    assert "more than 60 countries" in held.text
    assert "(Cambodia about 100,000, Myanmar about 120,000, Laos about 85,000)" in held.text
    assert "Royal Thai Police in October 2022" in CONTEXT_FIGURES[1].text
    assert [(f.source.source, f.source.pinpoint) for f in CONTEXT_FIGURES] == [
        ("fitzgerald2024", "II.A.1"), ("fitzgerald2024", "IV.D"),
        ("fitzgerald2024", "II.A.3"), ("fitzgerald2024", "II.A.3")]
    with pytest.raises(LookupError):  # the police figure is from October 2022
        context_figures(on=dt.date(2022, 9, 30))


# --- no bare threshold in the law modules -----------------------------------------------------

# The modules that apply the rules (not the loaders, whose numbers are schema limits).
RULE_MODULES = ("facts.py", "trafficking.py", "duress.py", "stages.py", "jurisdictions.py",
                "models")
# The names that held a threshold before it moved to parameters.yaml, and what now sets them.
MOVED = {
    "facts.py": {"CHILD_UNDER"},
    "duress.py": {"THREAT_RANK", "HARM_RANK"},
    "models/dual_factor.py": {"PROTECT_RATIO", "DENY_RATIO", "DETERMINED", "FREE_CHOICE"},
    "stages.py": {"CONTEXT_FIGURES"},
}


def _law_files() -> list[Path]:
    law = ROOT / "npkit" / "law"
    out = []
    for name in RULE_MODULES:
        out += sorted((law / name).glob("*.py")) if (law / name).is_dir() else [law / name]
    return out


def _numbers(tree: ast.AST) -> list[ast.Constant]:
    """Number literals, leaving out slices and subscripts (``children[:3]``, ``hit[1]``)."""
    skip = {id(n) for s in ast.walk(tree) if isinstance(s, ast.Subscript)
            for n in ast.walk(s.slice)}
    return [n for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in skip
            and type(n.value) in (int, float)]


def test_the_law_modules_hold_no_threshold_number():
    assert len(_law_files()) >= 10
    for path in _law_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        bare = [f"{path.name}:{n.lineno}: {n.value}" for n in _numbers(tree)
                if n.value not in (0, 1, -1)]
        assert not bare, f"a number belongs in parameters.yaml: {bare}"


def test_the_guard_sees_a_bare_threshold():
    tree = ast.parse("CHILD_UNDER = 18\nok = things[:3]\nif age < 16: pass\n")
    assert sorted(n.value for n in _numbers(tree)) == [16, 18]


def test_the_moved_names_are_read_from_parameters():
    law = ROOT / "npkit" / "law"
    for name, moved in MOVED.items():
        tree = ast.parse((law / name).read_text(encoding="utf-8"))
        found = {}
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign | ast.AnnAssign):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for t in targets:
                    if isinstance(t, ast.Name) and t.id in moved:
                        found[t.id] = node.value
        assert set(found) == moved, (name, moved - set(found))
        for const, value in found.items():
            assert isinstance(value, ast.Call), f"{name}: {const} must be read, not written"
            assert getattr(value.func, "id", "") in ("parameter", "context_figures"), (
                f"{name}: {const} is set by {ast.unparse(value)}")
