"""Kernels the tests start talk over Unix sockets in folders of their own (tests/
kernel_support.py), nbval's included (the root conftest.py): never over TCP ports that another
process can take before the kernel binds them."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

pytest.importorskip("nbval")

from kernel_support import IpcKernelManager  # noqa: E402


def sockets(km) -> list[Path]:
    return [p for p in Path(os.path.dirname(km.ip)).iterdir()
            if stat.S_ISSOCK(p.stat().st_mode)]


def test_nbvals_kernels_talk_over_unix_sockets_in_a_folder_they_leave_behind():
    """make unit runs every notebook under nbval beside the other worker's tests."""
    from nbval.kernel import CURRENT_ENV_KERNEL_NAME, RunningKernel

    kernel = RunningKernel(CURRENT_ENV_KERNEL_NAME)
    try:
        km = kernel.km
        assert km.transport == "ipc"
        assert os.path.isabs(km.ip) and len(km.ip) < 80  # a socket's path has ~100 bytes
        reply = kernel.kc.execute("6 * 7", reply=True, timeout=60)  # it answers over them
        assert reply["content"]["status"] == "ok"
        assert len(sockets(km)) == 5  # shell, iopub, stdin, control, heartbeat
    finally:
        kernel.stop()
    assert not os.path.exists(os.path.dirname(km.ip))


def test_two_managers_never_share_a_socket_folder():
    first, second = IpcKernelManager(), IpcKernelManager()
    try:
        assert os.path.dirname(first.ip) != os.path.dirname(second.ip)
    finally:
        for km in (first, second):
            os.rmdir(os.path.dirname(km.ip))
