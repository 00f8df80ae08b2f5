"""Meetings of the Standing Committee, and the votes on a bill taken at them."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from ..models import (
    Bill,
    Meeting,
    Vote,
)


def upcoming_meetings(*, today: dt.date | None = None, limit: int = 3) -> list[Meeting]:
    """Return the next Standing Committee meetings from ``today`` on, soonest first."""
    today = today or timezone.localdate()
    return list(Meeting.objects.filter(date__gte=today).order_by("date")[:limit])


def recent_meetings(*, today: dt.date | None = None, limit: int = 3) -> list[Meeting]:
    """Return the last meetings before ``today``, latest first."""
    today = today or timezone.localdate()
    return list(Meeting.objects.filter(date__lt=today).order_by("-date")[:limit])


def bill_votes(bill: Bill) -> QuerySet[Vote]:
    """Return the votes on the bill with their meetings, oldest first."""
    return bill.votes.select_related("meeting", "recorded_by").order_by(
        "meeting__date", "pk"
    )


def meeting_years() -> list[int]:
    """Return the years in which the Standing Committee met, latest first."""
    return sorted({d.year for d in Meeting.objects.dates("date", "year")}, reverse=True)


def meetings_in_year(year: int) -> int:
    """Count the Standing Committee's meetings held in ``year``."""
    return Meeting.objects.filter(date__year=year).count()
