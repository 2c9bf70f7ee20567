"""Apply a jurisdiction's (or an international instrument's) non-punishment provision.

The rows are data (``npkit/law/data/jurisdictions.yaml``, ``instruments.yaml``): a link model, the
offences covered and any discretion. This module only reads them: a state with no provision
does not protect; otherwise the offence must be covered and the state's link model must hold;
where the text leaves the authorities a choice, the outcome is ``discretionary``. Instruments
may also be ``conditional`` (a status the case does not record) or ``guidance`` (case law).

The Philippines' provision (RA 9208 s 17, as Fitzgerald 2024 IV.A.2 quotes it) adds a second
route: acts done in obedience to the trafficker's order. It lives here, once, as the row's
named exception ``jurisdictions.PH.obedience``; when it is what protects the person, the
finding's decisive reason says obedience, not causation.

Every node names the reason that settled it (``decisive``): the victim gate, the coverage test,
the failing link test's own reason, the discretion, or a full sentence saying why the person is
protected; the caveats it rests on (a row that is npkit's reading, the model's reading) are in
``also_rests_on`` so they show at the outcome.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from npkit.engine.findings import Finding, Reason, condition
from npkit.engine.memo import subtest
from npkit.law.citations import DOMESTIC_LAW, Citation, asean, fitz
from npkit.law.facts import Facts
from npkit.law.registry import Exception_, Rule
from npkit.law.wording import Words, catalogue, joined, term, worded

# The words for a row's model, one per 'jurisdictions.model.<model>' in the wording files.
MODEL_WORDS = {code.rsplit(".", 1)[1]: worded(code) for code in catalogue()
               if code.startswith("jurisdictions.model.")}
DISCRETION_TEXT = {d: worded(f"jurisdictions.discretion.{d}")
                   for d in ("ministerial_permission", "shall_consider", "entitled")}
ACTIP = fitz("IV.A.2", "ACTIP 2015 art 14(7)")


@dataclass(frozen=True, slots=True, eq=False)
class RowSpec:
    """A data row read once into plain values (rows are applied thousands of times when
    counterfactuals are searched). One per data row (:func:`spec`), so it is compared and
    hashed by identity: cheaply, as the memo of a row's parts keys on it."""

    name: str
    code: str
    kind: str
    summary: str
    model: str
    has_provision: bool
    covered: tuple[str, ...]
    obedience_to_order: bool
    requires_forced_labour: bool
    discretion: str
    applies_only_to: str
    cite: Citation
    obedience_cite: Citation | None = None


_SPECS: dict[int, tuple[Any, RowSpec]] = {}


def spec(row: Any) -> RowSpec:
    """The row as a :class:`RowSpec`, made once per row object (keyed by identity, with the
    row kept alive so an id is never reused; hashing a pydantic model is slow)."""
    hit = _SPECS.get(id(row))
    if hit is not None and hit[0] is row:
        return hit[1]
    made = _spec(row)
    _SPECS[id(row)] = (row, made)
    return made


def _spec(row: Any) -> RowSpec:
    cites = row.citations
    return RowSpec(
        name=getattr(row, "name", ""), code=getattr(row, "code", ""),
        kind=getattr(row, "kind", ""), summary=row.summary, model=row.model,
        has_provision=getattr(row, "has_provision", True),
        covered=tuple(row.offences_covered),
        obedience_to_order=getattr(row, "obedience_to_order", False),
        requires_forced_labour=getattr(row, "requires_forced_labour", False),
        discretion=getattr(row, "discretion", "none"),
        applies_only_to=getattr(row, "applies_only_to", ""),
        cite=cites[0] if cites else asean(DOMESTIC_LAW),
        obedience_cite=getattr(row, "obedience_citation", None),
    )


def _scope(covered: tuple[str, ...]) -> Words:
    if "any" in covered:
        return worded("jurisdictions.scope.any")
    return joined(map(term, covered))


def _text(test: str, field: str, english: str) -> Words:
    """A text field of a law data row (npkit/law/data): translated next to the English there,
    so a page finds it by the row (``test`` is ``<group>.<key>``) and the field."""
    return Words(english, "row", (test, field))


