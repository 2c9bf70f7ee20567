"""``npkit course``: the whole course from an installed npkit, in one command.

    pip install 'npkit[notebooks]'
    npkit course [--port N] [other options of python -m npkit.course.dashboard]

Builds the modules from the jupytext sources that come with npkit (npkit.course.build), in
English and in every translated language (``th/NN_name.ipynb`` from ``th/NN_name.md``), into
:func:`npkit.paths.course_notebooks` (the user's cache; in a source checkout, notebooks/ as
``make notebooks`` builds it), rewriting only what changed, then serves them as
``python -m npkit.course.dashboard`` does. Without the notebooks extra it says what to install.
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path

from npkit import paths
from npkit.course import build as course_build
from npkit.i18n.content import TRANSLATED

# What the course needs beyond a core install: all three come with the notebooks extra.
EXTRA_MODULES = ("ipywidgets", "jupytext", "voila")
INSTALL = "pip install 'npkit[notebooks]'"


def missing_modules() -> list[str]:
    """The modules of the notebooks extra that cannot be imported here."""
    missing = []
    for name in EXTRA_MODULES:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):
            found = False
        if not found:
            missing.append(name)
    return missing


def prepare(out: Path | None = None, sources: Path | None = None) -> Path:
    """Build the modules into ``out`` (default :func:`npkit.paths.course_notebooks`) from
    ``sources`` (default :func:`npkit.paths.notebook_sources`) and return the folder. In a
    folder of npkit's own (not the sources' folder), a notebook without a source is removed,
    so the course never serves a module that is no longer shipped."""
    sources = Path(sources or paths.notebook_sources())
    out = Path(out or paths.course_notebooks())
    if not course_build.sources(sources):
        raise FileNotFoundError(f"no module sources (NN_name.py) in {sources}")
    course_build.build_all(sources, out)
    if out.resolve() != sources.resolve():
        stems = {f"{src.stem}.ipynb" for src in course_build.sources(sources)}
        wanted = stems | {f"{lang}/{name}" for lang in TRANSLATED for name in stems}
        for page in course_build.built_pages(out):
            if page not in wanted:
                (out / page).unlink()
    return out


def run(port: int | None = None, dashboard_args: Sequence[str] = ()) -> int:
    """Build the modules if needed and serve the course until Ctrl-C; an exit status."""
    missing = missing_modules()
    if missing:
        print(f"npkit course needs the notebooks extra ({', '.join(missing)} not installed).\n"
              f"Install it with:  {INSTALL}", file=sys.stderr)
        return 2
    try:
        folder = prepare()
    except (OSError, ValueError) as exc:
        print(f"npkit course: could not build the modules: {exc}", file=sys.stderr)
        return 1
    print(f"npkit: the modules are in {folder}", flush=True)
    from npkit.course import dashboard

    argv = ["--notebooks", str(folder), *(["--port", str(port)] if port is not None else []),
            *dashboard_args]
    return dashboard.main(argv)
