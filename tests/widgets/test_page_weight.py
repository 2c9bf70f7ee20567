"""Every course page sends a trainee at most 100 widget models and 60 KB of widget state
(issue 16): the answer to the front end's ``request_states`` after the page's cells have run
(tools/widget_weight.py, which runs each notebook's code cells in one fresh process, as a
kernel would, and weighs npkit.course.widgets.lean.states)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOL = ROOT / "tools" / "widget_weight.py"
MAX_MODELS, MAX_BYTES = 100, 60 * 1024
MODULES = ["00", "01", "02", "03", "04", "06", "07", "08", "09"]
# A page not yet within the target may not grow past what it holds now (the scenario lab:
# 119 models and 125 KB before this work); the strict xfail below fails once it is within
# the target, so that its line here goes.
NOT_YET = {"05": (115, 88 * 1024)}


@pytest.fixture(scope="module")
def weights() -> dict:
    # A process of its own: weighing closes every widget (as a fresh kernel holds none).
    env = {k: v for k, v in os.environ.items() if k not in {"VOILA_KERNEL_ID", "QUERY_STRING"}}
    out = subprocess.run([sys.executable, str(TOOL), "--json"], capture_output=True,
                         text=True, timeout=600, env=env, cwd=ROOT, check=False)
    assert out.returncode == 0, out.stderr[-2000:]
    found = json.loads(out.stdout)
    return {name[:2]: r for name, r in found.items()}


def test_every_page_is_weighed(weights):
    assert sorted(weights) == sorted([*MODULES, *NOT_YET])
    assert all(r["models"] > 0 and r["state_bytes"] > 0 for r in weights.values())


@pytest.mark.parametrize("page", MODULES)
def test_page_sends_at_most_100_models_and_60_kb(weights, page):
    r = weights[page]
    assert r["models"] <= MAX_MODELS, (r["models"], r["kinds"])
    assert r["state_bytes"] <= MAX_BYTES, r["state_bytes"]


@pytest.mark.parametrize("page", sorted(NOT_YET))
def test_page_not_yet_within_the_target_does_not_grow(weights, page):
    r = weights[page]
    models, size = NOT_YET[page]
    assert r["models"] <= models, (r["models"], r["kinds"])
    assert r["state_bytes"] <= size, r["state_bytes"]


@pytest.mark.parametrize("page", sorted(NOT_YET))
@pytest.mark.xfail(strict=True, reason="issue 16: this page is not yet within the target")
def test_page_not_yet_within_the_target(weights, page):
    r = weights[page]
    assert r["models"] <= MAX_MODELS and r["state_bytes"] <= MAX_BYTES
