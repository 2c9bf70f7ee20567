"""``make bench``: how fast the course feels to a trainee, against Voila's own floor.

    python -m benchmarks.run [--repeats N] [--toggles N] [--room-sizes 1,10,30,50]
                             [--rooms-only] [--no-rooms] [--no-bytes] [--browser-room]
                             [--quick] [--update-docs] [--output build/bench.json]

Order: the in-process figures first (import, assess every case), then one Voila server with
the course's default settings for the real-browser figures (first render of every page against
the floor page, one browser at a time; fact toggles in the scenario lab), then the rooms at the
protocol level (benchmarks/room.py: ``--room-sizes`` trainees on the floor and on the scenario
lab, on the default pool and on the workshop setting sized for the room), then the bytes a
trainee's browser receives through the workshop server's nginx (benchmarks/wire.py). Writes
``build/bench.json`` and prints the table (targets met or missed); ``--update-docs`` puts it in
docs/performance.md. ``--browser-room`` adds the old room of ``--trainees`` Chromium contexts
(all on this machine, so it measures the browsers more than the server).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from npkit.course.training.modules import MODULES

from . import browser as B
from . import inprocess, report, twin, wire
from . import pages as P
from . import room as R
from . import site as S

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "build" / "bench.json"
# The workshop setting measured: one ready kernel per trainee, replaced two minutes after use
# (docs/performance.md: replacements started at once slow the room's own pages down).
WORKSHOP_REFILL_DELAY = 120.0


def percentile(samples: list[float], q: float) -> float | None:
    """The ``q``-th percentile (0-100), linear between closest ranks."""
    if not samples:
        return None
    xs = sorted(samples)
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def median(xs) -> float | None:
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def r(x, digits=1):
    return None if x is None else round(x, digits)


def summarise_first_render(visits: list[B.Visit]) -> dict:
    pages = {}
    for nb in dict.fromkeys(v.notebook for v in visits):
        mine = [v for v in visits if v.notebook == nb]
        pages[nb] = {
            "label": P.PAGES[nb].label,
            "median_ms": r(median(v.ready_ms for v in mine if not v.errors)),
            "samples_ms": [r(v.ready_ms) for v in mine],
            "server_done_median_ms": r(median(v.response_end_ms for v in mine)),
            "first_widget_median_ms": r(median(v.first_widget_ms for v in mine)),
            "kernel_rss_mb": r(median(v.kernel_rss_mb for v in mine)),
            "preheated": sum(1 for v in mine if v.preheated),
            "errors": sorted({e for v in mine for e in v.errors}),
            "visits": [v.summary() for v in mine],
        }
    floor = pages.get(S.FLOOR, {}).get("median_ms")
    return {"pages": pages, "floor_ms": floor, "lab_ms": pages.get(P.LAB, {}).get("median_ms"),
            "paired_ratios": B.paired_ratios(visits)}


async def browser_part(args, log) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {}
    notebooks_filter = None if args.all_modules else [P.LAB, S.FLOOR]
    if args.first_render_pages:
        notebooks_filter = [S.FLOOR, *args.first_render_pages]
    with tempfile.TemporaryDirectory(prefix="npkit-bench-") as tmp:
        tmp = Path(tmp)
        async with async_playwright() as pw:
            browser = await B.launch(pw)
            # 1. the course as `make dashboard` serves it: one preheated kernel per page
            log("Voila, default pool (one preheated kernel per page): starting ...")
            t = time.monotonic()
            site = await asyncio.to_thread(S.start, tmp / "default")
            try:
                await B.site_wait(site)
                log(f"  every page's kernel ready after {time.monotonic() - t:.0f} s")
                nbs = [nb for nb in site.notebooks
                       if notebooks_filter is None or nb in notebooks_filter]
                log(f"First render, {args.repeats} visits per page:")
                visits = await B.first_render(browser, site, nbs, args.repeats, log=log)
                out["first_render"] = summarise_first_render(visits)
                if args.first_render_only:
                    return out
                log(f"Fact toggles in the scenario lab: {args.toggles} ...")
                out["toggles"] = await B.toggles(browser, site, args.toggles)
                if args.browser_room and args.default_pool_room:
                    log(f"{args.trainees} trainees at once, default pool ...")
                    out["concurrent_default_pool"] = {
                        **await B.room(browser, site, args.trainees), "pool_size": 1}
                    log(f"  {out['concurrent_default_pool']}")
            finally:
                await asyncio.to_thread(site.stop)
                keep_log(site, "default")
            if not args.browser_room:
                await browser.close()
                return out
            # 2. the workshop setting: one preheated kernel per trainee (floor and lab)
            pool = args.pool_size or args.trainees
            log(f"Voila, workshop pool ({pool} preheated kernels for the scenario lab and "
                f"the floor, refill delay {args.refill_delay:g} s): starting ...")
            t = time.monotonic()
            site = await asyncio.to_thread(S.start, tmp / "workshop",
                                           pool_sizes={P.LAB: pool, S.FLOOR: pool},
                                           refill_delay=args.refill_delay)
            try:
                await B.site_wait(site)
                log(f"  every pool full after {time.monotonic() - t:.0f} s")
                await B.visit_once(browser, site, S.FLOOR, "bench-warmup")
                room = {"pool_size": pool, "refill_delay_s": args.refill_delay,
                        "pool_fill_s": round(time.monotonic() - t, 1)}
                log(f"{args.trainees} trainees open the floor page at once ...")
                room["floor"] = await B.room(browser, site, args.trainees, S.FLOOR)
                log(f"  {room['floor']}")
                log(f"{args.trainees} trainees open the scenario lab at once ...")
                room["lab"] = await B.room(browser, site, args.trainees, P.LAB)
                log(f"  {room['lab']}")
                out["concurrent"] = room
            finally:
                await asyncio.to_thread(site.stop)
                keep_log(site, "workshop")
            await browser.close()
    return out


ROOM_PAGES = (S.FLOOR, P.LAB)
# On the default pool the scenario lab's widget twin too (benchmarks/twin.py): the lab's widgets
# with ipywidgets alone, so that lab ÷ floor splits into twin ÷ floor and lab ÷ twin.
DEFAULT_ROOM_PAGES = (*ROOM_PAGES, S.TWIN)


async def rooms_part(args, log) -> dict:
    """Rooms of ``--room-sizes`` trainees at the protocol level on the floor and the scenario
    lab: first on the course's default pool (one server, one preheated kernel per page), then
    on the workshop setting sized for each room (one server per size, started with ``--room``
    for both pages, its pools full before the room arrives). On the default pool the scenario
    lab's widget twin has its rooms too (``DEFAULT_ROOM_PAGES``), made from a run of the lab
    before the server starts; ``twin`` is its report (models, anything not rebuilt)."""
    out: dict = {"sizes": args.room_sizes, "default": {nb: {} for nb in DEFAULT_ROOM_PAGES},
                 "workshop": {nb: {} for nb in ROOM_PAGES}}

    async def one(site, pool: str, n: int, nb: str) -> dict:
        await asyncio.to_thread(site.wait_for_pool)
        await asyncio.to_thread(R.quiet, site.process.pid)
        log(f"  {n:3d} trainees, {pool} pool, {nb} ...")
        result = await R.room(site, n, nb, label=f"{pool}-{n}-{nb.split('.')[0]}", log=log)
        log(f"      all states after {result['server_s']} s (median {result['median_s']} s), "
            f"errors {result['errors']}, CPU {result['cpu_s_per_trainee']} s per trainee, "
            f"peak {result['peak_rss_mb']:.0f} MB, benchmark CPU {result['bench_cpu_s']} s, "
            f"load {result['load_average'][0]}")
        for message in result["error_messages"]:
            log(f"      error: {message}")
        return result

    with tempfile.TemporaryDirectory(prefix="npkit-rooms-") as tmp:
        tmp = Path(tmp)
        log("Protocol level, default pool (one preheated kernel per page) ...")
        folder = tmp / "default" / "notebooks"
        pages = [*(m.notebook for m in MODULES), S.FLOOR, S.TWIN] if args.rooms else None
        notebooks = await asyncio.to_thread(S.prepare_notebooks, folder, pages)
        twin_report = twin.read_report(folder) if args.rooms else {}
        if twin_report:
            log(f"  {S.TWIN}: the lab's {twin_report['models']} widget models, "
                f"{twin_report['rebuilt_models']} rebuilt with ipywidgets alone")
        for line in twin_report.get("problems", [])[:20]:
            log(f"  {S.TWIN} is not the lab's: {line}")
        site = await asyncio.to_thread(S.start, tmp / "default", notebooks=notebooks)
        widgets = {}
        try:
            if args.widgets:
                widgets = await widgets_part(site, log)
            for n in args.room_sizes if args.rooms else []:
                # the headline room, repeated with the pages taking turns: one room of 30
                # moved its ratio to the floor by about 0.1 between runs of the same code
                turns = (args.room_repeats if str(n) == headline_size(args.room_sizes)
                         else 1)
                runs: dict[str, list[dict]] = {nb: [] for nb in DEFAULT_ROOM_PAGES}
                for _ in range(turns):
                    for nb in DEFAULT_ROOM_PAGES:
                        runs[nb].append(await one(site, "default", n, nb))
                for nb, found in runs.items():
                    out["default"][nb][str(n)] = median_room(found)
        finally:
            await asyncio.to_thread(site.stop)
            keep_log(site, "rooms-default")
        if not args.rooms:
            return {"widgets": widgets}
        for n in args.room_sizes:
            log(f"Workshop setting for a room of {n} (--room floor={n} --room scenario_lab={n})"
                " ...")
            t = time.monotonic()
            site = await asyncio.to_thread(S.start, tmp / f"workshop-{n}",
                                           room_sizes={nb: n for nb in ROOM_PAGES})
            try:
                await asyncio.to_thread(site.wait_for_pool, room=True, timeout=900)
                fill = round(time.monotonic() - t, 1)
                log(f"  pools full after {fill} s")
                for nb in ROOM_PAGES:
                    out["workshop"][nb][str(n)] = {**await one(site, "workshop", n, nb),
                                                   "pool_fill_s": fill}
            finally:
                await asyncio.to_thread(site.stop)
                keep_log(site, f"rooms-workshop-{n}")
        peak = (await workshop_room_part(args.workshop_room, tmp / "workshop-room", log)
                if args.workshop_room else {})
    return {"rooms": out, "widgets": widgets, "workshop_room": peak, "twin": twin_report}


async def widgets_part(site: S.Site, log) -> dict:
    """Every module's widget models and the bytes of their states, as one protocol-level
    trainee receives them (the ``update_states`` message, uncompressed; and deflated as the
    websocket's permessage-deflate would send it)."""
    log("Widget models and state per module (one trainee each, protocol level):")
    out = {}
    for m in MODULES:
        await asyncio.to_thread(site.wait_for_pool)
        x = await R.room(site, 1, m.notebook, label=f"widgets-{m.number:02d}", deflate=True,
                         log=log)
        out[m.notebook] = {"models": max(x["widget_states"], default=None),
                           "state_bytes": x["state_bytes_median"],
                           "state_deflated_bytes": x["state_deflated_bytes_median"],
                           "page_bytes": x["page_bytes_median"], "errors": x["errors"],
                           "error_messages": x["error_messages"]}
        w = out[m.notebook]
        log(f"  {m.notebook:32s} {w['models']} models, {(w['state_bytes'] or 0) / 1000:.0f} KB"
            f" ({(w['state_deflated_bytes'] or 0) / 1000:.0f} KB deflated)"
            f"{'  ERRORS: ' + '; '.join(w['error_messages']) if w['errors'] else ''}")
    return out


def course_copy(folder: Path) -> list[str]:
    """The built course as make workshop-server serves it (notebooks/, by make notebooks:
    every module, the workshop pages, the Thai pages) copied into ``folder``; the pages that
    keep a kernel ready (the English ones: the others start per visit)."""
    import shutil

    from npkit.course.dashboard import NOTEBOOKS

    shutil.copytree(NOTEBOOKS, folder, ignore=lambda d, names: [
        n for n in names if not (n.endswith(".ipynb") or (Path(d) / n).is_dir())])
    pages = sorted(p.name for p in folder.glob("*.ipynb"))
    if not pages:
        raise RuntimeError(f"no built modules in {NOTEBOOKS}: run make notebooks")
    return pages


async def workshop_room_part(n: int, tmp: Path, log) -> dict:
    """``make workshop-server ROOM=n``: the course's server (every built page, the workshop's
    included) with a bare ``--room n`` (n kernels preheated for the first module), the room of
    n arriving once they are ready, its memory (server and kernels) from before the room
    through its arrival until the pool has refilled: the replacements must not double it."""
    from npkit.course.dashboard import parse_room_sizes

    folder = tmp / "notebooks"
    notebooks = await asyncio.to_thread(course_copy, folder)
    room_sizes = parse_room_sizes([str(n)], folder)
    (page, size), = room_sizes.items()
    log(f"The workshop setting, make workshop-server ROOM={n} (--room {n}: {page}) ...")
    t = time.monotonic()
    site = await asyncio.to_thread(S.start, tmp, notebooks=notebooks, room_sizes=room_sizes)
    try:
        await asyncio.to_thread(site.wait_for_pool, room=True, timeout=900)
        fill = round(time.monotonic() - t, 1)
        await asyncio.to_thread(R.quiet, site.process.pid)
        log(f"  {size} kernels ready for {page} after {fill} s; the room arrives ...")
        x = await R.room(site, size, page, label=f"workshop-room-{size}", log=log)
    finally:
        await asyncio.to_thread(site.stop)
        keep_log(site, f"workshop-room-{n}")
    kernels = lambda key: x[key] - 1  # noqa: E731 - the processes less the server
    out = {"room": size, "page": page, "pool_fill_s": fill,
           "before_mb": x["start_rss_mb"], "before_kernels": kernels("start_processes"),
           "peak_mb": x["peak_rss_mb"], "peak_kernels": kernels("peak_processes"),
           "refilled_mb": x["end_rss_mb"], "refilled_kernels": kernels("end_processes"),
           # resident sizes count every page a forked kernel shares once per kernel; PSS
           # splits a shared page between the processes that share it: what they use together
           "refilled_pss_mb": x.get("end_pss_mb"),
           "server_s": x["server_s"], "errors": x["errors"], "refill_s": x["refill_s"],
           "load_average": x["load_average"]}
    log(f"  ready after {x['server_s']} s, errors {x['errors']}; memory before the room "
        f"{out['before_mb']:.0f} MB ({out['before_kernels']} kernels), peak {out['peak_mb']:.0f}"
        f" MB ({out['peak_kernels']} kernels), pool refilled {out['refilled_mb']:.0f} MB "
        f"({out['refilled_kernels']} kernels; PSS {out['refilled_pss_mb']} MB)")
    return out


async def bytes_part(args, log) -> dict:
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory(prefix="npkit-bytes-") as tmp:
        async with async_playwright() as pw:
            browser = await B.launch(pw)
            try:
                return {"bytes": await wire.measure(browser, Path(tmp), args.bytes_pages,
                                                    log=log)}
            finally:
                await browser.close()


LOGS = ROOT / "build" / "bench-logs"


def keep_log(site: S.Site, name: str) -> None:
    """Keep the server's log (the temporary folder goes): build/bench-logs/voila-<name>.log."""
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / f"voila-{name}.log").write_text(site.log_text(), encoding="utf-8")


