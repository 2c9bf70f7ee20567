"""The fork server ("zygote") behind npkit.course.fork_provisioner: one long-lived process per
course server that has imported what every kernel imports, and forks each new kernel from it.

    python -m npkit.course.forkserver DIRECTORY

Why: every trainee's kernel starts a fresh interpreter and imports ipykernel, IPython, zmq,
tornado, then the page imports ipywidgets, pydantic, Jinja2 and npkit (about 0.4 s of CPU each,
docs/performance.md). Imported once here, a forked kernel starts with them in memory, and the
pages they occupy stay shared copy-on-write between the kernels.

What is done here before forking is ONLY importing, and compiling the pages' templates
(``WARM``: plain Python objects): no zmq context, no event loop, no thread, no cell run (a fork
copies one thread; a zmq context or an event loop must not be shared). The
child does what ``python -m ipykernel_launcher -f FILE`` does, after taking on the launch's
session, streams, working folder and environment (``become``).

The protocol (a Unix socket ``DIRECTORY/control``; the directory is the caller's, mode 0700):
the client sends one JSON line {"argv", "env", "cwd", "title"} with its stdin, stdout and stderr as
file descriptors (SCM_RIGHTS); the answer is a JSON line {"pid"} with a pidfd of the kernel
(so the client can signal it without racing a reused pid), or {"error"}; when the kernel ends
the server reaps it and writes {"exit": returncode} on the same connection. On start the
server prints one JSON line on stdout: {"ready": true, "import_env": {...}, "kernel_hooks":
[...], "kernel_hooks_missing": [...], "code": {...}}: the environment variables the preloaded
modules read while importing (the client forks a launch only when its environment agrees on
them), the modules that looked for a running kernel while importing (re-run in each kernel;
one not known here stops the client forking), and where the imported code is on disk
(``code_places``: the client stops forking once a file of it has changed). Then its stdout
is stderr.
The server ends when its stdin closes (its course server has gone).
"""

from __future__ import annotations

import json
import os
import selectors
import signal
import socket
import sys
from collections.abc import MutableMapping

# What every course page's kernel imports (ipykernel's app, the widget stack) and the npkit
# modules the pages import (notebooks/*.py). Only modules whose import has no effect beyond
# themselves; what they read from the environment while importing is recorded and compared.
PRELOAD = (
    "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "ipykernel.comm",
    # What ipykernel imports as a kernel starts, whatever the page: above all debugpy's
    # debugger (ipykernel makes a Debugger in every kernel when debugpy is installed), about
    # 150 modules and 80 ms of CPU in each kernel (issue 16). Its import also sets Python's
    # breakpoint hook, which a forked kernel inherits as it would have set it, and puts
    # PYDEVD_USE_FRAME_EVAL=NO in this server's environment when it is not set: a forked kernel
    # has the launch's environment, so only a debugger attached to a process the kernel starts
    # could tell.
    "ipykernel_launcher", "ipykernel.debugger", "IPython.core.completerlib",
    "IPython.core.debugger", "IPython.core.logger", "IPython.core.oinspect",
    "IPython.extensions.storemagic", "psutil", "tornado.platform.asyncio",
    "comm", "ipywidgets", "pydantic", "jinja2", "IPython.display",
    "npkit.course.binding", "npkit.course.training.conclusions", "npkit.course.training.quiz",
    "npkit.course.widgets.base", "npkit.course.widgets.scenario_lab",
    "npkit.course.widgets.decision_path", "npkit.course.widgets.quiz",
    "npkit.course.widgets.asean", "npkit.course.widgets.models_table",
    "npkit.course.widgets.duress_checklist", "npkit.course.widgets.tagger",
    "npkit.course.widgets.workshop_trainee", "npkit.store.workshop.inputs",
    # Not the trainer's page (one kernel a workshop): it imports pandas and numpy, whose global
    # random state every forked kernel would then share.
)
# Done once after the imports, for every kernel: what each kernel would otherwise do again on
# its first page (``module:function``; what it reads from the environment is recorded too).
# The course pages' widgets built once and closed (npkit.course.warm): a page's first build in a
# process costs about three times its next one. Then a scenario lab per language, kept unopened
# for a lab page's kernel to take (ScenarioLab.for_page).
WARM = ("npkit.course.widgets.ui:compile_templates", "npkit.course.warm:pages",
        "npkit.course.warm:ready_lab")
