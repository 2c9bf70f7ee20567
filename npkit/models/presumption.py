"""Presumption model (ALSA 2025 abstract; ASEAN NPP study): once there are indicators of
trafficking the person is presumed a victim and protected from the earliest point, without
waiting for formal identification. The State carries the burden of rebutting (rec. 19). Where
age is unknown, the person is presumed a child.
"""

from __future__ import annotations

from ..citations import IDENTIFICATION, alsa, asean
from ..facts import Facts
from ..findings import Finding, Reason, condition
from ..trafficking import victim as victim_test
from ._common import model_finding


def indicators(f: Facts) -> Finding:
    """Indicators of trafficking: a trafficking act together with a means or a purpose."""
    holds = bool(f.acts) and bool(f.means or f.purposes)
    seen = sorted(f.acts) + sorted(f.means) + sorted(f.purposes)
    text = (
        f"Indicators of trafficking are present ({', '.join(seen)}): the person is presumed "
        "a victim from the first contact, identified or not."
        if holds else "No indicators of trafficking are recorded."
    )
    return condition("models.presumption.indicators", "Indicators of trafficking", holds,
                     [Reason(text, asean(IDENTIFICATION))])


def rebuttal(f: Facts, victim: Finding | None = None) -> Finding:
    """The State rebuts the presumption only by showing the person is not a victim for this
    period, or that the offence has no link to the trafficking."""
    # with a known age the presumed-minority test is the victim test already run: reuse it
    full = victim if victim is not None and not f.age_unknown else victim_test(
        f, presume_minority=True)
    rebutted = not full.holds or not f.but_for_trafficking
    if not full.holds:
        why = [r.text for r in full.reasons if "presumed a child" not in r.text]
        text = "The State can show the person was not a victim for this period: " + why[-1]
    elif not f.but_for_trafficking:
        text = "The State can show the offence would have happened without the trafficking."
    else:
        text = "Nothing in the facts lets the State rebut the presumption."
    return condition("models.presumption.rebutted", "Rebutted by the State", rebutted,
                     [Reason(text, asean("Recommendation 19"))], children_victim=full.outcome)


def presumption(f: Facts, victim: Finding) -> Finding:
    """Protected when indicators are present and the State has not rebutted the presumption."""
    ind, reb = indicators(f), rebuttal(f, victim)
    holds = bool(ind.holds and not reb.holds)
    reasons = [Reason(
        "Presumed a victim and not rebutted: protected from the earliest point, without "
        "waiting for formal identification." if holds else
        "No presumption arises." if not ind.holds else
        "The presumption is rebutted: not protected.",
        alsa())]
    if holds and f.identification != "identified":
        reasons.append(Reason(
            f"This matters here: the person was {f.identification.replace('_', ' ')}, which "
            "would block a model that waits for identification.",
            asean(IDENTIFICATION)))
    return model_finding("presumption", "Presumption", holds, reasons, [ind, reb])