def headline_size(sizes) -> str | None:
    """The room size the headline reports: 30 if it was measured, else the largest."""
    sizes = [str(n) for n in sizes]
    return "30" if "30" in sizes else (sizes[-1] if sizes else None)


def median_room(runs: list[dict]) -> dict:
    """One page's rooms of one size, run in turns: the run with the median time until the
    last trainee had every state (the lower middle one of an even count), so its other
    figures are that run's; every run's time beside it (``server_s_samples``, in turn
    order), and the errors of all the runs."""
    if len(runs) == 1:
        return runs[0]
    timed = sorted((x for x in runs if x.get("server_s") is not None),
                   key=lambda x: x["server_s"])
    middle = timed[(len(timed) - 1) // 2] if len(timed) == len(runs) else next(
        x for x in runs if x.get("server_s") is None)  # a run that never finished
    return {**middle, "repeats": len(runs),
            "server_s_samples": [x.get("server_s") for x in runs],
            "errors": sum(x.get("errors") or 0 for x in runs),
            "error_messages": [m for x in runs for m in x.get("error_messages", [])]}


def paired_room_ratios(top: dict, bottom: dict) -> list[float]:
    """Each run of ``top`` ÷ the run of ``bottom`` in the same turn."""
    return [r(a / b, 3) for a, b in zip(top.get("server_s_samples", []),
                                        bottom.get("server_s_samples", []), strict=False)
            if a and b]


