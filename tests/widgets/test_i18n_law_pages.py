"""Module 4's reference table and module 6's figures show the law data in the page's language
(issue 17); the ids, citations and provisions as cited stay as the sources give them."""

import html

import pytest

from npkit import i18n
from npkit.course.widgets.asean import AseanTable
from npkit.course.widgets.decision_path import context_panel
from npkit.law.jurisdiction_data import instruments, jurisdictions
from npkit.law.stages import context_figures


@pytest.fixture
def thai():
    i18n.use("th")
    yield
    i18n.use(i18n.DEFAULT)


def test_the_reference_table_shows_the_thai_rows(thai):
    page = html.unescape(AseanTable().table.value)
    th, en = jurisdictions("th")["TH"], jurisdictions()["TH"]
    assert th.name in page and th.summary in page and en.provision in page
    assert instruments("th")["actip_14_7"].summary in page
    assert en.summary not in page
    assert 'data-row="TH"' in page  # the row keys stay the ISO codes


def test_the_reference_table_stays_english_in_english():
    i18n.use("en")
    page = html.unescape(AseanTable().table.value)
    assert jurisdictions()["TH"].summary in page
    assert jurisdictions("th")["TH"].summary not in page


def test_the_context_figures_show_their_thai_text(thai):
    page = html.unescape(context_panel().value)
    for figure in context_figures(lang="th"):
        assert figure.figure in page and figure.text in page
    assert context_figures()[0].text not in page
