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
:func:`program` works out here, with ipywidgets, each model's class and constructor
arguments (``_Plan``) and writes them beside the twin (``DATA``). Each of the twin's cells
builds the models the lab's matching cell opened, in the lab's order (a model a state refers
to, ``IPY_MODEL_<id>``, is built first), one constructor call each, and displays what that
cell displayed, in one ``display`` call; the lab's cells that open and display no widget have
no twin cell. Every state key ipywidgets refuses and every model it cannot rebuild is recorded
in ``REFUSED`` (printed on the page, and by :func:`write`): never dropped silently.

On a plain kernel the twin's answers ``request_states`` as ipywidgets does, every trait with
its default, while the lab's leaves the defaults out (npkit.course.widgets.lean): the twin's
state bytes are larger than the lab's for the same models, a difference that is npkit's and
that the figures keep. A kernel forked from npkit's fork server (the default) has the lean
answer installed whatever its notebook, so there the two send the same bytes.

    python -m benchmarks.twin [FOLDER]     # write FOLDER/lab_twin.ipynb and its report
"""

from __future__ import annotations

import contextlib
import json
import sys
import tempfile
from pathlib import Path

from .site import TWIN

REPORT = "lab_twin.json"  # beside the twin: what was rebuilt, refused or differs

# What the twin's kernel runs: one constructor call per model, in the lab's order, with the
# arguments worked out here, at bench time (:class:`_Plan`), read from a JSON file beside the
# notebook (``DATA``). The cells stay a few lines long: IPython tokenises and ipykernel hashes
# every cell's source in Python, and an earlier twin that carried the lab's states in its first
# cell (61 KB of source) spent about as much kernel CPU on that as on building the widgets.
DATA = "lab_twin.data.json"
_HEAD = """\
# The scenario lab's widget twin (benchmarks/twin.py): the widget models of the lab's kernel
# after its first run, rebuilt with ipywidgets alone, one constructor call per model, with the
# arguments in {data} (made at bench time, as this notebook; do not edit).
import json

{imports}

CLASSES = {{{classes}}}
DATA = json.loads(open({data!r}, encoding="utf-8").read())
REFUSED = [tuple(r) for r in DATA["refused"]]  # what ipywidgets would not take
BUILT = {{}}


def _value(value):  # a model another refers to, as a widget
    if isinstance(value, str) and value.startswith("IPY_MODEL_"):
        return BUILT[value[10:]]
    if isinstance(value, list):
        return [_value(v) for v in value]
    return value


def cell(index):
    \"\"\"Build the models of the lab's cell ``index``, display what it displayed.\"\"\"
    step = DATA["cells"][index]
    for name, model_id, kwargs in step["build"]:
        BUILT[model_id] = CLASSES[name](model_id=model_id,
                                        **{{k: _value(v) for k, v in kwargs.items()}})
    if step["display"]:
        display(*(BUILT[m] for m in step["display"]))  # noqa: F821 - a builtin in a kernel
    if step["refused"]:
        print("the twin is not the lab's:", REFUSED[slice(*step["refused"])])


