"""A kernel provisioner that forks each ipykernel from a fork server (npkit.course.forkserver)
that has already imported what the course's kernels import, instead of starting a new
interpreter. The default where npkit starts the course (``npkit course``, ``make dashboard``,
``make workshop-server``; off with ``--no-fork-kernels``, ``FORK_KERNELS=0`` or
``NPKIT_FORK_KERNELS=0``); elsewhere Jupyter's own switch
``--KernelProvisionerFactory.default_provisioner_name=npkit-fork`` (docs/performance.md).

It is jupyter_client's LocalProvisioner with one change: ``launch_kernel`` asks the fork server
for the process, and ``self.process`` is a :class:`ForkedProcess`, which answers Popen's calls
(poll, wait, send_signal, kill, terminate) for a process that is not this server's child. The
connection file, the ports, the command line, the environment, the working folder and the
process group (the kernel has its own session, so an interrupt or a kill reaches that kernel
and what it started, nothing else) are LocalProvisioner's. A launch falls back to a plain
LocalProvisioner launch (one warning per server) when the fork server cannot be had, on a
system without fork and pidfds (not Linux), for a kernel that is not this Python's ipykernel,
once the code the fork server imported has changed on disk (an upgrade during a workshop: a
forked kernel would mix old and new code; one warning), and, silently, when the launch's
environment differs from the fork server's in a variable the preloaded modules read while
importing (their import would have seen another value).

One fork server per course server process, started with the first kernel, started again when
it has died. Its control socket is in a private folder (mkdtemp: 0700, this user's): only this
user can ask it for a kernel. It ends when the course server does (its stdin closes). A
server whose folder has gone (a clean-up of /tmp during a course of several days) can no
longer be asked for a kernel, but its kernels are trainees' pages, which end with it: it is
kept running beside a new one until the course server ends.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
from typing import Any

NAME = "npkit-fork"  # the entry point's name (pyproject.toml)
SWITCH = f"--KernelProvisionerFactory.default_provisioner_name={NAME}"
SERVER_MODULE = "npkit.course.forkserver"
START_TIMEOUT_S = 120.0  # importing on a loaded 2-core laptop
LAUNCH_TIMEOUT_S = 60.0
# How often a launch looks at whether the imported code changed on disk (a room's thirty
# launches look once; each look is a stat of every file the fork server imported).
CODE_CHECK_S = 5.0
# Read by the kernel at run time or set for it here: not a reason to start a fresh interpreter.
_NOT_COMPARED = {"JPY_PARENT_PID"}


class ForkServerUnavailable(RuntimeError):
    """The fork server could not be started or asked: launch the usual way."""


class ForkedProcess:
    """Popen's interface to a kernel forked by the fork server: its exit code comes over the
    launch's connection (the fork server reaps it), signals go through a pidfd (never to a
    reused pid)."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int, pidfd: int, conn: socket.socket) -> None:
        self.pid, self.pidfd, self.conn = pid, pidfd, conn
        self.returncode: int | None = None
        self._buffer = b""

    def _ended(self, code: int) -> int:
        self.returncode = code
        self.conn.close()
        os.close(self.pidfd)
        return code

    def poll(self) -> int | None:
        if self.returncode is not None:
            return self.returncode
        try:
            chunk = self.conn.recv(4096, socket.MSG_DONTWAIT)
        except BlockingIOError:
            return None
        except OSError:
            chunk = b""
        if chunk:
            self._buffer += chunk
            if b"\n" in self._buffer:
                return self._ended(int(json.loads(self._buffer.split(b"\n", 1)[0])["exit"]))
            return None
        # The fork server has gone without telling: the kernel is alive until its pidfd says
        # it has ended (it then was reaped by init; its code is lost).
        import select

        if select.select([self.pidfd], [], [], 0)[0]:
            return self._ended(1)
        return None

    def wait(self, timeout: float | None = None) -> int:
        import select
        import time

        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise subprocess.TimeoutExpired("kernel", timeout)
            select.select([self.conn, self.pidfd], [], [], min(left or 1.0, 1.0))
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            signal.pidfd_send_signal(self.pidfd, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def server_command(folder: str) -> list[str]:
    """The fork server's command line. ``-X frozen_modules=off`` (Python's standard modules
    loaded from their files, not frozen into the interpreter): the server imports debugpy's
    debugger for every kernel (forkserver.PRELOAD), and debugpy warns on stderr, which is the
    course server's log a trainer reads, that frozen modules may make a debugger miss
    breakpoints. Loaded from their files, they cannot, and nothing is said (the server's start
    takes about 50 ms more, once)."""
    return [sys.executable, "-X", "frozen_modules=off", "-m", SERVER_MODULE, folder]


class ForkServer:
    """The running fork server: its process, its private folder, what its imports read."""

    def __init__(self) -> None:
        self.folder = tempfile.mkdtemp(prefix="npkit-fork-")  # 0700: this user only
        self.socket_path = os.path.join(self.folder, "control")
        # stdin stays open as long as this process lives: its end tells the server to go.
        self.process = subprocess.Popen(server_command(self.folder), stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, cwd=self.folder)
        hello = _hello(self.process.stdout, START_TIMEOUT_S)
        if hello is None:
            self.stop()
            raise ForkServerUnavailable("the fork server did not start (its errors are above)")
        self.process.stdout.close()  # the server's stdout is its stderr from now on
        self.import_env: dict[str, str | None] = hello["import_env"]
        self.code: dict[str, list[int] | None] = hello.get("code") or {}
        self._code_checked, self._code_current = -CODE_CHECK_S, True
        if hello.get("kernel_hooks_missing"):
            self.stop()
            raise ForkServerUnavailable(
                "while importing, " + ", ".join(hello["kernel_hooks_missing"]) + " set up the "
                "running kernel, which a forked kernel would miss (forkserver.KERNEL_HOOKS)")

    def alive(self) -> bool:
        return self.process.poll() is None

    def reachable(self) -> bool:
        """Whether its control socket is still there to connect to."""
        return os.path.exists(self.socket_path)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)

    def code_current(self) -> bool:
        """False once the interpreter or a file the server imported has changed on disk (an
        upgrade under a running course): it stays False for this server."""
        import time

        from npkit.course.forkserver import place_stamp

        if self._code_current and time.monotonic() - self._code_checked >= CODE_CHECK_S:
            self._code_current = all(place_stamp(place) == stamp
                                     for place, stamp in self.code.items())
            self._code_checked = time.monotonic()
        return self._code_current

    def agrees(self, env: dict[str, str]) -> bool:
        """True if ``env`` has the values the preloaded modules saw while importing."""
        python = {k for k in env if k.startswith("PYTHON")}  # the server reported all of its
        return all(env.get(k) == self.import_env.get(k)
                   for k in python.union(self.import_env) if k not in _NOT_COMPARED)

    def launch(self, argv: list[str], env: dict[str, str], cwd: str,
               fds: list[int]) -> ForkedProcess:
        """A kernel for ``argv`` (``python -m ipykernel_launcher ...``)."""
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.settimeout(LAUNCH_TIMEOUT_S)
        try:
            conn.connect(self.socket_path)
            request = json.dumps({"argv": argv[3:], "env": env, "cwd": cwd,
                                  "title": " ".join(argv)}).encode() + b"\n"
            socket.send_fds(conn, [request], fds)
            data, pidfds, _, _ = socket.recv_fds(conn, 65536, 1)
            while not data.endswith(b"\n") and not pidfds:
                more = conn.recv(65536)
                if not more:
                    break
                data += more
        except OSError as e:
            conn.close()
            raise ForkServerUnavailable(f"the fork server did not answer: {e}") from e
        answer = json.loads(data.split(b"\n", 1)[0] or b"{}")
        if "pid" not in answer or not pidfds:
            conn.close()
            for fd in pidfds:
                os.close(fd)
            # a failed launch (a missing working folder): raised as Popen would raise it
            raise OSError(answer.get("error", "the fork server gave no kernel"))
        conn.settimeout(None)  # blocking, so that poll's MSG_DONTWAIT never waits
        return ForkedProcess(answer["pid"], pidfds[0], conn)


