"""Plain-text report: outcomes first, then the reasons with their sources."""

from __future__ import annotations

from textwrap import indent

from npkit import DISCLAIMER
from npkit.engine.findings import Finding
from npkit.render.marks import analogue_label, international_analogue, outcome_words

MARK = {True: "[yes]", False: "[no] ", None: "[?]  "}


def _lines(f: Finding, depth: int = 0, *, with_sources: bool = True) -> list[str]:
    out = [f"{'  ' * depth}{MARK[f.holds]} {f.title}: {f.outcome.replace('_', ' ')}"]
    for r in f.reasons:
        out.append(f"{'  ' * depth}      - {r.text}")
        if with_sources:
            out.append(f"{'  ' * depth}        ({r.source})")
    for c in f.children:
        out.extend(_lines(c, depth + 1, with_sources=with_sources))
    return out


def _duress_name(key: str, node: Finding) -> str:
    return f"{key}, {analogue_label().lower()}" if international_analogue(node) else key


def summary(a) -> list[str]:
    """One line per outcome; an outcome that rests on npkit's reading or on law from outside
    npkit's sources says so in brackets on its own line."""
    e = a.evaluation
    rows = [f"Victim of trafficking: {outcome_words(e.victim)}"]
    rows += [f"Duress ({_duress_name(k, v)}): {outcome_words(v)}" for k, v in e.duress.items()]
    rows += [f"Model {k}: {outcome_words(v)}" for k, v in e.models.items()]
    rows.append("States: " + ", ".join(f"{k} {outcome_words(v)}"
                                       for k, v in e.jurisdictions.items()))
    return rows


def to_text(a) -> str:
    o = a.offence
    head = [
        a.case.title,
        f"Charge: {o.charge} ({o.category} offence), period '{a.facts.period_id}'",
        f"Story: {a.case.source.text}",
        "",
        *summary(a),
        "",
        "Why:",
    ]
    body = _lines(a.tree)[1:]
    cfs = ["", "What would have to change:"] + [
        indent(c.sentence(), "  ") for c in a.counterfactuals
    ] if a.counterfactuals else []
    return "\n".join(head + body + cfs + ["", DISCLAIMER]) + "\n"
