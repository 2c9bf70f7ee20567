"""What every model shares: the person must be a victim for the period of the offence, and a
model's finding names the reason that settled it."""

from __future__ import annotations

from npkit.engine.findings import Finding, Reason
from npkit.law.citations import fitz
from npkit.law.wording import term

OUTCOMES = ("protected", "not_protected", "discretionary")


def model_finding(
    model: str, title: str, holds: bool | None, reasons: list[Reason],
    children: list[Finding] | None = None, *, decisive: Reason | None = None,
    also_rests_on: tuple[Reason, ...] = (), exception: str = "", **facts,
) -> Finding:
    outcome = {True: "protected", False: "not_protected", None: "discretionary"}[holds]
    return Finding(f"models.{model}", title, outcome, holds, tuple(reasons), facts,
                   tuple(children or ()), decisive=decisive, exception=exception,
                   also_rests_on=tuple(also_rests_on))


def victim_gate(victim: Finding) -> Reason:
    """The first reason of every model: victim or not, cited as the victim test decided it."""
    source = (victim.decisive or victim.reasons[0]).source
    return Reason.of("models.victim_gate.victim" if victim.holds
                     else "models.victim_gate.not_victim", source)


def victim_basis(victim: Finding) -> tuple[Reason, ...]:
    """The victim finding's own caveats (e.g. the age of 18, law from outside the sources),
    which every model outcome rests on too."""
    return tuple(r for r in ((victim.decisive,) if victim.decisive else ()) + victim.also_rests_on
                 if r.mark is not None)


def failing(*tests: Finding) -> Reason:
    """The decisive reason of the first test that does not hold (the link that is missing)."""
    for t in tests:
        if not t.holds:
            return t.decisive or t.reasons[0]
    raise ValueError("every test holds")


def identification_note(f, victim: Finding) -> list[Reason]:
    """The models assume the person is recognised as a victim; in practice they often are not."""
    if not victim.holds or f.identification == "identified":
        return []
    return [Reason.of("models.identification.not_identified", fitz("IV.D"),
                      status=term(f.identification))]
