"""pandas views: one row per outcome, and the case x model x jurisdiction matrix.

Every row and cell shows what the engine decided: the decisive reason it names, and the caveats
(npkit's reading, law from outside npkit's sources) the outcome rests on."""

from __future__ import annotations

from collections.abc import Iterable

from npkit.law.registry import GROUPS
from npkit.render.marks import international_analogue, marks_words


def outcomes_frame(a):
    import pandas as pd

    rows = []
    for group in GROUPS:
        for key, node in getattr(a.evaluation, group).items():
            rows.append({
                "case": a.case.id, "offence": a.facts.offence_id, "group": group, "test": key,
                "title": node.title, "outcome": node.outcome, **_why(node),
            })
    rows.insert(0, {"case": a.case.id, "offence": a.facts.offence_id, "group": "victim",
                    "test": "victim", "title": a.victim.title, "outcome": a.victim.outcome,
                    **_why(a.victim)})
    return pd.DataFrame(rows)


def _why(node) -> dict[str, str]:
    r = node.decisive
    from npkit.render.words import reason_text

    return {"because": reason_text(r) if r else "", "source": str(r.source) if r else "",
            "marks": marks_words(node.marks)}


def matrix(cases: Iterable) -> pd.DataFrame:  # noqa: F821
    """Cases x (victim, duress variants, models, jurisdictions) outcome table.

    The cells are outcome words only (other code compares them); ``table.attrs["marks"]`` maps
    ``(case, column)`` to the caveats, in words, that the outcome in that cell rests on, and
    ``table.attrs["analogues"]`` lists the columns of international-criminal-law analogues."""
    import pandas as pd

    from npkit.engine.assessment import assess

    records, marks, analogues = {}, {}, set()
    for case in cases:
        a = assess(case, counterfactuals=False)
        records[case.id] = {k.removesuffix(".outcome"): v for k, v in a.outcomes().items()
                            if k.endswith(".outcome")}
        for column, node in _nodes(a):
            if node.marks:
                marks[(case.id, column)] = marks_words(node.marks)
            if international_analogue(node):
                analogues.add(column)
    table = pd.DataFrame.from_dict(records, orient="index").rename_axis("case")
    table.attrs["marks"] = marks
    table.attrs["analogues"] = sorted(analogues)
    return table


def _nodes(a):
    """(matrix column, finding) for every outcome the matrix shows."""
    e = a.evaluation
    yield "victim", e.victim
    for group in GROUPS:
        for key, node in getattr(e, group).items():
            yield f"{group}.{key}", node


def matrix_markdown(table) -> str:
    """The matrix as a Markdown table (no optional dependency such as tabulate needed)."""
    from npkit.render.markdown import esc
    from npkit.render.marks import analogue_label

    marks = table.attrs.get("marks", {})
    cols = [str(c) for c in table.columns]
    analogues = set(table.attrs.get("analogues", ()))
    heads = [f"{c} ({analogue_label().lower()})" if c in analogues else c for c in cols]
    lines = ["| case | " + " | ".join(esc(c) for c in heads) + " |",
             "|---" * (len(cols) + 1) + "|"]
    for case_id, row in table.iterrows():
        cells = []
        for col, v in zip(cols, row.tolist(), strict=True):
            cell = str(v).replace("_", " ")
            mark = marks.get((case_id, col))
            cells.append(esc(f"{cell} [{mark}]" if mark else cell))
        lines.append(f"| {esc(case_id)} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
