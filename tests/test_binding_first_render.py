"""A preheated module kernel does, before its visitor comes, the binding's work that does not
depend on who the visitor is (issue 16: the page is complete, and the trainee's first render
can go on, only once the binding cell has run). Each check runs in a fresh interpreter, as a
kernel starts one, and counts what happened after the visitor was known: modules imported,
templates compiled, widget models opened. What the page shows is checked as well: the same
status line, header and saved answers as a binding done all at once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CODE = "amber-otter-4271"

# A preheated kernel of module 2: Voila's query websocket replaced by a function that records
# what the kernel holds at the moment the visitor arrives.
RUN = r"""
import json, sys
import comm.base_comm
from npkit.course import binding
from npkit.course.widgets import ui
from npkit.course.widgets.base import module_header
from npkit.course.widgets.duress_checklist import DuressChecklist
from npkit.casefile.library import library

opened = []
real_open = comm.base_comm.BaseComm.open
def counting_open(self, *a, **k):
    opened.append(1)
    return real_open(self, *a, **k)
comm.base_comm.BaseComm.open = counting_open

header = module_header(2)
checklist = DuressChecklist(library().cases)
def now():
    return {"modules": set(sys.modules), "opened": len(opened),
            "templates": {t for (_loader, t) in ui.env().cache.keys()}}
at_visit = now()  # a kernel started for its visitor knows it from the start
def visitor_arrives(open_timeout=5.0):
    at_visit.update(now())
    return {"QUERY_STRING": sys.argv[1]}
binding._request_info = visitor_arrives

b = binding.bind_learner(module=2, widgets=[checklist], header=header)
print(json.dumps({
    "imported_after": sorted(m for m in set(sys.modules) - at_visit["modules"]
                             if m.startswith(("npkit", "sqlite3", "jinja2"))),
    "compiled_after": sorted({t for (_loader, t) in ui.env().cache.keys()}
                             - at_visit["templates"]),
    "opened_after": len(opened) - at_visit["opened"],
    "status": b.widget.value,
    "header": header.learner.value,
    "nav": header.nav.value,
    "restored": b.restored,
    "answers": checklist.get_state(),
    "unknown": b.unknown,
}))
"""


def _run(tmp_path: Path, query: str, *, preheat: bool = True) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in {"VOILA_KERNEL_ID", "VOILA_PREHEAT", "QUERY_STRING"}}
    env.update(NPKIT_STORE=str(tmp_path / "learners.sqlite"), VOILA_KERNEL_ID="k-first",
               VOILA_PREHEAT="True" if preheat else "False",
               NPKIT_CACHE_DIR=str(tmp_path / "cache"))
    if not preheat:
        env["QUERY_STRING"] = query
    out = subprocess.run([sys.executable, "-c", RUN, query], capture_output=True, text=True,
                         timeout=300, env=env, cwd=ROOT, check=False)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def amber(tmp_path) -> Path:
    """A store that knows Amber, with her answers to module 2 saved."""
    from npkit.store.learners import Store

    with Store.open(tmp_path / "learners.sqlite") as s:
        s.learner(CODE, "Amber")
        s.save(CODE, 2, "duress", {"case": "john", "answers": {}, "compared": False})
    return tmp_path


def test_after_the_visitor_a_preheated_kernel_imports_compiles_and_opens_nothing(amber):
    got = _run(amber, f"learner={CODE}")
    assert got["imported_after"] == []  # the store's modules came before the visitor
    assert got["compiled_after"] == []  # and the status line's and header's templates
    assert got["opened_after"] == 0  # and the status line's widget model
    assert got["unknown"] is False


def test_the_page_shows_the_same_as_a_kernel_started_for_its_visitor(amber, tmp_path):
    """A kernel started for its visitor (no preheat) binds all at once, after the query is
    known; the preheated one, prepared in advance, ends showing exactly the same."""
    early = _run(amber, f"learner={CODE}")
    direct = _run(amber, f"learner={CODE}", preheat=False)
    for key in ("status", "header", "nav", "restored", "answers", "unknown"):
        assert early[key] == direct[key], key
    assert early["restored"] == 1 and early["answers"]["case"] == "john"  # restored
    assert "Amber" in early["status"] and "Amber" in early["header"]
    assert f"learner={CODE}" in early["nav"]


def test_an_anonymous_visitor_of_a_preheated_page_never_touches_the_store(tmp_path):
    got = _run(tmp_path, "")
    assert not (tmp_path / "learners.sqlite").exists()
    assert "not saved" in got["status"] and got["restored"] == 0
    direct = _run(tmp_path, "", preheat=False)
    assert got["status"] == direct["status"] and got["header"] == direct["header"]
    assert not (tmp_path / "learners.sqlite").exists()


def test_opening_a_store_at_the_current_schema_takes_no_write_lock(tmp_path, monkeypatch):
    """Each page a learner opens opens the store: one read of the schema's version, no write
    transaction (a room of 30 would queue for the lock only to find nothing to migrate)."""
    from npkit.store import learners

    path = tmp_path / "learners.sqlite"
    learners.Store.open(path).close()  # created and migrated: the locked way
    statements: list[str] = []
    connect = learners._connect_sqlite

    def traced(p):
        db = connect(p)
        db.set_trace_callback(statements.append)
        return db

    monkeypatch.setattr(learners, "_connect_sqlite", traced)
    with learners.Store.open(path) as store:
        assert store.version == len(store.dialect.migrations)
    writes = [s for s in statements if s.split()[0].upper() in {"BEGIN", "CREATE", "INSERT"}]
    assert writes == []
    assert sum(1 for s in statements if "schema_version" in s) == 2  # open's, and ours
