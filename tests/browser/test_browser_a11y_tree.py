"""What a screen reader hears, and the words a learner reads (issue 14), read from Chromium.

Names come from Chromium's own accessibility tree (CDP ``Accessibility.getFullAXTree``), not from
the DOM: a radio group is only a group if Chromium says so, and a name is what it computes.
Each module page is loaded once, with a learner, and shared by the tests below; the test that
presses a toggle button opens a page of its own.
"""

from __future__ import annotations

import re

import pytest
from browser_support import NOTEBOOK, ROOT, each_step, expect, known_learner, open_context
from test_browser_dashboards import open_module, wait_for_module

from npkit.course.training.checklist import question
from npkit.law.duress import CONDITIONS

CHOICE_MODULES = (1, 2, 6, 7)  # the modules with yes/no and multiple-choice questions
ALL_MODULES = tuple(range(8))
# A private-use code point (icon fonts draw their glyphs there), first in a name.
ICON_GLYPH = re.compile("^\\s*[\ue000-\uf8ff\U000f0000-\U0010ffff]")

# The page's text as a learner can read it, folded <details> included (one click away), but
# not scripts, hidden elements, nor machine text shown as it is (a case file, a file name:
# data-npk-verbatim).
LEARNER_TEXT = """() => {
  const skip = el => { for (let e = el; e; e = e.parentElement) {
      if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(e.tagName) || e.hidden
          || e.hasAttribute('data-npk-verbatim')) return true;
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') return true; }
    return false; };
  const root = document.querySelector('#npk-main') || document.body;
  const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const out = [];
  while (walk.nextNode()) {
    const t = walk.currentNode;
    if (t.nodeValue.trim() && !skip(t.parentElement)) out.push(t.nodeValue);
  }
  return out.join(' ');
}"""


# The number of radios each module draws on arrival (its questions' choices), so the tree is
# read once every group is on the page.
RADIOS_DRAWN = {n: f"() => document.querySelectorAll('input[type=radio]').length >= {count}"
                for n, count in {1: 6, 2: 8, 6: 7, 7: 2}.items()}


def ax_tree(page) -> list[dict]:
    """Every node of the page's accessibility tree (ignored ones too: they link the rest)."""
    cdp = page.context.new_cdp_session(page)
    try:
        return cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()


def stepped(nodes: list[dict], step: int) -> list[dict]:
    """The nodes of one step's tree, their ids made distinct from another step's."""
    if not step:
        return nodes
    ids = ("nodeId", "parentId")
    return [{**n, **{k: f"{step}:{n[k]}" for k in ids if k in n},
             **({"childIds": [f"{step}:{c}" for c in n["childIds"]]} if "childIds" in n else {})}
            for n in nodes]


def role(node: dict) -> str:
    """The node's role ("" for a node the tree ignores)."""
    return "" if node.get("ignored") else (node.get("role") or {}).get("value", "")


def name(node: dict) -> str:
    return "" if node.get("ignored") else str((node.get("name") or {}).get("value", ""))


def pressed(node: dict) -> str | None:
    found = [p["value"].get("value") for p in node.get("properties", []) if p["name"] == "pressed"]
    return str(found[0]) if found else None


def named_null(nodes: list[dict]) -> list[str]:
    return [f"{role(n)} {name(n)!r}" for n in nodes if re.search(r"\bnull\b", name(n), re.I)]


def radios_outside_a_named_group(nodes: list[dict]) -> list[str]:
    """Each radio whose nearest radiogroup ancestor is missing or has no name."""
    by_id = {n["nodeId"]: n for n in nodes}
    parent = {c: n["nodeId"] for n in nodes for c in n.get("childIds", [])}
    bad = []
    for n in nodes:
        if role(n) != "radio":
            continue
        up = parent.get(n["nodeId"])
        while up is not None and role(by_id.get(up, {})) != "radiogroup":
            up = parent.get(up)
        if up is None or not name(by_id[up]).strip():
            bad.append(name(n))
    return bad


def icon_named_buttons(nodes: list[dict]) -> list[str]:
    return [name(n) for n in nodes if role(n) in {"button", "togglebutton"}
            and ICON_GLYPH.match(name(n))]


def identifiers() -> set[str]:
    """The snake_case names a learner must never read: the fact vocabulary, case ids, the
    names of legal rules and the fields of the reference data."""
    from npkit.casefile.library import library
    from npkit.law import registry
    from npkit.law.jurisdiction_data import Instrument, Jurisdiction
    from npkit.law.vocabulary import ALL_VOCABULARIES

    found = {str(t) for e in ALL_VOCABULARIES.values() for t in e}
    found |= {c.id for c in library(ROOT / "cases").cases}
    found |= {part for rid in registry.rules() for part in rid.split(".")}
    found |= {*Jurisdiction.model_fields, *Instrument.model_fields}
    return {t for t in found if "_" in t}


def commands() -> re.Pattern:
    """``make <target>`` for the Makefile's targets, ``npkit <command>`` for the CLI's, and the
    developer words a learner page has no use for."""
    from npkit.cli import COMMANDS

    phony = re.search(r"^\.PHONY:(.*?)(?<!\\)$", (ROOT / "Makefile").read_text(),
                      re.M | re.S).group(1)
    targets = [t for t in re.split(r"[\s\\]+", phony) if t]
    return re.compile(
        rf"\bmake (?:{'|'.join(map(re.escape, targets))})\b"
        rf"|\bnpkit (?:{'|'.join(map(re.escape, COMMANDS))})\b"
        r"|\b(?:notebooks?|cells?|kernels?|seed sources?|jupyter\w*)\b", re.I)


