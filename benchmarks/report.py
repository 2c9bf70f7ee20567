"""The machine and versions, the targets, the table and docs/performance.md."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .site import TWIN

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:table:start -->", "<!-- bench:table:end -->"
PACKAGES = ("voila", "ipywidgets", "jupyter_server", "ipykernel", "jupyter_client", "tornado",
            "playwright", "pydantic")


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    limit: float | None
    unit: str
    # the figure must be <= limit; for a room also with 0 errors (``errors_key``)
    errors_key: str | None = None


TARGETS = (
    # every module (first_render_ratio, per module): the slowest is the one held to it
    Target("first_render_ratio_max", "Every module's first render ÷ Voila's floor, the slowest",
           1.10, "×"),
    Target("toggle_p95_ms", "Fact toggle → matrix redrawn, p95", 100, "ms"),
    Target("toggle_p50_ms", "Fact toggle → matrix redrawn, p50", None, "ms"),
    Target("room_default_lab_s", "Room, default pool", 15, "s",
           errors_key="room_default_lab_errors"),
    Target("room_default_ratio", "Room, default pool: scenario lab ÷ floor", 1.2, "×"),
    # the same room on the scenario lab's widget twin (benchmarks/twin.py) splits that ratio
    Target("room_default_twin_ratio", "Room, default pool: the lab's widget twin (ipywidgets "
           "alone) ÷ floor", None, "×"),
    Target("room_default_lab_to_twin", "Room, default pool: scenario lab ÷ its widget twin "
           "(what npkit's own code adds)", None, "×"),
    Target("bytes_first_module", "Bytes to a trainee's browser, first module", 1_500_000,
           "bytes"),
    Target("bytes_next_module", "Bytes to a trainee's browser, each later module (the largest)",
           150_000, "bytes"),
    Target("widget_models_max", "Widget models in a module's page, the most", 100, ""),
    Target("widget_state_bytes_max", "Widget state of a module's page (JSON, uncompressed), "
           "the most", 60_000, "bytes"),
    Target("kernel_rss_mb", "Scenario lab kernel memory after first render", 150, "MB"),
    Target("room_peak_memory_mb", "make workshop-server ROOM=30: peak memory of the server and "
           "its kernels, the room's arrival and refill included", None, "MB"),
    Target("assess_all_ms", "Assess every case, with counterfactuals", 200, "ms"),
    Target("import_ms", "import npkit", None, "ms"),
    # In the kernel, without the browser: were unit-test limits, moved here (issue 12).
    Target("lab_edit_ms", "Scenario lab: one fact edited, engine and matrix in the kernel, "
           "median", 60, "ms"),
    Target("trainer_refresh_ms", "Trainer's live view redrawn, 50 participants, median",
           500, "ms"),
)


def _run(cmd: list[str]) -> str:
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    return out.stdout.strip()


def memory_mb() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


def machine() -> dict:
    """Cores, memory, load, versions, commit and date: what the figures were measured on."""
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    chromium = _run(["chromium", "--version"])
    commit = _run(["git", "rev-parse", "HEAD"])
    dirty = bool(_run(["git", "status", "--porcelain", "--untracked-files=no"]))
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:
        usable = os.cpu_count()
    return {
        "cores": os.cpu_count(),
        "usable_cores": usable,
        "memory_mb": memory_mb(),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "versions": {**versions, "npkit": _npkit_version()},
        "chromium": chromium or None,
        "git_commit": commit or None,
        "git_dirty": dirty,
        "date": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
    }


def _npkit_version() -> str:
    import npkit

    return npkit.__version__


# ------------------------------------------------------------------ verdicts and the table


def _options(o: dict) -> str:
    if not o:
        return ""
    browsers = (f"; browser room: {o.get('trainees')} trainees, {o.get('pool_size')} preheated "
                f"kernels, refill delay {o.get('refill_delay', 0):g} s"
                if o.get("browser_room") else "")
    rooms = ",".join(str(n) for n in o.get("room_sizes") or [])
    return (f"{o.get('repeats')} visits per page, {o.get('toggles')} toggles"
            f"{f'; rooms of {rooms}' if rooms else ''}{browsers}"
            f"{'; quick run' if o.get('quick') else ''}"
            f"{'' if o.get('all_modules', True) else '; scenario lab and floor only'}.")


def verdict(results: dict, t: Target) -> str:
    value = results.get(t.key)
    if t.limit is None:
        return "(no target)"
    if value is None:
        return "not measured"
    met = value <= t.limit
    if t.errors_key is not None:
        met = met and results.get(t.errors_key) == 0
    return "met" if met else "MISSED"


def _fmt(value, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "bytes":
        return f"{value / 1000:,.0f} KB"
    if isinstance(value, float):
        return f"{value:,.1f} {unit}" if value < 100 else f"{value:,.0f} {unit}"
    if isinstance(value, int):
        return f"{value:,} {unit}".strip()
    return f"{value} {unit}".strip()


def _room_cell(x: dict | None) -> str:
    if not x:
        return "—"
    last = "never" if x.get("server_s") is None else f"{x['server_s']:.1f} s"
    errors = f", {x['errors']} errors" if x.get("errors") else ""
    return f"{last} ({x.get('median_s') or 0:.1f} s){errors}"


def room_table(results: dict) -> list[str]:
    """Each room: the time until the last trainee had every widget state (the median), the
    ratio to the floor, CPU per trainee, peak memory, the benchmark's own CPU, the load; with
    the scenario lab's widget twin beside them where it had rooms."""
    rooms = results.get("rooms") or {}
    if not rooms.get("sizes"):
        return []
    lab_nb = next((nb for nb in rooms.get("default", {}) if nb not in ("floor.ipynb", TWIN)),
                  None)
    twin = any(rooms.get(pool, {}).get(TWIN) for pool in ("default", "workshop"))
    pages = ("floor", "lab", "twin") if twin else ("floor", "lab")
    lines = ["", "Rooms at the protocol level (benchmarks/room.py): the last trainee with every "
             "widget state (median), from the moment all start:", "",
             "| pool | trainees | floor | scenario lab | lab ÷ floor | "
             + ("lab's widget twin | twin ÷ floor | lab ÷ twin | " if twin else "")
             + f"CPU s per trainee ({' / '.join(pages)}) | peak memory ({' / '.join(pages)}) | "
             "benchmark's CPU | load (1 min) |",
             "|---|---:|---:|---:|---:|" + ("---:|---:|---:|" if twin else "")
             + "---:|---:|---:|---:|"]
    for pool, name in (("default", "default (1 per page)"), ("workshop", "workshop (--room N)")):
        for n in rooms["sizes"]:
            by_page = {nb: rooms.get(pool, {}).get(nb, {}).get(str(n))
                       for nb in ("floor.ipynb", lab_nb, TWIN)}
            fl, lab, tw = by_page["floor.ipynb"], by_page[lab_nb], by_page[TWIN]
            if not fl and not lab and not tw:
                continue
            shown = (fl, lab, tw) if twin else (fl, lab)
            ratio = results.get("room_ratio", {}).get(pool, {}).get(str(n))
            cpu = " / ".join(f"{x['cpu_s_per_trainee']:.2f}" if x else "—" for x in shown)
            mem = " / ".join(f"{x['peak_rss_mb'] / 1024:.1f} GB" if x else "—" for x in shown)
            own = max((x.get("bench_cpu_s") or 0) for x in shown if x)
            load = " / ".join(str(x["load_average"][0]) if x else "—" for x in shown)
            twin_cells = ""
            if twin:
                to_floor = results.get("room_ratio_twin_to_floor", {}).get(pool, {}).get(str(n))
                lab_to = results.get("room_ratio_lab_to_twin", {}).get(pool, {}).get(str(n))
                twin_cells = (f"{_room_cell(tw)} | {_fmt(to_floor, '×')} | "
                              f"{_fmt(lab_to, '×')} | ")
            lines.append(f"| {name} | {n} | {_room_cell(fl)} | {_room_cell(lab)} | "
                         f"{_fmt(ratio, '×')} | {twin_cells}{cpu} | {mem} | {own:.2f} s | "
                         f"{load} |")
    return lines + _turns_note(results, rooms, lab_nb)


