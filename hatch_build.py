"""The wheel's build hook: every ``.po`` under npkit/i18n/locale compiled to its ``.mo`` inside
the wheel (issue 17). The ``.mo`` are never committed (.gitignore), so a wheel built from a
clean checkout would otherwise ship none and each user's first page would compile them into
the user cache (npkit.i18n does that when one is missing; a site-packages folder may not be
writable, and every kernel would pay for it).

An editable install reads the checkout, where ``make catalogues`` (or the on-load compile)
provides them: nothing to do.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogues(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel" or version == "editable":
            return
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        root = Path(self.root)
        self._out = tempfile.TemporaryDirectory(prefix="npkit-mo-")
        for po in sorted((root / "npkit" / "i18n" / "locale").glob("*/LC_MESSAGES/*.po")):
            rel = po.relative_to(root).with_suffix(".mo")
            mo = Path(self._out.name) / rel
            mo.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=po.parts[-3])
            with mo.open("wb") as fh:
                write_mo(fh, catalog, use_fuzzy=False)  # a fuzzy entry is not yet checked
            build_data["force_include"][str(mo)] = rel.as_posix()

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        out = getattr(self, "_out", None)
        if out is not None:
            out.cleanup()