# Set by Voila in each kernel, so never the fork server's: the warm-up's reads of them are not
# recorded (a recorded one would stop every kernel being forked). npkit reads them afresh at
# every call (npkit.course.binding.in_voila, query_string) and keeps nothing made from them.
PER_KERNEL = ("VOILA_KERNEL_ID", "QUERY_STRING")
# Modules that, while importing, ask IPython for the running kernel and set themselves up in
# it (in this server there is none, so they do nothing): the call that does it again in the
# forked kernel, once its shell and comm manager exist, in import order. A module found asking
# that is not here makes the provisioner start kernels the usual way (``kernel_hooks_missing``).
KERNEL_HOOKS = {
    "ipywidgets": "ipywidgets:register_comm_target",  # the widget comm targets
    "npkit.course.widgets.lean": "npkit.course.widgets.lean:install",  # lean widget states
}
# Read by the interpreter as it starts (the standard streams' encoding, the locale).
STARTUP_VARIABLES = ("LANG", "LC_ALL", "LC_CTYPE", "LANGUAGE")
MAX_FDS = 3  # stdin, stdout, stderr
MAX_REQUEST = 1 << 20


class _EnvReads(MutableMapping):
    """os.environ during the preload, recording every variable read (and its value then)."""

    def __init__(self, env) -> None:
        self.env, self.read = env, {}

    def _note(self, key):
        if isinstance(key, str) and key not in self.read:
            self.read[key] = self.env.get(key)

    def __getitem__(self, key):
        self._note(key)
        return self.env[key]

    def __contains__(self, key):
        self._note(key)
        return key in self.env

    def __setitem__(self, key, value):
        self.env[key] = value

    def __delitem__(self, key):
        del self.env[key]

    def __iter__(self):  # a module that lists the whole environment reads every variable
        for key in self.env:
            self._note(key)
            yield key

    def __len__(self):
        return len(self.env)

    def copy(self):
        return dict(self)


def preload(names=PRELOAD, warm=WARM) -> dict:
    """Import ``names``, then run ``warm``. What they depended on: the environment variables
    they read (with their values), and the kernel set-up the imports would have done in a
    kernel."""
    import importlib

    from IPython.core.getipython import get_ipython

    spy, real = _EnvReads(os.environ), os.environ
    os.environ = spy  # noqa: B003 - swapped back below; only reads are recorded
    stdout, sys.stdout = sys.stdout, sys.stderr  # stdout carries only the "ready" line
    asking: list[str] = []  # modules that look for a running kernel while importing

    def watch(frame, event, arg):
        if event == "call" and frame.f_code is get_ipython.__code__:
            asking.append(frame.f_back.f_globals.get("__name__", "?"))

    sys.setprofile(watch)
    try:
        for name in names:
            try:
                importlib.import_module(name)
            except Exception as e:  # noqa: BLE001 - a page that fails to import fails in its kernel
                print(f"npkit forkserver: not preloaded: {name}: {e}", file=sys.stderr)
        sys.setprofile(None)  # the imports are watched, not the work
        seen = {k: spy.read[k] for k in PER_KERNEL if k in spy.read}  # by the imports
        for hook in warm:
            module, name = hook.split(":")
            try:
                getattr(importlib.import_module(module), name)()
            except Exception as e:  # noqa: BLE001 - a kernel does it again for itself
                print(f"npkit forkserver: not done: {hook}: {e}", file=sys.stderr)
        for key in PER_KERNEL:  # read by the warm-up only: not recorded
            if key not in seen:
                spy.read.pop(key, None)
    finally:
        sys.setprofile(None)
        os.environ, sys.stdout = real, stdout
    # and what the interpreter read before any module: its PYTHON* settings and the locale
    startup = {k: v for k, v in os.environ.items() if k.startswith("PYTHON")}
    startup.update({k: os.environ.get(k) for k in STARTUP_VARIABLES})
    hooks = list(dict.fromkeys(asking))
    return {"import_env": {**startup, **spy.read},
            "kernel_hooks": [KERNEL_HOOKS[m] for m in hooks if m in KERNEL_HOOKS],
            "kernel_hooks_missing": [m for m in hooks if m not in KERNEL_HOOKS]}


def code_places() -> dict[str, list[int] | None]:
    """The code a kernel forked from here runs, as it is on disk: the interpreter and the file
    of every imported module, with its inode and modification time. pip, apt and git write a
    new file in place of an old one (a new inode), an editor saves one (a new time): the
    client then stops forking (a kernel would mix the code imported here with the new code it
    imports itself). Files, not their folders: an editor's swap file or a new __pycache__
    entry beside a module is not a change of code."""
    places = {os.path.realpath(sys.executable)}
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if isinstance(file, str):
            places.add(os.path.abspath(file))
    return {place: place_stamp(place) for place in sorted(places)}


