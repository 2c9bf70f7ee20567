"""The dashboard's configuration, without a browser: the Voila command line, the npkit template
(rendered offline with Voila's own exporter and Jinja set-up), the build's tagging of checked
cells, and the navigation between modules. The browser tests are in tests/browser/."""

from __future__ import annotations

import json
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from markupsafe import escape

from npkit import DISCLAIMER
from npkit.course import dashboard
from npkit.course.training.modules import MODULES, WORKSHOP_PAGES
from npkit.course.widgets.base import (
    ModuleHeader,
    keep_query,
    module_header,
    nav_html,
)
from npkit.store.codes import SHAPE  # the codes parse_learner accepts (issue 14)

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "share" / "jupyter" / "voila" / "templates" / "npkit"
sys.path.insert(0, str(ROOT / "tools"))
import build_notebooks  # noqa: E402
from dashboard_support import course_app, render_with  # noqa: E402

voila = pytest.importorskip("voila")


# ---------------------------------------------------------------- the command line and voila.json

SHIPPED = json.loads(dashboard.CONFIG.read_text(encoding="utf-8"))


def flags(cmd: list[str]) -> list[str]:
    return cmd[cmd.index("--voila") + 2:]


def test_voila_command_passes_only_the_folder_the_port_and_the_fork_switch(tmp_path,
                                                                          monkeypatch):
    from npkit.course.fork_provisioner import SWITCH

    monkeypatch.delenv(dashboard.FORK_VARIABLE, raising=False)
    cmd = dashboard.voila_command(tmp_path, port=9123)
    assert cmd[:5] == [sys.executable, "-m", "npkit.course.dashboard", "--voila",
                       str(tmp_path.resolve())]
    extra = [] if __import__("os").name == "posix" else ["--KernelManager.transport=tcp"]
    assert flags(cmd) == ["--port=9123", *extra, SWITCH]
    assert flags(dashboard.voila_command(tmp_path, port=9123, host="0.0.0.0",
                                         preheat=False))[:3] == [
        "--port=9123", "--Voila.ip=0.0.0.0", "--preheat_kernel=False"]


def test_voila_command_defaults_and_preheat_switch():
    cmd = dashboard.voila_command()
    assert cmd[4] == str((ROOT / "notebooks").resolve())
    assert "--port=8866" in cmd
    assert "--preheat_kernel=False" in dashboard.voila_command(preheat=False)


def test_the_course_reads_the_shipped_voila_json_first(tmp_path, monkeypatch):
    app = course_app(monkeypatch, dashboard.voila_command(tmp_path, port=9124))
    assert app.config_file_paths[0] == str(ROOT / "npkit" / "course" / "voila_config")
    assert str(dashboard.CONFIG) in app.loaded_config_files
    assert app.port == 9124 and app.ip == "127.0.0.1"
    assert app.port_retries == 0  # a busy port is an error, never a silent other port
    assert app.open_browser is False
    assert app.extra_args == [str(tmp_path.resolve())]


@pytest.mark.parametrize(("before", "after"), [(None, "0"), ("1", "1")])
def test_the_course_s_kernels_send_no_echo_unless_asked_to(tmp_path, monkeypatch, before,
                                                             after):
    """The course server's kernels (and the fork server ipywidgets is preloaded in) inherit
    JUPYTER_WIDGETS_ECHO=0 from it: no change of a page comes back to it. A value set
    before the server starts is kept."""
    import os

    if before is None:
        monkeypatch.delenv("JUPYTER_WIDGETS_ECHO", raising=False)
    else:
        monkeypatch.setenv("JUPYTER_WIDGETS_ECHO", before)
    course_app(monkeypatch, dashboard.voila_command(tmp_path))
    assert os.environ["JUPYTER_WIDGETS_ECHO"] == after


