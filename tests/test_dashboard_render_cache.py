"""What the course server keeps once instead of repeating for every page visit
(npkit.course.render_cache, npkit.course.dashboard): counts, not times."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import jinja2
import nbformat
import pytest

from npkit.course import dashboard
from npkit.course.render_cache import TEMPLATE_CODE, SharedTemplateCode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import build_notebooks  # noqa: E402
from dashboard_support import course_app, render_with  # noqa: E402

pytest.importorskip("voila")


def env_for(folder: Path, cache, **kw) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.FileSystemLoader(folder), bytecode_cache=cache,
                              **kw)


def test_environments_sharing_the_cache_compile_a_template_once(tmp_path):
    (tmp_path / "base.j2").write_text("<p>{% block body %}{% endblock %}</p>", encoding="utf-8")
    (tmp_path / "page.j2").write_text(
        '{% extends "base.j2" %}{% block body %}{{ name | upper }}{% endblock %}',
        encoding="utf-8")
    cache = SharedTemplateCode()
    first = env_for(tmp_path, cache).get_template("page.j2").render(name="jane")
    assert cache.compiled == 2  # page.j2 and the base.j2 it extends
    for _ in range(3):  # three more visits, each with its own environment
        assert env_for(tmp_path, cache).get_template("page.j2").render(name="jane") == first
    assert first == "<p>JANE</p>" and cache.compiled == 2


def test_an_edited_template_is_compiled_again(tmp_path):
    page = tmp_path / "page.j2"
    page.write_text("old {{ x }}", encoding="utf-8")
    cache = SharedTemplateCode()
    assert env_for(tmp_path, cache).get_template("page.j2").render(x=1) == "old 1"
    page.write_text("new {{ x }}", encoding="utf-8")
    assert env_for(tmp_path, cache).get_template("page.j2").render(x=1) == "new 1"
    assert cache.compiled == 2


def test_environments_that_compile_differently_do_not_share_code(tmp_path):
    (tmp_path / "page.j2").write_text("{% for i in xs %}{{ i }}{% endfor %}",
                                      encoding="utf-8")
    cache = SharedTemplateCode()
    plain = env_for(tmp_path, cache)
    in_async = env_for(tmp_path, cache, enable_async=True)
    escaping = env_for(tmp_path, cache, autoescape=True)
    assert plain.get_template("page.j2").render(xs=[1, 2]) == "12"
    assert asyncio.run(in_async.get_template("page.j2").render_async(xs=[1, 2])) == "12"
    assert escaping.get_template("page.j2").render(xs=["<b>"]) == "&lt;b&gt;"
    assert cache.compiled == 3


def render(exporter, nb) -> str:
    """A module page as Voila renders it, with a fake kernel (every cell without output)."""
    return render_with(exporter, nb)


def exporter():
    from voila.exporter import VoilaExporter
    from voila.paths import collect_template_paths

    paths = collect_template_paths(["voila", "nbconvert"], "npkit", prune=True)
    e = VoilaExporter(template_paths=paths, template_name="npkit", theme="light",
                      base_url="/", show_margins=False, mathjax_url="")
    e.exclude_input = e.exclude_input_prompt = e.exclude_output_prompt = True
    return e


@pytest.mark.parametrize("source", ["05_scenario_lab.py", "th/05_scenario_lab.md"])
def test_the_course_compiles_its_page_templates_once_for_every_visit(source, tmp_path,
                                                                     monkeypatch):
    from voila.exporter import VoilaExporter

    monkeypatch.setenv("JUPYTER_PATH", __import__("os").pathsep.join(
        dashboard.template_search_path()))
    # run_voila (through course_app) sets up the page exporters as the course server has them
    monkeypatch.setattr(VoilaExporter, "_create_environment", VoilaExporter._create_environment)
    course_app(monkeypatch, dashboard.voila_command(tmp_path))
    nb = build_notebooks.build(ROOT / "notebooks" / source)
    first = exporter()
    assert first.environment.bytecode_cache is TEMPLATE_CODE
    first.environment.bytecode_cache = None  # compiled as before: the reference page
    reference = render(first, nbformat.from_dict(nb))
    render(exporter(), nbformat.from_dict(nb))  # fills the cache if an earlier test did not
    compiled = TEMPLATE_CODE.compiled
    pages = [render(exporter(), nbformat.from_dict(nb)) for _ in range(3)]
    assert TEMPLATE_CODE.compiled == compiled  # three visits, nothing compiled again
    assert pages == [reference] * 3  # the same page, byte for byte
    assert "npk-module" in reference


def counting_logger(name: str, handler_level: int) -> tuple[logging.Logger, list]:
    log = logging.getLogger(name)
    log.handlers[:] = []
    log.setLevel(logging.DEBUG)  # as traitlets leaves an app's logger
    log.propagate = False
    made: list = []
    log.filters[:] = [lambda record: made.append(record.levelno) or True]
    handler = logging.StreamHandler(open(__import__("os").devnull, "w"))  # noqa: SIM115
    handler.setLevel(handler_level)
    log.addHandler(handler)
    return log, made


def test_the_server_log_makes_no_line_its_handler_drops():
    log, made = counting_logger("npkit-test-course-log", logging.INFO)
    dashboard.log_at_handler_level(log)
    for _ in range(100):  # what nbclient writes for every message of a page's kernel
        log.debug("msg_type: comm_open")
    log.info("Kernel started")
    log.warning("a warning")
    assert made == [logging.INFO, logging.WARNING]  # the same lines reach the log
    log.handlers[0].stream.close()


def test_a_debug_server_or_a_catch_all_handler_keeps_every_line():
    debug, made = counting_logger("npkit-test-course-debug", logging.DEBUG)  # --debug
    dashboard.log_at_handler_level(debug)
    debug.debug("x")
    assert made == [logging.DEBUG]
    everything, made = counting_logger("npkit-test-course-all", logging.INFO)
    everything.addHandler(logging.NullHandler())  # NOTSET: it takes every line
    dashboard.log_at_handler_level(everything)
    everything.debug("x")
    assert made == [logging.DEBUG]
    for log in (debug, everything):
        log.handlers[0].stream.close()


@pytest.fixture
def page_settings_as_voila_has_them(monkeypatch):
    """Voila's own get_page_config and make_url in every module that uses them, put back after
    the test (keep_page_settings replaces them for the life of a server)."""
    import voila.handler
    import voila.tornado.treehandler
    import voila.utils
    import voila.voila_kernel_manager

    monkeypatch.setenv("JUPYTER_PATH", __import__("os").pathsep.join(
        dashboard.template_search_path()))
    made = voila.utils.get_page_config
    made = getattr(made, "__wrapped__", made)  # Voila's own, if a server set-up kept it here
    for module in (voila.utils, voila.handler, voila.voila_kernel_manager,
                   voila.tornado.treehandler):
        monkeypatch.setattr(module, "get_page_config", made)
    make_url = voila.utils.make_url
    monkeypatch.setattr(voila.utils, "make_url", getattr(make_url, "__wrapped__", make_url))
    return voila.utils


def test_a_page_config_is_gathered_once_and_each_visit_gets_its_own(
        page_settings_as_voila_has_them, monkeypatch):
    import voila.handler
    import voila.tornado.treehandler
    import voila.voila_kernel_manager
    from voila.configuration import VoilaConfiguration

    from npkit.course.render_cache import keep_page_settings

    utils = page_settings_as_voila_has_them
    gathered = []
    read_extensions = utils.gpc
    monkeypatch.setattr(utils, "gpc", lambda *a, **kw: gathered.append(1)
                        or read_extensions(*a, **kw))
    conf = VoilaConfiguration(extension_allowlist=["@jupyter-widgets/jupyterlab-manager",
                                                   "@voila-dashboards/widgets-manager8"])
    settings = {"mathjax_url": "", "mathjax_config": ""}
    args = {"base_url": "/", "settings": settings, "log": logging.getLogger("t"),
            "voila_configuration": conf}
    reference = utils.get_page_config(**args)
    keep_page_settings()
    pages = []
    for module in (voila.handler, voila.voila_kernel_manager, voila.tornado.treehandler,
                   voila.handler):
        page = module.get_page_config(**args)
        pages.append(copy_of(page))
        page["federated_extensions"].append({"name": "changed by this visit"})
        page["baseUrl"] = "/changed/"
    assert pages == [reference] * 4  # the same config, unchanged by an earlier visit
    assert reference["federated_extensions"]  # the widget manager is in it
    assert len(gathered) == 2  # the reference, then once for all four visits
    other = VoilaConfiguration(extension_allowlist=[])  # another app's: gathered for it
    assert voila.handler.get_page_config(**{**args, "voila_configuration": other}) != reference
    assert len(gathered) == 3


def copy_of(value):
    return __import__("copy").deepcopy(value)


def test_the_template_asset_addresses_are_found_once(page_settings_as_voila_has_them,
                                                      monkeypatch):
    from voila.static_file_handler import TemplateStaticFileHandler

    from npkit.course.render_cache import keep_page_settings

    utils = page_settings_as_voila_has_them
    files = ["static/npkit.css", "static/npkit.js", "static/npkit-lang.js"]
    reference = [utils.include_js("npkit", "/", f) for f in files]
    assert all("?v=" in tag for tag in reference)  # versioned: a changed file is fetched anew
    found = []
    make = TemplateStaticFileHandler.make_static_url.__func__
    monkeypatch.setattr(TemplateStaticFileHandler, "make_static_url", classmethod(
        lambda cls, *a, **kw: found.append(1) or make(cls, *a, **kw)))
    keep_page_settings()
    for _ in range(5):  # five visits
        assert [utils.include_js("npkit", "/", f) for f in files] == reference
    assert len(found) == len(files)


def course_exporter(monkeypatch, tmp_path):
    """A page exporter as the course server makes one: run_voila's set-up, voila.json's
    config."""
    app = course_app(monkeypatch, dashboard.voila_command(tmp_path))
    monkeypatch.setenv("JUPYTER_PATH", __import__("os").pathsep.join(
        dashboard.template_search_path()))

    def make():
        e = exporter()
        e.update_config(app.config)
        return e

    return make


@pytest.mark.parametrize("source", ["05_scenario_lab.py", "th/05_scenario_lab.md"])
def test_markdown_cells_are_converted_once_for_every_visit(source, tmp_path, monkeypatch):
    from voila.exporter import VoilaExporter

    make = course_exporter(monkeypatch, tmp_path)
    kept = VoilaExporter.__dict__["markdown2html"]
    keeper = kept.npkit_kept  # run_voila keeps Markdown cells' HTML (render_cache.keep_markdown)
    nb = build_notebooks.build(ROOT / "notebooks" / source)
    cells = sum(c["cell_type"] == "markdown" for c in nb["cells"])
    assert cells >= 1
    monkeypatch.setattr(VoilaExporter, "markdown2html", keeper.convert)  # Voila's own
    reference = render(make(), nbformat.from_dict(nb))
    monkeypatch.setattr(VoilaExporter, "markdown2html", kept)
    keeper.kept.clear()
    converted = keeper.converted
    pages = [render(make(), nbformat.from_dict(nb)) for _ in range(4)]
    assert keeper.converted - converted == cells  # the first visit only
    assert pages == [reference] * 4  # the same page, byte for byte
    assert "npk-module" in reference


def test_a_markdown_cell_with_an_image_or_attachments_is_converted_every_time(tmp_path,
                                                                               monkeypatch):
    from voila.exporter import VoilaExporter

    make = course_exporter(monkeypatch, tmp_path)
    keeper = VoilaExporter.__dict__["markdown2html"].npkit_kept
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("![logo](logo.png) and *text*"),
        nbformat.v4.new_markdown_cell("attached ![a](attachment:a.png)", attachments={
            "a.png": {"image/png": "iVBORw0KGgo="}}),
        nbformat.v4.new_markdown_cell("- plain\n- list")])
    from jupyter_server.services.contents.filemanager import FileContentsManager

    (tmp_path / "logo.png").write_bytes(b"\x89PNG first")
    files = FileContentsManager(root_dir=str(tmp_path))

    def visit():
        e = make()
        e.contents_manager = files
        return render(e, nbformat.from_dict(nb))

    converted = keeper.converted
    first = visit()
    (tmp_path / "logo.png").write_bytes(b"\x89PNG second")  # the file changed
    pages = [visit() for _ in range(2)]
    assert keeper.converted - converted == 2 * 3 + 1
    assert pages[0] == pages[1] != first and "<li>plain</li>" in first


def test_voila_converts_markdown_where_the_course_keeps_it():
    """keep_markdown wraps VoilaExporter.markdown2html(self, context, source); if a Voila
    release renames or reshapes it, this fails (the course then converts as Voila does)."""
    import inspect

    from voila.exporter import VoilaExporter

    method = VoilaExporter.__dict__["markdown2html"]
    method = getattr(method, "npkit_kept", None) and method.npkit_kept.convert or method
    assert list(inspect.signature(method).parameters) == ["self", "context", "source"]
    assert "markdown2html" in dict(VoilaExporter().default_filters())


def test_a_page_is_validated_once_not_after_each_of_its_preprocessors(tmp_path, monkeypatch):
    """voila.json: VoilaExporter.optimistic_validation (nbconvert validated the notebook after
    each of the exporter's dozen preprocessors, nearly all of them switched off)."""
    from nbconvert.exporters.exporter import Exporter

    make = course_exporter(monkeypatch, tmp_path)
    validated = []
    check = Exporter._validate_preprocessor
    monkeypatch.setattr(Exporter, "_validate_preprocessor",
                        lambda self, nb, p: validated.append(p) or check(self, nb, p))
    e = make()
    assert e.optimistic_validation and len(e._preprocessors) > 5
    render(e, nbformat.from_dict(build_notebooks.build(ROOT / "notebooks" /
                                                       "05_scenario_lab.py")))
    assert len(validated) == 1


def test_the_server_freezes_what_it_made_at_start_before_its_loop_runs(tmp_path, monkeypatch):
    """gc.freeze once the server is made (dashboard.freeze_start_up): a full collection in a
    room then walks only what was made after start, not the ~200,000 objects of start-up."""
    import gc

    from voila.app import Voila

    app = course_app(monkeypatch, dashboard.voila_command(tmp_path))
    listened = []
    monkeypatch.setattr(Voila, "listen", lambda self: listened.append(gc.get_freeze_count()))
    gc.unfreeze()
    try:
        type(app).listen(app)
        assert listened and listened[0] > 50_000
    finally:
        gc.unfreeze()
