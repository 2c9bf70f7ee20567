"""A module page whose kernel goes away while it is open (npkit-connection.js), as a learner
meets it: the kernel shut down by the server (what the idle cull does to a laptop that slept),
the kernel process killed, and the whole course restarted. Each time the page must say so in
plain words, turn its controls off, stop saying the answers are kept, and after Reload give back
the answers the kernel acknowledged, naming the one it did not.

The first two use the shared server (conftest.py: killing one page's kernel touches no other
page). The restart test starts a server of its own (``restartable``), so no other browser test
meets a restart. Also here: an address beyond a module gets the course's own "not found" page.

Times from the loss to the banner are printed (``-s``), never asserted.
"""

from __future__ import annotations

import os
import signal
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from browser_support import (
    ROOT,
    Site,
    axe_violations,
    describe_violations,
    expect,
    free_port,
    settle,
    start_server,
    stop_server,
    wait_until_serving,
)

from npkit.course.training.modules import MODULES

DURESS = next(m.notebook for m in MODULES if m.number == 2)
BANNER = "This page lost its connection to the course."
COMES_BACK = "Reload: your saved answers will come back."
KEPT = "Your answers are kept for"
# (a module-2 question's radio group, by the start of its name; the answer)
FIRST = ("1. Was Jane threatened", "No")
SECOND = ("2. Could Jane reasonably escape or get help?", "Yes")


# --------------------------------------------------------------------------- helpers


def radio(page, label: str, choice: str):
    return page.get_by_role("radiogroup", name=label).get_by_role("radio", name=choice)


def open_duress(site, visit, learner):
    v = visit()
    page = v.page
    page.goto(site.module_url(DURESS, learner=learner))
    expect(page.get_by_role("button", name="Compare with npkit")).to_be_visible()
    expect(page.locator(".npk-learner-line")).to_contain_text(KEPT)
    return v


def answer_first_and_wait_for_the_kernel(page) -> None:
    """Answer the first question; return once the kernel has handled (and so saved) it: the
    widget models have nothing pending and npkit-connection.js has its acknowledgement."""
    radio(page, *FIRST).check()
    settle(page)
    try:
        page.wait_for_function("() => window.npkitConnection.waiting().length === 0",
                               polling=50)
    except Exception as error:  # name what the page still waits for
        raise AssertionError("the page still waits for the kernel: "
                             f"{page.evaluate('() => window.npkitConnection.waiting()')}"
                             ) from error


def kernel_id(page) -> str:
    return page.evaluate("() => window.jupyterapp.widgetManager.kernel.id")