def test_the_settings_serve_the_modules_fast_and_quietly(tmp_path, monkeypatch):
    from jupyter_client.manager import KernelManager
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
    from voila.configuration import VoilaConfiguration

    app = course_app(monkeypatch, dashboard.voila_command(tmp_path))
    conf = VoilaConfiguration(parent=app)
    assert (conf.template, conf.theme, conf.classic_tree) == ("npkit", "light", True)
    assert conf.allow_template_override == "NO" and conf.allow_theme_override == "NO"
    assert conf.show_tracebacks is False and conf.strip_sources is True
    assert conf.preheat_kernel is True and conf.default_pool_size == 1
    assert set(conf.extension_allowlist) == {"@jupyter-widgets/jupyterlab-manager",
                                             "@voila-dashboards/widgets-manager8"}
    executor = app.config.VoilaExecutor
    assert executor.allow_errors is True  # a failing cell must not hide the rest of the page
    # the answer keys (their output never reaches the page) are not run either (issue 16)
    assert executor.skip_cells_with_tag == build_notebooks.CHECK_TAG == "npkit-check"
    assert "traceback" not in executor.cell_error_instruction.lower()
    manager = AsyncMappingKernelManager(parent=app)
    assert manager.cull_idle_timeout > 0 and manager.cull_interval > 0
    if __import__("os").name == "posix":
        assert KernelManager(parent=app).transport == "ipc"  # no TCP port races between kernels


def test_every_setting_in_voila_json_is_one_the_class_has():
    """A misspelt key in a config file is ignored without a word: each must name a
    configurable trait of its class."""
    from jupyter_client.manager import KernelManager
    from jupyter_server.services.kernels.kernelmanager import MappingKernelManager
    from voila.app import Voila
    from voila.configuration import VoilaConfiguration
    from voila.execute import VoilaExecutor
    from voila.exporter import VoilaExporter

    classes = {c.__name__: c for c in (Voila, VoilaConfiguration, VoilaExecutor,
                                       VoilaExporter, MappingKernelManager, KernelManager)}
    assert set(SHIPPED) <= set(classes)
    for section, values in SHIPPED.items():
        traits = classes[section].class_traits(config=True)
        assert set(values) <= set(traits), (section, set(values) - set(traits))
    assert len([k for values in SHIPPED.values() for k in values]) >= 20


def test_voila_json_keeps_tracebacks_and_code_from_the_page_out():
    """The security-relevant settings: no traceback for a learner, and nothing that would let
    a page send code to its kernel (standalone Voila refuses execute_request; the course never
    runs as a Jupyter server extension, and nothing here widens the message types)."""
    text = dashboard.CONFIG.read_text(encoding="utf-8")
    assert SHIPPED["VoilaConfiguration"]["show_tracebacks"] is False
    assert SHIPPED["VoilaConfiguration"]["allow_template_override"] == "NO"
    assert "execute_request" not in text and "allowed_message_types" not in text
    assert not {"ServerApp", "NotebookApp", "ServerProxy"} & set(SHIPPED)
    assert "log_level" not in text  # --debug's DEBUG log would also turn tracebacks on
    for cmd in (dashboard.voila_command(), dashboard.voila_command(
            preheat=False, pool_sizes={"default": 2}, refill_delay=5, cull_idle=0)):
        assert cmd[1:4] == ["-m", "npkit.course.dashboard", "--voila"]  # standalone Voila
        assert not [a for a in cmd[5:] if "traceback" in a.lower() or a == "--debug"]


def test_standalone_voila_refuses_code_sent_from_a_page(tmp_path, monkeypatch):
    """The kernel manager the course's app makes lets a page send widget messages, never an
    execute_request (preheating off, so no kernel starts)."""
    import signal

    argv = dashboard.voila_command(tmp_path, preheat=False)
    app = course_app(monkeypatch, argv)
    monkeypatch.setattr(signal, "signal", lambda *a: None)  # initialize sets a SIGTERM handler
    app.initialize(argv[argv.index("--voila") + 1:])
    assert app.voila_configuration.show_tracebacks is False
    app.init_settings()
    allowed = set(app.kernel_manager.allowed_message_types)
    assert "comm_msg" in allowed and "execute_request" not in allowed


def test_launcher_refuses_a_folder_without_built_modules(tmp_path, capsys):
    assert dashboard.main(["--notebooks", str(tmp_path), "--port", "9125"]) == 2
    assert "make notebooks" in capsys.readouterr().err


def test_template_search_path_puts_the_checkout_first(monkeypatch):
    share = str(dashboard.SOURCE_SHARE)
    monkeypatch.setenv("JUPYTER_PATH", f"/elsewhere{__import__('os').pathsep}{share}")
    assert dashboard.template_search_path() == [share, "/elsewhere"]
    monkeypatch.delenv("JUPYTER_PATH")
    assert dashboard.template_search_path() == [share]


