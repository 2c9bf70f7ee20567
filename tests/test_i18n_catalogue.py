"""The Thai catalogue is complete and fits the code (issue 17).

- npkit.pot is what `make catalogues` extracts from the code now (a string added or changed
  without re-extracting fails here, naming it);
- every entry of npkit.pot has a checked Thai translation: not empty, not fuzzy, not the English
  copied in;
- the Thai .po has no entry the .pot lacks (stale: its English is gone from the code);
- a translation keeps the English's fields ({name}, %(name)s) and HTML tags, no more, no less.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from npkit import i18n

ROOT = Path(__file__).resolve().parents[1]
POT = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"
LANGS = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT]
FIELD = re.compile(r"\{[^{}]*\}|%\([^)]*\)[sdif]")
TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)")
WORDS = re.compile(r"[A-Za-z]{2,}(?:\s+[A-Za-z]{2,})+")
TERM = "term"  # the msgctxt of the case format's terms (npkit.i18n.extract.TERM)


def po_path(lang: str) -> Path:
    return i18n.LOCALE_DIR / lang / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


@cache
def catalogue(path: Path):
    with path.open("rb") as fh:
        return read_po(fh)


def key(message) -> tuple[str | None, str]:
    msgid = message.id[0] if isinstance(message.id, tuple) else message.id
    return (message.context, msgid)


def entries(cat) -> dict:
    return {key(m): m for m in cat if m.id}


@cache
def extracted() -> frozenset:
    """(msgctxt, msgid) of everything babel.cfg extracts from the code now."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    found = set()
    for _file, _line, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map):
        msgid = message[0] if isinstance(message, tuple) else message
        found.add((context, msgid))
    return frozenset(found)


def test_the_pot_is_what_the_code_holds_now():
    pot = set(entries(catalogue(POT)))
    code = set(extracted())
    missing, gone = sorted(code - pot, key=str), sorted(pot - code, key=str)
    assert not missing and not gone, (
        "run `make catalogues`:\n"
        + "".join(f"  not in npkit.pot: {m!r}\n" for m in missing[:20])
        + "".join(f"  no longer in the code: {m!r}\n" for m in gone[:20]))


def fields(text: str) -> Counter:
    return Counter(FIELD.findall(text))


def tags(text: str) -> Counter:
    return Counter(TAG.findall(text))


def strings(message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def wording(k) -> bool:
    """An entry of the engine's wording: msgctxt is its reason code (npkit.i18n.extract)."""
    return k[0] is not None and k[0] != TERM


def problems_of(lang: str, keys) -> list[str]:
    po = entries(catalogue(po_path(lang)))
    problems = []
    for k in keys:
        m = po.get(k)
        if m is None:
            problems.append(f"missing: {k!r}")
        elif m.fuzzy:
            problems.append(f"fuzzy (not checked): {k!r}")
        elif not all(s.strip() for s in strings(m)):
            problems.append(f"untranslated: {k!r}")
        elif any(s == k[1] and WORDS.search(s) for s in strings(m)):
            problems.append(f"the English copied in as the translation: {k!r}")
    return problems


@pytest.mark.parametrize("lang", LANGS)
def test_every_interface_entry_is_translated_and_checked(lang):
    """The pages' own words, the law's labels and the case format's terms."""
    keys = [k for k in entries(catalogue(POT)) if not wording(k)]
    problems = problems_of(lang, keys)
    assert not problems, f"{lang}: {len(problems)} of {len(keys)} entries:\n" + "\n".join(
        problems[:40])


@pytest.mark.parametrize("lang", LANGS)
def test_every_reason_wording_is_translated_and_checked(lang):
    """The engine's wording, one entry per reason code (msgctxt = the code)."""
    keys = [k for k in entries(catalogue(POT)) if wording(k)]
    problems = problems_of(lang, keys)
    assert not problems, f"{lang}: {len(problems)} of {len(keys)} entries:\n" + "\n".join(
        problems[:40])


@pytest.mark.parametrize("lang", LANGS)
def test_no_stale_entry(lang):
    pot = set(entries(catalogue(POT)))
    stale = [k for k in entries(catalogue(po_path(lang))) if k not in pot]
    obsolete = list(catalogue(po_path(lang)).obsolete)
    assert not stale and not obsolete, f"{lang}: not in npkit.pot (run `make catalogues`): " \
        f"{(stale + obsolete)[:20]!r}"


@pytest.mark.parametrize("lang", LANGS)
def test_a_translation_keeps_the_fields_and_tags_of_its_english(lang):
    problems = []
    for k, m in entries(catalogue(po_path(lang))).items():
        english = m.id[-1] if isinstance(m.id, tuple) else m.id  # the plural form
        for s in strings(m):
            if not s:
                continue
            if fields(s) != fields(english):
                problems.append(f"{k!r}: fields {sorted(fields(s))} != {sorted(fields(english))}")
            if tags(s) != tags(english):
                problems.append(f"{k!r}: tags {sorted(tags(s))} != {sorted(tags(english))}")
    assert not problems, f"{lang}:\n" + "\n".join(problems[:40])


def test_the_check_finds_changed_fields_and_tags():
    assert fields("{n} of {total}") != fields("{n} จาก {all}")
    assert fields("%(n)s of %(total)s") == fields("%(total)s ... %(n)s")
    assert tags("<strong>Time:</strong> x") != tags("เวลา: x")


def test_the_disclaimer_msgid_is_npkits_disclaimer():
    from npkit import DISCLAIMER
    from npkit.course.widgets.base import DISCLAIMER_MSG

    assert DISCLAIMER_MSG == DISCLAIMER


def test_a_page_in_thai_reads_the_catalogue(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    i18n._translations.cache_clear()
    try:
        i18n.use("th")
        assert i18n._("Compare with npkit") not in ("", "Compare with npkit")
        assert i18n.pgettext("term", "fraud") == "การฉ้อโกง"
    finally:
        i18n.use(i18n.DEFAULT)
        i18n._translations.cache_clear()
