"""Reuse a law module's finding when the facts it read are unchanged.

A counterfactual search evaluates hundreds of fact sets that differ from the case in one or
two fields; most tests read only a few fields, so most of their findings would come out the
same. :class:`ReadMemo` runs a test once on a *traced* view of the facts that records every
field the test reads, and files the finding under the values of exactly those fields. Later
facts that agree on those fields get the same finding back.

This is sound because the law modules are pure functions of the facts: a test that reads
the same values takes the same branches, reads nothing else and returns the same finding.
A test that copies the facts (``dataclasses.replace``) reads every field in doing so, so it
is simply never reused across different facts. Findings are shared, so they must not be
mutated after they are made (the cached :func:`npkit.engine.assessment.evaluate` already relies on
that).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import fields
from operator import attrgetter
from typing import Any, TypeVar

from npkit.engine.intern import Interner
from npkit.law.facts import Facts
from npkit.law.wording import is_unworded, unworded

T = TypeVar("T")
_FIELDS = frozenset(f.name for f in fields(Facts))  # stored fields (not the InitVar)
ALL_FIELDS = _FIELDS  # what a computation whose reads were not traced may have read
_MISSING = object()
MAX_ENTRIES = 50_000  # findings kept across all memos before they are all dropped


class _Traced:
    """A view of facts that notes which fields are read. It copies nothing (a counterfactual
    search makes thousands): each field is a property that notes its name and reads the facts
    beneath; Facts' own properties (``is_child`` ...) are borrowed, so they read through those.
    A copy made from it (``dataclasses.replace``) is plain :class:`Facts`."""

    __slots__ = ("_facts", "_reads")
    __dataclass_fields__ = Facts.__dataclass_fields__  # so dataclasses.replace accepts it

    def __new__(cls, **values: Any) -> Facts:  # what dataclasses.replace builds from a view
        return Facts(**values)


def _field(name: str) -> property:
    get = attrgetter(name)

    def read(self: _Traced) -> Any:
        self._reads.add(name)
        return get(self._facts)

    return property(read)


for _name in sorted(_FIELDS):
    setattr(_Traced, _name, _field(_name))
for _name, _value in vars(Facts).items():
    if isinstance(_value, property):
        setattr(_Traced, _name, _value)
for _name in Facts.__dataclass_fields__.keys() - _FIELDS:  # an InitVar: its default, as Facts
    setattr(_Traced, _name, getattr(Facts, _name))
_FACTS = _Traced.__dict__["_facts"]
_READS = _Traced.__dict__["_reads"]


def _traced(f: Facts) -> tuple[_Traced, set[str]]:
    view = object.__new__(_Traced)
    _FACTS.__set__(view, f)
    reads: set[str] = set()
    _READS.__set__(view, reads)
    return view, reads


def _getter(fields: tuple[str, ...]) -> Callable[[Facts], Any]:
    """The values of ``fields`` in a Facts, as a table of one :class:`ReadMemo` keys on them:
    a tuple, or the bare value for one field (each table has one getter, so keys never mix)."""
    return attrgetter(*fields) if fields else (lambda f: ())


class ReadMemo:
    """Findings of one test, filed by the values of the fields each computation read.
    ``unworded``: worked out within :func:`npkit.law.wording.unworded` (outcomes only)."""

    def __init__(self, unworded: bool = False, owner: MemoSet | None = None) -> None:
        self.unworded = unworded
        self._owner = owner
        # read fields -> (their values in a Facts, {(inputs, values): finding}, the fields)
        self._tables: dict[tuple[str, ...],
                           tuple[Callable, dict[tuple, Any], frozenset[str]]] = {}
        self.size = 0

    def get(self, f: Facts, compute: Callable[[Facts], T], inputs: Hashable = ()) -> T:
        """``compute(f)``, or a finding computed earlier from facts that agreed with ``f`` on
        every field that computation read. ``inputs`` keys anything else it depends on
        (e.g. the identity of the victim finding it is given)."""
        return self.get_traced(f, compute, inputs)[0]

    def get_traced(self, f: Facts, compute: Callable[[Facts], T], inputs: Hashable = (),
                   intern: Callable[[T], T] | None = None) -> tuple[T, frozenset[str]]:
        """:meth:`get`, and the fields ``compute(f)`` reads: facts that agree with ``f`` on
        them get the same finding, which lets the counterfactual search skip fact changes
        that cannot change it. ``intern`` may swap a new finding for an earlier one that
        cannot be told apart from it (:mod:`npkit.engine.intern`)."""
        for getter, table, read in self._tables.values():
            hit = table.get((inputs, getter(f)), _MISSING)
            if hit is not _MISSING:
                return hit, read
        traced, reads = _traced(f)
        if self.unworded:
            with unworded():
                result = compute(traced)
        else:
            result = compute(traced)
        if intern is not None:
            result = intern(result)
        fields = tuple(sorted(reads))
        entry = self._tables.get(fields)
        if entry is None:
            entry = self._tables[fields] = (_getter(fields), {}, frozenset(fields))
        entry[1][(inputs, entry[0](f))] = result
        self.size += 1
        if self._owner is not None:
            self._owner.size += 1
        return result, entry[2]

    def clear(self) -> None:
        self._tables.clear()
        self.size = 0


class MemoSet:
    """One :class:`ReadMemo` per test, dropped together when they grow too large.
    ``unworded``: its findings carry outcomes, not words (:class:`ReadMemo`)."""

    def __init__(self, unworded: bool = False) -> None:
        self.unworded = unworded
        self._memos: dict[Hashable, ReadMemo] = {}
        self.intern = Interner()  # shared: what rests on a finding is filed by its identity
        self.size = 0  # findings computed (not reused) since the memos were last dropped

    def __call__(self, key: Hashable) -> ReadMemo:
        memo = self._memos.get(key)
        if memo is None:
            memo = self._memos[key] = ReadMemo(self.unworded, self)
        return memo

    def trim(self) -> None:
        if self.size > MAX_ENTRIES:
            self.clear()

    def clear(self) -> None:
        for memo in self._memos.values():
            memo.clear()
        self.intern.clear()
        self.size = 0


# The parts of a test (a duress condition, the victim test's elements), each filed by the
# values of the fields it read: a counterfactual changes one or two fields, and most parts of
# a test it reruns read none of them (npkit.law.duress, npkit.law.trafficking).
SUBTESTS = MemoSet()


def subtest(fn: Callable[..., T], f: Facts, *args: Hashable) -> T:
    """``fn(f, *args)``, reused for facts that agree with ``f`` on every field it read. Only
    inside an engine evaluation (``f`` a traced view, see :class:`ReadMemo`): there the fields
    it read are noted on ``f`` as if ``fn`` had read them itself, so the finding of the whole
    test is still filed under everything it rests on. Called on plain facts (a unit test, a
    rule page), ``fn`` simply runs. Worded and unworded findings are filed apart."""
    if type(f) is not _Traced:
        return fn(f, *args)
    found, read = SUBTESTS((fn, is_unworded())).get_traced(
        f._facts, lambda g: fn(g, *args), args)
    f._reads.update(read)
    return found
