"""Fixtures for tests that run the app's real processes."""

from __future__ import annotations

import sys
import uuid
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
def media_root(tmp_path: Path, settings) -> Path:  # noqa: ANN001
    """Uploaded files on disk, where the worker process can read them too."""
    path = tmp_path / "media"
    path.mkdir()
    settings.MEDIA_ROOT = str(path)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
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
        name = f"{kind}-{len(started)}"
        argv = [sys.executable, "-m", "celery", "-A", "npc", kind, "-l", "info"]
        if kind == "worker":
            argv += [
                "-n",
                f"test-{uuid.uuid4().hex[:8]}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
            ]
        else:
            argv += ["--schedule", str(tmp_path / f"beat-schedule-{len(started)}")]
        process = Process(
            name,
            argv,
            processes.base_env(
                DJANGO_SETTINGS_MODULE="tests.tasks.worker_settings",
                DATABASE_URL=processes.database_url(),
                CELERY_BROKER_URL=broker_url,
                DJANGO_MEDIA_ROOT=str(media_root),
                NPC_TEST_MAIL_DIR=str(mail_dir),
                **env,
            ),
            tmp_path / f"{name}.log",
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
