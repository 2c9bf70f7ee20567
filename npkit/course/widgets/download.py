"""Download a scenario as a case file, with no server round trip: the link's ``href`` is a
``data:`` URI holding the YAML (base64), so it works offline and in Voila.

The case to download is made by :func:`npkit.casefile.scenario.edited_copy` (its own id and
title, no ``expected`` block), so it never clashes with the case it came from and still
passes ``npkit validate``.
"""

from __future__ import annotations

import base64
import binascii
from collections import OrderedDict

from npkit.casefile.cache import content_key
from npkit.casefile.case import Case
from npkit.casefile.editing import to_yaml
from npkit.course.widgets import ui

MIME = "application/yaml"
PREFIX = f"data:{MIME};charset=utf-8;base64,"


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
        self.widget = ui.html_widget()
        self.href = ""
        self.filename = ""
        self.text = ""
        # Writing YAML is most of an edit's cost (about 10 ms), so a scenario seen before (a
        # switch toggled back) reuses its text.
        self._yaml: OrderedDict[str, str] = OrderedDict()

    def _to_yaml(self, case: Case) -> str:
        # a case from the shared library is named by its key, not serialised (issue 16)
        key = content_key(case) or case.model_dump_json()
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
        self.widget.value = ui.value("scenario_lab/download.html.j2", href=self.href,
                                     filename=self.filename, size=size, text=self.text)
