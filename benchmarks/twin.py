"""The scenario lab's widget twin: the lab's widget models rebuilt with ipywidgets alone.

The floor (benchmarks/floor.py, one Button) is the least a widget page can be; the scenario lab
is npkit's code building about a hundred widget models. The twin sits between them: a page
that holds exactly the widget models the lab's kernel holds after its first run (the same
classes, the same count, the same state, the same ``Layout`` and ``Style`` objects shared as
the lab shares them, the same model ids), built from data by ipywidgets and nothing else. So
a room on the twin measures what ipywidgets and Voila cost for a page with the lab's widgets,
and the lab's room divided by the twin's measures what npkit's own code adds (its imports, its
assessment, its templates, its learner binding, its markdown).

The twin is made at bench time from a real lab kernel: :func:`capture` runs the lab's built
notebook in a fresh kernel as benchmarks.kernel_cpu does (``sample``), noting which widget
models each code cell opened and displayed, and asks for every state over the
``jupyter.widget.control`` comm (``_request_states``), as the page's widget manager does.
:func:`notebook` embeds them as JSON in the twin's first cell. Each of the twin's cells builds
the models the lab's matching cell opened, in the lab's order (a model a state refers to,
``IPY_MODEL_<id>``, is built first), and displays what that cell displayed, in one
``display`` call; the lab's cells that open and display no widget have no twin cell. Every
state key ipywidgets refuses and every model it cannot rebuild is recorded in ``REFUSED``
(printed on the page, and by :func:`write`): never dropped silently.

On a plain kernel the twin's answers ``request_states`` as ipywidgets does, every trait with
its default, while the lab's leaves the defaults out (npkit.course.widgets.lean): the twin's
state bytes are larger than the lab's for the same models, a difference that is npkit's and
that the figures keep. A kernel forked from npkit's fork server (the default) has the lean
answer installed whatever its notebook, so there the two send the same bytes.

    python -m benchmarks.twin [FOLDER]     # write FOLDER/lab_twin.ipynb and its report
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .site import TWIN

REPORT = "lab_twin.json"  # beside the twin: what was rebuilt, refused or differs

_HEAD = '''\
# The scenario lab's widget twin (benchmarks/twin.py): the widget models of the lab's kernel
# after its first run, rebuilt with ipywidgets alone. Generated at bench time; do not edit.
import json

import ipywidgets

STATES = json.loads({states})
CELLS = json.loads({cells})  # per cell: the models it builds, then the ones it displays
REFUSED = []  # every state key or model ipywidgets would not take: (model id, key, why)
BUILT = {{}}


def _classes():
    """ipywidgets' class for each (model module, model name), the styles included: the class
    that names the model itself (a subclass that inherits the name, as VBox's interactive,
    is not it)."""
    found, todo = {{}}, [ipywidgets.Widget]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("ipywidgets.") and "_model_name" in cls.__dict__:
            traits = cls.class_traits()
            found[(traits["_model_module"].default_value,
                   traits["_model_name"].default_value)] = cls
    return found


CLASSES = _classes()
TO_WIDGET = ipywidgets.widget_serialization["from_json"]


def _references(value):
    if isinstance(value, str) and value.startswith("IPY_MODEL_"):
        yield value[len("IPY_MODEL_"):]
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _references(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _references(item)


def _arguments(model_id, cls, state):
    """The constructor's keyword arguments for a state: references built first and turned
    into widgets, ``_options_labels`` as ``options``; a key that cannot be passed, refused."""
    traits = cls.class_traits(sync=True)
    kwargs = {{}}
    for key, value in state.items():
        trait = traits.get(key)
        if trait is None:
            REFUSED.append((model_id, key, f"not a synced trait of {{cls.__name__}}"))
        elif key.startswith(("_model_", "_view_")):
            if value != trait.default_value:
                REFUSED.append((model_id, key, f"{{value!r}}, not {{cls.__name__}}'s"))
        elif key == "_options_labels":
            kwargs["options"] = value
        elif trait.read_only:
            REFUSED.append((model_id, key, "read-only"))
        elif trait.metadata.get("from_json") is TO_WIDGET:
            missing = [ref for ref in _references(value) if build(ref) is None]
            if missing:
                REFUSED.append((model_id, key, f"refers to models not rebuilt: {{missing}}"))
            else:
                kwargs[key] = TO_WIDGET(value, None)
        else:
            from_json = trait.metadata.get("from_json")
            kwargs[key] = from_json(value, None) if from_json else value
    return kwargs


def _construct(model_id, cls, kwargs):
    try:
        return cls(model_id=model_id, **kwargs)
    except Exception as whole:  # which keys: each tried alone on a widget closed at once
        refused = []
        for key, value in kwargs.items():
            try:
                cls(**{{key: value}}).close()
            except Exception as e:  # noqa: BLE001 - recorded, then built without the key
                refused.append(key)
                REFUSED.append((model_id, key, f"{{type(e).__name__}}: {{e}}"[:300]))
        if not refused:
            REFUSED.append((model_id, None, f"{{type(whole).__name__}}: {{whole}}"[:300]))
            return None
        return _construct(model_id, cls, {{k: v for k, v in kwargs.items() if k not in refused}})


def build(model_id):
    """The widget for a model of STATES, built once (None if it cannot be)."""
    if model_id in BUILT:
        return BUILT[model_id]
    BUILT[model_id] = None  # a model that refers back to itself is not rebuilt
    entry = STATES.get(model_id)
    if entry is None:
        REFUSED.append((model_id, None, "no state for this model"))
        return None
    cls = CLASSES.get((entry.get("model_module"), entry.get("model_name")))
    if cls is None:
        REFUSED.append((model_id, None, f"no ipywidgets class for {{entry.get('model_name')}}"))
        return None
    BUILT[model_id] = _construct(model_id, cls, _arguments(model_id, cls, entry["state"]))
    return BUILT[model_id]


def cell(index):
    """Build the models of the lab's cell ``index``, display what it displayed."""
    made, shown = CELLS[index]
    before = len(REFUSED)
    for model_id in made:
        build(model_id)
    views = [BUILT[m] for m in shown if BUILT.get(m) is not None]
    REFUSED.extend((m, None, "not displayed: not rebuilt") for m in shown
                   if BUILT.get(m) is None)
    if views:
        display(*views)  # noqa: F821 - display is a builtin in a kernel
    if len(REFUSED) > before:
        print("the twin is not the lab's:", REFUSED[before:])


