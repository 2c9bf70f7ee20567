"""One object per distinct finding, so the memo can reuse what rests on it.

The memo (:mod:`npkit.engine.memo`) files a model's finding under the identity of the victim
finding it was given, and a jurisdiction's under the identities of the victim and model
findings. A victim test that reads a changed fact often reaches the very same finding anyway
(in a counterfactual search, about two times in three); handing back the earlier, equal object
lets every model and row that rests on it be reused instead of worked out again.

Two findings count as the same only when nothing can tell them apart: equal values, and the
same pattern of shared reason objects (a row asks whether a model's decisive reason *is* one
of its reasons), so what is built on either comes out the same.
"""

from __future__ import annotations

from npkit.engine.findings import Finding


def _aliasing(node: Finding) -> tuple[int, ...]:
    """Which positions of the tree hold the same object: for every finding and reason met in
    a fixed walk, the position where that object was first met."""
    first: dict[int, int] = {}
    out = []
    for n in node.walk():
        for obj in (n, *n.reasons, n.decisive, *n.also_rests_on):
            out.append(first.setdefault(id(obj), len(first)))
    return tuple(out)


def _sketch(node: Finding) -> tuple:
    """A cheap hashable summary: findings that differ in it differ. Codes as well as texts:
    the counterfactual search's findings have no texts (npkit.law.wording.unworded)."""
    decisive = node.decisive
    return (node.test, node.outcome, node.holds, node.exception,
            tuple((r.code, r.text) for r in node.reasons),
            tuple((c.test, c.outcome, c.decisive.code if c.decisive else None,
                   c.decisive.text if c.decisive else None) for c in node.children),
            (decisive.code, decisive.text) if decisive else None)


class Interner:
    """Hands back an earlier finding that cannot be told apart from the one given."""

    def __init__(self) -> None:
        # sketch -> [finding, its aliasing (worked out when an equal finding first comes)]
        self._seen: dict[tuple, list[list]] = {}

    def __call__(self, node: Finding) -> Finding:
        bucket = self._seen.setdefault(_sketch(node), [])
        shape = None
        for entry in bucket:
            earlier = entry[0]
            if earlier == node:
                shape = shape or _aliasing(node)
                if entry[1] is None:
                    entry[1] = _aliasing(earlier)
                if entry[1] == shape:
                    return earlier
        bucket.append([node, shape])
        return node

    def clear(self) -> None:
        self._seen.clear()