cell(0)
"""


def _classes() -> dict:
    """ipywidgets' class for each (model module, model name), the styles included: the class
    that names the model itself (a subclass that inherits the name, as VBox's interactive,
    is not it)."""
    import ipywidgets

    found, todo = {}, [ipywidgets.Widget]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("ipywidgets.") and "_model_name" in cls.__dict__:
            traits = cls.class_traits()
            found[(traits["_model_module"].default_value,
                   traits["_model_name"].default_value)] = cls
    return found


def _references(value):
    if isinstance(value, str) and value.startswith("IPY_MODEL_"):
        yield value[len("IPY_MODEL_"):]
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _references(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _references(item)


class _Plan:
    """Which class and which constructor arguments rebuild each model of ``states``, tried
    here with ipywidgets (outside a kernel): a key it refuses is recorded in ``refused`` and
    left out, a model it cannot build is recorded and not built."""

    def __init__(self, states: dict) -> None:
        import ipywidgets

        self.states, self.classes = states, _classes()
        self.to_widget = ipywidgets.widget_serialization["from_json"]
        self.refused: list[tuple] = []
        self.calls: dict[str, tuple[type, dict] | None] = {}  # model id -> (class, kwargs)
        self.order: list[str] = []  # models in the order they are built
        self._trial: dict = {}  # model id -> a widget built here, for references

    def build(self, model_id: str) -> bool:
        """Plan ``model_id`` (and what it refers to, first); whether it can be built."""
        if model_id in self.calls:
            return self.calls[model_id] is not None
        self.calls[model_id] = None  # a model that refers back to itself is not rebuilt
        entry = self.states.get(model_id)
        if entry is None:
            self.refused.append((model_id, None, "no state for this model"))
            return False
        cls = self.classes.get((entry.get("model_module"), entry.get("model_name")))
        if cls is None:
            self.refused.append((model_id, None,
                                 f"no ipywidgets class for {entry.get('model_name')}"))
            return False
        kwargs = self._arguments(model_id, cls, entry["state"])
        widget, kwargs = self._construct(model_id, cls, kwargs)
        if widget is None:
            return False
        self._trial[model_id] = widget
        self.calls[model_id] = (cls, kwargs)
        self.order.append(model_id)
        return True

    def _arguments(self, model_id, cls, state) -> dict:
        """The constructor's keyword arguments for a state, as JSON values (references as
        ``IPY_MODEL_<id>``), ``_options_labels`` as ``options``; a key that cannot be
        passed, refused."""
        traits = cls.class_traits(sync=True)
        kwargs = {}
        for key, value in state.items():
            trait = traits.get(key)
            if trait is None:
                self.refused.append((model_id, key, f"not a synced trait of {cls.__name__}"))
            elif key.startswith(("_model_", "_view_")):
                if value != trait.default_value:
                    self.refused.append((model_id, key, f"{value!r}, not {cls.__name__}'s"))
            elif key == "_options_labels":
                kwargs["options"] = value
            elif trait.read_only:
                self.refused.append((model_id, key, "read-only"))
            elif trait.metadata.get("from_json") is self.to_widget:
                missing = [ref for ref in _references(value) if not self.build(ref)]
                if missing:
                    self.refused.append((model_id, key,
                                         f"refers to models not rebuilt: {missing}"))
                else:
                    kwargs[key] = value
            elif trait.metadata.get("from_json"):
                self.refused.append((model_id, key, "a value ipywidgets converts from JSON"))
            else:
                kwargs[key] = value
        return kwargs

    def _live(self, kwargs: dict) -> dict:
        return {k: self.to_widget(v, None) if any(_references(v)) else v
                for k, v in kwargs.items()}

    def _construct(self, model_id, cls, kwargs):
        try:
            return cls(model_id=model_id, **self._live(kwargs)), kwargs
        except Exception as whole:  # which keys: each tried alone on a widget closed at once
            refused = []
            for key, value in kwargs.items():
                try:
                    cls(**self._live({key: value})).close()
                except Exception as e:  # noqa: BLE001 - recorded, then built without the key
                    refused.append(key)
                    self.refused.append((model_id, key, f"{type(e).__name__}: {e}"[:300]))
            if not refused:
                self.refused.append((model_id, None, f"{type(whole).__name__}: {whole}"[:300]))
                return None, kwargs
            return self._construct(model_id, cls,
                                   {k: v for k, v in kwargs.items() if k not in refused})

    def close(self) -> None:
        for widget in self._trial.values():
            widget.close()
        self._trial.clear()


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


def program(states: dict, cells: list[dict], data: str = DATA) -> tuple[list[str], dict]:
    """The twin's code cells and the data they read from the file ``data``: per lab cell that
    opened or displayed widgets, the models to build (class name, model id, arguments, in an
    order where a model another refers to comes first), the ones to display, and the part of
    ``refused`` (what ipywidgets would not take) found in it."""
    plan = _Plan(states)
    steps = []
    try:
        for made, shown in twin_cells(states, cells):
            before, built = len(plan.refused), len(plan.order)
            for m in made:
                plan.build(m)
            views = [m for m in shown if plan.calls.get(m) is not None]
            plan.refused.extend((m, None, "not displayed: not rebuilt") for m in shown
                                if plan.calls.get(m) is None)
            steps.append({
                # a model another refers to is built before it, in this cell if not before
                "build": [[plan.calls[m][0].__name__, m, plan.calls[m][1]]
                          for m in plan.order[built:]],
                "display": views,
                "refused": [before, len(plan.refused)] if len(plan.refused) > before else None})
    finally:
        plan.close()
    classes = sorted({plan.calls[m][0] for m in plan.order},
                     key=lambda c: (c.__module__, c.__name__))
    modules: dict[str, list[str]] = {}
    for cls in classes:
        modules.setdefault(cls.__module__, []).append(cls.__name__)
    imports = "\n".join(f"from {mod} import {', '.join(names)}"
                         for mod, names in sorted(modules.items()))
    head = _HEAD.format(data=data, imports=imports,
                        classes=", ".join(f"{c.__name__!r}: {c.__name__}" for c in classes))
    sources = [head, *(f"cell({i})" for i in range(1, len(steps)))]
    return sources, {"cells": steps or [{"build": [], "display": [], "refused": None}],
                     "refused": [list(r) for r in plan.refused]}


def notebook(sources: list[str]):
    """The twin's cells (:func:`program`) as a notebook (``nbformat.NotebookNode``), with
    the floor's metadata."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in sources]
    for i, c in enumerate(nb.cells):
        c.id = f"twin-{i:03d}"
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


# ------------------------------------------------------------------ faithful or not


def rebuild_in_process(sources: list[str], data: dict) -> dict:
    """Run the twin's cells in this process (ipywidgets outside a kernel), in a temporary
    folder that holds ``data`` as the kernel's folder holds it: ``widgets`` (model
    id -> widget, from the twin's ``BUILT``), ``refused`` (its ``REFUSED``), ``displayed``
    (each ``display`` call's widgets), ``created`` (every model ipywidgets opened, those
    built as a side effect included). Close them with :func:`close`."""
    from ipywidgets.widgets import widget as _widget

    before = set(_widget._instances)
    displayed: list[list] = []
    namespace = {"__name__": "lab_twin", "display": lambda *ws: displayed.append(list(ws)),
                 "print": lambda *a, **k: None}
    with tempfile.TemporaryDirectory(prefix="npkit-twin-") as tmp:
        (Path(tmp) / DATA).write_text(json.dumps(data), encoding="utf-8")
        with contextlib.chdir(tmp):
            for source in sources:
                exec(compile(source, TWIN, "exec"), namespace)  # noqa: S102 - the twin
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
    sources, data = program(states, captured["cells"])
    import nbformat

    (folder / TWIN).write_text(nbformat.writes(notebook(sources)) + "\n", encoding="utf-8")
    (folder / DATA).write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    rebuilt = rebuild_in_process(sources, data)
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
