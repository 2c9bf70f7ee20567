"""Serve the npkit course to a room: standalone Voila on 127.0.0.1 behind nginx.

    make workshop-server                          # http://<this computer>:8080/, password shown
    .venv/bin/python deploy/workshop_server.py --port 8443 --tls

Starts the course (``npkit.course.dashboard.voila_command``, the command ``make dashboard`` runs, on
127.0.0.1 only) and nginx in front of it on the venue's network, both in the foreground;
Ctrl-C stops both. nginx's configuration is deploy/nginx/npkit.conf with its fields filled in
(``nginx_config``): it asks every browser for one shared password (user ``trainee``),
compresses and caches the static files, and passes the kernel websockets through. Everything
it writes is kept in ``build/workshop-server`` (``--dir``): nginx.conf, htpasswd,
password.txt, logs, cache, and with ``--tls`` a self-signed certificate.

The trainer page shows the room where to go: the join address (``http://<this computer>:8080/join``,
or ``--join-url``), a QR code for it and the room password, which this script hands to the
course's kernels (``$NPKIT_JOIN_URL``, ``$NPKIT_ROOM_USER``, ``$NPKIT_ROOM_PASSWORD``).

The password is ``$NPKIT_WORKSHOP_PASSWORD`` if set; otherwise the one made on the first run
(kept in password.txt, readable by you only), so a restart mid-workshop does not lock the room
out. ``--new-password`` makes another. ``--htpasswd FILE`` uses a file of your own instead.

A Thai room: ``--language th`` (``make workshop-server ROOM_LANGUAGE=th``) is passed to the
course server (``npkit.course.dashboard --language``): every Thai page keeps a kernel ready, a
bare ``--room N`` is the Thai first module, and a phone that chose no language gets the Thai
landing and join pages. ``--room th/NN_name=N`` (``ROOM_PAGE=th/NN_name``) names a Thai page.

docs/deploy.md explains the set-up, the sizing and the settings.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import bcrypt

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx" / "npkit.conf"
STATE = ROOT / "build" / "workshop-server"
PORT = 8080
USER = "trainee"
PASSWORD_VARIABLE = "NPKIT_WORKSHOP_PASSWORD"
VOILA_START_TIMEOUT = 180  # s: Voila imports the Jupyter server, then starts its kernels
NGINX_CANDIDATES = ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/bin/nginx",
                    "/opt/homebrew/bin/nginx")
TEMP_DIRS = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
# Letters and digits that are hard to confuse on a whiteboard (no 0/O, 1/I/L).
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
FIELD = re.compile(r"@([A-Z_]+)@")


# --------------------------------------------------------------------------- configuration


def nginx_config(prefix: Path, *, port: int, voila_port: int, htpasswd: Path,
                 listen: str = "0.0.0.0", tls: tuple[Path, Path] | None = None,
                 run_as_root: bool = False) -> str:
    """deploy/nginx/npkit.conf with its fields filled in.

    ``tls`` is (certificate, key). ``run_as_root``: nginx started by root hands its requests
    to worker processes running as ``nobody``, which could not read the files under
    ``prefix``; the workers then stay root (say so to whoever starts it)."""
    paths = [prefix, htpasswd, *(tls or ())]
    unsafe = [str(p) for p in paths if re.search(r"[\s;{}'\"$#]", str(p))]
    if unsafe:
        raise ValueError(f"nginx.conf cannot name these paths unquoted: {unsafe}")
    listen_on = f"[{listen}]" if ":" in listen else listen
    if tls:
        cert, key = tls
        tls_lines = "\n".join(f"        {line}" for line in (
            f"ssl_certificate {cert};",
            f"ssl_certificate_key {key};",
            "ssl_protocols TLSv1.2 TLSv1.3;",
            "ssl_session_cache shared:npkit_tls:1m;",
        ))
    else:
        tls_lines = "        # plain HTTP: the password crosses the network readable (see --tls)"
    fields = {
        "PREFIX": str(prefix),
        "VOILA_PORT": str(int(voila_port)),
        "HTPASSWD": str(htpasswd),
        "LISTEN_LINE": f"listen {listen_on}:{int(port)}{' ssl' if tls else ''};",
        "TLS_LINES": tls_lines,
        "USER_LINE": ("user root;  # started as root: the workers must read files under the "
                      "prefix" if run_as_root else
                      "# no `user` line: nginx runs as whoever starts it"),
    }
    return FIELD.sub(lambda m: fields[m.group(1)], TEMPLATE.read_text(encoding="utf-8"))


def prepare_prefix(prefix: Path) -> None:
    for folder in ("logs", "cache", *(f"tmp/{name}" for name in TEMP_DIRS)):
        (prefix / folder).mkdir(parents=True, exist_ok=True)


def find_nginx() -> str | None:
    found = shutil.which("nginx")
    if found:
        return found
    return next((p for p in NGINX_CANDIDATES if os.access(p, os.X_OK)), None)


def nginx_command(nginx: str, prefix: Path, *, test: bool = False) -> list[str]:
    """nginx in the foreground with everything under ``prefix`` (``-t``: only check)."""
    return [nginx, "-p", str(prefix), "-c", str(prefix / "nginx.conf"),
            "-e", str(prefix / "logs" / "error.log"), *(["-t", "-q"] if test else []),
            "-g", "daemon off;"]


# --------------------------------------------------------------------------- passwords

# nginx checks the password on every request (each page, file and websocket), and bcrypt's
# default cost (12) takes about a third of a second of processor each time: 50 trainees opening
# a page would queue for minutes. Cost 5 takes about 3 ms. A higher cost would protect nothing
# here: password.txt, beside the hash and as private, holds the password itself.
BCRYPT_COST = 5


def password_hash(password: str) -> str:
    """The bcrypt hash (``$2b$``) nginx's ``auth_basic`` checks with the system's crypt(3)
    (libxcrypt on Debian and Ubuntu, and most Linux systems). bcrypt reads at most 72 bytes
    of a password, so a longer one is refused rather than cut short."""
    raw = password.encode("utf-8")
    if len(raw) > 72:
        raise ValueError("a room password has at most 72 bytes (bcrypt reads no more)")
    return bcrypt.hashpw(raw, bcrypt.gensalt(rounds=BCRYPT_COST)).decode("ascii")


def htpasswd_line(user: str, password: str) -> str:
    if not user or any(c in user for c in ":\n\r") or not password or "\n" in password:
        raise ValueError("a user name without ':' and a password on one line are needed")
    return f"{user}:{password_hash(password)}\n"


def new_password() -> str:
    """Twelve characters in three groups, easy to read off a whiteboard: ``k7m2-qx9p-4dwh``."""
    chars = "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(12))
    return "-".join(chars[i:i + 4] for i in range(0, 12, 4))


def write_private(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)


def room_password(state: Path, user: str, renew: bool) -> tuple[Path, str | None]:
    """The htpasswd file for ``user`` and the password to show (None: unchanged, not shown)."""
    htpasswd, kept = state / "htpasswd", state / "password.txt"
    password = os.environ.get(PASSWORD_VARIABLE)
    if not password and kept.is_file() and htpasswd.is_file() and not renew:
        previous = kept.read_text(encoding="utf-8").strip()
        if htpasswd.read_text(encoding="utf-8").startswith(f"{user}:"):
            return htpasswd, previous
    password = password or new_password()
    write_private(htpasswd, htpasswd_line(user, password))
    write_private(kept, password + "\n")
    return htpasswd, password


# --------------------------------------------------------------------------- TLS


def self_signed_cert(folder: Path, names: list[str], days: int = 30) -> tuple[Path, Path]:
    """A certificate for ``names`` (host names and IP addresses) made with openssl, unless
    one is there already. Browsers warn about it once: docs/deploy.md says what to tell the
    room."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    if cert.is_file() and key.is_file():
        return cert, key
    openssl = shutil.which("openssl")
    if not openssl:
        raise SystemExit("--tls needs openssl to make a certificate (apt-get install openssl)")
    folder.mkdir(parents=True, exist_ok=True)
    alt = ",".join(("IP:" if re.fullmatch(r"[\d.]+|[0-9a-fA-F:]+:[0-9a-fA-F:]*", n) else "DNS:")
                   + n for n in names)
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
                    "-days", str(days), "-subj", "/CN=npkit workshop",
                    "-addext", f"subjectAltName={alt}",
                    "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    key.chmod(0o600)
    return cert, key