def kernel_pids(kernel: str) -> list[int]:
    """The processes of a kernel: its command line names its connection file, kernel-<id>.json."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if f"kernel-{kernel}" in cmdline:
                found.append(int(entry.name))
    return found


def signal_all(pids: list[int], sig: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


DELETE_KERNEL = """async (id) => {
    const xsrf = (document.cookie.match(/\\b_xsrf=([^;]*)/) || [])[1] || '';
    const r = await fetch('/api/kernels/' + id, {method: 'DELETE',
                                                 headers: {'X-XSRFToken': xsrf}});
    return r.status;
}"""

# Every control of the page outside the banner, and whether it is disabled.
CONTROLS_STATE = """() => [...document.querySelectorAll('input, button, select, textarea')]
    .filter(e => !e.closest('#npk-lost'))
    .map(e => ({what: (e.type || e.tagName) + ' ' + (e.innerText || e.value || '').trim(),
                disabled: e.disabled}))"""


def banner_shown(page, since: float, what: str):
    banner = page.get_by_role("alert").filter(has_text=BANNER)
    expect(banner).to_be_visible()
    print(f"\n{what}: banner {time.monotonic() - since:.1f} s after the loss")
    return banner


def assert_page_is_off(page, banner) -> None:
    """The banner's Reload has focus, every other control is off, the kept-lines are gone, and
    axe finds nothing serious on the page as it now is."""
    reload = banner.get_by_role("button", name="Reload the page")
    expect(reload).to_be_focused()
    expect(page.get_by_role("button", name="Compare with npkit")).to_be_disabled()
    controls = page.evaluate(CONTROLS_STATE)
    assert len(controls) >= 9, controls  # 8 radio buttons and Compare, at least
    assert [c for c in controls if not c["disabled"]] == []
    expect(page.locator(".npk-learner-line")).to_be_hidden()  # "Your answers are kept for"
    expect(page.locator("p.npk-learner[data-state]")).to_be_hidden()  # "... are saved"
    found = axe_violations(page)
    assert not found, describe_violations(found)


def reload_and_check_answers(page, banner, *, unsaved: str | None) -> None:
    """Reload with the keyboard; the acknowledged answer is back; the unsaved one is not, and
    the page names it once more."""
    page.keyboard.press("Enter")  # focus is on Reload
    expect(page.get_by_role("button", name="Compare with npkit")).to_be_enabled()
    expect(radio(page, *FIRST)).to_be_checked()
    expect(radio(page, *SECOND)).not_to_be_checked()
    expect(page.get_by_role("alert").filter(has_text=BANNER)).to_have_count(0)
    expect(page.locator(".npk-learner-line")).to_contain_text(KEPT)
    note = page.get_by_role("status").filter(has_text="could not be saved")
    if unsaved:
        expect(note).to_contain_text(unsaved)
    else:  # the note is made as the page starts, long before Compare is enabled
        assert note.count() == 0, f"after the reload the page says: {note.all_inner_texts()}"


# --------------------------------------------------------------------------- the shared server


def test_a_kernel_shut_down_by_the_server_with_a_change_in_flight(site, visit, learner):
    """The server shuts the page's kernel down (DELETE /api/kernels/<id>, what the idle cull
    does) while the learner's latest change has not been handled: the kernel is frozen first
    (SIGSTOP), so the change and a press of Compare are sent and never acknowledged. The banner
    says the page lost its connection and names both as not saved; after Reload the first
    answer is back, the second is not, and the page says so again."""
    v = open_duress(site, visit, learner)
    page = v.page
    answer_first_and_wait_for_the_kernel(page)
    kernel = kernel_id(page)
    pids = kernel_pids(kernel)
    assert pids, f"no process for kernel {kernel}"
    signal_all(pids, signal.SIGSTOP)
    try:
        radio(page, *SECOND).check()  # sent; the frozen kernel never handles it
        page.get_by_role("button", name="Compare with npkit").click()  # the same
        lost = time.monotonic()
        assert page.evaluate(DELETE_KERNEL, kernel) == 204
    finally:
        signal_all(pids, signal.SIGKILL)  # the server has killed it already; make sure
    banner = banner_shown(page, lost, "kernel shut down by the server")
    expect(banner).to_contain_text(COMES_BACK)
    expect(banner).to_contain_text(f"Your change to \u201c{SECOND[0]}\u201d and your press "
                                   "of \u201cCompare with npkit\u201d were not saved")
    assert_page_is_off(page, banner)
    reload_and_check_answers(page, banner, unsaved=f"your change to \u201c{SECOND[0]}\u201d "
                                                  "and your press of \u201cCompare")
    assert not v.page_errors, v.page_errors


def test_a_killed_kernel_process(site, visit, learner):
    """The kernel process dies (SIGKILL; the server restarts a kernel under the same id, which
    has lost the page's widgets). The banner comes without any click; a click on a control then
    does nothing; after Reload the answer given before is back."""
    v = open_duress(site, visit, learner)
    page = v.page
    answer_first_and_wait_for_the_kernel(page)
    pids = kernel_pids(kernel_id(page))
    assert pids
    lost = time.monotonic()
    signal_all(pids, signal.SIGKILL)
    banner = banner_shown(page, lost, "kernel process killed")
    expect(banner).to_contain_text(COMES_BACK)
    expect(banner.locator(".npk-lost-unsaved")).to_have_count(0)  # nothing was in flight
    assert_page_is_off(page, banner)
    radio(page, *SECOND).click(force=True)  # a learner's click on the disabled control
    expect(radio(page, *SECOND)).not_to_be_checked()
    banner.get_by_role("button", name="Reload the page").focus()
    reload_and_check_answers(page, banner, unsaved=None)
    assert not v.page_errors, v.page_errors


def test_the_kernels_start_as_the_start_up_line_says(site, visit, learner):
    """Forked from the fork server by default, a fresh Python with NPKIT_FORK_KERNELS=0 (make
    test-plain): the server's start-up line tells the trainer which, and a page's kernel is
    the fork server's child exactly when it says forked."""
    forked = os.environ.get("NPKIT_FORK_KERNELS", "1").strip() != "0"
    said = site.wait_for_log(r"npkit: (kernels are forked|each kernel starts as a fresh)")
    assert said is not None, site.log_tail()
    assert said.group(1) == ("kernels are forked" if forked else "each kernel starts as a fresh")
    pids = kernel_pids(kernel_id(open_duress(site, visit, learner).page))
    assert pids
    parents = [Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1]
               for pid in pids]
    from_server = ["npkit.course.forkserver" in Path(f"/proc/{ppid}/cmdline").read_bytes()
                   .decode(errors="replace") for ppid in parents]
    assert any(from_server) is forked, (pids, parents)


