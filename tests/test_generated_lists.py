"""Every list of rules outside the law is generated from the registry: the ``expected:`` key
grammar, the case-format page's key list, the README's JSON table, question paths, widget
labels and quiz keys. A rule added to the registry shows up in each; a hand-typed copy of a
list fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from npkit.casefile import docs
from npkit.casefile.case import expected_grammar
from npkit.casefile.library import get_case
from npkit.casefile.loader import CaseFileError, case_from_text
from npkit.engine.assessment import assess
from npkit.law import registry
from npkit.law.registry import Rule
from npkit.render.json import to_dict

ROOT = Path(__file__).resolve().parent.parent


def _fn(f):  # stands in for a law function
    return f


MADE_UP = (
    Rule("duress.atlantis", "Duress — Atlantis (invented)", _fn, ("succeeds", "fails"),
         "An invented variant.", (), short="Atlantis"),
    Rule("duress.atlantis.sincere_fear", "Sincere fear", _fn, ("met", "not_met"),
         "An invented condition.", ()),
    Rule("models.invented", "Invented model", _fn, ("protected", "maybe"), "Invented.", ()),
    Rule("jurisdictions.ZZ", "Zedland", _fn, ("protected", "not_protected"), "Invented.", ()),
)


@pytest.fixture
def made_up_rules(monkeypatch):
    real = dict(registry.rules())
    monkeypatch.setattr(registry, "rules", lambda: {**real, **{r.id: r for r in MADE_UP}})


def _load(extra: str):
    return case_from_text(docs.EXAMPLE + extra, name="cases/ana.yaml", expected_id="ana")


def _errors(extra: str) -> str:
    with pytest.raises(CaseFileError) as caught:
        _load(extra)
    return "\n".join(str(e) for e in caught.value.errors)


# --- the expected: grammar and the case-format page -----------------------------------------

def test_the_grammar_has_one_key_per_outcome_rule_and_condition():
    grammar = expected_grammar()
    variants = registry.variants()
    conditions = sum(len(registry.conditions(v)) for v in variants)
    models, states = registry.ids("models"), registry.ids("jurisdictions")
    assert len(grammar) == 1 + len(variants) + conditions + len(models) + len(states)
    assert grammar["jurisdictions.TH.outcome"] == registry.outcomes("jurisdictions.TH")
    assert grammar["duress.malaysia.conditions.no_escape"] == (True, False)


def test_a_rule_added_to_the_registry_is_a_key_the_case_format_takes_and_documents(
        made_up_rules):
    case = _load("expected:\n  duress.atlantis.outcome: fails\n"
                 "  duress.atlantis.conditions.sincere_fear: true\n"
                 "  models.invented.outcome: maybe\n  jurisdictions.ZZ.outcome: protected\n")
    assert case.expected["models.invented.outcome"] == "maybe"
    page = docs.case_format()
    assert "| `models.invented.outcome` | `protected`, `maybe` |" in page
    assert "| `duress.atlantis.conditions.sincere_fear` | `true`, `false` |" in page


def test_keys_and_values_outside_the_registry_are_refused_with_a_suggestion():
    assert "did you mean 'models.causation.outcome'?" in _errors(
        "expected:\n  models.causaton.outcome: protected\n")
    # any two capitals passed the old pattern; only a state npkit has is a key now
    assert "'jurisdictions.XX.outcome' is not an outcome key" in _errors(
        "expected:\n  jurisdictions.XX.outcome: protected\n")
    # a value the rule cannot give
    assert "'protected' is not one of not_protected" in _errors(
        "expected:\n  jurisdictions.KH.outcome: protected\n")


def test_a_question_path_must_be_a_registry_id_and_the_error_names_its_line():
    questions = ("questions:\n  - id: q1\n    prompt: Protected?\n"
                 "    path: models.causaton\n")
    line = (docs.EXAMPLE + questions).splitlines().index("    path: models.causaton") + 1
    text = _errors(questions)
    assert f"cases/ana.yaml:{line}: questions[0].path:" in text
    assert "did you mean 'models.causation'?" in text
    assert _load(questions.replace("causaton", "causation")).questions[0].path == (
        "models.causation")


def test_a_made_up_rule_is_a_question_path(made_up_rules):
    case = _load("questions:\n  - id: q1\n    prompt: Protected?\n    path: models.invented\n")
    assert case.questions[0].path == "models.invented"


# --- the README's JSON table --------------------------------------------------------------

def test_the_readme_json_table_is_the_one_the_registry_gives():
    committed = (ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.readme(committed) == committed, "run `npkit docs readme`"


def test_the_readme_json_table_names_what_the_json_output_holds():
    out = to_dict(assess(get_case("jane"), counterfactuals=False))
    table = "\n".join(docs.contract_table())
    for group in registry.GROUPS:
        names = ", ".join(f"`{n}`" for n in out[group])
        assert f".outcome` ({names}) |" in table, group
    conditions = ", ".join(f"`{c}`" for c in out["duress"]["malaysia"]["conditions"])
    assert f"conditions.<c>` ({conditions}) |" in table


def test_a_rule_added_to_the_registry_shows_in_the_readme_table(made_up_rules):
    table = "\n".join(docs.contract_table())
    assert "`rome_statute`, `atlantis`) | `succeeds`, `fails` |" in table
    assert "`no_voluntary_exposure`, `sincere_fear`) | `true`, `false` |" in table
    assert "`dual_factor`, `invented`) | `protected`, `not_protected`, `discretionary`, " \
           "`maybe` |" in table
    assert "`VN`, `ZZ`) |" in table


def test_a_readme_without_its_markers_is_refused():
    with pytest.raises(ValueError, match="json-contract"):
        docs.readme("# npkit\n\n| key | values |\n")


# --- no hand-typed copy outside the law -----------------------------------------------------

# Modules that show or check rules and must ask the registry for them. (The quiz's question
# specs and the checklist's question texts name rules one at a time, and are checked below.)
MUST_ASK = (
    "npkit/casefile/case.py", "npkit/casefile/docs.py", "npkit/questions.py",
    "npkit/course/widgets/outcome_matrix.py", "npkit/course/widgets/models_table.py",
    "npkit/course/widgets/asean.py", "npkit/course/widgets/duress_checklist.py",
    "npkit/course/training/conclusions.py", "npkit/render/json.py", "npkit/render/text.py",
    "npkit/render/markdown.py", "npkit/render/frame.py", "npkit/render/marks.py",
)


def _lists() -> dict[str, set[str]]:
    conditions = {c for v in registry.variants() for c in registry.conditions(v)}
    return {"variants": set(registry.variants()), "conditions": conditions,
            "models": set(registry.names("models")),
            "states": set(registry.names("jurisdictions"))}


def _strings(path: str) -> list[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    return [n.value for n in ast.walk(tree)
            if isinstance(n, ast.Constant) and isinstance(n.value, str)]


@pytest.mark.parametrize("path", MUST_ASK)
def test_no_list_of_rules_is_typed_by_hand(path):
    """Naming one rule as an example is fine; two names of one list in a module's strings
    (a dict of labels, a tuple, a regex of alternatives) is a hand-typed copy."""
    import re

    strings = _strings(path)
    for what, known in _lists().items():
        named = {name for s in strings for name in known
                 if s == name or re.search(rf"(?<=[(|]){re.escape(name)}(?=[|)])", s)}
        assert len(named) < 2, f"{path} types the {what} by hand: {sorted(named)}"


def test_the_scan_catches_a_dict_of_labels(tmp_path, monkeypatch):
    fake = tmp_path / "npkit" / "course" / "widgets"
    fake.mkdir(parents=True)
    (fake / "x.py").write_text('LABELS = {"england_wales": "E&W", "malaysia": "MY"}\n'
                               'KEY = r"models\\.(causation|closed_list)\\.outcome"\n')
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    with pytest.raises(AssertionError, match="variants"):
        test_no_list_of_rules_is_typed_by_hand("npkit/course/widgets/x.py")
    (fake / "x.py").write_text('KEY = r"models\\.(causation|closed_list)\\.outcome"\n')
    with pytest.raises(AssertionError, match="models"):
        test_no_list_of_rules_is_typed_by_hand("npkit/course/widgets/x.py")


# --- widget labels, quiz keys and choices -----------------------------------------------------

def test_duress_rows_are_labelled_from_the_registry(made_up_rules):
    from npkit.course.widgets.outcome_matrix import duress_label, rows

    node = assess(get_case("jane"), counterfactuals=False).duress["malaysia"]
    assert duress_label("atlantis", node) == "Duress (Atlantis)"
    labels = [r.label for r in rows(assess(get_case("jane"), counterfactuals=False))
              if r.group == "duress"]
    assert labels == [f"Duress ({registry.label(i)})" for i in registry.ids("duress")
                      if i != "duress.atlantis"]


def test_readings_of_a_model_are_found_from_the_registry_names():
    from npkit.course.widgets.models_table import narrower

    assert narrower("causation_temporal") and narrower("causation_direct")
    assert not narrower("causation") and not narrower("compulsion_strict")


def test_the_state_table_words_every_model_a_row_uses():
    from npkit.course.widgets.asean import MODEL_WORDS
    from npkit.law.jurisdiction_data import instruments, jurisdictions

    used = {r.model for r in [*jurisdictions().values(), *instruments().values()]}
    assert used <= set(MODEL_WORDS)
    assert set(MODEL_WORDS) - {"none"} <= set(registry.names("models"))


def test_every_outcome_word_has_a_badge_and_a_quiz_label():
    from npkit.course.training.quiz import outcome_label
    from npkit.course.widgets.base import BADGES

    # the outcomes the matrix and the tables show: each outcome rule's, and met / not met
    outcome_rules = ["victim", *(i for g in registry.GROUPS for i in registry.ids(g))]
    words = {o for i in outcome_rules for o in registry.outcomes(i)} | set(
        registry.TEST_OUTCOMES)
    assert words <= set(BADGES), sorted(words - set(BADGES))
    assert outcome_label("not_victim") == "not a victim"
    assert outcome_label("not_protected") == "not protected"


def test_quiz_choices_are_the_registry_outcomes_of_the_group(made_up_rules):
    from npkit.course.training.quiz import _outcome_choices

    assert [v for _, v in _outcome_choices("models")] == list(
        registry.group_outcomes("models"))
    assert ("maybe", "maybe") in _outcome_choices("models")


def test_quiz_targets_are_registry_ids_and_a_misspelt_one_is_refused():
    from npkit.casefile.case import question_paths
    from npkit.course.training.quiz import SPECS, Spec, check_targets

    targets = {s.target for s in SPECS if s.target}
    assert targets and targets <= set(question_paths())
    with pytest.raises(ValueError, match="'models.closedlist' is not a rule id"):
        check_targets([Spec("x", 3, "jane", "outcome", "models.closedlist", "?")])


def test_the_checklist_asks_about_every_condition_the_registry_has():
    from npkit.course.training.checklist import QUESTIONS

    for variant in registry.variants():
        assert tuple(QUESTIONS) == registry.conditions(variant), variant