def place_stamp(path: str) -> list[int] | None:
    """A file's or folder's inode and modification time (None if it is not there)."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_ino, st.st_mtime_ns]


def listen(directory: str) -> socket.socket:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(os.path.join(directory, "control"))
    os.chmod(os.path.join(directory, "control"), 0o600)
    listener.listen(64)
    return listener


def serve(listener: socket.socket):
    """Answer launch requests until stdin closes (returns None), or, in a forked child, return
    the launch it is to become."""
    rfd, wfd = os.pipe()
    os.set_blocking(wfd, False)
    signal.set_wakeup_fd(wfd)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # wakes the selector through the pipe
    sel = selectors.DefaultSelector()
    sel.register(listener, selectors.EVENT_READ, "accept")
    sel.register(rfd, selectors.EVENT_READ, "sigchld")
    sel.register(sys.stdin.fileno(), selectors.EVENT_READ, "parent")
    kernels: dict[int, socket.socket] = {}  # pid -> the connection that asked for it
    while True:
        for key, _ in sel.select():
            if key.data == "parent" and not os.read(sys.stdin.fileno(), 4096):
                return None  # the course server has gone
            if key.data == "sigchld":
                os.read(rfd, 4096)
                reap(kernels)
            elif key.data == "accept":
                conn, _ = listener.accept()
                launch = handle(conn, kernels)
                if launch is not None:  # the child: drop the server's sockets and selector
                    # (closed through their objects: a descriptor closed under an object that
                    # still owns it would be closed again later, maybe as a kernel's zmq one)
                    sel.close()
                    listener.close()
                    for fd in (rfd, wfd):
                        os.close(fd)
                    for other in kernels.values():
                        other.close()
                    return launch


def reap(kernels: dict) -> None:
    """Every ended child, its returncode to whoever launched it (Popen's convention)."""
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        conn = kernels.pop(pid, None)
        if conn is not None:
            try:
                conn.sendall(json.dumps({"exit": os.waitstatus_to_exitcode(status)}).encode()
                             + b"\n")
            except OSError:
                pass  # the client has gone: nobody to tell
            conn.close()


def handle(conn: socket.socket, kernels: dict):
    """One launch request: fork. In the child, return the launch; in the server, None."""
    fds: list[int] = []
    try:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
        if int.from_bytes(creds[4:8], sys.byteorder) != os.getuid():
            raise PermissionError("not this user")  # the 0700 directory should stop this first
        conn.settimeout(30)
        data, fds, _, _ = socket.recv_fds(conn, MAX_REQUEST, MAX_FDS)
        while not data.endswith(b"\n"):
            more = conn.recv(MAX_REQUEST)
            if not more:
                raise ConnectionError("incomplete request")
            data += more
        request = json.loads(data)
        if len(fds) != MAX_FDS:
            raise ValueError("stdin, stdout and stderr expected")
        sync_r, sync_w = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
    except Exception as e:  # noqa: BLE001 - a bad request is answered, never fatal to the server
        for fd in fds:
            os.close(fd)
        try:
            conn.sendall(json.dumps({"error": f"{type(e).__name__}: {e}"}).encode() + b"\n")
        except OSError:
            pass
        conn.close()
        return None
    if pid == 0:
        os.close(sync_r)
        conn.close()
        return request, fds, sync_w
    os.close(sync_w)
    for fd in fds:
        os.close(fd)
    failure = _read_all(sync_r)  # empty once the child has set up (session, streams, folder)
    if failure:
        conn.sendall(json.dumps({"error": failure.decode(errors="replace")}).encode() + b"\n")
        conn.close()  # the child exits; reap() finds nobody to tell
        return None
    pidfd = os.pidfd_open(pid)
    try:
        socket.send_fds(conn, [json.dumps({"pid": pid}).encode() + b"\n"], [pidfd])
    except OSError:
        pass  # the client gave up waiting; the kernel is its own (and is reaped here)
    finally:
        os.close(pidfd)
    kernels[pid] = conn
    return None


def _read_all(fd: int) -> bytes:
    out = b""
    while chunk := os.read(fd, 65536):
        out += chunk
    os.close(fd)
    return out


def become(request: dict, fds: list[int], sync_w: int) -> None:
    """In the child: the launch's own session, streams, working folder and environment, as
    Popen(start_new_session=True, cwd=..., env=...) would give the kernel; tells the server
    over ``sync_w`` (closed empty on success, an error message on failure)."""
    try:
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)  # as a fresh interpreter
        os.setsid()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        _reopen_stdio()
        # No closerange as Popen's close_fds: this server holds nothing else (it was started
        # with close_fds), and a descriptor a preloaded module owns must stay its own.
    except BaseException as e:  # noqa: BLE001 - reported to the client as a failed launch
        os.write(sync_w, f"{type(e).__name__}: {e}".encode())
        os._exit(127)
    os.close(sync_w)


