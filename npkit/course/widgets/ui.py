"""The view layer of the course widgets: Jinja2 templates, one stylesheet, and the few
controls every page shares (issue 13).

Templates live in ``npkit/course/widgets/templates/`` (``*.html.j2``). The environment
autoescapes every template and is strict about undefined names, so a typo fails loudly
instead of printing nothing. Case and trainee text go in as plain values and come out escaped;
never build HTML around such text by hand (tests/test_view_layer.py fails on an f-string,
``%``, ``.format()`` or ``+`` whose literal parts hold ``<`` in a widget module).

    from npkit.course.widgets import ui

    ui.render("tagger/passage.html.j2", case=case, i=0)   # Markup: trusted, nestable
    ui.value("tagger/passage.html.j2", case=case, i=0)    # the same inside <div class="npk">
    out = ui.html_widget("quiz/intro.html.j2")            # an ipywidgets.HTML showing it
    out.value = ui.value(...)                             # update it later

Shared pieces, as Jinja2 macros (``{% import "_shared.html.j2" as ui %}``) and here as
Python functions returning Markup: :func:`badge` (symbol + word, colour only as a second
channel), :func:`marks` (the caveats an outcome rests on, in words), :func:`outcome`,
:func:`reasons`, :func:`tree` (a finding as nested ``<details>``), :func:`error_panel`.
:func:`verdict_badge` is a badge with its marks beside it.

Controls: :func:`button` (a labelled button as wide as its label; no icon glyph, so the
accessible name is the words), :func:`box` (a group with an optional visible heading),
:func:`status_line` and :func:`say` (a live region: ``role=status aria-live=polite``, an error
is ``role=alert``), and :func:`guard`, the decorator that makes a callback never raise into
the page: it logs the exception and shows a readable sentence in a status line, never a
traceback.

Choice groups (issue 14): ipywidgets draws RadioButtons and ToggleButtons without a group
role or a name, so a screen reader hears only "Yes, radio button". :func:`question_id` gives
the question's element an id (put it in the template), and :func:`labelled_by` ties the choice
widget to it; on module pages ``static/npkit-a11y.js`` then makes the widget a ``radiogroup``
(``group`` for toggle buttons) named by that question, gives toggle buttons ``aria-pressed``,
hides icon glyphs from the accessible name and drops the ``title="null"`` ipywidgets writes for
an unset tooltip. A choice widget without :func:`labelled_by` is named by its own description.

One stylesheet: ``share/jupyter/voila/templates/npkit/static/npkit.css``. The Voila template
links it once per page; widget values carry no ``<style>``. JupyterLab (where trainers and
authors open the modules) has no Voila template, so outside Voila the module header shows the
stylesheet's widget section once per page (:func:`stylesheet`); the section lies between the
``npkit widgets: begin`` and ``npkit widgets: end`` comments of npkit.css, and leaves out the
page rules (``html``, ``body``) that would restyle JupyterLab itself.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import ipywidgets as w
from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from markupsafe import Markup

from npkit import i18n
from npkit.course.widgets import first_state, lean, plain_text
from npkit.render import words as rw

log = logging.getLogger(__name__)
lean.install()  # the page's widget states travel without their defaults (lean.py)
first_state.install()  # no comm_open for a page not yet connected (first_state.open_widget)
plain_text.install()  # a display's text/plain made only as long as it is kept

__all__ = [
    "BADGES", "Markup", "badge", "box", "button", "cite_text", "env", "error_panel", "guard",
    "hbox", "html_widget", "is_shared", "labelled_by", "marks", "outcome", "own_layout",
    "question_id", "reasons", "render", "say", "shared", "shared_style", "status_line",
    "stylesheet", "tree", "value", "vbox", "verdict_badge", "words",
]

# Every word a badge may show: (symbol, colour class). Colour is a second channel only; the
# symbol is hidden from screen readers and the word always shown. Engine outcomes, feedback
# words, and the levels of a status line.
BADGES: dict[str, tuple[str, str]] = {
    # engine outcomes (npkit.engine.findings)
    "protected": ("✔", "good"),
    "succeeds": ("✔", "good"),
    "victim": ("●", "neutral"),
    "met": ("✔", "good"),
    "not_protected": ("✘", "bad"),
    "fails": ("✘", "bad"),
    "not_victim": ("○", "neutral"),
    "not_met": ("✘", "bad"),
    "discretionary": ("◐", "mixed"),
    "conditional": ("◐", "mixed"),
    "guidance": ("ℹ", "neutral"),
    # feedback on a trainee's answer
    "correct": ("✔", "good"),
    "partly correct": ("◐", "mixed"),
    "not correct": ("✘", "bad"),
    "agrees": ("✔", "good"),
    "differs": ("✘", "bad"),
    "not answered": ("?", "neutral"),
    "right": ("✔", "good"),
    "wrong": ("✘", "bad"),
    "ignored": ("⚠", "mixed"),
    # a case's path through the criminal process (module 6)
    "reached": ("●", "neutral"),
    "not reached": ("○", "neutral"),
    "stop here": ("➜", "good"),
    "missed chance": ("✘", "bad"),
    "no": ("–", "neutral"),
    # whether a provision covers an offence type (module 4)
    "covered": ("✔", "good"),
    "not covered": ("✘", "bad"),
    "not covered (no provision)": ("✘", "bad"),
    # status line levels (say)
    "done": ("✔", "good"),
    "warning": ("⚠", "mixed"),
    "error": ("✘", "bad"),
}
LEVELS = ("info", "done", "warning", "error")
TEMPLATES = Path(__file__).with_name("templates")
CSS_BEGIN, CSS_END = "npkit widgets: begin", "npkit widgets: end"


def words(term: object) -> str:
    """An identifier in words: ``not_protected`` -> ``not protected``."""
    return str(term).replace("_", " ")


class BadgeParts(NamedTuple):
    symbol: str
    kind: str
    word: str


def badge_parts(key: object) -> BadgeParts:
    symbol, kind = BADGES.get(str(key), ("•", "neutral"))
    return BadgeParts(symbol, kind, rw.outcome_word(key))


def cite_text(c) -> str:
    """A citation in words, without its confidence (shown separately): "Fitzgerald 2024,
    IV.B.2; discussing R v LM"."""
    from npkit.law.citations import SOURCES

    text = SOURCES[c.source].short
    if c.pinpoint:
        text += f", {c.pinpoint}"
    if c.authority:
        text = i18n._("{citation}; discussing {authority}").format(citation=text,
                                                                   authority=c.authority)
    return text


