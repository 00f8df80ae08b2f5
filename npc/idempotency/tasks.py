"""Forget kept answers to idempotent requests once they are old enough."""

import datetime as dt

from celery import shared_task
from django.conf import settings

from . import middleware


@shared_task(soft_time_limit=240, time_limit=300)
def purge_idempotency_keys() -> int:
    """Delete the answers kept longer than NPC_IDEMPOTENCY_HOURS."""
    return middleware.purge(
        older_than=dt.timedelta(hours=settings.NPC_IDEMPOTENCY_HOURS)
    )
