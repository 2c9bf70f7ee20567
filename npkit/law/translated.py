"""Law data as a learner's language shows it (issue 17).

The law files (``jurisdictions.yaml``, ``instruments.yaml``, ``parameters.yaml``) carry their
translations next to the English, as ``th:`` overlays (:mod:`npkit.i18n.content`). A loader
given ``lang`` gives the rows that language shows; the engine never passes one, so it always
reads the English and no decision depends on the language. An overlay may only replace the
text fields a loader names: one that touched an id, a value, a model or a citation would let a
translation change the law, and is refused with the row and field named.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from npkit.i18n.content import ContentError, localize

ENGLISH = "en"

__all__ = ["ENGLISH", "ContentError", "localized"]


def localized(raw: Any, lang: str, text_keys: Iterable[str], *, where: str) -> Any:
    """``raw`` (parsed YAML) as ``lang`` shows it, every language key dropped; an overlay on
    anything but ``text_keys`` is a :class:`ContentError` naming ``where`` and the field. A
    language npkit has no translation for gives the English."""
    return localize(raw, lang, text_keys, where=where)
