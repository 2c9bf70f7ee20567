"""The course's questions and prompts as validated data (npkit/course/data/):

- ``quiz/*.yaml``: the conceptual questions, every file of the folder, each with citations;
  where the reference data holds the key, ``key_from`` names the lookup
  (:mod:`npkit.course.training.keys`) instead of typing choices and an answer;
- ``generated.yaml``: the specs of the generated questions (the key comes from the engine);
- ``prompts.yaml``: the discussion prompts; ``checklist.yaml``: the duress checklist.

Each loader refuses a broken file with a :class:`~npkit.course.training.content.ContentError`
naming the file, the entry and the field. ``check`` (``(source, pinpoint) -> problem``) also
checks every pinpoint against the seeds' headings; the tests pass one, since the seeds are not
shipped with npkit.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from npkit import i18n
from npkit.cite_spec import FollowableCite, PinpointCheck
from npkit.course.training import keys
from npkit.course.training.content import (
    DATA,
    KEBAB,
    ContentError,
    Entry,
    Module,
    Text,
    entries,
    item_lines,
    placeholders,
    read,
    shown,
    text,
)
from npkit.course.training.question import Prompt, Question, Spec
from npkit.datacache import shared_data

_MISSING = object()


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Choice(_Model):
    # the fields a th: overlay may translate (npkit.i18n.content)
    TEXT: ClassVar[tuple[str, ...]] = ("label",)

    label: Text
    value: Text


class QuestionEntry(_Model):
    """A conceptual question (the schema of quiz/*.yaml)."""

    # the fields a th: overlay may translate (npkit.i18n.content)
    TEXT: ClassVar[tuple[str, ...]] = ("prompt", "why", *Choice.TEXT)

    id: str = Field(pattern=KEBAB)
    module: Module
    prompt: Text
    key_from: keys.KeyFrom | None = None
    choices: tuple[Choice, ...] | None = Field(None, validate_default=True)
    answer: Text | None = Field(None, validate_default=True)
    why: Text
    cite: tuple[FollowableCite, ...] = Field(min_length=1)

    @field_validator("choices")
    @classmethod
    def _choices(cls, v, info: ValidationInfo):
        key_from = info.data.get("key_from", _MISSING)
        if key_from is _MISSING:  # key_from itself is wrong: that error says enough
            return v
        if key_from is not None:
            if v is not None:
                raise ValueError("leave choices out: key_from gives them")
            return v
        values = [c.value for c in v or ()]
        if len(values) < 2 or len(set(values)) != len(values):
            raise ValueError("needs at least two choices, with distinct values")
        return v

    @field_validator("answer")
    @classmethod
    def _answer(cls, v, info: ValidationInfo):
        key_from = info.data.get("key_from", _MISSING)
        choices = info.data.get("choices", _MISSING)
        if key_from is _MISSING or choices is _MISSING:
            return v
        if key_from is not None:
            if v is not None:
                raise ValueError("leave the answer out: key_from reads it from the data")
        elif v is None:
            raise ValueError("needs an answer: the value of the right choice")
        elif v not in [c.value for c in choices]:
            raise ValueError(f"{v!r} is not the value of one of the choices")
        return v

    @field_validator("why")
    @classmethod
    def _why(cls, v: str, info: ValidationInfo) -> str:
        key_from = info.data.get("key_from")
        return placeholders(v, key_from.fields, "why") if key_from is not None else v

    def question(self) -> Question:
        first, *rest = (c.citation() for c in self.cite)
        if self.key_from is None:
            choices = tuple((c.label, c.value) for c in self.choices)
            return Question(self.id, self.module, self.prompt, choices, self.answer, self.why,
                            first, also=tuple(rest))
        key = self.key_from.read()
        if key.source is not None and key.source != first:
            raise ValueError(f"cite the figure's source first, as the data does: {key.source}")
        return Question(self.id, self.module, self.prompt, key.choices, key.answer,
                        self.why.format(**key.fields), first, also=tuple(rest))


class SpecEntry(_Model):
    """A generated question's spec (the schema of generated.yaml's ``specs``)."""

    # the fields a th: overlay may translate (npkit.i18n.content)
    TEXT: ClassVar[tuple[str, ...]] = ("prompt",)

    id: str = Field(pattern=r"^[A-Za-z0-9_-]+$")
    module: Module
    case: str = Field(pattern=r"^[a-z0-9_]+$")
    kind: Literal["outcome", "failing", "category", "stop", "change"]
    target: str = Field("", validate_default=True)
    prompt: Text
    focus: str = ""

    @field_validator("target")
    @classmethod
    def _target(cls, v: str, info: ValidationInfo) -> str:
        from npkit.casefile.case import question_paths

        kind = info.data.get("kind")
        if kind in ("category", "stop"):
            if v:
                raise ValueError(f"a {kind} question has no target")
        elif kind is not None and v not in question_paths():
            raise ValueError(f"{v!r} is not a rule id (`npkit rule --list` lists them)")
        elif kind == "failing" and not v.startswith("duress."):
            raise ValueError("a failing question asks about a duress variant (duress....)")
        return v

    @field_validator("prompt")
    @classmethod
    def _prompt(cls, v: str) -> str:
        return placeholders(v, ("name", "charge"), "prompt")

    def spec(self) -> Spec:
        return Spec(self.id, self.module, self.case, self.kind, self.target, self.prompt,
                    self.focus)


class PromptEntry(_Model):
    """A discussion prompt (the schema of prompts.yaml)."""

    # the fields a th: overlay may translate (npkit.i18n.content)
    TEXT: ClassVar[tuple[str, ...]] = ("title", "question", "argument", "discuss")

    id: str = Field(pattern=KEBAB)
    module: Module
    title: Text
    question: Text
    argument: Text
    cite: tuple[FollowableCite, ...] = Field(min_length=1)
    discuss: tuple[Text, ...] = ()

    @field_validator("question")
    @classmethod
    def _question(cls, v: str) -> str:
        return placeholders(v, ("name",), "question")

    def prompt(self) -> Prompt:
        first, *rest = (c.citation() for c in self.cite)
        return Prompt(self.id, self.title, self.question, self.argument, first, self.discuss,
                      self.module, tuple(rest))


class ChecklistEntry(_Model):
    """A condition of duress as a yes/no question (the schema of checklist.yaml)."""

    # the fields a th: overlay may translate (npkit.i18n.content)
    TEXT: ClassVar[tuple[str, ...]] = ("title", "question")

    condition: str
    title: Text
    question: Text
    # What a "yes" to the question says about the condition: a question asked the plain,
    # positive way round ("Could Jane escape?") has yes_means: not_met.
    yes_means: Literal["met", "not_met"] = "met"
    cite: tuple[FollowableCite, ...] = Field(min_length=1)

    @field_validator("condition")
    @classmethod
    def _condition(cls, v: str) -> str:
        from npkit.law.duress import CONDITIONS

        if v not in CONDITIONS:
            raise ValueError(f"{v!r} is not a condition of duress; known: {list(CONDITIONS)}")
        return v

    @field_validator("question")
    @classmethod
    def _question(cls, v: str) -> str:
        return placeholders(v, ("name",), "question")


# --- loaders ------------------------------------------------------------------------------------


def load_quiz(folder: Path, *, check: PinpointCheck | None = None,
              taken: dict[str, str] | None = None, lang: str | None = None) -> list[Question]:
    """The conceptual questions of every ``*.yaml`` in ``folder`` (by file name, then in file
    order), in ``lang`` (default: the current language); an id must be unique across the files
    and not in ``taken`` (id -> where)."""
    return build(quiz_entries_in(folder, check=check, taken=taken, lang=lang))


def quiz_entries_in(folder: Path, *, check: PinpointCheck | None = None,
                    taken: dict[str, str] | None = None, lang: str | None = None
                    ) -> list[Entry]:
    files = sorted(p for p in Path(folder).glob("*.yaml") if p.is_file())
    if not files:
        raise ContentError(f"{shown(folder)}: no quiz file (*.yaml)")
    seen = dict(taken or {})
    found: list[Entry] = []
    for path in files:
        raw, node = read(path, QuestionEntry.TEXT, lang)
        got = entries(path, raw, item_lines(node), QuestionEntry, check=check, taken=seen)
        seen.update((e.value.id, e.where) for e in got)
        found += got
    return found


def build(found: list[Entry]) -> list[Question]:
    """The questions of validated entries, keys read from the reference data as it is now."""
    out, problems = [], []
    for e in found:
        try:
            out.append(e.value.question())
        except (ValueError, LookupError) as exc:  # the data no longer gives one key
            problems.append(e.problem("key_from", str(exc)))
    if problems:
        raise ContentError("\n".join(problems))
    return out


def load_generated(path: Path, *, check: PinpointCheck | None = None, lang: str | None = None
                   ) -> tuple[tuple[Spec, ...], str]:
    """The specs of the generated questions, and the stop prompt asked of any case."""
    raw, node = read(path, ("stop_prompt", *SpecEntry.TEXT), lang)
    if not isinstance(raw, dict) or set(raw) != {"stop_prompt", "specs"}:
        raise ContentError(f"{shown(path)}: expected the keys stop_prompt and specs")
    try:
        stop = text(raw["stop_prompt"])
        if not isinstance(stop, str):
            raise ValueError("needs the words of the question")
        stop = placeholders(stop, ("name",), "stop_prompt")
    except ValueError as exc:
        raise ContentError(f"{shown(path)}, field stop_prompt: {exc}") from None
    found = entries(path, raw["specs"], item_lines(node, "specs"), SpecEntry, check=check)
    return tuple(e.value.spec() for e in found), stop


def load_prompts(path: Path, *, check: PinpointCheck | None = None, lang: str | None = None
                 ) -> tuple[Prompt, ...]:
    raw, node = read(path, PromptEntry.TEXT, lang)
    return tuple(e.value.prompt() for e in entries(path, raw, item_lines(node), PromptEntry,
                                                     check=check))


def load_checklist(path: Path, *, check: PinpointCheck | None = None, lang: str | None = None
                   ) -> tuple[ChecklistEntry, ...]:
    """One question per condition of duress, in the law module's order."""
    from npkit.law.duress import CONDITIONS

    raw, node = read(path, ChecklistEntry.TEXT, lang)
    found = {e.value.condition: e.value
             for e in entries(path, raw, item_lines(node), ChecklistEntry, check=check,
                              key="condition")}
    missing = [c for c in CONDITIONS if c not in found]
    if missing:
        raise ContentError(f"{shown(path)}: no question for the condition(s) {missing}")
    return tuple(found[c] for c in CONDITIONS)


# The files are read once per language (each language's text validated as it is shown).
def generated_specs(lang: str | None = None) -> tuple[tuple[Spec, ...], str]:
    return _generated_specs(_lang(lang))


# Each loader's result is checked once for every kernel (npkit.datacache, keyed by the files'
# content and npkit's code): a page's kernel reads it back instead (issue 16).
@cache
def _generated_specs(lang: str) -> tuple[tuple[Spec, ...], str]:
    path = DATA / "generated.yaml"
    return shared_data(f"course-generated-{lang}", [path],
                       lambda: load_generated(path, lang=lang), tuple)


def quiz_entries(lang: str | None = None) -> tuple[Entry, ...]:
    return _quiz_entries(_lang(lang))


@cache
def _quiz_entries(lang: str) -> tuple[Entry, ...]:
    files = [DATA / "generated.yaml", *sorted((DATA / "quiz").glob("*.yaml"))]
    return shared_data(f"course-quiz-{lang}", files, lambda: _read_quiz_entries(lang), tuple)


def _read_quiz_entries(lang: str) -> tuple[Entry, ...]:
    where = f"{DATA.name}/generated.yaml"
    taken = {s.id: f"a generated question in {where}" for s in generated_specs(lang)[0]}
    return tuple(quiz_entries_in(DATA / "quiz", taken=taken, lang=lang))


def conceptual_questions() -> tuple[Question, ...]:
    """The conceptual questions (files read once; keys read from the data on every call)."""
    return tuple(build(list(quiz_entries())))


def prompts(lang: str | None = None) -> tuple[Prompt, ...]:
    return _prompts(_lang(lang))


@cache
def _prompts(lang: str) -> tuple[Prompt, ...]:
    path = DATA / "prompts.yaml"
    return shared_data(f"course-prompts-{lang}", [path], lambda: load_prompts(path, lang=lang),
                       tuple)


def checklist(lang: str | None = None) -> tuple[ChecklistEntry, ...]:
    return _checklist(_lang(lang))


@cache
def _checklist(lang: str) -> tuple[ChecklistEntry, ...]:
    path = DATA / "checklist.yaml"
    return shared_data(f"course-checklist-{lang}", [path],
                       lambda: load_checklist(path, lang=lang), tuple)


def _lang(lang: str | None) -> str:
    return i18n.current() if lang is None else lang
