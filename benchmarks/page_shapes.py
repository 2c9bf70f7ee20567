"""What the shape of a page costs a room: rooms of N protocol-level trainees (benchmarks/room.py)
on the default pool, on Voila's floor (one button), on pages of plain widget models in one
cell, the same with more code cells, the scenario lab and its widget twin (benchmarks/twin.py),
all served by one course server and taking turns, so that a change of load falls on all alike.

    python -m benchmarks.page_shapes [--trainees 30] [--repeats 2] [--models 100]
                                     [--extra-cells 1,4] [--json FILE]

Each shape page holds ``--models`` widget models: checkboxes that share one ``Layout`` (the
``VBox`` that holds them too) and one style, as npkit's widgets share theirs;
``grid<M>_c<K>`` has K more code cells, each printing a line. docs/performance.md ("What a
page's code cells cost") reports a run of it.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
from pathlib import Path

from . import room as R
from . import site as S

LAB = "05_scenario_lab.ipynb"


def shape_notebook(models: int, extra_cells: int = 0) -> dict:
    """A page of ``models`` widget models (checkboxes, one shared Layout and style, a VBox)
    in one code cell, then ``extra_cells`` code cells that each print a line."""
    import nbformat

    boxes = models - 3  # the VBox, the Layout it shares with the boxes, their style
    source = ("import ipywidgets as w\n"
              "from ipywidgets.widgets.widget_bool import CheckboxStyle\n\n"
              "look, style = w.Layout(), CheckboxStyle()\n"
              f"display(w.VBox([w.Checkbox(description=f'fact {{i}}', layout=look, style=style)"
              f"\n                 for i in range({boxes})], layout=look))"
              "  # noqa: F821 - display is a kernel builtin")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(source)]
    nb.cells += [nbformat.v4.new_code_cell(f"print('cell {i + 2}')") for i in range(extra_cells)]
    for i, cell in enumerate(nb.cells):
        cell.id = f"shape-{i:03d}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    return nb


def shape_name(models: int, extra_cells: int) -> str:
    return f"grid{models}_c{extra_cells}.ipynb" if extra_cells else f"grid{models}.ipynb"


async def measure(args) -> dict:
    import nbformat

    out: dict = {"trainees": args.trainees, "rooms": {}}
    with tempfile.TemporaryDirectory(prefix="npkit-shapes-") as tmp:
        tmp = Path(tmp)
        folder = tmp / "notebooks"
        names = S.prepare_notebooks(folder, [S.FLOOR, LAB, S.TWIN])
        for k in [0, *args.extra_cells]:
            name = shape_name(args.models, k)
            (folder / name).write_text(nbformat.writes(shape_notebook(args.models, k)),
                                       encoding="utf-8")
            names.append(name)
        site = await asyncio.to_thread(S.start, tmp, notebooks=names)
        try:
            for rep in range(args.repeats):
                for nb in names:
                    await asyncio.to_thread(site.wait_for_pool)
                    await asyncio.to_thread(R.quiet, site.process.pid)
                    r = await R.room(site, args.trainees, nb, label=f"shape{rep}-{nb[:-6]}",
                                     log=lambda *a: None)
                    keep = {k: r[k] for k in ("server_s", "median_s", "errors",
                                              "cpu_s_per_trainee", "server_cpu_s",
                                              "kernels_cpu_s", "load_average")}
                    out["rooms"].setdefault(nb, []).append(keep)
                    print(f"{nb:32} {r['server_s']} s, CPU {r['cpu_s_per_trainee']} s a "
                          f"trainee (server {r['server_cpu_s']} s, kernels "
                          f"{r['kernels_cpu_s']} s), errors {r['errors']}, load "
                          f"{r['load_average'][0]}", flush=True)
        finally:
            await asyncio.to_thread(site.stop)
    floor = [r["server_s"] for r in out["rooms"].get(S.FLOOR, []) if r["server_s"]]
    for nb, runs in out["rooms"].items():
        times = [r["server_s"] for r in runs if r["server_s"]]
        if times and floor:
            out.setdefault("ratio_to_floor", {})[nb] = round(
                statistics.median(times) / statistics.median(floor), 2)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.page_shapes",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--models", type=int, default=100)
    parser.add_argument("--extra-cells", default="1,4",
                        type=lambda text: [int(x) for x in text.split(",") if x])
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    out = asyncio.run(measure(args))
    for nb, ratio in out.get("ratio_to_floor", {}).items():
        print(f"{nb:32} ÷ floor {ratio:.2f}× (medians of {args.repeats})")
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
