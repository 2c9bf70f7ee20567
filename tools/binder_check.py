"""Prove the Binder configuration: build its environment from binder/ alone, run every module.

    python3 tools/binder_check.py            # what `make binder-check` (and `make test`) runs
    python3 tools/binder_check.py --rebuild  # make the environment afresh even if it is current

1. The environment. A fresh virtual environment, ``build/binder-venv`` (never ``.venv``), made
   the way mybinder's repo2docker makes its image: ``pip install -r binder/requirements.txt``,
   then ``binder/postBuild`` executed from the repository root with the environment first on
   PATH. It is made again only when a file in binder/, pyproject.toml or the Python version
   changes (a hash of them is kept in ``build/binder-venv/.npkit-binder``); otherwise the
   notebooks and the proxy configuration, which postBuild also writes, are brought up to date
   from the current sources.
2. Every built notebook is executed in that environment (``jupyter nbconvert --execute``, two
   at a time, the kernels over Unix sockets); an error in any cell fails the check.
3. The Binder links in README.md are opened on a Jupyter server started from that environment
   under a Binder-like base URL: ``<base>/npkit/`` (the course, through jupyter-server-proxy)
   must show the landing page with the module catalogue, module 0 must render through it with
   no failed cell and its kernel answer over the websocket, and
   ``<base>/lab/tree/notebooks/...`` must open JupyterLab.

The checks run with Jupyter's user folders pointed at empty ones under build/binder-check, so a
developer's own kernels, settings or templates cannot make a broken Binder pass.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import kernel_probe  # tools/kernel_probe.py, beside this script

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
VENV = ROOT / "build" / "binder-venv"
WORK = ROOT / "build" / "binder-check"
STAMP = VENV / ".npkit-binder"
BASE_URL = "/binder-check/"  # Binder serves under /user/<name>/; any prefix proves the links
CELL_TIMEOUT = 600  # s, per cell: the machine may be busy
SERVER_TIMEOUT = 180  # s: Jupyter server start, then Voila started by the proxy
# What README.md's badges open (urlpath=...), relative to the server's base URL.
COURSE_PATH = "npkit/"
LAB_PATH = "lab/tree/notebooks/00_start_here.ipynb"
FIRST_MODULE = "00_start_here.ipynb"
# Variables that would make the environment or the checks depend on this machine's set-up.
DROPPED = ("PYTHONHOME", "PYTHONPATH", "VIRTUAL_ENV", "CONDA_PREFIX", "JUPYTER_PATH",
           "JUPYTER_CONFIG_PATH", "REPO_DIR", "NPKIT_CASES", "NPKIT_DB_URL", "NPKIT_STORE")


def say(message: str) -> None:
    print(f"binder-check: {message}", flush=True)


class CheckFailed(Exception):
    pass


def spec_hash() -> str:
    """Everything the environment is made from: binder/*, pyproject.toml, the Python version."""
    h = hashlib.sha256(sys.version.encode())
    for path in [*sorted(p for p in BINDER.rglob("*") if p.is_file()), ROOT / "pyproject.toml"]:
        h.update(str(path.relative_to(ROOT)).encode() + b"\0")
        h.update(path.read_bytes() + b"\0")
        h.update(b"x" if os.access(path, os.X_OK) else b"-")
    return h.hexdigest()


def venv_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in DROPPED}
    env["PATH"] = os.pathsep.join([str(VENV / "bin"), env.get("PATH", "")])
    env["VIRTUAL_ENV"] = str(VENV)
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra or {})
    return env


def run(cmd: list[str], env: dict[str, str], what: str) -> None:
    started = time.monotonic()
    result = subprocess.run(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)
    if result.returncode:
        raise CheckFailed(f"{what} failed (exit {result.returncode}): {' '.join(cmd)}")
    say(f"{what}: {time.monotonic() - started:.0f} s")


def make_environment(rebuild: bool) -> None:
    wanted = spec_hash()
    python = VENV / "bin" / "python"
    current = STAMP.read_text().strip() if STAMP.is_file() else None
    env = venv_env()
    if current == wanted and python.is_file() and not rebuild:
        say(f"{VENV.relative_to(ROOT)} is current (binder/ and pyproject.toml unchanged)")
        # What postBuild does after installing, from today's sources.
        run([str(python), "tools/build_notebooks.py"], env, "notebooks built")
        run([str(python), "binder/configure.py"], env, "binder/configure.py")
        return
    say(f"making {VENV.relative_to(ROOT)} from binder/ alone")
    shutil.rmtree(VENV, ignore_errors=True)
    run([sys.executable, "-m", "venv", str(VENV)], os.environ.copy(), "venv created")
    run([str(python), "-m", "pip", "install", "--quiet", "-r", "binder/requirements.txt"], env,
        "pip install -r binder/requirements.txt")
    run([str(BINDER / "postBuild")], env, "binder/postBuild")
    STAMP.write_text(wanted + "\n")


def check_env() -> dict[str, str]:
    """The environment for the checks: Jupyter's user folders empty, the store in WORK."""
    folders = {name: WORK / name for name in ("jupyter-config", "jupyter-data", "ipython",
                                               "runtime")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return venv_env({
        "JUPYTER_CONFIG_DIR": str(folders["jupyter-config"]),
        "JUPYTER_DATA_DIR": str(folders["jupyter-data"]),
        "JUPYTER_RUNTIME_DIR": str(folders["runtime"]),
        "IPYTHONDIR": str(folders["ipython"]),
        "NPKIT_STORE": str(WORK / "learners.sqlite"),
    })


def check_kernel(env: dict[str, str]) -> None:
    """The python3 kernel the notebooks ask for is the environment's own."""
    out = subprocess.run([str(VENV / "bin" / "jupyter"), "kernelspec", "list", "--json"],
                         cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout
    where = Path(json.loads(out)["kernelspecs"]["python3"]["resource_dir"]).resolve()
    if not where.is_relative_to(VENV.resolve()):
        raise CheckFailed(f"the python3 kernel is not the environment's: {where}")


def execute_notebooks(env: dict[str, str]) -> None:
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        raise CheckFailed("no notebooks were built")
    out = WORK / "executed"
    out.mkdir(parents=True, exist_ok=True)
    lanes = [notebooks[i::2] for i in range(2)]
    started = time.monotonic()

    def lane(batch: list[Path]) -> tuple[int, str]:
        # The kernels over Unix sockets, each lane's in a folder of its own, as the course
        # server's (voila.json): over TCP, a port found free for one lane's kernel can be taken
        # by the other's before the kernel binds it, and the kernel dies ("Kernel died before
        # replying to kernel_info" failed a CI run here; tests/kernel_support.py says more).
        sockets = tempfile.mkdtemp(prefix="npk-ipc-")
        cmd = [str(VENV / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
               f"--ExecutePreprocessor.timeout={CELL_TIMEOUT}", "--output-dir", str(out),
               "--KernelManager.transport=ipc", f"--KernelManager.ip={sockets}/kernel",
               *map(str, batch)]
        try:
            r = subprocess.run(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                               capture_output=True, text=True)
        finally:
            shutil.rmtree(sockets, ignore_errors=True)
        return r.returncode, r.stderr

    with ThreadPoolExecutor(max_workers=len(lanes)) as pool:
        results = list(pool.map(lane, [b for b in lanes if b]))
    failed = [err for code, err in results if code]
    if failed:
        raise CheckFailed("a notebook failed in the Binder environment:\n"
                          + "\n".join(map(cause_and_tail, failed)))
    say(f"{len(notebooks)} notebooks executed: {time.monotonic() - started:.0f} s")


def cause_and_tail(stderr: str, tail: int = 4000) -> str:
    """A failed lane's stderr, shortened: its end (nbclient's traceback) and, before it, the
    lines that name an error, which a dying kernel prints well before that end."""
    if len(stderr) <= tail:
        return stderr
    head = stderr[:-tail].splitlines()
    causes = [line for line in head if re.search(r"Error\b|Exception\b|died", line)][-20:]
    return "\n".join([*causes, "[...]", stderr[-tail:]])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, token: str, timeout: float) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def check_links(env: dict[str, str]) -> None:
    """Open what README.md's badges open, on a server from the Binder environment."""
    # What the pages must (not) contain, from npkit as installed in the environment.
    facts = json.loads(subprocess.run(
        [str(VENV / "bin" / "python"), "-c",
         "import json; from npkit.course.dashboard import CELL_ERROR; "
         "from npkit.course.training.modules import MODULES; "
         "print(json.dumps([CELL_ERROR, MODULES[-1].title]))"],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout)
    cell_error, last_title = facts

    port, token = free_port(), secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}{BASE_URL}"
    cmd = [str(VENV / "bin" / "jupyter"), "server", "--no-browser", f"--port={port}",
           "--ServerApp.ip=127.0.0.1", "--ServerApp.port_retries=0",
           f"--ServerApp.base_url={BASE_URL}", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={ROOT}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--allow-root")  # CI containers run as root; Binder never does
    log = WORK / "jupyter-server.log"
    started = time.monotonic()
    with open(log, "wb") as out:
        server = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)

    def tail() -> str:
        return "\n".join(log.read_text(errors="replace").splitlines()[-30:])

    try:
        deadline = time.monotonic() + SERVER_TIMEOUT
        while True:
            if server.poll() is not None:
                raise CheckFailed(f"jupyter server exited ({server.returncode}):\n{tail()}")
            try:
                if fetch(base + "api/status", token, 5)[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise CheckFailed(f"jupyter server did not answer:\n{tail()}")
            time.sleep(0.5)  # polling interval; readiness is the HTTP answer

        # The proxy starts Voila on the first request and answers once Voila does.
        status, page = fetch(base + COURSE_PATH, token, SERVER_TIMEOUT)
        module_link = f'href="{BASE_URL}{COURSE_PATH}voila/render/{FIRST_MODULE}"'
        problems = [p for p, bad in [
            (f"HTTP {status}", status != 200),
            ("not npkit's landing page", "npk-landing" not in page),
            ("no module catalogue", last_title not in page),
            ("module links miss the base URL", module_link not in page),
        ] if bad]
        if problems:
            raise CheckFailed(f"{BASE_URL}{COURSE_PATH}: {', '.join(problems)}\n{tail()}")
        say(f"the course at {BASE_URL}{COURSE_PATH} shows the landing page")

        status, page = fetch(f"{base}{COURSE_PATH}voila/render/{FIRST_MODULE}", token,
                             SERVER_TIMEOUT)
        if status != 200 or "npk-module" not in page or cell_error in page:
            raise CheckFailed(f"module 0 through the proxy: HTTP {status}"
                              f"{', a cell failed' if cell_error in page else ''}\n{tail()}")
        kernel = re.search(r'"kernelId": *"([0-9a-f-]{36})"', page)
        if not kernel:
            raise CheckFailed("module 0 through the proxy: no kernel id in the page")
        try:
            kernel_probe.kernel_info(
                "127.0.0.1", port, f"{BASE_URL}{COURSE_PATH}api/kernels/{kernel[1]}/channels",
                headers={"Authorization": f"token {token}"})
        except (kernel_probe.ProbeFailed, OSError, ValueError) as e:
            raise CheckFailed(f"module 0's kernel websocket through the proxy: {e}\n"
                              f"{tail()}") from e
        say("module 0 renders through the proxy, and its kernel answers over the websocket")

        status, page = fetch(base + LAB_PATH, token, 60)
        if status != 200 or "JupyterLab" not in page:
            raise CheckFailed(f"{BASE_URL}{LAB_PATH}: HTTP {status}\n{tail()}")
        say(f"JupyterLab opens at {BASE_URL}{LAB_PATH}")
    finally:
        stop(server)
    say(f"Binder links: {time.monotonic() - started:.0f} s")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group (with the Voila the proxy started), then SIGKILL."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=wait)
            break
        except subprocess.TimeoutExpired:
            continue
    # The group may outlive its leader (kernels, Voila): make sure nothing is left.
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true",
                        help="make the environment afresh even if binder/ is unchanged")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        make_environment(args.rebuild)
        shutil.rmtree(WORK, ignore_errors=True)
        env = check_env()
        check_kernel(env)
        execute_notebooks(env)
        check_links(env)
    except CheckFailed as e:
        say(f"FAILED: {e}")
        return 1
    say(f"passed in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
