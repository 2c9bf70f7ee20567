"""Serve the training modules as a Voila course.

    python -m npkit.course.dashboard [--port N] [--notebooks DIR]

Standalone Voila (not the Jupyter Server extension): standalone Voila drops code-execution
requests sent from the page, so a learner's browser can only talk to widgets. The course uses
npkit's own Voila template, ``npkit`` (share/jupyter/voila/templates/npkit: landing page, top
bar, navigation, friendly error pages, nothing loaded from the internet). Tracebacks stay off
for users; one kernel per module is preheated so a module opens without waiting for its cells,
and idle kernels are culled so a workshop laptop does not fill up. These settings are a Voila
config file shipped with the package (``npkit/course/voila_config/voila.json``, read first).

``voila_command()`` gives the command line: the folder, the port and what a caller asks. It runs
Voila through this module (``python -m npkit.course.dashboard --voila ...``) rather than
``python -m voila`` so that, whoever starts it (``make dashboard``, a test, a trainer), Voila
reads those settings, finds the template from a source checkout as well as from a wheel, the
landing page gets the module catalogue, and an unknown address gets the course's "not found"
page instead of Tornado's bare one.

Languages (issue 17). Each language has its own notebooks (``th/NN_name.ipynb``, built by
npkit.course.build: a preheated kernel runs a page before its visitor is known, so a page's
language is its notebook's). The template's own words go through the gettext catalogue
(npkit.i18n) with the page's language: a module page's is its notebook's (``npkit_lang``), a
plain page's (landing page, glossary, errors) is ``?lang=``, else the language of the page
its address names (a "not found" for ``/voila/render/th/...`` is Thai), else the choice the
browser remembers (the ``npk_lang`` cookie, set by static/npkit-lang.js), else the room's
(``--language``). ``/join`` sends a trainee who chose Thai to the Thai join page. Pools: the
English pages keep one preheated kernel each as before; the pages of other languages are started
on demand (no kernel kept ready: about 70 MB saved per page) unless ``--language th`` makes Thai
the room's language (one kept ready per Thai page, a bare ``--room N`` is the Thai first
module, and a browser that chose no language gets the Thai landing and join pages) or
``--pool-size`` / ``--room th/NN_name=N`` names a page.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from npkit.course import kernel_sockets
from npkit.i18n import LANGUAGES as LANGUAGES_CHOICE
from npkit.paths import course_notebooks

ROOT = Path(__file__).resolve().parents[2]
# Voila's settings for the course, shipped with the package (see "The settings" below). Only what
# changes from run to run goes on the command line: the folder, the port, and what a caller asks.
CONFIG = Path(__file__).resolve().parent / "voila_config" / "voila.json"
SETTINGS: dict = json.loads(CONFIG.read_text(encoding="utf-8"))
HOST = SETTINGS["Voila"]["ip"]
PORT = 8866
TEMPLATE = SETTINGS["VoilaConfiguration"]["template"]
# The checkout's notebooks/, or for an installed wheel the folder `npkit course` builds.
NOTEBOOKS = course_notebooks()
# share/jupyter in a source checkout; a wheel installs the same files under <prefix>/share/jupyter
# (pyproject.toml, [tool.hatch.build.targets.wheel.shared-data]), which Jupyter searches anyway.
SOURCE_SHARE = ROOT / "share" / "jupyter"
LAB_EXTENSIONS = tuple(SETTINGS["VoilaConfiguration"]["extension_allowlist"])
POOL_SIZE = SETTINGS["VoilaConfiguration"]["default_pool_size"]  # per page, unless --pool-size
MAX_POOL_SIZE = 200
# Seconds between a visitor taking a preheated kernel and Voila starting its replacement
# (Voila's own default is 1 s). A workshop room raises it, so that thirty replacements do not
# start while the room's pages are still loading.
REFILL_DELAY = 1.0
IOPUB_TIMEOUT = SETTINGS["VoilaExecutor"]["iopub_timeout"]
CULL_IDLE_SECONDS = SETTINGS["MappingKernelManager"]["cull_idle_timeout"]
CULL_INTERVAL_SECONDS = SETTINGS["MappingKernelManager"]["cull_interval"]
MAX_CULL_IDLE_SECONDS = 7 * 24 * 3600
# What every kernel this server starts finds in its environment (a value already set is
# kept). JUPYTER_WIDGETS_ECHO=0: ipywidgets 8 sends each change a page makes back to it
# ("echo_update"), for other views of the same kernel, which a Voila page never has; one
# message more for every tick, choice or field left. ipywidgets reads it when imported, so it
# is set before the fork server preloads ipywidgets.
KERNEL_ENVIRONMENT = {"JUPYTER_WIDGETS_ECHO": "0"}
# Kernels are forked from the fork server by default (npkit.course.fork_provisioner); set to 0
# to start each kernel as a fresh interpreter (as --no-fork-kernels), e.g. for a test run.
FORK_VARIABLE = "NPKIT_FORK_KERNELS"
_FORK_VALUES = {"1": True, "true": True, "yes": True, "on": True,
                "0": False, "false": False, "no": False, "off": False, "": True}
# The browser's remembered language (static/npkit-lang.js), read when an address names none.
LANG_COOKIE = "npk_lang"
CELL_ERROR = SETTINGS["VoilaExecutor"]["cell_error_instruction"]

# The settings (voila.json; JSON has no comments, so the reasons are here):
# - Voila: 127.0.0.1 only (nginx or the Binder proxy faces the room); a busy port is an error,
#   never a silent other port; no browser opened by the server. The kernel websocket is
#   compressed (permessage-deflate, when the browser offers it, as every current one does):
#   a page's widget state is JSON that shrinks several times, and a room shares one Wi-Fi.
# - VoilaConfiguration: npkit's template, light theme, its tree.html as the landing page, and no
#   ?voila-template= / ?voila-theme= override from a visitor. extension_allowlist: the only
#   JupyterLab extensions a page loads are the widgets' (Voila would otherwise load every
#   installed one, e.g. jupytext's, which fails in Voila and slows the page). Tracebacks off and
#   sources stripped for learners. One kernel per page preheated. multi_kernel_manager_class:
#   Jupyter Server's kernel manager with a lighter watch of kernel activity (npkit.course.kernels).
# - VoilaExecutor: a failing cell shows CELL_ERROR and must not hide the rest of the page. On a
#   busy laptop a cell's output can arrive late: wait for it instead of dropping it. 30 s was not
#   enough when a room of 30 opened the scenario lab on cold kernels (2 cores): 29 pages came
#   without the lab; with 300 s all 30 came (benchmarks/). skip_cells_with_tag: a cell tagged
#   npkit-check is an answer key (npkit.course.build), there for nbval; its output is never sent
#   to the page, so Voila does not run it either. Each code cell costs a trainee's kernel and
#   the server a round of messages: about 0.12 s more for a room of 30 on 2 cores (issue 16).
# - MappingKernelManager: a kernel whose page has gone (a laptop asleep, a tab closed without
#   saying so) is shut down after 30 min idle, checked every 5 min; a kernel whose page is still
#   connected never is. --cull-idle changes it (a long lunch break keeps kernels longer; 0 never).
# - KernelManager: kernels talk to Voila over Unix sockets: no TCP port to race for when eight
#   kernels start at once (a lost race kills a module's preheated kernel). Not on Windows.
# - Languages: voila.json's default_pool_size (one ready kernel a page) is for the English
#   pages; voila_command adds kernel_pools_config entries of size 0 for every other language's
#   pages (th/NN_name.ipynb: started per visit, ~70 MB not spent per page while nobody reads
#   Thai) unless --language, --pool-size or --room name them.
# Voila reads voila.json from Voila.config_file_paths; the course app puts this folder first
# (config_file_paths()), so it wins over any other voila.json, and the command line over all.


def config_file_paths() -> list[str]:
    """Where the course's Voila looks for voila.json, highest priority first: npkit's shipped
    settings, then Voila's own places (the working folder, the Jupyter config path)."""
    from jupyter_core.paths import jupyter_config_path

    return [str(CONFIG.parent), os.getcwd(), *jupyter_config_path()]


