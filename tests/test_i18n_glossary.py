"""One Thai word per legal term (issue 17): every Thai text of the course data whose English
uses a glossary term (or one of its ``also`` names) uses that entry's Thai term, the word of
npkit/course/data/glossary.yaml's ``th:`` overlay. The lead extends this to the .po catalogue
through :func:`npkit.course.training.glossary.missing_terms`."""

from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from npkit.course.training.content import DATA
from npkit.course.training.glossary import ORDINARY, glossary, missing_terms, terms
from npkit.i18n.content import TRANSLATED

LAW_DATA = DATA.parents[1] / "law" / "data"
FILES = sorted(DATA.rglob("*.yaml")) + [LAW_DATA / "notes.yaml",
                                        LAW_DATA / "recommendations.yaml"]


def pairs(english: object, lang: str, where: str = "") -> Iterator[tuple[str, str, str]]:
    """(path, English, translation) of every text an overlay of ``lang`` translates."""
    if isinstance(english, list):
        for i, item in enumerate(english):
            yield from pairs(item, lang, f"{where}[{i}]")
    elif isinstance(english, dict):
        if lang in english:
            yield from _aligned(english, english[lang], f"{where}.{lang}")
        for k, v in english.items():
            if k not in TRANSLATED:
                yield from pairs(v, lang, f"{where}.{k}")


def _aligned(english: object, there: object, where: str) -> Iterator[tuple[str, str, str]]:
    if isinstance(there, str) and isinstance(english, str):
        yield where, english, there
    elif isinstance(there, list) and isinstance(english, list):
        for i, (e, t) in enumerate(zip(english, there, strict=False)):
            yield from _aligned(e, t, f"{where}[{i}]")
    elif isinstance(there, dict) and isinstance(english, dict):
        for k, t in there.items():
            yield from _aligned(english.get(k), t, f"{where}.{k}")


def texts(lang: str) -> list[tuple[str, str, str]]:
    out = []
    for path in FILES:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [(f"{path.name}{where}", e, t) for where, e, t in pairs(raw, lang)]
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
    assert len(found) >= 90, "the glossary at least is translated"
    problems = [f"{where}: {p}" for where, english, there in found
                for p in missing_terms(english, there, lang)]
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
