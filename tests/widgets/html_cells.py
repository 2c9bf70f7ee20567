"""Read an outcome-matrix row out of the HTML a widget shows (shared by the widget tests)."""

from html.parser import HTMLParser


class Cells(HTMLParser):
    """The text of each cell of the row with ``data-key``."""

    def __init__(self, key):
        super().__init__()
        self.key, self.inside, self.cells = key, False, []

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.inside = dict(attrs).get("data-key") == self.key
        elif self.inside and tag in ("th", "td"):
            self.cells.append("")

    def handle_endtag(self, tag):
        if tag == "tr":
            self.inside = False

    def handle_data(self, data):
        if self.inside and self.cells:
            self.cells[-1] += data