def test_landing_context_is_the_catalogue():
    ctx = dashboard.landing_context()
    assert [m["notebook"] for m in ctx["modules"]] == [m.notebook for m in MODULES]
    assert [p["notebook"] for p in ctx["workshop"]] == [p.notebook for p in WORKSHOP_PAGES]
    assert ctx["total_minutes"] == sum(m.minutes for m in MODULES)
    assert ctx["disclaimer"] == DISCLAIMER


# ---------------------------------------------------------------- the template files

def test_template_files_exist_and_extend_lab():
    for name in ["conf.json", "index.html.j2", "tree.html", "page.html", "error.html",
                 "404.html", "npkit.macro.html.j2", "static/npkit.css", "static/npkit.js"]:
        assert (TEMPLATE / name).is_file(), name
    conf = json.loads((TEMPLATE / "conf.json").read_text())
    assert conf["base_template"] == "lab"
    assert conf["traitlet_configuration"]["show_tracebacks"] is False


REMOTE = re.compile(r"""(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}""", re.I)
# XML namespaces in inline SVG are names, not requests.
NAMESPACES = ("//www.w3.org/", "//purl.org/", "//creativecommons.org/")


def test_template_names_no_remote_resource():
    for path in TEMPLATE.rglob("*"):
        if path.is_file():
            text = path.read_text(encoding="utf-8")
            hits = [m.group(0) for m in REMOTE.finditer(text)
                    if not any(ns in m.group(0) + "/" for ns in NAMESPACES)]
            assert hits == [], f"{path.name}: {hits}"


def test_module_page_blanks_every_remote_block_of_the_stock_templates():
    text = (TEMPLATE / "index.html.j2").read_text()
    # Voila's lab template links Font Awesome from a CDN: extend nbconvert's lab directly.
    assert "extends 'nbconvert/templates/lab/index.html.j2'" in text
    for block in ["html_head_js_mathjax", "html_head_js_mermaidjs", "jupyter_widgets"]:
        body = re.search(rf"block {block} -?%}}(.*?){{%-? endblock", text, re.S)
        assert body and body.group(1).strip() == "", block
    page = (TEMPLATE / "page.html").read_text()
    assert "extends" not in page  # Voila's base page.html links Font Awesome from a CDN


class Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.links: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("link", "script", "img", "iframe", "source") and (a.get("href") or a.get("src")):
            self.urls.append(a.get("href") or a.get("src"))
        if tag == "a":
            self.links.append(a)


def assets(html: str) -> Assets:
    p = Assets()
    p.feed(html)
    return p


def assert_local(html: str) -> None:
    urls = assets(html).urls
    assert urls
    for url in urls:
        assert url.startswith("/") and not url.startswith("//") or url.startswith("data:"), url


@pytest.fixture
def jupyter_path(monkeypatch):
    monkeypatch.setenv("JUPYTER_PATH", __import__("os").pathsep.join(
        dashboard.template_search_path()))


@pytest.fixture
def page_env(jupyter_path):
    """The Jinja environment Voila builds for its tree and error pages."""
    from voila.paths import collect_template_paths
    from voila.utils import create_include_assets_functions

    paths = collect_template_paths(["voila", "nbconvert"], "npkit", prune=True)
    assert paths[0] == str(TEMPLATE)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(paths),
                             extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_null_translations()
    return env, {"base_url": "/", **create_include_assets_functions("npkit", "/")}


def contents(names):
    return {"content": [{"name": n, "path": n, "type": "notebook"} for n in names]}


def test_landing_page_lists_the_modules_in_order_offline(page_env):
    env, ns = page_env
    built = [m.notebook for m in MODULES][:-1]  # the last one is not built
    html = env.get_template("tree.html").render(
        **ns, contents=contents(built), npkit_landing=dashboard.landing_context())
    assert_local(html)
    assert "npkit — the non-punishment principle" in html
    hrefs = [a.get("href") for a in assets(html).links if "data-npk-nav" in a]
    module_links = [h for h in hrefs if h.startswith("/voila/render/")]
    assert module_links[1:] == [f"/voila/render/{n}" for n in built]  # [0]: "Begin with 0"
    positions = [html.index(m.title.replace("'", "&#39;")) for m in MODULES]
    assert positions == sorted(positions)
    for m in MODULES:
        assert f"About {m.minutes} minutes" in html
        for o in m.objectives:
            assert str(escape(o)) in html
    assert "not built on this computer yet" in html  # the missing last module
    assert str(escape(DISCLAIMER)) in html
    assert 'id="npk-nick"' in html and 'maxlength="40"' in html