cell(0)
'''


def capture(lab: Path) -> dict:
    """The lab's widget models after its first run in a fresh kernel (benchmarks.kernel_cpu's
    ``sample``): ``states`` (the ``update_states`` reply's), ``buffer_paths``, and per code
    cell the models it ``opened`` and ``displayed``; ``errors`` of its cells."""
    from .kernel_cpu import sample

    run = sample(lab, keep=True)
    return {"states": run["reply"].get("states", {}),
            "buffer_paths": run["reply"].get("buffer_paths", []),
            "cells": run["cells"], "errors": run["errors"]}


def twin_cells(states: dict, cells: list[dict]) -> list[tuple[list[str], list[str]]]:
    """Per twin cell, the models to build (in the lab's order) and the ones to display: one
    for each lab cell that opened or displayed a model the states hold. Models the states hold
    that no cell opened (none, in a lab run from its first cell) go to the first."""
    out = []
    for c in cells:
        made = [m for m in c["opened"] if m in states]
        shown = [m for m in c["displayed"] if m in states]
        if made or shown:
            out.append((made, shown))
    opened = {m for made, _ in out for m in made}
    rest = [m for m in states if m not in opened]
    if rest or not out:
        first = out[0] if out else ([], [])
        out[:1] = [(rest + first[0], first[1])]
    return out


def cell_sources(states: dict, cells: list[dict]) -> list[str]:
    """The twin's code cells: the data and the builder, then one call per lab cell."""
    plan = twin_cells(states, cells)
    head = _HEAD.format(states=repr(json.dumps(states, separators=(",", ":"))),
                        cells=repr(json.dumps(plan, separators=(",", ":"))))
    return [head, *(f"cell({i})" for i in range(1, len(plan)))]


def notebook(states: dict, cells: list[dict]):
    """The twin as a notebook (``nbformat.NotebookNode``), with the floor's metadata."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cell_sources(states, cells)]
    for i, c in enumerate(nb.cells):
        c.id = f"twin-{i:03d}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


# ------------------------------------------------------------------ faithful or not


def rebuild_in_process(sources: list[str]) -> dict:
    """Run the twin's cells in this process (ipywidgets outside a kernel): ``widgets`` (model
    id -> widget, from the twin's ``BUILT``), ``refused`` (its ``REFUSED``), ``displayed``
    (each ``display`` call's widgets), ``created`` (every model ipywidgets opened, those
    built as a side effect included). Close them with :func:`close`."""
    from ipywidgets.widgets import widget as _widget

    before = set(_widget._instances)
    displayed: list[list] = []
    namespace = {"__name__": "lab_twin", "display": lambda *ws: displayed.append(list(ws)),
                 "print": lambda *a, **k: None}
    for source in sources:
        exec(compile(source, TWIN, "exec"), namespace)  # noqa: S102 - the generated twin
    created = {m: w for m, w in _widget._instances.items() if m not in before}
    return {"widgets": namespace["BUILT"], "refused": list(namespace["REFUSED"]),
            "displayed": displayed, "created": created}


def close(rebuilt: dict) -> None:
    for w in rebuilt["created"].values():
        w.close()


def _json(value):
    return json.loads(json.dumps(value))


def differences(states: dict, rebuilt: dict) -> list[str]:
    """How the rebuilt widgets differ from ``states``: a model missing or of another class, a
    value not the same, a value the lab does not have, a model the lab does not have. The lab's
    states may carry every value (ipywidgets) or leave the defaults out (npkit's lean states):
    each of its values must be the twin's, and each non-default value of the twin the lab's."""
    found = []
    widgets, created = rebuilt["widgets"], rebuilt["created"]
    for model_id, entry in states.items():
        w = widgets.get(model_id)
        if w is None:
            found.append(f"{model_id} ({entry.get('model_name')}): not rebuilt")
            continue
        if w._model_name != entry.get("model_name"):
            found.append(f"{model_id}: {w._model_name}, not {entry.get('model_name')}")
        full = _json(w.get_state())
        lean = _json(w.get_state(drop_defaults=True))
        for key, value in entry["state"].items():
            if key not in full:
                found.append(f"{model_id}.{key}: not in the twin")
            elif full[key] != value:
                found.append(f"{model_id}.{key}: {full[key]!r:.80}, not {value!r:.80}")
        for key, value in lean.items():
            if key not in entry["state"] and not (key == "_dom_classes" and value == []):
                found.append(f"{model_id}.{key}: {value!r:.80} in the twin only")
    found += [f"{m} ({w._model_name}): in the twin only" for m, w in created.items()
              if m not in states]
    return found


def kinds(states: dict) -> dict[str, int]:
    out: dict[str, int] = {}
    for entry in states.values():
        out[entry.get("model_name", "?")] = out.get(entry.get("model_name", "?"), 0) + 1
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))


def write(folder: Path, lab: Path) -> dict:
    """Capture the lab's built notebook ``lab``, write the twin into ``folder`` (``TWIN``),
    rebuild it in this process to check it, and write the report beside it (``REPORT``):
    the models and their kinds, the twin's cells, what was refused and what differs."""
    captured = capture(lab)
    states = captured["states"]
    nb = notebook(states, captured["cells"])
    import nbformat

    (folder / TWIN).write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
    sources = [c.source for c in nb.cells]
    rebuilt = rebuild_in_process(sources)
    try:
        report = {
            "models": len(states), "kinds": kinds(states),
            "rebuilt_models": len(rebuilt["created"]),
            "cells": [[len(made), len(shown)] for made, shown in
                      twin_cells(states, captured["cells"])],
            "refused": [list(r) for r in rebuilt["refused"]],
            "differences": differences(states, rebuilt),
            "lab_errors": captured["errors"],
            # binary buffers are not in the JSON the twin embeds
            "buffer_paths": captured["buffer_paths"],
        }
    finally:
        close(rebuilt)
    (folder / REPORT).write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


def prepare(folder: Path) -> dict:
    """Write the twin and its report into ``folder`` from a run of the scenario lab built
    there (built into a temporary folder if ``folder`` has none)."""
    import tempfile

    from .kernel_cpu import LAB
    from .site import prepare_notebooks

    if (folder / LAB).exists():
        return write(folder, folder / LAB)
    with tempfile.TemporaryDirectory(prefix="npkit-twin-") as tmp:
        prepare_notebooks(Path(tmp), [LAB])
        return write(folder, Path(tmp) / LAB)


def read_report(folder: Path) -> dict:
    """The report :func:`write` left beside the twin in ``folder``, with its ``problems``."""
    report = json.loads((folder / REPORT).read_text(encoding="utf-8"))
    return {**report, "problems": problems(report)}


def problems(report: dict) -> list[str]:
    """What keeps the twin from being the lab's, as lines to print (none: faithful)."""
    out = [f"refused: {r}" for r in report.get("refused", [])]
    out += [f"differs: {d}" for d in report.get("differences", [])]
    out += [f"the lab's cell failed: {e}" for e in report.get("lab_errors", [])]
    if report.get("buffer_paths"):
        out.append(f"binary buffers not rebuilt: {report['buffer_paths']}")
    if report.get("rebuilt_models") != report.get("models"):
        out.append(f"{report.get('rebuilt_models')} models rebuilt for the lab's "
                   f"{report.get('models')}")
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.twin",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=Path("build") / "twin")
    args = parser.parse_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    report = prepare(args.folder)
    print(f"{args.folder / TWIN}: {report['models']} models in {len(report['cells'])} cells, "
          f"{report['kinds']}")
    for line in problems(report):
        print(line, file=sys.stderr)
    return 1 if problems(report) else 0


if __name__ == "__main__":
    sys.exit(main())
