"""The glossary (npkit/course/data/glossary.yaml, issue 14): every entry loads with a pinpoint
found in the seeds or a citation of npkit's own reading; a broken entry is refused naming file,
entry and field; the page (glossary.html) gives every term an anchor and says where it comes
from; the top bar every page shares links to it."""

from html.parser import HTMLParser

import jinja2
import pytest
import yaml

from npkit.course.training.content import ContentError
from npkit.course.training.glossary import load_glossary, page_context
from npkit.law.citations import Confidence
from npkit.paths import CHECKOUT

TEMPLATES = CHECKOUT / "share" / "jupyter" / "voila" / "templates" / "npkit"
# The terms issue 14 and the modules lean on; each must have an entry (by its anchor).
NEEDED = ("duress", "non-punishment-principle", "causation", "compulsion", "closed-list",
          "act", "means", "purpose", "status-offence", "purpose-offence", "secondary-offence",
          "identification", "imminence", "proportionality",
          "international-criminal-law-analogue", "presumption", "dual-factor")


def test_every_entry_cites_a_pinpoint_in_the_seeds_or_npkits_own_reading():
    entries = load_glossary()  # checks each pinpoint against the seeds' known places
    assert {e.id for e in entries} >= set(NEEDED)
    for e in entries:
        first = e.cite[0]
        # where the term comes from: a place in a source, or npkit saying the reading is its own
        assert first.pinpoint.strip() or first.source == "alsa2025", e.id
        assert first.source != "outside", f"{e.id}: a term must come from the sources first"
        for c in e.cite:
            if c.source == "npkit":
                assert c.confidence is Confidence.NPKIT_READING and "npkit" in e.definition


def write(tmp_path, entries) -> str:
    path = tmp_path / "glossary.yaml"
    path.write_text(yaml.safe_dump(entries, sort_keys=False), encoding="utf-8")
    return path


GOOD = {"id": "duress", "term": "Duress", "definition": "A general defence.",
        "cite": [{"source": "fitzgerald2024", "pinpoint": "V.A", "confidence": "verified"}]}


@pytest.mark.parametrize(("change", "field", "message"), [
    ({"cite": []}, "cite", "at least 1 item"),
    ({"cite": [{"source": "fitzgerald2024", "pinpoint": "", "confidence": "verified"}]},
     "cite.0.pinpoint", "needs a pinpoint"),
    ({"cite": [{"source": "fitzgerald2024", "pinpoint": "IX.Z", "confidence": "verified"}]},
     "cite.0.pinpoint", "has no section 'IX.Z'"),
    ({"cite": [{"source": "npkit", "pinpoint": "my reading", "confidence": "npkit_reading"}]},
     "(entry)", "the definition must say which part is npkit's"),
    ({"see": ["nowhere"]}, "see", "'nowhere' is not the id of an entry"),
    ({"id": "Duress Defence"}, "id", "should match pattern"),
    ({"definition": "  "}, "definition", "must not be empty"),
])
def test_a_broken_entry_is_refused_naming_file_entry_and_field(tmp_path, change, field, message):
    path = write(tmp_path, [GOOD | {"id": "first"}, GOOD | change])
    with pytest.raises(ContentError) as err:
        load_glossary(path)
    assert "glossary.yaml, line " in str(err.value)
    assert f"field {field}: " in str(err.value) and message in str(err.value), str(err.value)
    assert load_glossary(write(tmp_path, [GOOD]))[0].id == "duress"


class Page(HTMLParser):
    """Ids, in-page links and top bar links of a rendered page."""

    def __init__(self):
        super().__init__()
        self.ids, self.anchors, self.topnav, self._nav = set(), [], [], 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "nav" and a.get("aria-label") == "Course":
            self._nav += 1
        if tag == "a" and a.get("href", "").startswith("#"):
            self.anchors.append(a["href"][1:])
        if tag == "a" and self._nav:
            self.topnav.append(a.get("href"))

    def handle_endtag(self, tag):
        if tag == "nav" and self._nav:
            self._nav -= 1


def render(name: str, **context) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True,
                             undefined=jinja2.StrictUndefined)
    return env.get_template(name).render(base_url="/course/",
                                         include_url=lambda p: f"/course/voila/{p}", **context)


def test_the_page_gives_every_term_an_anchor_and_its_sources():
    context = page_context()
    html = render("glossary.html", glossary=context)
    page = Page()
    page.feed(html)
    ids = [e["id"] for e in context["entries"]]
    assert set(ids) <= page.ids
    assert set(page.anchors) <= page.ids and set(ids) <= set(page.anchors)  # the index
    assert "/course/glossary" in page.topnav
    assert html.count('class="npk-term-source"') == len(ids)
    assert "npkit&#39;s reading" in html  # a reading of npkit's is marked on the page
    assert "from outside npkit&#39;s sources: verify before use" in html


def test_definitions_are_escaped():
    context = page_context()
    context["entries"][0] = context["entries"][0] | {"definition": "<script>x()</script>"}
    html = render("glossary.html", glossary=context)
    assert "<script>x()</script>" not in html and "&lt;script&gt;" in html


def test_the_top_bar_every_page_shares_links_to_the_glossary():
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    bar = env.get_template("npkit.macro.html.j2").module.topbar("/course/")
    page = Page()
    page.feed(str(bar))
    assert page.topnav == ["/course/", "/course/glossary"]
    # the plain pages (page.html) and the module pages (index.html.j2) both draw that bar
    for name in ("page.html", "index.html.j2"):
        assert "npk.topbar(" in (TEMPLATES / name).read_text(encoding="utf-8"), name
