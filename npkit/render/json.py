"""JSON output. Other tools read these keys; see the README for the contract:
``victim.outcome``, ``duress.<variant>.outcome`` and ``.conditions.<condition>`` booleans,
``models.<model>.outcome``, ``jurisdictions.<ISO>.outcome``; every node has ``reasons``."""

from __future__ import annotations

from typing import Any

from npkit import DISCLAIMER, __version__
from npkit.engine.findings import Finding


def node(f: Finding, *, children: bool = True) -> dict[str, Any]:
    d = f.to_dict()
    if not children:
        d.pop("children")
    return d


def _duress(f: Finding) -> dict[str, Any]:
    d = node(f)
    d["conditions"] = {c.test.rsplit(".", 1)[1]: bool(c.holds) for c in f.children}
    d["tests"] = {c.test.rsplit(".", 1)[1]: node(c) for c in f.children}
    return d


def to_dict(a) -> dict[str, Any]:
    e = a.evaluation
    offence = a.offence
    return {
        "npkit_version": __version__,
        "disclaimer": DISCLAIMER,
        "case": {"id": a.case.id, "title": a.case.title, "source": a.case.source.text},
        "offence": {"id": offence.id, "charge": offence.charge, "type": offence.type,
                    "category": offence.category},
        "period": a.facts.period_id,
        "victim": node(e.victim),
        "duress": {k: _duress(v) for k, v in e.duress.items()},
        "models": {k: node(v) for k, v in e.models.items()},
        "jurisdictions": {k: node(v) for k, v in e.jurisdictions.items()},
        "instruments": {k: node(v) for k, v in e.instruments.items()},
        "counterfactuals": [c.to_dict() for c in a.counterfactuals],
        "other_offences": a.other_offences,
    }
