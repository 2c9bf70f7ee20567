"""What a module's first render costs the browser beyond Voila's floor, in counts that hold on a
loaded machine (issue 16).

    python -m benchmarks.render_cost [--repeats 5] [--notebooks 01_...,05_...] [--profile]

One Voila server as ``make dashboard`` runs it (benchmarks/site.py), one headless Chromium; the
floor page and each module take turns (floor, module, floor, module, ...), every visit on a
fresh preheated kernel, exactly as benchmarks/browser.py's first render. Per visit, read through
the Chrome DevTools Protocol and in the page once the page is interactive (benchmarks/pages.py):

- ``Performance.getMetrics`` in thread CPU time (``timeDomain: threadTicks``): ScriptDuration,
  LayoutDuration, RecalcStyleDuration, TaskDuration (ms of the renderer's main thread), and the
  LayoutCount / RecalcStyleCount, DOM Nodes, JS event listeners;
- requests and bytes by kind (npkit's own files, Voila's front end, fonts), and the kernel
  websocket's frames and bytes until interactive;
- long tasks (PerformanceObserver) and their total;
- the page's milestones in ms from navigation: the HTML received, DOMContentLoaded, the kernel
  websocket's first frame, the widget states' reply (``update_states``), the first widget, the
  page's key widget usable (``ready``, the benchmark's end condition) and every widget output
  drawn (``all_drawn``: no output placeholder left and a view in each widget output);
- widget views (``.jupyter-widgets`` elements) and widget outputs on the page.

``--profile`` adds a sampling CPU profile (CDP Profiler) of each visit, summed by script
file: the self time of each of npkit's scripts and of Voila's bundle.

Medians per page, and the module minus the floor, go to ``build/render_cost.json`` and the
screen, with the load average before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from . import browser as B
from . import pages as P
from . import site as S

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "build" / "render_cost.json"
METRICS = ("ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskDuration",
           "LayoutCount", "RecalcStyleCount", "Nodes", "JSEventListeners", "JSHeapUsedSize")
DURATIONS = {"ScriptDuration", "LayoutDuration", "RecalcStyleDuration", "TaskDuration"}

# Added to the benchmark's own init script: long tasks, and when every widget output is drawn.
_EXTRA = r"""
(() => {
  const b = window.__npkBench;
  b.longTasks = [];
  try {
    new PerformanceObserver(list => { for (const e of list.getEntries())
      b.longTasks.push([Math.round(e.startTime), Math.round(e.duration)]); })
      .observe({type: 'longtask', buffered: true});
  } catch (e) {}
  document.addEventListener('DOMContentLoaded', () => {
    b.widgetOutputs = [...document.querySelectorAll(
      'script[type="application/vnd.voila.cell-output+json"]')].filter(
      s => s.textContent.includes('application/vnd.jupyter.widget-view+json')).length;
  });
})();
"""

READ_EXTRA = """() => {
  const b = window.__npkBench;
  const long = b.longTasks || [];
  return {
    widget_outputs: b.widgetOutputs,
    first_paint_ms: (performance.getEntriesByName('first-contentful-paint')[0] || {}).startTime,
    head_blocking_scripts: [...document.head.querySelectorAll('script[src]')].filter(
      s => !s.defer && !s.async && s.type !== 'module').length,
    long_tasks: long.length, long_task_ms: long.reduce((s, t) => s + t[1], 0),
    long_tasks_before_ready: long.filter(t => t[0] < b.ready).length,
    dom_nodes: document.getElementsByTagName('*').length,
    widget_views: document.querySelectorAll('.jupyter-widgets').length,
    scripts: [...document.scripts].filter(s => s.src).map(s => s.src.split('?')[0]
      .split('/').pop()),
    stylesheets: document.styleSheets.length,
    css_rules: [...document.styleSheets].reduce((n, s) => {
      try { return n + s.cssRules.length; } catch (e) { return n; } }, 0),
  };
}"""


def kind(url: str) -> str:
    name = url.split("?")[0].rsplit("/", 1)[-1]
    if "/voila/render/" in url:
        return "html"
    if "/templates/npkit/static/" in url or name.startswith("npkit"):
        return "npkit:" + name
    if re.search(r"\.(woff2?|ttf|otf|eot)$", name):
        return "font"
    if "/api/kernels/" in url:
        return "kernel-api"
    if url.startswith("data:"):
        return "data"
    return "voila-frontend"


async def visit(browser, site: S.Site, notebook: str, label: str, profile: bool,
                block: tuple[str, ...] = ()) -> dict:
    page = P.PAGES[notebook]
    v = B.Visit(notebook)
    context, tab = await B.open_page(browser, site, page, label, v)
    if block:  # an experiment: the page without some of its files (--block)
        await context.route(re.compile("|".join(re.escape(b) for b in block)),
                            lambda route: route.abort())
    await context.add_init_script(_EXTRA)
    cdp = await context.new_cdp_session(tab)
    net: dict = {"requests": defaultdict(int), "bytes": defaultdict(int), "urls": {}}
    ws = {"frames_in": 0, "bytes_in": 0, "frames_out": 0, "bytes_out": 0, "first_in": None,
          "states_at": None, "created": None, "open": None, "first_out": None,
          "last_request": None}
    t0 = {}

    def on_request(e):
        if "nav" not in t0:
            t0["nav"] = e["timestamp"]
        net["urls"][e["requestId"]] = e["request"]["url"]

    def since(e):
        return round((e["timestamp"] - t0.get("nav", e["timestamp"])) * 1000, 1)

    def on_handshake(e):
        if ws["open"] is None:
            ws["open"] = since(e)

    def on_finished(e):
        url = net["urls"].get(e["requestId"], "")
        if not url.startswith("data:") and "/api/kernels/" not in url:
            ws["last_request"] = since(e)
        k = kind(url)
        net["requests"][k] += 1
        net["bytes"][k] += int(e.get("encodedDataLength", 0))

    def on_frame_in(e):
        data = e["response"].get("payloadData", "")
        ws["frames_in"] += 1
        ws.setdefault("log", []).append(["in", since(e), len(data), msg_type(data)])
        ws["bytes_in"] += len(data)
        at = (e["timestamp"] - t0.get("nav", e["timestamp"])) * 1000
        if ws["first_in"] is None:
            ws["first_in"] = at
        if ws["states_at"] is None and "update_states" in data:
            ws["states_at"] = at

    def on_frame_out(e):
        if ws["first_out"] is None:
            ws["first_out"] = since(e)
        ws["frames_out"] += 1
        ws.setdefault("log", []).append(["out", since(e), len(e["response"].get("payloadData", "")),
                                         msg_type(e["response"].get("payloadData", ""))])
        ws["bytes_out"] += len(e["response"].get("payloadData", ""))

    cdp.on("Network.requestWillBeSent", on_request)
    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.webSocketFrameReceived", on_frame_in)
    cdp.on("Network.webSocketFrameSent", on_frame_out)
    cdp.on("Network.webSocketWillSendHandshakeRequest",
           lambda e: ws.__setitem__("created", ws["created"] or since(e)))
    cdp.on("Network.webSocketHandshakeResponseReceived", on_handshake)
    await cdp.send("Network.enable")
    await cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
    if profile:
        await cdp.send("Profiler.enable")
        await cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        await cdp.send("Profiler.start")
    out: dict = {"notebook": notebook}
    try:
        await B.load(tab, site, page, label, v)
        metrics = {m["name"]: m["value"] for m in
                   (await cdp.send("Performance.getMetrics"))["metrics"]}
        out.update({k: (round(metrics[k] * 1000, 1) if k in DURATIONS else metrics[k])
                    for k in METRICS if k in metrics})
        if profile:
            prof = (await cdp.send("Profiler.stop"))["profile"]
            out["profile_ms"] = self_time_by_file(prof)
        out.update(await tab.evaluate(READ_EXTRA))
        out.update(ready_ms=v.ready_ms, key_ready_ms=v.key_ready_ms,
                   all_drawn_ms=v.all_drawn_ms, first_widget_ms=v.first_widget_ms,
                   response_end_ms=v.response_end_ms, dcl_ms=v.dom_content_loaded_ms,
                   ws_first_frame_ms=ws["first_in"], ws_handshake_ms=ws["created"],
                   ws_open_ms=ws["open"], ws_first_sent_ms=ws["first_out"],
                   last_file_ms=ws["last_request"], widget_states_ms=ws["states_at"],
                   ws_frames_in=ws["frames_in"], ws_bytes_in=ws["bytes_in"],
                   ws_frames_out=ws["frames_out"], ws_bytes_out=ws["bytes_out"],
                   requests=dict(net["requests"]), bytes=dict(net["bytes"]),
                   requests_total=sum(net["requests"].values()),
                   npkit_requests=sum(n for k, n in net["requests"].items()
                                      if k.startswith("npkit:npkit")),
                   errors=v.errors, ws_log=ws.get("log", []))
        out.update(phases(out, ws.get("log", [])))
        B.measure_rss(v)
        out["preheated"] = B.used_preheated(site, v.kernel_id)
    finally:
        await B.leave(tab, context, site, v.kernel_id)
    return out


def phases(out: dict, frames: list) -> dict:
    """The visit in four phases (ms): the HTML's end (the server and kernel finishing the page
    after the visitor came), Voila's front end starting (DOMContentLoaded to the kernel
    websocket), the kernel (websocket open to its largest frame, the widget states) and
    drawing (the widget states to interactive)."""
    ins = [f for f in frames if f[0] == "in"]
    if not ins or None in (out.get("ready_ms"), out.get("ws_open_ms"), out.get("dcl_ms"),
                           out.get("ws_handshake_ms")):
        return {}
    states = max(ins, key=lambda f: f[2])[1]
    return {"phase_html_ms": out.get("response_end_ms"),
            "phase_frontend_ms": round(out["ws_handshake_ms"] - out["dcl_ms"], 1),
            "phase_kernel_ms": round(states - out["ws_open_ms"], 1),
            "phase_draw_ms": round(out["ready_ms"] - states, 1)}


def msg_type(data: str) -> str:
    m = re.search(r'"msg_type":\s*"(\w+)"', data)
    what = m.group(1) if m else "?"
    m = re.search(r'"method":\s*"(\w+)"', data)
    return what + (f":{m.group(1)}" if m else "")


def self_time_by_file(profile: dict) -> dict:
    """Self time (ms) of each script file in a CDP CPU profile (samples x interval)."""
    nodes = {n["id"]: n for n in profile["nodes"]}
    counts: dict = defaultdict(int)
    for s in profile.get("samples", []):
        n = nodes.get(s)
        if not n:
            continue
        url = n["callFrame"].get("url", "")
        name = n["callFrame"].get("functionName", "")
        key = url.split("?")[0].rsplit("/", 1)[-1] if url else f"({name or 'native'})"
        counts[key] += 1
    deltas = profile.get("timeDeltas") or []
    per = (statistics.median(deltas) / 1000) if deltas else 0.2
    return {k: round(c * per, 1) for k, c in sorted(counts.items(), key=lambda x: -x[1])}


def med(xs):
    xs = [x for x in xs if isinstance(x, (int, float))]
    return round(statistics.median(xs), 1) if xs else None


def real_errors(v: dict) -> list[str]:
    """A visit's errors, less the blocked files' own (--block)."""
    return [e for e in v.get("errors", []) if "Failed to load resource: net::ERR_FAILED" not in e]


def summarise(visits: list[dict]) -> dict:
    pages: dict = {}
    for nb in dict.fromkeys(v["notebook"] for v in visits):
        mine = [v for v in visits if v["notebook"] == nb and not real_errors(v)]
        keys = {k for v in mine for k, x in v.items() if isinstance(x, (int, float))
                and not isinstance(x, bool)}
        row = {k: med(v.get(k) for v in mine) for k in sorted(keys)}
        for group in ("requests", "bytes", "profile_ms"):
            names = {n for v in mine for n in v.get(group, {})}
            row[group] = {n: med(v.get(group, {}).get(n, 0) for v in mine) for n in sorted(names)}
        row["scripts"] = mine[0]["scripts"] if mine else []
        row["visits"] = len(mine)
        row["errors"] = sorted({e for v in visits if v["notebook"] == nb for e in v["errors"]})
        pages[nb] = row
    paired: dict = defaultdict(list)  # module / the floor visit just before it
    before = None
    for v in visits:
        ok = v.get("ready_ms") and not real_errors(v)
        if v["notebook"] == S.FLOOR:
            before = v if ok else None
        elif before is not None and ok:
            paired[v["notebook"]].append(v["ready_ms"] / before["ready_ms"])
    floor = pages.get(S.FLOOR, {})
    for nb, row in pages.items():
        if nb == S.FLOOR:
            continue
        row["minus_floor"] = {k: round(row[k] - floor[k], 1) for k in row
                              if isinstance(row.get(k), (int, float))
                              and isinstance(floor.get(k), (int, float))}
        if row.get("ready_ms") and floor.get("ready_ms"):
            row["ready_ratio"] = round(row["ready_ms"] / floor["ready_ms"], 3)
        if paired.get(nb):
            row["paired_ratio"] = round(statistics.median(paired[nb]), 3)
        if row.get("key_ready_ms") and floor.get("key_ready_ms"):
            row["key_ready_ratio"] = round(row["key_ready_ms"] / floor["key_ready_ms"], 3)
    return pages


SHOW = ("ready_ms", "phase_html_ms", "phase_frontend_ms", "phase_kernel_ms", "phase_draw_ms",
        "key_ready_ms", "all_drawn_ms", "first_paint_ms", "response_end_ms", "dcl_ms",
        "last_file_ms", "head_blocking_scripts", "requests_total", "npkit_requests",
        "ws_handshake_ms", "ws_open_ms",
        "ws_first_sent_ms", "ws_first_frame_ms", "TaskDuration", "ScriptDuration",
        "LayoutDuration", "RecalcStyleDuration", "LayoutCount", "RecalcStyleCount",
        "long_tasks", "long_task_ms", "dom_nodes", "widget_views", "ws_frames_in",
        "ws_bytes_in")


def table(pages: dict) -> str:
    names = list(pages)
    lines = ["metric".ljust(22) + "".join(n[:12].rjust(13) for n in names)]
    for k in SHOW:
        lines.append(k.ljust(22) + "".join(str(pages[n].get(k)).rjust(13) for n in names))
    for k in ("ready_ratio", "paired_ratio", "key_ready_ratio"):
        lines.append(k.ljust(22) + "".join(str(pages[n].get(k, "")).rjust(13) for n in names))
    return "\n".join(lines)


async def main_async(args) -> dict:
    from playwright.async_api import async_playwright

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="npkit-rc-") as tmp:
        async with async_playwright() as pw:
            browser = await B.launch(pw)
            site = await asyncio.to_thread(S.start, Path(tmp))
            try:
                await B.site_wait(site)
                wanted = args.notebooks or [nb for nb in site.notebooks if nb != S.FLOOR]
                await visit(browser, site, S.FLOOR, "rc-warmup", False)
                visits = []
                for i in range(args.repeats):
                    for nb in wanted:
                        for page in (S.FLOOR, nb):
                            await B.site_wait(site)
                            v = await visit(browser, site, page, f"rc-{i}-{len(visits)}",
                                            args.profile, tuple(args.block))
                            visits.append(v)
                            print(f"  {page:34s} ready {v.get('ready_ms') or 0:7.0f}  "
                                  f"task {v.get('TaskDuration', 0):7.1f}  "
                                  f"script {v.get('ScriptDuration', 0):7.1f}  "
                                  f"layouts {v.get('LayoutCount', 0):4.0f}  "
                                  f"load {os.getloadavg()[0]:.1f}"
                                  f"{'  ' + str(v['errors']) if v.get('errors') else ''}",
                                  flush=True)
            finally:
                await asyncio.to_thread(site.stop)
                await browser.close()
    pages = summarise(visits)
    return {"load_before": load_before, "load_after": os.getloadavg(),
            "repeats": args.repeats, "pages": pages, "visits": visits,
            "when": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime())}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--notebooks", type=lambda s: [x for x in s.split(",") if x])
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--block", type=lambda s: [x for x in s.split(",") if x], default=[],
                    help="an experiment: file names the pages may not load, comma-separated")
    ap.add_argument("--output", type=Path, default=OUTPUT)
    args = ap.parse_args(argv)
    result = asyncio.run(main_async(args))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    print(table(result["pages"]))
    print(f"load average before {result['load_before']}, after {result['load_after']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
