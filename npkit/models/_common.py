"""What every model shares: the person must be a victim for the period of the offence."""

from __future__ import annotations

from ..findings import Finding, Reason

OUTCOMES = ("protected", "not_protected", "discretionary")


def model_finding(
    model: str, title: str, holds: bool | None, reasons: list[Reason],
    children: list[Finding] | None = None, **facts,
) -> Finding:
    outcome = {True: "protected", False: "not_protected", None: "discretionary"}[holds]
    return Finding(f"models.{model}", title, outcome, holds, reasons, facts, children or [])


def victim_gate(victim: Finding) -> Reason:
    return Reason(
        "The person is not a victim of trafficking for the period of this offence, so the "
        "principle does not reach it." if not victim.holds
        else "The person is a victim of trafficking for the period of this offence.",
        victim.reasons[0].source,
    )


def identification_note(f, victim: Finding) -> list[Reason]:
    """The models assume the person is recognised as a victim; in practice they often are not."""
    from ..citations import fitz

    if not victim.holds or f.identification == "identified":
        return []
    status = f.identification.replace("_", " ")
    return [
        Reason(
            f"In practice the provision is applied only once the person is identified as a "
            f"victim; here the person was {status}. Without identification this protection "
            "is likely to be lost.",
            fitz("IV.D"),
        )
    ]
