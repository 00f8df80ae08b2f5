"""
Background tasks of the legislation side: mails to followers of a bill.

Tasks take primary keys, re-fetch, and call a function of
:mod:`legislation.notifications`; they are idempotent (a follower is mailed about
an event once, whatever the retries) and acknowledged late (settings), so a
worker lost mid-task leaves the task to be run again. Services queue them after
commit with ``delay_on_commit``.
"""

from __future__ import annotations

import datetime as dt
import smtplib

from celery import shared_task

from . import notifications

# Mail servers go away for a while; try again with growing pauses (about 20
# minutes over all retries) before giving up.
MAIL_RETRY = {
    "autoretry_for": (smtplib.SMTPException, OSError),
    "retry_backoff": 30,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 5,
}


@shared_task(soft_time_limit=240, time_limit=300, **MAIL_RETRY)
def notify_followers(event_id: int, period: list[str] | None = None) -> int:
    """
    Mail the confirmed followers of a bill about one of its events.

    ``period``: the first and last day (ISO dates) of a comment period opened.
    """
    return notifications.notify_followers(
        event_id=event_id,
        period=tuple(dt.date.fromisoformat(day) for day in period) if period else None,
    )


@shared_task(soft_time_limit=50, time_limit=60, **MAIL_RETRY)
def send_confirmation(subscription_id: int) -> bool:
    """Mail the link that confirms a new follower's address."""
    return notifications.send_confirmation(subscription_id=subscription_id)
