"""Shared building blocks: the case viewer and picker, the error panel, the disclaimer, the
module header (with the navigation between modules and the learner slot), and the case
library. The view layer itself (templates, badges, buttons, status lines) is
:mod:`npkit.course.widgets.ui`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode

import ipywidgets as w

from npkit import DISCLAIMER, i18n
from npkit.course.widgets import ui
from npkit.course.widgets.first_state import opened_when_built
from npkit.course.widgets.ui import BADGES, words  # noqa: F401 - re-exported
from npkit.engine.findings import Finding
from npkit.i18n import N_, _

# npkit.DISCLAIMER marked for the catalogue (the package root imports no UI code); shown in the
# learner's language while it is the same English (tests/test_i18n_catalogue.py checks).
DISCLAIMER_MSG = N_("npkit is a teaching tool, not legal advice. Statutes and case law change: "
                    "verify the current law of any jurisdiction before relying on an outcome "
                    "shown here.")


def finding_tree(node: Finding, open_depth: int = 1) -> w.HTML:
    return ui.html_widget("tree.html.j2", node=node, open_depth=open_depth)


def error_panel(title: str, lines: Iterable[str]) -> w.HTML:
    """A readable message, never a traceback: what went wrong and what still works."""
    return ui.html_widget("error_panel.html.j2", title=title, lines=list(lines))


def disclaimer() -> w.HTML:
    return ui.html_widget("disclaimer.html.j2",
                          text=_(DISCLAIMER_MSG) if DISCLAIMER_MSG == DISCLAIMER else DISCLAIMER)


def case_viewer(case, **kw) -> w.HTML:
    return ui.html_widget("case.html.j2", case=case, show_tags=kw.get("show_tags", False))


def case_choice(cases, value: str | None = None, description: str | None = None):
    """A labelled menu of cases (:class:`~npkit.course.widgets.choice.Choice`): each case by
    its short name ("Jane, changed"), its whole title beside the menu; values are case ids.
    Lay out ``.widget``; observe and set ``.menu``."""
    from npkit.course.widgets.choice import Choice, case_options

    return Choice(_("Case") if description is None else description, case_options(list(cases)),
                  value)


def picked_case(cases: dict, menu: w.Dropdown, case_id: object):
    """The case ``case_id`` of ``cases`` once ``menu`` shows it, else None. An id not in
    ``cases`` (a widget message is untrusted) is ignored; a known one the menu does not show
    yet is set on it, and the menu's observer loads it."""
    if not isinstance(case_id, str) or case_id not in cases:
        return None
    if menu.value != case_id:
        menu.value = case_id
        return None
    return cases[case_id]


# The learner travels between modules in the page's query string (?learner=<code>&nick=<nick>),
# as the dashboard's template and npkit.store.learners agree.
LEARNER_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{3,39}$")
NICK_MAX = 40


def keep_query(query: str | None) -> str:
    """The part of a page's query string that links between modules carry on: ``?learner=``
    a valid code, and ``&nick=`` (cleaned, at most 40 characters) if there is one; ``""`` when
    there is no valid learner. Same rule as the template's npkit.js."""
    params = dict(parse_qsl((query or "").lstrip("?")))
    code = params.get("learner", "").strip()
    if not LEARNER_CODE.match(code):
        return ""
    nick = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", params.get("nick", "")).split())[:NICK_MAX]
    return "?" + urlencode([("learner", code), *([("nick", nick)] if nick else [])])


def nav_html(number: int, query: str | None = "") -> str:
    """Links to the previous module, all modules and the next module.

    Hrefs are relative to the notebook, so they work under Voila (/voila/render/NN_x.ipynb)
    and in JupyterLab alike. ``data-npk-nav`` lets the Voila template add the page's learner to
    them in the browser (a preheated kernel renders this before it knows the visitor);
    ``query``, when known here, is added at once. "All modules" is module 0 in JupyterLab and
    the landing page under Voila (``data-npk-home``)."""
    return str(ui.render("nav.html.j2", **_nav_context(number, query)))


def nav_query(query: str | None = "") -> str:
    """What the module header's links carry: :func:`keep_query`'s learner, and on a page in
    another language than English that language (``lang=th``), as the Voila template's pager
    does. The hrefs stay relative, so a Thai page's links lead to the Thai pages beside it."""
    kept = keep_query(query)
    lang = i18n.current()
    if lang in (i18n.DEFAULT, i18n.PSEUDO):
        return kept
    return (f"{kept}&" if kept else "?") + urlencode({"lang": lang})


def _nav_context(number: int, query: str | None = "") -> dict:
    from npkit.course.training.modules import MODULES

    i = [m.number for m in MODULES].index(number)
    return {"query": nav_query(query), "home": MODULES[0],
            "prev": MODULES[i - 1] if i > 0 else None,
            "next": MODULES[i + 1] if i + 1 < len(MODULES) else None}


class ModuleHeader(w.VBox):
    """What ``module_header`` displays: ``nav`` (previous / all / next modules), ``heading``
    (title, time, objectives) and ``learner``, an HTML slot that is hidden while empty; outside
    Voila (JupyterLab) first ``style``, the widgets' stylesheet, once per page (ui.stylesheet).

    Other code fills the slot: ``header.show_learner(code, nick, note)`` (escapes everything),
    or set ``header.learner.value`` to already-escaped HTML. ``header.set_query(qs)`` bakes the
    page's query string into the links once the kernel knows it."""

    def __init__(self, number: int):
        from npkit.course.binding import anonymous_now, in_voila
        from npkit.course.training.modules import MODULES

        m = next(m for m in MODULES if m.number == number)
        self.number = number
        self.style = ui.stylesheet()
        self.nav = ui.html_widget("nav.html.j2", **_nav_context(number))
        self.heading = ui.html_widget("module_heading.html.j2", module=m)
        with opened_when_built():  # the learner line opens with its words (issue 16)
            self.learner = w.HTML("", layout=ui.shared(w.Layout, display="none"),
                                  style=ui.shared_style(w.HTML))
            self.learner.observe(self._toggle_learner, names="value")
            # under Voila the page is seen only once its cells have run: say now what
            # bind_learner will say to an anonymous learner (nothing is kept)
            if in_voila() and anonymous_now():
                self.show_learner(None)
        shown = [self.nav, self.heading, self.learner]
        super().__init__(shown if in_voila() else [self.style, *shown],
                         layout=ui.shared(w.Layout), _dom_classes=("npk-module-header",))

    def _toggle_learner(self, change) -> None:
        # one of two shared looks: shown, or hidden while empty
        self.learner.layout = (ui.shared(w.Layout) if change["new"]
                               else ui.shared(w.Layout, display="none"))

    def show_learner(self, code: str | None, nick: str | None = None,
                     note: str | None = None) -> None:
        """Say whose answers are kept (or, with no code, that they are not)."""
        self.learner.value = ui.value("learner_line.html.j2", code=code or "", nick=nick or "",
                                      note=note or "")

    def set_query(self, query: str | None) -> None:
        self.nav.value = ui.value("nav.html.j2", **_nav_context(self.number, query))


def module_header(number: int) -> ModuleHeader:
    """Navigation, title, time and learning objectives of a module (from the catalogue), and
    the learner slot."""
    return ModuleHeader(number)


def library_or_errors():
    """The case library, and a widget naming every broken case file (empty when none is), so a
    notebook can always ``display`` it without deciding anything."""
    from npkit.casefile.library import library

    result = library()
    panel = ui.html_widget()
    if result.errors:
        panel = error_panel(
            _("Some case files could not be read; every other case still works."),
            [str(e) for e in result.errors])
    return result.cases, panel
