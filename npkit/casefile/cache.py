"""The validated case library, shared by every kernel: case files are validated once, not in
every kernel a room of trainees starts.

An entry is filed under a key made of the case files' names and content hashes, the folder
they are in, the language the cases are shown in (a file holds every language, see
:mod:`npkit.i18n.content`), and a stamp of npkit's own code and data (every ``.py`` and
``.yaml`` file of the package, by size and modification time, and the versions of npkit,
pydantic and Python), so a changed, added, removed or broken case file, or a new npkit, finds
no entry and the files are validated again as ever (errors name file, line and field). The
entry is a pickle of the :class:`~npkit.casefile.results.LoadResult`, read back without
validation.

Where, how entries are written and why a corrupt one is harmless: :mod:`npkit.datacache`,
whose names this module also offers (``cache_dir``, ``code_stamp``, ``shared_result``).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from npkit.casefile.results import LoadResult, case_files
from npkit.datacache import (  # noqa: F401 - offered here too, as before
    CACHE_VARIABLE,
    FORMAT,
    MISS,
    cache_dir,
    code_stamp,
    read,
    shared_result,
    write,
)

KNOWN_MAX = 1024
# id(value) -> (value, key): values whose content a key names (a case as the shared library
# holds it, what is made from it alone); the value is kept, so its id is not reused
_known: OrderedDict[int, tuple[object, str]] = OrderedDict()


def remember(value: object, key: str) -> None:
    """Note that ``key`` names ``value``'s content (see :func:`content_key`)."""
    _known[id(value)] = (value, key)
    _known.move_to_end(id(value))
    while len(_known) > KNOWN_MAX:
        _known.popitem(last=False)


def content_key(value: object) -> str | None:
    """A key for ``value``'s content when it is this very object that came from the shared
    case library (or was made from such a case alone and remembered), else None. It lets a
    page share what depends on a case as its file has it without serialising the case, which
    would build pydantic's validators in every kernel (issue 16). A library case's key is
    ``<lang>|<digest>|<id>``: :func:`shared_name` files each language's entry apart."""
    hit = _known.get(id(value))
    return hit[1] if hit is not None and hit[0] is value else None


def shared_name(kind: str, key: str, case_id: str) -> str:
    """The entry name for ``kind`` of the case ``case_id`` whose content key is ``key``: one
    entry per case and language, so kernels in two languages do not replace each other's."""
    return f"{kind}-{key.split('|', 1)[0]}-{case_id}"


def library_key(root: Path, lang: str = "en") -> tuple[str, str]:
    """(the folder's own digest, the entry's key): the key covers every case file's content
    and the language the library is shown in."""
    place = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    h = hashlib.sha256(f"{code_stamp()}|{place}|{lang}\n".encode())
    for path in case_files(root):
        try:
            data = path.read_bytes()
        except OSError as exc:  # the loader reports it: key it so the report is current
            data = f"unreadable: {exc!r}".encode()
        h.update(f"{path.name}|{hashlib.sha256(data).hexdigest()}\n".encode())
    return place, h.hexdigest()


def cached_load(root: Path, load: Callable[[Path], LoadResult], lang: str = "en") -> LoadResult:
    """``load(root)`` (which loads the cases in ``lang``), or the result an earlier process
    validated from the same files in the same language."""
    folder = cache_dir()
    if folder is None:
        return load(root)
    place, key = library_key(root, lang)
    target = folder / f"cases-{place}-{lang}-{key[:32]}.pickle"
    result = read(target, key, LoadResult)
    if result is MISS:
        result = load(root)
        write(folder, target, key, result, f"cases-{place}-{lang}-*.pickle")
    for case in result.cases:
        remember(case, f"{lang}|{key}|{case.id}")
    return result
