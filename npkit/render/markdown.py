"""Markdown report: tables of outcomes, then the reasons with sources as footnote-style lists.

Case text is escaped so that a narrative or charge cannot inject markup into a rendered page."""

from __future__ import annotations

import html

from npkit import DISCLAIMER
from npkit.engine.findings import Finding
from npkit.render.marks import analogue_label, analogue_text, international_analogue, outcome_words

WORD = {True: "yes", False: "no", None: "open"}


def esc(text: str) -> str:
    """Escape HTML and the Markdown characters that would change a table or add a link."""
    text = html.escape(str(text), quote=False)
    for ch in "\\`*_[]|<>#":
        text = text.replace(ch, "\\" + ch)
    return text


def _node(f: Finding, depth: int) -> list[str]:
    pad = "  " * depth
    out = [f"{pad}- **{esc(f.title)}**: {esc(f.outcome.replace('_', ' '))}"]
    for r in f.reasons:
        out.append(f"{pad}  - {esc(r.text)} *({esc(str(r.source))})*")
    for c in f.children:
        out.extend(_node(c, depth + 1))
    return out


def _table(title: str, nodes: dict[str, Finding]) -> list[str]:
    """One row per node: the outcome with the caveats it rests on, and the reason the engine
    names as decisive."""
    rows = [f"### {title}", "", "| | outcome | because |", "|---|---|---|"]
    for key, n in nodes.items():
        name = f"{key} ({analogue_label().lower()})" if international_analogue(n) else key
        because = n.decisive.text if n.decisive else ""
        rows.append(f"| {esc(name)} | {esc(outcome_words(n))} | {esc(because)} |")
    return rows + [""]


def to_markdown(a) -> str:
    e, o = a.evaluation, a.offence
    out = [
        f"# {esc(a.case.title)}",
        "",
        f"*Charge:* {esc(o.charge)} ({esc(o.category)} offence). "
        f"*Story:* {esc(a.case.source.text)}.",
        "",
        f"**Victim of trafficking:** {esc(outcome_words(e.victim))}",
        "",
    ]
    out += _table("Duress", e.duress)
    if any(international_analogue(n) for n in e.duress.values()):
        out += [f"*{esc(analogue_text())}*", ""]
    out += _table("Non-punishment models", e.models)
    out += _table("ASEAN Member States", e.jurisdictions)
    if a.counterfactuals:
        out += ["### What would have to change", ""]
        out += [f"- {esc(c.sentence())}" for c in a.counterfactuals] + [""]
    out += ["## Reasons and sources", ""]
    out += _node(a.tree, 0)[1:]
    out += ["", f"> {esc(DISCLAIMER)}", ""]
    return "\n".join(out)
