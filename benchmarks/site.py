"""The Voila server under test: npkit's own command line (``npkit.course.dashboard.voila_command``,
what ``make dashboard`` runs) serving a temporary folder with the modules, built from
notebooks/*.py, and the floor notebook (benchmarks/floor.py), with the learner store in a
temporary file. It is started through :mod:`benchmarks.voila_probe`, which only adds log lines.
"""

from __future__ import annotations

import os
import re
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLOOR = "floor.ipynb"
TWIN = "lab_twin.ipynb"  # benchmarks/twin.py
SERVER_START_TIMEOUT = 300  # s: every page's kernel starts at once on a busy 2-core machine

sys.path.insert(0, str(ROOT / "tests" / "browser"))
try:
    from browser_support import (  # noqa: E402 - the browser tests' server helpers
        CHROMIUM_ARGS,
        free_port,
        start_server,
        stop_server,
    )
finally:
    sys.path.remove(str(ROOT / "tests" / "browser"))

__all__ = ["CHROMIUM_ARGS", "FLOOR", "TWIN", "Site", "prepare_notebooks", "start"]


def _build_notebooks():
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_notebooks
    finally:
        sys.path.remove(str(ROOT / "tools"))
    return build_notebooks


def prepare_notebooks(folder: Path, pages: Iterable[str] | None = None) -> list[str]:
    """Build every module (notebooks/NN_*.py that the catalogue lists) and the floor notebook
    into ``folder``, or only those of them named in ``pages``; their file names, floor last.
    The scenario lab's widget twin (benchmarks/twin.py, ``TWIN``) only when ``pages`` names
    it: it runs the lab in a kernel to copy its widgets."""
    from npkit.course.training.modules import MODULES

    bn = _build_notebooks()
    folder.mkdir(parents=True, exist_ok=True)
    wanted = None if pages is None else set(pages)
    names = []
    for m in MODULES:
        if wanted is not None and m.notebook not in wanted:
            continue
        src = bn.NOTEBOOKS / m.notebook.replace(".ipynb", ".py")
        (folder / m.notebook).write_text(bn.text(bn.build(src)), encoding="utf-8")
        names.append(m.notebook)
    if wanted is not None and TWIN in wanted:
        from . import twin

        twin.prepare(folder)
        names.append(TWIN)
    if wanted is None or FLOOR in wanted:
        floor = bn.build(ROOT / "benchmarks" / "floor.py")
        (folder / FLOOR).write_text(bn.text(floor), encoding="utf-8")
        names.append(FLOOR)
    return names


@dataclass
class Site:
    base: str
    folder: Path
    log: Path
    process: object
    pool_sizes: dict[str, int]
    notebooks: list[str] = field(default_factory=list)
    # pages preheated for a room at start (--room), refilled to their usual size afterwards
    room_sizes: dict[str, int] = field(default_factory=dict)

    def url(self, notebook: str, **query: str) -> str:
        from urllib.parse import urlencode

        q = f"?{urlencode(query)}" if query else ""
        return f"{self.base}/voila/render/{notebook}{q}"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    # -------------------------------------------------------------- the preheat pool

    def pool(self) -> dict[str, int]:
        """Kernels ready and waiting for a visitor, per notebook: a preheated kernel is ready
        once it has run its page up to the cell that asks for the visitor (or to the end), and
        stops being in the pool when Voila hands it to a visitor."""
        text = self.log_text()
        notebook_of = dict((kid, nb) for nb, kid in
                           re.findall(r"npkit-bench: prerender-start (\S+) (\S+)", text))
        ready = set(re.findall(r"npkit-bench: prerender-done \S+ (\S+)", text))
        ready |= set(re.findall(r"npkit-bench: waiting-for-visitor (\S+)", text))
        used = set(re.findall(r"Using pre-heated kernel: (\S+) for", text))
        counts = Counter(notebook_of[k] for k in ready - used if k in notebook_of)
        return {nb: counts.get(nb, 0) for nb in self.notebooks}

    def wait_for_pool(self, notebook: str | None = None, *, full: bool = True,
                      room: bool = False, timeout: float = 300) -> float:
        """Until ``notebook``'s pool (every pool, if None) holds its configured number of
        ready kernels (at least one if not ``full``; the room's size for a room's page if
        ``room``); the seconds waited."""
        start = time.monotonic()
        names = [notebook] if notebook else self.notebooks
        sizes = {**self.pool_sizes, **(self.room_sizes if room else {})}
        while True:
            counts = self.pool()
            if all(counts.get(nb, 0) >= (sizes.get(nb, 1) if full else 1)
                   for nb in names):
                return time.monotonic() - start
            if self.process.poll() is not None:
                raise RuntimeError(f"Voila exited:\n{self.log_tail()}")
            if time.monotonic() - start > timeout:
                raise RuntimeError(f"the preheat pool did not refill within {timeout} s: "
                                   f"{counts}\n{self.log_tail()}")
            time.sleep(0.2)  # polling interval; the condition is the log lines above

    def stop(self) -> None:
        stop_server(self.process)


