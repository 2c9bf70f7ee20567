"""The fork-server kernel provisioner (npkit.course.fork_provisioner, npkit.course.forkserver):
real kernels, forked from the fork server, keep LocalProvisioner's contract (output, interrupt,
shutdown without a leftover process, the launch's environment and folder), start with the
course's modules already imported, and fall back to a plain launch when there is no fork
server. No timings: a kernel is judged by what it says and which process it is."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import stat
import subprocess
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import psutil
import pytest

if not sys.platform.startswith("linux"):
    pytest.skip("the fork server needs Linux (fork, pidfds)", allow_module_level=True)

from jupyter_client.provisioning import KernelProvisionerFactory  # noqa: E402
from kernel_support import IpcAsyncKernelManager  # noqa: E402

from npkit.course import fork_provisioner as fp  # noqa: E402

TIMEOUT = 180  # s: a kernel's start on a loaded 2-core machine
PRELOADED = "npkit.course.widgets.scenario_lab"  # the scenario lab's widgets


@pytest.fixture
def fork_kernels():
    """Kernels through the fork provisioner, as --fork-kernels sets it; afterwards no fork
    server is left running and the one-warning flag is reset."""
    factory = KernelProvisionerFactory.instance()
    before = factory.default_provisioner_name
    factory.default_provisioner_name = fp.NAME
    yield
    factory.default_provisioner_name = before
    if fp._server is not None:
        fp._server.stop()
        fp._server = None
    for server in fp._unreachable:
        server.stop()
    fp._unreachable.clear()
    fp._warned.clear()


async def start(cwd, **env) -> tuple[IpcAsyncKernelManager, object]:
    km = IpcAsyncKernelManager(kernel_name="python3")  # not TCP: kernel_support says why
    await km.start_kernel(cwd=str(cwd), env={**os.environ, **env})
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=TIMEOUT)
    return km, kc


async def run(kc, code: str) -> tuple[dict, str]:
    """The execute reply's content and the text the code printed."""
    out: list[str] = []
    reply = await kc.execute_interactive(
        code, timeout=TIMEOUT,
        output_hook=lambda m: out.append(m["content"].get("text", "")))
    return reply["content"], "".join(out)


async def stop(km, kc, *, now: bool = False) -> None:
    kc.stop_channels()
    await km.shutdown_kernel(now=now)  # which removes the sockets' folder


def printed_by_a_forked_kernel(cwd, code: str, **env) -> str:
    """What ``code`` prints in a new kernel, forked, started in ``cwd`` with ``env`` added."""
    async def main():
        km, kc = await start(cwd, **env)
        assert isinstance(km.provisioner.process, fp.ForkedProcess)
        _, text = await run(kc, code)
        await stop(km, kc)
        return text

    return asyncio.run(main())


# Code for a kernel: every module it holds, with its file
LIST_MODULES = ("import sys\nfor m in list(sys.modules.values()):\n"
                "    f = getattr(m, '__file__', None)\n"
                "    if isinstance(f, str): print(m.__name__, f)")


def not_imported_by_the_fork_server(listed: str) -> list[str]:
    """The modules in LIST_MODULES' output whose files the fork server had not imported (its
    ready line's ``code``): those the kernel imported for itself, after the fork."""
    before_the_fork = set(fp.fork_server().code)
    return sorted(name for name, file in (line.split(" ", 1) for line in listed.splitlines())
                  if os.path.abspath(file) not in before_the_fork)


def test_a_forked_kernel_runs_code_and_leaves_no_process(fork_kernels, tmp_path):
    async def main():
        km, kc = await start(tmp_path)
        process = km.provisioner.process
        assert isinstance(process, fp.ForkedProcess)
        pid = km.provisioner.pid
        server_pid = fp._server.process.pid
        reply, text = await run(kc, "print(6 * 7)")
        assert reply["status"] == "ok" and text == "42\n"
        # not this process's child but the fork server's, alive, in a session of its own
        assert pid not in {p.pid for p in psutil.Process().children(recursive=False)}
        kernel = psutil.Process(pid)
        assert kernel.ppid() == server_pid and kernel.is_running()
        assert os.getpgid(pid) == pid and os.getsid(pid) == pid
        # found by its connection file, as tools find a started kernel (setproctitle)
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            assert os.path.basename(km.connection_file).encode() in f.read()
        await stop(km, kc)
        return pid, server_pid

    pid, server_pid = asyncio.run(main())
    # reaped by the fork server before shutdown returned: no zombie, no leftover
    assert not psutil.pid_exists(pid)
    assert psutil.Process(server_pid).children() == []