def room_figures(rooms: dict) -> dict:
    """Per pool, page and room size: the headline keys of the rooms."""
    def per(key):
        return {pool: {nb: {n: r.get(key) for n, r in by_n.items()}
                       for nb, by_n in rooms.get(pool, {}).items()}
                for pool in ("default", "workshop") if rooms.get(pool)}

    def ratios_of(top: str, bottom: str) -> dict:
        """Per pool and N, the room of page ``top`` ÷ the room of page ``bottom``."""
        out = {}
        for pool in ("default", "workshop"):
            a, b = rooms.get(pool, {}).get(top, {}), rooms.get(pool, {}).get(bottom, {})
            out[pool] = {n: (r(a[n]["server_s"] / b[n]["server_s"], 3)
                             if a[n].get("server_s") and b.get(n, {}).get("server_s")
                             else None) for n in a}
        return out

    ratios = ratios_of(P.LAB, S.FLOOR)
    # the scenario lab's widget twin (ipywidgets alone): in the pools it had rooms in
    twin_pools = [pool for pool in ("default", "workshop") if rooms.get(pool, {}).get(S.TWIN)]
    twin_to_floor = {pool: x for pool, x in ratios_of(S.TWIN, S.FLOOR).items()
                     if pool in twin_pools}
    lab_to_twin = {pool: x for pool, x in ratios_of(P.LAB, S.TWIN).items()
                   if pool in twin_pools}
    n = headline_size(rooms.get("sizes", []))
    default = rooms.get("default", {})
    lab_default = default.get(P.LAB, {}).get(n, {}) if n else {}
    paired = paired_room_ratios(lab_default, default.get(S.FLOOR, {}).get(n, {}) if n else {})
    every = [x for pool in ("default", "workshop") for by_n in rooms.get(pool, {}).values()
             for x in by_n.values()]
    return {
        "room_server_s": per("server_s"),
        "room_median_s": per("median_s"),
        "room_errors": per("errors"),
        "room_cpu_s_per_trainee": per("cpu_s_per_trainee"),
        "room_peak_rss_mb": per("peak_rss_mb"),
        "room_ratio": ratios,
        "room_ratio_twin_to_floor": twin_to_floor,
        "room_ratio_lab_to_twin": lab_to_twin,
        "room_headline_trainees": int(n) if n else None,
        "room_default_lab_s": lab_default.get("server_s"),
        "room_default_lab_errors": lab_default.get("errors"),
        "room_default_ratio": ratios.get("default", {}).get(n) if n else None,
        "room_default_twin_ratio": twin_to_floor.get("default", {}).get(n) if n else None,
        "room_default_lab_to_twin": lab_to_twin.get("default", {}).get(n) if n else None,
        # the headline room's turns: each lab room ÷ the floor room of its turn (context)
        "room_default_repeats": lab_default.get("repeats", 1 if lab_default else None),
        "room_default_ratio_paired": paired,
        "room_bench_cpu_s_max": max((x.get("bench_cpu_s") or 0 for x in every), default=None),
    }