def voila_command(notebooks: Path | None = None, *, port: int = PORT, host: str = HOST,
                  preheat: bool = True, pool_sizes: Mapping[str, int] | None = None,
                  refill_delay: float | None = None, cull_idle: int | None = None,
                  room_sizes: Mapping[str, int] | None = None,
                  language: str = "en", fork_kernels: bool | None = None) -> list[str]:
    """The command line that serves every module in ``notebooks`` on ``host:port``, with the
    shipped settings (:data:`CONFIG`); only what differs from them is passed as a flag.

    ``pool_sizes``: how many kernels to keep preheated for a page (``{"05_scenario_lab.ipynb":
    30}``), and for every other page under the key ``"default"`` (else one each).
    ``refill_delay``: seconds before a used preheated kernel is replaced (else Voila's 1 s).
    ``cull_idle``: seconds before the kernel of a page that has gone is shut down (else
    :data:`CULL_IDLE_SECONDS`; 0 never).
    ``room_sizes``: a room opening a page together (``{"05_scenario_lab.ipynb": 30}``): that
    many kernels preheated for it at start, and once the room has taken them the page's pool
    is refilled to its usual size only (``pool_sizes``, else one), so memory does not double.
    ``language``: the room's language; the pages of every other translated language get no
    kernel kept ready unless ``pool_sizes`` or ``room_sizes`` name them.
    ``fork_kernels``: kernels forked from a fork server that has imported what they import
    (npkit.course.fork_provisioner; the default); False: each kernel a fresh interpreter;
    None: as ``NPKIT_FORK_KERNELS`` says (unset: forked; ``ValueError`` for a value that is
    neither 1 nor 0, :func:`fork_from_environment`)."""
    notebooks = Path(notebooks or NOTEBOOKS).resolve()
    pool_sizes = {**on_demand_pages(notebooks, language), **(pool_sizes or {})}
    flags = [f"--port={port}"]
    if host != HOST:
        flags.append(f"--Voila.ip={host}")
    if not preheat:
        flags.append("--preheat_kernel=False")
    flags += pool_flags({**(pool_sizes or {}), **(room_sizes or {})})
    if room_sizes:
        usual = {page: dict(pool_sizes or {}).get(page, dict(pool_sizes or {}).get(
            "default", POOL_SIZE)) for page in room_sizes}
        flags.append(f"--CourseVoila.refill_pool_sizes={json.dumps(usual, sort_keys=True)}")
    if refill_delay is not None:
        flags.append(f"--VoilaKernelManager.fill_delay={float(refill_delay)}")
    if cull_idle is not None:
        cull_idle = int(cull_idle)
        # A short idle time is checked as often as it is long (never less than once a minute).
        interval = min(CULL_INTERVAL_SECONDS, max(cull_idle, 60))
        flags += [f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
                  f"--MappingKernelManager.cull_interval={interval}"]
    if language != "en":  # the plain pages' and /join's language when no one chose
        flags.append(f"--CourseVoila.language={language}")
    if os.name != "posix":
        flags.append("--KernelManager.transport=tcp")  # no Unix sockets
    if forks_kernels(fork_kernels):  # jupyter_client's switch; it falls back off Linux
        from npkit.course.fork_provisioner import SWITCH

        flags.append(SWITCH)
    return [sys.executable, "-m", "npkit.course.dashboard", "--voila", str(notebooks), *flags]


