"""The scenario lab's widget twin (benchmarks/twin.py) is faithful: from a small set of widget
states written here (as a lab kernel's ``update_states`` carries them), the twin's cells
rebuild, with ipywidgets alone, the same model classes, count, values, shared layouts and
styles, references and displays; and what cannot be rebuilt is reported, not dropped. The
twin's cells run in this process (ipywidgets outside a kernel). Nothing is timed here."""

from __future__ import annotations

import sys
from pathlib import Path

import ipywidgets
import pytest
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the checkout, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks import twin  # noqa: E402

BASE, CONTROLS = "@jupyter-widgets/base", "@jupyter-widgets/controls"


def model(name: str, state: dict, module: str = CONTROLS) -> dict:
    return {"model_name": name, "model_module": module, "model_module_version": "2.0.0",
            "state": state}


def ref(model_id: str) -> str:
    return f"IPY_MODEL_{model_id}"


# As a lab kernel sends them (npkit's lean states: defaults left out), in the order the lab
# opened them; the box "row" comes before "tick", a child it refers to.
STATES = {
    "lay-shared": model("LayoutModel", {"width": "12em"}, BASE),
    "lay-row": model("LayoutModel", {"display": "flex", "flex_flow": "row wrap"}, BASE),
    "sty-html": model("HTMLStyleModel", {}),
    "html-a": model("HTMLModel", {"value": "<b>one</b>", "layout": ref("lay-shared"),
                                  "style": ref("sty-html"), "_dom_classes": ["npk-a"]}),
    "html-b": model("HTMLModel", {"value": "two &amp; three", "layout": ref("lay-shared"),
                                  "style": ref("sty-html")}),
    "row": model("HBoxModel", {"children": [ref("html-a"), ref("tick")],
                               "layout": ref("lay-row")}),
    "sty-box": model("CheckboxStyleModel", {}),
    "tick": model("CheckboxModel", {"value": True, "description": "Threatened",
                                    "indent": False, "layout": ref("lay-shared"),
                                    "style": ref("sty-box")}),
    "sty-desc": model("DescriptionStyleModel", {"description_width": "initial"}),
    "pick": model("DropdownModel", {"_options_labels": ["Jane", "John", "Sarah"],
                                    "index": 2, "description": "Case",
                                    "layout": ref("lay-shared"), "style": ref("sty-desc")}),
    "page": model("VBoxModel", {"children": [ref("row"), ref("html-b"), ref("pick")],
                                "layout": ref("lay-row")}),
    "sty-btn": model("ButtonStyleModel", {}),
    "go": model("ButtonModel", {"description": "Reset", "button_style": "warning",
                                "layout": ref("lay-shared"), "style": ref("sty-btn")}),
}
# What the lab's cells opened and displayed: a cell with no widget (a print) in between.
CELLS = [
    {"opened": [m for m in STATES if m not in ("sty-btn", "go")], "displayed": ["page"]},
    {"opened": [], "displayed": []},
    {"opened": ["sty-btn", "go", "closed-later"], "displayed": ["go"]},
]


@pytest.fixture
def rebuilt():
    out = twin.rebuild_in_process(*twin.program(STATES, CELLS))
    yield out
    twin.close(out)


def test_same_classes_count_and_ids(rebuilt):
    ws = rebuilt["widgets"]
    expected = {"lay-shared": ipywidgets.Layout, "lay-row": ipywidgets.Layout,
                "sty-html": HTMLStyle, "html-a": ipywidgets.HTML,
                "html-b": ipywidgets.HTML, "row": ipywidgets.HBox,
                "sty-box": CheckboxStyle, "tick": ipywidgets.Checkbox,
                "sty-desc": DescriptionStyle, "pick": ipywidgets.Dropdown,
                "page": ipywidgets.VBox, "sty-btn": ipywidgets.ButtonStyle,
                "go": ipywidgets.Button}
    assert {m: type(w) for m, w in ws.items()} == expected
    assert {m: w.model_id for m, w in ws.items()} == {m: m for m in expected}
    # no model besides the lab's: no default Layout or Style made on the side
    assert sorted(rebuilt["created"]) == sorted(expected)
    assert rebuilt["refused"] == []


def test_same_values(rebuilt):
    ws = rebuilt["widgets"]
    assert ws["lay-shared"].width == "12em"
    assert (ws["lay-row"].display, ws["lay-row"].flex_flow) == ("flex", "row wrap")
    assert ws["html-a"].value == "<b>one</b>" and ws["html-b"].value == "two &amp; three"
    assert ws["html-a"]._dom_classes == ("npk-a",)
    assert ws["tick"].value is True and ws["tick"].description == "Threatened"
    assert ws["tick"].indent is False
    assert ws["pick"].options == ("Jane", "John", "Sarah") and ws["pick"].index == 2
    assert ws["pick"].description == "Case"
    assert ws["sty-desc"].description_width == "initial"
    assert ws["go"].description == "Reset" and ws["go"].button_style == "warning"


