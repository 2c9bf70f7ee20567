"""Build the training notebooks from their reviewable sources, in this checkout.

``notebooks/NN_name.py`` (jupytext percent format) is the English source committed; this
writes ``notebooks/NN_name.ipynb`` beside it, and for each translated language
``notebooks/th/NN_name.ipynb`` from the same skeleton and the language's module text
``notebooks/th/NN_name.md``. The build itself (expected outputs, answer-key tags, the module
metadata the Voila template shows) is npkit.course.build, which ``npkit course``
also uses for an installed npkit.

    python tools/build_notebooks.py            # build every notebook
    python tools/build_notebooks.py --check    # exit 1 if any .ipynb is missing or stale
    python tools/build_notebooks.py --translations   # list untranslated or stale module text
                                                     # (exit 1 if any)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from npkit.course import build as course_build
from npkit.course.build import (
    CHECK,
    CHECK_TAG,
    EXPECT,
    build,
    build_all,
    module_metadata,
    text,
    translation_path,
    translation_status,
)
from npkit.i18n.content import TRANSLATED

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
    parser.add_argument("--translations", action="store_true",
                        help="list module text a language lacks or that is older than the English")
    args = parser.parse_args(argv)
    if args.translations:
        return report_translations(args.folder)
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


def report_translations(folder: Path) -> int:
    """Print, per language and module, the markdown cells not translated or translated from an
    older English text; 1 if there are any."""
    gaps = 0
    for lang in TRANSLATED:
        for src in sources(folder):
            status = translation_status(src, lang)
            for kind, ids in status.items():
                if ids:
                    gaps += len(ids)
                    print(f"{translation_path(src, lang).relative_to(folder.parent)}: "
                          f"{kind}: {', '.join(ids)}")
    if not gaps:
        print("every module's text is translated and current in: " + ", ".join(TRANSLATED))
    return 1 if gaps else 0


if __name__ == "__main__":
    sys.exit(main())
