"""Answer keys read from the reference data, for the conceptual questions whose answer the data
already holds (``key_from:`` in npkit/course/data/quiz/*.yaml), so that no answer is typed
twice. Each lookup gives the choices, the answer and the fields its ``why`` may use; a change
in the data changes the key, and a lookup the data no longer answers raises ``LookupError``.

    key_from:
      lookup: state_with_model      # the one ASEAN state whose row uses `model`
      model: closed_list
      others: [PH, ID, KH]          # states offered beside it
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from npkit.law.citations import Citation


@dataclass(frozen=True, slots=True)
class Key:
    choices: tuple[tuple[str, str], ...]
    answer: str
    fields: dict[str, str] = field(default_factory=dict)  # for the why's placeholders
    source: Citation | None = None  # where the data has its own citation for the key


def _names(names: list[str]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


class _Lookup(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
    fields: ClassVar[tuple[str, ...]] = ()


class StateWithModel(_Lookup):
    """The one ASEAN state whose row (npkit/law/data/jurisdictions.yaml) uses ``model``."""

    lookup: Literal["state_with_model"]
    model: str = Field(min_length=1)
    others: tuple[str, ...] = Field(min_length=1)  # state codes offered as wrong answers
    fields: ClassVar = ("name",)

    def read(self) -> Key:
        from npkit.law.jurisdiction_data import jurisdictions

        rows = jurisdictions()
        found = [r for r in rows.values() if r.model == self.model]
        if len(found) != 1:
            raise LookupError(f"{len(found)} states use the model {self.model!r}; the "
                              "question needs exactly one")
        unknown = [c for c in self.others if c not in rows]
        if unknown:
            raise LookupError(f"others: no state with the code {unknown[0]!r}")
        shown = [found[0], *(rows[c] for c in self.others if rows[c] is not found[0])]
        choices = tuple(sorted((r.name, r.code) for r in shown))
        return Key(choices, found[0].code, {"name": found[0].name})


class StatesWithProvision(_Lookup):
    """How many ASEAN states have an explicit non-punishment provision (``has_provision``)."""

    lookup: Literal["states_with_provision"]
    options: tuple[int, ...] = Field(min_length=1)  # counts offered as wrong answers
    fields: ClassVar = ("count", "without")

    def read(self) -> Key:
        from npkit.law.jurisdiction_data import jurisdictions

        rows = list(jurisdictions().values())
        n = sum(r.has_provision for r in rows)
        without = _names([r.name for r in rows if not r.has_provision])
        choices = tuple((str(k), str(k)) for k in sorted({*self.options, n}))
        return Key(choices, str(n), {"count": str(n), "without": without})


def _percent(text: str) -> float:
    return float(text.rstrip("%"))


class ContextFigure(_Lookup):
    """A percentage among the context figures (npkit.law.stages.CONTEXT_FIGURES), picked by
    words of its text; the question must cite the figure's own source first."""

    lookup: Literal["context_figure"]
    about: str = Field(min_length=1)  # words the figure's text contains
    options: tuple[Annotated[str, Field(pattern=r"^\d+(\.\d+)?%$")], ...] = Field(min_length=1)
    fields: ClassVar = ("figure", "text")

    def read(self) -> Key:
        from npkit.law.stages import CONTEXT_FIGURES

        found = [f for f in CONTEXT_FIGURES if self.about in f.text]
        if len(found) != 1:
            raise LookupError(f"{len(found)} context figures mention {self.about!r}; the "
                              "question needs exactly one")
        fig = found[0]
        options = sorted({*self.options, fig.figure}, key=_percent)
        return Key(tuple((o, o) for o in options), fig.figure,
                   {"figure": fig.figure, "text": fig.text}, fig.source)


KeyFrom = Annotated[StateWithModel | StatesWithProvision | ContextFigure,
                    Field(discriminator="lookup")]