def bytes_figures(measured: dict) -> dict:
    pages = measured.get("pages", [])
    later = {p["notebook"]: p["bytes"] for p in pages[1:]}
    return {
        "bytes_first_module": pages[0]["bytes"] if pages else None,
        "bytes_next_module": max(later.values()) if later else None,
        "bytes_per_module": {p["notebook"]: p["bytes"] for p in pages},
        "bytes_through": measured.get("through"),
    }


def headline(results: dict) -> dict:
    """The keys the issue names, from the detailed results."""
    first = results.get("first_render", {})
    pages = first.get("pages", {})
    floor = first.get("floor_ms")
    ratios = {nb: r(p["median_ms"] / floor, 3) for nb, p in pages.items()
              if nb != S.FLOOR and floor and p.get("median_ms")}
    slowest = max(ratios, key=ratios.get) if ratios else None
    widgets = results.get("widgets") or {}
    machine = results.get("machine") or {}
    toggles = results.get("toggles", {}).get("samples_ms", [])
    room = results.get("concurrent", {})
    lab_room, floor_room = room.get("lab", {}), room.get("floor", {})
    return {
        "first_render_ratio": ratios,
        "first_render_ratio_max": ratios.get(slowest) if slowest else None,
        "first_render_slowest": slowest,
        "first_render_ratio_lab": ratios.get(P.LAB),
        # each visit ÷ the floor visit just before it, the median per module (context)
        "first_render_ratio_paired": first.get("paired_ratios", {}),
        "toggle_p50_ms": r(percentile(toggles, 50), 2),
        "toggle_p95_ms": r(percentile(toggles, 95), 2),
        "toggle_count": len(toggles),
        "concurrent_trainees": lab_room.get("trainees"),
        "concurrent_all_ready_s": lab_room.get("all_ready_s"),
        "concurrent_errors": lab_room.get("errors"),
        "concurrent_pool_size": room.get("pool_size"),
        "concurrent_refill_delay_s": room.get("refill_delay_s"),
        "concurrent_ratio": (r(lab_room["all_ready_s"] / floor_room["all_ready_s"], 3)
                             if lab_room.get("all_ready_s") and floor_room.get("all_ready_s")
                             else None),
        "kernel_rss_mb": pages.get(P.LAB, {}).get("kernel_rss_mb"),
        "module_kernel_rss_mb": {nb: p.get("kernel_rss_mb") for nb, p in pages.items()},
        "assess_all_ms": results.get("assess_all", {}).get("median_ms"),
        "import_ms": results.get("import", {}).get("median_ms"),
        "lab_edit_ms": results.get("lab_edit", {}).get("median_ms"),
        "trainer_refresh_ms": results.get("trainer_refresh", {}).get("median_ms"),
        **room_figures(results.get("rooms", {})),
        "room_peak_memory_mb": (results.get("workshop_room") or {}).get("peak_mb"),
        "room_refilled_pss_mb": (results.get("workshop_room") or {}).get("refilled_pss_mb"),
        **bytes_figures(results.get("bytes", {})),
        "widget_models": {nb: w.get("models") for nb, w in widgets.items()},
        "widget_state_bytes": {nb: w.get("state_bytes") for nb, w in widgets.items()},
        "widget_state_deflated_bytes": {nb: w.get("state_deflated_bytes")
                                        for nb, w in widgets.items()},
        "widget_models_max": max((w["models"] for w in widgets.values() if w.get("models")),
                                 default=None),
        "widget_state_bytes_max": max((w["state_bytes"] for w in widgets.values()
                                       if w.get("state_bytes")), default=None),
        "load_average": {"start": machine.get("load_average"),
                         "end": machine.get("load_average_end")},
    }


