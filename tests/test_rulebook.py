"""``npkit rule`` and the generated rulebook show what the registry holds, marks included."""

import pytest

from npkit import cli, rulebook
from npkit.law import registry
from npkit.law.citations import fitz, outside
from npkit.law.registry import Exception_, Rule


def _demo_threat(f):  # stands in for a law function
    return f


DEMO = Rule(
    "duress.demo.imminent_threat", "Imminent threat (demo)", _demo_threat, ("met", "not_met"),
    "A threat of instant death at the very time of the act.",
    (fitz("V.B.1", "Mohamed Yusof bin Haji Ahmad v PP [1983] 2 MLJ 167"),
     outside("Penal Code s 94 (Malaysia)", "section number")),
    (Exception_("duress.demo.murder", "Murder: duress unavailable", "Not a defence to murder.",
                outside("Penal Code s 94 (Malaysia)")),),
)


@pytest.fixture
def demo_registry(monkeypatch):
    monkeypatch.setattr(registry, "rules", lambda: {DEMO.id: DEMO})
    monkeypatch.setattr(rulebook, "rules", lambda: {DEMO.id: DEMO})


def test_a_rule_prints_its_paraphrase_citations_marks_exceptions_code_and_tests(
        demo_registry, capsys):
    assert cli.main(["rule", DEMO.id]) == 0
    out = capsys.readouterr().out
    assert DEMO.summary in out
    assert "Mohamed Yusof" in out and "[verified: stated in the source]" in out
    assert "Penal Code s 94 (Malaysia); from outside npkit's sources: verify before use" in out
    assert "verify before use [outside_sources]" in out
    assert "duress.demo.murder: Murder: duress unavailable" in out
    assert "tests/test_rulebook.py" in out and "_demo_threat" in out
    assert "(no situation yet)" in out


def test_the_list_names_every_rule_and_an_unknown_id_is_refused(demo_registry, capsys):
    assert cli.main(["rule", "--list"]) == 0
    assert capsys.readouterr().out.split() == [DEMO.id, *DEMO.title.split()]
    assert cli.main(["rule", "duress.demo"]) == 1
    assert "did you mean: duress.demo.imminent_threat" in capsys.readouterr().err


def test_the_rulebook_has_a_section_per_rule_with_its_marks(demo_registry):
    page = rulebook.rulebook()
    assert f"## `{DEMO.id}`: Imminent threat (demo)" in page
    assert "(`outside_sources`)" in page and "(`verified`)" in page
    assert "Exception `duress.demo.murder`" in page


def test_a_rule_declared_twice_is_refused(monkeypatch):
    import types

    twice = types.SimpleNamespace(RULES=(DEMO, DEMO))
    monkeypatch.setattr(registry, "LAW_MODULES", ("demo_law",))
    monkeypatch.setattr("importlib.import_module", lambda name: twice)
    registry.rules.cache_clear()
    try:
        with pytest.raises(ValueError, match="declared twice"):
            registry.rules()
    finally:
        registry.rules.cache_clear()


def test_a_rule_shows_the_parameters_it_reads_with_their_references(monkeypatch, capsys):
    from dataclasses import replace

    demo = replace(DEMO, parameters=("victim.child_age_under",))
    monkeypatch.setattr(registry, "rules", lambda: {demo.id: demo})
    monkeypatch.setattr(rulebook, "rules", lambda: {demo.id: demo})
    assert cli.main(["rule", demo.id]) == 0
    out = capsys.readouterr().out
    assert "Parameters:\n  - victim.child_age_under = 18 years (from 2003-12-25)" in out
    assert ("Palermo Protocol art 3(d); from outside npkit's sources: verify before use "
            "[outside_sources]") in out
    page = rulebook.rulebook()
    assert ("- Parameter `victim.child_age_under` = 18 years (from 2003-12-25): Palermo "
            "Protocol art 3(d)") in page


def test_a_rule_without_parameters_says_so(demo_registry, capsys):
    assert cli.main(["rule", DEMO.id]) == 0
    assert "Parameters:\n  (none)" in capsys.readouterr().out
