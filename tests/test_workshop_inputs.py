"""What trainees and trainers may type (npkit.store.workshop.inputs): limits, cleaning, join codes;
and that whatever is accepted reaches SQLite and PostgreSQL (``db_url``) and comes back intact.
"""

import json
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from workshop_support import count, is_pg, john_questions, query

from npkit.store.learners import Store
from npkit.store.workshop import Forbidden, NotFound, Workshop, WorkshopError
from npkit.store.workshop.inputs import (
    ALPHABET,
    clean_free_text,
    clean_join_code,
    code_candidates,
    new_join_code,
)

AMBIGUOUS = "0O1IL"
UNAMBIGUOUS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # as the issue states it
ZWJ, ZWNJ = "\u200d", "\u200c"


@pytest.fixture
def ws(db_url):
    with Store.open(db_url) as s:
        yield Workshop(s)


@pytest.fixture
def room(ws):
    new = ws.create("john", john_questions())
    return new, ws.join(new.code, "Owl")


def stored_text(ws, room, text):
    """``text`` sent as the free-text answer, then read back from the store both ways."""
    new, seat = room
    ws.answer(new.code, seat.token, "why", text)
    mine = ws.my_answers(new.code, seat.token)["why"]
    (theirs,) = ws.tally(new.code, new.secret, "why").texts
    assert mine == theirs
    return mine


# --- length --------------------------------------------------------------------------------------


def test_a_thousand_characters_is_the_limit():
    for ch in ("a", "é", "😀", "\u4e2d"):  # characters, not bytes
        assert clean_free_text(ch * 1000) == ch * 1000
        with pytest.raises(WorkshopError, match=r"at most 1000 characters.*1001"):
            clean_free_text(ch * 1001)
    with pytest.raises(WorkshopError, match="1000"):
        clean_free_text("a" * 100_000)
    # Counted after cleaning: removed characters do not use up the allowance.
    assert clean_free_text("a" * 1000 + "\x07\u202e") == "a" * 1000


def test_the_limit_through_the_store(ws, room, db_url):
    assert stored_text(ws, room, "x" * 999 + "🦉") == "x" * 999 + "🦉"
    new, seat = room
    with pytest.raises(WorkshopError, match="1000"):
        ws.answer(new.code, seat.token, "why", "y" * 1001)
    assert ws.my_answers(new.code, seat.token) == {"why": "x" * 999 + "🦉"}
    assert count(db_url, "workshop_answers") == 1


# --- cleaning ------------------------------------------------------------------------------------

CONTROLS = [chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
            if chr(c) not in "\n\t\r"]
BIDI = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
        "\u2069", "\u200e", "\u200f", "\u061c"]


@pytest.mark.parametrize("ch", CONTROLS, ids=lambda ch: f"U+{ord(ch):04X}")
def test_control_characters_are_removed(ch):
    assert clean_free_text(f"a{ch}b{ch}") == "ab"


def test_newlines_and_tabs_are_kept_and_line_endings_unified():
    assert clean_free_text("a\tb\nc") == "a\tb\nc"
    assert clean_free_text("a\r\nb\rc") == "a\nb\nc"
    assert clean_free_text("a\n\n\n\n\nb") == "a\n\nb"


@pytest.mark.parametrize("ch", BIDI, ids=lambda ch: f"U+{ord(ch):04X}")
def test_direction_overrides_are_removed(ch):
    assert clean_free_text(f"invoice{ch}fdp.exe") == "invoicefdp.exe"


def test_other_invisible_format_characters_are_removed():
    assert clean_free_text("a\u200bb\ufeffc\u00add\u2060e") == "abcde"


@pytest.mark.parametrize("text", [
    "👩\u200d💻", "👨\u200d👩\u200d👧\u200d👦", "🏳\ufe0f\u200d🌈", "👍🏽", "🇬🇧", "❤\ufe0f",
    "می\u200cخواهم",  # Persian: the zero-width non-joiner is spelling
    "क्\u200dष", "Ünïcødé ñ ß", "\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627",
], ids=["technologist", "family", "rainbow-flag", "skin-tone", "flag", "heart-vs16",
        "persian-zwnj", "devanagari-zwj", "latin", "hebrew-arabic"])
def test_emoji_and_joiners_are_kept(text):
    assert clean_free_text(text) == text
    assert clean_free_text(f"  {text}\u202e ") == text


# An emoji-block code point this Python's Unicode database does not know yet, as the newest
# emoji on a trainee's phone are to it (🫨 and 🩷, Unicode 15, on Python 3.11).
NEWER_EMOJI = next(chr(c) for c in range(0x1FA70, 0x1FB00)
                   if unicodedata.category(chr(c)) == "Cn")


def test_emoji_newer_than_pythons_unicode_database_are_kept():
    assert clean_free_text(f"shaking {NEWER_EMOJI}") == f"shaking {NEWER_EMOJI}"
    assert clean_free_text(NEWER_EMOJI) == NEWER_EMOJI  # not refused as empty


def test_a_nickname_keeps_emoji_newer_than_pythons_unicode_database():
    from npkit.store.learners import clean_nickname

    assert clean_nickname(f"Owl {NEWER_EMOJI}") == f"Owl {NEWER_EMOJI}"


