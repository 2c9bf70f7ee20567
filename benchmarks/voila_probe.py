"""Run the course's Voila exactly as ``python -m npkit.course.dashboard --voila ...`` does, plus
three log lines the benchmarks wait on (nothing else changes)::

    npkit-bench: prerender-start <notebook> <kernel_id>
    npkit-bench: prerender-done <notebook> <kernel_id>      (every cell pre-run)
    npkit-bench: waiting-for-visitor <kernel_id>            (blocked reading the visitor's query)

A preheated kernel runs its page ahead of the first visitor until a cell asks who the visitor
is (every module's ``bind_learner``), then waits on Voila's query websocket; a page that never
asks (the floor notebook) runs to its end. Either way the kernel is then as ready as Voila can
make it, which is what the benchmarks wait for between two visits of the same page.

    python -m benchmarks.voila_probe <the arguments after --voila in voila_command()>

With ``NPKIT_BENCH_PROFILE=<folder>`` in its environment, each SIGUSR1 starts or stops a
cProfile of the server (process CPU time), written to ``<folder>/<n>.prof`` when it stops
(benchmarks/server_cpu.py --cprofile). With ``NPKIT_BENCH_GC=1`` it logs each collection of
the oldest generation: ``npkit-bench: gc2 <ms of process CPU> <objects collected>``.
"""

from __future__ import annotations

import functools
import sys

PREFIX = "npkit-bench:"


def _say(*words: object) -> None:
    print(PREFIX, *words, flush=True)


def install() -> None:
    from voila.notebook_renderer import NotebookRenderer
    from voila.request_info_handler import RequestInfoSocketHandler

    hybrid = NotebookRenderer.generate_content_hybrid

    @functools.wraps(hybrid)
    async def generate_content_hybrid(self, kernel_id=None, kernel_future=None):
        _say("prerender-start", self.notebook_path, kernel_id)
        result = await hybrid(self, kernel_id, kernel_future)
        if not self.stop_generator:
            _say("prerender-done", self.notebook_path, kernel_id)
        return result

    NotebookRenderer.generate_content_hybrid = generate_content_hybrid

    # The course's server mends this handler (npkit.course.voila_mends) when it starts; mend it
    # first here, so that the line below wraps the mended open (the mend, finding its mark,
    # then leaves the class alone) instead of being replaced by it.
    from npkit.course.voila_mends import mend_request_info

    mend_request_info(RequestInfoSocketHandler)
    opened = RequestInfoSocketHandler.open

    @functools.wraps(opened)
    def open_(self, kernel_id):
        _say("waiting-for-visitor", kernel_id)
        return opened(self, kernel_id)

    RequestInfoSocketHandler.open = open_


def profile_on_signal(folder: str) -> None:
    """SIGUSR1: start a cProfile of this process, or stop it and write ``<folder>/<n>.prof``."""
    import cProfile
    import os
    import signal
    import time

    state = {"profile": None, "n": 0}

    def toggle(_signum, _frame):
        if state["profile"] is None:
            state["profile"] = cProfile.Profile(time.process_time)
            state["profile"].enable()
        else:
            state["profile"].disable()
            state["profile"].dump_stats(os.path.join(folder, f"{state['n']}.prof"))
            state["profile"], state["n"] = None, state["n"] + 1

    signal.signal(signal.SIGUSR1, toggle)


def log_full_collections() -> None:
    """A log line for every full collection (generation 2), with the CPU it took."""
    import gc
    import time

    started = {}

    def watch(phase, info):
        if info["generation"] != 2:
            return
        if phase == "start":
            started["t"] = time.process_time()
        elif "t" in started:
            _say("gc2", f"{1000 * (time.process_time() - started.pop('t')):.1f}",
                 info["collected"])

    gc.callbacks.append(watch)


def main(argv: list[str] | None = None) -> int:
    import os

    from npkit.course.dashboard import run_voila

    install()
    if os.environ.get("NPKIT_BENCH_PROFILE"):
        profile_on_signal(os.environ["NPKIT_BENCH_PROFILE"])
    if os.environ.get("NPKIT_BENCH_GC"):
        log_full_collections()
    return run_voila(list(sys.argv[1:] if argv is None else argv))


if __name__ == "__main__":
    sys.exit(main())
