"""
A worker killed as a whole mid-import (SIGKILL to its process group: no
cleanup, no acknowledgement) costs seconds, not the broker's hour: the batch's
heartbeat goes stale, beat's sweep queues it again, a new worker takes it over
and writes each row once. Meanwhile the clerk's re-upload of the same file is
refused, so no row is written twice either way.

Real processes: a Redis of this test's own on a free port, ``celery -A npc
worker`` and ``celery -A npc beat`` on the test database. The broker keeps its
production visibility timeout (3,600 s): the original message never comes back
within the test. The stall threshold is shortened to 5 s (production: 180 s).
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from consultation import services
from consultation.models import Comment, Contributor, ImportBatch
from consultation.services.imports import DuplicateImport
from tests.factories import ConsultationFactory
from tests.tasks import processes
from tests.tasks.processes import Process, app_on_broker, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

ROWS = 40_000
STALL_SECONDS = 5


def _csv() -> bytes:
    lines = ["意见内容,提出人姓名,联系方式"]
    lines += [
        f"建议第三条增加对测试单位的培训要求（第{n}条意见）。,测试居民{n},139{n:08d}"
        for n in range(1, ROWS + 1)
    ]
    return "\n".join(lines).encode("utf-8")


@pytest.fixture
def redis_url(tmp_path: Path):
    """A Redis server of this test's own, never the shared one."""
    server = processes.RedisServer(tmp_path)
    server.start()
    try:
        yield server.url()
    finally:
        server.stop()


@pytest.fixture
def start(tmp_path: Path, redis_url: str, media_root: Path):
    """Start a worker or beat on the private Redis; kill every one at the end."""
    mail = tmp_path / "mail"
    mail.mkdir()
    started: list[Process] = []

    def run(kind: str) -> Process:
        process = processes.celery_process(
            kind,
            name=f"killed-{kind}-{len(started)}",
            directory=tmp_path,
            broker_url=redis_url,
            media_root=media_root,
            mail_dir=mail,
            settings_module="tests.resilience.worker_settings",
            NPC_TEST_VISIBILITY_TIMEOUT="3600",
            NPC_IMPORT_STALL_SECONDS=str(STALL_SECONDS),
        )
        started.append(process)
        return process

    try:
        yield run
    finally:
        for process in reversed(started):
            process.kill()


def _batch(pk: int) -> ImportBatch:
    return ImportBatch.objects.get(pk=pk)


def test_a_worker_killed_mid_import_is_replaced_in_seconds_and_rows_go_in_once(
    start, redis_url, settings, bill, draft, point_a, clerk_a
):
    settings.NPC_IMPORT_STALL_SECONDS = STALL_SECONDS
    consultation = ConsultationFactory(bill=bill, version=draft, point=point_a)
    data = _csv()
    worker = start("worker")
    beat = start("beat")
    worker.wait_for_output("ready.")
    beat.wait_for_output("beat: Starting")

    with app_on_broker(redis_url):
        batch = services.start_import(
            by=clerk_a,
            consultation=consultation,
            uploaded_file=SimpleUploadedFile("意见.csv", data),
        )

    # Kill the worker, main process and pool child at once, half-way through.
    wait_for(
        lambda: _batch(batch.pk).processed_rows >= ROWS // 4,
        timeout=60,
        what="the import to be under way",
        every=0.02,
    )
    worker.kill()
    killed_at = time.monotonic()
    stalled = _batch(batch.pk)
    assert stalled.status == ImportBatch.Status.RUNNING
    assert stalled.processed_rows < ROWS
    assert not Comment.objects.filter(import_batch=batch).exists()

    # The clerk, seeing no progress, uploads the file again: refused.
    with app_on_broker(redis_url), pytest.raises(DuplicateImport):
        services.start_import(
            by=clerk_a,
            consultation=consultation,
            uploaded_file=SimpleUploadedFile("意见（重传）.csv", data),
        )
    wait_for(
        lambda: _batch(batch.pk).stalled,
        timeout=STALL_SECONDS + 5,
        what="the batch to be seen as stalled",
        every=0.2,
    )

    start("worker").wait_for_output("ready.")
    wait_for(
        lambda: _batch(batch.pk).status == ImportBatch.Status.DONE,
        timeout=300,
        what="the import to be taken over and finished",
        every=0.2,
    )
    recovered = time.monotonic() - killed_at

    done = _batch(batch.pk)
    comments = Comment.objects.filter(import_batch=batch)
    written = comments.count()
    print(
        f"killed worker replaced: batch done {recovered:.1f} s after the kill, "
        f"{written} rows written, attempts {done.attempts}"
    )
    assert recovered < 300
    assert done.attempts == 2
    assert done.created_count == ROWS
    assert written == ROWS
    assert comments.values("import_row").distinct().count() == ROWS
    assert Contributor.objects.filter(comment__import_batch=batch).count() == ROWS
    assert ImportBatch.objects.filter(consultation=consultation).count() == 1
