"""The view layer (issue 13): widget HTML comes from autoescaped Jinja2 templates
(npkit/course/widgets/ui.py), never from strings built by hand (in a widget module, the rest of
the course layer or a notebook), and no widget value inlines a stylesheet (there is one:
share/jupyter/voila/templates/npkit/static/npkit.css)."""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import ipywidgets as w
import jinja2
import pytest

from npkit.casefile.editing import edit_case
from npkit.casefile.library import get_case, library
from npkit.course.widgets import base, ui

ROOT = Path(__file__).resolve().parents[1]
WIDGETS = ROOT / "npkit" / "course" / "widgets"
CSS_FILE = ROOT / "share" / "jupyter" / "voila" / "templates" / "npkit" / "static" / "npkit.css"

def _literal_parts(node: ast.AST) -> list[str]:
    """The literal text of a string expression: a constant, or an f-string's fixed parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.JoinedStr):
        return [v.value for v in node.values
                if isinstance(v, ast.Constant) and isinstance(v.value, str)]
    return []


def _has_tag(node: ast.AST) -> bool:
    return any("<" in part for part in _literal_parts(node))


def _added(node: ast.AST) -> list[ast.AST]:
    """The operands of a chain of ``+``."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return _added(node.left) + _added(node.right)
    return [node]