# --------------------------------------------------------------------------- running


def say(message: str) -> None:
    print(f"workshop-server: {message}", flush=True)


def wait_for_http(url: str, process: subprocess.Popen, timeout: float, what: str,
                  context=None) -> None:
    """Until ``url`` answers at all (nginx: 401 without the password), or ``process`` exits."""
    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise SystemExit(f"workshop-server: {what} exited with code {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=5, context=context).close()
            return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"workshop-server: {what} did not answer within {timeout:.0f} s")
        time.sleep(0.3)  # polling interval; readiness is the HTTP answer


def password_accepted(url: str, user: str, password: str, context=None) -> bool:
    """Whether nginx lets ``user`` in with ``password``: a system whose crypt(3) cannot check
    bcrypt hashes (macOS) refuses every password, and that must show at start, not when the
    room arrives."""
    token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
    request = urllib.request.Request(url, headers={"Authorization": f"Basic {token}"})
    try:
        urllib.request.urlopen(request, timeout=30, context=context).close()
    except urllib.error.HTTPError as e:
        return e.code != 401
    return True


def stop(process: subprocess.Popen | None, sig: int = signal.SIGTERM, wait: float = 20) -> None:
    """Signal the process group (Voila shuts its kernels down on SIGTERM), SIGKILL later."""
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(timeout=wait)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)


