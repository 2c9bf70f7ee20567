"""How many widget models, and how many bytes of widget state, each course page sends a
trainee (issue 16: at most 100 models and 60 KB per page).

A page's kernel sends the front end the state of every widget it holds (the answer to
``request_states``: npkit.course.widgets.lean.states), so a page is weighed by running its
notebook's code cells in a clean namespace, every earlier widget closed first, and serialising
that answer. This runs in one process without a
kernel: about the figures of ``benchmarks/kernel_cpu.py`` (which starts a real kernel per page),
in a fraction of the time.

``state_bytes`` is the states as compact JSON; ``message_bytes`` the whole ``update_states``
message as the page receives it: packed by the kernel's Session (jupyter_client's default
packer: orjson's compact JSON when orjson is installed, as the course's extra installs it), with
its header and the page's request as parent header, in the v1 kernel websocket frame that
Jupyter Server forwards to the page without decoding it (what benchmarks/room.py receives).

    python tools/widget_weight.py                 # every page
    python tools/widget_weight.py 05 07 --kinds   # two modules, with the models by kind
    python tools/widget_weight.py --json          # for tests/widgets/test_page_weight.py
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
MAX_MODELS = 100
MAX_STATE_BYTES = 60 * 1024


def code_cells(source: Path) -> list[str]:
    """The code cells of a jupytext percent source (``notebooks/NN_*.py``)."""
    import jupytext

    nb = jupytext.read(source)
    return [c.source for c in nb.cells if c.cell_type == "code"]


def weigh(source: Path) -> dict:
    """Run ``source``'s code cells as a Voila kernel would (no learner in the query string) and
    weigh the widget state it then holds: ``models``, ``state_bytes``, ``kinds``; and
    ``updates``, the widget ``update`` messages the cells sent (every state change of a widget
    already open goes to the page as one, npkit.course.widgets.first_state)."""
    import ipywidgets as w

    w.Widget.close_all()  # a fresh kernel holds none; shared looks are made again
    os.environ.setdefault("VOILA_KERNEL_ID", "widget-weight")
    os.environ.setdefault("QUERY_STRING", "")
    namespace: dict = {"__name__": "__main__"}
    here, send = Path.cwd(), w.Widget._send
    updates = 0

    def counted(widget, msg, buffers=None):
        nonlocal updates
        updates += msg.get("method") == "update"
        return send(widget, msg, buffers)

    try:
        os.chdir(source.parent)
        w.Widget._send = counted
        with contextlib.redirect_stdout(io.StringIO()):
            for cell in code_cells(source):
                exec(compile(cell, str(source), "exec"), namespace)  # noqa: S102
    finally:
        w.Widget._send = send
        os.chdir(here)
    from npkit.course.widgets import lean

    found, _paths, _buffers = lean.states()  # the update_states reply the page is sent
    size = len(json.dumps(found, separators=(",", ":")).encode())
    kinds = Counter(s["model_name"] for s in found.values())
    return {"models": len(found), "state_bytes": size, "updates": updates,
            "message_bytes": len(update_states_frame(found, _paths, _buffers)),
            "kinds": dict(kinds.most_common())}


def update_states_frame(found: dict, paths: list, buffers: list) -> bytes:
    """The ``update_states`` comm message as the page receives it: the kernel's Session packs
    it (its default packer), Jupyter Server frames the packed parts for the v1 websocket."""
    import uuid
    from datetime import UTC, datetime

    from jupyter_client.session import Session
    from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

    session = Session(key=uuid.uuid4().hex.encode())
    # the page's request_states, as @jupyterlab/services makes a message header
    request = {"msg_id": str(uuid.uuid4()), "msg_type": "comm_msg", "username": "",
               "session": str(uuid.uuid4()), "date": datetime.now(UTC).isoformat(),
               "version": "5.2"}
    content = {"comm_id": uuid.uuid4().hex,
               "data": {"method": "update_states", "states": found, "buffer_paths": paths}}
    msg = session.msg("comm_msg", content, parent=request)
    parts = session.serialize(msg)  # [delimiter, signature, header, parent, metadata, content]
    return serialize_msg_to_ws_v1([*parts[2:], *buffers], "iopub")


def sources(prefixes: list[str]) -> list[Path]:
    found = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.py"))
    return [p for p in found if not prefixes or any(p.name.startswith(x) for x in prefixes)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", nargs="*", help="page number prefixes (00 .. 09); all if none")
    parser.add_argument("--kinds", action="store_true", help="also the models by kind")
    parser.add_argument("--json", action="store_true",
                        help="print {page: {models, state_bytes, updates, kinds}} as JSON instead")
    args = parser.parse_args(argv)
    if args.json:
        found = {source.stem: weigh(source) for source in sources(args.pages)}
        print(json.dumps(found))
        return 0
    over = False
    print(f"{'page':32} {'models':>6} {'state KB':>9} {'message bytes':>13}")
    for source in sources(args.pages):
        r = weigh(source)
        flag = r["models"] > MAX_MODELS or r["state_bytes"] > MAX_STATE_BYTES
        over |= flag
        print(f"{source.stem:32} {r['models']:6d} {r['state_bytes'] / 1024:9.1f}"
              f" {r['message_bytes']:13,d}{'  over' if flag else ''}")
        if args.kinds:
            print("    " + ", ".join(f"{k} {n}" for k, n in r["kinds"].items()))
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