def _turns_note(results: dict, rooms: dict, lab_nb: str | None) -> list[str]:
    """Under the rooms: which rooms ran several times in turns, every run's time, and each
    lab room ÷ the floor room of its turn."""
    for n in rooms.get("sizes", []):
        by_page = {nb: x for nb, by_n in rooms.get("default", {}).items()
                   if (x := by_n.get(str(n))) and x.get("repeats", 1) > 1}
        if not by_page:
            continue
        names = {"floor.ipynb": "floor", lab_nb: "scenario lab", TWIN: "its twin"}
        runs = "; ".join(f"{names.get(nb, nb)} " + ", ".join(
            "never" if t is None else f"{t:.2f} s" for t in x["server_s_samples"])
            for nb, x in by_page.items())
        paired = results.get("room_default_ratio_paired") or []
        turns = max(x["repeats"] for x in by_page.values())
        return ["", f"On the default pool the rooms of {n} ran {turns} times, the pages taking "
                f"turns; the table gives the median run's figures (errors: of all runs). "
                f"Every run: {runs}. Each lab room ÷ the floor room of its turn: "
                + ", ".join(_fmt(x, "×") for x in paired) + "."]
    return []


def bytes_table(results: dict) -> list[str]:
    measured = results.get("bytes") or {}
    if not measured.get("pages"):
        return []
    counted = next((p.get("websocket_counted") for p in measured["pages"]
                    if p.get("websocket_counted")), "payload")
    lines = ["", f"Bytes a trainee's browser receives, module after module, through "
             f"{measured.get('through')} (as they came over the network: HTTP as Chromium "
             f"received it, the websockets as {counted}; the payload the page decoded "
             "from its websockets beside them):", "",
             "| module | bytes | requests (from the browser's cache) | of which the "
             "websockets | their payload |", "|---|---:|---:|---:|---:|"]
    for p in measured["pages"]:
        lines.append(f"| {_page_label(p['notebook'])} | {_fmt(p['bytes'], 'bytes')} | "
                     f"{p['requests']} ({p['from_cache']}) | "
                     f"{_fmt(p['websocket_bytes'], 'bytes')} | "
                     f"{_fmt(p.get('websocket_payload_bytes'), 'bytes')} |")
    return lines


