"""Generated documentation pages (``npkit docs PAGE``).

``case-format`` documents every field of the case file format and every term of the fact
vocabulary for trainers. It is written from the pydantic models in
:mod:`npkit.casefile.case` and the descriptions in :mod:`npkit.law.vocabulary`, so it cannot
drift from what the loader accepts;
``npkit docs case-format --check`` (run by the tests) fails when the committed page is stale.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import NoneType, UnionType
from typing import Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Le, MaxLen, MinLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from npkit.casefile.case import SOURCE_ONLY_KEYS, TEXT_FIELDS, Case, expected_grammar
from npkit.casefile.loader import CaseFileError, case_from_text
from npkit.law import registry
from npkit.law.vocabulary import ALL_VOCABULARIES, MEANS

ROOT = Path(__file__).resolve().parents[2]

SLUG_PATTERN = r"^[a-z0-9][a-z0-9_-]*$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"

# A complete, invented case: shown at the top of the page and checked by the tests.
EXAMPLE = """\
# cases/ana.yaml -- an invented example
id: ana
title: "Example: Ana"
lesson: A threat repeated now and then is not the imminent threat duress asks for.
source:
  source: npkit
  pinpoint: invented example
person:
  pseudonym: Ana
  age: 24
narrative:
  - text: >-
      Ana answered an online advert for a customer-service job abroad. On arrival
      her passport was taken and she was told to run online investment scams.
    tags: [act.recruitment, means.deception, means.confiscated_documents]
  - text: Guards reminded the workers that anyone who missed a target would be beaten.
    tags: [means.threat_of_force, purpose.forced_criminality]
periods:
  - id: main
    recruitment:
      method: job_advert
      deceived_about: [nature_of_work, conditions]
    acts: [recruitment, transportation, harbouring]
    means: [deception, confiscated_documents, threat_of_force, confinement]
    purposes: [forced_criminality]
    threats:
      - target: self
        severity: serious_harm
        imminence: periodic
    escape:
      reasonable_opportunity: false
      note: the compound was walled and guarded
offences:
  - id: scam-fraud
    charge: Fraud by false representation
    type: fraud
    category: purpose
    period: main
    ordered_by_trafficker: true
    harm: property_major
identification:
  status: not_identified
proceedings:
  stage: prosecution
