"""One Thai word per legal term (issue 17): every Thai text of the course whose English uses a
glossary term (or one of its ``also`` names) uses that entry's Thai term, the word of
npkit/course/data/glossary.yaml's ``th:`` overlay, through
:func:`npkit.course.training.glossary.missing_terms`. The texts: the course data, the case
files' overlays, the law data's overlays, the gettext catalogue (msgid beside msgstr, plural
forms too) and the wording working file the catalogue's engine wording is written from
(tools/i18n/wording_<lang>.yaml). Each failure names the file, the entry and the term."""

import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po
from i18n_texts import LAW_DATA, load, name, pairs

from npkit.course.training.content import DATA
from npkit.course.training.glossary import (
    NOT_THE_TERM,
    ORDINARY,
    TITLES,
    glossary,
    missing_terms,
    terms,
)
from npkit.i18n import DOMAIN, LOCALE_DIR
from npkit.i18n.content import TRANSLATED
from npkit.law.wording import catalogue

ROOT = DATA.parents[2]
# every course data file, every case file, and every law data file with a language overlay
FILES = (sorted(DATA.rglob("*.yaml")) + sorted((ROOT / "cases").glob("*.yaml"))
         + [LAW_DATA / f"{n}.yaml" for n in ("jurisdictions", "instruments", "parameters",
                                              "notes", "recommendations")])


def wording_file(lang: str) -> Path:
    return ROOT / "tools" / "i18n" / f"wording_{lang}.yaml"


def catalogue_file(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def texts(lang: str) -> list[tuple[str, str, str]]:
    out = []
    for path in FILES:
        out += [(f"{name(path)}, {where.lstrip('.')}", e, t)
                for where, e, t in pairs(load(path), lang) if isinstance(e, str)]
    return out


def catalogue_texts(lang: str, path: Path | None = None) -> list[tuple[str, str, str]]:
    """(where, English, translation) of every translated entry of ``lang``'s .po; each plural
    form of the translation beside each English form (Thai has one form for both)."""
    path = catalogue_file(lang) if path is None else path
    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang, domain=DOMAIN)
    out = []
    for m in cat:
        if not m.id:
            continue
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        where = f"{name(path)}:{m.lineno}, " + (f"msgctxt {m.context!r}, " if m.context else "")
        out += [(f"{where}msgid {ids[0][:60]!r}", e, s)
                for s in strings if s for e in ids]
    return out


def wording_texts(lang: str) -> list[tuple[str, str, str]]:
    path = wording_file(lang)
    english = catalogue()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [(f"{name(path)}, {code}", english[code], text)
            for code, text in data.items() if code in english]


def problems(found: list[tuple[str, str, str]], lang: str) -> list[str]:
    return [f"{where}: {p}" for where, english, there in found
            for p in missing_terms(english, there, lang)]


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_entry_has_a_term_of_its_own_in_the_language(lang):
    words = terms(lang)
    english, there = glossary("en"), glossary(lang)
    assert [e.id for e in english] == [e.id for e in there]
    for e, t in zip(english, there, strict=True):
        assert t.term != e.term or e.term.isupper(), f"{e.id}: the term is not translated"
        assert t.definition != e.definition, f"{e.id}: the definition is not translated"
        assert words[e.term.lower()] and words[e.term.lower()] in t.term
    # one word per term: two entries never share a word
    own = [terms_word for name, terms_word in words.items()
           if name in {e.term.lower() for e in english}]
    assert len(own) == len(set(own)), "two glossary entries have the same word"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_translated_text_uses_the_glossary_word_of_each_term_its_english_uses(lang):
    found = texts(lang)
    assert len(found) > 600, "the course data, cases and law data should be translated"
    assert {w.split(",")[0].split("/")[0] for w, _, _ in found} >= {"npkit", "cases"}
    bad = problems(found, lang)
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalogue_entry_uses_the_glossary_word_of_each_term_its_msgid_uses(lang):
    found = catalogue_texts(lang)
    assert len(found) > 800, "the catalogue should be translated"
    bad = problems(found, lang)
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize("lang", [lang for lang in TRANSLATED if wording_file(lang).is_file()])
def test_the_wording_file_the_catalogue_is_written_from_uses_the_glossary_words(lang):
    found = wording_texts(lang)
    assert len(found) > 200
    bad = problems(found, lang)
    assert not bad, "\n".join(bad)


def test_a_plural_entry_is_checked_in_each_english_form(tmp_path):
    po = tmp_path / f"{DOMAIN}.po"
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
                  '"Plural-Forms: nplurals=1; plural=0;\\n"\n\n'
                  'msgid "{n} case"\nmsgid_plural "{n} cases under duress"\n'
                  'msgstr[0] "{n} คดี"\n', encoding="utf-8")
    bad = problems(catalogue_texts("th", po), "th")
    assert bad == [f"{po}:6, msgid '{{n}} case': 'duress' needs 'การกระทำโดยถูกบังคับ'"]


# The Thai words STANDARDS.md fixes for terms the glossary has no entry for (its page defines
# legal terms; these are plain words of the course); "fraud" is any form of ฉ้อโกง
# ("ข้อหาฉ้อโกง", "การฉ้อโกงออนไลน์"), and so is "money laundering" of ฟอกเงิน (a charge reads
# "ความผิดฐานฟอกเงิน", as the Thai money-laundering law names the offence).
COURSE_WORDS = {"scam centre": "ศูนย์หลอกลวงออนไลน์", "scam-centre": "ศูนย์หลอกลวงออนไลน์",
                "fraud": "ฉ้อโกง", "prosecutor": "พนักงานอัยการ", "trafficking": "ค้ามนุษย์",
                "not protected": "ไม่ได้รับความคุ้มครอง", "protected": "ได้รับความคุ้มครอง",
                "money laundering": "ฟอกเงิน"}
