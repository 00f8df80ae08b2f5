"""
Start and stop the app's real processes (Celery worker and beat, gunicorn) for
tests: on loopback, each in its own process group, logs to a file, and always
stopped at the end.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database the test runs on (the test database)."""
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return (
        f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    )


def redis_url(db: int) -> str:
    """CELERY_BROKER_URL's server with a database number of the tests' own."""
    base = urlsplit(os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0"))
    return urlunsplit((base.scheme, base.netloc, f"/{db}", "", ""))


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


def wait_for(
    check: Callable[[], object], *, timeout: float, what: str, every: float = 0.05
) -> object:
    """Poll ``check`` until it returns something true, or fail after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(every)


class Process:
    """One process of the app, started in its own process group."""

    def __init__(self, name: str, argv: Sequence[str], env: dict, log: Path) -> None:
        self.name = name
        self.argv = list(argv)
        self.log = log
        self._out = open(log, "ab")  # noqa: SIM115 - closed in stop()
        self.popen = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=env,
            stdout=self._out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def wait_for_output(self, text: str, timeout: float = 30) -> None:
        def seen() -> bool:
            if self.popen.poll() is not None:
                raise AssertionError(
                    f"{self.name} exited ({self.popen.returncode}):\n{self.output()[-3000:]}"
                )
            return text in self.output()

        wait_for(seen, timeout=timeout, what=f"{self.name} to print {text!r}")

    def kill(self) -> None:
        """SIGKILL the whole group (the main process and its children) at once."""
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self.popen.wait(timeout=10)
        self._out.close()

    def stop(self, timeout: float = 20) -> int | None:
        """SIGTERM the group and wait; SIGKILL if it does not stop in time."""
        if self.popen.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.popen.pid, signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                return None
        # Children left behind by a dead parent go too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, signal.SIGKILL)
        self._out.close()
        return self.popen.returncode


def base_env(**extra: str) -> dict[str, str]:
    """The environment of the app's processes: the project's venv first on PATH."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "PYTEST", "NPC_"))
    }
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    env.update(extra)
    return env


def celery_process(
    kind: str,
    *,
    name: str,
    directory: Path,
    broker_url: str,
    media_root: Path,
    mail_dir: Path,
    settings_module: str = "tests.tasks.worker_settings",
    **env: str,
) -> Process:
    """
    Start ``celery -A npc worker`` (or ``beat``) on the test database and
    ``broker_url``, with ``settings_module``; its log and beat's schedule go in
    ``directory``. The caller waits for it and stops it.
    """
    argv = [sys.executable, "-m", "celery", "-A", "npc", kind, "-l", "info"]
    if kind == "worker":
        argv += [
            *("-n", f"{name}-{uuid.uuid4().hex[:8]}@%h"),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
    else:
        argv += ["--schedule", str(directory / f"{name}-schedule")]
    return Process(
        name,
        argv,
        base_env(
            DJANGO_SETTINGS_MODULE=settings_module,
            DATABASE_URL=database_url(),
            CELERY_BROKER_URL=broker_url,
            DJANGO_MEDIA_ROOT=str(media_root),
            NPC_TEST_MAIL_DIR=str(mail_dir),
            **env,
        ),
        directory / f"{name}.log",
    )


@contextlib.contextmanager
def running(*processes: Process) -> Iterator[tuple[Process, ...]]:
    """Stop every process at the end, whatever happened."""
    try:
        yield processes
    finally:
        for process in processes:
            process.stop()


def _reset_pools(app) -> None:  # noqa: ANN001 - the Celery app
    # Forget the connection and producer pools made for the old broker URL (as
    # Celery does after a fork); kombu's registry keeps them per URL.
    app._pool = None
    app.amqp._producer_pool = None


@contextlib.contextmanager
def app_on_broker(url: str) -> Iterator[object]:
    """
    Make this (test) process queue tasks on ``url`` instead of running them
    eagerly, so that services called here hand their tasks to the real worker.
    """
    from npc.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    # Celery prefers the CELERY_BROKER_URL environment variable to its settings.
    saved_env = os.environ.get("CELERY_BROKER_URL")
    _reset_pools(app)
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.update(broker_url=url, task_always_eager=False)
    try:
        yield app
    finally:
        _reset_pools(app)
        app.conf.update(saved)
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env


# --- services of a test's own: a Redis and a PostgreSQL cluster to stop and start ---


def _answers_redis(url: str) -> bool:
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        return bool(client.ping())
    except (redis.RedisError, OSError):
        return False
    finally:
        client.close()


class RedisServer:
    """
    A redis-server of a test's own on a free port of loopback (never the shared
    one), to stop and start again on the same port. As in docker-compose.yml, it
    keeps an append-only file (in ``directory``): its data survive a restart.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.popen: subprocess.Popen | None = None

    def url(self, db: int = 0, scheme: str = "redis") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/{db}"

    def start(self, timeout: float = 10) -> None:
        self.popen = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--dir", str(self.directory), "--save", ""),
                *("--appendonly", "yes", "--appendfsync", "always"),
            ],
            stdout=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(
            lambda: _answers_redis(self.url()),
            timeout=timeout,
            what=f"redis on port {self.port}",
            every=0.05,
        )

    def answers(self) -> bool:
        return _answers_redis(self.url())

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM (Redis writes its file and exits); SIGKILL if it does not."""
        if self.popen is None or self.popen.poll() is not None:
            return
        self.popen.terminate()
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=timeout)