# Whether every server it starts forks its kernels from npkit's fork server
# (npkit.course.fork_provisioner): benchmarks.run --fork-kernels True, --no-fork-kernels
# (or --plain-kernels) False;
# None: as NPKIT_FORK_KERNELS says (unset: forked, npkit course's default).
FORK_KERNELS: bool | None = None


def kernels_forked() -> bool:
    """Whether the servers started here fork their kernels (what the JSON records)."""
    from npkit.course.dashboard import forks_kernels

    return forks_kernels(FORK_KERNELS)


def start(tmp: Path, *, pool_sizes: dict[str, int] | None = None,
          refill_delay: float | None = None, notebooks: list[str] | None = None,
          extra: list[str] | None = None, room_sizes: dict[str, int] | None = None) -> Site:
    """Start Voila on a free port; return once it answers (the pools may still be filling).
    ``pool_sizes``: preheated kernels per notebook (1 for any other, as ``make dashboard``);
    ``refill_delay``: ``python -m npkit.course.dashboard --refill-delay``; ``room_sizes``: its
    ``--room`` (preheated for a room at start, then refilled to the usual size); ``extra``: more
    flags."""
    from npkit.course.dashboard import voila_command

    folder = tmp / "notebooks"
    if notebooks is None:
        notebooks = prepare_notebooks(folder)
    pool_sizes = dict(pool_sizes or {})
    port = free_port()
    cmd = voila_command(folder, port=port, pool_sizes=pool_sizes, refill_delay=refill_delay,
                        room_sizes=room_sizes, fork_kernels=FORK_KERNELS)
    i = cmd.index("--voila")
    cmd = [cmd[0], "-m", "benchmarks.voila_probe", *cmd[i + 1:], *(extra or [])]
    env = dict(os.environ, NPKIT_STORE=str(tmp / "learners.sqlite"),
               NPKIT_CASES=os.environ.get("NPKIT_CASES", str(ROOT / "cases")),
               PYTHONUNBUFFERED="1")
    log = tmp / "voila.log"
    process = start_server(cmd, env, log)
    site = Site(f"http://127.0.0.1:{port}", folder, log, process, pool_sizes, notebooks,
                dict(room_sizes or {}))
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"Voila exited with code {process.returncode}:\n"
                               f"{site.log_tail()}")
        try:
            with urllib.request.urlopen(f"{site.base}/", timeout=5) as r:
                if r.status == 200:
                    return site
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            site.stop()
            raise RuntimeError(f"Voila did not answer within {SERVER_START_TIMEOUT} s")
        time.sleep(0.2)  # polling interval; readiness is the HTTP answer


# ------------------------------------------------------------------ kernel processes


def kernel_pid(kernel_id: str) -> int | None:
    """The process of the kernel ``kernel_id`` (its command line names kernel-<id>.json)."""
    needle = f"kernel-{kernel_id}.json".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if needle in (entry / "cmdline").read_bytes():
                return int(entry.name)
        except OSError:
            continue
    return None


def rss_mb(pid: int) -> float | None:
    """Resident memory of ``pid`` in MB (VmRSS), or None if it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