def _hello(stream, timeout: float) -> dict | None:
    """The fork server's "ready" line (a preloaded module may print before it), or None if
    it ends or says nothing for ``timeout`` seconds. Read from the descriptor, not the
    buffered stream: a line the buffer already holds would not wake ``select``."""
    import select
    import time

    fd, pending = stream.fileno(), b""
    deadline = time.monotonic() + timeout
    while True:
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            try:
                hello = json.loads(line)
            except ValueError:
                continue
            if isinstance(hello, dict) and hello.get("ready"):
                return hello
        if not select.select([fd], [], [], max(0.0, deadline - time.monotonic()))[0]:
            return None
        chunk = os.read(fd, 65536)
        if not chunk:
            return None
        pending += chunk


_server: ForkServer | None = None
# servers that lost their control socket, still running the kernels they forked (each ends
# when its stdin closes: this process keeps it open while it lives)
_unreachable: list[ForkServer] = []
_lock = threading.Lock()
_warned: set[str] = set()  # the kinds of fallback already told (one warning each)


def forking_unavailable() -> str:
    """Why this system cannot fork kernels (fork and pidfds: Linux), or "" if it can."""
    return "" if sys.platform.startswith("linux") else f"no fork server on {sys.platform}"


def fork_server() -> ForkServer:
    """This process's fork server, started (again, if it died) when first needed."""
    global _server
    why_not = forking_unavailable()
    if why_not:
        raise ForkServerUnavailable(why_not)
    with _lock:
        if _server is not None and _server.alive() and not _server.reachable():
            _unreachable.append(_server)
            _server = None
        if _server is None or not _server.alive():
            if _server is not None:
                _server.stop()
            _server = None
            _server = ForkServer()
        return _server


