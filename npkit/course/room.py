"""The address a room types, or scans, to join a workshop session.

The trainer's screen shows a short full address, ``http://192.168.1.20:8080/join``, and a QR
code for the same address with the session's code (``.../join/3YAPU7``); the course server
answers both (:mod:`npkit.course.dashboard` redirects them to the join page). Where the address
comes from, first found first:

1. what the trainer typed on the trainer page (:func:`clean_address`);
2. ``$NPKIT_JOIN_URL``, which ``make workshop-server`` sets to the address nginx serves the
   room on (``--join-url`` overrides it);
3. the address the trainer's own browser used (its origin, handed over by npkit.js), with a
   loopback host (127.0.0.1, localhost) swapped for this computer's address on the network when
   the course listens on every network; a course served to this computer only keeps it, and
   :func:`room_note` says so.

The QR code is drawn here, offline, by segno, as inline SVG. Nothing here reads a secret: the
join address and code are what the room sees on the wall.
"""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
from collections.abc import Callable, Mapping
from urllib.parse import urlencode, urlsplit

from npkit.i18n import _

JOIN_PATH = "join"
JOIN_VARIABLE = "NPKIT_JOIN_URL"
# Set by the course server (npkit.course.dashboard) for its kernels: the address it listens on.
HOST_VARIABLE = "NPKIT_COURSE_HOST"
# Set by the workshop server for the trainer page: the room's user name and password.
USER_VARIABLE = "NPKIT_ROOM_USER"
PASSWORD_VARIABLE = "NPKIT_ROOM_PASSWORD"
MAX_ADDRESS = 200
EVERY_NETWORK = {"0.0.0.0", "::", ""}


def lan_addresses() -> list[str]:
    """This computer's IPv4 addresses as the room would type them (best effort; no packet is
    sent: connecting a UDP socket only picks the outgoing interface)."""
    found: list[str] = []
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            found.append(s.getsockname()[0])
    except OSError:
        pass
    try:
        out = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5)
        found += out.stdout.split()
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        found += socket.gethostbyname_ex(socket.gethostname())[2]
    except OSError:
        pass
    kept: list[str] = []
    for a in found:
        if ":" not in a and not is_loopback(a) and a not in kept:
            kept.append(a)
    return kept


def is_loopback(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def clean_address(text: object) -> str | None:
    """``text`` as a join address (``scheme://host[:port][/path]/join``), or None if it is
    not an http(s) address a phone could open. A path not ending in ``/join`` gets it; a user
    name, query or fragment is refused (nothing there belongs on a wall)."""
    if not isinstance(text, str):
        return None
    text = text.strip()
    if not text or len(text) > MAX_ADDRESS or any(c.isspace() for c in text):
        return None
    if "://" not in text:
        text = f"http://{text}"
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in {"http", "https"} or not parts.hostname or parts.username \
            or parts.password or parts.query or parts.fragment or "@" in parts.netloc:
        return None
    netloc = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if port is not None:
        netloc += f":{port}"
    path = parts.path.rstrip("/")
    if not path.endswith(f"/{JOIN_PATH}"):
        path += f"/{JOIN_PATH}"
    return f"{parts.scheme}://{netloc}{path}"


def room_address(origin: object = None, typed: object = None,
                 env: Mapping[str, str] | None = None,
                 lan: Callable[[], list[str]] = lan_addresses) -> str | None:
    """The join address to show (see the module's docstring); None when nothing gives one
    (outside Voila, before the browser has said where it is)."""
    env = os.environ if env is None else env
    for given in (typed, env.get(JOIN_VARIABLE)):
        address = clean_address(given)
        if address:
            return address
    address = clean_address(origin)
    if address is None:
        return None
    parts = urlsplit(address)
    if is_loopback(parts.hostname or "") and env.get(HOST_VARIABLE, "") in EVERY_NETWORK \
            and HOST_VARIABLE in env:
        found = lan()
        if found:
            netloc = found[0] + (f":{parts.port}" if parts.port else "")
            address = f"{parts.scheme}://{netloc}{parts.path}"
    return address


def room_note(address: str | None) -> str:
    """A line for the trainer when the room cannot use ``address`` ('' when it can)."""
    if address and is_loopback(urlsplit(address).hostname or ""):
        return _("This address works on this computer only: the course is not served to the "
                 "network. Start it with make workshop-server (docs/deploy.md), or type the "
                 "address the room can reach in the trainer panel.")
    return ""


def with_code(address: str, code: str) -> str:
    """The join address with a session's code: what the QR code holds."""
    return f"{address.rstrip('/')}/{code}"


def room_login(env: Mapping[str, str] | None = None) -> tuple[str, str] | None:
    """The room's user name and password, when the workshop server asks for one."""
    env = os.environ if env is None else env
    password = env.get(PASSWORD_VARIABLE, "").strip()
    if not password:
        return None
    return env.get(USER_VARIABLE, "").strip() or "trainee", password


def qr_svg(text: str) -> str:
    """A QR code for ``text`` as inline SVG, drawn here (segno), scaled by CSS. Only modules
    and a white background: no text, so nothing in it needs escaping."""
    import segno

    return segno.make(text, error="m").svg_inline(
        scale=1, border=4, omitsize=True, dark="#000", light="#fff", svgclass="npk-qr-svg")


def join_page(base_url: str, code: object = None) -> str:
    """Where ``/join`` and ``/join/CODE`` send a phone: the join page, with the code in its
    address (a code is no secret: it is on the wall). A code typed wrongly is passed on as
    typed (letters, digits and dashes only), so that the page can say what it should be."""
    from npkit.course.training.modules import WORKSHOP_PAGES
    from npkit.store.workshop.inputs import WorkshopError, clean_join_code

    page = f"{base_url.rstrip('/')}/voila/render/{WORKSHOP_PAGES[0].notebook}"
    if not isinstance(code, str):
        return page
    try:
        code = clean_join_code(code)
    except WorkshopError:
        code = "".join(c for c in code if c.isascii() and (c.isalnum() or c == "-"))[:20]
    return f"{page}?{urlencode({'session': code})}" if code else page
