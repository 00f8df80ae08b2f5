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
from django.conf import settings
from django.db import OperationalError
from django.db.models import Q
from django.utils import timezone

from legislation import notifications
from legislation import tasks as legislation_tasks
from npc.celery import Task

from . import clocks, counters, mailing, services
from .models import Comment, ImportBatch


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
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    max_retries=3,
    soft_time_limit=1700,
    time_limit=1800,
)
def build_document(job_id: int) -> str:
    """Build a requested document; a job already done is left as is."""
    return services.build_document(job_id=job_id).status


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


# A pending batch this long after its upload, or its last requeue, lost its message.
REQUEUE_AFTER = dt.timedelta(minutes=1)


@shared_task(soft_time_limit=50, time_limit=60)
def requeue_stalled_imports() -> int:
    """
    Queue again the import batches that lost their message or their worker.

    Run by beat every minute. A batch still pending a minute after its upload
    lost its message: the broker was down when the upload committed (the upload
    itself stands; see npc.celery.Task.delay_on_commit). A running batch whose
    heartbeat is older than NPC_IMPORT_STALL_SECONDS lost its worker (killed as
    a whole, its message left unacknowledged until the broker's visibility
    timeout). Each is queued at most once a minute (``queued_at``), or once per
    stall period for the stalled, so a worker that is down does not find a flood
    of messages on its return. Queuing twice is harmless: the claim lets one
    worker only run a batch, and the import is idempotent.
    """
    now = timezone.now()
    stall = dt.timedelta(seconds=settings.NPC_IMPORT_STALL_SECONDS)
    lost = Q(status=ImportBatch.Status.PENDING, created_at__lt=now - REQUEUE_AFTER) & (
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - REQUEUE_AFTER)
    )
    # Running without any heartbeat: claimed before heartbeats were written.
    silent = Q(heartbeat_at__lt=now - stall) | Q(
        heartbeat_at__isnull=True, created_at__lt=now - stall
    )
    stalled = (
        Q(status=ImportBatch.Status.RUNNING)
        & silent
        & (Q(queued_at__isnull=True) | Q(queued_at__lt=now - max(stall, REQUEUE_AFTER)))
    )
    batches = list(
        ImportBatch.objects.filter(lost | stalled)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for batch_id in batches:
        process_import.delay(batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(queued_at=now)
    return len(batches)


@shared_task(soft_time_limit=50, time_limit=60, **legislation_tasks.MAIL_RETRY)
def send_author_confirmation(mailing_id: int) -> bool:
    """Mail the link that confirms a public comment's author's address."""
    return mailing.send_confirmation(mailing_id=mailing_id)


@shared_task(soft_time_limit=50, time_limit=60, **legislation_tasks.MAIL_RETRY)
def notify_author(mailing_id: int, kind: str, ref: int) -> bool:
    """Mail a public comment's confirmed author its receipt, decision or feedback."""
    return mailing.notify(mailing_id=mailing_id, kind=kind, ref=ref)


@shared_task(soft_time_limit=50, time_limit=60)
def remove_expired_captchas() -> None:
    """Delete the public comment form's captcha challenges that have expired."""
    from captcha.models import CaptchaStore

    CaptchaStore.remove_expired()


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=10,
    max_retries=5,
    soft_time_limit=3300,
    time_limit=3500,
)
def group_import(batch_id: int) -> int:
    """
    Put an import batch's comments into near-duplicate groups, after the import
    committed. Idempotent: comments already grouped are skipped.
    """
    from .grouping.services import group_comments

    ids = Comment.objects.filter(import_batch_id=batch_id).values_list("pk", flat=True)
    return group_comments(comment_ids=list(ids))


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=5,
    max_retries=3,
    soft_time_limit=50,
    time_limit=60,
)
def group_new_comments(comment_ids: list[int]) -> int:
    """
    Put comments just entered or submitted into their near-duplicate groups,
    after their entry committed; return how many were grouped.

    Takes along the comments of the same bills entered since that are not
    grouped yet (up to a chunk): when comments come faster than the worker
    groups them, the first task of a burst groups the burst in one set-based
    pass and the tasks after it find their comments done (one query each).
    Idempotent. Never waits for the bill's grouping lock: a comment whose bill
    another writer is grouping is left for the sweep below.
    """
    from .grouping.services import CHUNK, group_comments

    if not comment_ids:
        return 0
    since = (
        Comment.objects.filter(
            pk__gte=min(comment_ids),
            signature__isnull=True,
            bill_id__in=Comment.objects.filter(pk__in=comment_ids).values("bill_id"),
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:CHUNK]
    )
    ids = list(since)
    return group_comments(comment_ids=ids, wait=False) if ids else 0


@shared_task(soft_time_limit=50, time_limit=60)
def group_ungrouped_comments() -> int:
    """
    Every minute: group the comments left ungrouped, those entered while their
    bill was being grouped by another writer (entry never waits for that), or
    whose task was lost.
    """
    from .grouping.services import group_ungrouped

    return group_ungrouped(limit=5000)


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError,),
    retry_backoff=60,
    max_retries=3,
    soft_time_limit=3300,
    time_limit=3500,
)
def build_open_data() -> int:
    """
    Rebuild the open-data files (every public text and comment) and switch the
    manifest to them. Idempotent: a second run publishes an equal set anew.
    """
    from .opendata.build import build_open_data as build

    return len(build().files)
