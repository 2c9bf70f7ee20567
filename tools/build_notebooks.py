"""Build the training notebooks from their reviewable sources, in this checkout.

``notebooks/NN_name.py`` (jupytext percent format) is the only source committed; this writes
``notebooks/NN_name.ipynb`` beside it. The build itself (expected outputs, answer-key tags,
the module metadata the Voila template shows) is npkit.course.build, which ``npkit course``
also uses for an installed npkit.

    python tools/build_notebooks.py            # build every notebook
    python tools/build_notebooks.py --check    # exit 1 if any .ipynb is missing or stale
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from npkit.course import build as course_build
from npkit.course.build import CHECK, CHECK_TAG, EXPECT, build, build_all, module_metadata, text

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"

__all__ = ["CHECK", "CHECK_TAG", "EXPECT", "NOTEBOOKS", "build", "main", "module_metadata",
           "sources", "text"]


def sources(folder: Path = NOTEBOOKS) -> list[Path]:
    """The checkout's module sources, in order."""
    return course_build.sources(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if a notebook is stale")
    parser.add_argument("--folder", type=Path, default=NOTEBOOKS)
    args = parser.parse_args(argv)
    changed = build_all(args.folder, check=args.check)
    if args.check:
        if changed:
            print("stale notebooks (run: make notebooks): "
                  + ", ".join(p.name for p in changed))
            return 1
        return 0
    for out in changed:
        print(f"built {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
