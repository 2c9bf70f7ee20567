"""A throwaway PostgreSQL for tests, run from Debian's ``postgresql`` package (``.ci/run``
installs it): one ``initdb`` into a fresh temporary directory, one server on a free port of
127.0.0.1, trust authentication for the user ``npkit``, everything removed by ``stop()``.

No pytest here, so the module also works from a Python prompt::

    s = start_postgres(); url = s.new_database(); ...; s.stop()
"""

from __future__ import annotations

import glob
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

USER = "npkit"
# initdb and postgres refuse to run as root; as root they run as Debian's service account.
SYSTEM_USER = "postgres"
ATTEMPTS = 3  # a free port may be taken between choosing it and the server binding it


def bin_dir() -> Path | None:
    """The newest installed major version's bin directory (``15`` beats ``9.6``)."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    key = lambda b: tuple(int(x) for x in b.parent.name.split(".") if x.isdigit())  # noqa: E731
    return max(found, key=key, default=None)


def available() -> str | None:
    """None if a server can be started here, else why not."""
    if bin_dir() is None:
        return "PostgreSQL is not installed (apt-get install -y postgresql; see .ci/run)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SYSTEM_USER)
        except KeyError:
            return f"running as root and there is no {SYSTEM_USER!r} user to run PostgreSQL as"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "the psycopg package is not installed (pip install -e '.[test]')"
    return None


def _as_server_user(cmd: list[str]) -> list[str]:
    return ["runuser", "-u", SYSTEM_USER, "--", *cmd] if os.geteuid() == 0 else cmd


def _run(cmd: list[str], cwd: Path) -> None:
    # cwd: the server user may not be allowed into the caller's directory (e.g. /root).
    r = subprocess.run(_as_server_user(cmd), cwd=cwd, capture_output=True, text=True)
    if r.returncode:
        raise RuntimeError(f"{' '.join(cmd)} exited {r.returncode}:\n{r.stdout}{r.stderr}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class PgServer:
    port: int
    top: Path  # holds data/, the socket and server.log; removed by stop()
    bin: Path
    _names: itertools.count = field(default_factory=itertools.count, repr=False)

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def url_for(self, dbname: str) -> str:
        return f"postgresql://{USER}@127.0.0.1:{self.port}/{dbname}"

    def new_database(self) -> str:
        """An empty database of its own (tests never share one); returns its URL."""
        import psycopg
        from psycopg import sql

        name = f"t{next(self._names)}_{uuid.uuid4().hex[:8]}"
        # CREATE DATABASE cannot run inside a transaction.
        with psycopg.connect(self.url, autocommit=True) as con:
            con.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url_for(name)

    def log(self) -> str:
        p = self.top / "server.log"
        return p.read_text(errors="replace") if p.exists() else ""

    def stop(self) -> None:
        # "immediate": no checkpoint, which a server whose files are deleted next does not need
        if (self.top / "data" / "postmaster.pid").exists():
            _run([str(self.bin / "pg_ctl"), "-D", str(self.top / "data"), "-m", "immediate", "-w",
                  "stop"], cwd=self.top)
        shutil.rmtree(self.top, ignore_errors=True)


def start_postgres(base_dir: Path | None = None) -> PgServer:
    """Start a server in a new directory under ``base_dir`` (default: the system temp dir).

    As root, ``base_dir`` must be traversable by the ``postgres`` user, which pytest's
    ``tmp_path`` (under a 0700 /tmp/pytest-of-root) is not.
    """
    bindir = bin_dir()
    if bindir is None:
        raise RuntimeError(available())
    top = Path(tempfile.mkdtemp(prefix="npkit-pg-", dir=base_dir))
    if os.geteuid() == 0:
        shutil.chown(top, SYSTEM_USER, SYSTEM_USER)  # mkdtemp's 0700 then admits only it
    data = top / "data"
    try:
        # --no-sync: a throwaway cluster need not survive a power cut; it saves most of initdb.
        _run([str(bindir / "initdb"), "-D", str(data), "-U", USER, "--auth=trust",
              "--encoding=UTF8", "--no-locale", "--no-sync"], cwd=top)
        for _ in range(ATTEMPTS):
            server = PgServer(_free_port(), top, bindir)
            (top / "server.log").unlink(missing_ok=True)
            # -k: the socket (and its lock file) in our own directory, not the shared
            # /var/run/postgresql, so servers of parallel test workers never meet.
            opts = f"-p {server.port} -k {top} -c listen_addresses=127.0.0.1 -c fsync=on"
            try:
                _run([str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-w",
                      "-l", str(top / "server.log"), "start"], cwd=top)
                return server
            except RuntimeError as e:
                if "could not bind" not in server.log():
                    raise RuntimeError(f"{e}\nserver.log:\n{server.log()}") from None
        raise RuntimeError(f"no free port after {ATTEMPTS} attempts:\n{server.log()}")
    except BaseException:
        shutil.rmtree(top, ignore_errors=True)
        raise
