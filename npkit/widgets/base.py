"""Shared building blocks: escaping, outcome badges (symbol + word, never colour alone), the
finding tree, the case viewer and the error panel."""

from __future__ import annotations

import html
from collections.abc import Iterable

import ipywidgets as w

from .. import DISCLAIMER
from ..findings import Finding

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
    label = f"{esc(node.title)}: {badge(node.outcome)}"
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


def module_header(number: int) -> w.HTML:
    """Title, time and learning objectives of a module, from the catalogue."""
    from ..training.modules import MODULES

    m = MODULES[number]
    goals = "".join(f"<li>{esc(o)}</li>" for o in m.objectives)
    return html_box(f"<h1>Module {m.number}: {esc(m.title)}</h1>"
                    f"<p><strong>Time:</strong> about {m.minutes} minutes.</p>"
                    f"<p><strong>You will:</strong></p><ul>{goals}</ul>")


def library_or_errors():
    """The case library, and a widget naming every broken case file (empty when none is), so a
    notebook can always ``display`` it without deciding anything."""
    from ..library import library

    result = library()
    panel = w.HTML("")
    if result.errors:
        panel = error_panel(
            "Some case files could not be read; every other case still works.",
            [str(e) for e in result.errors])
    return result.cases, panel