"""

# Field descriptions for fields that have none in case.py (the page says every field).
EXTRA_DESCRIPTIONS: dict[str, str] = {
    "Case.id": "short name of the case; must be the file name without `.yaml` "
    "(`ana.yaml` has `id: ana`)",
    "Case.title": "the title shown in lists and dashboards",
    "Case.person": "who the case is about",
    "Case.periods": "the stints in the trafficking situation; most cases have one",
    "Case.identification": "whether the person was identified as a victim of trafficking",
    "Case.proceedings": "where the criminal case against the person stands",
    "Case.expected_source": "where the expected outcomes come from, if not from `source`",
    "Passage.text": "one passage of the story, in your own words",
    "Period.id": "short name of the period (e.g. `main`); offences refer to it",
    "Period.label": "a few words shown with the period (e.g. `after the raid`)",
    "Period.recruitment": "how the person came into the situation",
    "Period.threats": "each threat made to the person, one entry per threat",
    "Period.escape": "whether the person could escape or seek help",
    "Period.contract": "the employment contract, if there was one",
    "Threat.note": "a note for trainers",
    "Escape.note": "a note for trainers",
    "Offence.id": "short name of the offence (e.g. `scam-fraud`)",
    "Offence.type": "what kind of offence it is",
    "Identification.status": "where identification stands",
    "Proceedings.stage": "how far the case against the person has gone",
}

# What each part of the file is for, in trainer's words (keyed by the field path).
INTROS: dict[str, str] = {
    "": "The top level of the file names the case and holds the other parts, each described "
    "in its own section below.",
    "source": "Where the story comes from. Use `npkit` for a case you made up.",
    "person": "Who the case is about. Use a made-up first name or one already published; "
    "never a real person's full name.",
    "narrative": "The story, in short passages told in your own words. Each passage can be "
    "tagged with the trafficking elements it shows, which the element-tagging exercise uses.",
    "periods": "A period is one stint in the trafficking situation: how the person was "
    "recruited, what was done to them, the threats, and whether they could get away. Most "
    "cases have one period; write two when the person left and came back.",
    "periods.recruitment": "How the person was recruited into this period.",
    "periods.threats": "One entry per threat. The tests of duress ask who was threatened, "
    "with what, and how close the harm was.",
    "periods.escape": "Whether a reasonable (not heroic) chance to escape or seek help existed.",
    "periods.contract": "Leave this part out if there was no contract.",
    "offences": "The charges the person faces. The first one is the principal charge. Each "
    "offence names the period it was committed in.",
    "identification": "Whether the authorities identified the person as a victim.",
    "proceedings": "Where the criminal case against the person stands.",
    "expected": "Optional. The outcomes this case should reach; the tests check that "
    "`npkit assess` agrees. Keep apart what a source itself concludes for the case and what "
    "is npkit's application of its rules to the facts, so that nothing is credited to a "
    "source that does not say it.",
    "expected_source": "Optional and kept for older files: where the outcomes of a plain "
    "`expected` block come from, written like `source`. Only `npkit` is accepted here; a "
    "source document's conclusions go under `expected: source:`.",
}


@dataclass(frozen=True, slots=True)
class Part:
    """One model reached from :class:`Case`, and where in the file it sits."""

    path: str  # "" for the top level, "periods.threats" ...
    model: type[BaseModel]
    is_list: bool


# --------------------------------------------------------------------------------- walking


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """``X | None`` -> ``(X, True)``."""
    if get_origin(annotation) in (Union, UnionType):
        args = get_args(annotation)
        members = [a for a in args if a is not NoneType]
        if len(members) == 1:
            return members[0], NoneType in args
    return annotation, False


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, BaseModel)


def _is_vocab(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, Enum) and t.__name__ in ALL_VOCABULARIES


def _model_in(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    t, _ = _unwrap(annotation)
    if get_origin(t) is list:
        inner = get_args(t)[0]
        return (inner, True) if _is_model(inner) else (None, False)
    return (t, False) if _is_model(t) else (None, False)


def parts(model: type[BaseModel] = Case, path: str = "", is_list: bool = False) -> Iterator[Part]:
    """Every model reached from ``model``, depth first in field order."""
    yield Part(path, model, is_list)
    for name, info in model.model_fields.items():
        sub, sub_list = _model_in(info.annotation)
        if sub is not None:
            yield from parts(sub, f"{path}.{name}" if path else name, sub_list)


def description(model: type[BaseModel], name: str, info: FieldInfo) -> str:
    return info.description or EXTRA_DESCRIPTIONS.get(f"{model.__name__}.{name}", "")


def vocab_uses() -> dict[str, list[tuple[str, str]]]:
    """Vocabulary name -> the fields written with its terms, as (part path, field name)."""
    uses: dict[str, list[tuple[str, str]]] = {name: [] for name in ALL_VOCABULARIES}
    for part in parts():
        for name, info in part.model.model_fields.items():
            t, _ = _unwrap(info.annotation)
            if get_origin(t) is list:
                t = get_args(t)[0]
            if _is_vocab(t):
                uses[t.__name__].append((part.path, name))
    for vocab in ("Act", "Means", "Purpose"):  # the narrative's tags: act.<act> ...
        uses[vocab].append(("narrative", "tags"))
    return uses


# --------------------------------------------------------------------------------- wording


def anchor(heading: str) -> str:
    """The anchor GitHub and most Markdown viewers give a heading."""
    slug = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return slug.replace(" ", "-")


def vocab_title(name: str) -> str:
    words = re.findall(r"[A-Z][a-z]*", name)
    return " ".join([words[0], *(w.lower() for w in words[1:])])


def part_title(path: str) -> str:
    return path.replace(".", ": ") if path else "The top level"


def _vocab_link(enum: type[Enum]) -> str:
    title = vocab_title(enum.__name__)
    return f"[{title}](#{anchor(title)})"


def _constraint(info: FieldInfo, kind: type) -> Any:
    for m in info.metadata:
        if isinstance(m, kind):
            return m
    return None


def _pattern(info: FieldInfo) -> str | None:
    for m in info.metadata:
        pattern = getattr(m, "pattern", None)
        if pattern:
            return str(pattern)
    return None


def kind_in_words(info: FieldInfo) -> str:
    """The type of a field as a trainer would say it."""
    t, _ = _unwrap(info.annotation)
    origin = get_origin(t)
    if _is_vocab(t):
        return f"one term from {_vocab_link(t)}"
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in get_args(t))
    if t is bool:
        return "`true` or `false`"
    if t is int:
        ge, le = _constraint(info, Ge), _constraint(info, Le)
        if ge is not None and le is not None:
            return f"whole number from {ge.ge} to {le.le}"
        return "whole number"
    if t is str:
        pattern = _pattern(info)
        if pattern == SLUG_PATTERN:
            return "short id: lower-case letters, digits, `-` and `_`"
        if pattern == COUNTRY_PATTERN:
            return "two-letter country code in capitals (e.g. `MY`)"
        most = _constraint(info, MaxLen)
        return f"text (up to {most.max_length} characters)" if most else "text"
    if origin is list:
        (inner,) = get_args(t)
        least = _constraint(info, MinLen)
        at_least = f", at least {least.min_length}" if least else ""
        if _is_vocab(inner):
            return f"list of terms from {_vocab_link(inner)}{at_least}"
        if _is_model(inner):
            return f"list of entries{at_least}, each a section"
        return f"list of text{at_least}"
    if origin is dict:
        return "`key: value` lines"
    if _is_model(t):
        return "a section of `key: value` lines"
    return str(t)


def _yaml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    return str(value)


def need_in_words(info: FieldInfo) -> str:
    if info.is_required():
        return "**required**"
    if info.default_factory is not None or info.default in (None, ""):
        return "optional"
    return f"optional, default `{_yaml_value(info.default)}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _section_link(path: str) -> str:
    title = part_title(path)
    return f"[{title}](#{anchor(title)})"


# --------------------------------------------------------------------------------- expected


def expected_keys() -> list[tuple[str, str]]:
    """(key, allowed values in words) for every ``expected:`` key, from the rule registry
    through :func:`npkit.casefile.case.expected_grammar`."""
    return [(key, ", ".join(f"`{_yaml_value(v)}`" for v in values))
            for key, values in expected_grammar().items()]


# --------------------------------------------------------------------------------- the page


def _example_error() -> str:
    broken = EXAMPLE.replace("imminence: periodic", "imminence: soon")
    try:
        case_from_text(broken, name="cases/ana.yaml", expected_id="ana")
    except CaseFileError as exc:
        return "\n".join(str(e) for e in exc.errors)
    raise AssertionError("the broken example loaded")


def _intro() -> list[str]:
    return [
        "# The case file format",
        "",
        "<!-- Generated by `npkit docs case-format` from npkit/casefile/case.py and "
        "npkit/law/vocabulary.py. Do not edit by hand: change the descriptions there and run "
        "the command again. -->",
        "",
        "A *case* is a training scenario: a short story, the facts that matter in law, and "
        "the charges the person faces. Each case is one plain-text file in the `cases/` "
        "folder, written in YAML. You do not need Python to write one: any text editor will "
        "do. This page lists every part of the file, every field and every word you can use.",
        "",
        "## Writing a case file",
        "",
        "- Name the file after the case: the case with `id: ana` lives in `cases/ana.yaml`.",
        "- Write one `key: value` per line. Indent with **spaces** (two per level) to put "
        "keys inside a part; never use tabs.",
        "- A list is a series of lines starting with `- `, or `[a, b, c]` on one line.",
        "- Yes/no fields take `true` or `false`.",
        "- Put text in quotes if it contains `: ` or ` #`, or starts with a character such "
        "as `[`, `{`, `*`, `&`, `!`, `%`, `@` or `'`. For a long passage write `>-` and put "
        "the text on the following lines, indented.",
        "- `#` starts a comment: the rest of the line is ignored.",
        "- Fields marked *one term from ...* take one of the words listed under "
        "[Vocabulary](#vocabulary), spelt exactly as there.",
        "- Fields marked optional can be left out.",
        "",
        "## Checking your file",
        "",
        "Run this from the top folder of npkit:",
        "",
        "```sh",
        "npkit validate cases/            # every case file in cases/",
        "npkit validate cases/ana.yaml    # one file",
        "```",
        "",
        "It lists every problem in every file with the file name, the line number and the "
        "field, then a summary. For example, if the threat in the example below said "
        "`imminence: soon`:",
        "",
        "```text",
        _example_error(),
        "validated 1 file: 0 ok, 1 with errors (1 error)",
        "```",
        "",
        "In a field name, `periods[0]` means the first period and `threats[1]` the second "
        "threat: lists are counted from 0. The command ends with exit code 0 when every file "
        "is correct, and 1 otherwise.",
        "",
        "## Example: Ana",
        "",
        "A complete case file. The facts are invented.",
        "",
        "```yaml",
        EXAMPLE.rstrip("\n"),
        "```",
        "",
    ]


def _part(part: Part) -> list[str]:
    lines = [f"## {part_title(part.path)}", ""]
    if part.path:
        written = "a list of entries" if part.is_list else "a section"
        lines += [f"Written as `{part.path.split('.')[-1]}:` followed by {written}.", ""]
    intro = INTROS.get(part.path) or (part.model.__doc__ or "").strip()
    if intro:
        lines += [intro, ""]
    lines += ["| field | what to write | needed? | meaning |", "|---|---|---|---|"]
    for name, info in part.model.model_fields.items():
        sub, _ = _model_in(info.annotation)
        kind = kind_in_words(info)
        path = f"{part.path}.{name}" if part.path else name
        if sub is not None or path == "expected":
            kind += f" (see {_section_link(path)})"
        meaning = _cell(description(part.model, name, info))
        lines.append(f"| `{name}` | {kind} | {need_in_words(info)} | {meaning} |")
    lines.append("")
    if part.path == "narrative":
        lines += [
            "A tag is `act.`, `means.` or `purpose.` followed by a term from "
            f"{_vocab_link(ALL_VOCABULARIES['Act'])}, {_vocab_link(ALL_VOCABULARIES['Means'])} "
            f"or {_vocab_link(ALL_VOCABULARIES['Purpose'])}, for example "
            "`tags: [act.recruitment, means.deception]`.",
            "",
        ]
    return lines


def _expected() -> list[str]:
    lines = [
        f"## {part_title('expected')}",
        "",
        INTROS["expected"],
        "",
        "Each outcome is one `key: value` line. The value is the word `npkit assess` reports "
        "for that key (such as `victim`, `fails` or `protected`), or `true` or `false` for a "
        "duress condition. The block takes one of two shapes.",
        "",
        "**Split** (required when the case's `source` is one of the source documents): "
        "`source:` holds what that source itself concludes for the case, with a "
        "`citation` (written like `source`) and, where an outcome sits elsewhere than "
        "the citation's pinpoint, a `pinpoints:` line for it; `npkit:` holds everything "
        "else, npkit's application of its rules, with an optional `note`. An outcome goes "
        "in one part only.",
        "",
        "```yaml",
        "expected:",
        "  source:",
        "    citation: {source: fitzgerald2024, pinpoint: \"V.B.1\"}",
        "    outcomes:",
        "      victim.outcome: victim",
        "      duress.england_wales.outcome: fails",
        "      non_punishment.outcome: protected",
        "    pinpoints:",
        "      non_punishment.outcome: \"V.B.1; V.C\"",
        "  npkit:",
        "    note: the source does not apply the models or the states to this case",
        "    outcomes:",
        "      models.causation.outcome: protected",
        "```",
        "",
        "**Plain** (for a case npkit made up, `source: npkit`): the outcome lines directly "
        "under `expected:`, all of them npkit's application.",
        "",
        "```yaml",
        "expected:",
        "  victim.outcome: victim",
        "```",
        "",
    ]
    lines += ["The keys you can use, with the values each takes (one line per rule of "
              "`npkit rule --list` that reports an outcome):", "",
              "| key | values |", "|---|---|"]
    lines += [f"| `{key}` | {values} |" for key, values in expected_keys()]
    lines.append("")
    lines += ["Only under `source:`, for a conclusion that no single key reports:", ""]
    lines += [f"- `{k}`: {', '.join(f'`{v}`' for v in values)}. The non-punishment principle "
              "as such protects the person; the tests read `protected` as: at least one "
              "non-punishment model npkit applies protects."
              for k, values in SOURCE_ONLY_KEYS.items()]
    return [*lines, ""]


def _vocabulary() -> list[str]:
    lines = [
        "## Vocabulary",
        "",
        "The words the *one term from ...* and *list of terms from ...* fields take. Write "
        "them exactly as shown, in lower case with `_` between words.",
        "",
    ]
    uses = vocab_uses()
    for name, enum in ALL_VOCABULARIES.items():
        lines += [f"### {vocab_title(name)}", ""]
        if uses[name]:
            places = [f"`{fld}` in {_section_link(path)}" for path, fld in uses[name]]
            lines += ["Used by " + ", ".join(places) + ".", ""]
        descriptions: dict[str, str] = enum.descriptions  # type: ignore[attr-defined]
        if name == "Means":
            lines += ["| term | meaning | means in Palermo art 3 |", "|---|---|---|"]
            for member in enum:
                term = str(member.value)
                lines.append(
                    f"| `{term}` | {_cell(descriptions[term])} | {_cell(MEANS[term].palermo)} |"
                )
        else:
            lines += ["| term | meaning |", "|---|---|"]
            for member in enum:
                term = str(member.value)
                lines.append(f"| `{term}` | {_cell(descriptions[term])} |")
        lines.append("")
    return lines


TRANSLATION_EXAMPLE = """\
title: "Example: Ana"
th:
  title: "ตัวอย่าง: แอนา"
