"""The browser benchmarks, in headless Debian Chromium through Playwright (async API):

- :func:`first_render`: each page visited ``repeats`` times, one at a time, floor and scenario
  lab alternating, each visit on a fresh preheated kernel and an idle server;
- :func:`toggles`: a fact in the scenario lab flipped on and off, click to matrix redrawn;
- :func:`room`: ``n`` trainees (browser contexts) opening the scenario lab at the same moment.

Every time is measured in the page (benchmarks/pages.py); Python only waits for it.
"""

from __future__ import annotations

import asyncio
import hashlib
import re
import shutil
import statistics
import time
from dataclasses import asdict, dataclass, field

from . import pages as P
from .site import CHROMIUM_ARGS, FLOOR, Site, kernel_pid, rss_mb

VISIT_TIMEOUT_MS = 120_000  # one visit on an idle server
ROOM_TIMEOUT_MS = 600_000  # a room on a 2-core machine that also runs every trainee's browser
SHUTDOWN_WAIT_S = 20


def chromium() -> str:
    path = shutil.which("chromium")
    if not path:
        raise RuntimeError("chromium is not installed (apt-get install -y chromium; .ci/run)")
    return path


async def launch(pw):
    return await pw.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)


@dataclass
class Visit:
    notebook: str
    ready_ms: float | None = None  # every widget output drawn and the key widget usable
    key_ready_ms: float | None = None  # the key widget usable (the rest may still be drawing)
    all_drawn_ms: float | None = None  # every widget output drawn
    first_widget_ms: float | None = None
    response_start_ms: float | None = None
    response_end_ms: float | None = None
    dom_content_loaded_ms: float | None = None
    time_origin: float | None = None
    kernel_id: str | None = None
    kernel_rss_mb: float | None = None
    preheated: bool | None = None
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        return {k: (round(v, 1) if isinstance(v, float) else v) for k, v in asdict(self).items()
                if k != "time_origin"}


def learner_code(label: str) -> str:
    """The learner code (of the issued form, npkit.store.codes) a visit labelled ``label``
    uses: always the same for the same label."""
    from npkit.store.codes import ADJECTIVES, ANIMALS, ISSUED_NUMBERS

    n = int.from_bytes(hashlib.sha256(label.encode("utf-8")).digest()[:8], "big")
    n, first = divmod(n, len(ADJECTIVES))
    n, second = divmod(n, len(ANIMALS))
    return f"{ADJECTIVES[first]}-{ANIMALS[second]}-{ISSUED_NUMBERS[n % len(ISSUED_NUMBERS)]}"


def make_known(site: Site, label: str) -> None:
    """Make the visit's learner one the store knows, as if the course had issued the code (a
    module keeps no answers under a code it never issued). The store is beside the notebooks
    (benchmarks/site.py)."""
    from npkit.store.learners import Store

    with Store.open(site.folder.parent / "learners.sqlite") as store:
        store.learner(learner_code(label))


async def open_page(browser, site: Site, page: P.Page, learner: str, visit: Visit):
    """A fresh context on ``page``, recording console and page errors into ``visit``;
    ``learner`` labels the visit's learner (:func:`learner_code`), made known to the store
    here, before any visit is timed."""
    make_known(site, learner)
    context = await browser.new_context()
    context.set_default_timeout(VISIT_TIMEOUT_MS)
    await context.add_init_script(P.init_script(page))
    tab = await context.new_page()
    tab.on("console", lambda m: visit.errors.append(f"console: {m.text[:200]}")
           if m.type == "error" else None)
    tab.on("pageerror", lambda e: visit.errors.append(f"page error: {str(e)[:200]}"))
    return context, tab