def test_an_interrupt_reaches_a_running_sleep_loop(fork_kernels, tmp_path):
    async def main():
        km, kc = await start(tmp_path)
        assert isinstance(km.provisioner.process, fp.ForkedProcess)
        # stop_on_error=False: else ipykernel aborts a request that comes right after the error
        msg_id = kc.execute("import time\nprint('looping', flush=True)\n"
                            "for _ in range(3000):\n    time.sleep(0.1)\nprint('not interrupted')",
                            stop_on_error=False)
        while True:  # the loop has started once it has printed
            msg = await kc.get_iopub_msg(timeout=TIMEOUT)
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "stream"
                    and "looping" in msg["content"]["text"]):
                break
        await km.interrupt_kernel()
        while True:
            reply = await kc.get_shell_msg(timeout=TIMEOUT)
            if reply["parent_header"].get("msg_id") == msg_id:
                break
        after, text = await run(kc, "print('still here')")  # the kernel lives on
        await stop(km, kc)
        return reply["content"], after, text

    reply, after, text = asyncio.run(main())
    assert reply["status"] == "error" and reply["ename"] == "KeyboardInterrupt"
    assert after["status"] == "ok" and text == "still here\n"


def test_the_kernel_has_the_launch_environment_and_folder(fork_kernels, tmp_path):
    folder = tmp_path / "a notebook's folder"
    folder.mkdir()

    cwd, value, parent = printed_by_a_forked_kernel(
        folder, "import os\nprint(os.getcwd())\nprint(os.environ['NPKIT_FORK_TEST'])\n"
                "print(os.environ['JPY_PARENT_PID'])",
        NPKIT_FORK_TEST="from the launch").splitlines()
    assert cwd == str(folder) and value == "from the launch"
    assert parent == str(os.getpid())  # as jupyter_client's own launch sets it


def test_the_course_modules_are_imported_before_the_first_cell(fork_kernels, tmp_path):
    async def main():
        km, kc = await start(tmp_path)
        assert isinstance(km.provisioner.process, fp.ForkedProcess)
        _, text = await run(kc, f"import sys\nprint({PRELOADED!r} in sys.modules, "
                                "'pydantic' in sys.modules, 'ipywidgets' in sys.modules)")
        # and the pages' templates are loaded (forkserver.WARM): the environment's cache holds
        # every template file of the package before any page has asked for one
        _, loaded = await run(kc, "from npkit.course.widgets import ui\n"
                                  "print(sorted(t.name for t in ui.env().cache.values()))")
        await stop(km, kc)
        return text, loaded

    text, loaded = asyncio.run(main())
    assert text == "True True True\n"
    # found without importing npkit's widgets here (ui changes how ipywidgets opens widgets)
    folder = Path(find_spec("npkit.course.widgets").origin).parent / "templates"
    files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*.j2"))
    assert len(files) > 50 and loaded == f"{files}\n"


def test_a_forked_kernel_imports_nothing_as_it_starts(fork_kernels, tmp_path):
    """What ipykernel imports to start a kernel was imported once in the fork server
    (forkserver.PRELOAD): the modules a forked kernel has at its first cell, less those whose
    files the server had imported (its ready line's ``code``), are what the kernel's own start
    imported. Before, that was about 170 modules, debugpy's debugger most of them."""
    listed = printed_by_a_forked_kernel(tmp_path, LIST_MODULES)
    assert len(listed.splitlines()) > 500  # the kernel listed its modules
    assert not_imported_by_the_fork_server(listed) == []


# Not preloaded, on purpose (forkserver.PRELOAD): the trainer's page, one kernel a workshop,
# imports pandas and numpy, whose global random state forked kernels would share.
NOT_PRELOADED_PAGES = ("09_workshop_trainer.py",)


def test_no_page_imports_a_module_the_fork_server_had_not(fork_kernels):
    """Every course page's cells, run in a forked kernel as Voila runs them (no learner),
    import nothing the fork server had not imported: what a page imported for itself, every
    trainee's kernel would import again (issue 16). Each page runs twice and the second run is
    judged: a page's first run may fill npkit's shared cache (npkit.datacache) and read the
    YAML behind it, as the first kernel of a course does, once."""
    import jupytext

    pages = [p for p in sorted((Path(__file__).parents[1] / "notebooks").glob("[0-9][0-9]_*.py"))
             if p.name not in NOT_PRELOADED_PAGES]

    async def own_modules(page: Path) -> list[str]:
        km, kc = await start(page.parent, VOILA_KERNEL_ID="fork-test", QUERY_STRING="")
        assert isinstance(km.provisioner.process, fp.ForkedProcess)
        for cell in jupytext.read(page).cells:
            if cell.cell_type == "code":
                await kc.execute_interactive(cell.source, timeout=TIMEOUT, store_history=False,
                                             output_hook=lambda m: None)
        _, listed = await run(kc, LIST_MODULES)
        await stop(km, kc)
        return not_imported_by_the_fork_server(listed)

    async def main():
        for page in pages:
            await own_modules(page)  # fills the shared cache, if it was empty
        return {page.name: await own_modules(page) for page in pages}

    found = asyncio.run(main())
    assert len(found) >= 9  # modules 0-7 and the join page
    assert {page: own for page, own in found.items() if own} == {}


