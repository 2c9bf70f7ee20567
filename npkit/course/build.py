"""Build the training notebooks from their reviewable sources.

``NN_name.py`` (jupytext percent format) is the only source kept; this makes ``NN_name.ipynb``
for Voila, JupyterLab and nbval. No outputs or widget state are stored, except in cells that
state their expected output by hand with ``# expect:`` lines: the build stores exactly those
lines as the cell's output and marks the cell for nbval to check (``# NBVAL_CHECK_OUTPUT``).
The expectation is written from the sources, never produced by the code it checks. Every
checked cell is also tagged ``npkit-check``: the Voila template never shows those outputs to
learners (they are answer keys).

Each notebook's metadata also gets what the Voila template shows around it (page title, the
module's number and title, the previous and next modules), from npkit.course.training.modules.

One implementation for every caller: ``make notebooks`` (tools/build_notebooks.py, into the
checkout's notebooks/) and ``npkit course`` (npkit/course/launch.py, into the user's cache). It
needs jupytext, from the notebooks extra; it is imported only when a notebook is built.

Languages (issue 17). A Voila page runs in its own kernel, and a preheated kernel runs the
notebook before it knows who visits, so a page's language is fixed per notebook: each language
gets its own notebooks, ``<lang>/NN_name.ipynb`` (served at ``/voila/render/th/NN_name.ipynb``).
The English source ``NN_name.py`` is the skeleton: the code cells are the same in every
language. The module text of a language is ``<lang>/NN_name.md`` beside the sources (format:
:func:`read_translation`): front matter with the module's title, then each markdown cell's
translation under a marker naming the English cell's id (``00-001``: the build's stable ids)
and a hash of the English text it translates. When the English cell changes, its hash no
longer matches: the build keeps the English text there (never an out-of-date translation) and
:func:`translation_status` lists the cell as stale (``tools/build_notebooks.py --translations``).
A language's notebook sets its language, ``npkit.i18n.use(lang)``, at the top of its first
code cell (``_speak``): the rest of that cell, every later cell, widget and loader speak it.
Its answer keys run in English (``with i18n.speaking("en"):``, :func:`_key_in_english`): their
expected lines are the English notebook's, written by hand from the sources, and a key checks
an outcome, which is the same in every language.
Its metadata carries ``npkit_lang`` and ``npkit_original`` (the English notebook, which the
draft notice links to).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from npkit.i18n import DEFAULT
from npkit.i18n.content import TRANSLATED

EXPECT = "# expect:"
CHECK = "# NBVAL_CHECK_OUTPUT"
CHECK_TAG = "npkit-check"
# The marker above each translated cell: <!-- cell 00-001 en:1a2b3c4d5e -->
MARKER = re.compile(r"^<!-- cell (?P<id>\d\d-\d{3}) en:(?P<hash>[0-9a-f]{10}) -->[ \t]*$", re.M)
MARKER_FORM = "<!-- cell NN-III en:HASH -->"
LANGUAGE_CELL = ("# The language of this page: the code below, every later cell, widget and "
                 "loader speak it.\n"
                 "from npkit import i18n\n\nPAGE_LANGUAGE = i18n.use({lang!r})")


class TranslationError(ValueError):
    """A translation file that cannot be read (its name and the line say where)."""


@dataclass
class Translation:
    """A language's text for one module: ``cells`` {cell id: (hash, text)}."""

    cells: dict[str, tuple[str, str]] = field(default_factory=dict)


