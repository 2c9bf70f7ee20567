"""The course server's kernel manager (voila.json: VoilaConfiguration.multi_kernel_manager_class).

Jupyter Server watches every message a kernel publishes, to know when it was last active (the
idle cull) and whether it is busy. Its watch decoded each message as a whole message (signature,
header, parent header, metadata, both timestamps, protocol adaptation), and a status message
twice, to read three fields. A page's kernel publishes a message for every widget it makes: 168
for a scenario lab visit against about 15 for the floor notebook, so the watch was some 15 % of
the server's CPU for a lab visit (cProfile on the server, sequential visits). This one reads the
same fields (the message type, its parent's type, a status message's state) and records the same
activity and state, after the same signature check; nothing else changes.

The class is made when first asked for (``CourseKernelManager``, as Voila's config does): a core
install, without Jupyter Server, still imports this module.
"""

from __future__ import annotations

import hmac
from functools import partial


def _make_manager():
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    class CourseKernelManager(AsyncMappingKernelManager):
        """Jupyter Server's kernel manager with a lighter activity watch (see the module)."""

        def start_watching_activity(self, kernel_id):
            from jupyter_client.session import Session

            super().start_watching_activity(kernel_id)
            kernel = self._kernels[kernel_id]
            session = Session(config=kernel.session.config, key=kernel.session.key)
            kernel._activity_stream.on_recv(partial(self.record_activity, kernel_id, session))

        def record_activity(self, kernel_id: str, session, msg_list: list) -> None:
            """What Jupyter Server's watch records for one IOPub message of ``kernel_id``."""
            kernel = self._kernels.get(kernel_id)
            _idents, parts = session.feed_identities(msg_list)
            if kernel is None or len(parts) < 5:
                return
            if session.auth is not None and not hmac.compare_digest(
                    bytes(parts[0]), session.sign(parts[1:5])):
                self.log.warning("Ignored a message with a bad signature from kernel %s",
                                 kernel_id)
                return
            msg_type = session.unpack(parts[1]).get("msg_type")
            parent_msg_type = session.unpack(parts[2]).get("msg_type")
            if (self.track_message_type(msg_type) or self.track_message_type(parent_msg_type)
                    or kernel.execution_state == "busy"):
                self.last_kernel_activity = kernel.last_activity = _now()
            if msg_type == "status":
                execution_state = session.unpack(parts[4])["execution_state"]
                if self.track_message_type(parent_msg_type):
                    kernel.execution_state = execution_state
                elif kernel.execution_state == "starting" and execution_state != "starting":
                    # as Jupyter Server does: after starting, idle unless a tracked request says
                    kernel.execution_state = "idle"
                self.log.debug("activity on %s: %s (%s)", kernel_id, msg_type,
                               kernel.execution_state)
            else:
                self.log.debug("activity on %s: %s", kernel_id, msg_type)

    return CourseKernelManager


def _now():
    """Jupyter Server's clock, as its own watch reads it."""
    from jupyter_server._tz import utcnow

    return utcnow()


def __getattr__(name: str):
    if name == "CourseKernelManager":
        cls = globals()["CourseKernelManager"] = _make_manager()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