def _reopen_stdio() -> None:
    """New sys.stdin/stdout/stderr over the received descriptors, buffered as CPython's start
    buffers them (line-buffered on a terminal, stderr always; -u / PYTHONUNBUFFERED: none)."""
    import io

    unbuffered = sys.__stdout__.write_through  # set by -u or PYTHONUNBUFFERED only
    for name, fd, mode in (("stdin", 0, "rb"), ("stdout", 1, "wb"), ("stderr", 2, "wb")):
        old = getattr(sys, name)
        raw = open(fd, mode, buffering=0 if unbuffered and fd else -1, closefd=False)
        line = not unbuffered and fd != 0 and (fd == 2 or os.isatty(fd))
        stream = io.TextIOWrapper(raw, encoding=old.encoding, errors=old.errors,
                                  line_buffering=line, write_through=unbuffered and fd != 0)
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def _show_as(title: str | None) -> None:
    """The kernel's command line in ps and /proc/<pid>/cmdline, as a started kernel has it
    (tools find a kernel's process by its connection file there); the fork server's own
    otherwise."""
    try:
        from setproctitle import setproctitle
    except ImportError:
        return
    if title:
        setproctitle(title)


def run_kernel(argv: list[str], parent_pid: int, hooks: list[str]) -> None:
    """What ``python -m ipykernel_launcher ARGS`` runs (IPKernelApp.launch_instance), with the
    arguments after the module; ``hooks`` (KERNEL_HOOKS) once the kernel exists."""
    import importlib

    import ipykernel_launcher
    from ipykernel.kernelapp import IPKernelApp

    sys.argv = [ipykernel_launcher.__file__, *argv]
    # IPKernelApp.parent_handle's default is JPY_PARENT_PID as read at import, here: the
    # server's. The kernel watches its real parent, this server, which lives as long as the
    # course server (its stdin), so the kernel still ends with the course server.
    app = IPKernelApp.instance(parent_handle=parent_pid)
    app.initialize()
    for hook in hooks:
        module, name = hook.split(":")
        getattr(importlib.import_module(module), name)()
    app.start()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does: a kernel's path has no launch folder
    directory = argv[0]
    found = preload()
    try:  # setproctitle finds the command line's memory now, before a kernel changes environ
        from setproctitle import getproctitle

        getproctitle()
    except ImportError:
        pass
    # The imported objects go to the collector's permanent generation: a collection in a
    # kernel then never walks them, and so never writes to (and un-shares) their pages.
    import gc

    gc.collect()
    gc.freeze()
    # A signal to the course server's process group (Ctrl-C, a service manager's SIGTERM, a
    # closed terminal) is for the course server, which then shuts its kernels down through
    # this one: this one goes when the course server has gone (its stdin), and cleans up.
    for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, signal.SIG_IGN)
    listener = listen(directory)  # before "ready": a client connects as soon as it reads it
    # Nobody reads the pipe after "ready": whatever is printed from then on (a module's late
    # word, a warning) goes to stderr, so it can never fill the pipe and block this server.
    # Stdout is moved before the line is written, so a client that has read it finds it moved.
    sys.stdout.flush()
    pipe = os.dup(1)
    os.dup2(2, 1)
    with os.fdopen(pipe, "w") as ready:
        ready.write(json.dumps({"ready": True, **found, "code": code_places()}) + "\n")
    launch = serve(listener)
    if launch is None:  # the course server has gone: so has whoever would remove the folder
        import shutil

        shutil.rmtree(directory, ignore_errors=True)
        return 0
    request, fds, sync_w = launch
    become(request, fds, sync_w)
    _show_as(request.get("title"))
    has_parent = bool(request["env"].get("JPY_PARENT_PID"))
    run_kernel(request["argv"], os.getppid() if has_parent else 0, found["kernel_hooks"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
