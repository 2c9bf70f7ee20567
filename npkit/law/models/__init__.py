"""The non-punishment models: how each links the offence to the trafficking."""

from __future__ import annotations

from collections.abc import Callable

from npkit.engine.findings import Finding
from npkit.law.facts import Facts
from npkit.law.models.causation import causation, causation_direct, causation_temporal
from npkit.law.models.closed_list import closed_list
from npkit.law.models.compulsion import compulsion_broad, compulsion_strict
from npkit.law.models.dual_factor import dual_factor
from npkit.law.models.presumption import presumption

ModelFn = Callable[[Facts, Finding], Finding]

MODELS: dict[str, ModelFn] = {
    "compulsion_strict": compulsion_strict,
    "compulsion_broad": compulsion_broad,
    "causation": causation,
    "causation_temporal": causation_temporal,
    "causation_direct": causation_direct,
    "closed_list": closed_list,
    "presumption": presumption,
    "dual_factor": dual_factor,
}

__all__ = ["MODELS", "causation", "closed_list", "compulsion_broad", "compulsion_strict",
           "dual_factor", "presumption"]