def english_hash(text: str) -> str:
    """The hash a translation records of the English cell it translates."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:10]


def translation_path(src: Path, lang: str) -> Path:
    return Path(src).parent / lang / f"{Path(src).stem}.md"


def read_translation(path: Path) -> Translation:
    """``path`` (``<lang>/NN_name.md``): for every translated markdown cell a marker line
    ``<!-- cell NN-III en:HASH -->`` followed by the cell's text, in the English cells' order.
    A missing file is an empty translation. (The module's title, like every other word of the
    page around the notebook, is in the gettext catalogue: npkit.i18n.)"""
    path = Path(path)
    if not path.exists():
        return Translation()
    text = path.read_text(encoding="utf-8")
    out = Translation()
    marks = list(MARKER.finditer(text))
    head = text[:marks[0].start()] if marks else text
    if head.strip():
        raise TranslationError(f"{path}:1: text before the first {MARKER_FORM} marker")
    # an empty file (no marker) is an empty translation, not a failed zip
    for mark, after in zip(marks, [*marks[1:], None][:len(marks)], strict=True):
        cell_id = mark["id"]
        if cell_id in out.cells:
            line = text.count("\n", 0, mark.start()) + 1
            raise TranslationError(f"{path}:{line}: cell {cell_id} translated twice")
        body = text[mark.end():after.start() if after else len(text)].strip()
        out.cells[cell_id] = (mark["hash"], body)
    return out


def translation_status(src: Path, lang: str) -> dict[str, list[str]]:
    """What the ``lang`` text of the module ``src`` lacks: ``missing`` (English markdown cells
    with no translation), ``stale`` (translated from an English text that has changed since)
    and ``unknown`` (translations of cells the English no longer has)."""
    tr = read_translation(translation_path(src, lang))
    english = {c.id: c.source for c in _read(src).cells if c.cell_type == "markdown"}
    return {"missing": sorted(set(english) - set(tr.cells)),
            "stale": sorted(i for i, (h, _) in tr.cells.items()
                            if i in english and h != english_hash(english[i])),
            "unknown": sorted(set(tr.cells) - set(english))}


def sources(folder: Path) -> list[Path]:
    """The module sources in ``folder``: ``NN_name.py``, in order."""
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.py"))


def module_metadata(stem: str, lang: str = DEFAULT) -> dict:
    """``title`` (the page title) and ``npkit`` (number, title, minutes, previous and next
    module, and ``steps`` for a module shown one step at a time) for the notebook ``stem``; for
    a workshop page, which is no module, ``title`` and ``npkit_page`` (title, audience);
    nothing if the catalogue does not list it.

    For another language than English: the titles and the page words from the catalogue
    (npkit.i18n), links to that language's notebooks, ``npkit_lang`` and ``npkit_original``
    (the English notebook)."""
    from npkit.course.training.modules import MODULES, WORKSHOP_PAGES
    from npkit.i18n import translations

    gettext = translations(lang).gettext
    folder = "" if lang == DEFAULT else f"{lang}/"

    def title(notebook: str, english: str) -> str:
        return gettext(english)

    extra = {} if lang == DEFAULT else {"npkit_lang": lang, "npkit_original": f"{stem}.ipynb"}

    by_notebook = {m.notebook: i for i, m in enumerate(MODULES)}
    i = by_notebook.get(f"{stem}.ipynb")
    page = next((p for p in WORKSHOP_PAGES if p.notebook == f"{stem}.ipynb"), None)
    if page is not None:
        shown = title(page.notebook, page.title)
        return {"title": f"{shown} · npkit",
                "npkit_page": {"kind": "workshop", "title": shown,
                               "audience": page.audience}, **extra}
    if i is None:
        return {}

    def ref(j: int) -> dict | None:
        if not 0 <= j < len(MODULES):
            return None
        m = MODULES[j]
        return {"number": m.number, "title": title(m.notebook, m.title),
                "notebook": folder + m.notebook}

    m = MODULES[i]
    shown = {"number": m.number, "title": title(m.notebook, m.title), "minutes": m.minutes,
             "count": len(MODULES), "prev": ref(i - 1), "next": ref(i + 1)}
    if m.steps:
        shown["steps"] = True  # one step at a time under Voila (npkit-steps.js)
    page_title = gettext("Module {number}: {title}").format(number=m.number, title=shown["title"])
    return {"title": f"{page_title} · npkit", "npkit": shown, **extra}


def _read(src: Path):
    import jupytext

    nb = jupytext.read(src)
    for i, cell in enumerate(nb.cells):
        cell.id = f"{src.stem[:2]}-{i:03d}"  # stable ids: the same source builds the same file
    return nb


def _key_in_english(source: str) -> str:
    """An answer key's ``source`` run in English (see the module's docstring): its lines in a
    ``with i18n.speaking("en"):`` block, nbval's marker kept first."""
    rest = [line for line in source.splitlines() if line.strip() != CHECK]
    body = "\n".join(f"    {line}" if line.strip() else "" for line in rest)
    return (f"{CHECK}\n# the expected lines are the English page's, written from the sources\n"
            f"with i18n.speaking(\"en\"):\n{body}")


