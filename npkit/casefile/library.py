"""The case library the training modules and dashboards read: every valid case, plus a
readable error for every broken file (a broken file never hides the others).

The cases come in teaching order (npkit/casefile/data/teaching_order.yaml: Jane, John and
Sarah first), so every case picker offers them in that order; a case the order does not name
follows, by id.
"""

from __future__ import annotations

import os
from functools import cache, lru_cache, partial
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from npkit.casefile.cache import cached_load
from npkit.casefile.case import Case, Slug
from npkit.casefile.results import LoadResult, language
from npkit.datacache import shared_data
from npkit.paths import shipped_cases

TEACHING_ORDER = Path(__file__).with_name("data") / "teaching_order.yaml"


class TeachingOrder(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    order: tuple[Slug, ...]

    @field_validator("order")
    @classmethod
    def _once_each(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        twice = sorted({c for c in v if v.count(c) > 1})
        if twice:
            raise ValueError(f"listed more than once: {', '.join(twice)}")
        return v


def load_teaching_order(path: Path = TEACHING_ORDER) -> tuple[str, ...]:
    """The case ids of ``path`` in teaching order; a ValueError naming the file and the
    problem when it cannot be used."""
    import yaml  # read only when the shared cache has no entry

    # libyaml's parser when PyYAML has it: the same data, several times faster
    safe = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        raw = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=safe)
        return TeachingOrder.model_validate(raw).order
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: cannot be read ({exc})") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'order'}: "
                             f"{str(e['msg']).removeprefix('Value error, ')}"
                             for e in exc.errors())
        raise ValueError(f"{path}: {problems}") from None


@cache
def teaching_order() -> tuple[str, ...]:
    return shared_data("teaching-order", [TEACHING_ORDER], load_teaching_order, tuple)


def in_teaching_order(cases: list[Case], order: tuple[str, ...] | None = None) -> list[Case]:
    """``cases`` in ``order`` (default: :func:`teaching_order`); the others after, by id."""
    rank = {case_id: n for n, case_id in enumerate(teaching_order() if order is None else order)}
    return sorted(cases, key=lambda c: (rank.get(c.id, len(rank)), c.id))


def cases_dir() -> Path:
    """Where the case files are: ``$NPKIT_CASES``, else the cases that come with npkit
    (``cases/`` in a source checkout, the copy inside an installed wheel)."""
    env = os.environ.get("NPKIT_CASES")
    if env:
        return Path(env)
    return shipped_cases()


def load_cases(*paths: str | Path, lang: str | None = None) -> LoadResult:
    """:func:`npkit.casefile.loader.load_cases`: the YAML reader is imported only when the
    shared cache has no entry (issue 16)."""
    from npkit.casefile import loader

    return loader.load_cases(*paths, lang=lang)


@lru_cache(maxsize=8)
def _load(path: str, stamp: tuple, lang: str) -> LoadResult:
    # validated once per language, shared by every kernel
    result = cached_load(Path(path), partial(load_cases, lang=lang), lang)
    result.cases = in_teaching_order(result.cases)
    return result


def library(path: str | Path | None = None, lang: str | None = None) -> LoadResult:
    """All cases in ``path`` (default: :func:`cases_dir`), in teaching order, in ``lang``
    (default: the current language). Cached until a file changes."""
    root = Path(path) if path else cases_dir()
    stamp = tuple(sorted((p.name, p.stat().st_mtime_ns) for p in root.glob("*.y*ml"))) \
        if root.is_dir() else ()
    return _load(str(root), stamp, language(lang))


def get_case(case_id: str, path: str | Path | None = None, lang: str | None = None):
    for case in library(path, lang).cases:
        if case.id == case_id:
            return case
    raise KeyError(f"no case {case_id!r} in {path or cases_dir()}")