def hand_built_html(source: str) -> list[tuple[int, str]]:
    """(line, how) for every place in ``source`` that builds HTML by hand: an f-string, a
    ``%``-format, a ``.format()`` call or a ``+`` concatenation whose literal parts hold "<"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr) and _has_tag(node):
            found.append((node.lineno, "f-string"))
        elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod)
              and _has_tag(node.left)):
            found.append((node.lineno, "%-format"))
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
              and node.func.attr == "format" and _has_tag(node.func.value)):
            found.append((node.lineno, ".format()"))
        elif (isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add)
              and any(_has_tag(part) for part in _added(node))):
            found.append((node.lineno, "+ concatenation"))
    return sorted(set(found))


def widget_modules() -> list[Path]:
    return sorted(p for p in WIDGETS.glob("*.py"))


# Every other module that makes HTML for a page: the course layer (the learner binding, the
# Voila course, the content) and the notebooks. (The workshop's report,
# npkit/store/workshop/report.py, is a downloadable file, not a page.)
PAGE_MODULE_GLOBS = ("npkit/course/*.py", "npkit/course/training/*.py",
                     "notebooks/[0-9][0-9]_*.py")


def page_modules() -> list[Path]:
    found = {p for pattern in PAGE_MODULE_GLOBS for p in ROOT.glob(pattern)}
    return widget_modules() + sorted(found)


def test_the_page_scan_reaches_the_course_layer_and_the_notebooks():
    names = {p.relative_to(ROOT).as_posix() for p in page_modules()}
    assert {"npkit/course/binding.py", "npkit/course/dashboard.py",
            "notebooks/00_start_here.py", "npkit/course/widgets/base.py"} <= names


@pytest.mark.parametrize("path", page_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_widget_module_builds_html_by_hand(path):
    found = hand_built_html(path.read_text(encoding="utf-8"))
    assert not found, (f"{path.name} builds HTML by hand (use ui.render and a template "
                       f"in npkit/course/widgets/templates/): {found}")


@pytest.mark.parametrize("snippet, how", [
    ('x = f"<p>{text}</p>"', "f-string"),
    ('x = "<p>%s</p>" % text', "%-format"),
    ('x = "<li>{}</li>".format(text)', ".format()"),
    ('x = "<b>" + text + "</b>"', "+ concatenation"),
    ('x = text + "<br>"', "+ concatenation"),
])
def test_the_scan_finds_hand_built_html(snippet, how):
    assert hand_built_html(snippet) == [(1, how)]


@pytest.mark.parametrize("snippet", [
    'x = f"{a} of {b}"',  # no markup
    'x = "<p>fixed</p>"',  # a constant is not built around text
    'x = ui.render("case.html.j2", case=case)',
    'x = "a" + "b" if n < 2 else "c"',  # "<" in code, not in a literal
])
def test_the_scan_leaves_plain_strings_alone(snippet):
    assert hand_built_html(snippet) == []


# --- escaping ------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def evil_case():
    jane = get_case("jane")
    narrative = [p.model_dump(mode="json") for p in jane.narrative]
    narrative[0]["text"] = f"Jane {SCRIPT} applied."
    return edit_case(jane, narrative=narrative, title=f"Jane {SCRIPT}", lesson=SCRIPT)


def test_render_escapes_case_text(evil_case):
    html = ui.render("case.html.j2", case=evil_case, show_tags=True)
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3  # title, lesson, passage


def test_render_escapes_trainee_text():
    header = base.module_header(1)
    header.show_learner("amber-otter-42", SCRIPT, note=SCRIPT)
    assert "<script>" not in header.learner.value
    assert "&lt;script&gt;" in header.learner.value
    line = ui.status_line()
    ui.say(line, SCRIPT, "error")
    assert "<script>" not in line.value and 'role="alert"' in line.value


def test_every_template_is_autoescaped_and_strict():
    env = ui.env()
    assert env.from_string("{{ x }}").render(x="<b>") == "&lt;b&gt;"
    for name in env.list_templates():
        assert env.get_template(name).environment.autoescape is True
    with pytest.raises(jinja2.UndefinedError):
        ui.render("disclaimer.html.j2")


def test_badges_carry_a_symbol_and_words_not_colour_alone():
    html = ui.verdict_badge("not_protected")
    assert 'aria-hidden="true">✘</span> not protected' in html
    assert "npk-bad" in html


# --- the callback guard --------------------------------------------------------------------

class Page:
    def __init__(self):
        self.status = ui.status_line()

    @ui.guard("Your answer could not be checked.")
    def on_click(self, _button=None):
        raise ValueError("bad <input>")


def test_a_guarded_callback_never_raises_and_says_so_readably(caplog):
    page = Page()
    with caplog.at_level(logging.ERROR, logger="npkit.course.widgets.ui"):
        assert page.on_click() is None
    value = page.status.value
    assert "Your answer could not be checked." in value and 'role="alert"' in value
    assert "ValueError: bad &lt;input&gt;" in value
    assert "Traceback" not in value
    assert any("Your answer could not be checked." in r.message for r in caplog.records)


# --- one stylesheet --------------------------------------------------------------------------

def html_values(widget):
    """Every HTML value in a widget tree."""
    if isinstance(widget, w.HTML):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from html_values(child)


def _drive_tagger(cases):
    from npkit.course.widgets.tagger import ElementTagger, VictimQuestion

    tagger = ElementTagger(cases, "jane")
    tagger.check.click()
    tagger.show.click()
    victim = VictimQuestion(cases, "jane")
    victim.reveal.click()
    return [tagger.widget, victim.widget]


def _drive_duress(cases):
    from npkit.course.widgets.duress_checklist import DuressChecklist

    duress = DuressChecklist(cases, "jane")
    duress.compare_button.click()
    return [duress.widget]


def _drive_quiz(cases):
    from npkit.course.widgets.quiz import Quiz

    quiz = Quiz()
    quiz.check.click()
    return [quiz.widget]


def _drive_decision_path(cases):
    from npkit.course.widgets.decision_path import DecisionPath, WhyPunish, context_panel

    path = DecisionPath(cases)
    path.answer.value = path.answer.options[0][1]
    path.check.click()
    why = WhyPunish()
    why.compare.click()
    return [path.widget, why.widget, context_panel()]


def _drive_models_table(cases):
    from npkit.course.widgets.models_table import Discussion, ModelsTable, OffenceCategories

    cats = OffenceCategories(cases)
    cats.reveal.click()
    talk = Discussion()
    talk.reveal.click()
    return [ModelsTable(cases).widget, cats.widget, talk.widget]


def _drive_asean(cases):
    from npkit.course.widgets.asean import AseanCase, AseanTable

    return [AseanTable().widget, AseanCase(cases).widget]


def _drive_outcome_matrix(cases):
    from npkit.course.widgets.outcome_matrix import OutcomeMatrix
    from npkit.engine.assessment import assess

    matrix = OutcomeMatrix()
    matrix.set_baseline(assess(get_case("jane")))
    matrix.show(assess(get_case("john")))
    return [matrix.widget]


def _drive_scenario_lab(cases):
    """The lab's own outputs (the outcome matrix inside it is outcome_matrix.py's), with a
    fact changed, a restored scenario's note, a refused value, and the search run."""
    from npkit.course.widgets.scenario_lab import ScenarioLab

    lab = ScenarioLab(cases, start="jane")
    lab.set_state({"case": "jane", "changes": {"quick.escape": "yes"}})
    lab.quick["imminent_threat"].value = True
    lab.show_counterfactuals()
    lab.others_button.value = True  # the parts made when the trainee asks for them
    lab.download.button.click()
    refused = ScenarioLab(cases, start="sarah")
    refused.edit("means", ["mind_control"])
    return [lab.editor.widget, lab.story, lab.why, lab.counterfactuals, lab.others,
            lab.your_changes, lab.download.widget, refused.message, refused.editor.widget]


