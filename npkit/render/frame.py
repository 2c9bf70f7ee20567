"""pandas views: one row per outcome, and the case x model x jurisdiction matrix."""

from __future__ import annotations

from collections.abc import Iterable


def outcomes_frame(a):
    import pandas as pd

    rows = []
    for group in ("duress", "models", "jurisdictions", "instruments"):
        for key, node in getattr(a.evaluation, group).items():
            rows.append({
                "case": a.case.id, "offence": a.facts.offence_id, "group": group, "test": key,
                "title": node.title, "outcome": node.outcome,
                "because": node.reasons[-1].text if node.reasons else "",
                "source": str(node.reasons[-1].source) if node.reasons else "",
            })
    rows.insert(0, {"case": a.case.id, "offence": a.facts.offence_id, "group": "victim",
                    "test": "victim", "title": a.victim.title, "outcome": a.victim.outcome,
                    "because": a.victim.reasons[0].text,
                    "source": str(a.victim.reasons[0].source)})
    return pd.DataFrame(rows)


def matrix(cases: Iterable) -> pd.DataFrame:  # noqa: F821
    """Cases x (victim, duress variants, models, jurisdictions) outcome table."""
    import pandas as pd

    from ..assessment import assess

    records = {}
    for case in cases:
        a = assess(case, counterfactuals=False)
        records[case.id] = {k.removesuffix(".outcome"): v for k, v in a.outcomes().items()
                            if k.endswith(".outcome")}
    return pd.DataFrame.from_dict(records, orient="index").rename_axis("case")


def matrix_markdown(table) -> str:
    """The matrix as a Markdown table (no optional dependency such as tabulate needed)."""
    from .markdown import esc

    cols = [str(c) for c in table.columns]
    lines = ["| case | " + " | ".join(esc(c) for c in cols) + " |",
             "|---" * (len(cols) + 1) + "|"]
    for case_id, row in table.iterrows():
        cells = [esc(str(v).replace("_", " ")) for v in row.tolist()]
        lines.append(f"| {esc(case_id)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
