"""The Thai catalogue translates every code of the engine's wording (issue 17).

An entry is msgctxt = reason code, msgid = the English template of npkit.law.wording, msgstr =
Thai. A code with no entry, an entry whose msgid is an older English template (stale), a fuzzy
or empty entry, English copied in as the Thai, or a Thai template whose {fields} differ from
the English all fail here, naming the code.
"""

from __future__ import annotations

import re
from pathlib import Path
from string import Formatter

import pytest
import yaml
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from npkit import i18n
from npkit.law.wording import catalogue

PO = i18n.LOCALE_DIR / "th" / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"
WORKING = Path(__file__).resolve().parents[1] / "tools" / "i18n" / "wording_th.yaml"
THAI = re.compile("[\u0e00-\u0e7f]")
# the areas of the wording files: an entry in one of them for a code the engine no longer has
# is stale too
AREAS = tuple(sorted({code.split(".", 1)[0] + "." for code in catalogue()}))


def _read() -> Catalog:
    with PO.open("rb") as fh:
        return read_po(fh, locale="th", domain=i18n.DOMAIN)


def _fields(text: str) -> list[tuple[str, str, str | None]]:
    return sorted((name, spec, conv) for _, name, spec, conv in Formatter().parse(text)
                  if name is not None)


def problems(cat: Catalog, english: dict[str, str]) -> list[str]:
    """Every way ``cat`` fails to translate ``english`` (code -> template)."""
    out = []
    for code, template in english.items():
        entry = cat.get(template, context=code)
        if entry is None:
            old = [m for m in cat if m.context == code]
            out.append(f"{code}: stale (translates an older English template)" if old
                       else f"{code}: no Thai entry")
            continue
        thai = entry.string
        if entry.fuzzy:
            out.append(f"{code}: fuzzy")
        if not isinstance(thai, str) or not thai.strip():
            out.append(f"{code}: empty")
            continue
        words = "".join(lit for lit, *_ in Formatter().parse(thai))
        english_words = "".join(lit for lit, *_ in Formatter().parse(template))
        # a template of fields and punctuation only ("{term} ({description})") has no words
        if words.strip() and not THAI.search(words) and re.search("[A-Za-z]", english_words):
            out.append(f"{code}: the Thai is not Thai: {thai!r}")
        if _fields(thai) != _fields(template):
            out.append(f"{code}: fields {_fields(thai)} where the English has "
                       f"{_fields(template)}")
    for m in cat:
        if m.context and m.context.startswith(AREAS) and m.context not in english:
            out.append(f"{m.context}: no such wording code any more")
        elif m.context in english and m.id != english[m.context]:
            out.append(f"{m.context}: stale entry left beside the current one")
    return out


def test_every_wording_code_has_a_current_thai_entry():
    assert problems(_read(), catalogue()) == []


def test_the_catalogue_holds_the_thai_of_the_working_file():
    """tools/i18n/wording_th.yaml is where the Thai is edited; the .po is written from it."""
    working = yaml.safe_load(WORKING.read_text(encoding="utf-8"))
    cat = _read()
    behind = [code for code, template in catalogue().items()
              if (entry := cat.get(template, context=code)) is not None
              and entry.string != " ".join(str(working.get(code, "")).split())]
    assert behind == [], "run .venv/bin/python tools/i18n/wording_po.py"


def test_the_check_fails_on_a_missing_a_stale_and_a_fuzzy_entry():
    english = catalogue()
    code, other, third = "duress.no_escape.none", "victim.means.present", "victim.act.none"
    cat = _read()
    cat.delete(english[code], context=code)
    stale = cat.get(english[other], context=other)
    cat.delete(stale.id, context=other)
    cat.add("An older wording: {means}.", stale.string, context=other)
    cat.get(english[third], context=third).flags.add("fuzzy")
    found = "\n".join(problems(cat, english))
    assert f"{code}: no Thai entry" in found
    assert f"{other}: stale" in found
    assert f"{third}: fuzzy" in found


@pytest.mark.parametrize("code", sorted(catalogue()))
def test_the_thai_template_takes_the_english_fields(code):
    template = catalogue()[code]
    entry = _read_once().get(template, context=code)
    assert entry is not None, f"{code}: no Thai entry"
    params = {name: f"<{name}>" for _, name, _, _ in Formatter().parse(template) if name}
    thai = entry.string.format(**params)
    for value in params.values():
        assert value in thai  # every field the English fills is shown in the Thai


def test_the_page_shows_the_thai_through_pgettext(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # the .mo compiled on load goes here
    i18n._translations.cache_clear()
    try:
        i18n.use("th")
        cat = _read_once()
        for code, template in catalogue().items():
            assert i18n.pgettext(code, template) == cat.get(template, context=code).string
        i18n.use("en")
        assert i18n.pgettext("duress.no_escape.none", catalogue()["duress.no_escape.none"]) \
            == catalogue()["duress.no_escape.none"]
    finally:
        i18n.use(i18n.DEFAULT)
        i18n._translations.cache_clear()


_CACHE: list[Catalog] = []


def _read_once() -> Catalog:
    if not _CACHE:
        _CACHE.append(_read())
    return _CACHE[0]
