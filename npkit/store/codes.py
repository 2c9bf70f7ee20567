"""Learner codes: how the course makes them, and what a typed or linked code must look like.

A code is two words and a number, such as ``amber-otter-4271``: a describing word from
:data:`ADJECTIVES`, an animal from :data:`ANIMALS`, and a number. Only the course server makes
new codes (:meth:`npkit.store.learners.Store.issue`, drawn with :mod:`secrets`), with a four-digit
number. Codes with a three-digit number were made in the browser before that, from the first 32
words of each list, and stay valid; no page makes codes any more.

What a learner types is first tidied (:func:`normalise`: any case, spaces, underscores and
dashes become single hyphens) and then checked (:func:`check`); a code that is not of the
issued form gets a specific, kind message (:class:`CodeProblem`), never a silent new learner.
Its words are English in ``str(exc)`` (logs, tests) and in the learner's language when shown
(:meth:`CodeProblem.say`: the course server answers each page in its own language).

The word lists only ever grow: a code issued once must stay valid.

Size of the code space (reported by ``python -m npkit.store.codes``):
    issued by the server  64 x 64 x 9,000 = 36,864,000 codes (about 2^25.1)
"""

from __future__ import annotations

import difflib
import math
import re
import secrets
import unicodedata
from collections.abc import Callable

from npkit import i18n
from npkit.i18n import N_

# The first 32 of each list made the browser's old three-digit codes: keep them first.
ADJECTIVES: tuple[str, ...] = (
    "amber", "azure", "bold", "brave", "bright", "calm", "clever", "coral", "crisp", "eager",
    "fair", "gentle", "golden", "green", "happy", "jade", "keen", "kind", "lively", "lucky",
    "merry", "misty", "noble", "olive", "quick", "quiet", "rosy", "silver", "steady", "sunny",
    "swift", "warm",
    "blue", "busy", "cheery", "clear", "cool", "sharp", "daring", "deep", "fancy", "fresh",
    "frosty", "glad", "grand", "handy", "honest", "jolly", "loyal", "mellow", "mighty", "neat",
    "polite", "proud", "rapid", "ready", "royal", "shiny", "smart", "snowy", "sturdy", "tidy",
    "witty", "wise",
)
ANIMALS: tuple[str, ...] = (
    "badger", "crane", "dolphin", "eagle", "falcon", "finch", "gecko", "heron", "ibis", "koala",
    "lark", "lemur", "lynx", "macaw", "marten", "otter", "owl", "panda", "pelican", "puffin",
    "quail", "robin", "seal", "sparrow", "stork", "swan", "tapir", "tern", "tiger", "turtle",
    "wren", "yak",
    "bear", "beaver", "bison", "camel", "deer", "donkey", "duck", "goat", "goose", "hare",
    "hawk", "horse", "jaguar", "kiwi", "llama", "moose", "mouse", "newt", "parrot", "penguin",
    "rabbit", "raven", "salmon", "sheep", "shark", "sloth", "toad", "trout", "walrus", "whale",
    "wolf", "zebra",
)
ISSUED_NUMBERS = range(1000, 10000)  # the server's codes (three digits: old browser codes)
EXAMPLE = "amber-otter-4271"
MAX_TYPED = 100  # longer input is refused before any work is done on it

_ADJECTIVES = frozenset(ADJECTIVES)
_ANIMALS = frozenset(ANIMALS)
_SEPARATORS = re.compile(r"[\s_\-\u2010-\u2015\u2212]+")
_PARTS = re.compile(r"[a-z0-9]+")
# Every valid code has this shape (npkit.js checks it before asking the server).
SHAPE = re.compile(r"[a-z]{2,12}-[a-z]{2,12}-[1-9][0-9]{2,3}")


class CodeProblem(ValueError):
    """A typed code is not a learner code; ``str(exc)`` says why in English, :meth:`say` in
    the learner's language, fit to show them."""

    def __init__(self, template: str, **fields: object) -> None:
        super().__init__(template.format(**fields))
        self.template = template
        self.fields = fields

    def say(self, gettext: Callable[[str], str] | None = None) -> str:
        """The message through ``gettext`` (a language's; default: this process's)."""
        return (gettext or i18n.gettext)(self.template).format(**self.fields)


def code_space() -> dict[str, int]:
    """How many codes the server can issue."""
    return {"issued": len(ADJECTIVES) * len(ANIMALS) * len(ISSUED_NUMBERS)}


