"""What the course server would otherwise repeat for every page visit, kept once.

**Compiled page templates.** Voila renders each visit's page through a new nbconvert exporter,
and each exporter makes a new Jinja2 environment, which parsed and compiled npkit's template
(index.html.j2, page.html, base.html.j2, display_priority.j2, ...) again for every trainee: about
half of the server's CPU for a visit (py-spy, a room of 10 on the scenario lab and on the floor,
benchmarks/room.py). :data:`TEMPLATE_CODE` is a Jinja2 bytecode cache (Jinja2's own extension
point) that every such environment shares: a template is still read from disk on each render,
and its compiled code is reused only while the file's text is the same (Jinja2 compares a
checksum of the source), so an edited template is compiled afresh. Only the compiled code is
shared: each exporter keeps its own environment, filters and globals (some filters belong to the
exporter that renders the visit's notebook).

**A page's settings.** For every visit Voila also gathered the page's JupyterLab settings
(``get_page_config``: the installed lab extensions' package.json files read from disk, about
2 ms) and the address of each of the template's scripts and stylesheets (``make_url``: the
template folders searched and their conf.json read for each file, about 0.3 ms a file, eight
files a page). Both are the same for every visit while the server runs (the installed
extensions are read at start anyway, and Tornado keeps a file's version hash for the life of the
process): :func:`keep_page_settings` keeps them once. Each visit gets its own copy of the page
config, which Voila and its hooks may change.

**Markdown cells.** Every visit's exporter converted each Markdown cell to HTML again
(``VoilaExporter.markdown2html``: a new renderer and mistune parser per cell; the scenario lab's
four cells about 2-4 ms a visit, most of it mistune's list parser). The HTML depends only on
the cell's text and the exporter's renderer settings, unless the cell has attachments or an
image, which Voila inlines from a file that may change: :func:`keep_markdown` keeps the HTML of
the other cells, keyed by their text and those settings, and converts those two kinds every
time, as before.
"""

from __future__ import annotations

import copy
import functools
from collections import OrderedDict

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket


def compile_settings(env) -> tuple:
    """What, besides a template's text, changes the code Jinja2 compiles it to."""
    autoescape = env.autoescape if isinstance(env.autoescape, bool) else id(env.autoescape)
    return (env.is_async, tuple(sorted(env.extensions)), autoescape, env.optimized,
            env.block_start_string, env.block_end_string, env.variable_start_string,
            env.variable_end_string, env.comment_start_string, env.comment_end_string,
            env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
            env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline)


class SharedTemplateCode(BytecodeCache):
    """Compiled templates in memory, shared by every environment it is given to, per template
    (name and file), source checksum and compile settings."""

    def __init__(self) -> None:
        self._code: dict[tuple, tuple[str, object]] = {}
        self.compiled = 0  # templates compiled (not found here): a test counts them

    def _key(self, bucket: Bucket) -> tuple:
        return bucket.key, compile_settings(bucket.environment)

    def load_bytecode(self, bucket: Bucket) -> None:
        kept = self._code.get(self._key(bucket))
        if kept is not None and kept[0] == bucket.checksum:
            bucket.code = kept[1]

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled += 1
        self._code[self._key(bucket)] = (bucket.checksum, bucket.code)

    def clear(self) -> None:
        self._code.clear()


# The course server's (npkit.course.dashboard gives it to every page exporter's environment).
TEMPLATE_CODE = SharedTemplateCode()


def keep_page_settings() -> None:
    """Keep the page config and the template's asset addresses once (see the module's
    docstring), for every page Voila renders: module pages, preheated ones, the landing page."""
    import voila.handler
    import voila.tornado.treehandler
    import voila.utils
    import voila.voila_kernel_manager

    if getattr(voila.utils.get_page_config, "npkit_kept", False):
        return
    made = voila.utils.get_page_config
    kept: dict[tuple, tuple] = {}

    @functools.wraps(made)
    def get_page_config(base_url, settings, log, voila_configuration):
        key = (base_url, id(settings), id(voila_configuration))
        entry = kept.get(key)
        if entry is None or entry[0] is not settings or entry[1] is not voila_configuration:
            entry = kept[key] = (settings, voila_configuration,
                                 made(base_url=base_url, settings=settings, log=log,
                                      voila_configuration=voila_configuration))
        return copy.deepcopy(entry[2])

    get_page_config.npkit_kept = True
    for module in (voila.utils, voila.handler, voila.voila_kernel_manager,
                   voila.tornado.treehandler):
        module.get_page_config = get_page_config
    # include_css / include_js / include_url look make_url up in voila.utils at each call
    voila.utils.make_url = functools.lru_cache(maxsize=512)(voila.utils.make_url)


MARKDOWN_KEPT = 512  # cells' HTML kept (a few KB each): every page's cells, in two languages


class KeptMarkdown:
    """The HTML of Markdown cells, kept by text and renderer settings (see the module)."""

    def __init__(self, convert) -> None:
        self.convert = convert  # Voila's markdown2html(exporter, context, source)
        self.kept: OrderedDict[tuple, str] = OrderedDict()
        self.converted = 0  # conversions made (not found here): a test counts them

    def __call__(self, exporter, context, source: str) -> str:
        cell = context.get("cell") or {}
        if cell.get("attachments") or "![" in source:  # inlined from files: every time
            self.converted += 1
            return self.convert(exporter, context, source)
        key = (source, exporter.markdown_renderer_class, exporter.anchor_link_text)
        html = self.kept.get(key)
        if html is None:
            self.converted += 1
            html = self.kept[key] = self.convert(exporter, context, source)
            while len(self.kept) > MARKDOWN_KEPT:
                self.kept.popitem(last=False)
        return html


def keep_markdown():
    """Keep Markdown cells' HTML for every page exporter (see the module); the keeper, whose
    ``converted`` counts conversions. Voila's method is left as it is if its shape changed."""
    import inspect

    from jinja2 import pass_context
    from voila.exporter import VoilaExporter

    made = VoilaExporter.__dict__.get("markdown2html")
    if isinstance(getattr(made, "npkit_kept", None), KeptMarkdown):
        return made.npkit_kept
    if made is None or list(inspect.signature(made).parameters) != ["self", "context",
                                                                     "source"]:
        return None  # not the method this keeps for: Voila converts as it always did
    keeper = KeptMarkdown(made)

    @pass_context
    @functools.wraps(made)
    def markdown2html(self, context, source):
        return keeper(self, context, source)

    markdown2html.npkit_kept = keeper
    VoilaExporter.markdown2html = markdown2html
    return keeper