class Stop(Exception):
    pass


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    from npkit.course.dashboard import NOTEBOOKS
    from npkit.course.dashboard import PORT as VOILA_PORT
    from npkit.i18n import LANGUAGES

    p = argparse.ArgumentParser(prog="deploy/workshop_server.py",
                                description="Serve the npkit course to a room: Voila behind "
                                            "nginx, with one shared password.")
    p.add_argument("--port", type=int, default=PORT, help=f"nginx's port (default {PORT})")
    p.add_argument("--listen", default="0.0.0.0",
                   help="the address nginx listens on (default 0.0.0.0: every network)")
    p.add_argument("--voila-port", type=int, default=VOILA_PORT,
                   help=f"Voila's port on 127.0.0.1 (default {VOILA_PORT})")
    p.add_argument("--notebooks", type=Path, default=NOTEBOOKS, help="folder of built modules")
    p.add_argument("--dir", type=Path, default=STATE,
                   help="where nginx's files go (default build/workshop-server)")
    p.add_argument("--user", default=USER, help=f"the user name to type (default {USER})")
    p.add_argument("--new-password", action="store_true", help="make a new room password")
    p.add_argument("--htpasswd", type=Path,
                   help="an htpasswd file of your own instead of the room password")
    p.add_argument("--tls", action="store_true",
                   help="HTTPS with a self-signed certificate (made with openssl)")
    p.add_argument("--no-preheat", action="store_true",
                   help="start a kernel per visit instead of keeping one ready per module")
    p.add_argument("--pool-size", action="append", default=[], metavar="[PAGE=]N",
                   help="kernels kept ready for a page, as for python -m npkit.course.dashboard "
                        "(e.g. 00_start_here=30 for a room opening module 0 together)")
    p.add_argument("--room", action="append", default=[], metavar="[PAGE=]N",
                   help="a room of N trainees opening a page together, as for python -m "
                        "npkit.course.dashboard: N kernels ready at start for the first module "
                        "(or PAGE), then its usual one (make workshop-server ROOM=30)")
    p.add_argument("--language", default="en", choices=sorted(LANGUAGES),
                   help="the room's language, as for python -m npkit.course.dashboard: its "
                        "pages keep a kernel ready, a bare --room N means its first module, "
                        "and a browser that chose none gets its landing and join pages "
                        "(default en; make workshop-server ROOM_LANGUAGE=th)")
    p.add_argument("--cull-idle", type=int, default=None, metavar="SECONDS",
                   help="shut down the kernel of a page that has gone after this long idle, "
                        "as for python -m npkit.course.dashboard (default 1800; e.g. 7200 for a "
                        "day with a long lunch break)")
    p.add_argument("--fork-kernels", action=argparse.BooleanOptionalAction, default=None,
                   help="fork each kernel from a process that has already imported what the "
                        "pages import, as for python -m npkit.course.dashboard (the default "
                        "unless NPKIT_FORK_KERNELS=0); --no-fork-kernels starts each kernel "
                        "as a fresh Python (make workshop-server FORK_KERNELS=0)")
    p.add_argument("--join-url", metavar="URL",
                   help="the address the trainer page shows the room, e.g. "
                        "http://192.168.1.20:8080/join (default: this computer's first "
                        "network address and --port)")
    p.add_argument("--allow-root", action="store_true",
                   help="run as root (nginx's workers then run as root too)")
    return p.parse_args(argv)


def room_env(join_url: str | None, user: str, password: str | None) -> dict[str, str]:
    """What the course's kernels are told about the room (npkit.course.room): the join
    address and, when there is one, the room's user name and password to show with it."""
    from npkit.course.room import JOIN_VARIABLE, PASSWORD_VARIABLE, USER_VARIABLE

    env = {JOIN_VARIABLE: join_url} if join_url else {}
    if password:
        env |= {USER_VARIABLE: user, PASSWORD_VARIABLE: password}
    return env


def course_command(args: argparse.Namespace, notebooks: Path) -> list[str]:
    """The course server's command line for these options (``python -m
    npkit.course.dashboard``'s, with the room's language), on 127.0.0.1 only. ``ValueError``
    with a message fit for a trainer for a bad ``--pool-size``, ``--room`` or ``--cull-idle``."""
    from npkit.course.dashboard import (
        check_cull_idle,
        parse_pool_sizes,
        parse_room_sizes,
        voila_command,
    )

    pool_sizes = parse_pool_sizes(args.pool_size, notebooks)
    room_sizes = parse_room_sizes(args.room, notebooks, args.language)
    check_cull_idle(args.cull_idle)
    return voila_command(notebooks, port=args.voila_port, preheat=not args.no_preheat,
                         pool_sizes=pool_sizes, cull_idle=args.cull_idle,
                         room_sizes=room_sizes, language=args.language,
                         fork_kernels=args.fork_kernels)


