"""``--pool-size``: how many kernels the course keeps preheated per page (a workshop room
opening one module together needs one each), passed to Voila as its per-page pools."""

from __future__ import annotations

import json

import pytest
from dashboard_support import course_app

from npkit.course import dashboard
from npkit.course.training.modules import MODULES

voila = pytest.importorskip("voila")


def pools(cmd: list[str]) -> dict | None:
    flag = "--VoilaKernelManager.kernel_pools_config="
    found = [a[len(flag):] for a in cmd if a.startswith(flag)]
    return json.loads(found[0]) if found else None


@pytest.fixture
def built(tmp_path):
    for name in ("00_start_here.ipynb", "05_scenario_lab.ipynb"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    return tmp_path


def test_default_is_one_kernel_per_page_and_no_pool_config(tmp_path):
    cmd = dashboard.voila_command(tmp_path)
    assert dashboard.SETTINGS["VoilaConfiguration"]["default_pool_size"] == 1
    assert dashboard.SETTINGS["VoilaConfiguration"]["preheat_kernel"] is True
    assert not [a for a in cmd if a.startswith("--") and "pool" in a]  # voila.json: one each
    assert pools(cmd) is None


def test_a_room_size_for_one_page(tmp_path):
    cmd = dashboard.voila_command(tmp_path, pool_sizes={"05_scenario_lab.ipynb": 30})
    assert pools(cmd) == {"default": {"pool_size": 1},
                          "05_scenario_lab.ipynb": {"pool_size": 30}}


def test_refill_delay(tmp_path):
    assert not any(a.startswith("--VoilaKernelManager.fill_delay")
                   for a in dashboard.voila_command(tmp_path))
    cmd = dashboard.voila_command(tmp_path, refill_delay=120)
    assert "--VoilaKernelManager.fill_delay=120.0" in cmd


def test_launcher_refuses_a_bad_refill_delay(built, capsys):
    assert dashboard.main(["--notebooks", str(built), "--refill-delay", "-1"]) == 2
    assert "--refill-delay" in capsys.readouterr().err


def test_parse_pool_sizes(built):
    assert dashboard.parse_pool_sizes([], built) == {}
    assert dashboard.parse_pool_sizes(["05_scenario_lab=30", "2"], built) == {
        "05_scenario_lab.ipynb": 30, "default": 2}
    assert dashboard.parse_pool_sizes(["05_scenario_lab.ipynb=0"], built) == {
        "05_scenario_lab.ipynb": 0}


@pytest.mark.parametrize("value", ["x", "05_scenario_lab=", "05_scenario_lab=-1",
                                   "05_scenario_lab=100000", "99_nothing=3", "=3x"])
def test_parse_pool_sizes_refuses(built, value):
    with pytest.raises(ValueError, match="--pool-size"):
        dashboard.parse_pool_sizes([value], built)


def test_launcher_refuses_a_bad_pool_size(built, capsys):
    assert dashboard.main(["--notebooks", str(built), "--pool-size", "nope=3"]) == 2
    assert "--pool-size nope=3" in capsys.readouterr().err


@pytest.mark.filterwarnings("ignore:--kernel_pools_config=:DeprecationWarning")
def test_voila_reads_the_pool_config(tmp_path, monkeypatch):
    """Voila parses the per-page pools into its kernel manager's ``kernel_pools_config`` (the
    manager class is made by a factory; traitlets finds its config by the class name)."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.app import Voila
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    argv = dashboard.voila_command(tmp_path, pool_sizes={"05_scenario_lab.ipynb": 7},
                                   refill_delay=90)
    app = course_app(monkeypatch, argv)
    assert isinstance(app, Voila)
    cls = voila_kernel_manager_factory(AsyncMappingKernelManager, True, 1)
    raw = app.config[cls.__name__]["kernel_pools_config"]
    config = raw.get_value(cls.class_traits()["kernel_pools_config"])
    assert config == {"default": {"pool_size": 1}, "05_scenario_lab.ipynb": {"pool_size": 7}}
    assert float(app.config[cls.__name__]["fill_delay"]) == 90.0


def test_a_late_cell_output_is_waited_for_not_dropped(tmp_path, monkeypatch):
    """Under a room of cold kernels a cell's output reached Voila more than 30 s after the
    cell finished, and Voila dropped it (the page came without its widgets)."""
    app = course_app(monkeypatch, dashboard.voila_command(tmp_path))
    assert app.config.VoilaExecutor.iopub_timeout >= 300


def test_a_room_is_preheated_then_refilled_to_the_usual_size(tmp_path):
    cmd = dashboard.voila_command(tmp_path, room_sizes={"05_scenario_lab.ipynb": 30})
    pools = next(a for a in cmd if a.startswith("--VoilaKernelManager.kernel_pools_config="))
    assert json.loads(pools.split("=", 1)[1]) == {
        "default": {"pool_size": 1}, "05_scenario_lab.ipynb": {"pool_size": 30}}
    refill = next(a for a in cmd if a.startswith("--CourseVoila.refill_pool_sizes="))
    assert json.loads(refill.split("=", 1)[1]) == {"05_scenario_lab.ipynb": 1}
    # a page with a pool of its own is refilled to that pool, not to the default
    cmd = dashboard.voila_command(tmp_path, pool_sizes={"05_scenario_lab.ipynb": 3},
                                  room_sizes={"05_scenario_lab.ipynb": 30})
    refill = next(a for a in cmd if a.startswith("--CourseVoila.refill_pool_sizes="))
    assert json.loads(refill.split("=", 1)[1]) == {"05_scenario_lab.ipynb": 3}
    assert not any("refill_pool_sizes" in a for a in dashboard.voila_command(tmp_path))


def test_parse_room_sizes(built):
    first = MODULES[0].notebook
    assert dashboard.parse_room_sizes([], built) == {}
    assert dashboard.parse_room_sizes(["30"], built) == {first: 30}
    assert dashboard.parse_room_sizes(["05_scenario_lab=12"], built) == {
        "05_scenario_lab.ipynb": 12}


@pytest.mark.parametrize("value", ["0", "nope=3", "05_scenario_lab=x", "9999"])
def test_parse_room_sizes_refuses(built, value):
    with pytest.raises(ValueError, match=f"--room {value}"):
        dashboard.parse_room_sizes([value], built)


@pytest.mark.filterwarnings("ignore:--refill_pool_sizes=:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:--kernel_pools_config=:DeprecationWarning")
def test_the_room_page_keeps_its_usual_pool_once_started(tmp_path, monkeypatch):
    """Voila reads a page's pool size again each time a visitor takes a kernel; after the start
    the course lowers a room's page to its usual size, so the room's replacements do not
    double the kernels."""
    argv = dashboard.voila_command(tmp_path, room_sizes={"05_scenario_lab.ipynb": 30})
    app = course_app(monkeypatch, argv)
    assert app.refill_pool_sizes == {"05_scenario_lab.ipynb": 1}

    class Manager:
        kernel_pools_config = {"default": {"pool_size": 1},
                               "05_scenario_lab.ipynb": {"pool_size": 30}}

    app.kernel_manager = Manager()
    app.size_pools_after_the_room()
    assert app.kernel_manager.kernel_pools_config == {
        "default": {"pool_size": 1}, "05_scenario_lab.ipynb": {"pool_size": 1}}