class _Bytecode(FileSystemBytecodeCache):
    """Compiled templates shared by every kernel (Jinja2's own cache: written atomically, a
    template whose source changed is compiled again). A folder that cannot be read or written
    only means this kernel compiles its own."""

    def load_bytecode(self, bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def bytecode_cache() -> FileSystemBytecodeCache | None:
    """Where compiled templates are shared (issue 16: every kernel compiled every template
    it shows): a folder of npkit's cache per version of npkit's code, since the environment's
    settings are not part of Jinja2's key; None when the cache is off or cannot be made."""
    from npkit.casefile.cache import cache_dir, code_stamp

    folder = cache_dir()
    if folder is None:
        return None
    folder = folder / f"templates-{code_stamp()[:16]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _Bytecode(str(folder))


@cache
def env() -> Environment:
    """The one Jinja2 environment: templates from the package, autoescape on for every
    template (whatever its name), undefined names an error. Templates translate with
    ``{{ _("...") }}`` (jinja2.ext.i18n, newstyle: ``%(name)s`` fields, filled and escaped by
    Jinja2); the language is read at each call (npkit.i18n), so one environment, and one
    bytecode cache, serves every language."""
    e = Environment(loader=PackageLoader("npkit.course.widgets", "templates"),
                    autoescape=True, undefined=StrictUndefined,
                    trim_blocks=True, lstrip_blocks=True, bytecode_cache=bytecode_cache())
    e.add_extension("jinja2.ext.i18n")
    e.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True,
                                pgettext=i18n.pgettext, npgettext=i18n.npgettext)
    e.globals.update(badge_parts=badge_parts)
    e.filters["words"] = rw.term
    e.filters["cite"] = cite_text
    # the engine's words in the learner's language (npkit.render.words)
    e.filters["reason"] = rw.reason_text
    e.filters["title"] = rw.title
    e.filters["mark"] = rw.mark
    e.filters["label"] = rw.label
    e.filters["outcome_word"] = rw.outcome_word
    return e


