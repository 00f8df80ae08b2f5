"""Fixtures for tests that run the app's real processes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from . import processes
from .processes import Process

# Redis database numbers of these tests' own: other suites use the others.
WORKER_REDIS_DB = 13
TOPOLOGY_REDIS_DB = 12


@pytest.fixture
def broker_url() -> Iterator[str]:
    """An empty Redis database for the worker under test."""
    url = processes.redis_url(WORKER_REDIS_DB)
    processes.flush_redis(url)
    yield url
    processes.flush_redis(url)


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def start_celery(
    tmp_path: Path, broker_url: str, mail_dir: Path, media_root: Path
) -> Iterator[Callable[..., Process]]:
    """
    Start ``celery -A npc worker`` (or ``beat``) on the test database and the
    tests' Redis database, with tests.tasks.worker_settings; stop all at the end.
    """
    started: list[Process] = []

    def start(kind: str = "worker", **env: str) -> Process:
        process = processes.celery_process(
            kind,
            name=f"{kind}-{len(started)}",
            directory=tmp_path,
            broker_url=broker_url,
            media_root=media_root,
            mail_dir=mail_dir,
            **env,
        )
        started.append(process)
        process.wait_for_output("ready." if kind == "worker" else "beat: Starting")
        return process

    try:
        yield start
    finally:
        # SIGKILL: quick, and what a clean stop looks like is the topology test's.
        for process in reversed(started):
            process.kill()
