"""What one trainee's kernel costs the server: CPU seconds, widget models and widget-state bytes
of every module against Voila's floor notebook (benchmarks/floor.py).

Each sample is a fresh kernel (``python -m ipykernel_launcher``, as Voila starts one, with
``VOILA_KERNEL_ID`` set so the pages take their Voila branch, and no learner in the query
string). The kernel runs the page's code cells in order, as Voila's executor does, then this
script asks the kernel's widget manager for every widget's state over the
``jupyter.widget.control`` comm, as the ipywidgets front end does. The figures are the kernel
process's own CPU (user + system, from /proc/<pid>/stat), not wall-clock time, so they hold on
a loaded machine:

- ``start_cpu_s``: the kernel started and idle (the same for every page);
- ``cells_cpu_s``: running the page's cells;
- ``states_cpu_s``: answering the widget-state request;
- ``total_cpu_s``: all three, what a cold kernel costs per trainee.

``widget_models`` and ``widget_state_bytes`` are the models in that reply and the size of its
JSON. Median of ``--repeats`` kernels per page (5 by default); the pages take turns, so a
change of load falls on all of them alike. One kernel per page runs first, uncounted: it fills
npkit's shared cache (npkit.datacache) as the first kernel of a course does; set
``NPKIT_CACHE_DIR=off`` to measure without it. npkit's modules are compiled to ``.pyc`` first,
as an installed wheel has them: a source checkout run with ``PYTHONDONTWRITEBYTECODE`` would
otherwise compile npkit's ~56 modules again in every kernel (about 0.1 s), which no trainee's
kernel does.

    python -m benchmarks.kernel_cpu                     # scenario lab, its twin and floor
    python -m benchmarks.kernel_cpu --all               # every module
    python -m benchmarks.kernel_cpu --profile build/lab.prof 05_scenario_lab.ipynb
    python -m benchmarks.kernel_cpu --plain             # each kernel a fresh interpreter

By default (on Linux) each kernel is forked from npkit's fork server
(npkit.course.fork_provisioner), as ``npkit course`` starts them: a forked process's CPU counts
from the fork, so the imports the server did once are not in any kernel's figure; the server's
own CPU (paid once per course server) is printed beside the table (``fork_server_cpu_s`` in the
JSON). ``--plain`` (or ``--no-fork``, or ``NPKIT_FORK_KERNELS=0``) starts each as a fresh
``python -m ipykernel_launcher`` (``npkit course --no-fork-kernels``); ``--fork`` forks them
whatever the variable says. The JSON's ``fork_kernels`` says which. Either way the kernel
talks over Unix sockets, as the course's kernels do (``voila.json``).

The scenario lab's widget twin (benchmarks/twin.py: the lab's widget models rebuilt with
ipywidgets alone, made from a run of the lab first) is measured beside the pages, so that the
lab's figure can be split into what a page with its widgets costs and what npkit's code adds;
``--no-twin`` leaves it out.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat

from . import twin
from .site import FLOOR, TWIN, prepare_notebooks

LAB = "05_scenario_lab.ipynb"
TIMEOUT = 300  # s: a busy 2-core machine
CONTROL_PROTOCOL = "1.0.0"  # ipywidgets 8's widget control protocol
VIEW_MIME = "application/vnd.jupyter.widget-view+json"
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of process ``pid`` so far (fields 14 and 15 of /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _code_cells(path: Path) -> list[str]:
    nb = nbformat.read(path, as_version=4)
    return [c.source for c in nb.cells if c.cell_type == "code"]


def _request_states(kc) -> dict:
    """Open the widget manager's control comm and ask for every state, as the front end's
    ``_loadFromKernel`` does; the ``update_states`` reply's content."""
    comm_id = uuid.uuid4().hex
    kc.shell_channel.send(kc.session.msg("comm_open", {
        "comm_id": comm_id, "target_name": "jupyter.widget.control", "data": {}},
        metadata={"version": CONTROL_PROTOCOL}))
    kc.shell_channel.send(kc.session.msg("comm_msg", {
        "comm_id": comm_id, "data": {"method": "request_states"}}))
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        msg = kc.get_iopub_msg(timeout=TIMEOUT)
        content = msg["content"]
        if (msg["msg_type"] == "comm_msg" and content.get("comm_id") == comm_id
                and content["data"].get("method") == "update_states"):
            return content["data"]
    raise TimeoutError("no widget states from the kernel")


def _widget_messages(cell: dict):
    """An output hook noting, into ``cell``, the widget models a cell opens (``comm_open`` on
    ``jupyter.widget``, in order) and the widget views it displays."""
    def hook(msg: dict) -> None:
        content = msg["content"]
        if msg["msg_type"] == "comm_open" and content.get("target_name") == "jupyter.widget":
            cell["opened"].append(content["comm_id"])
        elif msg["msg_type"] == "display_data" and VIEW_MIME in content.get("data", {}):
            cell["displayed"].append(content["data"][VIEW_MIME]["model_id"])
    return hook


