"""
A private PostgreSQL primary and a streaming standby of it, for the replica tests.

Both run from PostgreSQL's own programs (``initdb``, ``pg_ctl``,
``pg_basebackup -R``) in a temporary directory, on free loopback ports, as the
``postgres`` system user when the tests run as root (``initdb`` refuses root).
The shared server the rest of the suite uses is not touched.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg

CONFIG = """
listen_addresses = '127.0.0.1'
unix_socket_directories = '{sockets}'
wal_level = replica
max_wal_senders = 4
hot_standby = on
max_connections = 40
shared_buffers = 32MB
fsync = off
full_page_writes = off
# The primary writes WAL only when the tests write, so that a standby that has
# replayed everything stays level with it (the health check compares positions).
autovacuum = off
checkpoint_timeout = 1h
"""


def server_programs() -> Path | None:
    """Return the directory of PostgreSQL's server programs, or None."""
    candidates = [os.environ.get("PG_BINDIR", "")]
    candidates += sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True)
    which = shutil.which("pg_basebackup")
    if which:
        candidates.append(str(Path(which).parent))
    for candidate in candidates:
        if candidate and all(
            (Path(candidate) / name).is_file()
            for name in ("initdb", "pg_ctl", "pg_basebackup")
        ):
            return Path(candidate)
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Cluster:
    """A primary on one port, its standby on another; see the module's docstring."""

    def __init__(self, extra_config: str = "") -> None:
        self.extra_config = extra_config
        bindir = server_programs()
        if bindir is None:
            raise RuntimeError("PostgreSQL's server programs are not installed")
        self.bin = bindir
        self.root = Path(tempfile.mkdtemp(prefix="npc-replica-"))
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.root, "postgres")
        self.primary_dir = self.root / "primary"
        self.standby_dir = self.root / "standby"
        self.primary_port = free_port()
        self.standby_port = free_port()

    # --- programs -------------------------------------------------------------

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, cwd=self.root)

    def _start(self, datadir: Path, port: int) -> None:
        self._run(
            "pg_ctl", "start", "-w", "-t", "60", "-D", str(datadir),
            "-l", str(self.root / f"{datadir.name}.log"), "-o", f"-p {port}",
        )  # fmt: skip

    def _stop(self, datadir: Path, mode: str = "fast") -> None:
        self._run("pg_ctl", "stop", "-w", "-m", mode, "-D", str(datadir))

    def start(self) -> None:
        """Make and start the primary, then the standby, and wait for streaming."""
        self._run(
            "initdb", "-D", str(self.primary_dir), "-U", "postgres", "-A", "trust",
            "-E", "UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        with (self.primary_dir / "postgresql.conf").open("a") as conf:
            conf.write(CONFIG.format(sockets=self.root) + self.extra_config)
        self._start(self.primary_dir, self.primary_port)
        self._run(
            "pg_basebackup", "-h", "127.0.0.1", "-p", str(self.primary_port),
            "-U", "postgres", "-D", str(self.standby_dir), "-R",
            "-X", "stream", "-c", "fast", "--no-sync",
        )  # fmt: skip
        self.start_standby()

    def stop(self) -> None:
        """Stop both servers and remove their files."""
        for datadir in (self.standby_dir, self.primary_dir):
            if (datadir / "postmaster.pid").exists():
                try:
                    self._stop(datadir, "immediate")
                except subprocess.CalledProcessError:
                    pass
        shutil.rmtree(self.root, ignore_errors=True)

    def start_standby(self) -> None:
        self._start(self.standby_dir, self.standby_port)
        self.wait(
            lambda: self.standby(
                "SELECT status = 'streaming' FROM pg_stat_wal_receiver"
            ),
            "the standby to stream from the primary",
        )

    def stop_standby(self) -> None:
        self._stop(self.standby_dir)

    # --- SQL ------------------------------------------------------------------

    def sql(self, port: int, query: str, dbname: str = "postgres") -> object:
        with psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname=dbname,
            autocommit=True, connect_timeout=5,
        ) as conn:  # fmt: skip
            cursor = conn.execute(query)
            row = cursor.fetchone() if cursor.description else None
        return row[0] if row else None

    def primary(self, query: str, dbname: str = "postgres") -> object:
        return self.sql(self.primary_port, query, dbname)

    def standby(self, query: str, dbname: str = "postgres") -> object:
        return self.sql(self.standby_port, query, dbname)

    def url(self, port: int, dbname: str, user: str = "postgres") -> str:
        return f"postgres://{user}@127.0.0.1:{port}/{dbname}"

    def wait(self, condition, what: str, seconds: float = 60) -> None:
        """Poll ``condition`` until it is true; fail after ``seconds``."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                if condition():
                    return
            except psycopg.OperationalError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"timed out waiting for {what}")
            time.sleep(0.05)

    def wait_for_replay(self) -> None:
        """Wait until the standby has replayed everything the primary wrote."""
        position = self.primary("SELECT pg_current_wal_lsn()::text")
        self.wait(
            lambda: self.standby(f"SELECT pg_last_wal_replay_lsn() >= '{position}'"),
            "the standby to replay the primary's writes",
        )

    def pause_replay(self) -> None:
        """Stop replaying: nothing the primary writes from now on reaches it."""
        # Once requested, no further WAL record is applied (an idle standby
        # reports "pause requested" until the next record arrives).
        self.standby("SELECT pg_wal_replay_pause()")

    def resume_replay(self) -> None:
        self.standby("SELECT pg_wal_replay_resume()")
