"""One Thai word per legal term (issue 17): every Thai text of the course data whose English
uses a glossary term (or one of its ``also`` names) uses that entry's Thai term, the word of
npkit/course/data/glossary.yaml's ``th:`` overlay. The lead extends this to the .po catalogue
through :func:`npkit.course.training.glossary.missing_terms`."""

import re
from pathlib import Path

import pytest
from i18n_texts import LAW_DATA, load, pairs

from npkit.course.training.content import DATA
from npkit.course.training.glossary import ORDINARY, glossary, missing_terms, terms
from npkit.i18n.content import TRANSLATED

# every course data file, and the law notes and recommendations the pages show
FILES = sorted(DATA.rglob("*.yaml")) + [LAW_DATA / "notes.yaml",
                                        LAW_DATA / "recommendations.yaml"]


def texts(lang: str) -> list[tuple[str, str, str]]:
    out = []
    for path in FILES:
        out += [(f"{path.name}{where}", e, t) for where, e, t in pairs(load(path), lang)]
    return out


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
    assert len(found) > 300, "the course data should be translated"
    problems = [f"{where}: {p}" for where, english, there in found
                for p in missing_terms(english, there, lang)]
    assert not problems, "\n".join(problems)


# The Thai words STANDARDS.md fixes for terms the glossary has no entry for (its page defines
# legal terms; these are plain words of the course); "fraud" is any form of ฉ้อโกง
# ("ข้อหาฉ้อโกง", "การฉ้อโกงออนไลน์").
COURSE_WORDS = {"scam centre": "ศูนย์หลอกลวงออนไลน์", "scam-centre": "ศูนย์หลอกลวงออนไลน์",
                "fraud": "ฉ้อโกง", "prosecutor": "พนักงานอัยการ", "trafficking": "ค้ามนุษย์",
                "not protected": "ไม่ได้รับความคุ้มครอง", "protected": "ได้รับความคุ้มครอง",
                "money laundering": "การฟอกเงิน"}


def test_every_translated_text_uses_the_course_words_fixed_outside_the_glossary():
    found = texts("th")
    problems = [f"{where}: {english_word!r} needs {word!r}" for where, english, there in found
                for english_word, word in COURSE_WORDS.items()
                if re.search(rf"(?<![\w-]){re.escape(english_word)}s?(?!\w)", english, re.I)
                and word not in there]
    assert not problems, "\n".join(problems)


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
])
def test_a_text_without_the_glossary_word_is_found(english, thai, expected):
    assert missing_terms(english, thai, "th") == expected


def test_the_everyday_words_left_out_are_glossary_terms_with_longer_names():
    words = terms("th")
    assert ORDINARY <= set(words)
    assert {"the act element", "the means element", "purpose of exploitation"} <= set(words)


def test_the_files_checked_exist():
    assert all(Path(p).is_file() for p in FILES)
