"""The benchmarks' plumbing, without a browser or Voila: the in-process figures, the JSON and
its keys, the table and the docs update. No timing is asserted (timing is for `make bench`)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # benchmarks/ is a folder of the checkout, not installed
    sys.path.insert(0, str(ROOT))

from benchmarks import browser, pages, report, run  # noqa: E402
from benchmarks.site import FLOOR, TWIN  # noqa: E402

HEADLINE = ("first_render_ratio", "first_render_ratio_max", "toggle_p50_ms", "toggle_p95_ms",
            "concurrent_trainees", "concurrent_all_ready_s", "concurrent_errors",
            "concurrent_pool_size", "concurrent_refill_delay_s", "kernel_rss_mb",
            "module_kernel_rss_mb", "assess_all_ms", "import_ms", "lab_edit_ms",
            "trainer_refresh_ms", "room_server_s", "room_cpu_s_per_trainee", "room_ratio",
            "room_ratio_twin_to_floor", "room_ratio_lab_to_twin", "room_default_twin_ratio",
            "room_default_lab_to_twin", "room_peak_memory_mb", "room_refilled_pss_mb",
            "bytes_first_module",
            "bytes_next_module", "widget_models", "widget_state_bytes", "load_average")
MACHINE = ("cores", "memory_mb", "python", "versions", "chromium", "git_commit", "date")


@pytest.fixture
def two_cases(tmp_path, monkeypatch):
    folder = tmp_path / "cases"
    folder.mkdir()
    for name in ("jane.yaml", "john.yaml"):
        shutil.copy(ROOT / "cases" / name, folder / name)
    monkeypatch.setenv("NPKIT_CASES", str(folder))
    return folder


def test_in_process_run_writes_every_key(tmp_path, two_cases, capsys, monkeypatch):
    from benchmarks import site

    monkeypatch.setattr(site, "FORK_KERNELS", site.FORK_KERNELS)  # run.main sets it
    monkeypatch.delenv("NPKIT_FORK_KERNELS", raising=False)
    out = tmp_path / "bench.json"
    assert run.main(["--in-process-only", "--repeats", "1", "--toggles", "3",
                     "--output", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    for key in HEADLINE:
        assert key in data, key
    for key in MACHINE:
        assert key in data["machine"], key
    for name in ("voila", "ipywidgets", "jupyter_server"):
        assert name in data["machine"]["versions"]
    assert data["options"]["fork_kernels"] is True  # the default way, as npkit course
    assert data["assess_all"]["cases"] == 2
    assert data["assess_all"]["counterfactuals_per_run"] > 0  # the search ran
    assert "npkit.engine.assessment.evaluate" in data["assess_all"]["caches_cleared"]
    assert isinstance(data["assess_all_ms"], float)
    assert isinstance(data["import_ms"], float)
    assert isinstance(data["lab_edit_ms"], float) and data["lab_edit"]["edits"] == 3
    assert data["trainer_refresh"]["participants"] == 50
    assert isinstance(data["trainer_refresh_ms"], float)
    assert data["first_render_ratio"] == {}  # no browser in this run
    assert data["first_render_ratio_max"] is None
    assert data["load_average"]["start"] == data["machine"]["load_average"]
    assert len(data["load_average"]["end"]) == 3
    printed = capsys.readouterr().out
    assert "| figure | value | target |" in printed
    assert "not measured" in printed


def test_plain_kernels_are_recorded_and_passed_to_every_server(tmp_path, two_cases,
                                                                monkeypatch):
    from benchmarks import site

    monkeypatch.setattr(site, "FORK_KERNELS", site.FORK_KERNELS)
    monkeypatch.delenv("NPKIT_FORK_KERNELS", raising=False)
    out = tmp_path / "bench.json"
    assert run.main(["--in-process-only", "--repeats", "1", "--toggles", "3",
                     "--plain-kernels", "--output", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["options"]["fork_kernels"] is False
    assert site.FORK_KERNELS is False  # what site.start gives voila_command
    assert run.parse(["--no-fork-kernels"]).fork_kernels is False
    assert run.parse(["--fork-kernels"]).fork_kernels is True
    assert run.parse([]).fork_kernels is None  # as NPKIT_FORK_KERNELS says


def fake_visit(nb: str, ready: float) -> browser.Visit:
    return browser.Visit(nb, ready_ms=ready, response_end_ms=10.0, kernel_rss_mb=70.0,
                         kernel_id="k", preheated=True)


def test_headline_from_browser_results():
    visits = [fake_visit(FLOOR, 1000), fake_visit(pages.LAB, 1100), fake_visit(FLOOR, 1200),
              fake_visit(pages.LAB, 1300)]
    results = {
        "first_render": run.summarise_first_render(visits),
        "toggles": {"samples_ms": [float(i) for i in range(1, 101)]},
        "concurrent": {"pool_size": 30,
                       "lab": {"trainees": 30, "all_ready_s": 12.0, "errors": 0},
                       "floor": {"trainees": 30, "all_ready_s": 10.0, "errors": 0}},
        "assess_all": {"median_ms": 400.0}, "import": {"median_ms": 3.0},
        "rooms": {"sizes": [1, 30],
                  "default": {FLOOR: {"1": room_result(0.3), "30": room_result(10.0)},
                              pages.LAB: {"1": room_result(0.4), "30": room_result(11.0)}},
                  "workshop": {FLOOR: {"30": room_result(2.0)},
                               pages.LAB: {"30": room_result(3.0, errors=2)}}},
        "bytes": {"through": "nginx", "pages": [
            {"notebook": "00_start_here.ipynb", "bytes": 1_400_000, "requests": 90,
             "from_cache": 0, "websocket_bytes": 20_000},
            {"notebook": pages.LAB, "bytes": 300_000, "requests": 5, "from_cache": 80,
             "websocket_bytes": 280_000},
            {"notebook": "06_prosecutors_decision.ipynb", "bytes": 100_000, "requests": 5,
             "from_cache": 80, "websocket_bytes": 90_000}]},
    }
    h = run.headline(results)
    assert h["first_render_ratio"] == {pages.LAB: pytest.approx(1200 / 1100, abs=1e-3)}
    assert h["first_render_ratio_max"] == pytest.approx(1200 / 1100, abs=1e-3)
    # each lab visit ÷ the floor visit before it: 1100/1000 and 1300/1200, their median
    assert h["first_render_ratio_paired"] == {
        pages.LAB: pytest.approx((1100 / 1000 + 1300 / 1200) / 2, abs=1e-3)}
    assert h["toggle_p50_ms"] == pytest.approx(50.5, abs=0.01)
    assert h["toggle_p95_ms"] == pytest.approx(95.05, abs=0.01)
    assert h["concurrent_all_ready_s"] == 12.0
    assert h["concurrent_ratio"] == pytest.approx(1.2)
    assert h["kernel_rss_mb"] == 70.0
    full = {**h, **results, "machine": {}, "options": {}}
    verdicts = {t.key: report.verdict(full, t) for t in report.TARGETS}
    assert verdicts["first_render_ratio_max"] == "met"
    # the rooms: the headline room is the one of 30 on the default pool
    assert h["room_server_s"]["default"][pages.LAB] == {"1": 0.4, "30": 11.0}
    assert h["room_server_s"]["workshop"][pages.LAB] == {"30": 3.0}
    assert h["room_errors"]["workshop"][pages.LAB] == {"30": 2}
    assert h["room_ratio"]["default"] == {"1": pytest.approx(0.4 / 0.3, abs=1e-3),
                                          "30": pytest.approx(1.1)}
    assert h["room_default_lab_s"] == 11.0 and h["room_default_ratio"] == pytest.approx(1.1)
    assert h["room_cpu_s_per_trainee"]["default"][FLOOR]["30"] == 0.5
    assert verdicts["room_default_lab_s"] == "met"
    assert verdicts["room_default_ratio"] == "met"
    full["room_default_lab_errors"] = 1
    assert report.verdict(full, next(t for t in report.TARGETS
                                      if t.key == "room_default_lab_s")) == "MISSED"
    # the bytes: the first module, then the largest of the later ones
    assert h["bytes_first_module"] == 1_400_000 and h["bytes_next_module"] == 300_000
    assert verdicts["bytes_first_module"] == "met"
    assert verdicts["bytes_next_module"] == "MISSED"
    md = report.table(full)
    assert "05 Scenario lab" in md
    assert "| workshop (--room N) | 30 | 2.0 s (1.0 s) | 3.0 s (1.0 s), 2 errors | 1.50× |" in md
    assert "| 1,400 KB |" in md


def room_result(server_s: float, errors: int = 0) -> dict:
    return {"server_s": server_s, "median_s": 1.0, "errors": errors, "cpu_s_per_trainee": 0.5,
            "peak_rss_mb": 2048.0, "bench_cpu_s": 0.1, "load_average": [3.0, 2.0, 1.0]}


def test_percentile():
    assert run.percentile([], 95) is None
    assert run.percentile([5.0], 95) == 5.0
    assert run.percentile([1.0, 2.0, 3.0, 4.0, 5.0], 50) == 3.0


def test_update_docs_replaces_only_the_table(tmp_path):
    doc = tmp_path / "performance.md"
    doc.write_text(f"# Perf\n\nintro\n\n{report.START}\nold\n{report.END}\n\nafter\n",
                   encoding="utf-8")
    assert report.update_docs("| new |", doc)
    text = doc.read_text(encoding="utf-8")
    assert "old" not in text and "| new |" in text
    assert text.startswith("# Perf\n\nintro\n") and text.endswith("\n\nafter\n")
    plain = tmp_path / "plain.md"
    plain.write_text("no markers\n", encoding="utf-8")
    assert not report.update_docs("x", plain)
    assert plain.read_text(encoding="utf-8") == "no markers\n"


def test_every_module_has_a_ready_condition():
    from npkit.course.training.modules import MODULES

    assert set(pages.PAGES) == {FLOOR, *(m.notebook for m in MODULES)}
    for page in pages.PAGES.values():
        assert page.ready and all(kind in {"button", "checkbox", "select", "heading", "css"}
                                  for kind, _ in page.ready)
        assert json.dumps([list(c) for c in page.ready]) in pages.init_script(page)


def test_docs_have_the_table_markers():
    text = report.DOCS.read_text(encoding="utf-8")
    assert report.START in text and report.END in text


def test_report_renders_a_saved_run(tmp_path, capsys):
    saved = tmp_path / "bench.json"
    saved.write_text(json.dumps({"first_render_ratio_max": 1.05, "machine": {"cores": 2}}),
                     encoding="utf-8")
    assert report.main([str(saved)]) == 0
    assert "| 1.05× | ≤ 1.10× | met |" in capsys.readouterr().out


# The keys issue 16 asks `make bench` to write, with their shapes, written out here (not taken
# from the code under test): a key renamed or dropped fails this test.
MODULE_NOTEBOOKS = ("00_start_here.ipynb", "01_is_this_trafficking.ipynb",
                    "02_duress.ipynb", "03_models.ipynb",
                    "04_asean.ipynb", "05_scenario_lab.ipynb",
                    "06_prosecutors_decision.ipynb", "07_check_yourself.ipynb")


def full_results() -> dict:
    """A fabricated run with every part: each module visited twice, the floor twice."""
    visits = [fake_visit(FLOOR, 1000.0), fake_visit(FLOOR, 1000.0)]
    for i, nb in enumerate(MODULE_NOTEBOOKS):
        visits += [fake_visit(nb, 1000.0 + 10 * i), fake_visit(nb, 1000.0 + 10 * i)]
    rooms = {"sizes": [1, 30], **{pool: {nb: {"1": room_result(0.5), "30": room_result(9.0)}
                                           for nb in (FLOOR, pages.LAB)}
                                  for pool in ("default", "workshop")}}
    # the scenario lab's widget twin has rooms on the default pool only
    rooms["default"][TWIN] = {"1": room_result(0.4), "30": room_result(7.5)}
    return {
        "machine": {"load_average": [4.0, 3.0, 2.0], "load_average_end": [5.0, 4.0, 3.0]},
        "first_render": run.summarise_first_render(visits),
        "assess_all": {"median_ms": 150.0},
        "rooms": rooms,
        "widgets": {nb: {"models": 50 + i, "state_bytes": 40_000 + i,
                         "state_deflated_bytes": 8_000 + i}
                    for i, nb in enumerate(MODULE_NOTEBOOKS)},
        "twin": {"models": 100, "rebuilt_models": 100, "problems": []},
        "workshop_room": {"room": 30, "page": "00_start_here.ipynb", "peak_mb": 2600.0,
                          "peak_kernels": 38, "before_mb": 2500.0, "before_kernels": 37,
                          "refilled_mb": 2550.0, "refilled_kernels": 38,
                          "refilled_pss_mb": 1234.4},
        "bytes": {"through": "nginx", "pages": [
            {"notebook": nb, "bytes": 1_400_000 if i == 0 else 60_000 + i, "requests": 99,
             "from_cache": 0 if i == 0 else 95, "websocket_bytes": 10_000,
             "websocket_payload_bytes": 50_000} for i, nb in enumerate(MODULE_NOTEBOOKS)]},
    }


def test_headline_has_every_key_the_issue_names():
    assert {m.notebook for m in __import__("npkit.course.training.modules",
                                           fromlist=["MODULES"]).MODULES} == set(
        MODULE_NOTEBOOKS)
    h = run.headline(full_results())
    # room_server_s and room_cpu_s_per_trainee: for each pool, page and N
    for key in ("room_server_s", "room_cpu_s_per_trainee"):
        assert set(h[key]) == {"default", "workshop"}, key
        assert set(h[key]["default"]) == {FLOOR, pages.LAB, TWIN}, key
        assert set(h[key]["workshop"]) == {FLOOR, pages.LAB}, key
        for pool in ("default", "workshop"):
            assert set(h[key][pool][pages.LAB]) == {"1", "30"}
        assert set(h[key]["default"][TWIN]) == {"1", "30"}
    assert h["room_server_s"]["workshop"][FLOOR]["30"] == 9.0
    assert h["room_cpu_s_per_trainee"]["default"][pages.LAB]["1"] == 0.5
    assert h["room_server_s"]["default"][TWIN] == {"1": 0.4, "30": 7.5}
    assert h["room_cpu_s_per_trainee"]["default"][TWIN]["30"] == 0.5
    # the twin's ratios, on the pools it had rooms in: twin ÷ floor and lab ÷ twin
    assert h["room_ratio_twin_to_floor"] == {"default": {"1": pytest.approx(0.8),
                                                         "30": pytest.approx(7.5 / 9, abs=1e-3)}}
    assert h["room_ratio_lab_to_twin"] == {"default": {"1": pytest.approx(1.25),
                                                       "30": pytest.approx(1.2)}}
    assert h["room_default_twin_ratio"] == pytest.approx(0.833, abs=1e-3)
    assert h["room_default_lab_to_twin"] == pytest.approx(1.2)
    assert h["bytes_first_module"] == 1_400_000
    assert h["bytes_next_module"] == 60_007  # the largest later module
    # per module: widget models and state, first render ÷ floor
    assert h["widget_models"] == {nb: 50 + i for i, nb in enumerate(MODULE_NOTEBOOKS)}
    assert h["widget_state_bytes"] == {nb: 40_000 + i for i, nb in enumerate(MODULE_NOTEBOOKS)}
    assert set(h["first_render_ratio"]) == set(MODULE_NOTEBOOKS)
    assert h["first_render_ratio"]["07_check_yourself.ipynb"] == pytest.approx(1.07)
    assert h["first_render_ratio_max"] == pytest.approx(1.07)
    assert h["first_render_slowest"] == "07_check_yourself.ipynb"
    assert h["assess_all_ms"] == 150.0
    assert h["load_average"] == {"start": [4.0, 3.0, 2.0], "end": [5.0, 4.0, 3.0]}
    assert h["room_peak_memory_mb"] == 2600.0
    full = {**h, **full_results(), "options": {}}
    verdicts = {t.key: report.verdict(full, t) for t in report.TARGETS}
    assert verdicts["first_render_ratio_max"] == "met"
    assert verdicts["widget_models_max"] == "met" and verdicts["widget_state_bytes_max"] == "met"
    assert verdicts["bytes_next_module"] == "met" and verdicts["assess_all_ms"] == "met"
    assert verdicts["room_default_twin_ratio"] == verdicts["room_default_lab_to_twin"] == (
        "(no target)")
    md = report.table(full)
    assert ("| A room of 30 on the lab's widget twin (ipywidgets alone) ÷ the floor's room | "
            "0.83× | — | (no target) |") in md
    assert ("| The lab's room ÷ its twin's room (what npkit's own code adds) | 1.20× | — | "
            "(no target) |") in md
    assert ("| default (1 per page) | 30 | 9.0 s (1.0 s) | 9.0 s (1.0 s) | 1.00× | 7.5 s (1.0 s) "
            "| 0.83× | 1.20× | 0.50 / 0.50 / 0.50 |") in md
    assert ("| workshop (--room N) | 30 | 9.0 s (1.0 s) | 9.0 s (1.0 s) | 1.00× | — | — | — | "
            "0.50 / 0.50 / — |") in md
    assert "rebuilt with ipywidgets alone | 100 of 100, faithful |" in md
    assert "ROOM=30: peak memory" in md and "| 2,600 MB |" in md
    # the same room's memory with shared pages counted once (PSS), beside the resident sum
    assert h["room_refilled_pss_mb"] == 1234.4
    assert "once refilled they use 1,234 MB together (PSS)" in md
    assert "| 07 Check yourself | 1.07× |" in md
    assert "| 57 | 40 KB | 8 KB |" in md  # module 7's widget models, state, deflated


def test_the_slowest_module_is_held_to_the_target():
    results = full_results()
    results["first_render"]["pages"]["03_models.ipynb"]["median_ms"] = 1200.0
    h = run.headline(results)
    assert h["first_render_slowest"] == "03_models.ipynb"
    assert report.verdict(h, next(t for t in report.TARGETS
                                  if t.key == "first_render_ratio_max")) == "MISSED"


def test_visit_order_puts_the_floor_before_every_module():
    mods = [pages.LAB, "00_start_here.ipynb", "01_is_this_trafficking.ipynb"]
    order = browser.visit_order([*mods, FLOOR], 2)
    assert len(order) == 2 * 2 * len(mods)
    assert order[0::2] == [FLOOR] * (2 * len(mods))  # a floor visit before each module's
    assert order[1::2] == mods * 2  # the lab first, every module once per repeat


def test_paired_ratios_divide_by_the_floor_visit_just_before():
    visits = [fake_visit(FLOOR, 1000), fake_visit(pages.LAB, 1100),
              fake_visit(FLOOR, 2000), fake_visit("01_is_this_trafficking.ipynb", 2400),
              fake_visit(FLOOR, 1000), fake_visit(pages.LAB, 1300)]
    broken = fake_visit(FLOOR, 500)
    broken.errors.append("a cell failed")
    visits += [broken, fake_visit(pages.LAB, 5000)]  # after a failed floor visit: left out
    assert browser.paired_ratios(visits) == {pages.LAB: 1.2,
                                             "01_is_this_trafficking.ipynb": 1.2}


def test_first_render_alone_for_chosen_modules():
    args = run.parse(["--first-render-only", "--first-render-pages",
                      "04_asean,06_prosecutors_decision.ipynb,floor"])
    assert args.first_render_only
    assert not (args.rooms or args.bytes or args.widgets or args.browser_room)
    # the floor is always visited before each module: not a page of its own in the list
    assert args.first_render_pages == ["04_asean.ipynb", "06_prosecutors_decision.ipynb"]
    assert run.parse([]).first_render_pages is None  # every module by default
    with pytest.raises(SystemExit):
        run.parse(["--first-render-pages", "99_nowhere"])


def test_the_headline_room_runs_in_turns_and_reports_its_median_run():
    runs = {FLOOR: [room_result(2.0), room_result(1.8), room_result(2.2)],
            pages.LAB: [room_result(2.6), room_result(2.2, errors=1), room_result(2.4)]}
    rooms = {"sizes": [1, 30], "default": {nb: {"1": room_result(0.1),
                                                 "30": run.median_room(found)}
                                            for nb, found in runs.items()}}
    lab = rooms["default"][pages.LAB]["30"]
    assert lab["server_s"] == 2.4 and lab["repeats"] == 3  # the median run, not a mean
    assert lab["server_s_samples"] == [2.6, 2.2, 2.4] and lab["errors"] == 1  # of every run
    assert rooms["default"][pages.LAB]["1"] == room_result(0.1)  # a room run once: as it was
    h = run.room_figures(rooms)
    assert h["room_default_ratio"] == pytest.approx(2.4 / 2.0, abs=1e-3)
    assert h["room_default_ratio_paired"] == [pytest.approx(2.6 / 2.0, abs=1e-3),
                                              pytest.approx(2.2 / 1.8, abs=1e-3),
                                              pytest.approx(2.4 / 2.2, abs=1e-3)]
    assert h["room_default_repeats"] == 3
    md = "\n".join(report.room_table({"rooms": rooms, **h}))
    assert "ran 3 times" in md and "scenario lab 2.60 s, 2.20 s, 2.40 s" in md
    assert "1.30×, 1.22×, 1.09×" in md
    # two runs: the lower middle one
    assert run.median_room([room_result(3.0), room_result(2.0)])["server_s"] == 2.0


def test_room_repeats_option():
    assert run.parse([]).room_repeats == 3
    assert run.parse(["--room-repeats", "5"]).room_repeats == 5
    assert run.parse(["--quick"]).room_repeats == 1