person: {pseudonym: Ana, age: 24, th: {pseudonym: "แอนา"}}
narrative:
  - text: Guards reminded the workers that anyone who missed a target would be beaten.
    th:
      text: ยามเตือนคนงานว่าใครที่ทำไม่ถึงเป้าจะถูกทุบตี
    tags: [means.threat_of_force, purpose.forced_criminality]
"""


def _translations() -> list[str]:
    fields = ", ".join(f"`{f}`" for f in TEXT_FIELDS)
    return [
        "## Translations",
        "",
        "A case is shown in the learner's language. Its translations sit next to the English "
        "in the same file: any section (or list entry) may hold a `th:` key with the Thai of "
        "that section's text fields, written in the same shape as the English.",
        "",
        "```yaml",
        TRANSLATION_EXAMPLE.rstrip("\n"),
        "```",
        "",
        f"- Translate only the text a learner reads: {fields} (the `note` of "
        "`expected: npkit:` too). Ids, facts, tags, outcomes, sources and pinpoints are "
        "never translated; they stay out of `th:` (the loader refuses a `th:` that gives "
        "one, naming its line and field).",
        "- Give each field under the `th:` of the section that holds the English; a key the "
        "English section does not have, or a list where the English has a text, is an error.",
        "- Where the English says that something is npkit's addition or npkit's reading, the "
        "translation says so too. A translation never adds or drops law.",
        "- A field with no translation is shown in English. `npkit validate` checks every "
        "file in English and in Thai; an error in a translation names the line and the field "
        "inside `th:`, for example `person.th.pseudonym`.",
        "",
    ]


def case_format() -> str:
    """The Markdown of ``docs/case-format.md``."""
    lines = _intro() + _translations()
    for part in parts():
        lines += _part(part)
        if part.path == "proceedings":
            lines += _expected()
    if not any(p.path == "proceedings" for p in parts()):
        lines += _expected()
    lines += _vocabulary()
    text = "\n".join(lines).rstrip("\n") + "\n"
    prose = re.sub(r"^```.*?^```", "", text, flags=re.M | re.S)
    headings = re.findall(r"^#+ (.+)$", prose, flags=re.M)
    slugs = [anchor(h) for h in headings]
    dupes = {s for s in slugs if slugs.count(s) > 1}
    if dupes:
        raise AssertionError(f"two headings share an anchor: {sorted(dupes)}")
    return text


# --------------------------------------------------------------------------------- README

CONTRACT_START = "<!-- json-contract: generated by `npkit docs readme` from the rule registry -->"
CONTRACT_END = "<!-- /json-contract -->"
COUNTERFACTUALS_ROW = (
    "| `counterfactuals[]` | `{path, from, to, changes, edits, text}`: up to two fact changes "
    "that flip an outcome; `edits` gives them as data, `[{field, from, to, change}]` "
    "(`change`: which of the changes the edit belongs to) |")
_PLACEHOLDER = {"duress": "variant", "models": "model", "jurisdictions": "ISO",
                "instruments": "id"}


def _words(values: Iterable[Any]) -> str:
    return ", ".join(f"`{_yaml_value(v)}`" for v in values)


def contract_table() -> list[str]:
    """The rows of the README's table of ``npkit assess --format json`` keys, from the rule
    registry: every group's names and the outcome words its rules can give."""
    lines = ["| key | values |", "|---|---|",
             f"| `victim.outcome` | {_words(registry.outcomes('victim'))} |"]
    for group in registry.GROUPS:
        names = ", ".join(f"`{n}`" for n in registry.names(group))
        lines.append(f"| `{group}.<{_PLACEHOLDER.get(group, 'name')}>.outcome` ({names}) | "
                     f"{_words(registry.group_outcomes(group))} |")
        if group == "duress":
            found: dict[str, None] = {}
            for variant in registry.variants():
                found.update(dict.fromkeys(registry.conditions(variant)))
            lines.append(f"| `duress.<variant>.conditions.<c>` "
                         f"({', '.join(f'`{c}`' for c in found)}) | `true`, `false` |")
    return [*lines, COUNTERFACTUALS_ROW]


def readme(text: str | None = None) -> str:
    """README.md with its JSON-contract table written from the registry (between the
    ``json-contract`` comments); everything else as it is."""
    if text is None:
        path = ROOT / "README.md"
        if not path.exists():  # an installed wheel has no README to rewrite
            raise SystemExit("npkit docs readme works in a checkout of npkit, next to README.md")
        text = path.read_text(encoding="utf-8")
    start, end = text.find(CONTRACT_START), text.find(CONTRACT_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md must hold the lines {CONTRACT_START!r} and "
                         f"{CONTRACT_END!r} around the JSON-contract table")
    table = "\n".join(contract_table())
    return f"{text[:start]}{CONTRACT_START}\n{table}\n{text[end:]}"


def _rulebook() -> str:
    from npkit.rulebook import rulebook

    return rulebook()


PAGES: dict[str, Callable[[], str]] = {
    "case-format": case_format, "rulebook": _rulebook, "readme": readme}
PATHS: dict[str, str] = {
    "case-format": "docs/case-format.md", "rulebook": "docs/rules.md", "readme": "README.md"}


def page_path(page: str) -> Path:
    return ROOT / PATHS[page]