def sample(notebook: Path, profile: Path | None = None, keep: bool = False) -> dict:
    """One fresh kernel running ``notebook``: its CPU, widget models and state bytes. With
    ``keep``, also the ``update_states`` reply (``reply``) and, for each code cell, the widget
    models it opened and the ones it displayed (``cells``): what benchmarks.twin rebuilds."""
    from jupyter_client.manager import KernelManager

    env = {**os.environ, "VOILA_KERNEL_ID": f"bench-{uuid.uuid4().hex[:8]}", "QUERY_STRING": ""}
    env.pop("VOILA_PREHEAT", None)
    if keep:  # benchmarks.twin learns from the comm_open messages which cell made which model
        env["NPKIT_WIDGET_OPEN_MESSAGES"] = "1"
    # Over Unix sockets, as the course's kernels (voila.json), in a folder of their own
    sockets = tempfile.mkdtemp(prefix="npk-ipc-")
    km = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"))
    km.start_kernel(env=env, cwd=str(notebook.parent))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=TIMEOUT)
        pid = km.provisioner.process.pid
        start = cpu_seconds(pid)
        cells = _code_cells(notebook)
        if profile:
            cells = ["import cProfile as _cp, time as _t; _prof = _cp.Profile(_t.thread_time); "
                     "_prof.enable()", *cells,
                     f"_prof.disable(); _prof.dump_stats({str(profile)!r})"]
        errors = []
        noted = [{"opened": [], "displayed": []} for _ in cells]
        for source, cell in zip(cells, noted, strict=True):
            hook = _widget_messages(cell) if keep else (lambda m: None)
            reply = kc.execute_interactive(source, timeout=TIMEOUT, output_hook=hook,
                                           store_history=False)
            if reply["content"]["status"] != "ok":
                errors.append(f"{reply['content'].get('ename')}: {reply['content'].get('evalue')}")
        after_cells = cpu_seconds(pid)
        reply = _request_states(kc)
        after_states = cpu_seconds(pid)
        states = reply.get("states", {})
        kept = {"reply": reply, "cells": noted} if keep else {}
        return {
            **kept,
            "start_cpu_s": start,
            "cells_cpu_s": after_cells - start,
            "states_cpu_s": after_states - after_cells,
            "total_cpu_s": after_states,
            "widget_models": len(states),
            "widget_state_bytes": len(json.dumps(states, separators=(",", ":"))),
            "model_kinds": _kinds(states),
            "errors": errors,
            # --fork: the kernel really was forked (else the fork server fell back)
            "forked": type(km.provisioner.process).__name__ == "ForkedProcess",
        }
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        shutil.rmtree(sockets, ignore_errors=True)


def _kinds(states: dict) -> dict:
    kinds: dict[str, int] = {}
    for s in states.values():
        name = s.get("model_name", "?")
        kinds[name] = kinds.get(name, 0) + 1
    return dict(sorted(kinds.items(), key=lambda kv: -kv[1]))


def compile_npkit() -> None:
    """Write npkit's ``.pyc`` files, as ``pip install`` does (a folder that cannot be written,
    an installed package, is left as it is)."""
    from npkit.paths import PACKAGE

    compileall.compile_dir(PACKAGE, quiet=2)


def measure(folder: Path, pages: list[str], repeats: int) -> dict:
    samples: dict[str, list[dict]] = {p: [] for p in pages}
    for page in pages:  # fills npkit's shared cache, as the first kernel of a course does
        sample(folder / page)
    for _ in range(repeats):
        for page in pages:
            samples[page].append(sample(folder / page))
    out = {}
    for page, runs in samples.items():
        med = {k: round(statistics.median(r[k] for r in runs), 3) for k in
               ("start_cpu_s", "cells_cpu_s", "states_cpu_s", "total_cpu_s", "widget_models",
                "widget_state_bytes")}
        med["samples_total_cpu_s"] = [round(r["total_cpu_s"], 3) for r in runs]
        med["model_kinds"] = runs[-1]["model_kinds"]
        med["errors"] = sorted({e for r in runs for e in r["errors"]})
        med["forked"] = sum(r["forked"] for r in runs)
        out[page] = med
    floor = out.get(FLOOR, {}).get("total_cpu_s")
    for med in out.values():
        med["ratio_to_floor"] = round(med["total_cpu_s"] / floor, 2) if floor else None
    return out