def forks_kernels(option: bool | None) -> bool:
    """Whether kernels are forked: as ``option`` says (a command line's ``--fork-kernels`` or
    ``--no-fork-kernels``), else (None) as ``NPKIT_FORK_KERNELS`` says."""
    return fork_from_environment() if option is None else option


def fork_from_environment() -> bool:
    """Whether ``NPKIT_FORK_KERNELS`` asks for forked kernels (unset or empty: yes, the
    default); ``ValueError`` naming the variable for a value that is neither yes nor no."""
    value = os.environ.get(FORK_VARIABLE, "")
    try:
        return _FORK_VALUES[value.strip().lower()]
    except KeyError:
        raise ValueError(f"{FORK_VARIABLE}={value}: expected 1 (fork each kernel from the "
                         "fork server, the default) or 0 (start each kernel afresh)") from None


def kernels_start_message(provisioner: str) -> str:
    """The start-up line that tells a trainer how kernels start, for the course server's
    kernel provisioner (its ``KernelProvisionerFactory.default_provisioner_name``)."""
    from npkit.course.fork_provisioner import NAME, forking_unavailable

    if provisioner != NAME:
        return ("npkit: each kernel starts as a fresh Python process (the fork server is off; "
                "it is the default where npkit starts the course: docs/deploy.md)")
    why_not = forking_unavailable()
    if why_not:
        return f"npkit: each kernel starts as a fresh Python process: {why_not}"
    return ("npkit: kernels are forked from a process that has imported what the pages import "
            f"(to start each afresh: --no-fork-kernels or {FORK_VARIABLE}=0)")


def on_demand_pages(notebooks: Path, language: str = "en") -> dict[str, int]:
    """{page: 0} for the built pages of the translated languages other than ``language``:
    started when a visitor comes, not kept ready (the English pool stays as it was)."""
    from npkit.i18n.content import TRANSLATED

    return {f"{lang}/{p.name}": 0 for lang in TRANSLATED if lang != language
            for p in sorted((Path(notebooks) / lang).glob("*.ipynb"))}


def pool_flags(pool_sizes: Mapping[str, int] | None) -> list[str]:
    """Voila's per-page preheat pools (``VoilaKernelManager.kernel_pools_config``) for
    ``pool_sizes``; nothing when every page keeps the default single kernel."""
    sizes = dict(pool_sizes or {})
    if not sizes:
        return []
    config = {"default": {"pool_size": sizes.pop("default", POOL_SIZE)}}
    config.update({page: {"pool_size": n} for page, n in sorted(sizes.items())})
    # A dict trait takes only this (literal) form for nested values on the command line.
    return [f"--VoilaKernelManager.kernel_pools_config={json.dumps(config)}"]


