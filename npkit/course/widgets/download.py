"""Download a scenario as a case file, with no server round trip: the link's ``href`` is a
``data:`` URI holding the YAML (base64), so it works offline and in Voila.

The case to download is made by :func:`npkit.casefile.scenario.edited_copy` (its own id and
title, no ``expected`` block), so it never clashes with the case it came from and still
passes ``npkit validate``.

The link and its preview hold the case file twice (about 12 KB), so they are made when the
trainee first presses :attr:`DownloadLink.button` (issue 16: every trainee's kernel built them
and sent them with the page, though few download). From then on they follow every change, as
before; until then the case to download is only remembered.
"""

from __future__ import annotations

import base64
import binascii
from collections import OrderedDict
from collections.abc import Callable

import ipywidgets as w

from npkit.casefile.cache import content_key
from npkit.casefile.case import Case
from npkit.casefile.editing import to_yaml
from npkit.course.widgets import ui
from npkit.i18n import N_, _

MIME = "application/yaml"
PREFIX = f"data:{MIME};charset=utf-8;base64,"
FAILED = N_("The case file could not be made.")


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
    """``.button`` makes the link, ``.widget`` shows it (and, once made, says so to a screen
    reader) under what the owner puts above it (:meth:`show`'s ``above``: the scenario lab's
    list of changes shares the widget, issue 16); ``.href``, ``.filename`` and ``.text`` hold
    what it gives for the case last shown, whether or not the link is made yet.
    ``.prepared``: the link is made and follows every :meth:`show`."""

    CACHE_SIZE = 64

    def __init__(self, widget: w.HTML | None = None) -> None:
        self.widget = widget if widget is not None else ui.html_widget()
        self._above = ui.Markup("")
        self.button = ui.button(_("Prepare the case file to download"),
                                tooltip=_("Make your version of this case a file you can "
                                          "download and share"))
        self.button.on_click(lambda _b: self.prepare())
        self.prepared = False
        self._case: Case | Callable[[], Case] | None = None
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

    @property
    def case(self) -> Case | None:
        """The case to download (made now if it was given as a function)."""
        if callable(self._case):
            self._case = self._case()
        return self._case

    @property
    def text(self) -> str:
        case = self.case
        return "" if case is None else self._to_yaml(case)

    @property
    def filename(self) -> str:
        case = self.case
        return "" if case is None else f"{case.id}.yaml"

    @property
    def href(self) -> str:
        return data_uri(self.text) if self.case is not None else ""

    def show(self, case: Case | Callable[[], Case], above: str = "") -> None:
        """The case to download now (or a function that makes it), and the trusted HTML
        shown above the link: the link follows the case once made, else it is made only if
        the trainee asks."""
        self._case = case
        self._above = ui.Markup(above)
        self._draw()

    @ui.guard(FAILED, status="widget")
    def prepare(self) -> None:
        """Make the link (the button's work), say so, and keep it following the case."""
        if self.case is None:
            return
        self.prepared = True
        self.button.add_class("npk-gone")  # its work is done: the link takes its place
        self._draw(ready=True)

    def _draw(self, *, ready: bool = False) -> None:
        if not self.prepared:
            self.widget.value = ui.value("scenario_lab/sections.html.j2",
                                         parts=[self._above]) if self._above else ""
            return
        text = self.text
        size = max(1, round(len(text.encode("utf-8")) / 1024))
        self.widget.value = ui.value("scenario_lab/download.html.j2", above=self._above,
                                     href=data_uri(text), filename=self.filename, size=size,
                                     text=text, ready=ready)