async def load(tab, site: Site, page: P.Page, learner: str, visit: Visit,
               timeout_ms: int = VISIT_TIMEOUT_MS) -> None:
    """Navigate and wait until the page says it is interactive; fill ``visit`` in."""
    try:
        response = await tab.goto(site.url(page.notebook, learner=learner_code(learner)),
                                  wait_until="commit", timeout=timeout_ms)
        if response is not None and response.status != 200:
            visit.errors.append(f"HTTP {response.status}")
        await tab.wait_for_function(P.IS_READY, polling=100, timeout=timeout_ms)
    except Exception as e:  # noqa: BLE001 - a timeout or a crash is an error of this visit
        visit.errors.append(f"{type(e).__name__}: {str(e).splitlines()[0][:200]}")
        try:  # what the page got to, e.g. whether the server finished sending it
            t = await asyncio.wait_for(tab.evaluate(P.READ_TIMINGS), 10)
        except Exception:  # noqa: BLE001 - a crashed page has nothing to say
            return
        visit.response_end_ms = t.get("response_end_ms") or None
        visit.kernel_id = t.get("kernel_id")
        visit.errors += t.get("errors") or []
        return
    t = await tab.evaluate(P.READ_TIMINGS)
    for key in ("ready_ms", "key_ready_ms", "all_drawn_ms", "first_widget_ms",
                "response_start_ms", "response_end_ms",
                "dom_content_loaded_ms", "time_origin", "kernel_id"):
        setattr(visit, key, t.get(key))
    visit.errors += t.get("errors") or []


def used_preheated(site: Site, kernel_id: str | None) -> bool | None:
    if not kernel_id:
        return None
    return f"Using pre-heated kernel: {kernel_id}" in site.log_text()


def measure_rss(visit: Visit) -> None:
    pid = kernel_pid(visit.kernel_id) if visit.kernel_id else None
    visit.kernel_rss_mb = rss_mb(pid) if pid else None


async def leave(tab, context, site: Site, kernel_id: str | None) -> None:
    """Leave the page (it asks Voila to shut its kernel down) and wait until Voila has."""
    try:
        await tab.goto("about:blank")
    finally:
        await context.close()
    if kernel_id:
        deadline = time.monotonic() + SHUTDOWN_WAIT_S
        pattern = f"Kernel shutdown: {kernel_id}"
        while pattern not in site.log_text() and time.monotonic() < deadline:
            await asyncio.sleep(0.2)  # polling interval; the condition is the log line


async def visit_once(browser, site: Site, notebook: str, learner: str) -> Visit:
    page = P.PAGES[notebook]
    visit = Visit(notebook)
    context, tab = await open_page(browser, site, page, learner, visit)
    try:
        await load(tab, site, page, learner, visit)
        measure_rss(visit)
        visit.preheated = used_preheated(site, visit.kernel_id)
    finally:
        await leave(tab, context, site, visit.kernel_id)
    return visit


def visit_order(notebooks: list[str], repeats: int) -> list[str]:
    """Per repeat: the floor before every module (floor, lab, floor, module 0, floor, module
    1, ...), so each module's visit sits right after a floor visit: on a shared machine the
    load drifts over a run, and a module measured six visits after its floor would carry
    the drift into its ratio (paired_ratios)."""
    modules = [nb for nb in notebooks if nb != FLOOR]
    modules.sort(key=lambda nb: nb != P.LAB)  # the lab first, as before
    return [page for nb in modules for page in (FLOOR, nb)] * repeats


def paired_ratios(visits: list[Visit]) -> dict[str, float]:
    """Per module, the median of its visits' time to interactive each divided by the floor
    visit just before it (visit_order), visits with errors left out."""
    ratios: dict[str, list[float]] = {}
    floor = None
    for v in visits:
        if v.notebook == FLOOR:
            floor = v if v.ready_ms and not v.errors else None
        elif floor is not None and v.ready_ms and not v.errors:
            ratios.setdefault(v.notebook, []).append(v.ready_ms / floor.ready_ms)
    return {nb: round(statistics.median(rs), 3) for nb, rs in ratios.items()}


async def first_render(browser, site: Site, notebooks: list[str], repeats: int,
                       log=print) -> list[Visit]:
    """Visit each page ``repeats`` times, one at a time, each on a full preheat pool."""
    # A warm-up visit (not counted): Chromium's first page pays for starting its renderer.
    await site_wait(site)
    await visit_once(browser, site, FLOOR, "bench-warmup")
    visits = []
    for i, nb in enumerate(visit_order(notebooks, repeats)):
        await site_wait(site)
        v = await visit_once(browser, site, nb, f"bench-first-{i:03d}")
        visits.append(v)
        log(f"  {nb:32s} ready {v.ready_ms or float('nan'):8.0f} ms  "
            f"kernel {v.kernel_rss_mb or float('nan'):5.0f} MB"
            f"{'  ERRORS: ' + '; '.join(v.errors) if v.errors else ''}")
    return visits