def _speak(nb, src: Path, lang: str) -> None:
    """Set the page's language before any of its code runs: at the top of its first code cell,
    or in a cell of its own before it when that cell is an answer key (Voila does not run
    those) or there is none. Not a cell of its own every time: each code cell costs every
    trainee's kernel and the server a round of messages (issue 16)."""
    import nbformat

    code = LANGUAGE_CELL.format(lang=lang)
    first = next((c for c in nb.cells if c.cell_type == "code"), None)
    if first is not None and CHECK_TAG not in first.metadata.get("tags", []):
        first.source = f"{code}\n\n{first.source}"
        return
    cell = nbformat.v4.new_code_cell(code)
    cell.id = f"{src.stem[:2]}-{lang}"
    nb.cells.insert(0, cell)


def build(src: Path, lang: str = DEFAULT):
    """The notebook (an ``nbformat.NotebookNode``) built from the source ``src``, in ``lang``
    (its translation's text where current, else the English; see the module's docstring)."""
    import nbformat

    src = Path(src)
    nb = _read(src)
    if lang != DEFAULT:
        tr = read_translation(translation_path(src, lang))
        for cell in nb.cells:
            hashed, text = tr.cells.get(cell.id, ("", ""))
            if cell.cell_type == "markdown" and hashed == english_hash(cell.source):
                cell.source = text
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        lines = cell.source.splitlines()
        expected = [ln[len(EXPECT):].strip() for ln in lines if ln.startswith(EXPECT)]
        cell.execution_count = None
        cell.outputs = []
        if expected:
            if CHECK not in cell.source:
                cell.source = f"{CHECK}\n{cell.source}"
            cell.execution_count = 1  # nbval only compares cells that look run
            cell.outputs = [nbformat.v4.new_output(
                "stream", name="stdout", text="\n".join(expected) + "\n")]
        if CHECK in cell.source:
            tags = list(cell.metadata.get("tags", []))
            cell.metadata["tags"] = [*tags, CHECK_TAG] if CHECK_TAG not in tags else tags
    if lang != DEFAULT:  # after the tags: an answer key is known by its tag alone
        for cell in nb.cells:
            if CHECK_TAG in cell.metadata.get("tags", []):
                cell.source = _key_in_english(cell.source)
        _speak(nb, src, lang)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata.update(module_metadata(src.stem, lang))
    nb.metadata.pop("jupytext", None)
    nb.metadata.pop("widgets", None)
    return nb


def text(nb) -> str:
    """The file text of a built notebook."""
    import nbformat

    return nbformat.writes(nb) + "\n"


def build_all(folder: Path, out: Path | None = None, *, check: bool = False) -> list[Path]:
    """Build every module source in ``folder`` into ``out`` (default: beside its source), and
    each into ``out/<lang>/`` for every translated language, writing only the notebooks that
    are missing or differ. Returns those notebooks; with ``check`` nothing is written (they are
    the stale ones)."""
    out = Path(out or folder)
    changed = []
    for src in sources(folder):
        for lang in (DEFAULT, *TRANSLATED):
            target = out / ("" if lang == DEFAULT else lang) / f"{src.stem}.ipynb"
            new = text(build(src, lang))
            if target.exists() and target.read_text(encoding="utf-8") == new:
                continue
            changed.append(target)
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(new, encoding="utf-8")
    return changed


def built_pages(folder: Path) -> list[str]:
    """The notebooks in a built course folder, as Voila names them (``05_scenario_lab.ipynb``,
    ``th/05_scenario_lab.ipynb``)."""
    folder = Path(folder)
    pages = [p.name for p in folder.glob("*.ipynb")]
    pages += [f"{lang}/{p.name}" for lang in TRANSLATED for p in (folder / lang).glob("*.ipynb")]
    return sorted(pages)

