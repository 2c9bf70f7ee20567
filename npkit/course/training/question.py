"""The shapes of the course's questions: a quiz :class:`Question`, a generated question's
:class:`Spec` and a discussion :class:`Prompt`. Their words live in npkit/course/data/ (loaded
by :mod:`npkit.course.training.questions_data`); generated questions' keys come from the
engine."""

from __future__ import annotations

from dataclasses import dataclass, field

from npkit.law.citations import Citation, Confidence


def caveats_of(citations: tuple[Citation, ...], marks: tuple[Confidence, ...] = ()):
    """The caveats (npkit's reading, outside law) among ``marks`` and the citations' marks,
    in a fixed order."""
    found = set(marks) | {c.confidence for c in citations if c.confidence.is_caveat}
    return tuple(c for c in Confidence if c in found)


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    module: int  # the training module the question checks (1-6)
    prompt: str
    choices: tuple[tuple[str, str], ...]  # (label shown, value)
    answer: str  # the value of the right choice
    why: str
    source: Citation
    case_id: str = ""  # generated questions: the case file the key comes from
    path: str = ""  # generated questions: what was read (an ``expected:`` key where one exists)
    # generated questions: the caveats the engine says the answer rests on (Finding.marks)
    marks: tuple[Confidence, ...] = ()
    also: tuple[Citation, ...] = ()  # conceptual questions: the citations after the first

    def __post_init__(self) -> None:
        values = [v for _, v in self.choices]
        if len(values) < 2 or len(set(values)) != len(values):
            raise ValueError(f"{self.id}: needs at least two distinct choices")
        if self.answer not in values:
            raise ValueError(f"{self.id}: answer {self.answer!r} is not one of the choices")
        if not (self.prompt and self.why and isinstance(self.source, Citation)):
            raise ValueError(f"{self.id}: needs a prompt, a why and a source")

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(v for _, v in self.choices)

    def label(self, value: str) -> str:
        for lab, v in self.choices:
            if v == value:
                return lab
        return ""

    @property
    def answer_label(self) -> str:
        return self.label(self.answer)

    @property
    def generated(self) -> bool:
        return bool(self.case_id)

    @property
    def citations(self) -> tuple[Citation, ...]:
        return (self.source, *self.also)

    @property
    def caveats(self) -> tuple[Confidence, ...]:
        """What the answer rests on that a trainee must see with it: the engine's marks for a
        generated question, its citations' own marks for a conceptual one."""
        return caveats_of(self.citations, self.marks)


@dataclass(frozen=True, slots=True)
class Prompt:
    """A discussion prompt: asked of the trainee about a case, then compared with an author's
    argument. Nothing is scored."""

    id: str
    title: str
    question: str  # asked of the trainee about the case (yes / no / not sure); may use {name}
    argument: str  # the author's argument, in npkit's words
    source: Citation
    discuss: tuple[str, ...] = field(default=())  # open prompts for the room
    module: int = 6
    also: tuple[Citation, ...] = ()  # the citations after the first

    @property
    def citations(self) -> tuple[Citation, ...]:
        return (self.source, *self.also)

    @property
    def caveats(self) -> tuple[Confidence, ...]:
        return caveats_of(self.citations)


@dataclass(frozen=True, slots=True)
class Spec:
    """What a generated question asks (npkit/course/data/generated.yaml); its key is read from
    the engine when the bank is built."""

    id: str
    module: int
    case_id: str
    kind: str  # outcome | failing | category | stop | change
    target: str  # an outcome path without ".outcome" (victim, duress.malaysia ...), or ''
    prompt: str  # may use {name}, {charge}
    focus: str = ""  # a child finding whose reason the "why" adds (e.g. victim -> consent)
