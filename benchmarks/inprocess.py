"""The in-process figures: ``import npkit`` in a fresh interpreter, and assessing every case.

``assess_all``: every case of the library
(``npkit.casefile.library.library()``, i.e. ``cases/`` or ``$NPKIT_CASES``) through
:func:`npkit.engine.assessment.assess`, which applies every duress variant, every
non-punishment model, every ASEAN jurisdiction and every instrument to the principal
charge (and evaluates the other charges), plus the counterfactual search (on by default).
Each repeat starts cold: every result cache in npkit is cleared first (found by looking for
``cache_clear`` in npkit's modules, so a cache added later is cleared too); only the law data
and case files, read once per process in any kernel, stay loaded.
"""

from __future__ import annotations

import gc
import statistics
import subprocess
import sys
import time
from collections.abc import Callable

# Caches of data read from files (law data, case files): loaded once per kernel, not "work".
DATA_MODULES = ("npkit.law.jurisdiction_data", "npkit.casefile.library", "npkit.casefile.loader")

IMPORT_PROBE = ("import time; t = time.perf_counter(); import npkit; "
                "print((time.perf_counter() - t) * 1000)")


def import_ms(repeats: int = 5) -> dict:
    """``import npkit`` in ``repeats`` fresh interpreters (this venv's Python)."""
    samples = []
    for _ in range(repeats):
        out = subprocess.run([sys.executable, "-c", IMPORT_PROBE], capture_output=True,
                             text=True, check=True)
        samples.append(float(out.stdout.strip().splitlines()[-1]))
    return {"median_ms": round(statistics.median(samples), 2),
            "samples_ms": [round(s, 2) for s in samples]}


def result_caches() -> dict[str, Callable[[], None]]:
    """Every ``cache_clear`` in npkit's loaded modules except the data loaders', by name."""
    found = {}
    for name, module in list(sys.modules.items()):
        if not (name == "npkit" or name.startswith("npkit.")) or name in DATA_MODULES:
            continue
        for attr, value in list(vars(module).items()):
            clear = getattr(value, "cache_clear", None)
            if callable(clear) and getattr(value, "__module__", None) == name:
                found[f"{name}.{attr}"] = clear
    return found


def assess_all(repeats: int = 5) -> dict:
    """Assess every case (with counterfactuals) ``repeats`` times, each from cold caches."""
    from npkit.casefile.library import library
    from npkit.engine.assessment import assess
    from npkit.law.models import MODELS

    result = library()
    if result.errors:
        raise RuntimeError(f"the case library has errors: {result.errors}")
    cases = list(result.cases)

    def run() -> tuple[float, int, int]:
        gc.collect()
        start = time.perf_counter()
        found = rows = 0
        for case in cases:
            a = assess(case)
            found += len(a.counterfactuals)
            rows += len(a.models) + len(a.jurisdictions) + len(a.duress) + len(a.instruments)
        return (time.perf_counter() - start) * 1000, found, rows

    run()  # imports and the law data, loaded once per kernel: not part of the figure
    caches = result_caches()
    samples = []
    for _ in range(repeats):
        for clear in caches.values():
            clear()
        ms, counterfactuals, rows = run()
        samples.append(ms)
    warm, _, _ = run()  # the same again with every cache kept: what a second call costs
    a = assess(cases[0], counterfactuals=False)
    return {
        "median_ms": round(statistics.median(samples), 1),
        "samples_ms": [round(s, 1) for s in samples],
        "warm_ms": round(warm, 1),
        "cases": len(cases),
        "models": len(MODELS),
        "jurisdictions": len(a.jurisdictions),
        "findings_per_run": rows,
        "counterfactuals_per_run": counterfactuals,
        "caches_cleared": sorted(caches),
    }
