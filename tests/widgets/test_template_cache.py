"""Compiled templates shared between kernels (ui.bytecode_cache, issue 16): the same HTML as
compiling afresh, a changed or corrupt cache file is compiled again, and a folder that cannot
be written only means no sharing."""

from __future__ import annotations

import subprocess
import sys

from npkit.casefile import cache as npkit_cache
from npkit.course.widgets import ui

SCRIPT = ("from npkit.course.widgets import ui; "
          "print(ui.value('disclaimer.html.j2', text='a <b> & c'))")


def render_in_fresh_process(env: dict) -> str:
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                         env=env, check=True, timeout=300)
    return out.stdout


def test_shared_bytecode_renders_what_a_fresh_compile_does(tmp_path):
    import os

    base = {**os.environ, npkit_cache.CACHE_VARIABLE: str(tmp_path / "cache")}
    uncached = render_in_fresh_process({**base, npkit_cache.CACHE_VARIABLE: "off"})
    assert "a &lt;b&gt; &amp; c" in uncached
    assert render_in_fresh_process(base) == uncached  # compiles and writes
    files = list((tmp_path / "cache").glob("templates-*/*.cache"))
    assert files
    assert render_in_fresh_process(base) == uncached  # reads the compiled code back
    for f in files:
        f.write_bytes(b"not bytecode")
    assert render_in_fresh_process(base) == uncached  # ignored, compiled again


def test_no_cache_when_off_or_unwritable(tmp_path, monkeypatch):
    monkeypatch.setenv(npkit_cache.CACHE_VARIABLE, "off")
    assert ui.bytecode_cache() is None
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setenv(npkit_cache.CACHE_VARIABLE, str(blocker / "cache"))
    assert ui.bytecode_cache() is None
    monkeypatch.setenv(npkit_cache.CACHE_VARIABLE, str(tmp_path / "cache"))
    assert ui.bytecode_cache() is not None
