"""Shared building blocks: escaping, outcome badges (symbol + word, never colour alone), the
finding tree, the case viewer, the error panel and the module header (with the navigation
between modules and the learner slot)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import parse_qsl, urlencode

import ipywidgets as w

from npkit import DISCLAIMER
from npkit.engine.findings import Finding
from npkit.law.citations import Confidence

# Colour is a second channel only: every badge also carries a symbol and a word.
BADGES = {
    "protected": ("✔", "good"),
    "succeeds": ("✔", "good"),
    "victim": ("●", "neutral"),
    "met": ("✔", "good"),
    "not_protected": ("✘", "bad"),
    "fails": ("✘", "bad"),
    "not_victim": ("○", "neutral"),
    "not_met": ("✘", "bad"),
    "discretionary": ("◐", "mixed"),
    "conditional": ("◐", "mixed"),
    "guidance": ("ℹ", "neutral"),
}

CSS = """
<style>
.npk { font-size: 1.05rem; line-height: 1.5; max-width: 72rem; }
.npk h2, .npk h3 { margin: .6em 0 .3em; }
.npk-badge { display: inline-block; padding: 0 .45em; border-radius: .3em; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap; }
.npk-good { color: #0b5d1e; background: #e3f4e6; }
.npk-bad { color: #8a1010; background: #fbe6e6; }
.npk-mixed { color: #6b4a00; background: #fff3d6; }
.npk-neutral { color: #1f3a66; background: #e7eefb; }
.npk table { border-collapse: collapse; margin: .4em 0; }
.npk th, .npk td { border: 1px solid #b8b8b8; padding: .25em .5em; text-align: left;
  vertical-align: top; }
.npk th { background: #f0f0f0; }
.npk details { margin: .15em 0 .15em 1em; }
.npk summary { cursor: pointer; }
.npk summary:focus-visible, .npk a:focus-visible { outline: 3px solid #1f5fbf; }
.npk .npk-source { color: #444; font-size: .9em; }
.npk .npk-passage { border-left: 4px solid #9bb3d6; padding: .2em .6em; margin: .4em 0; }
.npk .npk-error { border: 2px solid #8a1010; background: #fff5f5; padding: .5em .8em; }
.npk .npk-note { border: 1px solid #6b4a00; background: #fffaf0; padding: .4em .8em; }
.npk-modnav { display: flex; flex-wrap: wrap; justify-content: space-between; gap: .3em 1.5em;
  padding: .2em 0 .5em; border-bottom: 1px solid #c9ced8; margin-bottom: .3em; }
.npk-modnav a { font-weight: 600; text-underline-offset: .2em; }
.npk-learner-line { margin: .2em 0; padding: .3em .7em; border-left: 4px solid #1f5fbf;
  background: #f5f8fd; }
.npk .npk-mark { display: inline-block; margin-left: .3em; padding: 0 .35em; font-size: .85em;
  font-weight: 600; border: 1px dashed #6b4a00; color: #6b4a00; background: #fffaf0;
  border-radius: .3em; }
.npk-sr { position: absolute; left: -10000px; width: 1px; height: 1px; overflow: hidden; }
</style>
"""


def esc(text: object) -> str:
    """Escape text for an HTML widget. Use it on everything from a case file or a trainee."""
    return html.escape(str(text), quote=True)


def words(term: str) -> str:
    return str(term).replace("_", " ")


def badge(outcome: str) -> str:
    symbol, kind = BADGES.get(outcome, ("•", "neutral"))
    return (f'<span class="npk-badge npk-{kind}">'
            f'<span aria-hidden="true">{symbol}</span> {esc(words(outcome))}</span>')


def marks_html(marks: Iterable[Confidence]) -> str:
    """The caveats an outcome rests on, in words (never colour alone): one tag per mark,
    "npkit's reading", "from outside npkit's sources: verify before use"; '' for none."""
    # the space keeps the words apart for a screen reader and in copied text
    return "".join(f' <span class="npk-mark" data-mark="{esc(m.value)}">{esc(m.label)}</span>'
                   for m in marks if m.is_caveat)


def outcome_html(node: Finding) -> str:
    """The outcome badge and, beside it, the caveats the engine says it rests on."""
    return badge(node.outcome) + marks_html(node.marks)


def html_box(body: str, **layout) -> w.HTML:
    """An HTML widget wrapped in the suite's style; ``body`` must already be escaped."""
    return w.HTML(f'{CSS}<div class="npk">{body}</div>', layout=w.Layout(**layout))


def reasons_html(node: Finding) -> str:
    items = "".join(
        f"<li>{esc(r.text)} <span class='npk-source'>({esc(r.source)})</span></li>"
        for r in node.reasons
    )
    return f"<ul>{items}</ul>" if items else ""


def tree_html(node: Finding, *, open_depth: int = 1, _depth: int = 0) -> str:
    """A finding and its children as nested <details>: native keyboard support, no script."""
    label = f"{esc(node.title)}: {outcome_html(node)}"
    inner = reasons_html(node) + "".join(
        tree_html(c, open_depth=open_depth, _depth=_depth + 1) for c in node.children
    )
    opened = " open" if _depth < open_depth else ""
    return f"<details{opened}><summary>{label}</summary>{inner}</details>"


def finding_tree(node: Finding, **kw) -> w.HTML:
    return html_box(tree_html(node, **kw))


def error_panel(title: str, lines: Iterable[str]) -> w.HTML:
    """A readable message, never a traceback: what went wrong and what still works."""
    items = "".join(f"<li><code>{esc(line)}</code></li>" for line in lines)
    return html_box(f'<div class="npk-error" role="alert"><strong>{esc(title)}</strong>'
                    f"<ul>{items}</ul></div>")


def disclaimer() -> w.HTML:
    return html_box(f'<p class="npk-note" role="note">{esc(DISCLAIMER)}</p>')


def case_html(case, *, show_tags: bool = False) -> str:
    passages = "".join(
        f'<p class="npk-passage">{esc(p.text)}'
        + (f"<br><span class='npk-source'>{esc(', '.join(p.tags))}</span>"
           if show_tags and p.tags else "")
        + "</p>"
        for p in case.narrative
    )
    person = case.person
    age = f"{person.age}" if person.age is not None else "age unknown"
    charges = "".join(f"<li>{esc(o.charge)} ({esc(words(o.category))} offence)</li>"
                      for o in case.offences)
    return (f"<h3>{esc(case.title)}</h3>"
            f"<p><strong>{esc(person.pseudonym)}</strong>, {esc(age)}. "
            f"<em>Lesson:</em> {esc(case.lesson)}</p>{passages}"
            f"<p><strong>Charged with:</strong></p><ul>{charges}</ul>"
            f"<p class='npk-source'>Story told in npkit's words; source: "
            f"{esc(case.source.text)}</p>")


def case_viewer(case, **kw) -> w.HTML:
    return html_box(case_html(case, **kw))


def case_picker(cases, value: str | None = None, description: str = "Case") -> w.Dropdown:
    """A labelled dropdown of cases (label: title, value: id)."""
    options = [(c.title, c.id) for c in cases]
    ids = [c.id for c in cases]
    return w.Dropdown(options=options, value=value if value in ids else ids[0],
                      description=description, style={"description_width": "initial"},
                      layout=w.Layout(width="36rem"))


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
    from npkit.course.training.modules import MODULES

    q = esc(keep_query(query))
    order = [m.number for m in MODULES]
    i = order.index(number)
    links = []
    if i > 0:
        p = MODULES[i - 1]
        links.append(f'<a href="{esc(p.notebook)}{q}" rel="prev" data-npk-nav>'
                     f'<span aria-hidden="true">←</span> Module {p.number}: {esc(p.title)}</a>')
    else:
        links.append("<span></span>")
    links.append(f'<a href="{esc(MODULES[0].notebook)}{q}" data-npk-nav data-npk-home>'
                 "All modules</a>")
    if i + 1 < len(MODULES):
        n = MODULES[i + 1]
        links.append(f'<a href="{esc(n.notebook)}{q}" rel="next" data-npk-nav>'
                     f'Module {n.number}: {esc(n.title)} <span aria-hidden="true">→</span></a>')
    else:
        links.append("<span></span>")
    return f'<nav class="npk-modnav" aria-label="Modules">{"".join(links)}</nav>'


class ModuleHeader(w.VBox):
    """What ``module_header`` displays: ``nav`` (previous / all / next modules), ``heading``
    (title, time, objectives) and ``learner``, an HTML slot that is hidden while empty.

    Other code fills the slot: ``header.show_learner(code, nick, note)`` (escapes everything),
    or set ``header.learner.value`` to already-escaped HTML. ``header.set_query(qs)`` bakes the
    page's query string into the links once the kernel knows it."""

    def __init__(self, number: int):
        from npkit.course.training.modules import MODULES

        m = next(m for m in MODULES if m.number == number)
        self.number = number
        goals = "".join(f"<li>{esc(o)}</li>" for o in m.objectives)
        self.nav = html_box(nav_html(number))
        self.heading = html_box(f"<h1>Module {m.number}: {esc(m.title)}</h1>"
                                f"<p><strong>Time:</strong> about {m.minutes} minutes.</p>"
                                f"<p><strong>You will:</strong></p><ul>{goals}</ul>")
        self.learner = w.HTML("", layout=w.Layout(display="none"))
        self.learner.observe(self._toggle_learner, names="value")
        super().__init__([self.nav, self.heading, self.learner])
        self.add_class("npk-module-header")

    def _toggle_learner(self, change) -> None:
        self.learner.layout.display = None if change["new"] else "none"

    def show_learner(self, code: str | None, nick: str | None = None,
                     note: str | None = None) -> None:
        """Say whose answers are kept (or, with no code, that they are not)."""
        if code:
            who = f"<strong>{esc(code)}</strong>" + (f" ({esc(nick)})" if nick else "")
            text = f"Your answers are kept for {who}."
        else:
            text = "Your answers on this page are not kept between visits."
        extra = f" {esc(note)}" if note else ""
        self.learner.value = (f'{CSS}<div class="npk"><p class="npk-learner-line" role="status">'
                              f"{text}{extra}</p></div>")

    def set_query(self, query: str | None) -> None:
        self.nav.value = html_box(nav_html(self.number, query)).value


def module_header(number: int) -> ModuleHeader:
    """Navigation, title, time and learning objectives of a module (from the catalogue), and
    the learner slot."""
    return ModuleHeader(number)


def library_or_errors():
    """The case library, and a widget naming every broken case file (empty when none is), so a
    notebook can always ``display`` it without deciding anything."""
    from npkit.casefile.library import library

    result = library()
    panel = w.HTML("")
    if result.errors:
        panel = error_panel(
            "Some case files could not be read; every other case still works.",
            [str(e) for e in result.errors])
    return result.cases, panel
