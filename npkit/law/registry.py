"""The rule registry: every legal test npkit applies, in one place (Catala's style: the rule,
our paraphrase of it, where it comes from and its named exceptions, side by side).

Each law module declares its rules in a module-level ``RULES`` tuple of :class:`Rule`, next to
the functions that apply them (or a ``RULES()`` function, where the rules come from data rows
such as the jurisdictions). A rule's ``id`` is the ``test`` of the finding it produces
(``victim.means``, ``duress.malaysia.imminent_threat``, ``models.causation``,
``jurisdictions.PH``), so a finding can always be traced back to its entry, and back again.
:func:`rules` gathers every module's entries and refuses an id declared twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from npkit.law.citations import Citation


@dataclass(frozen=True, slots=True)
class Exception_:
    """A named exception to a rule (Catala's ``exception``): when it applies, the finding's
    ``exception`` is this id and its reason cites ``citation``."""

    id: str  # e.g. "victim.means.child"
    title: str  # "Child: no means needed"
    summary: str  # our paraphrase
    citation: Citation


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    function: Callable  # the function that applies it
    outcomes: tuple[str, ...]
    summary: str  # one line, in our own words
    citations: tuple[Citation, ...]
    exceptions: tuple[Exception_, ...] = ()
    short: str = ""  # a label for tables and widgets where the title is too long
    # ids in npkit/law/data/parameters.yaml that the rule's own function reads (the age line,
    # a weight, a rank); `npkit rule ID` and docs/rules.md show them with their references
    parameters: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.short or self.title

    @property
    def where(self) -> str:
        """``module:function`` of the code that applies the rule."""
        fn = getattr(self.function, "func", self.function)  # functools.partial
        return f"{fn.__module__}:{fn.__qualname__}"


# The modules that declare RULES, in the order the assessment runs them.
LAW_MODULES = (
    "npkit.law.trafficking",
    "npkit.law.duress",
    "npkit.law.models.compulsion",
    "npkit.law.models.causation",
    "npkit.law.models.closed_list",
    "npkit.law.models.presumption",
    "npkit.law.models.dual_factor",
    "npkit.law.jurisdictions",
)


@cache
def rules() -> dict[str, Rule]:
    """Every rule by id, in assessment order."""
    from importlib import import_module

    out: dict[str, Rule] = {}
    for name in LAW_MODULES:
        declared = getattr(import_module(name), "RULES", ())
        for rule in declared() if callable(declared) else declared:
            if rule.id in out:
                raise ValueError(f"rule {rule.id!r} is declared twice ({name})")
            out[rule.id] = rule
    return out


def rule(rule_id: str) -> Rule:
    try:
        return rules()[rule_id]
    except KeyError:
        raise KeyError(f"no rule {rule_id!r}; `npkit rule --list` lists them") from None


# --- queries: everything that lists rules (the ``expected:`` grammar, the docs, the README's
# JSON table, widget labels, quiz keys) asks these instead of typing the list again.

# The groups of outcomes ``npkit assess`` reports, each a dict of named findings.
GROUPS = ("duress", "models", "jurisdictions", "instruments")
# The outcomes of a test that is part of an outcome (a condition, an element), not one itself.
TEST_OUTCOMES = ("met", "not_met")


def ids(group: str) -> tuple[str, ...]:
    """The outcome rules of a group, in assessment order: ``duress.england_wales``,
    ``models.causation``, ``jurisdictions.PH`` (not the tests inside them, such as
    ``models.causation.but_for`` or the shared ``jurisdictions.coverage``)."""
    return tuple(rid for rid, r in rules().items()
                 if rid.count(".") == 1 and rid.split(".")[0] == group
                 and r.outcomes != TEST_OUTCOMES)


def names(group: str) -> tuple[str, ...]:
    """The names in a group: ``england_wales``, ``causation``, ``PH``."""
    return tuple(rid.split(".", 1)[1] for rid in ids(group))


def variants() -> tuple[str, ...]:
    """The duress variants: ``england_wales``, ``malaysia``, ``rome_statute``."""
    return names("duress")


def conditions(variant: str) -> tuple[str, ...]:
    """The conditions npkit reports for a duress variant (``imminent_threat`` ...)."""
    prefix = f"duress.{variant}."
    return tuple(rid[len(prefix):] for rid in rules()
                 if rid.startswith(prefix) and "." not in rid[len(prefix):])


def outcomes(rule_id: str) -> tuple[str, ...]:
    """The outcome words a rule can give."""
    return rule(rule_id).outcomes


def group_outcomes(group: str) -> tuple[str, ...]:
    """Every outcome word a group's rules can give, in order of first appearance
    (``victim`` is the group of one rule, ``victim``)."""
    found: dict[str, None] = {}
    for rid in (group,) if group == "victim" else ids(group):
        found.update(dict.fromkeys(outcomes(rid)))
    return tuple(found)


def label(rule_id: str) -> str:
    """A rule's short label for tables and widgets (its title when it has none)."""
    return rule(rule_id).label
