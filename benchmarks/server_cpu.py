"""The course server's own CPU per visit: the Voila process alone (not its kernels), one
protocol-level trainee at a time (benchmarks/room.py), floor notebook and scenario lab in turn.

A visit is counted from a quiet server with every page's preheated kernel ready, through the
trainee's page, learner check and widget states, the page left (kernel shut down), to the
page's pool refilled (the server runs the page again in a new kernel: that is part of what a
visit costs it) and the server quiet again. Process CPU (every thread's time on a CPU,
from /proc), median of ``--repeats`` visits per page; the load average is printed beside it.

    python -m benchmarks.server_cpu [--repeats 5] [--profile DIR]

``--profile DIR`` records the server with py-spy (if installed) during each visit:
``DIR/<page>.<i>.txt`` (raw stacks). ``--cprofile DIR`` profiles it with cProfile instead
(benchmarks/voila_probe.py), the visits of a page in ``DIR/<page>.<i>.prof``: exact call
counts. Each visit lists the full collections of the server's garbage collector during it
(``full_collections_ms``, process CPU each).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from . import room as room_mod
from . import site as site_mod

LAB = "05_scenario_lab.ipynb"
GC2 = re.compile(r"npkit-bench: gc2 ([\d.]+) (\d+)")
PAGES = (site_mod.FLOOR, LAB)


def server_cpu(pid: int) -> float:
    """Seconds on a CPU of every thread of ``pid`` (/proc/<pid>/task/*/schedstat, in ns: finer
    than the 10 ms ticks of /proc/<pid>/stat; the server's threads live as long as it does)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            total += int((task / "schedstat").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            continue
    return total / 1e9


def visit(site, notebook: str, label: str, profile: bool = False) -> dict:
    site.wait_for_pool()
    room_mod.quiet(site.process.pid, below=0.05)
    load = os.getloadavg()[0]
    if profile:
        site.process.send_signal(signal.SIGUSR1)
    gc_before = len(GC2.findall(site.log_text()))
    before = server_cpu(site.process.pid)
    result = asyncio.run(room_mod.room(site, 1, notebook, label=label, deflate=True,
                                       log=lambda *a: None))
    site.wait_for_pool()
    room_mod.quiet(site.process.pid, below=0.05)
    after = server_cpu(site.process.pid)
    if profile:
        site.process.send_signal(signal.SIGUSR1)
    full = [float(ms) for ms, _ in GC2.findall(site.log_text())[gc_before:]]
    t = result["trainee_details"][0]
    return {"server_cpu_ms": round(1000 * (after - before), 1), "load": round(load, 2),
            "full_collections_ms": full,
            "errors": t["errors"], "state_bytes": t["state_bytes"],
            "state_deflated_bytes": t["state_deflated_bytes"], "states": t["widget_states"],
            "page_bytes": t["page_bytes"]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m benchmarks.server_cpu")
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--profile", type=Path)
    p.add_argument("--cprofile", type=Path)
    p.add_argument("--output", type=Path)
    args = p.parse_args(argv)
    results: dict[str, list[dict]] = {page: [] for page in PAGES}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        names = site_mod.prepare_notebooks(tmp / "notebooks", PAGES)  # a quieter server
        if args.cprofile:
            args.cprofile.mkdir(parents=True, exist_ok=True)
            os.environ["NPKIT_BENCH_PROFILE"] = str(args.cprofile.resolve())
        os.environ["NPKIT_BENCH_GC"] = "1"
        site = site_mod.start(tmp, notebooks=names)
        try:
            for page in PAGES:  # a warm-up visit each, not counted
                visit(site, page, f"warm-{page}")
            spies = {}
            for i in range(args.repeats):
                for page in PAGES:
                    spy = None
                    if args.profile and shutil.which("py-spy"):
                        args.profile.mkdir(parents=True, exist_ok=True)
                        spy = subprocess.Popen(
                            ["py-spy", "record", "--pid", str(site.process.pid), "--format",
                             "raw", "--rate", "500", "--nonblocking", "-o",
                             str(args.profile / f"{page}.{i}.txt")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                    results[page].append(visit(site, page, f"v{i}-{page}",
                                               profile=bool(args.cprofile)))
                    if spy is not None:
                        spy.send_signal(signal.SIGINT)
                        spy.wait()
                        spies[page] = True
                    print(page, results[page][-1], flush=True)
        finally:
            site.stop()
    summary = {page: {"server_cpu_ms_median": statistics.median(
                   v["server_cpu_ms"] for v in visits),
                      "server_cpu_ms": [v["server_cpu_ms"] for v in visits],
                      "load": [v["load"] for v in visits],
                      "full_collections_ms": [v["full_collections_ms"] for v in visits],
                      "state_bytes": sorted({v["state_bytes"] for v in visits}),
                      "state_deflated_bytes": sorted({v["state_deflated_bytes"]
                                                      for v in visits}),
                      "errors": sum(bool(v["errors"]) for v in visits)}
               for page, visits in results.items()}
    print(json.dumps(summary, indent=1))
    if args.output:
        args.output.write_text(json.dumps({"summary": summary, "visits": results}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
