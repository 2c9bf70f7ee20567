"""The assessment tree's building blocks: immutable findings, decisive reasons, caveat marks,
and reason codes worded from one catalogue."""

import dataclasses

import pytest

from npkit.engine.findings import Finding, Reason
from npkit.law import wording
from npkit.law.citations import OUTSIDE_MARK, Citation, Confidence, fitz, outside, reading


def _reason(text="because", cite=None, code="x.y"):
    return Reason(text, cite or fitz("V.A"), code)


def test_a_finding_cannot_be_changed_after_it_is_made():
    node = Finding("t.a", "A", "met", True, [_reason()], {}, [])
    assert isinstance(node.reasons, tuple) and isinstance(node.children, tuple)
    with pytest.raises(dataclasses.FrozenInstanceError):
        node.outcome = "not_met"
    with pytest.raises(AttributeError):
        node.children.append(node)


def test_the_decisive_reason_is_the_first_unless_the_law_names_another():
    first, second = _reason("first", code="a.first"), _reason("second", code="a.second")
    assert Finding("t", "T", "met", True, (first, second)).decisive is first
    named = Finding("t", "T", "met", True, (first, second), decisive=second)
    assert named.decisive is second
    assert named.to_dict()["decisive"]["code"] == "a.second"


def test_an_outcome_shows_the_caveats_it_rests_on_and_no_others():
    plain = _reason(cite=fitz("V.A"))
    read = _reason(cite=reading("how npkit reads it"))
    beyond = _reason(cite=outside("R v Howe [1987] AC 417"))
    assert Finding("t", "T", "met", True, (plain, read)).marks == ()
    assert Finding("t", "T", "met", True, (plain,), decisive=read).marks == (
        Confidence.NPKIT_READING,)
    node = Finding("t", "T", "met", True, (plain,), also_rests_on=(beyond, read))
    assert node.marks == (Confidence.NPKIT_READING, Confidence.OUTSIDE_SOURCES)
    assert node.to_dict()["marks"] == ["npkit_reading", "outside_sources"]


def test_outside_law_is_never_credited_to_a_seed_and_says_verify():
    cite = outside("Penal Code s 94 (Malaysia)", "section number")
    assert cite.confidence is Confidence.OUTSIDE_SOURCES
    assert str(cite) == f"Penal Code s 94 (Malaysia); {OUTSIDE_MARK}"
    assert "verify" in Confidence.OUTSIDE_SOURCES.label
    with pytest.raises(ValueError, match="outside"):
        Citation("fitzgerald2024", "V.A", Confidence.OUTSIDE_SOURCES, "R v Hasan")
    with pytest.raises(ValueError, match="always npkit_reading"):
        Citation("npkit", "a note", Confidence.VERIFIED)


def test_a_reason_code_is_worded_from_the_catalogue(monkeypatch):
    monkeypatch.setattr(wording, "catalogue", lambda: {"demo.reason": "Met by {what}."})
    r = Reason.of("demo.reason", fitz("V.A"), what="a threat")
    assert (r.text, r.code) == ("Met by a threat.", "demo.reason")
    assert r.params == (("what", "a threat"),)
    with pytest.raises(wording.WordingError, match="missing parameter"):
        Reason.of("demo.reason", fitz("V.A"))
    with pytest.raises(wording.WordingError, match="no wording"):
        Reason.of("demo.unknown", fitz("V.A"))


def test_the_catalogue_refuses_a_code_defined_twice(tmp_path, monkeypatch):
    folder = tmp_path / "npkit" / "data" / "wording"
    folder.mkdir(parents=True)
    (folder / "a.yaml").write_text("x.one: One.\n")
    (folder / "b.yaml").write_text("x.one: Again.\n")
    monkeypatch.setattr(wording.resources, "files", lambda pkg: tmp_path / "npkit")
    wording.catalogue.cache_clear()
    try:
        with pytest.raises(wording.WordingError, match="defined twice"):
            wording.catalogue()
    finally:
        wording.catalogue.cache_clear()


def test_findings_and_reasons_take_their_fields_as_dataclass_would():
    """Finding and Reason write their own __init__ (speed): the same parameters, in the
    fields' order, with the fields' defaults, every one of them stored."""
    import inspect

    for cls in (Finding, Reason):
        params = list(inspect.signature(cls).parameters.values())
        assert [p.name for p in params] == [f.name for f in dataclasses.fields(cls)]
        for p, f in zip(params, dataclasses.fields(cls), strict=True):
            if f.default is not dataclasses.MISSING:
                assert p.default == f.default, f.name
            elif f.default_factory is dataclasses.MISSING:
                assert p.default is inspect.Parameter.empty, f.name
    r, s = _reason("one", code="a.one"), _reason("two", code="a.two")
    assert Reason("t", fitz("V.A")) == Reason(text="t", source=fitz("V.A"), code="", params=())
    assert (r.text, r.code, r.params) == ("one", "a.one", ())
    child = Finding("c", "C", "met", True, (s,))
    node = Finding("t", "T", "met", True, [r, s], {"k": 1}, [child], s, "t.x", [r])
    assert dataclasses.astuple(node)[:3] == ("t", "T", "met")
    assert (node.holds, node.reasons, node.facts, node.children, node.decisive, node.exception,
            node.also_rests_on) == (True, (r, s), {"k": 1}, (child,), s, "t.x", (r,))
    again = Finding(test="t", title="T", outcome="met", holds=True, reasons=(r, s),
                    facts={"k": 1}, children=(child,), decisive=s, exception="t.x",
                    also_rests_on=(r,))
    assert again == node
    bare = Finding("t", "T", "met", None, ())
    assert (bare.facts, bare.children, bare.decisive, bare.exception, bare.also_rests_on) == (
        {}, (), None, "", ())
    assert bare.facts is not Finding("t", "T", "met", None, ()).facts  # a new dict each
    assert dataclasses.replace(node, outcome="not_met").reasons == (r, s)


def test_an_outcome_only_finding_keeps_no_facts():
    with wording.unworded():
        blank = Finding("t", "T", "met", True, (), {"acts": frozenset({"recruitment"})})
        empty = Finding("t", "T", "met", True, ())
    assert dict(blank.facts) == {} and empty.facts == {}
    assert Finding("t", "T", "met", True, (), {"a": 1}).facts == {"a": 1}
