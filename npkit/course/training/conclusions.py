"""One-line conclusions for the cells whose output nbval checks, e.g.
``Jane: duress (England & Wales) fails``."""

from __future__ import annotations

from npkit.casefile.library import get_case
from npkit.engine.assessment import assess
from npkit.law.duress import VARIANTS

LABELS = {
    "victim": "victim of trafficking",
    **{f"duress.{k}": f"duress under {v.title}" for k, v in VARIANTS.items()},
}


def conclusion(case_id: str, path: str) -> str:
    """The outcome at ``path`` (e.g. ``duress.england_wales``) for a case in the library."""
    case = get_case(case_id)
    outcomes = assess(case, counterfactuals=False).outcomes()
    outcome = outcomes[f"{path}.outcome"]
    label = LABELS.get(path, path.replace("models.", "model ").replace("jurisdictions.", ""))
    return f"{case.person.pseudonym}: {label}: {outcome.replace('_', ' ')}"


def stop_line(case_id: str) -> str:
    """Where the principle should stop the process (:func:`npkit.law.stages.stop_sentence`)
    for a case in the library, e.g. ``Sarah: the principle does not stop the process``."""
    from npkit.law.stages import stop_sentence  # module 6 only: modules 1-5 import this file

    return stop_sentence(assess(get_case(case_id), counterfactuals=False))