def test_shared_layouts_styles_and_children(rebuilt):
    ws = rebuilt["widgets"]
    for m in ("html-a", "html-b", "tick", "pick", "go"):
        assert ws[m].layout is ws["lay-shared"], m
    assert ws["row"].layout is ws["page"].layout is ws["lay-row"]
    assert ws["html-a"].style is ws["html-b"].style is ws["sty-html"]
    assert ws["tick"].style is ws["sty-box"] and ws["pick"].style is ws["sty-desc"]
    assert ws["row"].children == (ws["html-a"], ws["tick"])
    assert ws["page"].children == (ws["row"], ws["html-b"], ws["pick"])


def test_displayed_as_the_lab_displayed(rebuilt):
    ws = rebuilt["widgets"]
    # one display call per lab cell that displayed widgets, the same widgets
    assert rebuilt["displayed"] == [[ws["page"]], [ws["go"]]]


def test_no_difference_from_the_states(rebuilt):
    assert twin.differences(STATES, rebuilt) == []


def test_differences_name_what_the_twin_changed(rebuilt):
    ws = rebuilt["widgets"]
    ws["tick"].value = False
    ws["html-b"].placeholder = "extra"
    found = twin.differences(STATES, rebuilt)
    assert "tick.value: False, not True" in found
    assert "html-b.placeholder: 'extra' in the twin only" in found


def test_cells_follow_the_lab():
    plan = twin.twin_cells(STATES, CELLS)
    # the print cell has no twin cell; a model the lab closed again is not rebuilt
    assert plan == [([m for m in STATES if m not in ("sty-btn", "go")], ["page"]),
                    (["sty-btn", "go"], ["go"])]
    sources, data = twin.program(STATES, CELLS)
    assert len(sources) == 2 and sources[1] == "cell(1)"
    assert data["cells"][1] == {
        "build": [["ButtonStyle", "sty-btn", {}],
                  ["Button", "go", {"description": "Reset", "button_style": "warning",
                                    "layout": ref("lay-shared"), "style": ref("sty-btn")}]],
        "display": ["go"], "refused": None}
    # a box is built after the child it refers to, though the lab opened it before
    first = [model_id for _, model_id, _ in data["cells"][0]["build"]]
    assert first.index("tick") < first.index("row") < first.index("page")
    # a model no cell opened is built in the first cell
    assert twin.twin_cells(STATES, [{"opened": ["go"], "displayed": ["go"]}])[0][0][-1] == "go"


def test_the_twin_notebook_imports_ipywidgets_alone():
    nb = twin.notebook(twin.program(STATES, CELLS)[0])
    assert [c.cell_type for c in nb.cells] == ["code", "code"]
    code = "\n".join(c.source for c in nb.cells)
    imports = {line.split()[1] for line in code.splitlines()
               if line.startswith(("import ", "from "))}
    assert imports - {"json"} and all(m.startswith("ipywidgets.") for m in imports - {"json"})
    assert nb.metadata["kernelspec"]["name"] == "python3"


def test_the_kernel_builds_from_arguments_worked_out_at_bench_time():
    # what the twin costs a kernel is ipywidgets building the models: no traits read to work
    # out the arguments (that is done here), and no states in the cells' source (IPython
    # tokenises and ipykernel hashes every cell's source in Python)
    sources, data = twin.program(STATES, CELLS)
    code = "\n".join(sources)
    assert "class_traits" not in code and "Jane" not in code and len(code) < 2500
    assert sum(len(step["build"]) for step in data["cells"]) == len(STATES)


def test_what_cannot_be_rebuilt_is_reported():
    states = {
        "lay": model("LayoutModel", {}, BASE),
        "odd": model("FancyModel", {"value": 1}, "fancy-widgets"),
        "box": model("VBoxModel", {"children": [ref("odd")], "layout": ref("lay")}),
        "tick": model("CheckboxModel", {"value": "not a bool", "no_such_trait": 1,
                                        "_view_name": "SwitchView", "layout": ref("lay")}),
    }
    cells = [{"opened": list(states), "displayed": ["box", "odd"]}]
    out = twin.rebuild_in_process(*twin.program(states, cells))
    try:
        refused = out["refused"]
        assert ("odd", None, "no ipywidgets class for FancyModel") in refused
        assert ("box", "children", "refers to models not rebuilt: ['odd']") in refused
        assert ("tick", "no_such_trait", "not a synced trait of Checkbox") in refused
        assert ("tick", "_view_name", "'SwitchView', not Checkbox's") in refused
        assert any(m == "tick" and key == "value" and why.startswith("TraitError")
                   for m, key, why in refused)
        assert ("odd", None, "not displayed: not rebuilt") in refused
        # the rest is built all the same, and the report says the twin is not the lab's
        assert isinstance(out["widgets"]["tick"], ipywidgets.Checkbox)
        found = twin.differences(states, out)
        assert "odd (FancyModel): not rebuilt" in found
        assert any(d.startswith("tick.value:") for d in found)
        report = {"models": 4, "rebuilt_models": len(out["created"]),
                  "refused": out["refused"], "differences": found}
        assert twin.problems(report)
    finally:
        twin.close(out)


def test_a_faithful_report_has_no_problems():
    assert twin.problems({"models": 100, "rebuilt_models": 100, "refused": [],
                          "differences": [], "lab_errors": [], "buffer_paths": []}) == []
    assert twin.problems({"models": 100, "rebuilt_models": 173}) == [
        "173 models rebuilt for the lab's 100"]