def compile_templates() -> int:
    """Load every template of the package into :func:`env` (compiled, or read from the
    bytecode cache); the number loaded. The fork server does it once before it forks the
    kernels (npkit.course.forkserver): each kernel would otherwise set up the environment and
    load each template it shows again, about a tenth of the CPU the scenario lab's cells
    cost (issue 16). A template changed on disk since is loaded again when next asked for
    (Jinja2's ``auto_reload``)."""
    e = env()
    names = e.list_templates(extensions=["j2"])
    for name in names:
        e.get_template(name)
    return len(names)


def render(template: str, /, **context: Any) -> Markup:
    """``template`` rendered with ``context``: trusted HTML, safe to nest in another
    template. Every value in ``context`` is escaped unless it is itself Markup."""
    return Markup(env().get_template(template).render(**context).strip())


def value(template: str, /, **context: Any) -> str:
    """What an HTML widget shows: ``template`` rendered inside ``<div class="npk">``."""
    return str(render("frame.html.j2", body=render(template, **context)))


def html_widget(template: str | None = None, /, *, classes: Sequence[str] = (),
                **context: Any) -> w.HTML:
    """An ipywidgets.HTML showing ``template`` (empty without one), with the page's shared
    Layout and style (:func:`shared`) and the CSS ``classes`` (given here, they travel in the
    widget's first message; ``add_class`` later costs the kernel a message more each)."""
    return w.HTML(value(template, **context) if template else "", layout=shared(w.Layout),
                  style=shared_style(w.HTML), _dom_classes=tuple(classes))


# --- shared Layout and style models (issue 16) ----------------------------------------------

_SHARED: dict[tuple, w.Widget] = {}


class _Frozen:
    """A shared Layout or style refuses changes after it is made: a change would show on every
    widget that shares it."""

    _npk_frozen = False
    _npk_synced: frozenset[str] = frozenset()  # the class's synced traits (its ``keys``)

    def __setattr__(self, name: str, value: Any) -> None:
        # not self.keys: a trait default made on first reading sets attributes itself, so a
        # frozen object whose keys were never read (first_state: not opened yet) would recurse
        if self._npk_frozen and name in self._npk_synced:
            raise AttributeError(f"{type(self).__name__} is shared by widgets that look alike "
                                 f"and cannot change ({name}); give this widget its own")
        super().__setattr__(name, value)


@cache
def _frozen_kind(kind: type) -> type:
    return type(f"Shared{kind.__name__}", (_Frozen, kind),
                {"_npk_synced": frozenset(kind.class_trait_names(sync=True))})


def shared(kind: type, **traits: Any) -> Any:
    """One ``kind`` (``w.Layout`` or a style class) with ``traits`` per kernel, for every
    widget that looks alike. ipywidgets otherwise makes a Layout and a style model for each
    widget: two thirds of a page's widget models and most of its widget-state bytes, built
    and sent again for every trainee. A shared object cannot change (AttributeError): a
    widget whose layout changes later (``.layout.display = ...``) needs its own."""
    key = (kind, tuple(sorted(traits.items())))
    found = _SHARED.get(key)
    # none yet, or closed (Widget.close_all); one made in first_state's block opens at its end
    if found is None or (found.comm is None and not first_state.waiting(found)):
        found = _frozen_kind(kind)(**traits)
        found._npk_frozen = True
        _SHARED[key] = found
    elif found.comm is None:  # the fork server's, for the scenario lab it built (warm.py)
        first_state.open_if_kept(found)
    return found


def is_shared(widget: object) -> bool:
    """Whether ``widget`` is a shared Layout or style (:func:`shared`): other pages' widgets
    use it too, so closing one page must leave it open."""
    return isinstance(widget, _Frozen)


def shared_style(widget: type, **traits: Any) -> Any:
    """The shared style object for widgets of class ``widget`` (e.g. ``w.Checkbox``) with
    ``traits`` (e.g. ``description_width="11rem"``)."""
    return shared(widget.class_traits()["style"].klass, **traits)


# --- the shared pieces as Python functions (for code that nests them) -----------------------