@pytest.mark.parametrize("path", ["/voila/render/05_scenario_lab.ipynb/extra",
                                  "/voila/files/cases/jane.yaml"])
def test_an_address_beyond_a_module_gets_the_course_not_found_page(site, path):
    """Voila sends /voila/render/<module>/extra to /voila/files/, which refused it with
    Tornado's bare 403: now the course's own page, status 404."""
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(site.url(path), timeout=30)
    assert info.value.code == 404
    html = info.value.read().decode("utf-8")
    assert "There is no page at this address" in html
    assert "Back to all modules" in html and "npkit.css" in html
    assert "Forbidden" not in html and "allowlisted" not in html


# --------------------------------------------------------------------------- a restart


@pytest.fixture
def restartable(tmp_path, browser):
    """A Voila server of this test's own, with ``restart()``: stop it and start it again on
    the same port with the same store, as a trainer restarting the course would."""
    from npkit.course.dashboard import voila_command

    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import build_notebooks
    finally:
        sys.path.remove(str(ROOT / "tools"))
    assert build_notebooks.main([]) == 0, "tools/build_notebooks.py failed"

    env = dict(os.environ, NPKIT_STORE=str(tmp_path / "learners.sqlite"),
               NPKIT_CASES=str(ROOT / "cases"), PYTHONUNBUFFERED="1")
    port = free_port()
    # A kernel kept ready for the one page the test opens, as for every page in the course;
    # none for the others, which the test never opens: ten kernels each running its page at
    # every start would only slow this page and the restart on two cores.
    cmd = voila_command(build_notebooks.NOTEBOOKS, port=port,
                        pool_sizes={"default": 0, DURESS: 1})

    class Restartable(Site):
        def stop(self):
            stop_server(self.process)

        def start(self):
            self.process = start_server(cmd, env, self.log)
            wait_until_serving(self)

    s = Restartable(f"http://127.0.0.1:{port}", build_notebooks.NOTEBOOKS, ROOT / "cases",
                    tmp_path / "learners.sqlite", tmp_path / "voila.log", None)
    s.start()
    try:
        yield s
    finally:
        stop_server(s.process)


def test_a_server_restart(restartable, visit, learner):
    """The course is stopped with the page open (its websocket closes from the server's side)
    and started again on the same port. While it is down the banner says it is not answering;
    once it is back the page's kernel does not exist any more, and the banner stays. After
    Reload the answer given before the restart is back."""
    site = restartable
    v = open_duress(site, visit, learner)
    page = v.page
    answer_first_and_wait_for_the_kernel(page)
    lost = time.monotonic()
    site.stop()
    banner = banner_shown(page, lost, "server stopped")
    expect(banner).to_contain_text("The course is not answering just now")
    assert_page_is_off(page, banner)

    site.start()
    back = time.monotonic()
    expect(banner).not_to_contain_text("not answering", timeout=30_000)  # the kernel is gone
    print(f"server back: banner without 'not answering' {time.monotonic() - back:.1f} s later")
    expect(banner).to_contain_text(COMES_BACK)
    assert_page_is_off(page, banner)
    reload_and_check_answers(page, banner, unsaved=None)
    assert not v.page_errors, v.page_errors