def _coverage(f: Facts, row: RowSpec, group: str) -> Finding:
    covered = row.covered
    holds = "any" in covered or f.offence_type in covered
    why = Reason.of(f"{group}.coverage.{'covered' if holds else 'not_covered'}", row.cite,
                    scope=_scope(covered), offence=term(f.offence_type))
    return condition(f"{group}.coverage", "Offence covered", holds, [why], covered=covered)


def _obedience(f: Facts, row: RowSpec, test: str) -> Finding:
    cite = row.obedience_cite or row.cite
    return condition(
        f"{test}.obedience", "In obedience to the trafficker's order", f.ordered_by_trafficker,
        [Reason.of("jurisdictions.obedience.yes" if f.ordered_by_trafficker
                   else "jurisdictions.obedience.no", cite)])


def _guidance(row: RowSpec, test: str) -> Finding:
    summary = Reason.of("instruments.summary", row.cite,
                        summary=_text(test, "summary", row.summary))
    why = Reason.of("instruments.guidance.case_law", row.cite)
    return Finding(test, row.name or test, "guidance", None, (summary, why), {"kind": "case_law"},
                   decisive=why)


def _no_provision(row: RowSpec, test: str, group: str) -> Finding:
    why = Reason.of(f"{group}.no_provision", row.cite,
                    name=_text(test, "name", row.name) if row.name else test)
    reasons = [why]
    if row.code:
        reasons.append(Reason.of("jurisdictions.no_provision.actip", ACTIP))
    return Finding(test, row.name or test, "not_protected", False, tuple(reasons),
                   {"model": "none"}, decisive=why)


def _link(f: Facts, row: RowSpec, models: dict[str, Finding], group: str
          ) -> tuple[bool, list[Finding], Reason | None, tuple[Reason, ...]]:
    """(link holds, children, the failing link test's decisive reason, caveats it rests on)."""
    victim = models["_victim"]
    if row.requires_forced_labour:
        fl = victim.child("purpose").child("forced_labour")
        link = bool(fl.holds) and bool(victim.holds) and f.but_for_trafficking
        fail = None if link else (
            (fl.decisive or fl.reasons[0]) if not fl.holds else
            Reason.of("instruments.forced_labour.not_but_for", row.cite))
        return link, [fl], fail, ()
    if row.model == "closed_list":  # the row's own list did the work in coverage
        return bool(victim.holds), [], None, ()
    model = models[row.model]
    rests = ((model.decisive,) if model.decisive else ()) + model.also_rests_on
    return bool(model.holds), [model], None if model.holds else model.decisive, rests


def apply_row(f: Facts, data_row: Any, models: dict[str, Finding], test: str) -> Finding:
    """The outcome of one jurisdiction or instrument for these facts."""
    row = spec(data_row)
    group = test.split(".", 1)[0]
    cite = row.cite
    name = row.name or test
    if row.kind == "case_law":
        return _guidance(row, test)
    if row.model == "none" or not row.has_provision:
        return _no_provision(row, test, group)
    victim = models["_victim"]
    coverage = subtest(_coverage, f, row, group)  # reused where the offence is the same
    link, link_children, link_fail, rests = _link(f, row, models, group)
    children = [coverage, *link_children]
    model_words = MODEL_WORDS.get(row.model, row.model)
    exception = ""
    obeyed = False
    if row.obedience_to_order:
        ob = _obedience(f, row, test)
        children.append(ob)
        obeyed = bool(victim.holds and ob.holds and not link)
        link = link or obeyed
    holds = bool(coverage.holds and link)
    facts = {"model": row.model, "discretion": row.discretion}
    reasons: list[Reason] = []
    if not victim.holds:
        decisive = Reason.of(f"{group}.not_victim", (victim.decisive or victim.reasons[0]).source)
        reasons.append(decisive)
    elif not coverage.holds:
        decisive = coverage.decisive
        reasons.append(decisive)
    elif not link:
        context = Reason.of(f"{group}.link_missing", cite, model=model_words)
        reasons.append(context)
        decisive = link_fail or context
        if not any(decisive is r for c in children for n in c.walk() for r in n.reasons):
            reasons.append(decisive)  # a reason of this row's own, not a child's
        rests = (context,) + rests
    elif row.discretion in DISCRETION_TEXT:
        decisive = Reason.of(f"{group}.discretionary", cite,
                             discretion=DISCRETION_TEXT[row.discretion])
        reasons.append(decisive)
        return Finding(test, name, "discretionary", None, tuple(reasons), facts,
                       tuple(children), decisive=decisive, also_rests_on=rests)
    elif row.applies_only_to:
        decisive = Reason.of("instruments.conditional", cite,
                             only=_text(test, "applies_only_to", row.applies_only_to))
        reasons.append(decisive)
        return Finding(test, name, "conditional", None, tuple(reasons),
                       {"model": row.model, "applies_only_to": row.applies_only_to},
                       tuple(children), decisive=decisive, also_rests_on=rests)
    elif obeyed:
        decisive = Reason.of("jurisdictions.obedience.decides", row.obedience_cite or cite,
                             model=model_words)
        reasons.append(decisive)
        exception = f"{test}.obedience"
        rests = ()  # the failed model did not decide
    else:
        decisive = Reason.of(f"{group}.protected", cite, scope=_scope(row.covered),
                             model=model_words)
        reasons.append(decisive)
    return Finding(test, name, "protected" if holds else "not_protected", holds, tuple(reasons),
                   facts, tuple(children), decisive=decisive, exception=exception,
                   also_rests_on=rests)