def _macro(name: str) -> Callable[..., Markup]:
    return getattr(env().get_template("_shared.html.j2").module, name)


def badge(key: object, word: str | None = None) -> Markup:
    """A badge: symbol and word (``word`` replaces the word shown)."""
    return _macro("badge")(str(key), word)


def marks(found: Iterable) -> Markup:
    """The caveats (npkit's reading, law from outside npkit's sources) in words."""
    return _macro("marks")(list(found))


def outcome(node) -> Markup:
    """A finding's outcome badge and the caveats it rests on."""
    return _macro("outcome")(node)


def verdict_badge(key: object, found: Iterable = ()) -> Markup:
    """An outcome or feedback word as a badge, with the caveats it rests on beside it."""
    return Markup(badge(key) + marks(found))


def reasons(node) -> Markup:
    return _macro("reasons")(node)


def tree(node, open_depth: int = 1) -> Markup:
    """A finding and its children as nested ``<details>``."""
    return _macro("tree")(node, open_depth)


def error_panel(title: str, lines: Sequence[str]) -> Markup:
    return _macro("error_panel")(title, list(lines))


# --- controls -----------------------------------------------------------------------------

def button(description: str, *, kind: str = "", tooltip: str | None = None,
           disabled: bool = False) -> w.Button:
    """A labelled button as wide as its label (ipywidgets would cut long labels short).
    ``kind``: ipywidgets' button_style ("", "primary", ...). No icon: an icon font's glyph
    would become part of the accessible name."""
    return w.Button(description=description, button_style=kind,
                    tooltip=description if tooltip is None else tooltip, disabled=disabled,
                    layout=shared(w.Layout, width="auto"), style=shared_style(w.Button))


def typed(kind: type, **traits: Any) -> w.Widget:
    """A field a person types into (``w.Text``, ``w.Textarea``) that sends its text to the
    kernel once, when it is left (Tab, a click or a tap elsewhere, Enter in a one-line
    field), not at every key.

    At every key, ipywidgets sends the first keystroke and holds the later ones until the
    kernel has answered it, while a button press goes at once: on a slow link a press right
    after typing overtook the last characters, and Join or Send acted on a cut nickname or
    answer. Pressing a button leaves the field, so its text is sent before the press. It is
    also one message for an answer instead of one per key, each answered with at least two
    (busy, idle; and the text echoed back where ipywidgets' echo is on): fewer packets on a
    room's one access point (docs/performance.md)."""
    return kind(continuous_update=False, **traits)


def box(children: Sequence[w.Widget], *, label: str | None = None, kind: str = "",
        row: bool = False) -> w.Box:
    """A group of widgets; ``label`` a visible heading (escaped) above them; ``kind`` adds the
    class ``npk-box-<kind>`` (styled in npkit.css); ``row`` lays them out in a wrapping row."""
    items = list(children)
    if label is not None:
        items.insert(0, html_widget("heading.html.j2", text=label))
    classes = ["npk-box", *(["npk-row"] if row else []), *([f"npk-box-{kind}"] if kind else [])]
    return (w.HBox if row else w.VBox)(items, layout=shared(w.Layout),
                                       _dom_classes=tuple(classes))


def vbox(children: Sequence[w.Widget] = (), *classes: str) -> w.VBox:
    """A plain column of widgets with the CSS ``classes``, sharing the page's Layout."""
    return w.VBox(list(children), layout=shared(w.Layout), _dom_classes=classes)


def hbox(children: Sequence[w.Widget] = (), *classes: str) -> w.HBox:
    """A plain row of widgets with the CSS ``classes``, sharing the page's Layout."""
    return w.HBox(list(children), layout=shared(w.Layout), _dom_classes=classes)


def own_layout(widget: w.Widget) -> w.Layout:
    """``widget``'s Layout, made its own first if it was shared (:func:`shared`): for code
    that shows or hides one widget (``own_layout(x).display = "none"``)."""
    if is_shared(widget.layout):
        widget.layout = w.Layout(**{k: v for k, v in widget.layout.get_state().items()
                                    if not k.startswith("_") and v is not None})
    return widget.layout