def jargon(text: str, names: set[str], pattern: re.Pattern) -> list[str]:
    snake = [w for w in re.findall(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b", text) if w in names]
    return snake + [m.group(0) for m in pattern.finditer(text)]


@pytest.fixture(scope="module")
def module_page(browser, site):
    """``module_page(n)``: what module ``n`` gives a learner on arrival (accessibility tree and
    learner text; of every step, in a module shown one step at a time), one visit per
    module."""
    cache: dict[int, dict] = {}

    def get(number: int) -> dict:
        if number not in cache:
            v = open_context(browser)
            try:
                v.page.goto(site.module_url(NOTEBOOK[number],
                                            learner=known_learner(site.store, f"a11y-{number}")))
                wait_for_module(v.page, number)
                if number in CHOICE_MODULES:  # until the page's radios are all drawn
                    v.page.wait_for_function(RADIOS_DRAWN[number])
                # A module shown one step at a time: the tree and text of every step.
                nodes, text = [], []
                for step in each_step(v.page):
                    nodes += stepped(ax_tree(v.page), step)
                    text.append(v.page.evaluate(LEARNER_TEXT))
                cache[number] = {"nodes": nodes, "text": "\n".join(text)}
            finally:
                v.close()
        return cache[number]

    return get


# --------------------------------------------------------------------------- the checks can fail


def test_the_checks_catch_what_they_must():
    nodes = [
        {"nodeId": "1", "role": {"value": "radiogroup"}, "name": {"value": ""},
         "childIds": ["2"]},
        {"nodeId": "2", "role": {"value": "radio"}, "name": {"value": "Yes"}},
        {"nodeId": "3", "role": {"value": "radio"}, "name": {"value": "No"}},
        {"nodeId": "4", "role": {"value": "LabelText"}, "name": {"value": "null"}},
        {"nodeId": "5", "role": {"value": "button"}, "name": {"value": "\uf090 Join"}},
    ]
    assert radios_outside_a_named_group(nodes) == ["Yes", "No"]
    assert named_null(nodes) == ["LabelText 'null'"]
    assert icon_named_buttons(nodes) == ["\uf090 Join"]
    found = jargon("Run the next cell, then make notebooks: threat_of_force, npkit validate "
                   "cases; a nice_word.", identifiers(), commands())
    assert found == ["threat_of_force", "cell", "make notebooks", "npkit validate"]


# --------------------------------------------------------------------------- screen readers


def test_each_duress_question_is_a_radio_group_named_by_the_question(module_page):
    nodes = module_page(2)["nodes"]
    groups = [name(n) for n in nodes if role(n) == "radiogroup"]
    asked = [f"{n}. {question(c, 'Jane')}" for n, c in enumerate(CONDITIONS, 1)]
    assert groups == asked
    assert not radios_outside_a_named_group(nodes)


@pytest.mark.parametrize("number", CHOICE_MODULES)
def test_no_null_names_and_every_radio_in_a_named_group(module_page, number):
    nodes = module_page(number)["nodes"]
    assert not named_null(nodes), f"module {number}: named 'null': {named_null(nodes)[:5]}"
    assert any(role(n) == "radio" for n in nodes)
    outside = radios_outside_a_named_group(nodes)
    assert not outside, f"module {number}: radios outside a named radio group: {outside[:5]}"


@pytest.mark.parametrize("number", ALL_MODULES)
def test_no_button_name_begins_with_an_icon_glyph(module_page, number):
    found = icon_named_buttons(module_page(number)["nodes"])
    assert not found, f"module {number}: {found}"


def test_module_6_toggles_say_which_is_pressed_and_show_it(site, visit, learner):
    v = open_module(site, visit, 6, learner=learner)
    page = v.page
    group = page.get_by_role("group", name=re.compile(r"^1\. "))
    chosen = group.get_by_role("button", name="no", exact=True)
    other = group.get_by_role("button", name="yes", exact=True)
    expect(chosen).to_have_attribute("aria-pressed", "false")
    chosen.click()
    expect(chosen).to_have_attribute("aria-pressed", "true")
    expect(other).to_have_attribute("aria-pressed", "false")
    nodes = ax_tree(page)
    toggles = [n for n in nodes if pressed(n) is not None]
    assert len(toggles) >= 3 and [name(n) for n in toggles if pressed(n) == "true"] == ["no"]

    look = """e => { const s = getComputedStyle(e), mark = getComputedStyle(e, '::before');
        return {bg: s.backgroundColor, weight: s.fontWeight, mark: mark.content}; }"""
    on, off = chosen.evaluate(look), other.evaluate(look)
    assert contrast(on["bg"], off["bg"]) >= 3, (on, off)
    assert on["mark"] not in ("none", "normal") and int(on["weight"]) >= 600, on  # not colour alone
    assert off["mark"] in ("none", "normal"), off


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours."""
    def lum(css: str) -> float:
        r, g, b_ = (int(x) / 255 for x in re.findall(r"\d+", css)[:3])
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (r, g, b_)]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


# --------------------------------------------------------------------------- plain words


@pytest.mark.parametrize("number", ALL_MODULES)
def test_learner_pages_show_no_identifiers_or_developer_commands(module_page, number):
    found = jargon(module_page(number)["text"], identifiers(), commands())
    assert not found, f"module {number} shows learners: {sorted(set(found))}"
