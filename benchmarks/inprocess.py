"""The in-process figures: ``import npkit`` in a fresh interpreter, assessing every case, one
edit in the scenario lab, and the trainer's live view refreshed with fifty participants.

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
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

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
    from npkit.engine.assessment import _MEMO, _OUTCOMES, assess
    from npkit.law.models import MODELS

    result = library()
    if result.errors:
        raise RuntimeError(f"the case library has errors: {result.errors}")
    cases = list(result.cases)

    def run() -> tuple[float, float, int, int]:
        gc.collect()
        start, cpu = time.perf_counter(), time.process_time()
        found = rows = 0
        for case in cases:
            a = assess(case)
            found += len(a.counterfactuals)
            rows += len(a.models) + len(a.jurisdictions) + len(a.duress) + len(a.instruments)
        return ((time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000,
                found, rows)

    run()  # imports and the law data, loaded once per kernel: not part of the figure
    caches = result_caches()
    samples, cpu_samples = [], []
    for _ in range(repeats):
        for clear in caches.values():
            clear()
        ms, cpu_ms, counterfactuals, rows = run()
        samples.append(ms)
        cpu_samples.append(cpu_ms)
    # law findings worked out (memo misses) in the last cold run, worded or outcomes only
    computed = _MEMO.size + _OUTCOMES.size
    warm, _, _, _ = run()  # the same again with every cache kept: what a second call costs
    a = assess(cases[0], counterfactuals=False)
    return {
        "median_ms": round(statistics.median(samples), 1),
        "samples_ms": [round(s, 1) for s in samples],
        # CPU time of this process: what a loaded machine does not stretch
        "median_cpu_ms": round(statistics.median(cpu_samples), 1),
        "samples_cpu_ms": [round(s, 1) for s in cpu_samples],
        "warm_ms": round(warm, 1),
        "cases": len(cases),
        "models": len(MODELS),
        "jurisdictions": len(a.jurisdictions),
        "findings_per_run": rows,
        "counterfactuals_per_run": counterfactuals,
        "findings_computed_per_run": computed,
        "caches_cleared": sorted(caches),
    }


def _ms(samples: list[float]) -> dict:
    return {"median_ms": round(statistics.median(samples), 2),
            "max_ms": round(max(samples), 2),
            "samples_ms": [round(s, 2) for s in samples]}


def lab_edit(edits: int = 50) -> dict:
    """One fact ticked or unticked in the scenario lab, inside the kernel: the engine run again
    and the outcome matrix redrawn (the browser's round trip on top is ``toggles``)."""
    from npkit.casefile.library import library
    from npkit.course.widgets.scenario_lab import ScenarioLab

    lab = ScenarioLab(library().cases, start="jane")
    box = lab.quick["imminent_threat"]
    box.value = not box.value  # the first edit fills the engine's caches: not counted
    samples = []
    for _ in range(edits):
        start = time.perf_counter()
        box.value = not box.value
        samples.append((time.perf_counter() - start) * 1000)
    return {**_ms(samples), "edits": edits}


def trainer_refresh(repeats: int = 5, participants: int = 50) -> dict:
    """The trainer's live view of a question that ``participants`` answered, on SQLite: a
    redraw (``refresh(force=True)``), and a refresh that finds nothing new (what the poll
    loop does every few seconds)."""
    from npkit.casefile.library import library
    from npkit.course.widgets.workshop_trainer import TrainerPage
    from npkit.store.learners import Store
    from npkit.store.workshop import Workshop

    with tempfile.TemporaryDirectory(prefix="npkit-bench-") as tmp:
        store = Store.open(Path(tmp) / "store.sqlite")
        try:
            ws = Workshop(store)
            page = TrainerPage(library().cases, workshop=ws)
            page.case.value = "jane"
            page.start_button.click()
            if not page.code:
                raise RuntimeError(f"the trainer page did not start: {page.status.value}")
            for n in range(participants):
                seat = ws.join(page.code, f"P{n}")
                ws.answer(page.code, seat.token, "duress-ew", "fails" if n % 3 else "succeeds")
            redraw, unchanged = [], []
            for _ in range(repeats):
                start = time.perf_counter()
                page.refresh(force=True)
                redraw.append((time.perf_counter() - start) * 1000)
            for _ in range(repeats):
                start = time.perf_counter()
                page.refresh()
                unchanged.append((time.perf_counter() - start) * 1000)
            page.close()
        finally:
            store.close()
    return {**_ms(redraw), "unchanged": _ms(unchanged), "participants": participants}