# Element ids for questions: unique within a page (one kernel) and, through the random part,
# between notebooks that JupyterLab shows in one document.
_IDS = itertools.count(1)
_RUN = uuid.uuid4().hex[:6]
LABELLED_BY = "npk-labelledby--"  # the class prefix npkit-a11y.js reads


def question_id() -> str:
    """A new element id for a question's text (``id="{{ qid }}"`` in its template)."""
    return f"npk-q-{_RUN}-{next(_IDS)}"


def labelled_by(choice: w.Widget, *ids: str) -> w.Widget:
    """Name ``choice`` (RadioButtons, ToggleButtons) by the elements with these ids, in order:
    its group is announced with the question it answers. Returns ``choice``."""
    for old in [c for c in choice._dom_classes if c.startswith(LABELLED_BY)]:
        choice.remove_class(old)
    for i in ids:
        choice.add_class(LABELLED_BY + i)
    return choice


def status_line() -> w.HTML:
    """An empty status line; :func:`say` fills it."""
    return html_widget(classes=("npk-status-line",))


def say(line: w.HTML, text: str = "", level: str = "info") -> None:
    """Put ``text`` in a status line as a live region (``level``: info, done, warning, error;
    an error is an alert). Empty text clears the line."""
    if level not in LEVELS:
        raise ValueError(f"level {level!r}: one of {', '.join(LEVELS)}")
    line.value = value("status.html.j2", text=text, level=level) if text else ""


def failure(what: str, exc: BaseException) -> str:
    """The error panel a failed callback shows: what failed, the exception in one line,
    and that the rest of the page still works."""
    return value("error_panel.html.j2", title=what,
                 lines=[f"{type(exc).__name__}: {exc}",
                        i18n._("Everything else on this page still works.")])


def guard(what: str, *, status: str | w.HTML = "status", clear: bool = True):
    """Decorate a callback so it never raises into the page.

    ``what`` says in a sentence what failed (``N_("Your tags could not be checked.")``:
    marked at import, translated when shown). ``status``
    is the HTML widget that shows it, or, for a method, the name of the attribute holding it
    (default ``self.status``). The exception is logged; the page shows ``what``, the
    exception's one-line message and that everything else still works, never a traceback.
    With ``clear`` the status line is emptied before the callback runs."""

    def wrap(fn):
        @functools.wraps(fn)
        def run(*args, **kw):
            line = status if isinstance(status, w.HTML) else (
                getattr(args[0], status, None) if args else None)
            try:
                if clear and isinstance(line, w.HTML):
                    line.value = ""
                return fn(*args, **kw)
            except Exception as exc:  # a callback must never raise into the page
                log.exception("%s", what)
                if isinstance(line, w.HTML):
                    line.value = failure(i18n._(what), exc)
                return None

        return run

    return wrap


# --- the stylesheet in JupyterLab ----------------------------------------------------------

def _css_files() -> list[Path]:
    """npkit.css in a source checkout, then wherever Jupyter finds the npkit template."""
    tail = ("voila", "templates", "npkit", "static", "npkit.css")
    found = [Path(__file__).resolve().parents[3].joinpath("share", "jupyter", *tail)]
    try:
        from jupyter_core.paths import jupyter_path
    except ImportError:  # pragma: no cover - the notebooks extra brings jupyter_core
        return found
    return found + [Path(p) for p in jupyter_path(*tail)]


@cache
def widget_css() -> str:
    """The widget section of npkit.css ('' when the file cannot be found)."""
    for path in _css_files():
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            start, end = text.find(CSS_BEGIN), text.find(CSS_END)
            if start >= 0 and end > start:
                return text[text.rfind("\n", 0, start) + 1:text.rfind("\n", 0, end)]
    log.warning("npkit.css not found: the widgets are shown without their style")
    return ""


def stylesheet() -> w.HTML:
    """The widgets' stylesheet as one HTML widget, for a page without the Voila template
    (JupyterLab); under Voila an empty widget, since the template links npkit.css."""
    from npkit.course.binding import in_voila

    sheet = w.HTML("" if in_voila() else str(render("stylesheet.html.j2", css=widget_css())),
                   layout=shared(w.Layout, display="none") if in_voila() else shared(w.Layout),
                   style=shared_style(w.HTML), _dom_classes=("npk-stylesheet",))
    return sheet
