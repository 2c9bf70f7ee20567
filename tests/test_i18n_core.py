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
        # a changed .po (another checkout, a later edit) is compiled again, never read stale
        (folder / "npkit.po").write_text(
            'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
            'msgid "Next"\nmsgstr "ต่อไป"\n', encoding="utf-8")
        i18n._translations.cache_clear()
        assert i18n._("Next") == "ต่อไป"
    finally:
        i18n._translations.cache_clear()


# --- content translations next to the English (npkit.i18n.content) ---------------------------

from npkit.i18n import content  # noqa: E402

CASE = {
    "id": "jane", "title": "Jane", "lesson": "A lesson.",
    "th": {"title": "เจน"},
    "narrative": [{"text": "One.", "tags": ["act.x"], "th": {"text": "หนึ่ง"}},
                  {"text": "Two.", "tags": []}],
}


TEXT = ("title", "lesson", "text")


def test_localize_overlays_a_language_and_drops_every_language_key():
    th = content.localize(CASE, "th", TEXT)
    assert th["title"] == "เจน" and th["lesson"] == "A lesson."
    assert th["narrative"][0] == {"text": "หนึ่ง", "tags": ["act.x"]}
    assert "th" not in th and "th" not in th["narrative"][0]
    en = content.localize(CASE, "en", TEXT)
    assert en["title"] == "Jane" and en["narrative"][0]["text"] == "One." and "th" not in en


def test_untranslated_names_every_text_field_left_in_english():
    left = content.untranslated(CASE, "th", {"title", "lesson", "text"})
    assert left == [".lesson", ".narrative[1].text"]


@pytest.mark.parametrize("bad, where", [
    ({"title": "T", "th": {"titel": "x"}}, ".th.titel"),
    ({"items": ["a", "b"], "th": {"items": ["x"]}}, ".th.items"),
    ({"title": "T", "th": {"title": ["x"]}}, ".th.title"),
])
def test_a_translation_that_does_not_fit_the_english_names_its_place(bad, where):
    with pytest.raises(content.ContentError, match=where.replace("[", r"\[").replace(".", r"\.")):
        content.localize(bad, "th", {"title", "items"})


@pytest.mark.parametrize("bad, field", [
    ({"id": "jane", "title": "T", "th": {"id": "เจน", "title": "ท"}}, "th.id"),
    ({"text": "T", "tags": ["act.x"], "th": {"tags": ["act.y"]}}, "th.tags[0]"),
    ({"cite": [{"source": "fitzgerald2024", "pinpoint": "IV.A"}],
      "th": {"cite": [{"pinpoint": "IV.B"}]}}, "th.cite[0].pinpoint"),
    ({"cite": {"source": "asean", "pinpoint": "R1", "th": {"pinpoint": "R2"}}},
     "cite.th.pinpoint"),
])
def test_an_overlay_may_replace_only_the_text_keys(bad, field):
    with pytest.raises(content.ContentError) as err:
        content.localize(bad, "th", TEXT, where="x.yaml")
    assert err.value.field == field
    assert err.value.message.startswith("th: may only translate text fields (lesson, text, "
                                        "title), not ")
    assert str(err.value) == f"x.yaml.{field}: {err.value.message}"
    assert "th" not in content.localize(bad, "en", TEXT)  # the English ignores the overlay


def test_a_content_error_names_file_line_entry_and_field():
    err = content.ContentError(("narrative", 2, "th", "tags", 0), "a problem")
    assert err.located("cases/x.yaml", line=7, entry="x") == \
        "cases/x.yaml, line 7, entry 'x', field narrative[2].th.tags[0]: a problem"
    assert err.located("f.yaml") == "f.yaml, field narrative[2].th.tags[0]: a problem"


def test_line_in_finds_the_line_of_a_path_in_the_yaml():
    import yaml

    node = yaml.compose("a: 1\nitems:\n  - text: x\n    th:\n      tags: [p, q]\n")
    assert content.line_in(node, ("items", 0, "th", "tags", 1)) == 5
    assert content.line_in(node, ("items", 0, "th", "nothing")) == 4  # the nearest it has
    assert content.line_in(None, ("a",)) is None


def test_speaking_uses_a_language_for_a_block_and_restores_the_one_before():
    before = i18n.current()
    i18n.use("th")
    try:
        with i18n.speaking("en") as lang:
            assert lang == "en" and i18n.current() == "en"
        assert i18n.current() == "th"
        with pytest.raises(RuntimeError), i18n.speaking("en"):
            raise RuntimeError("a key that fails")
        assert i18n.current() == "th"  # restored all the same
    finally:
        i18n.use(before)