def assess_all_cpu(repeats: int = 5) -> dict:
    """:func:`benchmarks.inprocess.assess_all` (every case with counterfactuals, every result
    cache cleared first) timed in CPU seconds of this process instead of wall-clock, so that a
    loaded machine does not stretch it."""
    from npkit.casefile.library import library
    from npkit.engine.assessment import assess

    from .inprocess import result_caches

    cases = list(library().cases)
    for case in cases:
        assess(case)  # imports and law data, once per kernel
    caches = result_caches()
    samples = []
    for _ in range(repeats):
        for clear in caches.values():
            clear()
        start = time.process_time()
        for case in cases:
            assess(case)
        samples.append((time.process_time() - start) * 1000)
    return {"median_cpu_ms": round(statistics.median(samples), 1),
            "samples_cpu_ms": [round(x, 1) for x in samples], "cases": len(cases)}


def table(results: dict) -> str:
    lines = ["| page | kernel CPU s | ÷ floor | start | cells | states | models | state KB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for page, r in results.items():
        lines.append(f"| {page} | {r['total_cpu_s']:.2f} | {r['ratio_to_floor']:.2f}× | "
                     f"{r['start_cpu_s']:.2f} | {r['cells_cpu_s']:.2f} | {r['states_cpu_s']:.2f}"
                     f" | {r['widget_models']:.0f} | {r['widget_state_bytes'] / 1024:.1f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help=f"notebooks (default: {LAB} and the floor)")
    parser.add_argument("--all", action="store_true", help="every module and the floor")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--assess", action="store_true",
                        help="only assess_all in CPU ms (every case, counterfactuals, cold)")
    parser.add_argument("--fork", action=argparse.BooleanOptionalAction, default=None,
                        help="fork the kernels from npkit's fork server (the default on Linux "
                             "unless NPKIT_FORK_KERNELS=0, as npkit course)")
    parser.add_argument("--plain", dest="fork", action="store_const", const=False,
                        help="start each kernel as a fresh Python (the same as --no-fork)")
    parser.add_argument("--no-twin", dest="twin", action="store_false",
                        help="leave out the scenario lab's widget twin (benchmarks/twin.py)")
    parser.add_argument("--profile", type=Path,
                        help="run the first page once under cProfile, write the stats here")
    args = parser.parse_args(argv)
    if args.assess:
        print(json.dumps(assess_all_cpu(args.repeats)))
        return 0
    compile_npkit()
    from npkit.course import fork_provisioner
    from npkit.course.dashboard import forks_kernels

    try:
        args.fork = forks_kernels(args.fork) and not fork_provisioner.forking_unavailable()
    except ValueError as e:  # NPKIT_FORK_KERNELS neither 1 nor 0
        parser.error(str(e))
    if args.fork:
        from jupyter_client.provisioning import KernelProvisionerFactory

        KernelProvisionerFactory.instance().default_provisioner_name = fork_provisioner.NAME
    with tempfile.TemporaryDirectory(prefix="npkit-kcpu-") as tmp:
        folder = Path(tmp)
        names = prepare_notebooks(folder)
        pages = names if args.all else (args.pages or [LAB])
        twin_report = None
        if args.twin or TWIN in pages:
            prepare_notebooks(folder, [TWIN])
            twin_report = twin.read_report(folder)
            pages = [*(p for p in pages if p != TWIN), TWIN]
        if FLOOR not in pages:
            pages = [*pages, FLOOR]
        if args.profile:
            r = sample(folder / pages[0], profile=args.profile.resolve())
            print(f"{pages[0]}: {r['total_cpu_s']:.2f} s CPU; profile in {args.profile}")
            return 0
        results = measure(folder, pages, args.repeats)
    results["fork_kernels"] = args.fork
    if twin_report is not None:
        results["twin"] = twin_report
        if LAB in results and results[TWIN]["total_cpu_s"]:
            results["lab_to_twin"] = round(results[LAB]["total_cpu_s"]
                                           / results[TWIN]["total_cpu_s"], 2)
    if args.fork:
        server = fork_provisioner.fork_server()
        results["fork_server_cpu_s"] = round(cpu_seconds(server.process.pid), 3)
        server.stop()
    print(table({k: v for k, v in results.items() if isinstance(v, dict) and k != "twin"}))
    if args.fork:
        print(f"fork server (once per course server): {results['fork_server_cpu_s']:.2f} s CPU")
    if "lab_to_twin" in results:
        print(f"scenario lab ÷ its widget twin (what npkit's code adds): "
              f"{results['lab_to_twin']:.2f}×")
    for line in (twin_report or {}).get("problems", []):
        print(f"{TWIN} is not the lab's: {line}", file=sys.stderr)
    pages_only = {k: v for k, v in results.items() if isinstance(v, dict) and k != "twin"}
    for page, r in pages_only.items():
        if r["errors"]:
            print(f"{page}: errors in cells: {r['errors']}", file=sys.stderr)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 1 if any(r["errors"] for r in pages_only.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
