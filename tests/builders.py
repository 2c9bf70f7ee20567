"""Small fact builders for unit tests: a trafficked adult in a scam compound, then variations."""

from dataclasses import replace
from pathlib import Path

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


ANA_FILE = Path(__file__).parent / "fixtures" / "cases" / "ana.yaml"


def ana_variant(tmp_path: Path, replacements: dict[str, str], name: str = "ana.yaml") -> Path:
    """The fixture case ana.yaml with each ``old`` text replaced by ``new`` (each must occur
    once), written to ``tmp_path / name``."""
    text = ANA_FILE.read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