def _drive_base(cases):
    from npkit.engine.assessment import assess

    victim = assess(cases[0], counterfactuals=False).victim
    return [base.module_header(3), base.disclaimer(), base.case_viewer(cases[0]),
            base.error_panel("x", ["y"]), base.finding_tree(victim)]


_KEEP: list = []


def _drive_workshop(cases):
    import tempfile

    from npkit.course.widgets.workshop_trainee import TraineePage
    from npkit.course.widgets.workshop_trainer import TrainerPage
    from npkit.store.learners import Store
    from npkit.store.workshop import Workshop

    folder = tempfile.TemporaryDirectory()  # removed when the test run ends
    _KEEP.append(folder)
    ws = Workshop(Store.open(Path(folder.name) / "workshop.sqlite"))
    trainer = TrainerPage(cases, workshop=ws)
    trainer.case.value = "jane"
    trainer.start_button.click()
    trainer.reveal_button.click()
    trainee = TraineePage(cases, workshop=ws, query=f"session={trainer.code}")
    trainee.nickname.value = "Owl"
    trainee.join_button.click()
    return [trainer.widget, trainee.widget]


# Each converted module's widgets, driven a little so that their outputs are filled. A helper
# who converts a module adds its driver here.
DRIVERS = {
    "scenario_lab.py": _drive_scenario_lab, "fact_editor.py": _drive_scenario_lab,
    "download.py": _drive_scenario_lab,
    "base.py": _drive_base, "tagger.py": _drive_tagger, "duress_checklist.py": _drive_duress,
    "quiz.py": _drive_quiz, "decision_path.py": _drive_decision_path,
    "models_table.py": _drive_models_table, "asean.py": _drive_asean,
    "outcome_matrix.py": _drive_outcome_matrix,
    "workshop_trainer.py": _drive_workshop, "workshop_trainee.py": _drive_workshop,
    "poll_chart.py": _drive_workshop, "workshop_page.py": _drive_workshop,
}


def inline_styles(widgets) -> list[str]:
    """The start of every HTML value with a <style> block in the widget trees (the JupyterLab
    stylesheet of the module header aside)."""
    return [h.value[:80] for wid in widgets for h in html_values(wid)
            if "<style" in h.value.lower() and "npk-stylesheet" not in h._dom_classes]


def test_the_style_check_finds_an_inline_style():
    sneaky = w.VBox([w.HTML("<p>x</p>"), w.HBox([w.HTML("<STYLE>.a{}</STYLE><p>y</p>")])])
    assert inline_styles([sneaky]) == ["<STYLE>.a{}</STYLE><p>y</p>"]


@pytest.mark.parametrize("module", sorted(DRIVERS))
def test_no_widget_value_inlines_a_stylesheet(module):
    widgets = DRIVERS[module](library().cases)
    assert any(h.value for wid in widgets for h in html_values(wid))
    assert inline_styles(widgets) == []


def test_the_stylesheet_is_shown_once_outside_voila_and_not_under_voila(monkeypatch):
    monkeypatch.delenv("VOILA_KERNEL_ID", raising=False)
    header = base.module_header(1)
    assert header.children[0] is header.style
    assert header.style.value.startswith("<style>") and ".npk-badge" in header.style.value
    rules = header.style.value.split("*/", 1)[1]
    assert not re.search(r"(^|[},])\s*(html|body)\b", rules)  # no page rules in JupyterLab
    monkeypatch.setenv("VOILA_KERNEL_ID", "k")
    header = base.module_header(1)
    assert header.style not in header.children and header.style.value == ""


def test_the_widget_section_of_npkit_css_holds_every_class_the_templates_use():
    css = CSS_FILE.read_text(encoding="utf-8")
    assert css.count(ui.CSS_BEGIN) == 1 and css.count(ui.CSS_END) == 1
    section = ui.widget_css()
    for cls in ("npk-badge", "npk-good", "npk-bad", "npk-mixed", "npk-neutral", "npk-mark",
                "npk-error", "npk-note", "npk-passage", "npk-source", "npk-modnav",
                "npk-learner-line", "npk-status", "npk-box-group", "npk-wrap", "npk-choices"):
        assert f".{cls}" in section, cls