def test_landing_page_links_the_workshop_pages_after_the_modules_not_among_them(page_env):
    env, ns = page_env
    built = [m.notebook for m in MODULES] + [p.notebook for p in WORKSHOP_PAGES]
    html = env.get_template("tree.html").render(
        **ns, contents=contents(built), npkit_landing=dashboard.landing_context())
    assert_local(html)
    modules_list = html.split('<ol class="npk-modules" start="0">')[1].split("</ol>")[0]
    assert "_workshop_" not in modules_list  # the course's module order is unchanged
    links = {a.get("href"): a for a in assets(html).links}
    for p in WORKSHOP_PAGES:
        link = links[f"/voila/render/{p.notebook}"]
        assert "data-npk-nav" in link  # carries the learner, so a reload keeps the seat
        assert html.index(f">{p.title}</a>") > html.index(str(escape(MODULES[-1].title)))
        assert f"For {p.audience}" in html and str(escape(p.summary)) in html
    assert [p.title for p in WORKSHOP_PAGES] == ["Join a workshop", "Run a workshop"]
    unbuilt = env.get_template("tree.html").render(
        **ns, contents=contents([m.notebook for m in MODULES]),
        npkit_landing=dashboard.landing_context())
    assert "/voila/render/08_workshop_join.ipynb" not in unbuilt
    assert "Join a workshop" in unbuilt and "not built on this computer yet" in unbuilt


def test_landing_page_without_the_launcher_lists_the_notebooks(page_env):
    env, ns = page_env
    html = env.get_template("tree.html").render(**ns, contents=contents(["00_start_here.ipynb"]))
    assert "/voila/render/00_start_here.ipynb" in html
    assert_local(html)


@pytest.mark.parametrize("name,status", [("404.html", 404), ("error.html", 500)])
def test_error_pages_are_friendly_and_link_back(page_env, name, status):
    env, ns = page_env
    secret = "Traceback (most recent call last): secret_path.py"
    html = env.get_template(name).render(**ns, status_code=status, status_message="Error",
                                         message=secret, exception=secret)
    assert_local(html)
    assert "secret" not in html and "Traceback" not in html
    assert any(a.get("href") == "/" and "data-npk-nav" in a for a in assets(html).links)
    assert "modules" in html


def render_module(nb, *, outputs=None) -> str:
    """Render a notebook with the npkit template the way Voila does, with a fake kernel."""
    from voila.exporter import VoilaExporter
    from voila.paths import collect_template_paths

    paths = collect_template_paths(["voila", "nbconvert"], "npkit", prune=True)
    exporter = VoilaExporter(template_paths=paths, template_name="npkit", theme="light",
                             base_url="/", show_margins=False, mathjax_url="")
    exporter.exclude_input = exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True

    return render_with(exporter, nb, outputs)


def test_module_page_is_offline_hides_checked_outputs_and_links_modules(jupyter_path, tmp_path):
    src = ROOT / "notebooks" / "05_scenario_lab.py"
    nb = build_notebooks.build(src)
    checked = [c for c in nb.cells if "npkit-check" in c.metadata.get("tags", [])]
    assert checked and all(c.outputs for c in checked)  # the stored answer keys
    plain = next(i for i, c in enumerate(nb.cells)
                 if c.cell_type == "code" and "npkit-check" not in c.metadata.get("tags", []))
    html = render_module(nb, outputs={plain: "VISIBLE-OUTPUT"})
    assert_local(html)
    assert "VISIBLE-OUTPUT" in html
    for cell in checked:
        assert cell.outputs[0]["text"].strip() not in html  # never sent to the learner
    assert html.count('class="npk-checked"') == len(checked)
    assert "npkit — the non-punishment principle" in html
    assert "<title>Module 5: Scenario lab · npkit</title>" in html
    hrefs = {a.get("href") for a in assets(html).links if "data-npk-nav" in a}
    assert {"/", "/voila/render/04_asean.ipynb", "/voila/render/06_prosecutors_decision.ipynb"} \
        <= hrefs
    assert "mathjax" not in html.lower() and "cdnjs" not in html


