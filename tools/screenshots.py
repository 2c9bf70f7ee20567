"""Screenshots of every course page, and the reading figures issue 14 asks for, under build/.

    .venv/bin/python tools/screenshots.py LABEL [--size 1366x768] [--size 390x844]

Serves the course as ``make dashboard`` does (a free port, a throwaway learner store), opens the
landing page and every module in Debian's headless Chromium, and writes
``build/screenshots/LABEL/<size>/<page>.png`` (the whole page) and ``build/screenshots/LABEL/
figures.json``: per page, its height in pixels and in screens, and the number of visible
sentences over 40 words (and, for a module shown one step at a time, the page's height in
screens at each step). Nothing here is a test: compare two labels (``before``, ``after``)
by eye and by the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from npkit.render.pdf import CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parents[1]
LONG_SENTENCE_WORDS = 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def long_sentences(text: str) -> int:
    sentences = re.split(r"(?<=[.!?])\s+|\n+", text)
    return sum(len(s.split()) > LONG_SENTENCE_WORDS for s in sentences)


def step_heights(page) -> list[int]:
    """A module shown one step at a time (npkit-steps.js): the page's height at each step, in
    pixels, reached with the steps nav (nothing for another page). The screenshot and the
    page figures are of the first step."""
    links = page.locator(".npk-steps a[data-npk-step-link]")
    heights = []
    for i in range(links.count()):
        links.nth(i).click()
        page.wait_for_function(
            "(n) => document.querySelector(`[data-npk-step-link='${n}']`)"
            ".getAttribute('aria-current') === 'step'", arg=str(i + 1))
        heights.append(page.evaluate("document.documentElement.scrollHeight"))
    return heights


def serve(port: int, store: Path):
    from npkit.course.dashboard import voila_command

    cmd = voila_command(ROOT / "notebooks", port=port)
    env = dict(os.environ, NPKIT_STORE=str(store))
    process = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return process
        except OSError:
            time.sleep(0.5)  # polling interval; the condition is the server answering
    process.kill()
    raise SystemExit("the course server did not start within 120 s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("label")
    parser.add_argument("--size", action="append", default=None)
    args = parser.parse_args(argv)
    sizes = args.size or ["1366x768"]
    from playwright.sync_api import sync_playwright

    out = ROOT / "build" / "screenshots" / args.label
    out.mkdir(parents=True, exist_ok=True)
    pages = [("landing", "/"), ("glossary", "/glossary")] + [
        (p.stem, f"/voila/render/{p.name}") for p in sorted((ROOT / "notebooks").glob("0*.ipynb"))]
    figures: dict[str, dict] = {}
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = serve(port, Path(tmp) / "learners.sqlite")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=shutil.which("chromium"),
                                            args=CHROMIUM_ARGS)
                for size in sizes:
                    width, height = (int(n) for n in size.split("x"))
                    (out / size).mkdir(exist_ok=True)
                    for name, path in pages:
                        page = browser.new_page(viewport={"width": width, "height": height})
                        page.goto(f"http://127.0.0.1:{port}{path}", timeout=120_000)
                        if path.startswith("/voila/"):
                            page.wait_for_selector(".jupyter-widgets", timeout=120_000)
                            page.wait_for_timeout(1500)  # let late outputs draw
                        page.screenshot(path=str(out / size / f"{name}.png"), full_page=True)
                        full = page.evaluate("document.documentElement.scrollHeight")
                        text = page.evaluate("document.body.innerText")
                        figures.setdefault(name, {})[size] = {
                            "height_px": full, "screens": round(full / height, 1),
                            "long_sentences": long_sentences(text)}
                        steps = step_heights(page)
                        if steps:
                            figures[name][size]["steps_screens"] = [
                                round(px / height, 1) for px in steps]
                        page.close()
                browser.close()
        finally:
            server.terminate()
            server.wait(timeout=30)
    (out / "figures.json").write_text(json.dumps(figures, indent=2) + "\n")
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
