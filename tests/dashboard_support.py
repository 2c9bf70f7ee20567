"""The course's Voila app as ``python -m npkit.course.dashboard --voila ...`` makes it, with its
command line parsed and its config files loaded, and nothing started: what the dashboard tests
read the settings from (voila.json, then the command line over it)."""

from __future__ import annotations

import os

from npkit.course import dashboard


def course_app(monkeypatch, argv: list[str]):
    """The app ``dashboard.run_voila`` launches for ``argv`` (a whole ``voila_command()``), set
    up as ``Voila.initialize`` does it: the command line first, then ``voila.json`` from the
    app's ``config_file_paths``, the command line keeping priority."""
    from voila.app import Voila
    from voila.handler import VoilaHandler

    launched = {}
    # run_voila patches one handler method and JUPYTER_PATH: both come back after the test.
    monkeypatch.setattr(VoilaHandler, "prepare", VoilaHandler.prepare)
    # ... and keeps the page settings once (npkit.course.render_cache.keep_page_settings)
    import voila.handler
    import voila.tornado.treehandler
    import voila.utils
    import voila.voila_kernel_manager

    for module in (voila.utils, voila.handler, voila.voila_kernel_manager,
                   voila.tornado.treehandler):
        monkeypatch.setattr(module, "get_page_config", module.get_page_config)
    monkeypatch.setattr(voila.utils, "make_url", voila.utils.make_url)
    # ... and keeps Markdown cells' HTML (npkit.course.render_cache.keep_markdown)
    from voila.exporter import VoilaExporter

    monkeypatch.setattr(VoilaExporter, "markdown2html", VoilaExporter.__dict__["markdown2html"])
    # ... and mends jupyter_client's message dates (npkit.course.voila_mends)
    from jupyter_client import jsonutil

    monkeypatch.setattr(jsonutil, "_dateutil_parse", jsonutil._dateutil_parse)
    monkeypatch.setenv("JUPYTER_PATH", os.environ.get("JUPYTER_PATH", ""))
    # ... and the variables every kernel it starts finds (dashboard.KERNEL_ENVIRONMENT)
    for name in dashboard.KERNEL_ENVIRONMENT:
        if name in os.environ:
            monkeypatch.setenv(name, os.environ[name])
        else:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(Voila, "launch_instance", classmethod(
        lambda cls, argv=None, **kw: launched.update(cls=cls, argv=argv)))
    assert dashboard.run_voila(argv[argv.index("--voila") + 1:]) == 0
    app = launched["cls"]()
    app.parse_command_line(launched["argv"])
    app.load_config_file("voila", path=app.config_file_paths)
    return app


def render_with(exporter, nb, outputs: dict[int, str] | None = None) -> str:
    """A module page as Voila renders it through ``exporter``, with a fake kernel: each cell
    without output, or with the stdout text ``outputs`` gives its index."""
    import asyncio

    import nbformat

    async def kernel_start(nb):
        return "kernel-1"

    async def cells(nb, kernel_id):
        for i, cell in enumerate(nb.cells):
            if outputs and i in outputs:
                cell.outputs = [nbformat.v4.new_output("stream", name="stdout",
                                                       text=outputs[i])]
            yield cell

    async def run():
        parts = []
        async for html, _ in exporter.generate_from_notebook_node(
                nb, resources={"base_url": "/", "theme": "light", "metadata": {"name": "x"}},
                extra_context={"frontend": "voila", "main_js": "voila.js",
                               "kernel_start": kernel_start, "cell_generator": cells,
                               "progressive_rendering": False},
                page_config={"fullStaticUrl": "/voila/static"}):
            parts.append(html)
        return "".join(parts)

    return asyncio.run(run())


def workshop_server():
    """deploy/workshop_server.py (a script, not a module of npkit), loaded afresh."""
    import importlib.util
    from pathlib import Path

    script = Path(__file__).resolve().parents[1] / "deploy" / "workshop_server.py"
    spec = importlib.util.spec_from_file_location("workshop_server", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
