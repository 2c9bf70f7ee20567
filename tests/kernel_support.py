"""Kernels the tests start themselves talk over Unix sockets, as the course server's do
(voila.json: ``KernelManager.transport = "ipc"``), never over TCP.

Over TCP, jupyter_client finds free ports, writes them down and lets them go; the kernel binds
them a second later, once it has imported what it needs. A port is the machine's to hand out
again meanwhile, to another test's kernel or to any connection a browser test opens, and the
kernel then dies on "Address already in use". CI met it with two pytest workers
starting kernels at once (ci58, 2026-12-06), and a kernel died before it answered in the
Binder check's two lanes of notebooks (the project's CI, 2026-12-06; its own error was cut
from the log): tools/binder_check.py passes the same two settings on nbconvert's
command line.

Each manager gets a folder of its own for its sockets, with a short absolute path: a Unix
socket's path is limited to about 100 bytes, and the kernel may run in another folder.
The root conftest.py gives nbval's kernels the same manager.
"""

from __future__ import annotations

import os
import shutil
import tempfile

from jupyter_client.connect import ConnectionFileMixin
from jupyter_client.manager import AsyncKernelManager, KernelManager
from traitlets import CaselessStrEnum, default


def socket_prefix() -> str:
    """Where a kernel's sockets go (``KernelManager.ip`` for ipc): ``<new folder>/kernel``,
    the sockets then ``kernel-1``, ``kernel-2`` and so on."""
    return os.path.join(tempfile.mkdtemp(prefix="npk-ipc-"), "kernel")


class _OverUnixSockets(ConnectionFileMixin):  # a HasTraits, so that its traits are traits
    transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

    @default("ip")
    def _ip_default(self) -> str:
        return socket_prefix()

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:  # a restarted kernel binds the same paths again
            shutil.rmtree(os.path.dirname(self.ip), ignore_errors=True)


class IpcKernelManager(_OverUnixSockets, KernelManager):
    """jupyter_client's KernelManager, its kernel's sockets in a folder of their own."""


class IpcAsyncKernelManager(_OverUnixSockets, AsyncKernelManager):
    """jupyter_client's AsyncKernelManager, its kernel's sockets in a folder of their own."""