def in_process_part(args, log) -> dict:
    log(f"import npkit, {args.repeats} fresh interpreters ...")
    imp = inprocess.import_ms(args.repeats)
    log(f"  {imp['median_ms']} ms")
    log(f"Assess every case with counterfactuals, {args.repeats} cold runs ...")
    assess = inprocess.assess_all(args.repeats)
    log(f"  {assess['median_ms']} ms")
    log(f"Scenario lab: {args.toggles} fact edits in the kernel ...")
    lab = inprocess.lab_edit(args.toggles)
    log(f"  {lab['median_ms']} ms")
    log(f"Trainer's live view with 50 participants, {args.repeats} refreshes ...")
    refresh = inprocess.trainer_refresh(args.repeats)
    log(f"  {refresh['median_ms']} ms (nothing new: {refresh['unchanged']['median_ms']} ms)")
    return {"import": imp, "assess_all": assess, "lab_edit": lab, "trainer_refresh": refresh}


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__
                                     .split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5,
                        help="visits per page, cold assess runs, import runs (default 5)")
    parser.add_argument("--toggles", type=int, default=60, help="fact toggles (default 60)")
    parser.add_argument("--room-sizes", type=sizes_list, default=[1, 10, 30, 50],
                        help="trainees per protocol-level room, comma-separated (default "
                             "1,10,30,50)")
    parser.add_argument("--room-repeats", type=int, default=3, metavar="K",
                        help="on the default pool, the rooms of the headline size (30) run K "
                             "times, the pages taking turns; the median run is reported "
                             "(default 3)")
    parser.add_argument("--rooms-only", action="store_true",
                        help="the protocol-level rooms and the bytes, with the quick in-process "
                             "figures, but not the real-browser first render and toggles")
    parser.add_argument("--no-rooms", dest="rooms", action="store_false",
                        help="skip the protocol-level rooms")
    parser.add_argument("--no-bytes", dest="bytes", action="store_false",
                        help="skip the bytes through nginx")
    parser.add_argument("--no-widgets", dest="widgets", action="store_false",
                        help="skip the widget models and state of every module")
    parser.add_argument("--workshop-room", type=int, default=30, metavar="N",
                        help="with the rooms: make workshop-server ROOM=N's memory peak "
                             "through the room's arrival and refill (default 30; 0 skips it)")
    parser.add_argument("--bytes-pages", type=pages_list, default=None,
                        help="modules a trainee opens in order for the bytes, comma-separated "
                             "notebook names (default: every module in the catalogue's order)")
    parser.add_argument("--browser-room", action="store_true",
                        help="also the room of --trainees Chromium contexts on this machine "
                             "(it measures the browsers more than the server)")
    parser.add_argument("--trainees", type=int, default=30,
                        help="browser contexts in --browser-room (default 30)")
    parser.add_argument("--pool-size", type=int, default=None,
                        help="preheated kernels in the workshop run (default: --trainees)")
    parser.add_argument("--refill-delay", type=float, default=WORKSHOP_REFILL_DELAY,
                        help="seconds before a used kernel is replaced, in the workshop run "
                             f"(python -m npkit.course.dashboard --refill-delay; default "
                             f"{WORKSHOP_REFILL_DELAY:g})")
    parser.add_argument("--no-default-pool-room", dest="default_pool_room",
                        action="store_false",
                        help="skip the room on the default pool (most trainees on cold kernels)")
    parser.add_argument("--lab-only", dest="all_modules", action="store_false",
                        help="first render of the scenario lab and the floor only")
    parser.add_argument("--first-render-only", action="store_true",
                        help="only the real-browser first render (no in-process figures, "
                             "toggles, rooms, widgets or bytes)")
    parser.add_argument("--first-render-pages", type=pages_list, default=None,
                        help="first render of these modules (and the floor) only, "
                             "comma-separated notebook names (default: every module)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 1 repeat, 10 toggles, 3 trainees, lab only, rooms "
                             "of 1 and 3, the bytes of two modules")
    parser.add_argument("--in-process-only", action="store_true",
                        help="only import and assess (no Voila, no browser)")
    parser.add_argument("--update-docs", action="store_true",
                        help="rewrite the table in docs/performance.md")
    parser.add_argument("--fork-kernels", action=argparse.BooleanOptionalAction, default=None,
                        help="every server forks its kernels from npkit's fork server, as npkit "
                             "course does (the default unless NPKIT_FORK_KERNELS=0); "
                             "--no-fork-kernels: each kernel a fresh Python")
    parser.add_argument("--plain-kernels", dest="fork_kernels", action="store_const",
                        const=False, help="the same as --no-fork-kernels")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.toggles, args.trainees = 1, 10, 3
        args.all_modules = False
        args.room_sizes = [1, 3]
        args.room_repeats = 1
        args.workshop_room = 3
        args.bytes_pages = args.bytes_pages or [MODULES[0].notebook, P.LAB]
    args.bytes_pages = args.bytes_pages or [m.notebook for m in MODULES]
    if args.first_render_only:
        args.rooms = args.bytes = args.widgets = False
        args.browser_room = False
    if args.first_render_pages:
        args.first_render_pages = [nb for nb in args.first_render_pages if nb != S.FLOOR]
    return args


