from pathlib import Path

from npkit.casefile.editing import edit_case
from npkit.casefile.library import get_case
from npkit.engine.assessment import assess
from npkit.render import render
from npkit.render.frame import matrix, outcomes_frame
from npkit.render.markdown import esc

CASES = Path(__file__).resolve().parents[1] / "cases"
PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_markdown_escapes_case_text():
    case = edit_case(get_case("jane", CASES), title=PAYLOAD)
    md = render(assess(case, counterfactuals=False), "md")
    assert "<script>" not in md and "<img" not in md
    assert "&lt;script&gt;" in md


def test_esc_neutralises_markdown_links_and_tables():
    assert "|" not in esc("a|b").replace("\\|", "")
    assert esc("[x](javascript:alert(1))").startswith("\\[x\\]")


def test_outcomes_frame_has_one_row_per_test():
    a = assess(get_case("jane", CASES), counterfactuals=False)
    df = outcomes_frame(a)
    assert set(df["group"]) == {"victim", "duress", "models", "jurisdictions", "instruments"}
    assert df.loc[df["test"] == "PH", "outcome"].item() == "protected"
    assert df["source"].str.len().min() > 0


def test_matrix_rows_are_cases():
    cases = [get_case(c, CASES) for c in ("jane", "sarah")]
    df = matrix(cases)
    assert list(df.index) == ["jane", "sarah"]
    assert df.loc["sarah", "victim"] == "not_victim"
    assert df.loc["jane", "jurisdictions.TH"] == "not_protected"
