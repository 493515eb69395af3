"""A throwaway PostgreSQL cluster for a test run, where the server's binaries are installed.

``make test`` on a developer's machine then tests both stores, as ``.ci/run`` does, without anyone
starting a server by hand. The cluster lives in a temporary directory, listens on a free loopback
port with trust authentication, and is stopped and removed when the run ends.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def server_binaries() -> Path | None:
    """The newest installed PostgreSQL server's ``bin`` directory (Debian's layout, or on PATH)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name or 0))
    for folder in reversed(candidates):
        if os.access(Path(folder) / "initdb", os.X_OK):
            return Path(folder)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayCluster:
    def __init__(self, binaries: Path) -> None:
        self.binaries = binaries
        self.data = Path(tempfile.mkdtemp(prefix="prongsai-test-pg."))
        self.port = free_port()
        # initdb refuses to run as root: run the server as the postgres user there.
        self.as_user: list[str] = []
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            subprocess.run(["id", "postgres"], check=True, capture_output=True)
            shutil.chown(self.data, "postgres")
            self.as_user = ["runuser", "-u", "postgres", "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)

    def start(self) -> str:
        self._run(str(self.binaries / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data} -c max_connections=200"
        self._run(
            str(self.binaries / "pg_ctl"),
            "-D",
            str(self.data),
            "-w",
            "-l",
            str(self.data / "log"),
            "-o",
            options,
            "start",
        )
        url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute("CREATE DATABASE prongsai_test")
        return f"postgresql://postgres@127.0.0.1:{self.port}/prongsai_test"

    def stop(self) -> None:
        with contextlib.suppress(subprocess.SubprocessError, OSError):
            self._run(str(self.binaries / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.data, ignore_errors=True)
