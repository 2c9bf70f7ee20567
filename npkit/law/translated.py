"""Law data as a learner's language shows it (issue 17).

The law files (``jurisdictions.yaml``, ``instruments.yaml``, ``parameters.yaml``) carry their
translations next to the English, as ``th:`` overlays (:mod:`npkit.i18n.content`). A loader
given ``lang`` gives the rows that language shows; the engine never passes one, so it always
reads the English and no decision depends on the language. An overlay may only replace the
text fields a loader names: one that touched an id, a value, a model or a citation would let a
translation change the law, and is refused with the row and field named.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from npkit.i18n.content import TRANSLATED, ContentError, localize

ENGLISH = "en"


def localized(raw: Any, lang: str, text_keys: Iterable[str], *, where: str) -> Any:
    """``raw`` (parsed YAML) as ``lang`` shows it, every language key dropped. A language
    npkit has no translation for gives the English."""
    english = localize(raw, ENGLISH, where=where)
    if lang not in TRANSLATED:
        return english
    shown = localize(raw, lang, where=where)
    keys = frozenset(text_keys)
    changed = [path for path, key in _differences(english, shown, where) if key not in keys]
    if changed:
        raise ContentError(f"{changed[0]}: a {lang} translation may change only the text "
                           f"fields {sorted(keys)}, not this one")
    return shown


def _differences(a: Any, b: Any, where: str, key: str = "") -> Iterator[tuple[str, str]]:
    """The paths (and the mapping key that holds them) where ``b`` differs from ``a``."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            yield from _differences(a[k], b.get(k), f"{where}.{k}", k)
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _differences(x, y, f"{where}[{i}]", key)
    elif a != b:
        yield where, key
