"""Talk to a Jupyter kernel over the kernel's websocket, as a module page talks to it.

Standard library only: tools/binder_check.py (run by the system's python3) and
tests/deploy/test_nginx.py use it to prove that a proxy in front of Voila (jupyter-server-proxy
on Binder, nginx in a workshop) passes the websocket upgrade and messages both ways;
tests/deploy/test_jupyterhub_smoke.py drives a page's widgets through JupyterHub with
:class:`KernelSocket`.

    reply = kernel_info("127.0.0.1", 8080, "/api/kernels/<id>/channels",
                        headers={"Authorization": "Basic ..."})
"""

from __future__ import annotations

import base64
import json
import os
import secrets
import socket
import time


class ProbeFailed(Exception):
    pass


def kernel_info(host: str, port: int, path: str, headers: dict[str, str] | None = None,
                timeout: float = 60) -> dict:
    """Open the websocket at ``path`` (with the page's own origin), send a
    kernel_info_request on the shell channel and return the kernel_info_reply."""
    with KernelSocket(host, port, path, headers, timeout) as ks:
        msg_id = ks.send("kernel_info_request", {})
        return ks.wait(lambda m: m.get("parent_header", {}).get("msg_id") == msg_id
                       and m.get("channel") == "shell", what="kernel_info_reply")


def send_text(sock: socket.socket, text: str) -> None:
    """One masked text frame, as a browser sends it."""
    data, mask = text.encode(), os.urandom(4)
    n = len(data)
    if n < 126:
        length = bytes([0x80 | n])
    elif n < 65536:
        length = bytes([0x80 | 126]) + n.to_bytes(2, "big")
    else:
        length = bytes([0x80 | 127]) + n.to_bytes(8, "big")
    sock.sendall(bytes([0x81]) + length + mask + bytes(b ^ mask[i % 4]
                                                      for i, b in enumerate(data)))


def read_text(reader) -> str:
    """The next complete text message from the server (unmasked frames; pings skipped)."""
    parts: list[bytes] = []
    while True:
        head = reader.read(2)
        if len(head) < 2:
            raise ProbeFailed("the websocket was closed")
        b0, b1 = head
        n = b1 & 0x7F
        if n == 126:
            n = int.from_bytes(reader.read(2), "big")
        elif n == 127:
            n = int.from_bytes(reader.read(8), "big")
        payload = reader.read(n)
        opcode = b0 & 0x0F
        if opcode == 0x8:
            raise ProbeFailed("the websocket was closed")
        if opcode in (0x0, 0x1):
            parts.append(payload)
            if b0 & 0x80:
                return b"".join(parts).decode()


class KernelSocket:
    """A kernel's websocket held open, for more than one question (a page's widgets, say).

        with KernelSocket(host, port, path, headers) as ks:
            msg_id = ks.send("comm_info_request", {})
            reply = ks.wait(lambda m: m["parent_header"].get("msg_id") == msg_id)

    Messages are JSON text frames (the protocol without a subprotocol, as ``kernel_info``);
    binary frames (messages with buffers) are skipped."""

    def __init__(self, host: str, port: int, path: str, headers: dict[str, str] | None = None,
                 timeout: float = 60) -> None:
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [f"GET {path} HTTP/1.1", f"Host: {host}:{port}", f"Origin: http://{host}:{port}",
                 "Upgrade: websocket", "Connection: Upgrade", f"Sec-WebSocket-Key: {key}",
                 "Sec-WebSocket-Version: 13",
                 *(f"{k}: {v}" for k, v in (headers or {}).items())]
        self.timeout = timeout
        self.sock = socket.create_connection((host, port), timeout=timeout)
        try:
            self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
            self.reader = self.sock.makefile("rb")
            status = self.reader.readline().decode().strip()
            if " 101 " not in f"{status} ":
                raise ProbeFailed(f"websocket refused: {status}")
            while self.reader.readline() not in (b"\r\n", b""):
                pass
        except BaseException:
            self.sock.close()
            raise

    def send(self, msg_type: str, content: dict, *, channel: str = "shell",
             metadata: dict | None = None) -> str:
        """Send one message; returns its ``msg_id``."""
        msg_id = secrets.token_hex(8)
        send_text(self.sock, json.dumps({
            "header": {"msg_id": msg_id, "msg_type": msg_type, "username": "probe",
                       "session": "probe", "date": "2026-01-01T00:00:00Z", "version": "5.3"},
            "parent_header": {}, "metadata": metadata or {}, "content": content,
            "channel": channel, "buffers": []}))
        return msg_id

    def wait(self, found, timeout: float | None = None, what: str = "such message") -> dict:
        """The first message from the kernel for which ``found(message)`` is true."""
        deadline = time.monotonic() + (self.timeout if timeout is None else timeout)
        while time.monotonic() < deadline:
            message = json.loads(read_text(self.reader))
            if found(message):
                return message
        raise ProbeFailed(f"no {what}")

    def idle_after(self, msg_id: str, timeout: float | None = None) -> dict:
        """Wait until the kernel has handled ``msg_id`` (its iopub status goes idle)."""
        return self.wait(lambda m: m.get("channel") == "iopub"
                         and m.get("msg_type", m.get("header", {}).get("msg_type")) == "status"
                         and m.get("content", {}).get("execution_state") == "idle"
                         and m.get("parent_header", {}).get("msg_id") == msg_id, timeout,
                         what=f"idle status after {msg_id}")

    def close(self) -> None:
        """Say goodbye (a masked close frame, as a browser closing the page), then close."""
        try:
            self.sock.sendall(bytes([0x88, 0x80]) + os.urandom(4))
        except OSError:
            pass
        self.sock.close()

    def __enter__(self) -> KernelSocket:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
