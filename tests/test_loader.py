"""The case file loader: file:line:field messages a trainer can act on.

Broken files are made from the good fixtures by replacing one line, and the expected line
numbers are found by searching the text, so the tests do not depend on the loader to say
where a line is.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import ana_variant

from npkit.casefile.case import Case
from npkit.casefile.loader import CaseError, CaseFileError, case_from_text, load_case, load_cases
from npkit.law.vocabulary import DeceivedAbout

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "cases"
MIXED = FIXTURES / "mixed"
ANA = GOOD / "ana.yaml"


def line_of(text: str, snippet: str) -> int:
    """1-based number of the only line of ``text`` containing ``snippet``."""
    hits = [i for i, line in enumerate(text.splitlines(), 1) if snippet in line]
    assert len(hits) == 1, f"{snippet!r} is on lines {hits}"
    return hits[0]


variant = ana_variant


def errors_of(path: Path) -> list[CaseError]:
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    return info.value.errors


# --------------------------------------------------------------------------------- good files


def test_valid_files_load():
    ana = load_case(ANA)
    assert isinstance(ana, Case)
    assert ana.id == "ana"
    assert ana.person.age == 24
    assert ana.periods[0].threats[0].imminence == "periodic"
    assert ana.offence().id == "scam-fraud"
    dara = load_case(str(GOOD / "dara.yaml"))
    assert [p.id for p in dara.periods] == ["first", "second"]
    assert dara.periods[1].recruitment.paid_own_travel is True
    assert dara.expected == {"victim.outcome": "victim"}


def test_yaml_booleans_are_kept_as_yaml_reads_them(tmp_path):
    path = variant(tmp_path, {"ordered_by_trafficker: true": "ordered_by_trafficker: yes"})
    assert load_case(path).offences[0].ordered_by_trafficker is True


# --------------------------------------------------------------------------------- messages


def test_bad_enum_value_names_file_line_field_and_allowed_values(tmp_path):
    path = variant(tmp_path, {"imminence: periodic": "imminence: soon"})
    (error,) = errors_of(path)
    line = line_of(path.read_text(), "imminence: soon")
    assert line == 28  # the fixture's threat is where we think it is
    assert str(error) == (
        f"{path}:{line}: periods[0].threats[0].imminence: "
        "'soon' is not one of imminent, continuing, periodic, remote"
    )
    assert (error.path, error.line, error.field) == (
        str(path), line, "periods[0].threats[0].imminence"
    )


def test_bad_enum_value_inside_a_list_points_at_the_item(tmp_path):
    path = variant(
        tmp_path,
        {"deceived_about: [nature_of_work, conditions]": "deceived_about:\n"
         "        - nature_of_work\n        - salary"},
    )
    (error,) = errors_of(path)
    assert error.field == "periods[0].recruitment.deceived_about[1]"
    assert error.line == line_of(path.read_text(), "- salary")
    allowed = ", ".join(m.value for m in DeceivedAbout)
    assert error.message == f"'salary' is not one of {allowed}"


def test_bad_literal_lists_the_sources(tmp_path):
    path = variant(tmp_path, {"source: npkit": "source: wikipedia"})
    (error,) = errors_of(path)
    assert error.field == "source.source"
    assert error.line == line_of(path.read_text(), "source: wikipedia")
    assert "'wikipedia' is not one of" in error.message
    assert "fitzgerald2024" in error.message and "npkit" in error.message


def test_misspelt_key_gives_a_suggestion(tmp_path):
    path = variant(tmp_path, {"imminence: periodic": "imminance: periodic"})
    errors = errors_of(path)
    misspelt = [e for e in errors if e.field == "periods[0].threats[0].imminance"]
    assert len(misspelt) == 1
    assert misspelt[0].line == line_of(path.read_text(), "imminance")
    assert misspelt[0].message == "'imminance' is not a field here; did you mean 'imminence'?"
    # the correctly spelt field is then missing
    assert any(e.field == "periods[0].threats[0].imminence" for e in errors)


def test_unknown_key_without_a_close_match_has_no_suggestion(tmp_path):
    path = variant(tmp_path, {"  age: 24": "  age: 24\n  favourite_colour: red"})
    (error,) = errors_of(path)
    assert error.field == "person.favourite_colour"
    assert error.line == line_of(path.read_text(), "favourite_colour")
    assert "is not a field here" in error.message
    assert "did you mean" not in error.message


def test_missing_field_is_reported_at_the_enclosing_mapping(tmp_path):
    path = variant(tmp_path, {"        severity: serious_harm\n": ""})
    (error,) = errors_of(path)
    assert error.field == "periods[0].threats[0].severity"
    assert error.message == "required field is missing"
    assert error.line == line_of(path.read_text(), "- target: self")


def test_missing_top_level_field_points_at_the_first_key_not_the_comment(tmp_path):
    path = variant(tmp_path, {"lesson: A threat that is only repeated now and then is not an "
                              "imminent threat.\n": ""})
    (error,) = errors_of(path)
    assert (error.field, error.message) == ("lesson", "required field is missing")
    assert error.line == line_of(path.read_text(), "id: ana") == 2


def test_duplicate_key_names_both_lines(tmp_path):
    path = variant(tmp_path, {"    harm: property_major\n":
                              "    harm: property_major\n    harm: property_minor\n"})
    errors = errors_of(path)
    assert len(errors) == 1
    (error,) = errors
    text = path.read_text()
    first, second = line_of(text, "harm: property_major"), line_of(text, "harm: property_minor")
    assert error.line == second
    assert error.field == "offences[0].harm"
    assert "duplicate" in error.message
    assert f"line {first}" in error.message and f"line {second}" in error.message


def test_yaml_syntax_error_has_its_line(tmp_path):
    path = variant(tmp_path, {"title: Ana and the call-centre job":
                              "title: Ana: the call-centre job"})
    (error,) = errors_of(path)
    assert error.line == line_of(path.read_text(), "title: Ana:") == 3
    assert error.message.startswith("YAML syntax error")
    assert str(error).startswith(f"{path}:3: YAML syntax error")


def test_tabs_get_a_hint(tmp_path):
    path = variant(tmp_path, {"  age: 24": "\tage: 24"})
    (error,) = errors_of(path)
    assert "tab" in error.message and "spaces" in error.message


def test_id_must_equal_the_file_name(tmp_path):
    path = variant(tmp_path, {}, name="anna.yaml")
    (error,) = errors_of(path)
    assert error.field == "id"
    assert error.line == line_of(path.read_text(), "id: ana")
    assert "'ana'" in error.message and "anna" in error.message


def test_model_validator_error_points_at_the_offence_and_drops_the_prefix(tmp_path):
    path = variant(tmp_path, {"    period: main": "    period: mian"})
    (error,) = errors_of(path)
    assert error.field == "offences[0].period"
    assert error.line == line_of(path.read_text(), "period: mian")
    assert "mian" in error.message
    assert "Value error" not in error.message


def test_field_validator_error_points_at_the_bad_tag(tmp_path):
    path = variant(tmp_path, {"means.deception,": "means.lies,"})
    (error,) = errors_of(path)
    assert error.field == "narrative[0].tags[1]"
    assert "'means.lies'" in error.message
    assert "Value error" not in error.message


def test_many_errors_in_one_file_are_all_reported(tmp_path):
    path = variant(
        tmp_path,
        {
            "  age: 24": "  age: two",
            "method: job_advert": "method: advert",
            "imminence: periodic": "imminance: periodic",
            "reasonable_opportunity: false": "reasonable_opportunity: maybe",
            "stage: prosecution": "stage: trial",
        },
    )
    text = path.read_text()
    errors = errors_of(path)
    found = {(e.line, e.field) for e in errors}
    expected = {
        (line_of(text, "age: two"), "person.age"),
        (line_of(text, "method: advert"), "periods[0].recruitment.method"),
        (line_of(text, "imminance"), "periods[0].threats[0].imminance"),
        (line_of(text, "- target: self"), "periods[0].threats[0].imminence"),
        (line_of(text, "reasonable_opportunity: maybe"),
         "periods[0].escape.reasonable_opportunity"),
        (line_of(text, "stage: trial"), "proceedings.stage"),
    }
    assert found == expected
    assert [e.line for e in errors] == sorted(e.line for e in errors)
    # the exception's text is every error, one per line
    with pytest.raises(CaseFileError) as info:
        load_case(path)
    assert str(info.value).splitlines() == [str(e) for e in errors]


def test_top_level_list_is_a_clear_error(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- id: list\n- title: x\n", encoding="utf-8")
    (error,) = errors_of(path)
    assert error.line == 1
    assert "top level" in error.message and "list" in error.message


def test_empty_file_is_an_error(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    (error,) = errors_of(path)
    assert "empty" in error.message


def test_missing_and_non_utf8_files_are_errors_not_tracebacks(tmp_path):
    (missing,) = errors_of(tmp_path / "nowhere.yaml")
    assert missing.path == str(tmp_path / "nowhere.yaml") and missing.line is None
    latin1 = tmp_path / "latin.yaml"
    latin1.write_bytes("id: latin\ntitle: Jos\u00e9\n".encode("latin-1"))
    (error,) = errors_of(latin1)
    assert error.line == 2 and "UTF-8" in error.message


def test_case_from_text_uses_the_given_name():
    text = ANA.read_text(encoding="utf-8")
    assert case_from_text(text).id == "ana"
    with pytest.raises(CaseFileError) as info:
        case_from_text(text.replace("harm: property_major", "harm: lots"), name="typed")
    (error,) = info.value.errors
    assert str(error).startswith("typed:") and error.field == "offences[0].harm"


# --------------------------------------------------------------------------------- many files


def test_directory_with_one_broken_file_loads_the_good_ones():
    result = load_cases(MIXED)
    assert not result.ok
    assert [c.id for c in result.cases] == ["bo", "emil"]
    assert len(result.files) == 3
    assert {e.path for e in result.errors} == {str(MIXED / "cyra.yaml")}
    text = (MIXED / "cyra.yaml").read_text()
    assert {(e.line, e.field) for e in result.errors} == {
        (line_of(text, "imminence: soon"), "periods[0].threats[0].imminence"),
        (line_of(text, "notes:"), "periods[0].threats[0].notes"),
    }


def test_load_cases_takes_files_and_folders_and_sorts_by_id(tmp_path):
    result = load_cases(GOOD / "dara.yaml", MIXED / "bo.yaml", GOOD)
    assert result.ok
    assert [c.id for c in result.cases] == ["ana", "bo", "dara"]  # dara.yaml is read once
    assert len(result.files) == 3


def test_yml_files_are_read_and_a_clash_of_ids_is_reported(tmp_path):
    (tmp_path / "ana.yaml").write_text(ANA.read_text(), encoding="utf-8")
    (tmp_path / "ana.yml").write_text(ANA.read_text(), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a case", encoding="utf-8")
    result = load_cases(tmp_path)
    assert len(result.files) == 2
    assert [c.id for c in result.cases] == ["ana"]
    (error,) = result.errors
    assert error.path == str(tmp_path / "ana.yml") and "also used" in error.message


def test_a_missing_path_does_not_stop_the_others():
    result = load_cases(GOOD / "nobody.yaml", GOOD)
    assert [c.id for c in result.cases] == ["ana", "dara"]
    (error,) = result.errors
    assert error.path.endswith("nobody.yaml")


def test_a_case_written_out_by_the_scenario_lab_loads_back(tmp_path):
    from npkit.casefile.editing import to_yaml

    for source in (ANA, GOOD / "dara.yaml", MIXED / "bo.yaml"):
        case = load_case(source)
        path = tmp_path / source.name
        path.write_text(to_yaml(case), encoding="utf-8")
        assert load_case(path) == case
