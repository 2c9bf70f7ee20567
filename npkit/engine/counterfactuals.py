"""What would have to change? The smallest sets of fact changes (one or two) that flip an
outcome, e.g. "duress would succeed for Jane if the threat aimed at her had been imminent and of
serious harm".

Changes are drawn from a fixed catalogue of plausible variations of the facts; a pair is only
reported when neither of its changes flips the outcome alone, and never combines two changes of
the same fact. Each change carries its edits as data (:class:`Edit`: field, from, to), so a
reported counterfactual can be re-applied to the facts (:func:`apply_edits`) and checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from itertools import combinations
from operator import attrgetter
from typing import Any

from npkit.engine.gcpause import gc_paused
from npkit.engine.memo import ALL_FIELDS
from npkit.law.facts import Facts, ThreatFact
from npkit.law.wording import Words, joined, term, worded


@dataclass(frozen=True, slots=True)
class Edit:
    """One fact changed: ``field`` is a :class:`Facts` field, or ``threats[i].<attribute>``;
    ``before`` and ``after`` are plain values (sets as sorted lists, threats as mappings)."""

    field: str
    before: Any
    after: Any

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.field, "from": self.before, "to": self.after}


@dataclass(frozen=True, slots=True)
class Change:
    key: str  # what it changes; two changes of the same key are never combined
    text: Words  # "the threat ... had been imminent" (a wording code and its parameters)
    facts: Facts  # f with only this change applied
    apply: object  # callable Facts -> Facts
    edits: tuple[Edit, ...] = ()  # the same change as data

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(e.field for e in self.edits)


@dataclass(frozen=True, slots=True)
class Step:
    """One change of a counterfactual: its text and its edits."""

    text: str
    edits: tuple[Edit, ...]


@dataclass(frozen=True, slots=True)
class Counterfactual:
    path: str
    before: str
    after: str
    changes: tuple[str, ...]
    steps: tuple[Step, ...] = ()  # the changes as data, one step per catalogue change

    @property
    def edits(self) -> tuple[Edit, ...]:
        return tuple(e for s in self.steps for e in s.edits)

    def sentence(self) -> str:
        return f"{self.path}: {self.before} -> {self.after} if " + " and ".join(self.changes)

    def to_dict(self) -> dict[str, object]:
        return {"path": self.path, "from": self.before, "to": self.after,
                "changes": list(self.changes),
                "edits": [{**e.to_dict(), "change": i}
                          for i, s in enumerate(self.steps) for e in s.edits],
                "text": self.sentence()}


def _plain_value(value: Any) -> Any:
    if isinstance(value, frozenset):
        return sorted(value)
    if isinstance(value, ThreatFact):
        return {"target": value.target, "severity": value.severity,
                "imminence": value.imminence}
    if isinstance(value, tuple):
        return [_plain_value(v) for v in value]
    return value


def diff(f: Facts, g: Facts) -> tuple[Edit, ...]:
    """The edits that turn ``f`` into ``g``."""
    out = []
    for fd in fields(Facts):
        a, b = getattr(f, fd.name), getattr(g, fd.name)
        if a == b:
            continue
        if fd.name == "threats" and len(a) == len(b):
            for i, (ta, tb) in enumerate(zip(a, b, strict=True)):
                for attr in ("target", "severity", "imminence"):
                    if getattr(ta, attr) != getattr(tb, attr):
                        out.append(Edit(f"threats[{i}].{attr}", getattr(ta, attr),
                                        getattr(tb, attr)))
        else:
            out.append(Edit(fd.name, _plain_value(a), _plain_value(b)))
    return tuple(out)


_NAMES = tuple(fd.name for fd in fields(Facts))
_ALL = attrgetter(*_NAMES)
_INDEX = {name: i for i, name in enumerate(_NAMES)}


def _evolve(f: Facts, **changes: Any) -> Facts:
    """``dataclasses.replace(f, **changes)`` at half the cost (the search makes a set of facts
    for every pair it tries)."""
    values = list(_ALL(f))
    for name, value in changes.items():
        values[_INDEX[name]] = value
    return Facts(*values)


_THREAT_FIELD = re.compile(r"^threats\[(\d+)\]\.(target|severity|imminence)$")


def apply_edits(f: Facts, edits: tuple[Edit, ...] | list[Edit]) -> Facts:
    """``f`` with ``edits`` applied; an edit whose ``before`` is not what ``f`` holds is refused
    (the counterfactual was made from other facts)."""
    for e in edits:
        m = _THREAT_FIELD.match(e.field)
        if m:
            i, attr = int(m[1]), m[2]
            current = getattr(f.threats[i], attr)
            if current != e.before:
                raise ValueError(f"{e.field} is {current!r}, not {e.before!r}")
            threats = list(f.threats)
            threats[i] = replace(threats[i], **{attr: e.after})
            f = _evolve(f, threats=tuple(threats))
            continue
        current = getattr(f, e.field)
        if _plain_value(current) != e.before:
            raise ValueError(f"{e.field} is {_plain_value(current)!r}, not {e.before!r}")
        if e.field == "threats":
            value: Any = tuple(ThreatFact(**t) for t in e.after)
        elif isinstance(current, frozenset):
            value = frozenset(e.after)
        else:
            value = e.after
        f = _evolve(f, **{e.field: value})
    return f


def _threat(t: ThreatFact, how: Words) -> Words:
    """"the threat of death to them (remote) had been imminent"."""
    target = worded("change.threat.them") if t.target == "self" else term(t.target)
    harm = worded("change.threat.unspecified") if t.severity == "unspecified" else term(
        t.severity)
    return worded("change.threat", harm=harm, target=target, imminence=term(t.imminence),
                  how=how)


# yes/no facts: a change to True, a change to False (wording codes change.<field>.on / .off)
FLAGS = ["escape_opportunity", "voluntary_association", "informed_consent",
         "ordered_by_trafficker", "connected_to_exploited_work", "but_for_trafficking"]
# rewards -> (the value it changes to, the wording code): the same sentences as the old yes/no
# fact
REWARDS = {
    "none": ("instead_of_coercion", "change.rewards.instead"),
    "instead_of_coercion": ("none", "change.rewards.coercion"),
    "alongside_coercion": ("none", "change.rewards.not_alongside"),
}


def catalogue(f: Facts) -> Iterator[tuple[str, Words, callable]]:
    """(key, text, change) for each plausible variation of ``f``; a threat's text is
    ``worded("change.threat", ..., how=...)``, so two changes of one threat can be read as one
    (:func:`_join`)."""
    for i, t in enumerate(f.threats):
        def set_threat(g: Facts, i=i, **kw) -> Facts:
            threats = list(g.threats)
            if i >= len(threats):
                return g
            threats[i] = replace(threats[i], **kw)
            return replace(g, threats=tuple(threats))

        if t.imminence != "imminent":
            yield (f"threat{i}.imminence", _threat(t, worded("change.threat.imminent")),
                   lambda g, s=set_threat: s(g, imminence="imminent"))
        if t.target != "self":
            yield (f"threat{i}.target", _threat(t, worded("change.threat.aimed")),
                   lambda g, s=set_threat: s(g, target="self"))
        for sev in ("death", "serious_harm"):
            if t.severity != sev:
                yield (f"threat{i}.severity",
                       _threat(t, worded("change.threat.severity", severity=term(sev))),
                       lambda g, s=set_threat, sev=sev: s(g, severity=sev))
    if not f.threats:
        new = ThreatFact("self", "serious_harm", "imminent")
        yield ("threats", worded("change.new_threat"), lambda g: replace(g, threats=(new,)))
    for name in FLAGS:
        value = getattr(f, name)
        yield (name, worded(f"change.{name}.{'off' if value else 'on'}"),
               lambda g, n=name, v=value: replace(g, **{n: not v}))
    to, code = REWARDS.get(f.rewards, REWARDS["none"])
    yield ("rewards", worded(code), lambda g, to=to: replace(g, rewards=to))
    if f.harmed_other_victims:  # the other way is no plausible variation of a case
        yield ("harmed_other_victims", worded("change.harmed_other_victims.off"),
               lambda g: replace(g, harmed_other_victims=False))
    if f.means:
        yield ("means", worded("change.means.none"), lambda g: replace(g, means=frozenset()))
    if "threat_of_force" not in f.means:
        yield ("means.threat", worded("change.means.threat"),
               lambda g: replace(g, means=g.means | {"threat_of_force"}))
    if not f.means:
        yield ("means.deception", worded("change.means.deception"),
               lambda g: replace(g, means=g.means | {"deception"}))
    if f.is_child:
        yield ("age", worded("change.age.adult"), lambda g: replace(g, age=25))
    else:
        yield ("age", worded("change.age.child"), lambda g: replace(g, age=16))
    if f.offence_type != "overstay":
        yield ("offence", worded("change.offence.status"),
               lambda g: replace(g, offence_type="overstay", offence_category="status"))
    if f.committed != "during":
        yield ("committed", worded("change.committed.during"),
               lambda g: replace(g, committed="during"))
    if f.harm not in ("none", "property_minor"):
        yield ("harm", worded("change.harm.small"),
               lambda g: replace(g, harm="property_minor"))


def changes(f: Facts) -> list[Change]:
    out = []
    for key, text, fn in catalogue(f):
        g = fn(f)
        out.append(Change(key, text, g, fn, diff(f, g)))
    return out


def _touched(c: Change) -> frozenset[str]:
    """The :class:`Facts` fields ``c`` changes. If the outcome reached with change ``i`` alone
    read none of the fields change ``j`` touches, adding ``j`` cannot change that outcome (the
    law is a pure function of the fields it reads, :mod:`npkit.engine.memo`), and ``i`` alone
    does not flip it, or the pair would not be tried: the pair need not be evaluated."""
    return frozenset(e.field.partition("[")[0] for e in c.edits)


def _join(a: Change, b: Change) -> tuple[str, ...]:
    """Two changes to the same threat read as one: "the threat ... had been imminent and of
    serious harm"."""
    if a.key.startswith("threat") and a.key.split(".")[0] == b.key.split(".")[0]:
        code, pa = a.text.parts
        pb = dict(b.text.parts[1])
        params = dict(pa)
        if all(params[k] == pb[k] for k in params if k != "how"):
            params["how"] = joined((params["how"], pb["how"]), "and")
            return (worded(code, **params),)
    return (a.text, b.text)


