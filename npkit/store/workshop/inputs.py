"""What a trainee or trainer may type, checked before it reaches the store.

Everything here is untrusted: it arrives in widget messages, which a crafted client can fill
with anything. The rules, as the trainee sees them:

- A join code is 6 characters from :data:`ALPHABET` (no 0/O, 1/I/L); case, spaces and dashes
  are ignored when typed.
- A nickname is cleaned like a learner's (control characters removed, at most 40 characters).
- A free-text answer keeps letters, punctuation, emoji (even ones newer than Python's Unicode
  tables), line breaks and tabs; other control and direction-override characters are removed,
  invalid UTF-8 becomes U+FFFD, and more than :data:`MAX_FREE_TEXT` characters is refused (the
  trainee's text stays in their box). HTML is kept as typed and is only ever shown escaped.
"""

from __future__ import annotations

import re
import secrets
import unicodedata

from npkit.i18n import _

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
# What a character that codes never use was probably read from, on a projector: the join page
# suggests the session these readings make (:meth:`Workshop.suggest`), if there is one.
LOOKALIKES = {"0": "QD", "O": "QD", "1": "7JT", "I": "JT", "L": "4"}
MAX_CANDIDATES = 36
MAX_FREE_TEXT = 1000
MAX_TITLE = 120
# Zero-width joiners build emoji and some scripts' ligatures, so they stay; bidi overrides and
# other format characters can disguise text on the trainer's screen, so they go.
_KEEP_FORMAT = {"\u200c", "\u200d"}
# Control, format and surrogate characters go. Unassigned ones stay: Python's Unicode tables
# lag behind phones, so a new emoji would otherwise vanish from an answer.
_DROP = {"Cc", "Cf", "Cs"}
_SURROGATE = re.compile("[\ud800-\udfff]")
_SEP = re.compile(r"[\s\-_.]+")


class WorkshopError(ValueError):
    """A readable refusal, shown to the person who caused it."""


class NotFound(WorkshopError):
    pass


class Forbidden(WorkshopError):
    pass


class Locked(WorkshopError):
    pass


def new_join_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def new_secret() -> str:
    """The trainer's key: 192 random bits, URL-safe."""
    return secrets.token_urlsafe(24)


def _typed(text: object) -> str:
    return _SEP.sub("", text).upper() if isinstance(text, str) else ""


def clean_join_code(text: object) -> str:
    """``text`` as a join code, or :class:`NotFound` saying what a code looks like."""
    code = _typed(text)
    if len(code) == CODE_LENGTH and any(ch in LOOKALIKES for ch in code):
        raise NotFound(_("A session code is {n} letters and digits, and codes never use 1, "
                         "0, I, L or O (they look too much alike).").format(n=CODE_LENGTH))
    if len(code) != CODE_LENGTH or any(ch not in ALPHABET for ch in code):
        raise NotFound(_("A session code is {n} letters and digits, as shown on the "
                         "trainer's screen (for example K7M2QX).").format(n=CODE_LENGTH))
    return code


def code_candidates(text: object) -> list[str]:
    """The codes ``text`` may have been meant as, when it is a code of the right length with
    characters codes never use (each read as a character it looks like, :data:`LOOKALIKES`);
    [] for anything else, or for more than :data:`MAX_CANDIDATES` readings."""
    typed = _typed(text)
    if len(typed) != CODE_LENGTH or not all(ch in ALPHABET or ch in LOOKALIKES
                                            for ch in typed):
        return []
    found = [""]
    for ch in typed:
        found = [head + option for head in found for option in LOOKALIKES.get(ch, ch)]
        if len(found) > MAX_CANDIDATES:
            return []
    return found if found != [typed] else []


def _valid_utf8(text: str | bytes) -> str:
    if isinstance(text, bytes):
        return text.decode("utf-8", errors="replace")
    # Lone surrogates (from JSON "\ud800" escapes) are not text: each becomes U+FFFD.
    return _SURROGATE.sub("\ufffd", text)


def clean_free_text(text: object, limit: int = MAX_FREE_TEXT) -> str:
    """A free-text answer made safe to store; :class:`WorkshopError` if empty or too long."""
    if not isinstance(text, str | bytes):
        raise WorkshopError(_("An answer must be text."))
    text = _valid_utf8(text).replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(ch for ch in text if ch in "\n\t" or ch in _KEEP_FORMAT
                   or unicodedata.category(ch) not in _DROP)
    kept = re.sub(r"\n{3,}", "\n\n", kept).strip()
    if not kept:
        raise WorkshopError(_("Write something before sending."))
    if len(kept) > limit:
        raise WorkshopError(_("An answer has at most {limit} characters; this one has "
                              "{n}. Shorten it and send again.").format(limit=limit,
                                                                         n=len(kept)))
    return kept


def clean_title(text: object) -> str:
    return clean_free_text(text, MAX_TITLE).replace("\n", " ")
