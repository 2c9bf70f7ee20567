"""Plain-text report: outcomes first, then the reasons with their sources."""

from __future__ import annotations

from textwrap import indent

from .. import DISCLAIMER
from ..findings import Finding

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


def summary(a) -> list[str]:
    e = a.evaluation
    rows = [f"Victim of trafficking: {e.victim.outcome.replace('_', ' ')}"]
    rows += [f"Duress ({k}): {v.outcome}" for k, v in e.duress.items()]
    rows += [f"Model {k}: {v.outcome.replace('_', ' ')}" for k, v in e.models.items()]
    rows.append("States: " + ", ".join(f"{k} {v.outcome.replace('_', ' ')}"
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