def _warn_once(log, reason: str, kind: str = "no fork server") -> None:
    if kind not in _warned:
        _warned.add(kind)
        log.warning("npkit: kernels start the usual way (%s): %s", kind, reason)


def is_this_ipykernel(cmd: list[str], env: dict[str, str]) -> bool:
    """``cmd`` is ``<this Python> -m ipykernel_launcher ...``, which the fork server runs."""
    exe = shutil.which(cmd[0], path=env.get("PATH")) if cmd else None
    return (exe is not None and os.path.abspath(exe) == os.path.abspath(sys.executable)
            and cmd[1:3] == ["-m", "ipykernel_launcher"])


def _stream_fd(value: Any, default: int, opened: list[int]) -> int | None:
    """A launch's stdin/stdout/stderr argument as a descriptor to send; None if it cannot be
    sent (subprocess.PIPE: the caller wants to read it)."""
    if value is None:
        return default
    if value == subprocess.DEVNULL:
        fd = os.open(os.devnull, os.O_RDWR)
        opened.append(fd)
        return fd
    if isinstance(value, int):
        return value if value >= 0 else None
    return value.fileno() if hasattr(value, "fileno") else None


def _make_provisioner():
    from jupyter_client.provisioning import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):
        """LocalProvisioner whose kernels are forked from the fork server (see the module)."""

        async def launch_kernel(self, cmd: list[str], **kwargs: Any):
            kw = LocalProvisioner._scrub_kwargs(kwargs)
            env = dict(kw.get("env") or os.environ)
            try:
                process = await asyncio.to_thread(self._fork, cmd, env, kw)
            except ForkServerUnavailable as e:
                _warn_once(self.log, str(e))
                process = None
            if process is None:
                return await super().launch_kernel(cmd, **kwargs)
            self.process = process
            self.pid, self.pgid = process.pid, process.pid  # setsid: its own group
            self.cwd = kwargs.get("cwd") or os.getcwd()
            return self.connection_info

        def _fork(self, cmd: list[str], env: dict[str, str], kw: dict) -> ForkedProcess | None:
            # anything else for Popen (a preexec_fn, a user) is not the fork server's to do
            extra = set(kw) - {"env", "cwd", "stdin", "stdout", "stderr", "independent"}
            if extra or not is_this_ipykernel(cmd, env):
                return None
            server = fork_server()
            if not server.code_current():
                _warn_once(self.log, "npkit or Python changed on disk since the fork server "
                           "started; restart the course to fork kernels again",
                           "code changed")
                return None
            if not server.agrees(env):
                self.log.debug("npkit: a kernel started the usual way: its environment differs "
                               "from the fork server's in a variable read at import")
                return None
            if not kw.get("independent"):
                env["JPY_PARENT_PID"] = str(os.getpid())  # as jupyter_client's launch_kernel
            opened: list[int] = []
            try:
                # a closed pipe as stdin, as launch_kernel gives (it closes its end at once)
                fds = [_stream_fd(kw.get(name), default, opened)
                       for name, default in (("stdin", -1), ("stdout", 1), ("stderr", 2))]
                if fds[0] == -1:
                    r, w = os.pipe()
                    os.close(w)
                    opened.append(r)
                    fds[0] = r
                if None in fds:
                    return None
                cmd = [os.path.expanduser(s) for s in cmd]
                return server.launch(cmd, env, os.path.abspath(kw.get("cwd") or os.getcwd()), fds)
            finally:
                for fd in opened:
                    os.close(fd)

        async def send_signal(self, signum: int) -> None:
            # the group of a kernel that has ended (and was reaped) is nobody's to signal
            if isinstance(self.process, ForkedProcess) and self.process.poll() is not None:
                return
            await super().send_signal(signum)

    ForkProvisioner.__qualname__ = "ForkProvisioner"  # as the entry point names it
    return ForkProvisioner


def __getattr__(name: str):
    # Made when first asked for (the entry point, Jupyter's factory): a core install, without
    # jupyter_client, still imports this module (tests/test_core_install.py).
    if name == "ForkProvisioner":
        cls = globals()["ForkProvisioner"] = _make_provisioner()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
