"""'Print handouts for this case' on the trainer's page (issue 17).

A button that makes the case's printable handout and answer key (:mod:`npkit.render.handout`)
in the page's language and offers both as downloads held in ``data:`` URIs: made in the page's
own kernel, so no server route, no round trip, nothing fetched, and it works offline behind the
workshop server's nginx as on a laptop. Each file opens in any browser and prints on the paper
chosen beside the button (A4 or Letter: the file's ``@page`` size). ``npkit handout CASE
--format pdf`` makes the same as PDF.

    links = HandoutLinks(lambda: page.case.value)   # the case id (or Case) to print, when asked
    links.widget                                    # put it on the page
    links.paper.value = "letter"                    # A4 unless the trainer picks Letter
    links.button.click()                            # the two links appear in links.links

The case is asked for at the click, so the links follow whatever the trainer has chosen; a
changed case or paper empties them again (:meth:`clear`).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping

import ipywidgets as w

from npkit.casefile.case import Case
from npkit.course.widgets import ui
from npkit.i18n import N_, _, pgettext

MIME = "text/html"
FAILED = N_("The handouts could not be made.")


def data_href(html: str) -> str:
    return f"data:{MIME};charset=utf-8;base64," + base64.b64encode(
        html.encode("utf-8")).decode("ascii")


def _case(chosen: Case | str | None) -> Case:
    if isinstance(chosen, Case):
        return chosen
    if not chosen:
        raise ValueError(_("Choose a case first."))
    from npkit.casefile.library import get_case

    return get_case(chosen)


def links_html(case: Case, *, paper: str = "a4") -> str:
    """The two download links for ``case``, as a widget value."""
    from npkit.render.handout import documents

    docs = documents(case, paper=paper)
    handout_name, key_name = docs.names("html")
    return ui.value(
        "handout/links.html.j2",
        handout_href=data_href(docs.handout), handout_name=handout_name,
        handout_label=_("Handout for trainees (HTML, to print)"),
        key_href=data_href(docs.answer_key), key_name=key_name,
        key_label=_("Answer key for the trainer (HTML, to print)"),
        hint=_("Open a file in a browser and press Print. For PDF: npkit handout {case} "
               "--format pdf").format(case=case.id))


class HandoutLinks:
    """``widget``: the button ``button`` and, once pressed, the links in ``links``; problems
    in ``status``. ``chosen`` gives the case (a Case or its id) at the moment of the click."""

    def __init__(self, chosen: Callable[[], Case | str | None], *, paper: str = "a4") -> None:
        self.chosen = chosen
        self.button = ui.button(_("Print handouts for this case"),
                                tooltip=_("Make the story with its questions for trainees, "
                                          "and the answer key for you, ready to print"))
        # The paper sizes of npkit.render.handout.PAPERS; "A4" is the same in every language.
        self.paper = w.Dropdown(options=[("A4", "a4"), (pgettext("paper size", "Letter"),
                                                        "letter")],
                                value=paper, description=_("Paper"),
                                layout=ui.shared(w.Layout),
                                style=ui.shared_style(w.Dropdown, description_width="initial"))
        self.links = ui.html_widget()
        self.status = ui.status_line()
        self.widget = ui.vbox([ui.box([self.button, self.paper], row=True), self.links,
                               self.status])
        self.widget.add_class("npk-handout")
        self.button.on_click(lambda _b: self.make())
        self.paper.observe(lambda _change: self.clear(), "value")

    @ui.guard(FAILED)
    def make(self) -> None:
        case = _case(self.chosen())
        paper = self.paper.value if self.paper.value in ("a4", "letter") else "a4"
        self.links.value = links_html(case, paper=paper)
        ui.say(self.status, _("The handout and the answer key are ready to download."), "done")

    def clear(self) -> None:
        self.links.value = ""
        ui.say(self.status)


def for_dropdown(dropdown: w.Dropdown, cases: Mapping[str, Case] | None = None, *,
                 paper: str = "a4") -> w.Widget:
    """The links for the case chosen in ``dropdown`` (its value: a case id, looked up in
    ``cases``, else in the case library); a new choice empties them. The one line the trainer
    page needs: ``handout_link.for_dropdown(self.case, self._by_id)``."""
    by_id = cases or {}
    links = HandoutLinks(lambda: by_id.get(dropdown.value, dropdown.value), paper=paper)
    dropdown.observe(lambda _change: links.clear(), "value")
    return links.widget
