"""
Background tasks of the consultation side.

Tasks take primary keys, re-fetch, call a service and are idempotent; they are
acknowledged late, so a worker lost mid-task leaves the task to run again.
Services queue them after commit with ``delay_on_commit``.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from legislation import notifications
from npc.celery import Task

from . import clocks, counters, services
from .models import ImportBatch


class ImportTask(Task):
    """An import that fails for good marks its batch failed (nothing was written)."""

    def on_failure(self, exc, task_id, args, kwargs, einfo) -> None:  # noqa: ANN001
        batch_id = kwargs.get("batch_id", args[0] if args else None)
        if batch_id is not None:
            services.abandon_import(batch_id=batch_id)


@shared_task(
    base=ImportTask,
    bind=True,
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=5,
    soft_time_limit=3300,
    time_limit=3500,
)
def process_import(self, batch_id: int) -> str:  # noqa: ANN001 - Celery's task
    """Validate and write an import batch; a batch already finished is left as is."""
    return services.run_import(batch_id=batch_id).status


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, smtplib.SMTPException, OSError),
    retry_backoff=60,
    retry_backoff_max=900,
    max_retries=5,
    soft_time_limit=540,
    time_limit=600,
)
def check_legal_clocks(day: str | None = None) -> dict:
    """
    Find the day's legal deadlines due and overdue, and mail staff the digest.

    Run by beat every morning (CELERY_BEAT_SCHEDULE); once a day at most, so a
    retry or a second run on the same day mails no one twice. ``day`` (ISO date)
    defaults to today in the city's time zone.
    """
    today = dt.date.fromisoformat(day) if day else timezone.localdate()
    digest = notifications.send_daily_digest(day=today, cases=clocks.all_cases(today))
    return {"day": str(digest.day), "recipients": digest.recipients}


@shared_task(soft_time_limit=540, time_limit=600)
def compact_comment_counts() -> None:
    """
    Fold the kept comment counts' delta rows into one row per key: every entry
    and decision appends rows, and the statistics sum them all.
    """
    counters.compact()


@shared_task(soft_time_limit=50, time_limit=60)
def requeue_stalled_imports(minutes: int = 10) -> int:
    """
    Queue again the import batches still waiting ``minutes`` after their upload.

    Their message was lost: the broker was down when the upload committed (the
    upload itself stands; see npc.celery.Task.delay_on_commit). A batch that is
    only slow to come up is harmless to queue twice: the import is idempotent.
    Batches whose worker died mid-import come back by themselves (acks_late and
    the broker's visibility timeout).
    """
    stalled = list(
        ImportBatch.objects.filter(
            status=ImportBatch.Status.PENDING,
            created_at__lt=timezone.now() - dt.timedelta(minutes=minutes),
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for batch_id in stalled:
        process_import.delay(batch_id)
    return len(stalled)
