"""
Imports on a real Celery worker, on Redis and PostgreSQL: end to end, twice
(rows written once), and through a worker killed with SIGKILL mid-import.

The worker is ``celery -A npc worker`` in a process of its own, on the test
database (hence transactional tests) and a Redis database of these tests' own.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from consultation import services
from consultation.models import Comment, Contributor, ImportBatch
from consultation.tasks import process_import
from tests.factories import BillFactory, ConsultationFactory

from .processes import app_on_broker, wait_for

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def _csv(rows: int) -> SimpleUploadedFile:
    lines = ["意见内容,提出人姓名,联系方式"]
    lines += [
        f"建议第三条增加对测试单位的培训要求（第{n}条意见）。,测试居民{n},139{n:08d}"
        for n in range(1, rows + 1)
    ]
    return SimpleUploadedFile(
        "意见.csv", "\n".join(lines).encode("utf-8"), content_type="text/csv"
    )


@pytest.fixture
def consultation(bill, draft, point_a, clerk_a):
    return ConsultationFactory(bill=bill, version=draft, point=point_a)


def _start(consultation, clerk, rows: int, broker_url: str) -> ImportBatch:
    """Upload a file as the clerk would; the service queues the task on Redis."""
    with app_on_broker(broker_url):
        return services.start_import(
            by=clerk, consultation=consultation, uploaded_file=_csv(rows)
        )


def _status(batch: ImportBatch) -> str:
    batch.refresh_from_db()
    return batch.status


def test_import_runs_end_to_end_on_the_worker_and_twice_writes_once(
    start_celery, broker_url, consultation, clerk_a
):
    worker = start_celery("worker")
    batch = _start(consultation, clerk_a, 50, broker_url)
    with app_on_broker(broker_url):
        process_import.delay(batch.pk)  # a duplicate message for the same batch

    wait_for(lambda: _status(batch) == "done", timeout=30, what="the import")
    wait_for(
        lambda: (
            len(re.findall(r"process_import\[.*\] succeeded", worker.output())) >= 2
        ),
        timeout=30,
        what="the duplicate to run too",
    )

    assert batch.created_count == 50
    assert batch.processed_rows == batch.total_rows == 50
    comments = Comment.objects.filter(import_batch=batch)
    assert comments.count() == 50
    assert sorted(comments.values_list("import_row", flat=True)) == list(range(2, 52))
    assert Contributor.objects.filter(comment__import_batch=batch).count() == 50


def _validating(batch: ImportBatch) -> bool:
    """The worker is checking rows (progress published, nothing written yet)."""
    batch.refresh_from_db()
    return batch.status == "running" and batch.processed_rows > 0


def _writing(batch: ImportBatch) -> bool:
    """The worker's write transaction has started inserting comments."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
            " AND pid <> pg_backend_pid() AND query LIKE %s",
            ['INSERT INTO "consultation_comment"%'],
        )
        return cursor.fetchone()[0] > 0


@pytest.mark.parametrize("moment", [_validating, _writing], ids=lambda f: f.__name__)
def test_worker_killed_mid_import_leaves_the_batch_whole_after_redelivery(
    moment, start_celery, broker_url, consultation, clerk_a
):
    rows = 5_000
    worker = start_celery("worker")
    batch = _start(consultation, clerk_a, rows, broker_url)

    # SIGKILL the worker (main process and pool child at once: no cleanup, no
    # acknowledgement) in the middle of the import.
    wait_for(lambda: moment(batch), timeout=30, what=moment.__name__, every=0.01)
    worker.kill()

    # Nothing half-written: the rows go in one transaction, which died with it.
    assert _status(batch) == "running"
    assert Comment.objects.filter(import_batch=batch).count() == 0

    # A new worker gets the unacknowledged message again once the visibility
    # timeout has passed, and finishes the batch.
    start_celery("worker")
    wait_for(
        lambda: _status(batch) == "done", timeout=60, what="the redelivered import"
    )

    assert batch.created_count == rows
    comments = Comment.objects.filter(import_batch=batch)
    assert comments.count() == rows
    assert comments.values("import_row").distinct().count() == rows
    assert Contributor.objects.filter(comment__import_batch=batch).count() == rows


def test_beat_runs_the_daily_check_on_the_worker_and_staff_get_the_digest(
    start_celery, mail_dir, bill, draft, staff
):
    from django.utils import timezone

    from consultation.models import Channel
    from legislation.models import DailyDigest, Stage
    from tests.legislation.lifecycle import Clock, walk_to

    today = timezone.localdate()
    staff.email = "staff@example.org"
    staff.save()
    unfiled = walk_to(
        BillFactory(title="备案逾期条例", plan_year=2024), Stage.PROMULGATED, Clock()
    )
    ConsultationFactory(
        bill=bill,
        version=draft,
        channel=Channel.ONLINE,
        point=None,
        title="即将截止的网上征求意见",
        held_on=None,
        opens_on=today - dt.timedelta(days=29),
        closes_on=today + dt.timedelta(days=1),
    )

    start_celery("worker")
    start_celery("beat", NPC_TEST_FAST_BEAT="1")

    digest = wait_for(
        lambda: DailyDigest.objects.filter(day=today, sent_at__isnull=False).first(),
        timeout=30,
        what="the daily check",
    )
    assert digest.cases["by_kind"] == {"filing_due": 1, "closing_soon": 1}
    assert digest.cases["overdue"] == 1
    assert digest.recipients == 1

    time.sleep(2)  # beat goes on sending the check; it mails once a day
    messages = [
        email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        for path in sorted(mail_dir.iterdir())
    ]
    assert len(messages) == 1
    (message,) = messages
    assert message["To"] == "staff@example.org"
    body = message.get_content()
    assert unfiled.title in body
    assert "即将截止的网上征求意见" in body