async def site_wait(site: Site) -> float:
    """Until every page's pool is full again (run in a thread: it polls the log)."""
    return await asyncio.to_thread(site.wait_for_pool)


async def toggles(browser, site: Site, n: int, *, settle_ms: int = 150,
                  timeout_ms: int = 30_000) -> dict:
    """Open the scenario lab and flip ``TOGGLE_FACT`` ``n`` times (alternating on and off)."""
    await site_wait(site)
    page = P.PAGES[P.LAB]
    visit = Visit(P.LAB)
    context, tab = await open_page(browser, site, page, "bench-toggle", visit)
    try:
        await load(tab, site, page, "bench-toggle", visit)
        if visit.ready_ms is None:
            return {"samples_ms": [], "failures": n, "errors": visit.errors}
        result = await tab.evaluate(P.TOGGLE, {"label": P.TOGGLE_FACT, "n": n,
                                               "settle": settle_ms, "timeout": timeout_ms})
        measure_rss(visit)
    finally:
        await leave(tab, context, site, visit.kernel_id)
    return {"samples_ms": [round(s, 2) for s in result["samples"]],
            "failures": len(result["failures"]), "back_to_start": result["back_to_start"],
            "errors": visit.errors, "kernel_rss_mb_after": visit.kernel_rss_mb}


async def room(browser, site: Site, n: int, notebook: str = P.LAB) -> dict:
    """``n`` trainees open ``notebook`` at once (contexts made first, then every navigation
    started together). The time until all are interactive runs from the earliest navigation
    start to the latest ready, both read in the pages (performance.timeOrigin + now())."""
    await site_wait(site)
    log_before = len(site.log_text())
    page = P.PAGES[notebook]
    visits = [Visit(notebook) for _ in range(n)]
    opened = [await open_page(browser, site, page, f"bench-room-{i:03d}", v)
              for i, v in enumerate(visits)]
    started = time.time() * 1000
    await asyncio.gather(*(load(tab, site, page, f"bench-room-{i:03d}", v, ROOM_TIMEOUT_MS)
                           for i, ((_, tab), v) in enumerate(zip(opened, visits, strict=True))))
    wall_s = time.time() - started / 1000
    for v in visits:
        measure_rss(v)
    log = site.log_text()[log_before:]
    preheated = len(re.findall(r"Using pre-heated kernel: \S+ for " + re.escape(notebook), log))
    ready_at = [v.time_origin + v.ready_ms for v in visits if v.ready_ms is not None]
    origins = [v.time_origin for v in visits if v.time_origin is not None] or [started]
    failed = [v for v in visits if v.ready_ms is None or v.errors]
    never = sum(1 for v in visits if v.ready_ms is None)
    result = {
        "trainees": n,
        # None when a trainee's page never became interactive (then the room never was)
        "all_ready_s": (round((max(ready_at) - min(origins)) / 1000, 2)
                        if ready_at and not never else None),
        "never_ready": never,
        "wall_s": round(wall_s, 2),
        "errors": sum(1 for v in failed),
        "error_messages": sorted({e for v in visits for e in v.errors})[:20],
        "preheated_kernels_used": preheated,
        "ready_s": sorted(round(v.ready_ms / 1000, 2) for v in visits if v.ready_ms),
        "median_ready_s": (round(statistics.median(v.ready_ms for v in visits
                                                   if v.ready_ms) / 1000, 2)
                           if any(v.ready_ms for v in visits) else None),
        "server_done_s": sorted(round(v.response_end_ms / 1000, 2) for v in visits
                                if v.response_end_ms),
        "kernel_rss_mb_total": round(sum(v.kernel_rss_mb or 0 for v in visits), 1),
    }
    await asyncio.gather(*(leave(tab, ctx, site, v.kernel_id)
                           for (ctx, tab), v in zip(opened, visits, strict=True)))
    return result
