"""Where the course server's kernels put their Unix sockets, so that every path fits.

The course's kernels talk over Unix sockets (``voila.json``: ``KernelManager.transport`` is
``ipc``), never over TCP ports another process could take first. A socket's path has a hard
limit, and Voila puts the sockets deep: ``<root>/voila_XXXXXXXX/kernel-<36-character kernel
id>-ipc-<n>``, the root being ``tempfile.gettempdir()`` unless ``Voila.connection_dir_root``
says otherwise. On macOS that is the user's ``$TMPDIR`` (``/var/folders/xx/<30
characters>/T``, about 48 characters), which makes the path about 113 bytes where 103 fit:
every kernel would die as it started ("File name too long") and every page with it. The
course server therefore puts them under the first of the usual temporary folder and ``/tmp``
that leaves room, and over TCP only when neither does (a line in its log says so).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterable
from functools import cache


@cache
def socket_path_max() -> int:
    """A Unix socket's longest path, in bytes, as ZeroMQ (which the kernels use) knows it:
    sun_path less its closing NUL, 108 on Linux and 104 on macOS and the BSDs. (Asked when
    needed: importing zmq is not free, and this module's importers need not.)"""
    try:
        from zmq import IPC_PATH_MAX_LEN
    except ImportError:  # a pyzmq that does not say: the usual sizes
        return 107 if sys.platform.startswith("linux") else 103
    return IPC_PATH_MAX_LEN


# What Voila and jupyter_client add below the root: "/voila_" and 8 characters (Voila.start's
# tempfile.mkdtemp), "/kernel-", the kernel's id (a uuid, 36 characters), "-ipc-" and the
# socket's number (jupyter_client.connect: 1 to 5 for one kernel; 2 digits allowed for
# sockets a crashed kernel left behind).
SOCKET_TAIL = len("/voila_12345678/kernel-") + 36 + len("-ipc-99")


def fits(root: str) -> bool:
    """Whether every kernel socket Voila makes under ``root`` has a path short enough."""
    return len(os.fsencode(os.path.abspath(root))) + SOCKET_TAIL <= socket_path_max()


def connection_dir_root(candidates: Iterable[str] | None = None) -> str | None:
    """The first of ``candidates`` (default: Voila's own choice, ``tempfile.gettempdir()``,
    then ``/tmp``) that is a folder this user can write in and under which every socket fits;
    None if there is none."""
    if candidates is None:
        candidates = (tempfile.gettempdir(), "/tmp")
    for root in candidates:
        if fits(root) and os.path.isdir(root) and os.access(root, os.W_OK | os.X_OK):
            return root
    return None
