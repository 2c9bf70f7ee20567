"""A scenario-lab kernel whose data comes from the shared cache imports only what the page's
first render needs (issue 16: every module a kernel imports is CPU each trainee's kernel
spends). YAML is read, and the learner store opened, only when there is something to read or
store: a cache miss, a learner record. Each check runs in a fresh process, as a kernel starts
one; the page's code runs twice, the first time to fill a cache folder of its own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LAB = ROOT / "notebooks" / "05_scenario_lab.py"

# Modules a kernel that shows the lab from the shared cache has no use for: the YAML parser
# and the case-file reader (cache misses only), the learner store (a learner signed in),
# difflib (a "did you mean" for a file being validated).
NOT_ON_THE_LAB_PATH = {
    "yaml",
    "difflib",
    "npkit.casefile.loader",
    "npkit.store.learners",
    "npkit.store.codes",
    "npkit.store.sql",
    "sqlite3",
}

RUN_PAGE = """
import json, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
# the code cells of a jupytext percent file (no jupytext here: it would import YAML itself)
cells = [c for c in re.split(r"^# %%.*$", text, flags=re.M)[1:]]
cells = [c for c, head in zip(cells, re.findall(r"^# %%.*$", text, flags=re.M))
         if "[markdown]" not in head]
namespace = {"__name__": "__main__"}
for cell in cells:
    exec(compile(cell, sys.argv[1], "exec"), namespace)
print(json.dumps(sorted(sys.modules)))
"""

# The same, then the pydantic models whose validators were built (defer_build: a kernel that
# reads validated results from the shared cache builds none).
RUN_PAGE_SCHEMAS = RUN_PAGE + """
from pydantic import BaseModel
def every(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from every(sub)
print(json.dumps(sorted({f"{c.__module__}.{c.__qualname__}" for c in every(BaseModel)
                         if c.__module__.startswith("npkit") and c.__pydantic_complete__})))
"""


def _run(code: str, *args: str, cache: Path, lines: int = 2) -> list:
    """What ``code`` printed last: its last ``lines`` lines, each read as JSON."""
    env = {k: v for k, v in os.environ.items() if k not in {"VOILA_KERNEL_ID", "QUERY_STRING"}}
    env.update(NPKIT_CACHE_DIR=str(cache), VOILA_KERNEL_ID="lean-imports", QUERY_STRING="")
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                         timeout=300, env=env, cwd=LAB.parent, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    return [json.loads(line) for line in out.stdout.strip().splitlines()[-lines:]]


def _modules(code: str, *args: str, cache: Path) -> set[str]:
    return set(_run(code, *args, cache=cache, lines=1)[0])


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory) -> Path:
    """A cache folder that a first kernel running the lab page has filled."""
    cache = tmp_path_factory.mktemp("cache")
    first, built = _run(RUN_PAGE_SCHEMAS, str(LAB), cache=cache)
    # a cache miss reads the files and validates them: the checks below can fail
    assert "yaml" in first
    assert "npkit.casefile.case.Case" in built
    return cache


def test_the_lab_page_from_the_cache_reads_no_yaml_and_opens_no_store(warm_cache):
    found = _modules(RUN_PAGE, str(LAB), cache=warm_cache)
    assert "npkit.course.widgets.scenario_lab" in found  # the page did run
    assert sorted(NOT_ON_THE_LAB_PATH & found) == []


def test_importing_the_lab_imports_none_of_them(warm_cache):
    found = _modules("import sys, json, npkit.course.widgets.scenario_lab, "
                     "npkit.course.binding, npkit.course.widgets.base; "
                     "print(json.dumps(sorted(sys.modules)))", cache=warm_cache)
    assert "npkit.law.facts" in found
    assert sorted(NOT_ON_THE_LAB_PATH & found) == []


def test_the_lab_page_from_the_cache_builds_no_validator(warm_cache):
    """Every case, parameter and catalogue entry comes validated from the shared cache, so no
    pydantic model of npkit builds its validators (issue 16: 27 core schemas were built in
    every kernel before defer_build)."""
    found, built = _run(RUN_PAGE_SCHEMAS, str(LAB), cache=warm_cache)
    assert "npkit.casefile.case" in found  # the page did run
    assert built == []