@pytest.mark.parametrize("raw,text", [
    (b"caf\xc3", "caf\ufffd"),
    (b"\xff\xfeabc", "\ufffd\ufffdabc"),
    (b"ok \xe2\x82 then", "ok \ufffd then"),
    (b"\xed\xa0\x80 surrogate in UTF-8", "\ufffd\ufffd\ufffd surrogate in UTF-8"),
    (b"caf\xc3\xa9 \xf0\x9f\xa6\x89", "café 🦉"),  # valid UTF-8 is simply decoded
])
def test_invalid_utf8_becomes_the_replacement_character(raw, text):
    assert clean_free_text(raw) == text


@pytest.mark.parametrize("raw,text", [
    ("\ud800", "\ufffd"), ("a\udc80b", "a\ufffdb"), ("x\udfff\ud800y", "x\ufffd\ufffdy"),
])
def test_lone_surrogates_become_the_replacement_character(raw, text):
    assert clean_free_text(raw) == text


def test_bytes_and_surrogates_reach_the_store_as_valid_text(ws, room):
    assert stored_text(ws, room, b"caf\xc3 \xff") == "caf\ufffd \ufffd"
    assert stored_text(ws, room, "lone \ud800 surrogate") == "lone \ufffd surrogate"


HOSTILE = [
    "<script>alert('x')</script>",
    "<b>bold</b> &amp; &lt;not a tag&gt; <img src=x onerror=alert(1)>",
    "\"double\" 'single' `back` \\ backslash \\n not a newline",
    "Robert'); DROP TABLE workshop_answers; --",
    "%s %(name)s :name $1 ? {{ template }} ${x}",  # placeholders of every driver
    "\\u0000 written out, and \\ud800 too",
]


def test_html_and_sql_are_stored_verbatim_and_round_trip(ws, room, db_url):
    new, seat = room
    for text in HOSTILE:
        assert stored_text(ws, room, text) == text
        (value,) = query(db_url, "SELECT value FROM workshop_answers WHERE participant = ?",
                         (seat.token,))[0]
        assert json.loads(value) == text
    assert count(db_url, "workshop_answers") == 1
    nick = ws.join(new.code, "<b>Owl</b> & co")
    assert nick.nickname == "<b>Owl</b> & co"
    assert ws.session(new.code).title == "john"


def test_nul_is_removed_before_it_reaches_the_database(ws, room, db_url):
    """PostgreSQL refuses NUL in text (shown first), so every way in must clean it away."""
    if is_pg(db_url):
        import psycopg

        with psycopg.connect(db_url, autocommit=True) as con, pytest.raises(psycopg.DataError):
            con.execute("SELECT %s::text", ("a\x00b",))
    new, seat = room
    assert stored_text(ws, room, "a\x00b\x00") == "ab"
    (value,) = query(db_url, "SELECT value FROM workshop_answers")[0]
    assert value == '"ab"'  # not even as a JSON escape
    assert ws.join(new.code, "O\x00wl\x00").nickname == "Owl"
    titled = ws.create("john", john_questions(), title="Cohort\x00 3")
    assert ws.session(titled.code).title == "Cohort 3"
    assert ws.join(new.code, "Fox", learner="abcd\x00").seat == 3  # not a learner code


def test_nul_or_a_lone_surrogate_in_a_token_or_question_id_is_refused_not_a_crash(
        ws, room, db_url):
    """A crafted client sends whatever it likes as the token or question id: it gets the
    refusal any unknown token or question gets, on both backends (PostgreSQL used to answer
    NUL with StoreError, and both backends a lone surrogate with UnicodeEncodeError)."""
    new, seat = room
    for token in ("\x00", seat.token + "\x00", "\ud800", seat.token[:-1] + "\udfff"):
        with pytest.raises(Forbidden):
            ws.answer(new.code, token, "why", "hello")
        assert ws.my_answers(new.code, token) == {}
    for qid in ("why\x00", "\x00", "\ud800"):
        with pytest.raises(NotFound):
            ws.answer(new.code, seat.token, qid, "hello")
        for control in (ws.set_current, ws.lock, ws.reveal, ws.tally):
            with pytest.raises(NotFound):
                control(new.code, new.secret, qid)
    with pytest.raises(Forbidden):
        ws.tally(new.code, new.secret + "\x00", "why")
    assert count(db_url, "workshop_answers") == 0
    ws.answer(new.code, seat.token, "why", "hello")  # the seat still works
    assert ws.my_answers(new.code, seat.token) == {"why": "hello"}


# --- nicknames ----------------------------------------------------------------------------------


