"""Small fact builders for unit tests: a trafficked adult in a scam compound, then variations."""

from dataclasses import replace

from npkit.law.facts import Facts, ThreatFact

T = ThreatFact


def trafficked(**kw) -> Facts:
    """Deceived, confined adult made to run scams on orders; no threat recorded."""
    base = Facts(
        age=25,
        acts=frozenset({"recruitment", "transportation", "harbouring"}),
        means=frozenset({"deception", "confinement", "confiscated_documents"}),
        purposes=frozenset({"forced_criminality"}),
        deceived_about=frozenset({"nature_of_work"}),
        offence_type="fraud",
        offence_category="purpose",
        ordered_by_trafficker=True,
        harm="property_major",
        identification="identified",
    )
    return replace(base, **kw)


def threatened(severity="serious_harm", imminence="imminent", target="self", **kw) -> Facts:
    return trafficked(threats=(T(target, severity, imminence),), **kw)