def main(argv: list[str] | None = None) -> int:
    sys.path.insert(0, str(ROOT))
    from npkit.course.room import clean_address, lan_addresses

    args = parse_args(argv)
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    if root and not args.allow_root:
        say("running as root, nginx's workers would run as root too: run as an ordinary "
            "user (port 8080 needs no root), or pass --allow-root")
        return 2
    nginx = find_nginx()
    if not nginx:
        say("nginx is not installed (Debian/Ubuntu: sudo apt-get install nginx)")
        return 2
    notebooks = args.notebooks.resolve()
    if not sorted(notebooks.glob("*.ipynb")):
        say(f"no built modules in {notebooks}: run `make notebooks` first")
        return 2

    try:
        cmd = course_command(args, notebooks)
    except ValueError as e:
        say(str(e))
        return 2

    state = args.dir.resolve()
    prepare_prefix(state)
    if args.htpasswd:
        htpasswd, password = args.htpasswd.resolve(), None
    else:
        htpasswd, password = room_password(state, args.user, args.new_password)
    addresses = lan_addresses() if args.listen in {"0.0.0.0", "::"} else [args.listen]
    scheme = "https" if args.tls else "http"
    if args.join_url:
        join_url = clean_address(args.join_url)
        if not join_url:
            say(f"--join-url {args.join_url}: expected an address such as "
                "http://192.168.1.20:8080/join")
            return 2
    else:
        host = (addresses or ["127.0.0.1"])[0]
        join_url = clean_address(f"{scheme}://{host}:{args.port}/")
    tls = (self_signed_cert(state / "tls", [*addresses, socket.gethostname(), "localhost"])
           if args.tls else None)
    (state / "nginx.conf").write_text(
        nginx_config(state, port=args.port, voila_port=args.voila_port, htpasswd=htpasswd,
                     listen=args.listen, tls=tls, run_as_root=root), encoding="utf-8")
    check = subprocess.run(nginx_command(nginx, state, test=True), capture_output=True,
                           text=True)
    if check.returncode:
        say(f"nginx refuses {state / 'nginx.conf'}:\n{check.stderr.strip()}")
        return 1

    def interrupted(signum, frame):
        raise Stop

    signal.signal(signal.SIGINT, interrupted)
    signal.signal(signal.SIGTERM, interrupted)
    voila = server = None
    try:
        # Own process groups: Ctrl-C reaches this script, which stops nginx and then Voila in
        # order (Voila shuts its kernels down first).
        say(f"starting the course (Voila on 127.0.0.1:{args.voila_port})")
        voila = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL,
                                 start_new_session=True,
                                 env=os.environ | room_env(join_url, args.user, password))
        wait_for_http(f"http://127.0.0.1:{args.voila_port}/", voila, VOILA_START_TIMEOUT,
                      "Voila")
        server = subprocess.Popen(nginx_command(nginx, state), cwd=state,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
        local = "127.0.0.1" if args.listen in {"0.0.0.0", "::"} else args.listen
        ssl_context = None
        if tls:
            import ssl

            ssl_context = ssl._create_unverified_context()  # our own self-signed certificate
        wait_for_http(f"{scheme}://{local}:{args.port}/", server, 30, "nginx", ssl_context)
        if password and not password_accepted(f"{scheme}://{local}:{args.port}/", args.user,
                                               password, ssl_context):
            say("nginx refuses the room password: this system's crypt(3) cannot check the "
                "bcrypt hash in htpasswd (macOS cannot). Make an $apr1$ file, which nginx "
                "checks itself (docs/deploy.md, The password), and pass --htpasswd FILE")
            return 1
        urls = [f"{scheme}://{a}:{args.port}/" for a in addresses or ["<this computer>"]]
        say("the course is served to the room at " + "  ".join(urls))
        say(f"trainees join at {join_url} (the trainer page shows it, with a QR code)")
        if args.language != "en":
            say(f"the room's language: {args.language} (trainees may still switch)")
        if password:
            say(f"user name: {args.user}   password: {password}")
        elif args.htpasswd:
            say(f"passwords: {htpasswd}")
        say(f"nginx logs: {state / 'logs'}   Ctrl-C stops nginx and Voila")
        while voila.poll() is None and server.poll() is None:
            time.sleep(0.5)  # supervising: the children report by exiting
        which = "Voila" if voila.poll() is not None else "nginx"
        say(f"{which} stopped unexpectedly; stopping the other")
        return 1
    except Stop:
        say("stopping")
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stop(server, signal.SIGTERM, 10)
        stop(voila, signal.SIGTERM, 30)


if __name__ == "__main__":
    sys.exit(main())
