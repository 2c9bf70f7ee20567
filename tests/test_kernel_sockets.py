"""The course server's kernels get Unix sockets whose paths fit (npkit.course.kernel_sockets):
under a long temporary folder (macOS's $TMPDIR is about 48 characters) every kernel used to die
as it started, "File name too long", and every page with it."""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
import uuid

import pytest

if os.name != "posix":
    pytest.skip("Unix sockets: the course uses TCP elsewhere", allow_module_level=True)

from npkit.course import dashboard, kernel_sockets  # noqa: E402

# macOS's $TMPDIR has this shape: /var/folders/<2>/<30>/T
MACOS_LIKE = 48


@pytest.fixture
def long_tmpdir(monkeypatch):
    """A temporary folder whose path is as long as macOS's $TMPDIR, as tempfile's default."""
    short = tempfile.mkdtemp(prefix="npk-")
    folder = os.path.join(short, "d" * (MACOS_LIKE - len(short) - 1))
    os.mkdir(folder)
    assert len(folder) == MACOS_LIKE
    monkeypatch.setattr(tempfile, "tempdir", folder)
    yield folder
    shutil.rmtree(short, ignore_errors=True)


def test_the_longest_socket_path_it_allows_binds_and_one_byte_more_does_not():
    folder = tempfile.mkdtemp(prefix="npk-")
    try:
        for extra, binds in ((0, True), (1, False)):
            path = os.path.join(folder, "s" * (kernel_sockets.socket_path_max() + extra
                                               - len(folder) - 1))
            with socket.socket(socket.AF_UNIX) as s:
                if binds:
                    s.bind(path)
                else:
                    with pytest.raises(OSError):
                        s.bind(path)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_the_first_folder_that_fits_and_exists_is_chosen(tmp_path):
    too_long = "/" + "x" * kernel_sockets.socket_path_max()
    missing = str(tmp_path / "missing")
    assert kernel_sockets.connection_dir_root([too_long, missing, "/tmp"]) == "/tmp"
    assert kernel_sockets.connection_dir_root([too_long, missing]) is None
    assert kernel_sockets.fits("/tmp") and not kernel_sockets.fits(too_long)


def test_under_a_long_temporary_folder_the_course_kernels_sockets_go_where_they_fit(
        long_tmpdir, monkeypatch, tmp_path):
    """A kernel started as the course server starts one (its connection file in a folder
    Voila makes under ``connection_dir_root``) answers; under the long folder it would die."""
    from dashboard_support import course_app
    from jupyter_client.manager import KernelManager
    from jupyter_client.provisioning import KernelProvisionerFactory

    # A plain kernel: the sockets are the same when forked, and a fork server started here
    # would outlive the test (the factory is one per process, whatever the app's switch).
    monkeypatch.setattr(KernelProvisionerFactory.instance(), "default_provisioner_name",
                        "local-provisioner")
    app = course_app(monkeypatch, dashboard.voila_command(tmp_path, fork_kernels=False))
    root = app.connection_dir_root
    assert root != long_tmpdir and kernel_sockets.fits(root)
    assert not kernel_sockets.fits(long_tmpdir)  # what Voila alone would have taken
    app.kernels_over_sockets_that_fit()
    folder = tempfile.mkdtemp(prefix="voila_", dir=root)  # as Voila.start
    km = KernelManager(parent=app, kernel_name="python3",
                       connection_file=os.path.join(folder, f"kernel-{uuid.uuid4()}.json"))
    assert km.transport == "ipc"
    try:
        km.start_kernel()
        assert type(km.provisioner.process).__name__ == "Popen"  # not forked: see above
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=120)
            assert kc.execute("6 * 7", reply=True, timeout=60)["content"]["status"] == "ok"
        finally:
            kc.stop_channels()
    finally:
        km.shutdown_kernel(now=True)
        shutil.rmtree(folder, ignore_errors=True)


def test_a_connection_folder_too_long_for_any_socket_makes_the_kernels_tcp(
        long_tmpdir, monkeypatch, tmp_path):
    from dashboard_support import course_app
    from jupyter_client.manager import KernelManager

    argv = [*dashboard.voila_command(tmp_path), f"--Voila.connection_dir_root={long_tmpdir}"]
    app = course_app(monkeypatch, argv)
    assert KernelManager(parent=app).transport == "ipc"
    app.kernels_over_sockets_that_fit()
    assert KernelManager(parent=app).transport == "tcp"

    short = course_app(monkeypatch, dashboard.voila_command(tmp_path))
    short.kernels_over_sockets_that_fit()
    assert KernelManager(parent=short).transport == "ipc"
