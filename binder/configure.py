"""Configure a Binder environment for npkit: run by binder/postBuild with its python.

- Adds to ``<prefix>/etc/jupyter/jupyter_server_config.json`` (only ``jpserver_extensions`` may
  go in a ``.d`` folder, so the file is merged, not replaced): jupyter-server-proxy then
  serves the course at ``<binder base URL>/npkit/``, starting standalone Voila on the first
  visit with the command ``make dashboard`` uses (``npkit.course.dashboard.voila_command``): npkit's
  template and landing page, tracebacks off, idle kernels culled. Kernels are started per visit
  rather than preheated (one per module would not fit in a Binder's memory), each as a fresh
  Python: no fork server (npkit.course.fork_provisioner), whatever NPKIT_FORK_KERNELS says
  where this runs. A Binder (and a JupyterHub user's server, which deploy/jupyterhub makes
  with this file) serves one person: a long-lived fork server would hold its memory for a
  few kernel starts, and the JupyterHub smoke test, which would prove it there, is not on CI
  (docs/deploy.md).
- Checks that Jupyter finds the ``npkit`` Voila template (the editable install puts it under
  ``<prefix>/share/jupyter``); where it does not, links it there from this checkout.

The files go under ``sys.prefix``, never the user's home: ``make binder-check`` runs this in a
throwaway virtual environment on a developer's machine.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from jupyter_core.paths import jupyter_path

from npkit.course.dashboard import NOTEBOOKS, SOURCE_SHARE, TEMPLATE, voila_command

NAME = "npkit"  # the course's address: <base URL>/npkit/
CONFIG = Path(sys.prefix) / "etc" / "jupyter" / "jupyter_server_config.json"
STARTUP_TIMEOUT = 180  # s: Voila imports the Jupyter server first; a busy Binder is slow
_PORT = 65535  # stands for jupyter-server-proxy's {port} until the command is written


def proxy_command() -> list[str]:
    """``voila_command`` as a jupyter-server-proxy template: ``{port}`` and ``{base_url}`` are
    filled in by the proxy (every other brace is escaped for its ``str.format``)."""
    cmd = [arg.replace("{", "{{").replace("}", "}}")
           for arg in voila_command(NOTEBOOKS, port=_PORT, preheat=False, fork_kernels=False)]
    port_arg = f"--port={_PORT}"
    if cmd.count(port_arg) != 1:
        raise SystemExit(f"binder/configure.py: expected one {port_arg} in {cmd}")
    cmd[cmd.index(port_arg)] = "--port={port}"
    # absolute_url: the proxy passes the full path on, so Voila serves under its prefix.
    return [*cmd, f"--Voila.base_url={{base_url}}{NAME}/"]


def server_config(existing: dict | None = None) -> dict:
    """``existing`` (what the file holds already) with the course's proxy entry set."""
    config = dict(existing or {})
    servers = config.setdefault("ServerProxy", {}).setdefault("servers", {})
    servers[NAME] = {
        "command": proxy_command(),
        "absolute_url": True,
        "timeout": STARTUP_TIMEOUT,
        "new_browser_tab": False,
        "launcher_entry": {"enabled": True, "title": "npkit course"},
    }
    return config


def template_found() -> Path | None:
    for folder in jupyter_path("voila", "templates", TEMPLATE):
        if (Path(folder) / "conf.json").is_file():
            return Path(folder)
    return None


def main() -> int:
    CONFIG.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(CONFIG.read_text(encoding="utf-8")) if CONFIG.is_file() else None
    CONFIG.write_text(json.dumps(server_config(existing), indent=2) + "\n", encoding="utf-8")
    print(f"binder: the course is served at <base URL>/{NAME}/ ({CONFIG})")
    found = template_found()
    if found is None:
        link = Path(sys.prefix) / "share" / "jupyter" / "voila" / "templates" / TEMPLATE
        link.parent.mkdir(parents=True, exist_ok=True)
        link.symlink_to(SOURCE_SHARE / "voila" / "templates" / TEMPLATE,
                        target_is_directory=True)
        found = template_found()
    if found is None:
        print(f"binder: Jupyter cannot find the {TEMPLATE} Voila template", file=sys.stderr)
        return 1
    print(f"binder: Voila template {TEMPLATE}: {found}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