# trafficking in drugs is no trafficking in persons ("drug trafficking", "trafficking a
# controlled drug": ค้ายาเสพติด, ลักลอบนำยาเสพติด)
NOT_THE_WORD = {"trafficking": r"drugs?\s+trafficking|trafficking\s+(?:(?:in|a|an)\s+)?"
                               r"(?:controlled\s+)?drugs?"}


def course_word_misses(english: str, there: str) -> list[str]:
    out = []
    for english_word, word in COURSE_WORDS.items():
        other = NOT_THE_WORD.get(english_word)
        text = re.sub(other, " ", english, flags=re.I) if other else english
        if re.search(rf"(?<![\w-]){re.escape(english_word)}s?(?!\w)", text, re.I) \
                and word not in there:
            out.append(f"{english_word!r} needs {word!r}")
    return out


def test_every_translated_text_uses_the_course_words_fixed_outside_the_glossary():
    found = texts("th") + catalogue_texts("th") + wording_texts("th")
    bad = [f"{where}: {p}" for where, english, there in found
           for p in course_word_misses(english, there)]
    assert not bad, "\n".join(bad)


@pytest.mark.parametrize(("english", "thai", "expected"), [
    ("Mai was charged with drug trafficking.", "ข้อหาลักลอบขนยาเสพติด", []),
    ("Trafficking a controlled drug", "ลักลอบนำยาเสพติด", []),
    ("Trafficking a person and trafficking drugs", "ลักลอบนำยาเสพติด",
     ["'trafficking' needs 'ค้ามนุษย์'"]),
    ("Money laundering", "ความผิดฐานฟอกเงิน", []),
])
def test_a_text_without_a_course_word_is_found(english, thai, expected):
    assert course_word_misses(english, thai) == expected


@pytest.mark.parametrize(("english", "thai", "expected"), [
    ("Duress fails Jane.", "เจนอ้างความจำเป็นไม่ได้", ["'duress' needs 'การกระทำโดยถูกบังคับ'"]),
    ("Duress fails Jane.", "การกระทำโดยถูกบังคับ (duress) ใช้ไม่ได้สำหรับเจน", []),
    # the longer name is the one found, and its own translation counts
    ("Under the compulsion model ...", "ตามแบบจำลองหนึ่ง", ["'compulsion model' needs "
                                                          "'แบบจำลองการถูกบังคับ'"]),
    ("Under the compulsion model ...", "ตามแบบจำลองการถูกบังคับ", []),
    ("Victims of trafficking are ...", "บุคคลเหล่านี้", ["'victim of trafficking' needs "
                                                      "'ผู้เสียหายจากการค้ามนุษย์'"]),
    # an everyday word is no term
    ("This means that the Act applies.", "หมายความว่าพระราชบัญญัติใช้บังคับ", []),
    # a name joined by hyphens is the name ("the temporal-proximity reading")
    ("The temporal-proximity reading", "การตีความแบบใกล้ชิด",
     ["'temporal proximity' needs 'ความใกล้ชิดทางเวลา'"]),
    # a template's field name is filled at run time: no text to translate
    ("It is {imminence} here.", "มีลักษณะ {imminence}", []),
    ("Its imminence is {imminence}.", "มีลักษณะ {imminence}",
     ["'imminence' needs 'ความใกล้จะถึงของภยันตราย'"]),
    # a closed list of purposes is no closed list of offences; a closed list still is one
    ("A closed list of purposes leaves it out.", "บัญชีวัตถุประสงค์แบบปิด", []),
    ("A closed list leaves it out.", "บัญชีปิด", ["'closed list' needs 'บัญชีความผิดแบบปิด'"]),
    # an official title keeps its official words, and needs them
    ("The ILO Forced Labour Convention", "อนุสัญญาว่าด้วยแรงงานบังคับของ ILO", []),
    ("The ILO Forced Labour Convention", "อนุสัญญาว่าด้วยการบังคับใช้แรงงาน",
     ["'forced labour convention' needs 'อนุสัญญาว่าด้วยแรงงานบังคับ'"]),
    ("Forced labour is work taken under threat.", "แรงงานบังคับ",
     ["'forced labour' needs 'การบังคับใช้แรงงาน'"]),
])
def test_a_text_without_the_glossary_word_is_found(english, thai, expected):
    assert missing_terms(english, thai, "th") == expected


def test_the_everyday_words_left_out_are_glossary_terms_with_longer_names():
    words = terms("th")
    assert ORDINARY <= set(words)
    assert {"the act element", "the means element", "purpose of exploitation"} <= set(words)


def test_the_context_rules_name_glossary_terms():
    words = terms("th")
    assert set(NOT_THE_TERM) <= set(words)
    # each title holds a term, or it would need no rule
    assert all(any(re.search(rf"\b{re.escape(n)}\b", t) for n in words)
               for titles in TITLES.values() for t in titles)


def test_the_files_checked_exist():
    assert all(Path(p).is_file() for p in FILES)
    assert all(catalogue_file(lang).is_file() for lang in TRANSLATED)
