"""The validated case library, shared by every kernel: case files are validated once, not in
every kernel a room of trainees starts.

An entry is filed under a key made of the case files' names and content hashes, the folder
they are in, the language the cases are shown in (a file holds every language, see
:mod:`npkit.i18n.content`), and a stamp of npkit's own code and data (every ``.py`` and
``.yaml`` file of the package, by size and modification time, and the versions of npkit,
pydantic and Python), so a changed, added, removed or broken case file, or a new npkit, finds
no entry and the files are validated again as ever (errors name file, line and field). The
entry is a pickle of the :class:`~npkit.casefile.loader.LoadResult`, read back without
validation.

Where: ``$NPKIT_CACHE_DIR`` if set (``off`` turns the cache off), else ``build/cache`` in a
source checkout or the user's cache folder (platformdirs). The folder is the user's own, as
trusted as the installed package: only npkit writes there. Writes are atomic (a temporary file
renamed into place), so kernels starting at once never read half an entry; an entry that cannot
be read (corrupt, truncated, from another npkit) is ignored and written again; a folder that
cannot be written leaves the library uncached.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

import platformdirs
import pydantic

from npkit import __version__
from npkit.casefile.loader import LoadResult, case_files
from npkit.paths import APP, CHECKOUT, PACKAGE, in_checkout

log = logging.getLogger(__name__)

FORMAT = 1  # bump when what an entry holds changes
CACHE_VARIABLE = "NPKIT_CACHE_DIR"

_code: str | None = None


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


def _read(target: Path, key: str, kind: type = LoadResult):
    try:
        with open(target, "rb") as fh:
            entry = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a broken entry is only a miss
        log.info("ignoring the unreadable case cache %s: %r", target, exc)
        return None
    if (not isinstance(entry, dict) or entry.get("key") != key
            or not isinstance(entry.get("result"), kind)):
        return None
    return entry["result"]


def _write(folder: Path, target: Path, key: str, result: object, stale: str) -> None:
    """Write atomically, then remove this folder's older entries (``stale`` glob)."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".pickle")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump({"key": key, "result": result}, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, target)
        except BaseException:
            with suppress(OSError):
                os.unlink(tmp)
            raise
    except OSError as exc:
        log.info("could not write the case cache in %s: %r", folder, exc)
        return
    for old in folder.glob(stale):
        if old != target:
            with suppress(OSError):
                old.unlink()


def cached_load(root: Path, load: Callable[[Path], LoadResult], lang: str = "en") -> LoadResult:
    """``load(root)`` (which loads the cases in ``lang``), or the result an earlier process
    validated from the same files in the same language."""
    folder = cache_dir()
    if folder is None:
        return load(root)
    place, key = library_key(root, lang)
    target = folder / f"cases-{place}-{lang}-{key[:32]}.pickle"
    found = _read(target, key)
    if found is not None:
        return found
    result = load(root)
    _write(folder, target, key, result, f"cases-{place}-{lang}-*.pickle")
    return result


def shared_result(name: str, content: str, build: Callable[[], list]) -> list:
    """``build()``, a list that depends only on ``content`` and npkit's code, or the list an
    earlier process built from the same (e.g. the scenario lab's counterfactuals for a case as
    its file has it, the same search in every kernel). ``name`` (letters, digits, ``-_.``)
    names the entry; a newer entry of the same name replaces it."""
    folder = cache_dir()
    if folder is None:
        return build()
    key = hashlib.sha256(f"{code_stamp()}|{name}|{content}".encode()).hexdigest()
    target = folder / f"{name}-{key[:32]}.pickle"
    found = _read(target, key, list)
    if found is not None:
        return found
    result = build()
    _write(folder, target, key, result, f"{name}-*.pickle")
    return result