def counterfactuals(f: Facts, *, per_outcome: int = 3) -> list[Counterfactual]:
    """For each outcome, up to ``per_outcome`` minimal sets of one or two changes that flip it."""
    with gc_paused():  # npkit.engine.gcpause: the search makes findings by the ten thousand
        return _search(f, per_outcome)


def _search(f: Facts, per_outcome: int) -> list[Counterfactual]:
    from npkit.engine.assessment import LazyEvaluation, evaluate

    whole = evaluate(f)
    base = whole.outcomes()
    cands = changes(f)
    touched = [_touched(c) for c in cands]
    singles = [LazyEvaluation(c.facts, outcomes_only=True) for c in cands]
    pairs: dict[tuple[int, int], LazyEvaluation] = {}  # each outcome evaluated at most once

    def alone(i: int, path: str) -> tuple[str, frozenset[str]]:
        """Change ``i``'s outcome at ``path`` and the fields it read. Facts that agree with
        ``f`` on every field ``f``'s outcome read reach it the same way (npkit.engine.memo):
        only a change of one of those fields needs the outcome worked out again."""
        read = whole.reads.get(path, ALL_FIELDS)
        if not touched[i] & read:
            return base[path], read
        return singles[i].outcome(path), singles[i].reads.get(path, ALL_FIELDS)

    def pair(i: int, j: int, path: str) -> str:
        if (i, j) not in pairs:
            # cands[i].facts is f with i's edits applied (tests/test_counterfactual_pruning.py)
            pairs[i, j] = LazyEvaluation(apply_edits(cands[i].facts, cands[j].edits),
                                         outcomes_only=True, note_reads=False)
        return pairs[i, j].outcome(path)

    def step(c: Change) -> Step:
        return Step(c.text, c.edits)

    fields_of = [c.fields for c in cands]
    # the pairs that may be combined at all, in the order they are tried
    allowed = [(i, j) for i, j in combinations(range(len(cands)), 2)
               if cands[i].key != cands[j].key and not fields_of[i] & fields_of[j]
               and cands[i].edits and cands[j].edits]  # not two changes of one fact
    found: list[Counterfactual] = []
    for path, before in base.items():
        if ".conditions." in path:
            continue  # conditions are explained inside the duress outcome
        single = [alone(i, path) for i in range(len(cands))]
        hits = [Counterfactual(path, str(before), str(single[i][0]), (c.text,), (step(c),))
                for i, c in enumerate(cands) if single[i][0] != before]
        flips = {i for i in range(len(cands)) if single[i][0] != before}
        read = [r for _, r in single]
        for i, j in allowed:
            if len(hits) >= per_outcome:
                break
            if i in flips or j in flips:
                continue
            if touched[j].isdisjoint(read[i]) or touched[i].isdisjoint(read[j]):
                continue  # the pair reaches what one change alone reaches: see _touched
            after = pair(i, j, path)
            if after != before:
                hits.append(Counterfactual(path, str(before), str(after),
                                           _join(cands[i], cands[j]),
                                           (step(cands[i]), step(cands[j]))))
        found.extend(hits[:per_outcome])
    return found