def new_code() -> str:
    """A fresh code for the server to issue (unpredictable: :mod:`secrets`)."""
    return "-".join((secrets.choice(ADJECTIVES), secrets.choice(ANIMALS),
                     str(ISSUED_NUMBERS.start + secrets.randbelow(len(ISSUED_NUMBERS)))))


def normalise(text: object) -> str:
    """``text`` in the form codes are kept in: lower case, with spaces, underscores and dashes
    (one or several) turned into one hyphen, none at either end. Anything but text gives ""."""
    if not isinstance(text, str):
        return ""
    text = unicodedata.normalize("NFKC", text[:MAX_TYPED + 1]).casefold()
    return _SEPARATORS.sub("-", text).strip("-")


def is_valid(text: object) -> bool:
    try:
        check(text)
    except CodeProblem:
        return False
    return True


def check(text: object) -> str:
    """The learner code ``text`` stands for (normalised), or :class:`CodeProblem` saying, in
    words a learner can act on, what is wrong with it. Says nothing about whether the code was
    ever issued: that is the store's to answer."""
    code = normalise(text)
    shown = _shown(code)
    if not code:
        raise CodeProblem(N_("Type the code you were given: two words and a number, such as "
                             "{example}."), example=EXAMPLE)
    if len(code) > 40:
        raise CodeProblem(N_("That is longer than any learner code. A code is two words and a "
                             "number, such as {example}."), example=EXAMPLE)
    if not _PARTS.fullmatch(code.replace("-", "")):
        raise CodeProblem(N_("“{typed}” has signs a learner code does not have. A code is only "
                             "letters, numbers and hyphens, such as {example}."),
                          typed=shown, example=EXAMPLE)
    parts = code.split("-")
    if len(parts) != 3:
        raise CodeProblem(N_("“{typed}” is not a learner code. A code has three parts, two "
                             "words and a number, such as {example}."),
                          typed=shown, example=EXAMPLE)
    first, second, number = parts
    if not (first.isalpha() and second.isalpha() and number.isdigit()):
        raise CodeProblem(N_("A learner code is two words and then a number, such as "
                             "{example}; “{typed}” is not in that order."),
                          typed=shown, example=EXAMPLE)
    if first in _ANIMALS and second in _ADJECTIVES:
        raise CodeProblem(N_("The two words are the other way round: did you mean {code}?"),
                          code=f"{second}-{first}-{number}")
    for word, words in ((first, ADJECTIVES), (second, ANIMALS)):
        if word not in words:
            raise _not_a_word(word, words)
    if len(number) not in (3, 4):
        raise CodeProblem(N_("The number at the end of a code has 3 or 4 digits; “{number}” "
                             "has {n}."), number=number, n=len(number))
    if number.startswith("0"):
        raise CodeProblem(N_("The number at the end of a code never starts with 0."))
    return code


UNKNOWN = N_("No answers are saved under {code} yet. Is the code right?")
# Whole sentences, one per kind of word and hint, so that a translation can order them freely.
NOT_A_WORD = {
    (True, True): N_("“{word}” is not one of the describing words learner codes use. Did you "
                     "mean “{near}”?"),
    (True, False): N_("“{word}” is not one of the describing words learner codes use. Check "
                      "its spelling."),
    (False, True): N_("“{word}” is not one of the animals learner codes use. Did you mean "
                      "“{near}”?"),
    (False, False): N_("“{word}” is not one of the animals learner codes use. Check its "
                       "spelling."),
}


def unknown_message(code: str, gettext: Callable[[str], str] | None = None) -> str:
    """What a learner is told when a well-formed code has no learner in the store, through
    ``gettext`` (a language's; default: this process's)."""
    return (gettext or i18n.gettext)(UNKNOWN).format(code=code)


def _not_a_word(word: str, words: tuple[str, ...]) -> CodeProblem:
    near = difflib.get_close_matches(word, words, n=1, cutoff=0.7)
    template = NOT_A_WORD[(words is ADJECTIVES, bool(near))]
    return CodeProblem(template, word=_shown(word), near=near[0] if near else "")


def _shown(text: str) -> str:
    """Part of what the learner typed, short enough to quote back (the caller escapes it)."""
    return text if len(text) <= 40 else text[:39] + "…"


def main() -> int:
    for name, size in code_space().items():
        print(f"{name:8} {size:>12,} codes  (about 2^{math.log2(size):.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