def test_nickname_limits(ws, room, db_url):
    new, _ = room
    assert ws.join(new.code, "n" * 40).nickname == "n" * 40
    assert ws.join(new.code, "n" * 40 + "\x00\u202e\x07").nickname == "n" * 40
    assert ws.join(new.code, "  Amber \t\n  O.  ").nickname == "Amber O."
    assert ws.join(new.code, "ß" * 40).nickname == "ß" * 40  # characters, not bytes
    seated = count(db_url, "workshop_participants")
    for bad in ("n" * 41, "n" * 20 + " " + "n" * 20, "x" * 10_000):
        with pytest.raises(WorkshopError, match="40"):
            ws.join(new.code, bad)
    for bad in (42, b"Owl", ["Owl"], {"name": "Owl"}):
        with pytest.raises(WorkshopError):
            ws.join(new.code, bad)
    assert count(db_url, "workshop_participants") == seated


# --- join codes ---------------------------------------------------------------------------------


def test_the_join_code_alphabet_has_no_ambiguous_characters():
    assert set(ALPHABET) == set(UNAMBIGUOUS) and not set(AMBIGUOUS) & set(ALPHABET)
    for _ in range(300):
        code = new_join_code()
        assert len(code) == 6 and set(code) <= set(UNAMBIGUOUS)
        assert clean_join_code(code) == code


@pytest.mark.parametrize("typed", [
    "k7m2qx", "K7M2QX", " k7m 2qx ", "k7m-2qx", "K7M_2QX", "k7m.2qx", "K-7-M-2-Q-X",
    "\tk7m2qx\n", "k7m - 2qx", "K7m2Qx",
])
def test_a_join_code_may_be_typed_loosely(typed):
    assert clean_join_code(typed) == "K7M2QX"


@pytest.mark.parametrize("typed", [
    "K7M2Q0", "K7M2QO", "k7m2qo", "K7M2Q1", "K7M2QI", "k7m2qi", "K7M2QL", "k7m2ql",
    "K7M2Q", "K7M2QXA", "", "------", "K7M2Q!", "K7M2Q/", "K7M2QX;", "K7M2Q\x00X",
    None, 123456, b"K7M2QX", ["K7M2QX"],
])
def test_an_ambiguous_or_malformed_join_code_is_not_found(typed):
    with pytest.raises(NotFound, match="6 letters and digits"):
        clean_join_code(typed)


CODES = st.text(alphabet=UNAMBIGUOUS, min_size=6, max_size=6)


@settings(max_examples=200, deadline=None)
@given(code=CODES, data=st.data())
def test_case_and_separators_never_change_a_code(code, data):
    typed = ""
    for ch in code:
        typed += data.draw(st.sampled_from(["", " ", "-", "  ", " - ", "_", "."]))
        typed += ch.lower() if data.draw(st.booleans()) else ch
    assert clean_join_code(typed) == code


@settings(max_examples=200, deadline=None)
@given(code=CODES, at=st.integers(0, 5), bad=st.sampled_from(AMBIGUOUS + AMBIGUOUS.lower()))
def test_any_ambiguous_character_is_refused(code, at, bad):
    with pytest.raises(NotFound):
        clean_join_code(code[:at] + bad + code[at + 1:])


# --- properties ------------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(exclude_categories=()), max_size=60) | st.text(
    st.sampled_from(["a", " ", "\n", "\r", "\t", "\x00", "\u202e", ZWJ, "\ud800", "é", "👩"]),
    max_size=60)


def allowed(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return ch in "\n\t" or ch in (ZWJ, ZWNJ) or cat not in ("Cc", "Cf", "Cs")


@settings(max_examples=300, deadline=None)
@given(text=ANY_TEXT | st.binary(max_size=60))
def test_cleaned_text_is_valid_safe_and_stable(text):
    try:
        kept = clean_free_text(text)
    except WorkshopError:
        return
    assert 0 < len(kept) <= 1000
    assert kept.encode("utf-8")  # strict: no surrogates left
    assert all(allowed(ch) for ch in kept), kept
    assert "\r" not in kept and "\n\n\n" not in kept and kept == kept.strip()
    assert clean_free_text(kept) == kept


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=ANY_TEXT)
def test_whatever_is_accepted_comes_back_from_the_store_unchanged(ws, room, text):
    try:
        kept = clean_free_text(text)
    except WorkshopError:
        return
    assert stored_text(ws, room, text) == kept


def test_a_code_with_a_character_codes_never_use_says_so():
    with pytest.raises(NotFound, match="never use 1, 0, I, L or O"):
        clean_join_code("k7m2q0")


@pytest.mark.parametrize(("typed", "meant"), [
    ("K7M2Q0", {"K7M2QQ", "K7M2QD"}),
    ("k7m-2qo", {"K7M2QQ", "K7M2QD"}),
    ("1ABCDE", {"7ABCDE", "JABCDE", "TABCDE"}),
    ("LLLLLL", {"444444"}),
])
def test_the_readings_of_a_mistyped_code_are_codes(typed, meant):
    found = code_candidates(typed)
    assert set(found) == meant and all(clean_join_code(c) == c for c in found)


@pytest.mark.parametrize("typed", [
    "K7M2QX",  # a code already: nothing to correct
    "K7M2Q", "K7M2Q0X", "K7M2Q!", None, 42,
    "0O1I0O",  # 2*2*3*2*2*2 = 96 readings: too many to be a near miss
])
def test_no_readings_for_a_code_or_for_what_is_no_near_miss(typed):
    assert code_candidates(typed) == []