NPKIT_SCRIPT = re.compile(r'<script( defer)? src="[^"]*static/(npkit[\w.-]*\.js)')


@pytest.mark.parametrize("number", [m.number for m in MODULES])
def test_module_page_loads_each_script_once_and_only_where_used(jupyter_path, number):
    """Issue 16: npkit-steps.js only on a module shown one step at a time; only the two
    scripts the top bar needs while the page streams (npkit-lang.js, npkit.js) hold up the
    parser, the others are deferred (they start once the page is parsed anyway)."""
    module = MODULES[number]
    nb = build_notebooks.build(ROOT / "notebooks" / module.notebook.replace(".ipynb", ".py"))
    html = render_module(nb)
    scripts = NPKIT_SCRIPT.findall(html)
    names = [name for _, name in scripts]
    assert len(names) == len(set(names)), names
    blocking = [name for defer, name in scripts if not defer]
    assert blocking == ["npkit-lang.js", "npkit.js"]
    assert ("npkit-steps.js" in names) == bool(module.steps) == ("data-npk-steps" in html)
    expected = {"npkit-lang.js", "npkit.js", "npkit-connection.js", "npkit-a11y.js",
                "npkit-layout.js"} | ({"npkit-steps.js"} if module.steps else set())
    assert set(names) == expected
    assert len(names) == (6 if module.steps else 5)


# ---------------------------------------------------------------- the build

def test_build_tags_checked_cells_and_only_those(tmp_path):
    src = tmp_path / "03_models.py"
    src.write_text(
        "# %%\nprint('a')\n# expect: a\n\n"
        "# %%\n# NBVAL_CHECK_OUTPUT\nprint('b')\n\n"
        "# %%\nx = 1\n\n"
        "# %% [markdown]\n# # NBVAL_CHECK_OUTPUT in prose\n",
        encoding="utf-8")
    nb = build_notebooks.build(src)
    tags = [c.metadata.get("tags", []) for c in nb.cells]
    assert tags == [["npkit-check"], ["npkit-check"], [], []]
    assert nb.cells[0].source.startswith("# NBVAL_CHECK_OUTPUT")
    assert nb.cells[0].outputs[0]["text"] == "a\n"
    assert build_notebooks.text(build_notebooks.build(src)) == build_notebooks.text(nb)


def test_every_checked_cell_of_the_real_modules_is_tagged():
    for src in build_notebooks.sources():
        for cell in build_notebooks.build(src).cells:
            checked = cell.cell_type == "code" and build_notebooks.CHECK in cell.source
            assert checked == ("npkit-check" in cell.metadata.get("tags", [])), src.name


def test_an_answer_key_only_prints_so_voila_can_skip_it():
    """Voila does not run a cell tagged npkit-check (voila.json): that is safe only while such a
    cell leaves nothing behind that a later cell could use. Each of their statements must be a
    ``print(...)`` of values made by calls, in every module and language."""
    import ast

    from npkit.i18n import LANGUAGES

    def prints_only(nodes: list) -> bool:
        return all(isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                   and isinstance(node.value.func, ast.Name) and node.value.func.id == "print"
                   and not any(isinstance(n, ast.NamedExpr) for n in ast.walk(node))
                   for node in nodes)

    found = {}
    for lang in LANGUAGES:
        found[lang] = 0
        for src in build_notebooks.sources():
            for cell in build_notebooks.build(src, lang).cells:
                if "npkit-check" not in cell.metadata.get("tags", []):
                    continue
                found[lang] += 1
                body = ast.parse(cell.source).body
                if lang != "en":  # the key in English: i18n.speaking restores the page's
                    (block,) = body
                    assert isinstance(block, ast.With), f"{src.name} ({lang})"
                    assert ast.unparse(block.items[0]) == "i18n.speaking('en')"
                    body = block.body
                assert prints_only(body), f"{src.name} ({lang}): {ast.unparse(body[0])!r}"
    assert found["en"] >= 20 and len(set(found.values())) == 1, found