def page_and_number(value: str, option: str, low: int, what: str) -> tuple[str, int]:
    """``PAGE=N`` or ``N`` as (page, N) with ``low <= N <= MAX_POOL_SIZE``; ``ValueError``
    naming ``option`` otherwise."""
    page, _, number = value.rpartition("=")
    try:
        n = int(number)
    except ValueError:
        raise ValueError(f"{option} {value}: expected N or PAGE=N, N a whole number") from None
    if not low <= n <= MAX_POOL_SIZE:
        raise ValueError(f"{option} {value}: {what} between {low} and {MAX_POOL_SIZE}")
    return page, n


def parse_pool_sizes(values: Sequence[str], notebooks: Path) -> dict[str, int]:
    """``--pool-size`` values: ``N`` (every page) or ``PAGE=N`` (one page, named by its notebook
    with or without ``.ipynb``, e.g. ``05_scenario_lab=30`` or ``th/05_scenario_lab=30``).
    ``ValueError`` with a message fit for a trainer for anything else."""
    from npkit.course.build import built_pages

    pages = set(built_pages(notebooks))
    sizes: dict[str, int] = {}
    for value in values:
        page, n = page_and_number(value, "--pool-size", 0, "N must be")
        if not page:
            sizes["default"] = n
            continue
        name = page if page.endswith(".ipynb") else f"{page}.ipynb"
        if name not in pages:
            raise ValueError(f"--pool-size {value}: no page {name} in {notebooks} "
                             f"(pages: {', '.join(sorted(pages))})")
        sizes[name] = n
    return sizes


def parse_room_sizes(values: Sequence[str], notebooks: Path, language: str = "en"
                     ) -> dict[str, int]:
    """``--room`` values: ``N`` (the course's first module in ``language``, the page a trainer
    opens first) or ``PAGE=N``. ``ValueError`` with a message fit for a trainer for anything
    else."""
    from npkit.course.training.modules import MODULES

    first = MODULES[0].notebook if language == "en" else f"{language}/{MODULES[0].notebook}"
    sizes: dict[str, int] = {}
    for value in values:
        page, n = page_and_number(value, "--room", 1, "N (the trainees)")
        try:  # the same page names as --pool-size, and the same check that the page exists
            sizes.update(parse_pool_sizes([f"{page or first}={n}"], notebooks))
        except ValueError as e:
            raise ValueError(f"--room {value}: {str(e).split(': ', 1)[1]}") from None
    return sizes


def check_cull_idle(seconds: int | None) -> None:
    """``ValueError`` with a message fit for a trainer unless ``--cull-idle`` is 0 (never), at
    least 60 s, and at most a week."""
    if seconds is not None and seconds != 0 and not 60 <= seconds <= MAX_CULL_IDLE_SECONDS:
        raise ValueError(f"--cull-idle {seconds}: 0 (never) or between 60 and "
                         f"{MAX_CULL_IDLE_SECONDS} seconds")


def template_search_path() -> list[str]:
    """JUPYTER_PATH with the source checkout's share/jupyter first, when there is one (it then
    wins over a stale copy an editable install may have put under the venv)."""
    current = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p]
    if (SOURCE_SHARE / "voila" / "templates" / TEMPLATE / "conf.json").is_file():
        current = [str(SOURCE_SHARE), *(p for p in current if p != str(SOURCE_SHARE))]
    return current


def landing_context(lang: str = "en", notebooks: Path | None = None) -> dict:
    """What the landing page (tree.html) shows in ``lang``, straight from the module catalogue
    (titles and summaries through the gettext catalogue), with links to that language's
    notebooks and ``built`` (whether each is in ``notebooks``)."""
    from npkit import DISCLAIMER
    from npkit.course.training.modules import MODULES, WORKSHOP_PAGES
    from npkit.i18n import translations

    gettext = translations(lang).gettext
    folder = "" if lang == "en" else f"{lang}/"

    def built(notebook: str) -> bool | None:
        return None if notebooks is None else (Path(notebooks) / folder / notebook).is_file()

    goals = objective_texts(lang)
    return {
        "modules": [
            {"number": m.number, "title": gettext(m.title), "minutes": m.minutes,
             "objectives": goals.get(m.number) or [o.text for o in m.objectives],
             "notebook": folder + m.notebook, "built": built(m.notebook),
             "keeps_answers": m.keeps_answers}
            for m in MODULES
        ],
        # Not modules: the live-poll pages of workshop mode, listed under their own heading.
        "workshop": [
            {"title": gettext(p.title), "audience": p.audience,
             "summary": gettext(p.summary), "notebook": folder + p.notebook,
             "built": built(p.notebook)}
            for p in WORKSHOP_PAGES
        ],
        "total_minutes": sum(m.minutes for m in MODULES),
        "disclaimer": gettext(DISCLAIMER),
    }


