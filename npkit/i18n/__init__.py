"""The learner's language: gettext catalogues managed with Babel (issue 17).

Every learner-visible string of the course goes through this module::

    from npkit.i18n import _, ngettext, pgettext, N_

    _("Show the answer")                       # translated now, in the page's language
    ngettext("{n} answer", "{n} answers", n).format(n=n)
    pgettext("duress.no_escape.none", template)  # the engine's wording: context = reason code
    LABELS = {"yes": N_("Yes")}     # marked for extraction; shown as _(LABELS["yes"])

A module-level constant must use :func:`N_` and be translated where it is shown: the language
is chosen when a page starts (:func:`use`), after modules are imported.

Catalogues: ``npkit/i18n/locale/npkit.pot`` (extracted by ``make catalogues``: pybabel with
``babel.cfg``) and ``npkit/i18n/locale/<lang>/LC_MESSAGES/npkit.po`` per language. The ``.mo``
files are compiled at build time (``make catalogues``, the wheel build); when one is missing or
older than its ``.po`` (a fresh clone that never ran make) it is compiled on load into the user
cache, so a page never shows English because a build step was skipped.

One language per kernel: a Voila page has its own kernel, so the choice is process-wide.
``PSEUDO`` is the pseudo-locale of the tests: every string that went through the catalogue comes
out accented and lengthened (``[Ŝĥöŵ ţĥé åñšŵéŕ ~~~]``), so English left on a page is a string
that bypassed it.
"""

from __future__ import annotations

import gettext as _gettext
import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

# re-exported: callers read them from here
from npkit.i18n.languages import DEFAULT as DEFAULT
from npkit.i18n.languages import LANGUAGES as LANGUAGES
from npkit.i18n.languages import PSEUDO as PSEUDO

DOMAIN = "npkit"
LOCALE_DIR = Path(__file__).parent / "locale"

_current = DEFAULT


def available(lang: str) -> bool:
    return lang in LANGUAGES or lang == PSEUDO


def normalise(lang: object) -> str:
    """A language code from a link or a browser (``th``, ``TH``, ``th-TH``) as one this course
    has, or the default. Never raises: a link is untrusted input."""
    if not isinstance(lang, str):
        return DEFAULT
    code = lang.strip().replace("-", "_")[:16]
    if code == PSEUDO:
        return PSEUDO
    base = code.split("_")[0].lower()
    return base if base in LANGUAGES else DEFAULT


def use(lang: str) -> str:
    """Make ``lang`` the language of this process (a page's kernel, a CLI run). Returns the code
    in use (the default when ``lang`` is not one of ours)."""
    global _current
    _current = normalise(lang)
    return _current


def current() -> str:
    return _current


@contextmanager
def speaking(lang: str) -> Iterator[str]:
    """``lang`` in use inside the block (its code is given), and the language in use before it
    again after, even if the block raises."""
    before = _current
    try:
        yield use(lang)
    finally:
        use(before)


def translations(lang: str | None = None) -> _gettext.NullTranslations:
    """The catalogue of ``lang`` (default: the current language)."""
    return _translations(normalise(lang or _current))


@cache
def _translations(lang: str) -> _gettext.NullTranslations:
    if lang == DEFAULT:
        return _gettext.NullTranslations()
    if lang == PSEUDO:
        return PseudoTranslations()
    mo = _compiled(lang)
    if mo is None:
        return _gettext.NullTranslations()
    with mo.open("rb") as fh:
        return _gettext.GNUTranslations(fh)


def _compiled(lang: str) -> Path | None:
    """The ``.mo`` of ``lang``: the built one when it is current, else compiled now from the
    ``.po`` into the user cache."""
    folder = LOCALE_DIR / lang / "LC_MESSAGES"
    po, mo = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if not po.exists():
        return mo if mo.exists() else None
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        return mo
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po
    from platformdirs import user_cache_path

    # Named by the .po's own content: two checkouts on one machine (or a .po edited after the
    # last compile) never read each other's catalogue.
    digest = hashlib.sha256(po.read_bytes()).hexdigest()[:16]
    out = user_cache_path("npkit") / "locale" / lang / f"{DOMAIN}-{digest}.mo"
    if out.exists():
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with po.open("rb") as fh:
        catalog = read_po(fh, locale=lang)
    tmp = out.with_suffix(f".{id(catalog)}.tmp")
    with tmp.open("wb") as fh:
        write_mo(fh, catalog, use_fuzzy=False)
    tmp.replace(out)
    return out


@cache
def context_messages(context: str, lang: str) -> dict[str, str]:
    """{English: translation} of ``lang``'s translated entries in ``context`` (read from its
    compiled catalogue with Babel); {} for a language without one, as English."""
    lang = normalise(lang)
    mo = None if lang in (DEFAULT, PSEUDO) else _compiled(lang)
    if mo is None:
        return {}
    from babel.messages.mofile import read_mo

    with mo.open("rb") as fh:
        catalog = read_mo(fh)
    return {m.id: m.string for m in catalog
            if m.context == context and isinstance(m.id, str) and m.string}


def gettext(message: str) -> str:
    return translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations().pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations().npgettext(context, singular, plural, n)


def N_(message: str) -> str:  # noqa: N802  (gettext's own name for the marker)
    """Mark ``message`` for extraction; translate it where it is shown."""
    return message


_ = gettext


# --- the pseudo-locale ---------------------------------------------------------------------

_ACCENTED = str.maketrans(
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "åƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ",
)
# Left as they are: format fields ({n}, %(name)s, %s), HTML tags and entities, URLs.
_KEEP = re.compile(r"\{[^{}]*\}|%\([^)]*\)[sdif]|%[sdif]|<[^<>]*>|&[#a-zA-Z0-9]+;|https?://\S+")


def pseudo(message: str) -> str:
    """``message`` accented and lengthened by about a third, its fields and tags untouched."""
    if not message:
        return message
    parts, last = [], 0
    for m in _KEEP.finditer(message):
        parts.append(message[last:m.start()].translate(_ACCENTED))
        parts.append(m.group(0))
        last = m.end()
    parts.append(message[last:].translate(_ACCENTED))
    pad = "~" * max(1, len(message) // 3)
    return "[" + "".join(parts) + " " + pad + "]"


class PseudoTranslations(_gettext.NullTranslations):
    """Every message pseudo-translated: what bypasses the catalogue stays plain English."""

    def gettext(self, message):
        return pseudo(message)

    def ngettext(self, msgid1, msgid2, n):
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context, message):
        return pseudo(message)

    def npgettext(self, context, msgid1, msgid2, n):
        return pseudo(msgid1 if n == 1 else msgid2)
