"""
Start and stop the app's real processes (Celery worker and beat, gunicorn) for
tests: on loopback, each in its own process group, logs to a file, and always
stopped at the end.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
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
