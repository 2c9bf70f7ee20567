"""Download a scenario as a case file, with no server round trip: the link's ``href`` is a
``data:`` URI holding the YAML (base64), so it works offline and in Voila.

The downloaded case gets its own id (``<id>_edited``) and title, a narrative passage naming
the changes, ``source: npkit`` and no ``expected`` block (the source's expected outcomes no
longer describe the changed facts), so it never clashes with the case it came from and still
passes ``npkit validate``.
"""

from __future__ import annotations

import base64
import binascii
from collections import OrderedDict

import ipywidgets as w

from npkit.casefile.case import Case
from npkit.casefile.editing import edit_case, to_yaml
from npkit.course.widgets.base import esc
from npkit.course.widgets.outcome_matrix import boxed

SUFFIX = "_edited"
MIME = "application/yaml"
PREFIX = f"data:{MIME};charset=utf-8;base64,"
ID_MAX, TITLE_MAX, LESSON_MAX, PINPOINT_MAX = 60, 120, 500, 200


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def edited_id(case_id: str) -> str:
    if case_id.endswith(SUFFIX):
        return case_id
    return case_id[: ID_MAX - len(SUFFIX)].rstrip("_-") + SUFFIX


def edited_copy(loaded: Case, edited: Case, changes: list[str]) -> Case:
    """``edited`` renamed and re-labelled as a scenario-lab variant of ``loaded``."""
    listed = "; ".join(changes) if changes else "no fact changed"
    mark = " (edited)"
    title = loaded.title if loaded.title.endswith(mark) else \
        _fit(loaded.title, TITLE_MAX - len(mark)) + mark
    narrative = [p.model_dump(mode="json") for p in edited.narrative]
    narrative.append({"text": _fit(f"Changed in npkit's scenario lab: {listed}.", 5000),
                      "tags": []})
    return edit_case(
        edited,
        id=edited_id(loaded.id),
        title=title,
        lesson=_fit(f"A scenario-lab variant of '{loaded.id}'. Changes: {listed}.", LESSON_MAX),
        source={"source": "npkit",
                "pinpoint": _fit(f"scenario-lab variant of {loaded.source.text}", PINPOINT_MAX)},
        narrative=narrative,
        expected={},
        expected_source=None,
    )


def data_uri(text: str) -> str:
    return PREFIX + base64.b64encode(text.encode("utf-8")).decode("ascii")


def decode_data_uri(href: str) -> str:
    """The text inside a link made by :func:`data_uri` (``ValueError`` for anything else)."""
    if not href.startswith(PREFIX):
        raise ValueError("not a case-file link made by npkit")
    try:
        return base64.b64decode(href[len(PREFIX):], validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError) as e:
        raise ValueError("the link does not hold a readable case file") from e


class DownloadLink:
    """``.widget`` shows the link; ``.href``, ``.filename`` and ``.text`` hold what it gives."""

    CACHE_SIZE = 64

    def __init__(self) -> None:
        self.widget = w.HTML("")
        self.href = ""
        self.filename = ""
        self.text = ""
        # Writing YAML is most of an edit's cost (about 10 ms), so a scenario seen before (a
        # switch toggled back) reuses its text.
        self._yaml: OrderedDict[str, str] = OrderedDict()

    def _to_yaml(self, case: Case) -> str:
        key = case.model_dump_json()
        if key in self._yaml:
            self._yaml.move_to_end(key)
        else:
            self._yaml[key] = to_yaml(case)
            while len(self._yaml) > self.CACHE_SIZE:
                self._yaml.popitem(last=False)
        return self._yaml[key]

    def show(self, case: Case) -> None:
        self.text = self._to_yaml(case)
        self.filename = f"{case.id}.yaml"
        self.href = data_uri(self.text)
        size = max(1, round(len(self.text.encode("utf-8")) / 1024))
        self.widget.value = boxed(
            f"<p><a class='npk-download' href='{esc(self.href)}' download='{esc(self.filename)}'>"
            "<span aria-hidden='true'>⬇ </span>Download this scenario as a case file</a> "
            f"(<code>{esc(self.filename)}</code>, about {size} KB). "
            "Share it with your group or your trainer: your trainer can add it to the "
            "course's cases so it appears in every module.</p>"
            "<details><summary>Show the case file</summary>"
            f"<pre style='white-space: pre-wrap'>{esc(self.text)}</pre></details>")