def postgres_bin() -> Path | None:
    """The newest PostgreSQL server binaries installed (Debian's layout), if any."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    return found[-1].parent if found else None


class PostgresCluster:
    """
    A PostgreSQL cluster of a test's own (initdb into a temporary folder), on a
    free port of loopback, to restart under load. As root, its commands run as
    the ``postgres`` user, who owns the folder. ``remove()`` stops it and deletes
    the folder.
    """

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="npc-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "server.log"
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, user="postgres", group="postgres")

    def _run(self, *argv: str, timeout: float = 60) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        result = subprocess.run(
            [*prefix, *argv],
            capture_output=True,
            text=True,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
            check=False,
        )
        if result.returncode:
            raise AssertionError(
                f"{' '.join(argv[:2])} failed ({result.returncode}):\n"
                f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}\n{self.server_log()}"
            )
        return result

    def server_log(self) -> str:
        try:
            return self.log.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    def _options(self) -> str:
        # fsync off: a test's cluster need not survive a power cut, only a restart.
        return (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off -c synchronous_commit=off"
        )

    def _pg_ctl(self, *argv: str, timeout: float = 60) -> None:
        self._run(
            str(self.bindir / "pg_ctl"),
            *("-D", str(self.data), "-l", str(self.log), "-w", "-t", str(int(timeout))),
            *argv,
            timeout=timeout + 5,
        )

    def init(self) -> None:
        self._run(
            str(self.bindir / "initdb"),
            *("-D", str(self.data), "-U", "postgres", "-A", "trust"),
            *("-E", "UTF8", "--locale=C.UTF-8", "--no-sync"),
            timeout=120,
        )

    def start(self, timeout: float = 30) -> None:
        self._pg_ctl("-o", self._options(), "start", timeout=timeout)

    def restart(self, mode: str = "fast", timeout: float = 30) -> None:
        self._pg_ctl("-m", mode, "-o", self._options(), "restart", timeout=timeout)

    def stop(self, mode: str = "fast", timeout: float = 30) -> None:
        self._pg_ctl("-m", mode, "stop", timeout=timeout)

    def url(self, dbname: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{dbname}"

    def answers(self, dbname: str = "postgres") -> bool:
        import psycopg

        try:
            with psycopg.connect(
                host="127.0.0.1",
                port=self.port,
                user="postgres",
                dbname=dbname,
                connect_timeout=1,
            ) as conn:
                conn.execute("SELECT 1")
        except psycopg.Error:
            return False
        return True

    def create_database(self, dbname: str) -> None:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname="postgres",
            autocommit=True,
            connect_timeout=5,
        ) as conn:
            conn.execute(f'CREATE DATABASE "{dbname}"')

    def remove(self) -> None:
        """Stop the cluster (immediately) if it runs, and delete its folder."""
        if (self.data / "postmaster.pid").exists():
            with contextlib.suppress(AssertionError, subprocess.TimeoutExpired):
                self._pg_ctl("-m", "immediate", "stop", timeout=20)
        shutil.rmtree(self.root, ignore_errors=True)


def gunicorn_argv(*, workers: int = 2, threads: int = 2) -> list[str]:
    """The web command of docker-compose.yml (gthread), with fewer processes."""
    return [
        str(VENV_BIN / "gunicorn"),
        "npc.wsgi:application",
        *("--config", str(ROOT / "gunicorn.conf.py")),
        *("-k", "gthread", "-w", str(workers), "--threads", str(threads)),
    ]
