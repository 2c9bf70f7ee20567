"""Cases in teaching order (issue 14: "Jane is first", but the list started with Kim): the
library follows npkit/casefile/data/teaching_order.yaml, Jane, John and Sarah first, and the
case pickers show that order; a case the order does not name comes after, by id."""

import shutil

import pytest

from npkit.casefile.library import (
    TEACHING_ORDER,
    library,
    load_teaching_order,
    teaching_order,
)
from npkit.casefile.loader import load_cases
from npkit.paths import shipped_cases


def test_jane_john_and_sarah_come_first_and_every_shipped_case_is_placed():
    ids = [c.id for c in library(shipped_cases()).cases]
    assert ids[:3] == ["jane", "john", "sarah"]
    assert ids == list(teaching_order())  # every case that comes with npkit, each once
    assert ids != sorted(ids)  # not the loader's order by id (after_escape, Kim, first)


def test_a_case_the_order_does_not_name_comes_after_by_id(tmp_path):
    for name in ("sarah", "after_escape", "jane"):
        shutil.copy(shipped_cases() / f"{name}.yaml", tmp_path)
    text = (shipped_cases() / "after_escape.yaml").read_text(encoding="utf-8")
    for new in ("zed_extra", "abe_extra"):
        (tmp_path / f"{new}.yaml").write_text(
            text.replace("id: after_escape", f"id: {new}", 1), encoding="utf-8")
    assert [c.id for c in load_cases(tmp_path).cases][0] == "abe_extra"  # the loader: by id
    assert [c.id for c in library(tmp_path).cases] == [
        "jane", "sarah", "after_escape", "abe_extra", "zed_extra"]


@pytest.mark.parametrize(("text", "message"), [
    ("order: [jane, john, jane]\n", "listed more than once: jane"),
    ("order: [jane, Not An Id]\n", "order.1: String should match pattern"),
    ("cases: [jane]\n", "order: Field required"),
    ("order: [jane\n", "cannot be read"),
])
def test_a_broken_order_file_is_refused_naming_the_file(tmp_path, text, message):
    path = tmp_path / "teaching_order.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError) as err:
        load_teaching_order(path)
    assert str(path) in str(err.value) and message in str(err.value), str(err.value)
    assert load_teaching_order(TEACHING_ORDER)[:3] == ("jane", "john", "sarah")


def test_the_case_pickers_offer_the_teaching_order():
    pytest.importorskip("ipywidgets")
    from npkit.course.widgets.base import library_or_errors
    from npkit.course.widgets.tagger import ElementTagger

    cases, _ = library_or_errors()
    tagger = ElementTagger(cases)
    picker = tagger.picker
    assert [value for _, value in picker.options] == list(teaching_order())
    # the menu shows a case by its short name, the whole title beside it
    assert picker.options[0][0] == "Jane" and picker.value == "jane"
    assert "Jane: a fake office job" in tagger.case_choice.beside.value
