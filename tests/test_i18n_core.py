"""npkit.i18n: the language choice, the pseudo-locale, and compiling a catalogue on load."""

import pytest

from npkit import i18n


@pytest.fixture(autouse=True)
def _english_after():
    yield
    i18n.use(i18n.DEFAULT)


@pytest.mark.parametrize("given, code", [("th", "th"), ("TH", "th"), ("th-TH", "th"),
                                         ("xx", "en"), (None, "en"), ("", "en"),
                                         ("th" * 50, "en"), ("en_XA", "en_XA")])
def test_a_link_or_browser_language_is_normalised(given, code):
    assert i18n.normalise(given) == code


def test_english_is_the_message_itself():
    i18n.use("en")
    assert i18n._("Show the answer") == "Show the answer"


def test_the_pseudo_locale_accents_text_and_keeps_fields_and_tags():
    out = i18n.pseudo("Show {n} <b>answers</b> &amp; %(who)s")
    assert "{n}" in out and "<b>" in out and "</b>" in out and "&amp;" in out
    assert "%(who)s" in out
    assert "Show" not in out and "answers" not in out
    assert out.startswith("[") and out.endswith("]") and len(out) > len("Show {n} answers")


def test_the_pseudo_locale_is_used_for_every_call():
    i18n.use(i18n.PSEUDO)
    assert i18n._("Next") != "Next"
    assert i18n.ngettext("one answer", "{n} answers", 2).startswith("[")
    assert i18n.pgettext("some.code", "Text") != "Text"


def test_a_po_file_is_compiled_on_load_when_no_mo_was_built(tmp_path, monkeypatch):
    folder = tmp_path / "th" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "npkit.po").write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "Next"\nmsgstr "ถัดไป"\n\n'
        '#, fuzzy\nmsgid "Back"\nmsgstr "กลับ"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    i18n._translations.cache_clear()
    try:
        i18n.use("th")
        assert i18n._("Next") == "ถัดไป"
        assert i18n._("Back") == "Back"  # a fuzzy entry is not used
    finally:
        i18n._translations.cache_clear()
