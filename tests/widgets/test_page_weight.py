"""Every course page sends a trainee at most 100 widget models and 60 KB of widget state
(issue 16): the answer to the front end's ``request_states`` after the page's cells have run
(tools/widget_weight.py, which runs each notebook's code cells in one fresh process, as a
kernel would, and weighs npkit.course.widgets.lean.states). The scenario lab (05), the last
page over the target (114 models, 84 KB), is now within it too."""

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
MODULES = ["00", "01", "02", "03", "04", "05", "06", "07", "08", "09"]


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
    assert sorted(weights) == sorted(MODULES)
    assert all(r["models"] > 0 and r["state_bytes"] > 0 for r in weights.values())


@pytest.mark.parametrize("page", MODULES)
def test_page_sends_at_most_100_models_and_60_kb(weights, page):
    r = weights[page]
    assert r["models"] <= MAX_MODELS, (r["models"], r["kinds"])
    assert r["state_bytes"] <= MAX_BYTES, r["state_bytes"]


def test_the_lab_sends_no_case_file_and_no_list_it_was_not_asked_for(weights):
    """The scenario lab (05) makes its download link and its list of every other outcome when
    the trainee asks (issue 16): its page holds one toggle and three buttons, not the
    case file (twice) or the list; and no Layout model per widget."""
    kinds = weights["05"]["kinds"]
    assert kinds.get("ToggleButtonModel") == 1 and kinds.get("ButtonModel") == 3, kinds
    assert kinds.get("LayoutModel", 0) <= 3 and kinds.get("HBoxModel", 0) <= 7, kinds


def test_module_6_draws_no_box_per_discussion_prompt(weights):
    """Module 6 (the slowest first render of issue 16's last run) sends its discussion's
    prompts and buttons straight in one column: three boxes (the decision path's column, the
    discussion's, the case menu's row), not one more per prompt."""
    kinds = weights["06"]["kinds"]
    assert kinds.get("VBoxModel", 0) + kinds.get("HBoxModel", 0) <= 4, kinds
    assert weights["06"]["models"] <= 50, weights["06"]


def test_the_join_page_shares_its_looks(weights):
    """The join page (08) is opened by every trainee of a room at once (issue 16): its empty
    lines share one Layout and one style, its parts built hidden one hidden Layout, its three
    labelled fields one style; a Layout of its own only where a part has its own size (the
    answer's radio buttons and text box). It sent 58 models, 19 of them Layouts."""
    kinds = weights["08"]["kinds"]
    assert kinds.get("LayoutModel", 0) <= 5 and kinds.get("HTMLStyleModel", 0) <= 1, kinds
    assert kinds.get("TextStyleModel", 0) <= 1, kinds
    assert weights["08"]["models"] <= 35, weights["08"]


def test_the_trainer_page_shares_its_looks(weights):
    """The trainer's page (09) shares its looks like the join page: one Layout per size (the
    page's, the buttons' and its countdown field's, the hidden parts'), one style per kind of
    labelled field; and its rehearsal's pages, never shown, send nothing. It sent 85 models,
    18 of them Layouts."""
    kinds = weights["09"]["kinds"]
    assert kinds.get("LayoutModel", 0) <= 3 and kinds.get("HTMLStyleModel", 0) <= 1, kinds
    assert kinds.get("TextStyleModel", 0) + kinds.get("DescriptionStyleModel", 0) <= 3, kinds
    assert weights["09"]["models"] <= 64, weights["09"]


FIRST_RUN_QUIET = MODULES


@pytest.mark.parametrize("page", FIRST_RUN_QUIET)
def test_a_page_s_first_run_sends_no_widget_update(weights, page):
    """While Voila runs a page's cells nobody sees the page yet: the front end asks for every
    widget's state once they have run. An ``update`` sent before then is a widget made with one
    value and changed before anyone saw it, which the kernel serialises and Voila's server
    parses for nothing (the lab sent 31, 24 KB). The widgets open with the state they are built
    to have (npkit.course.widgets.first_state)."""
    r = weights[page]
    assert r["models"] > 0, r  # the page did make its widgets
    assert r["updates"] == 0, r
