"""``npkit validate``, ``npkit schema`` and ``npkit docs`` through ``main(argv)``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from npkit.casefile.case import Case, expected_grammar
from npkit.casefile.docs import EXAMPLE, case_format, description, expected_keys, page_path, parts
from npkit.casefile.loader import case_from_text
from npkit.cli import COMMANDS, main
from npkit.law.vocabulary import ALL_VOCABULARIES

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "cases"
MIXED = FIXTURES / "mixed"


def test_validate_reports_the_broken_file_and_counts_the_good_ones(capsys):
    assert main(["validate", str(MIXED)]) == 1
    out = capsys.readouterr().out.splitlines()
    broken = str(MIXED / "cyra.yaml")
    soon_line = next(
        i for i, line in enumerate((MIXED / "cyra.yaml").read_text().splitlines(), 1)
        if "imminence: soon" in line
    )
    assert f"{broken}:{soon_line}: periods[0].threats[0].imminence: 'soon' is not one of" in (
        "\n".join(out)
    )
    assert all(line.startswith(broken) for line in out[:-1])
    assert len(out) == 3  # two errors, then the summary
    assert out[-1] == "validated 3 files: 2 ok, 1 with errors (2 errors)"


def test_validate_clean_folder_exits_0(capsys):
    assert main(["validate", str(GOOD)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["validated 2 files: 2 ok, 0 with errors"]


def test_validate_reports_every_path_given(capsys, tmp_path):
    missing = tmp_path / "gone.yaml"
    assert main(["validate", str(missing), str(GOOD / "ana.yaml"), str(MIXED)]) == 1
    out = capsys.readouterr().out
    assert f"{missing}: no such file" in out
    assert "validated 5 files: 3 ok, 2 with errors (3 errors)" in out


def test_validate_empty_folder_is_not_a_pass(capsys, tmp_path):
    assert main(["validate", str(tmp_path)]) == 1
    assert "no case files" in capsys.readouterr().out


def test_schema_prints_json_with_periods(capsys):
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert "periods" in schema["properties"]
    assert "periods" in schema["required"]


def test_subcommands_come_from_the_table(capsys):
    assert {"validate", "schema", "docs"} <= set(COMMANDS)
    assert main([]) == 0
    help_text = capsys.readouterr().out
    for name in COMMANDS:
        assert name in help_text


# --------------------------------------------------------------------------------- docs


def test_committed_case_format_page_is_up_to_date(capsys):
    assert main(["docs", "case-format", "--check"]) == 0


def test_docs_check_fails_on_a_stale_page_and_writing_fixes_it(capsys, tmp_path):
    page = tmp_path / "case-format.md"
    page.write_text("# old page\n", encoding="utf-8")
    assert main(["docs", "case-format", "--check", "--output", str(page)]) == 1
    assert "out of date" in capsys.readouterr().out
    assert main(["docs", "case-format", "--output", str(page)]) == 0
    assert main(["docs", "case-format", "--check", "--output", str(page)]) == 0
    assert page.read_text(encoding="utf-8") == page_path("case-format").read_text("utf-8")


def test_docs_example_is_a_valid_case():
    case = case_from_text(EXAMPLE, name="cases/ana.yaml", expected_id="ana")
    assert case.title == "Example: Ana"


def test_docs_page_documents_every_field_and_every_term():
    text = case_format()
    for part in parts():
        for name, info in part.model.model_fields.items():
            assert description(part.model, name, info), f"{part.model.__name__}.{name}"
            # each field is a table row of its part
            assert re.search(rf"^\| `{name}` \|", text, flags=re.M), name
    for vocab in ALL_VOCABULARIES.values():
        for member in vocab:
            row = rf"^\| `{member.value}` \| {re.escape(vocab.descriptions[member.value])} \|"
            assert re.search(row, text, flags=re.M), (vocab.__name__, member.value)
    assert "npkit validate cases/" in text
    # every link inside the page goes to a heading of the page
    anchors = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-")
               for h in re.findall(r"^#+ (.+)$", text, flags=re.M)}
    for target in re.findall(r"\]\(#([^)]+)\)", text):
        assert target in anchors, target


def test_docs_list_of_expected_keys_matches_the_case_format():
    keys = [key for key, _ in expected_keys()]
    assert keys == list(expected_grammar()) and len(keys) > 10
    page = case_format()
    for key in keys:
        assert f"| `{key}` |" in page, key
    # and a key outside the list is refused by the case format
    assert "models.nonsense.outcome" not in expected_grammar()
    assert "expected" in Case.model_fields