def test_build_records_the_module_and_its_neighbours():
    first, middle, last = (build_notebooks.module_metadata(Path(m.notebook).stem)
                           for m in (MODULES[0], MODULES[3], MODULES[-1]))
    assert first["npkit"]["prev"] is None and last["npkit"]["next"] is None
    assert middle["title"] == f"Module 3: {MODULES[3].title} · npkit"
    assert middle["npkit"]["prev"]["notebook"] == MODULES[2].notebook
    assert middle["npkit"]["next"]["notebook"] == MODULES[4].notebook
    assert build_notebooks.module_metadata("99_not_a_module") == {}


def test_workshop_pages_are_not_modules_no_pager_and_no_learner_nag(jupyter_path):
    join, trainer = (build_notebooks.module_metadata(Path(p.notebook).stem)
                     for p in WORKSHOP_PAGES)
    assert join == {"title": "Join a workshop · npkit",
                    "npkit_page": {"kind": "workshop", "title": "Join a workshop",
                                   "audience": "trainees"}}
    assert "npkit" not in trainer and trainer["title"] == "Run a workshop · npkit"
    nb = build_notebooks.build(ROOT / "notebooks" / "08_workshop_join.py")
    html = render_module(nb)
    assert_local(html)
    assert "<title>Join a workshop · npkit</title>" in html
    assert 'class="jp-Notebook theme-light npk-page npk-module npk-workshop"' in html
    # the join page is for trainees: npkit.js makes sure its address names a learner
    assert 'data-npk-workshop="trainees"' in html
    assert 'class="npk-pager"' not in html
    js = (TEMPLATE / "static" / "npkit.js").read_text()
    assert '!document.body.classList.contains("npk-workshop")' in js


# ---------------------------------------------------------------- navigation in the header

def test_keep_query_carries_a_valid_learner_and_nick_only():
    assert keep_query("learner=amber-otter-42&nick=Ann%20B&x=1") == \
        "?learner=amber-otter-42&nick=Ann+B"
    assert keep_query("?learner=amber-otter-42") == "?learner=amber-otter-42"
    assert keep_query("learner=Amber") == ""
    assert keep_query("learner=abc") == ""  # too short
    assert keep_query("nick=Ann") == ""
    assert keep_query(None) == ""
    assert keep_query("learner=amber-otter-42&nick=" + "x" * 90) == \
        "?learner=amber-otter-42&nick=" + "x" * 40
    assert keep_query("learner=amber-otter-42&nick=%3Cb%3E%0A") == \
        "?learner=amber-otter-42&nick=%3Cb%3E"


def test_header_links_previous_all_and_next_modules():
    html = nav_html(3)
    assert f'href="{MODULES[2].notebook}"' in html and 'rel="prev"' in html
    assert f'href="{MODULES[4].notebook}"' in html and 'rel="next"' in html
    assert "data-npk-home" in html and html.count("data-npk-nav") == 3
    assert 'rel="prev"' not in nav_html(0) and 'rel="next"' not in nav_html(MODULES[-1].number)
    with_query = nav_html(3, "learner=amber-otter-42&nick=<b>")
    assert f'href="{MODULES[4].notebook}?learner=amber-otter-42&amp;nick=%3Cb%3E"' in with_query
    assert "<b>" not in with_query


def test_module_header_has_a_learner_slot_hidden_while_empty():
    header = module_header(2)
    assert isinstance(header, ModuleHeader)
    # outside Voila (here, as in JupyterLab) the widgets' stylesheet comes first
    assert header.children == (header.style, header.nav, header.heading, header.learner)
    assert MODULES[2].title in header.heading.value
    assert header.learner.layout.display == "none"
    header.show_learner("amber-otter-42", "<img src=x onerror=alert(1)>")
    assert header.learner.layout.display is None
    assert "amber-otter-42" in header.learner.value and "<img" not in header.learner.value
    header.learner.value = ""
    assert header.learner.layout.display == "none"
    header.set_query("learner=amber-otter-42")
    assert "?learner=amber-otter-42" in header.nav.value


def test_browser_and_kernel_agree_on_the_learner_code():
    js = (TEMPLATE / "static" / "npkit.js").read_text()
    assert f"var CODE = /^{SHAPE.pattern}$/;" in js
    assert "NICK_MAX = 40" in js
    assert ".innerHTML" not in js  # learner text only ever goes in with textContent
