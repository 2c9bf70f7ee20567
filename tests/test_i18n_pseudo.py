"""The pseudo-locale shows every string that bypasses the catalogue (issue 17): the widgets of
modules 0-4 and 6, built and driven in the pseudo-locale, show no plain English but content,
citations and the engine's values (tests/i18n_checks.py)."""

from __future__ import annotations

import ipywidgets as w
import pytest

from npkit import i18n
from npkit.casefile.library import get_case, library
from npkit.course.widgets import base, ui
from tests.i18n_checks import bypassed, english_runs, pseudo_page, visible_texts


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use(i18n.DEFAULT)


@pytest.fixture(scope="module")
def cases():
    return list(library().cases)


def module_0(cases):
    from npkit.course.training.modules import MODULES

    header = base.module_header(0)
    header.show_learner("ab12-cd34", "Mai", None)
    anonymous = base.module_header(0)
    anonymous.show_learner(None)
    states = [ui.html_widget("learner_status.html.j2", state=s, kind="neutral", who="Mai",
                             message="", problem="disk full")
              for s in ("anonymous", "unknown", "problem", "nothing_to_keep", "saved")]
    return [header, anonymous, base.disclaimer(),
            ui.html_widget("catalogue.html.j2", modules=MODULES), *states]


def module_1(cases):
    from npkit.course.widgets.tagger import ElementTagger, VictimQuestion

    tagger = ElementTagger(cases, "jane")
    tagger.record(0, ["act.recruitment", "means.use_of_force"])
    tagger.check.click()
    tagger.boxes["act.recruitment"].value = not tagger.boxes["act.recruitment"].value
    stale = tagger.feedback.value
    tagger.show.click()
    victim = VictimQuestion(cases, "john")
    victim.choice.value = victim.choice.options[0][1]
    victim.reveal.click()
    unanswered = VictimQuestion(cases, "sarah")
    unanswered.reveal.click()
    return [base.module_header(1), tagger.widget, victim.widget, unanswered.widget,
            w.HTML(stale)]


def module_2(cases):
    from npkit.course.widgets.duress_checklist import DuressChecklist

    duress = DuressChecklist(cases, "jane")
    first = next(iter(duress.questions.values()))
    first.value = first.options[0][1]
    duress.compare_button.click()
    return [base.module_header(2), duress.widget]


def module_3(cases):
    from npkit.course.widgets.models_table import Discussion, ModelsTable, OffenceCategories

    models = ModelsTable(cases)
    next(iter(models.boxes.values())).value = True
    models.compare.click()
    cats = OffenceCategories(cases)
    cats.reveal.click()
    talk = Discussion()
    talk.reveal.click()
    return [base.module_header(3), models.widget, cats.widget, talk.widget]


def module_4(cases):
    from npkit.course.widgets.asean import AseanCase, AseanTable

    table = AseanTable()
    table.offence.value = table.offence.options[1][1]
    asean = AseanCase(cases)
    asean.compare.click()
    return [base.module_header(4), table.widget, asean.widget]


def module_6(cases):
    from npkit.course.widgets.decision_path import DecisionPath, WhyPunish, context_panel

    path = DecisionPath(cases)
    path.check.click()  # no answer yet: the page asks for one
    asked = path.status.value
    path.answer.value = path.answer.options[0][1]
    path.check.click()
    why = WhyPunish()
    next(iter(why.answers.values())).value = "yes"
    why.compare.click()
    return [base.module_header(6), path.widget, why.widget, context_panel(), w.HTML(asked)]


def shared_pieces(cases):
    """The outcome matrix (modules 5 and 7 show it too), the case viewer, a finding tree and
    a callback's failure."""
    from npkit.course.widgets.outcome_matrix import OutcomeMatrix
    from npkit.engine.assessment import assess

    matrix = OutcomeMatrix()
    matrix.set_baseline(assess(get_case("jane")))
    matrix.show(assess(get_case("john")))
    failed = ui.status_line()

    @ui.guard(i18n.N_("Your tags could not be checked."), status=failed)
    def broken():
        raise ValueError("boom")

    broken()
    return [matrix.widget, base.case_viewer(cases[0]), failed,
            base.finding_tree(assess(cases[0], counterfactuals=False).tree, 3)]


PAGES = {"module 0": module_0, "module 1": module_1, "module 2": module_2,
         "module 3": module_3, "module 4": module_4, "module 6": module_6,
         "shared": shared_pieces}
# English that is meant to stay on a pseudo page, and why.
ALLOWED = (
    "ValueError: boom",  # an exception's own message, shown as it is
    "disk full",  # the store's own reason a save failed, shown as it is
    # module 6's feedback sentence is worded by npkit.course.training.quiz (not a widget),
    # with the stage's English name in it
    "“identification and investigation”",
)


@pytest.mark.parametrize("page", list(PAGES))
def test_no_string_on_the_page_bypasses_the_catalogue(page, cases):
    with pseudo_page():
        widgets = PAGES[page](cases)
    found = bypassed(widgets, ALLOWED)
    assert not found, f"{page}: {len(found)} string(s) bypass the catalogue:\n" + "\n".join(
        found[:40])


def test_the_pages_really_are_pseudo_translated(cases):
    """Guard against a check that passes on an empty or an English page."""
    with pseudo_page():
        widgets = module_2(cases)
    texts = [t for _, t in visible_texts(widgets)]
    assert len(texts) > 30
    assert any("Çöɱþåŕé ŵîţĥ ñþķîţ" in t for t in texts)  # "Compare with npkit"


def test_the_check_names_english_that_bypassed_the_catalogue():
    with pseudo_page():
        page = [w.HTML("<p>" + i18n._("Show the answer") + " Show the answer</p>"),
                w.Button(description="Clear my tags", tooltip=i18n._("Clear my tags"))]
    found = bypassed(page)
    assert any('"Show the answer"' in f and "HTML value" in f for f in found)
    assert any('"Clear my tags"' in f and "description" in f for f in found)
    assert not any("tooltip" in f for f in found)


def test_a_run_is_two_plain_words_and_pseudo_text_has_none():
    assert english_runs("Show the answer") == ["Show the answer"]
    assert english_runs(i18n.pseudo("Show the answer, then check")) == []
    assert english_runs("Jane") == []
