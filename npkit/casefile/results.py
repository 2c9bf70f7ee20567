"""What reading case files gives: the cases, and an error naming file, line and field for
every problem (:mod:`npkit.casefile.loader` reads and validates; this module holds only its
results, so a kernel whose case library comes from the shared cache (:mod:`npkit.casefile.cache`)
never imports the YAML reader, issue 16)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from npkit import i18n

if TYPE_CHECKING:
    from npkit.casefile.case import Case

CASE_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True, slots=True)
class CaseError:
    """One problem in one case file.

    ``str()`` gives ``file:line: field: message``; the line and the field are left out where
    there is none (an unreadable file has no line; a YAML syntax error has no field). A
    warning (facts that contradict each other; the file still loads) reads
    ``file:line: field: warning: message``.
    """

    path: str
    line: int | None
    field: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        message = f"warning: {self.message}" if self.severity == "warning" else self.message
        what = f"{self.field}: {message}" if self.field else message
        return f"{where}: {what}"


class CaseFileError(Exception):
    """A case file could not be loaded; ``errors`` holds every problem found in it."""

    def __init__(self, errors: list[CaseError]) -> None:
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass(slots=True)
class LoadResult:
    """What :func:`~npkit.casefile.loader.load_cases` found: the good cases (sorted by id) and
    every error."""

    cases: list[Case] = field(default_factory=list)
    errors: list[CaseError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # every case file tried, in order
    warnings: list[CaseError] = field(default_factory=list)  # the cases load regardless

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def files_with_errors(self) -> list[str]:
        bad = {e.path for e in self.errors}
        return [f for f in self.files if f in bad]


def language(lang: str | None = None) -> str:
    """The language a case is shown in: ``lang``, or the current one (:mod:`npkit.i18n`)."""
    return i18n.normalise(i18n.current() if lang is None else lang)


def case_files(*paths: str | Path) -> Iterator[Path]:
    """The case files that ``paths`` name: files as given, directories' ``*.yaml``/``*.yml``."""
    seen: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(
                f for f in p.iterdir()
                if f.suffix in CASE_SUFFIXES and f.is_file() and not f.name.startswith(".")
            )
        else:
            found = [p]
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                yield f