def table(results: dict) -> str:
    """The headline figures, their targets and whether each was met, as Markdown."""
    m = results.get("machine", {})
    room = results.get("concurrent", {})
    lines = [
        f"Measured {m.get('date', '?')} on {m.get('cores', '?')} cores, "
        f"{(m.get('memory_mb') or 0) / 1024:.0f} GB, load average "
        f"{', '.join(str(x) for x in m.get('load_average', []))} at the start and "
        f"{', '.join(str(x) for x in m.get('load_average_end', []))} at the end; "
        f"Python {m.get('python')}, Voila {m.get('versions', {}).get('voila')}, "
        f"ipywidgets {m.get('versions', {}).get('ipywidgets')}, "
        f"jupyter_server {m.get('versions', {}).get('jupyter_server')}, "
        f"{m.get('chromium') or 'Chromium ?'}; commit {(m.get('git_commit') or '?')[:10]}"
        f"{' (with uncommitted changes)' if m.get('git_dirty') else ''}. "
        f"{_options(results.get('options', {}))}",
        "",
        "| figure | value | target | |",
        "|---|---:|---:|---|",
    ]
    for t in TARGETS:
        value = results.get(t.key)
        label = t.label
        n = results.get("room_headline_trainees") or 30
        if t.key == "room_default_lab_s":
            label = (f"A room of {n} opens the scenario lab, default pool: the last trainee has "
                     f"every widget state (server side, protocol level); errors: "
                     f"{results.get('room_default_lab_errors')}")
        elif t.key == "room_default_ratio":
            label = f"That room ÷ the same room of {n} on Voila's floor page"
        elif t.key == "room_default_twin_ratio":
            label = (f"A room of {n} on the lab's widget twin (ipywidgets alone) ÷ the floor's "
                     "room")
        elif t.key == "room_default_lab_to_twin":
            label = "The lab's room ÷ its twin's room (what npkit's own code adds)"
        elif t.key.startswith("bytes_") and results.get("bytes_through"):
            label += f" (through {results['bytes_through'].split(' (')[0]})"
        elif t.key == "first_render_ratio_max" and results.get("first_render_slowest"):
            label += f" ({_page_label(results['first_render_slowest'])})"
        elif t.key == "room_peak_memory_mb" and results.get("workshop_room"):
            w = results["workshop_room"]
            label = (f"make workshop-server ROOM={w['room']}: peak memory of the server and its "
                     f"kernels, the room's arrival and refill included ({w['peak_kernels']} "
                     f"kernels at the peak; {w['before_kernels']} before the room, "
                     f"{_fmt(w['before_mb'], 'MB')})")
            if w.get("refilled_pss_mb") is not None:
                label += (f", as a sum of resident sizes, which counts a page the kernels "
                          f"share once in each; once refilled they use "
                          f"{_fmt(w['refilled_pss_mb'], 'MB')} together (PSS)")
        target = "—" if t.limit is None else f"≤ {_fmt(t.limit, t.unit)}"
        if t.errors_key:
            target += ", 0 errors"
        lines.append(f"| {label} | {_fmt(value, t.unit)} | {target} | {verdict(results, t)} |")
    lines += ["", "Context (no targets):", "",
              "| figure | value |", "|---|---:|"]
    first = results.get("first_render", {})
    for key, label in (("floor_ms", "Voila's floor (one button), median to interactive"),
                       ("lab_ms", "Scenario lab, median to interactive")):
        if first.get(key) is not None:
            lines.append(f"| {label} | {_fmt(first[key], 'ms')} |")
    default = results.get("concurrent_default_pool", {})
    if default:
        lines.append(f"| {default.get('trainees')} browsers on this machine, default pool: all "
                     f"interactive; errors | {_fmt(default.get('all_ready_s'), 's')}; "
                     f"{default.get('errors')} |")
    if room.get("lab"):
        lab = room["lab"]
        lines.append(f"| {lab.get('trainees')} browsers on this machine open the scenario lab "
                     f"(pool {room.get('pool_size')}): all interactive; errors | "
                     f"{_fmt(lab.get('all_ready_s'), 's')}; {lab.get('errors')} |")
    if room.get("floor"):
        fl = room["floor"]
        lines.append(f"| {fl.get('trainees')} trainees open the floor page at once (same pool, "
                     f"Voila's floor for a room) | {_fmt(fl.get('all_ready_s'), 's')} |")
    if results.get("concurrent_ratio") is not None:
        lines.append(f"| Browser room ratio: scenario lab ÷ floor | "
                     f"{_fmt(results['concurrent_ratio'], '×')} |")
    if room.get("lab"):
        done = room["lab"].get("server_done_s") or []
        if done:
            lines.append(f"| Room: last page fully sent by the server | {_fmt(max(done), 's')} |")
    twin = results.get("twin") or {}
    if twin.get("models") is not None:
        problems = twin.get("problems") or []
        faithful = "faithful" if not problems else f"NOT faithful: {len(problems)} problems"
        lines.append(f"| The scenario lab's widget twin (benchmarks/twin.py): the lab's widget "
                     f"models rebuilt with ipywidgets alone | {twin.get('rebuilt_models')} of "
                     f"{twin['models']}, {faithful} |")
    if results.get("assess_all", {}).get("warm_ms") is not None:
        lines.append(f"| Assess every case again, caches warm | "
                     f"{_fmt(results['assess_all']['warm_ms'], 'ms')} |")
    lines += room_table(results)
    lines += bytes_table(results)
    lines += module_table(results)
    return "\n".join(lines)


