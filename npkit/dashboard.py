"""Serve the training modules as Voila dashboards.

Standalone Voila (not the Jupyter Server extension): standalone Voila drops code-execution
requests sent from the page, so a learner's browser can only talk to widgets. Tracebacks stay
off for users; kernels are preheated so a module opens without waiting for its cells to run,
and idle kernels are culled so a workshop laptop does not fill up.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"
PORT = 8866


def voila_command(notebooks: Path | None = None, *, port: int = PORT, host: str = HOST,
                  preheat: bool = True) -> list[str]:
    """The command line that serves every module in ``notebooks``."""
    notebooks = notebooks or ROOT / "notebooks"
    return [
        sys.executable, "-m", "voila", str(notebooks),
        "--no-browser",
        f"--port={port}",
        f"--Voila.ip={host}",
        "--show_tracebacks=False",
        "--strip_sources=True",
        f"--preheat_kernel={preheat}",
        "--pool_size=1",
        "--MappingKernelManager.cull_idle_timeout=1800",
        "--MappingKernelManager.cull_interval=300",
        "--MappingKernelManager.cull_connected=False",
    ]


def main() -> int:
    cmd = voila_command()
    print(f"serving the npkit modules on http://{HOST}:{PORT}/  (Ctrl-C to stop)", flush=True)
    os.execv(cmd[0], cmd)
    return 0  # not reached


if __name__ == "__main__":
    sys.exit(main())