def sizes_list(text: str) -> list[int]:
    try:
        sizes = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text}: whole numbers separated by commas") from None
    if not sizes or any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError(f"{text}: at least one room of at least 1 trainee")
    return sizes


def pages_list(text: str) -> list[str]:
    names = [x.strip() if x.strip().endswith(".ipynb") else f"{x.strip()}.ipynb"
             for x in text.split(",") if x.strip()]
    unknown = [n for n in names if n not in P.PAGES]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"{text}: pages are {', '.join(P.PAGES)}")
    return names


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    S.FORK_KERNELS = args.fork_kernels
    log = lambda *a: print(*a, flush=True)  # noqa: E731
    started = time.monotonic()
    results: dict = {"machine": report.machine(),
                     "options": {"repeats": args.repeats, "toggles": args.toggles,
                                 "trainees": args.trainees,
                                 "pool_size": args.pool_size or args.trainees,
                                 "refill_delay": args.refill_delay,
                                 "quick": args.quick, "all_modules": args.all_modules,
                                 "room_sizes": args.room_sizes,
                                 "room_repeats": args.room_repeats,
                                 "workshop_room": args.workshop_room,
                                 "browser_room": args.browser_room,
                                 "first_render_only": args.first_render_only,
                                 "first_render_pages": args.first_render_pages,
                                 "fork_kernels": S.kernels_forked()}}
    if not args.first_render_only:
        results.update(in_process_part(args, log))
    if not (args.in_process_only or args.rooms_only):
        results.update(asyncio.run(browser_part(args, log)))
    if (args.rooms or args.widgets) and not args.in_process_only:
        results.update(asyncio.run(rooms_part(args, log)))
    if args.bytes and not args.in_process_only:
        results.update(asyncio.run(bytes_part(args, log)))
    results["machine"]["load_average_end"] = report.machine()["load_average"]
    results = {**headline(results), **results}
    results["duration_s"] = round(time.monotonic() - started, 1)
    report.write_json(results, args.output)
    table = report.table(results)
    print()
    print(table)
    print(f"\nwrote {args.output}")
    if args.update_docs:
        if report.update_docs(table):
            print(f"updated {report.DOCS.relative_to(ROOT)}")
        else:
            print(f"no table markers in {report.DOCS}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
