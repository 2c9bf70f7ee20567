"""Where npkit finds its files and keeps its data, in a source checkout and in an installed wheel.

A source checkout (the repository, installed editable or not at all) reads ``cases/`` and
``notebooks/`` beside the package and keeps the learner store in ``build/``, as the README
and the Makefile say. An installed wheel has no such folders: it carries the case files and
the notebook sources inside the package (``npkit/_cases``, ``npkit/_notebooks``; pyproject.toml
maps them there) and keeps what it writes in the user's own folders (platformdirs), never
under ``site-packages``.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

from npkit import __version__

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent
SHIPPED_CASES = PACKAGE / "_cases"
SHIPPED_NOTEBOOKS = PACKAGE / "_notebooks"
STORE_NAME = "npkit-learners.sqlite"
APP = "npkit"


def in_checkout() -> bool:
    """True when npkit runs from its repository: pyproject.toml, cases/ and notebooks/ beside
    the package (an installed wheel has the package alone under site-packages)."""
    return all((CHECKOUT / name).exists() for name in ("pyproject.toml", "cases", "notebooks"))


def shipped_cases() -> Path:
    """The case library that comes with npkit: the checkout's ``cases/`` or the wheel's copy."""
    return CHECKOUT / "cases" if in_checkout() else SHIPPED_CASES


def notebook_sources() -> Path:
    """The folder of the modules' jupytext sources (``NN_name.py``)."""
    return CHECKOUT / "notebooks" if in_checkout() else SHIPPED_NOTEBOOKS


def default_store_path() -> Path:
    """The learner store when neither ``$NPKIT_STORE`` nor ``$NPKIT_DB_URL`` names one:
    ``build/npkit-learners.sqlite`` in a checkout, else the user's data folder (e.g.
    ``~/.local/share/npkit/`` on Linux), which outlives an upgrade of the package."""
    if in_checkout():
        return CHECKOUT / "build" / STORE_NAME
    return Path(platformdirs.user_data_dir(APP, appauthor=False)) / STORE_NAME


def course_notebooks() -> Path:
    """Where ``npkit course`` keeps the built modules: the checkout's ``notebooks/`` (as
    ``make notebooks`` builds them), else a folder per npkit version in the user's cache (they
    are made again from the sources whenever it is missing)."""
    if in_checkout():
        return CHECKOUT / "notebooks"
    cache = Path(platformdirs.user_cache_dir(APP, appauthor=False))
    return cache / f"course-{__version__}"