def test_the_fork_server_starts_without_a_word_on_stderr(tmp_path):
    """The fork server's stderr is the course server's log, which a trainer reads: its start
    adds nothing to it (debugpy, which it imports for every kernel, warned there about frozen
    modules). Its stdin closed at once, it says it is ready and ends."""
    done = subprocess.run(fp.server_command(str(tmp_path)), input="", capture_output=True,
                          text=True, timeout=TIMEOUT, cwd=tmp_path)
    assert done.stdout.startswith('{"ready": true') and done.returncode == 0, done.stderr
    assert done.stderr == ""


def test_the_control_socket_is_private_and_not_tcp(fork_kernels, tmp_path):
    server = fp.fork_server()
    folder = os.stat(server.folder)
    assert stat.S_IMODE(folder.st_mode) == 0o700 and folder.st_uid == os.getuid()
    assert stat.S_ISSOCK(os.stat(server.socket_path).st_mode)
    assert psutil.Process(server.process.pid).net_connections(kind="inet") == []


def test_a_dead_fork_server_is_started_again_and_its_kernels_end(fork_kernels, tmp_path):
    async def main():
        km, kc = await start(tmp_path)
        first = fp._server.process
        first.kill()
        first.wait()
        deadline = time.monotonic() + TIMEOUT
        # the orphaned kernel watches its parent, the fork server, and ends with it
        while await km.is_alive() and time.monotonic() < deadline:
            await asyncio.sleep(0.2)  # polling interval; the condition is the kernel's end
        orphan_alive = await km.is_alive()
        await stop(km, kc, now=True)
        km2, kc2 = await start(tmp_path)
        forked = isinstance(km2.provisioner.process, fp.ForkedProcess)
        _, text = await run(kc2, "print('again')")
        second = fp._server.process.pid
        await stop(km2, kc2)
        return orphan_alive, forked, text, first.pid, second

    orphan_alive, forked, text, first, second = asyncio.run(main())
    assert not orphan_alive
    assert forked and text == "again\n" and first != second


def test_a_fork_server_whose_folder_is_gone_keeps_its_kernels_and_a_new_one_forks(
        fork_kernels, tmp_path):
    # a clean-up of /tmp during a course of several days deletes the control socket
    async def main():
        km, kc = await start(tmp_path)
        first = fp._server
        shutil.rmtree(first.folder)
        km2, kc2 = await start(tmp_path)
        forked = isinstance(km2.provisioner.process, fp.ForkedProcess)
        _, old_page = await run(kc, "print('still here')")
        _, new_page = await run(kc2, "print('new')")
        second = fp._server
        await stop(km2, kc2)
        await stop(km, kc)
        return first, second, forked, old_page, new_page

    first, second, forked, old_page, new_page = asyncio.run(main())
    assert forked and second is not first and os.path.exists(second.socket_path)
    assert first.alive() and fp._unreachable == [first]  # its trainees' kernels live on
    assert old_page == "still here\n" and new_page == "new\n"