def objective_texts(lang: str) -> dict[int, list[str]]:
    """The modules' objectives in ``lang`` where npkit/course/data/objectives.yaml translates
    them (a ``th:`` overlay, npkit.i18n.content); {} for English or a file it cannot read (the
    landing page then shows the catalogue's English)."""
    if lang == "en":
        return {}
    import yaml

    from npkit.course.training.content import DATA
    from npkit.course.training.modules import OBJECTIVE_TEXT
    from npkit.i18n.content import ContentError, localize

    try:
        raw = yaml.safe_load((DATA / "objectives.yaml").read_text(encoding="utf-8"))
        data = localize(raw, lang, OBJECTIVE_TEXT)
        entries = data if isinstance(data, list) else data.get("modules", data.get("entries"))
        return {int(e["module"]): [str(o["text"]) for o in e["objectives"]] for e in entries}
    except (OSError, yaml.YAMLError, ContentError, KeyError, TypeError, ValueError,
            AttributeError):
        return {}


def page_language(query: str | None, cookie: str | None, path: str | None = None,
                  room: str | None = None) -> str:
    """A plain page's language: ``?lang=`` if given, else that of the page the address names
    (an error page for ``/voila/render/th/...`` is Thai, :func:`path_language`), else the
    browser's remembered choice, else the room's (``--language``), else English
    (npkit.i18n.normalise: never an error, whatever a link says)."""
    from npkit.i18n import DEFAULT, normalise

    for value in (query, path_language(path), cookie, room):
        if value:
            return normalise(value)
    return DEFAULT


def path_language(path: str | None) -> str | None:
    """The language of a page address under ``voila/render/`` or ``voila/files/`` (where Voila
    sends a render address that is no notebook): ``.../render/th/05_x.ipynb`` is ``th``; None
    for an English page or any other address."""
    from npkit.i18n import LANGUAGES

    parts = (path or "").split("/")
    for i, part in enumerate(parts[:-2]):
        if part in ("render", "files") and parts[i + 1] in LANGUAGES and parts[i + 1] != "en":
            return parts[i + 1]
    return None


def template_gettext(lang: str):
    """The ``gettext`` the course's templates use for a page in ``lang`` (npk_gettext)."""
    from npkit.i18n import translations

    return translations(lang).gettext


# The catalogue's context for the words of the template's scripts (static/npkit*.js): the
# page carries them as JSON and npkit-lang.js gives them out (window.npkitText(english)).
JS_CONTEXT = "npkit.js"


def script_text(lang: str) -> dict[str, str]:
    """{English: translation} of the catalogue's entries for the scripts (msgctxt
    :data:`JS_CONTEXT`) in ``lang``; {} for English."""
    from npkit.i18n import context_messages

    return context_messages(JS_CONTEXT, lang)


def install_template_i18n(env) -> None:
    """What the templates need for their words in every language (page.html, index.html.j2)."""
    from npkit.i18n import LANGUAGES

    env.globals["npk_gettext"] = template_gettext
    env.globals["npk_languages"] = dict(LANGUAGES)
    env.globals["npk_script_text"] = script_text


def log_at_handler_level(log) -> None:
    """Let ``log`` drop at once what all its handlers would drop. traitlets leaves an app's
    logger at DEBUG and filters at its handler (``log_level``: INFO unless ``--debug``), so
    every debug line was still made, run through the logger's filters (the learner-code filter)
    and then dropped; nbclient and the kernel manager write one for each message a kernel sends
    while its page runs (a module's widgets: hundreds a visit). The log keeps the same lines."""
    levels = [h.level for h in log.handlers]
    # Left as it is when another logger's handlers get its lines too (propagate), or one of its
    # own takes everything (NOTSET).
    if levels and all(levels) and not log.propagate:
        log.setLevel(max(log.level, min(levels)))


