"""The non-punishment models: how each links the offence to the trafficking."""

from __future__ import annotations

from collections.abc import Callable

from ..facts import Facts
from ..findings import Finding
from .causation import causation, causation_direct, causation_temporal
from .closed_list import closed_list
from .compulsion import compulsion_broad, compulsion_strict
from .dual_factor import dual_factor
from .presumption import presumption

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