# --- the registry ----------------------------------------------------------------------------


def _outcomes(row: RowSpec) -> tuple[str, ...]:
    if row.kind == "case_law":
        return ("guidance",)
    if row.model == "none" or not row.has_provision:
        return ("not_protected",)
    if row.discretion in DISCRETION_TEXT:
        return ("discretionary", "not_protected")
    if row.applies_only_to:
        return ("conditional", "not_protected")
    return ("protected", "not_protected")


def _summary(row: RowSpec) -> str:
    """One line made from the row's data (the row's own summary is a paragraph)."""
    if row.kind == "case_law":
        return "A judgment that guides how states apply the principle; not applied as a test."
    if row.model == "none" or not row.has_provision:
        return "No explicit non-punishment provision: only general defences and ACTIP remain."
    text = f"A {MODEL_WORDS.get(row.model, row.model)} provision covering {_scope(row.covered)}"
    if row.obedience_to_order:
        text += ", and acts done in obedience to the trafficker's order"
    if row.requires_forced_labour:
        text += ", for victims of forced labour"
    if row.applies_only_to:
        text += f", for {row.applies_only_to} only"
    if row.discretion in DISCRETION_TEXT:
        text += f"; {DISCRETION_TEXT[row.discretion]}"
    return text + "."


def _obedience_exception(test: str, row: RowSpec) -> Exception_:
    return Exception_(f"{test}.obedience", "Obedience to the trafficker's order",
                      "The provision also protects acts done in obedience to the trafficker's "
                      "order, even where the causal link is not made out.",
                      row.obedience_cite or row.cite)


def RULES() -> tuple[Rule, ...]:  # noqa: N802 - the registry's name for a module's rules
    """One rule per jurisdiction and instrument row, its obedience route where it has one,
    and the coverage test each group shares."""
    from npkit.law.jurisdiction_data import instruments, jurisdictions

    out = [
        Rule("jurisdictions.coverage", "Offence covered", _coverage, ("met", "not_met"),
             "The charged offence is one the state's provision covers.", (asean(DOMESTIC_LAW),)),
        Rule("instruments.coverage", "Offence covered", _coverage, ("met", "not_met"),
             "The charged offence is one the instrument covers.", (asean(DOMESTIC_LAW),)),
    ]
    for group, rows in (("jurisdictions", jurisdictions()), ("instruments", instruments())):
        for key, data in rows.items():
            row = spec(data)
            test = f"{group}.{key}"
            cites = tuple(data.citations) + ((row.obedience_cite,) if row.obedience_cite else ())
            exceptions = (_obedience_exception(test, row),) if row.obedience_to_order else ()
            out.append(Rule(test, row.name, apply_row, _outcomes(row), _summary(row), cites,
                            exceptions))
            if row.obedience_to_order:
                out.append(Rule(f"{test}.obedience", "In obedience to the trafficker's order",
                                _obedience, ("met", "not_met"),
                                "The traffickers ordered the act.", (row.obedience_cite,)))
    return tuple(out)
