"""``make bench``: how fast the course feels to a trainee, against Voila's own floor.

    python -m benchmarks.run [--repeats N] [--toggles N] [--trainees N] [--pool-size N]
                             [--quick] [--update-docs] [--output build/bench.json]

Order: the in-process figures first (import, assess every case), then one Voila server with
the course's default settings (first render of every page against the floor page, fact toggles
in the scenario lab, a room of trainees on the default pool), then one with the workshop
setting (``--pool-size``: one preheated kernel per trainee for the scenario lab and the floor)
for a room on the floor page and a room on the scenario lab. Writes ``build/bench.json`` and
prints the table (targets met or missed); ``--update-docs`` puts it in docs/performance.md.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import time
from pathlib import Path

from . import browser as B
from . import inprocess, report
from . import pages as P
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
    return {"pages": pages, "floor_ms": floor, "lab_ms": pages.get(P.LAB, {}).get("median_ms")}


async def browser_part(args, log) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {}
    notebooks_filter = None if args.all_modules else [P.LAB, S.FLOOR]
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
                log(f"Fact toggles in the scenario lab: {args.toggles} ...")
                out["toggles"] = await B.toggles(browser, site, args.toggles)
                if args.default_pool_room:
                    log(f"{args.trainees} trainees at once, default pool ...")
                    out["concurrent_default_pool"] = {
                        **await B.room(browser, site, args.trainees), "pool_size": 1}
                    log(f"  {out['concurrent_default_pool']}")
            finally:
                await asyncio.to_thread(site.stop)
                keep_log(site, "default")
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


LOGS = ROOT / "build" / "bench-logs"


def keep_log(site: S.Site, name: str) -> None:
    """Keep the server's log (the temporary folder goes): build/bench-logs/voila-<name>.log."""
    LOGS.mkdir(parents=True, exist_ok=True)
    (LOGS / f"voila-{name}.log").write_text(site.log_text(), encoding="utf-8")


def headline(results: dict) -> dict:
    """The keys the issue names, from the detailed results."""
    first = results.get("first_render", {})
    pages = first.get("pages", {})
    floor = first.get("floor_ms")
    ratios = {nb: r(p["median_ms"] / floor, 3) for nb, p in pages.items()
              if nb != S.FLOOR and floor and p.get("median_ms")}
    toggles = results.get("toggles", {}).get("samples_ms", [])
    room = results.get("concurrent", {})
    lab_room, floor_room = room.get("lab", {}), room.get("floor", {})
    return {
        "first_render_ratio": ratios.get(P.LAB),
        "module_ratios": ratios,
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
    parser.add_argument("--trainees", type=int, default=30,
                        help="browser contexts opening the scenario lab at once (default 30)")
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
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 1 repeat, 10 toggles, 3 trainees, lab only")
    parser.add_argument("--in-process-only", action="store_true",
                        help="only import and assess (no Voila, no browser)")
    parser.add_argument("--update-docs", action="store_true",
                        help="rewrite the table in docs/performance.md")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    if args.quick:
        args.repeats, args.toggles, args.trainees = 1, 10, 3
        args.all_modules = False
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    log = lambda *a: print(*a, flush=True)  # noqa: E731
    started = time.monotonic()
    results: dict = {"machine": report.machine(),
                     "options": {"repeats": args.repeats, "toggles": args.toggles,
                                 "trainees": args.trainees,
                                 "pool_size": args.pool_size or args.trainees,
                                 "refill_delay": args.refill_delay,
                                 "quick": args.quick, "all_modules": args.all_modules}}
    results.update(in_process_part(args, log))
    if not args.in_process_only:
        results.update(asyncio.run(browser_part(args, log)))
    results = {**headline(results), **results}
    results["machine"]["load_average_end"] = report.machine()["load_average"]
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
