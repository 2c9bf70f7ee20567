"""HTML to PDF with the system's headless Chromium, driven by Playwright (issue 17).

Debian's ``chromium`` is used as it is (``playwright install`` is never needed or run). The
page is given its HTML directly and every network request is refused, so printing fetches
nothing. The paper size is the document's own ``@page`` rule (``prefer_css_page_size``), with
``paper`` as the fallback. What is missing (Playwright, Chromium) is named in one sentence,
as :class:`PdfUnavailable`.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from pathlib import Path

from npkit.i18n import _

# How npkit starts Debian's Chromium everywhere: the PDF here, the browser tests, the benchmarks
# and tools/screenshots.py import this one list (headless, no network of its own).
CHROMIUM_ARGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync")
LAUNCH_TIMEOUT_MS = 60_000


class PdfUnavailable(RuntimeError):
    """PDF cannot be made on this computer; the message says what to install."""


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise PdfUnavailable(_(
            "PDF needs Chromium: install it (Debian/Ubuntu: apt-get install chromium), "
            "or use --format html and print from a browser"))
    return path


def to_pdf(documents: Iterable[tuple[str, Path]], *, paper: str = "A4") -> list[Path]:
    """Print each ``(html, path)`` to ``path`` as PDF with one browser; returns the paths."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise PdfUnavailable(_(
            "PDF needs Playwright: pip install 'npkit[handout]' (it drives the system's "
            "Chromium), or use --format html and print from a browser")) from None
    executable = chromium()
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS,
                                        timeout=LAUNCH_TIMEOUT_MS)
            try:
                context = browser.new_context(service_workers="block")
                context.route("**/*", lambda route: route.abort())
                for html, path in documents:
                    page = context.new_page()
                    page.set_content(html, wait_until="load")
                    path.parent.mkdir(parents=True, exist_ok=True)
                    page.pdf(path=str(path), format=paper, print_background=True,
                             prefer_css_page_size=True, tagged=True, outline=True)
                    page.close()
                    written.append(path)
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise PdfUnavailable(_("Chromium could not print the PDF ({program}): {error}").format(
            program=executable, error=first)) from None
    return written
