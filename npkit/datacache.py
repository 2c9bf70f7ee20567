"""What every kernel would otherwise work out again, worked out once and shared: the law's and
the course's data files read and checked (pydantic), the case library validated
(:mod:`npkit.casefile.cache`), a search whose answer depends only on a case's content.

A room of trainees on the default pool starts one kernel per trainee, and each used to read
and check the same YAML files (issue 16). An entry is a pickle filed under a key made of what
the result depends on: the files it was read from, by name and content hash, a name for the
kind of result and its variant (the language), and a stamp of npkit's own code and data
(every ``.py`` and ``.yaml`` file of the package, by size and modification time, and the
versions of npkit, pydantic and Python). A changed file or a new npkit finds no entry, and the
result is built again as ever, with the same errors for a bad file (an error is never stored).

Where: ``$NPKIT_CACHE_DIR`` if set (``off`` turns the cache off), else ``build/cache`` in a
source checkout or the user's cache folder (platformdirs). The folder is the user's own, as
trusted as the installed package: only npkit writes there. Writes are atomic (a temporary file
renamed into place), so kernels starting at once never read half an entry; an entry that cannot
be read (corrupt, truncated, from another npkit) is ignored and written again; a folder that
cannot be written leaves the result unshared.

Entries are pickles, and reading a pickle can run code, so an entry is only read from a folder
and a file that belong to this user and that no one else may write (:func:`private`); npkit
makes its folder ``0700``. Any other folder (say ``$NPKIT_CACHE_DIR`` pointed at a shared
``/tmp`` folder) is neither read nor written: every result is built afresh, with a warning.

This module sits beside :mod:`npkit.paths`, outside the layers, so the law, the case files and
the course can all share through it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any, Protocol, TypeVar

import platformdirs
import pydantic

from npkit import __version__
from npkit.paths import APP, CHECKOUT, PACKAGE, in_checkout

log = logging.getLogger(__name__)

FORMAT = 1  # bump when what an entry holds changes
CACHE_VARIABLE = "NPKIT_CACHE_DIR"

T = TypeVar("T")
MISS = object()  # what read() answers when there is no usable entry
_code: str | None = None
_warned = False  # the warning about a shared folder, once per process


class Readable(Protocol):
    """A file: a :class:`~pathlib.Path` or an ``importlib.resources`` Traversable."""

    name: str

    def read_bytes(self) -> bytes: ...


def cache_dir() -> Path | None:
    """The cache folder, or None when ``$NPKIT_CACHE_DIR`` is ``off``."""
    env = os.environ.get(CACHE_VARIABLE)
    if env:
        return None if env.strip().lower() == "off" else Path(env)
    if in_checkout():
        return CHECKOUT / "build" / "cache"
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def code_stamp() -> str:
    """npkit's code and data as this process found them (read once per process)."""
    global _code
    if _code is None:
        h = hashlib.sha256(f"{FORMAT}|{__version__}|{pydantic.VERSION}|{sys.version}".encode())
        for folder, dirs, files in sorted(os.walk(PACKAGE)):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".yaml", ".yml")):
                    st = os.stat(os.path.join(folder, name))
                    h.update(f"{folder}/{name}|{st.st_size}|{st.st_mtime_ns}\n".encode())
        _code = h.hexdigest()
    return _code


def private(st: os.stat_result) -> bool:
    """Whether a file or folder with this status is this user's alone to write."""
    return st.st_uid == os.getuid() and not st.st_mode & 0o022


def read(target: Path, key: str, kind: type = object) -> Any:
    """The result filed in ``target`` under ``key``, or ``MISS`` (no entry, another key, a
    result of another kind, an entry that cannot be read, or one that others could have
    written)."""
    try:
        with open(target, "rb") as fh:
            if not private(os.fstat(fh.fileno())):
                log.warning("not reading the cache entry %s: others may write it", target)
                return MISS
            entry = pickle.load(fh)
    except FileNotFoundError:
        return MISS
    except Exception as exc:  # noqa: BLE001 - a broken entry is only a miss
        log.info("ignoring the unreadable cache entry %s: %r", target, exc)
        return MISS
    if (not isinstance(entry, dict) or entry.get("key") != key
            or not isinstance(entry.get("result", MISS), kind)):
        return MISS
    return entry["result"]



def write(folder: Path, target: Path, key: str, result: object, stale: str) -> None:
    """Write atomically, then remove this folder's older entries (``stale`` glob)."""
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump({"key": key, "result": result}, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise
    except (OSError, pickle.PicklingError, TypeError, AttributeError) as exc:
        log.info("could not write the cache entry %s: %r", target, exc)
        return
    for old in folder.glob(stale):
        if old != target:
            with suppress(OSError):
                old.unlink()


def _shared(name: str, key: str, build: Callable[[], T], kind: type) -> T:
    folder = cache_dir()
    if folder is None or not _usable(folder):
        return build()
    target = folder / f"{name}-{key[:32]}.pickle"
    found = read(target, key, kind)
    if found is not MISS:
        return found
    result = build()
    write(folder, target, key, result, f"{name}-*.pickle")
    return result


def _usable(folder: Path) -> bool:
    """A folder npkit may share through: missing (npkit makes it private) or private."""
    try:
        st = folder.stat()
    except FileNotFoundError:
        return True
    except OSError:
        return False
    if private(st):
        return True
    global _warned
    if not _warned:
        _warned = True
        log.warning("npkit's shared cache is off: %s is not this user's alone to write "
                    "(set %s to a private folder, or to off)", folder, CACHE_VARIABLE)
    return False


def shared_result(name: str, content: str, build: Callable[[], T], kind: type = list) -> T:
    """``build()``, a result that depends only on ``content`` and npkit's code, or the result
    an earlier process built from the same (e.g. the scenario lab's counterfactuals for a case
    as its file has it, the same search in every kernel). ``name`` (letters, digits, ``-_.``)
    names the entry; a newer entry of the same name replaces it."""
    if cache_dir() is None:
        return build()
    key = hashlib.sha256(f"{code_stamp()}|{name}|{content}".encode()).hexdigest()
    return _shared(name, key, build, kind)


def files_digest(files: Iterable[Readable]) -> str:
    """The files' names and content hashes (a file that cannot be read is keyed by its error:
    ``build`` reports it)."""
    h = hashlib.sha256()
    for f in files:
        try:
            data = f.read_bytes()
        except OSError as exc:
            data = f"unreadable: {exc!r}".encode()
        h.update(f"{f.name}|{hashlib.sha256(data).hexdigest()}\n".encode())
    return h.hexdigest()


def shared_data(name: str, files: Iterable[Readable], build: Callable[[], T],
                kind: type = object) -> T:
    """``build()``, which reads and checks ``files``, or the result an earlier process built
    from files of the same content with the same npkit. ``name`` (letters, digits, ``-_.``)
    names the kind of result and its variant, e.g. ``law-notes-th``."""
    if cache_dir() is None:
        return build()
    key = hashlib.sha256(f"{code_stamp()}|{name}|{files_digest(files)}".encode()).hexdigest()
    return _shared(name, key, build, kind)