def freeze_start_up() -> int:
    """Move every object the server holds once started (its modules, templates, settings:
    some 200,000) out of the garbage collector's reach (``gc.freeze``), after one last
    collection; the number frozen. A full collection walks every tracked object, and those
    live as long as the server: in a room of 30 on the default pool the server's full
    collections took 105-177 ms of CPU each, 23-57 ms once frozen (benchmarks/voila_probe.py's
    NPKIT_BENCH_GC log). Objects made later (kernels, visits) are collected as before; the few
    made for the first preheated kernels, already under way, are never collected."""
    import gc

    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def run_voila(argv: Sequence[str]) -> int:
    """Run Voila in this process with npkit's template search path and landing page data."""
    path = template_search_path()
    if path:
        os.environ["JUPYTER_PATH"] = os.pathsep.join(path)
    for name, value in KERNEL_ENVIRONMENT.items():
        os.environ.setdefault(name, value)

    import time

    import tornado.ioloop
    from tornado import web
    from traitlets import Dict, Unicode, default
    from voila.app import Voila
    from voila.handler import BaseVoilaHandler, VoilaHandler
    from voila.static_file_handler import AllowListFileHandler
    from voila.utils import create_include_assets_functions

    from npkit.course.render_cache import TEMPLATE_CODE, keep_markdown, keep_page_settings
    from npkit.course.voila_mends import mend_message_dates, mend_page_flushes, mend_request_info

    def visitor_language(handler) -> str:
        """The language of the page ``handler`` answers with (:func:`page_language`)."""
        return page_language(handler.get_query_argument("lang", None),
                             handler.get_cookie(LANG_COOKIE), handler.request.path,
                             handler.settings.get("npkit_language"))

    mend_request_info()
    mend_message_dates()
    mend_page_flushes()
    keep_page_settings()
    keep_markdown()
    render_prepare = VoilaHandler.prepare
    render_plain = BaseVoilaHandler.render_template

    def render_in_language(self, name, **ns):
        # The plain pages (landing page, glossary, errors) in the visitor's language.
        ns.setdefault("npk_lang", visitor_language(self))
        return render_plain(self, name, **ns)

    BaseVoilaHandler.render_template = render_in_language

    from voila.exporter import VoilaExporter

    exporter_environment = VoilaExporter._create_environment

    def environment_with_i18n(self):
        # The module pages' templates (rendered by the kernel manager, before any visitor).
        env = exporter_environment(self)
        install_template_i18n(env)
        # A new exporter, so a new environment, renders every visit: the templates' compiled
        # code is kept once for all of them (npkit.course.render_cache).
        env.bytecode_cache = TEMPLATE_CODE
        return env

    VoilaExporter._create_environment = environment_with_i18n

    async def prepare_with_xsrf_cookie(self):
        # Voila's page sends the kernel shutdown on leaving (beforeunload) with the _xsrf value
        # it reads from a cookie, but nothing on the page issues that cookie, so the request
        # was refused (403) and the kernel lived on until the idle cull. Reading the token
        # issues the cookie; XSRF protection stays on.
        result = render_prepare(self)
        if inspect.isawaitable(result):  # async in jupyter_server 2, plain in older ones
            await result
        self.xsrf_token  # noqa: B018 - the property sets the cookie

    VoilaHandler.prepare = prepare_with_xsrf_cookie

    class NotFoundHandler(BaseVoilaHandler):
        """Any address Voila has no route for: the course's 404 page, not Tornado's."""

        async def prepare(self):
            await super().prepare()  # sets up the user the error page template needs
            raise web.HTTPError(404)

    class JoinHandler(web.RequestHandler):
        """/join and /join/CODE, the address on the trainer's screen and in its QR code
        (npkit.course.room): the workshop's join page, with the code when there is one. The
        address stays free of secrets: a join code is on the wall anyway."""

        def get(self, code=None):
            from urllib.parse import urlencode

            from npkit.course.room import join_page

            if code is None:
                code = self.get_query_argument("session", None)
            self.set_header("Cache-Control", "no-store")
            page = join_page(self.settings.get("base_url", "/"), code)
            lang = visitor_language(self)
            if lang != "en":  # the trainee's language: its own join page
                page = page.replace("/voila/render/", f"/voila/render/{lang}/", 1)
            if self.get_query_argument("lang", None):  # a link's choice: the page remembers it
                page += ("&" if "?" in page else "?") + urlencode({"lang": lang})
            self.redirect(page)

        head = get  # a QR scanner may look before it opens

    class GlossaryHandler(BaseVoilaHandler):
        """/glossary: the legal terms of the course (npkit/course/data/glossary.yaml), a plain
        page like the landing page, linked from every page's top bar."""

        @web.authenticated
        def get(self):
            from npkit.course.training.glossary import ContentError, page_context

            lang = visitor_language(self)
            try:  # in the page's language once the glossary's loader takes one
                takes_lang = "lang" in inspect.signature(page_context).parameters
                glossary = page_context(lang=lang) if takes_lang else page_context()
            except ContentError:  # a broken glossary file: logged, and a page in words
                self.log.exception("npkit: the glossary could not be read")
                raise web.HTTPError(500) from None
            self.write(self.render_template("glossary.html", glossary=glossary))

    class CourseFileHandler(AllowListFileHandler):
        """/voila/files/...: where Voila sends an address under /voila/render/ that is not a
        notebook (``.../05_scenario_lab.ipynb/extra``). A file it refuses (403) or lacks (404)
        gets the course's "not found" page, not Tornado's bare one; a refused file is not named
        as existing."""

        def write_error(self, status_code, **kwargs):
            if status_code not in (403, 404):
                return super().write_error(status_code, **kwargs)
            self.set_status(404)
            base_url = self.settings.get("base_url", "/")
            page = self.settings["voila_jinja2_env"].get_template("404.html")
            self.set_header("Content-Type", "text/html; charset=UTF-8")
            lang = visitor_language(self)
            self.write(page.render(base_url=base_url, status_code=404, npk_lang=lang,
                                   **create_include_assets_functions(TEMPLATE, base_url)))

    class CourseVoila(Voila):
        refill_pool_sizes = Dict(
            {}, config=True,
            help="Pages whose preheat pool, once filled at start for a room, is refilled only "
                 "to this size (voila_command's room_sizes).")
        language = Unicode(
            "en", config=True,
            help="The room's language (--language): the plain pages' and /join's when neither "
                 "the address nor the browser names one.")

        @default("config_file_paths")
        def _config_file_paths_default(self):
            return config_file_paths()

        @default("connection_dir_root")
        def _connection_dir_root_default(self):
            # Voila's own choice, unless a kernel's socket would not fit under it (macOS)
            return kernel_sockets.connection_dir_root() or super()._default_connection_dir()

        def kernels_over_sockets_that_fit(self):
            """Kernels over TCP when their Unix sockets would not fit under the connection
            folder (no short temporary folder, or a long ``Voila.connection_dir_root``
            given): open again to the port race Unix sockets avoid, but alive."""
            if (self.config.KernelManager.get("transport") == "ipc"
                    and not kernel_sockets.fits(self.connection_dir_root)):
                self.log.warning(
                    "npkit: the kernels talk over TCP: their Unix sockets would not fit under "
                    "%s (a socket's path has at most %d bytes); TMPDIR set to a short folder "
                    "keeps them", self.connection_dir_root,
                    kernel_sockets.socket_path_max())
                self.config.KernelManager.transport = "tcp"

        def init_handlers(self):
            from jupyter_server.utils import url_path_join

            from npkit.course import learner_api

            join = [(url_path_join(self.server_url, r"/join/?"), JoinHandler),
                    (url_path_join(self.server_url, r"/join/([^/]{1,40})/?"), JoinHandler)]
            glossary = [(url_path_join(self.server_url, r"/glossary/?"), GlossaryHandler,
                         {"voila_configuration": self.voila_configuration})]
            return [*learner_api.handlers(self.server_url or self.base_url), *join, *glossary,
                    *((route[0], CourseFileHandler, *route[2:])
                      if route[1] is AllowListFileHandler else route
                      for route in super().init_handlers())]

        def init_settings(self):
            from npkit.course.room import HOST_VARIABLE
            from npkit.i18n import LANGUAGES

            # The kernels (started after this, with a copy of this environment) learn where
            # the course listens: the trainer page offers the network address only when the
            # room can reach it.
            os.environ[HOST_VARIABLE] = str(self.ip)
            settings = super().init_settings()  # makes the kernel manager, which fills the pools
            self.size_pools_after_the_room()
            env = settings["voila_jinja2_env"]
            env.globals["npkit_landing"] = landing_context()
            folder = Path(self.root_dir)
            env.globals["npkit_landings"] = {lang: landing_context(lang, folder)
                                            for lang in LANGUAGES}
            install_template_i18n(env)
            settings["npkit_language"] = self.language
            settings["default_handler_class"] = NotFoundHandler
            settings["default_handler_args"] = {"voila_configuration": self.voila_configuration}
            from npkit.course import learner_api

            learner_api.hide_codes_in_logs(self.log)  # no learner codes in the server's log
            log_at_handler_level(self.log)
            return settings

        def start(self):
            self.kernels_over_sockets_that_fit()
            started = time.monotonic()
            url = f"http://{self.ip}:{self.port}{self.base_url}"
            loop = tornado.ioloop.IOLoop.current()
            provisioner = self.config.get("KernelProvisionerFactory", {}).get(
                "default_provisioner_name", "local-provisioner")
            loop.add_callback(
                lambda: print(f"npkit: the course is at {url}  (Ctrl-C to stop)\n"
                              f"{kernels_start_message(provisioner)}", flush=True))

            def report():
                # Voila 0.5 keeps its preheated kernels in _pools: {notebook: [task]}.
                pools = {page: pool for page, pool in
                         (getattr(self.kernel_manager, "_pools", None) or {}).items() if pool}
                tasks = [t for pool in pools.values() for t in pool]
                if not all(t.done() for t in tasks):
                    loop.call_later(0.25, report)
                elif tasks:
                    print(f"npkit: a kernel has started for each of {len(pools)} pages "
                          "(the modules and the workshop pages; "
                          f"{time.monotonic() - started:.1f} s after start); each now runs its "
                          "page ahead of the first visitor", flush=True)

            loop.add_callback(report)
            super().start()

        def listen(self):
            # the server made, its handlers routed; its loop (and the kernels) not yet started
            freeze_start_up()
            super().listen()

        def size_pools_after_the_room(self):
            # Voila has filled every pool to kernel_pools_config in making its kernel manager;
            # it reads the size again each time a visitor takes a kernel, to start
            # replacements. From here on a room's page is refilled to its usual size only.
            km = self.kernel_manager
            if not self.refill_pool_sizes or not hasattr(km, "kernel_pools_config"):
                return
            config = dict(km.kernel_pools_config)
            for page, n in self.refill_pool_sizes.items():
                config[page] = {**config.get(page, {}), "pool_size": int(n)}
            km.kernel_pools_config = config

    CourseVoila.launch_instance(argv=list(argv))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--voila"]:
        return run_voila(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m npkit.course.dashboard",
        description="Serve the npkit training modules as a Voila course on this computer.")
    parser.add_argument("--port", type=int, default=PORT, help=f"port (default {PORT})")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS,
                        help="folder of built .ipynb modules (default: the checkout's notebooks/)")
    parser.add_argument("--no-preheat", action="store_true",
                        help="start a kernel per visit instead of keeping one ready per module")
    parser.add_argument("--pool-size", action="append", default=[], metavar="[PAGE=]N",
                        help="kernels kept ready for a page (e.g. 05_scenario_lab=30 for a "
                             "room of 30 opening the scenario lab together), or for every "
                             f"page (a bare N); default {POOL_SIZE}; repeatable")
    parser.add_argument("--room", action="append", default=[], metavar="[PAGE=]N",
                        help="a room of N trainees opening a page together: N kernels ready "
                             "for it at start (a bare N: the first module, the page a trainer "
                             "opens first; e.g. 05_scenario_lab=30), and once the room has "
                             "taken them the page keeps its usual one ready (memory does not "
                             "double); repeatable")
    parser.add_argument("--language", default="en", choices=sorted(LANGUAGES_CHOICE),
                        help="the room's language: its pages keep a kernel ready and a bare "
                             "--room N means its first module (default en; the pages of other "
                             "languages start when a visitor comes)")
    parser.add_argument("--refill-delay", type=float, default=None, metavar="SECONDS",
                        help="wait this long before replacing a preheated kernel a visitor "
                             f"took (default {REFILL_DELAY:g}; e.g. 120 for a room opening a "
                             "module together, so replacements start once the room is in)")
    parser.add_argument("--cull-idle", type=int, default=None, metavar="SECONDS",
                        help="shut down the kernel of a page that has gone (a laptop asleep) "
                             f"after this long idle (default {CULL_IDLE_SECONDS}; e.g. 7200 for "
                             "a workshop day with a long lunch break; 0 never)")
    parser.add_argument("--fork-kernels", action=argparse.BooleanOptionalAction, default=None,
                        help="fork each kernel from a process that has already imported what "
                             "the pages import (less CPU and memory per trainee; Linux; the "
                             f"default unless {FORK_VARIABLE}=0); --no-fork-kernels starts "
                             "each kernel as a fresh Python (docs/performance.md)")
    args = parser.parse_args(argv)
    if not sorted(args.notebooks.glob("*.ipynb")):
        print(f"npkit: no built modules in {args.notebooks}: run `make notebooks` "
              "(or python tools/build_notebooks.py) first", file=sys.stderr)
        return 2
    try:
        pool_sizes = parse_pool_sizes(args.pool_size, args.notebooks)
        room_sizes = parse_room_sizes(args.room, args.notebooks, args.language)
        if args.refill_delay is not None and not 0 <= args.refill_delay <= 3600:
            raise ValueError(f"--refill-delay {args.refill_delay:g}: between 0 and 3600 s")
        check_cull_idle(args.cull_idle)
        cmd = voila_command(args.notebooks, port=args.port, preheat=not args.no_preheat,
                            pool_sizes=pool_sizes, refill_delay=args.refill_delay,
                            cull_idle=args.cull_idle, room_sizes=room_sizes,
                            language=args.language, fork_kernels=args.fork_kernels)
    except ValueError as e:  # NPKIT_FORK_KERNELS too (voila_command reads it when no option)
        print(f"npkit: {e}", file=sys.stderr)
        return 2
    print(f"npkit: starting Voila for the modules in {args.notebooks}", flush=True)
    return run_voila(cmd[cmd.index("--voila") + 1:])


if __name__ == "__main__":
    sys.exit(main())