def _page_label(notebook: str) -> str:
    from .pages import PAGES

    return PAGES[notebook].label if notebook in PAGES else notebook


def module_table(results: dict) -> list[str]:
    """Per module: the first render (median of the visits) ÷ the floor's, the time, the
    kernel's memory, and its widget models and state (protocol level)."""
    ratios = results.get("first_render_ratio")
    ratios = ratios if isinstance(ratios, dict) else {}
    widgets = results.get("widgets") or {}
    if not ratios and not widgets:
        return []
    per = results.get("first_render", {}).get("pages", {})
    lines = ["", "Each module: first render (median) ÷ Voila's floor, its kernel's memory, its "
             "widget models and their state as the page receives it (uncompressed; deflated "
             "as the compressed websocket sends it):", "",
             "| module | first render ÷ floor | median to interactive | kernel memory | "
             "widget models | widget state | deflated |", "|---|---:|---:|---:|---:|---:|---:|"]
    for nb in dict.fromkeys([*ratios, *widgets]):
        p, w = per.get(nb, {}), widgets.get(nb, {})
        lines.append(f"| {_page_label(nb)} | {_fmt(ratios.get(nb), '×')} | "
                     f"{_fmt(p.get('median_ms'), 'ms')} | {_fmt(p.get('kernel_rss_mb'), 'MB')} | "
                     f"{_fmt(w.get('models'), '')} | {_fmt(w.get('state_bytes'), 'bytes')} | "
                     f"{_fmt(w.get('state_deflated_bytes'), 'bytes')} |")
    return lines


def write_json(results: dict, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2, sort_keys=False) + "\n", encoding="utf-8")


def update_docs(table_md: str, path: Path = DOCS) -> bool:
    """Replace the table between the markers in docs/performance.md; False if no markers."""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + r".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        return False
    path.write_text(pattern.sub(lambda _m: f"{START}\n{table_md}\n{END}", text),
                    encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    """Print the table of an existing run (``python -m benchmarks.report [JSON]
    [--update-docs]``), e.g. to put it in docs/performance.md without measuring again."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.report")
    parser.add_argument("json", nargs="?", type=Path, default=ROOT / "build" / "bench.json")
    parser.add_argument("--update-docs", action="store_true")
    args = parser.parse_args(argv)
    md = table(json.loads(args.json.read_text(encoding="utf-8")))
    print(md)
    if args.update_docs and not update_docs(md):
        print(f"no table markers in {DOCS}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