def test_without_a_fork_server_kernels_start_the_usual_way_with_one_warning(
        fork_kernels, tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(fp, "SERVER_MODULE", "npkit.course.no_such_fork_server")

    async def main():
        texts = []
        for _ in range(2):
            km, kc = await start(tmp_path)
            assert isinstance(km.provisioner.process, subprocess.Popen)
            texts.append((await run(kc, "print('plain')"))[1])
            await stop(km, kc)
        return texts

    with caplog.at_level(logging.WARNING):
        assert asyncio.run(main()) == ["plain\n", "plain\n"]
    warnings = [r for r in caplog.records if "no fork server" in r.getMessage()]
    assert len(warnings) == 1


def test_not_on_linux_kernels_start_the_usual_way(fork_kernels, tmp_path, monkeypatch):
    monkeypatch.setattr(fp.sys, "platform", "darwin")

    async def main():
        km, kc = await start(tmp_path)
        kind = type(km.provisioner.process)
        _, text = await run(kc, "print('plain')")
        await stop(km, kc)
        return kind, text

    assert asyncio.run(main()) == (subprocess.Popen, "plain\n")
    assert fp._server is None


def test_an_environment_the_imports_did_not_see_starts_a_fresh_interpreter(
        fork_kernels, tmp_path):
    """A PYTHON* setting (read as the interpreter starts) differs from the fork server's:
    a forked kernel would not have it, so the kernel starts the usual way."""
    async def main():
        km, kc = await start(tmp_path, PYTHONNPKITFORKTEST="1")
        kind = type(km.provisioner.process)
        await stop(km, kc)
        return kind

    assert asyncio.run(main()) is subprocess.Popen


TARGETS = ("import comm\nm = comm.get_comm_manager()\n"
           "print(sorted((t, f.__module__, f.__qualname__) for t, f in m.targets.items()))")


def test_the_widget_comm_targets_are_those_of_a_fresh_kernel(fork_kernels, tmp_path):
    """ipywidgets and npkit's lean widget states register their comm targets while importing,
    if a kernel is running: the forked kernel must have them as a fresh one has (else a page
    gets no answer to request_states)."""
    async def targets(name):
        KernelProvisionerFactory.instance().default_provisioner_name = name
        km, kc = await start(tmp_path)
        kind = type(km.provisioner.process)
        _, text = await run(kc, "import npkit.course.widgets.ui\n" + TARGETS)
        await stop(km, kc)
        return kind, text

    async def main():
        return await targets("local-provisioner"), await targets(fp.NAME)

    (plain_kind, plain), (forked_kind, forked) = asyncio.run(main())
    assert plain_kind is subprocess.Popen and forked_kind is fp.ForkedProcess
    assert "npkit.course.widgets.lean" in plain and "jupyter.widget" in plain
    assert forked == plain


def test_a_restart_forks_a_new_kernel(fork_kernels, tmp_path):
    async def main():
        km, kc = await start(tmp_path)
        first = km.provisioner.pid
        await run(kc, "x = 1")
        await km.restart_kernel(now=False)
        await kc.wait_for_ready(timeout=TIMEOUT)
        second = km.provisioner.pid
        forked = isinstance(km.provisioner.process, fp.ForkedProcess)
        _, text = await run(kc, "print('x' in globals())")
        await stop(km, kc)
        return first, second, forked, text

    first, second, forked, text = asyncio.run(main())
    assert forked and first != second and not psutil.pid_exists(first)
    assert text == "False\n"  # a new kernel, not the old one's namespace


def test_the_ready_line_is_found_after_other_output_in_the_same_write():
    # a preloaded module's own line and the "ready" line can arrive in one read; the ready
    # line must be found in what was read, not waited for (the bound below only ends a
    # failing run: a missed line returns None)
    import subprocess
    import sys

    from npkit.course.fork_provisioner import _hello

    script = ("import sys; sys.stdout.write('a module says hello\\n{\"ready\": true, "
              "\"import_env\": {}}\\n'); sys.stdout.flush(); import time; time.sleep(30)")
    p = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    try:
        assert _hello(p.stdout, 10.0) == {"ready": True, "import_env": {}}
    finally:
        p.kill()
        p.wait()


def test_nothing_the_fork_server_prints_after_ready_goes_to_the_unread_pipe(fork_kernels):
    # the client reads the pipe only until "ready": a later word on it could fill the pipe and
    # block the server, so the server's stdout is its stderr from then on
    server = fp.fork_server()
    pid = server.process.pid
    assert os.readlink(f"/proc/{pid}/fd/1") == os.readlink(f"/proc/{pid}/fd/2")
    assert server.process.stdout.closed


def test_code_changed_on_disk_starts_kernels_the_usual_way_with_one_warning(
        fork_kernels, tmp_path, monkeypatch, caplog):
    """An upgrade under a running course (pip, apt, git write new files): a forked kernel
    would mix the fork server's imported code with the new files it imports itself."""
    from npkit.course import forkserver
    from npkit.course.forkserver import place_stamp

    server = fp.fork_server()
    assert os.path.realpath(sys.executable) in server.code
    assert os.path.abspath(forkserver.__file__) in server.code
    site = tmp_path / "site-packages"
    site.mkdir()
    module = site / "imported.py"
    module.write_text("", encoding="utf-8")
    monkeypatch.setitem(server.code, str(module), place_stamp(str(module)))
    monkeypatch.setattr(fp, "CODE_CHECK_S", 0.0)

    async def kinds():
        found = []
        for _ in range(2):
            km, kc = await start(tmp_path)
            found.append(type(km.provisioner.process))
            await stop(km, kc)
        return found

    # an editor's swap file, a new file beside the module: no change of the imported code
    (site / ".imported.py.swp").write_text("x", encoding="utf-8")
    (site / "new_module.py").write_text("", encoding="utf-8")
    assert asyncio.run(kinds()) == [fp.ForkedProcess, fp.ForkedProcess]
    new = site / "imported.py.new"
    new.write_text("VERSION = 2\n", encoding="utf-8")
    os.replace(new, module)  # as pip, apt and git put a new version in place of the old
    with caplog.at_level(logging.WARNING):
        assert asyncio.run(kinds()) == [subprocess.Popen, subprocess.Popen]
    warnings = [r for r in caplog.records if "changed on disk" in r.getMessage()]
    assert len(warnings) == 1
