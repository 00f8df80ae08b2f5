"""
Meetings of the Standing Committee: lists, each meeting's agenda (what it read,
reviewed and voted), attendance and corrections, and the votes on a bill.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import (
    Attendance,
    Bill,
    BillEvent,
    CommitteeMember,
    EventKind,
    Meeting,
    MeetingCorrection,
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


# --- a meeting's own page ---------------------------------------------------------

# What a meeting does with a bill: reads it, reviews it (a deferral, the unified
# review when tied to a meeting) or votes on it.
AGENDA_KINDS = (
    EventKind.READING,
    EventKind.VOTE,
    EventKind.VOTE_DEFERRED,
    EventKind.UNIFIED_REVIEW,
)


@dataclass(frozen=True)
class AgendaItem:
    """A bill before the meeting and what the meeting did with it, in order."""

    bill: Bill
    events: list[BillEvent]

    @property
    def votes(self) -> list[Vote]:
        return [e.vote for e in self.events if getattr(e, "vote", None) is not None]


def meeting_list(
    *, term: int | None = None, year: int | None = None, public: bool = True
) -> QuerySet[Meeting]:
    """
    Return the meetings of ``term`` and ``year`` (all when None), latest first,
    each with ``bill_count``: the bills read, reviewed or voted at it (published
    ones for the public). One query.
    """
    events = Q(events__kind__in=AGENDA_KINDS)
    if public:
        events &= Q(events__bill__is_published=True, events__is_public=True)
    meetings = Meeting.objects.annotate(
        bill_count=Count("events__bill", filter=events, distinct=True)
    )
    if term is not None:
        meetings = meetings.filter(term=term)
    if year is not None:
        meetings = meetings.filter(date__year=year)
    return meetings.order_by("-date", "-number", "-pk")


def meeting_terms() -> list[int]:
    """Return the terms of which a meeting is kept, latest first."""
    return list(
        Meeting.objects.order_by("-term").values_list("term", flat=True).distinct()
    )


def meeting_agenda(meeting: Meeting, *, public: bool = True) -> list[AgendaItem]:
    """
    Return the bills read, reviewed or voted at ``meeting``, each with those
    events (and a vote's tally), in the order they were recorded. The public see
    published bills and public entries only. One query.
    """
    return meeting_agendas([meeting], public=public).get(meeting.pk, [])


def meeting_agendas(
    meetings: Iterable[Meeting], *, public: bool = True
) -> dict[int, list[AgendaItem]]:
    """:func:`meeting_agenda` of each of ``meetings``, by meeting id. One query."""
    events = BillEvent.objects.filter(
        meeting__in=[m.pk for m in meetings], kind__in=AGENDA_KINDS
    )
    if public:
        events = events.public().filter(bill__is_published=True)
    agendas: dict[int, dict[int, AgendaItem]] = {}
    for event in events.select_related("bill", "vote").order_by("pk"):
        items = agendas.setdefault(event.meeting_id, {})
        item = items.setdefault(event.bill_id, AgendaItem(bill=event.bill, events=[]))
        item.events.append(event)
    return {pk: list(items.values()) for pk, items in agendas.items()}


def meeting_attendance(meeting: Meeting) -> dict[str, list[CommitteeMember]]:
    """
    Return the members recorded at ``meeting`` by status (``present``,
    ``on_leave``, ``absent``), each in roster order; empty lists when none was
    recorded. One query.
    """
    by_status: dict[str, list[CommitteeMember]] = {
        status: [] for status in Attendance.Status.values
    }
    rows = meeting.attendance.select_related("member").order_by(
        "member__order", "member__pk"
    )
    for row in rows:
        by_status[row.status].append(row.member)
    return by_status


def meeting_corrections(meeting: Meeting) -> QuerySet[MeetingCorrection]:
    """Return the corrections of ``meeting``, oldest first."""
    return meeting.corrections.order_by("corrected_at", "pk")


def term_roster(term: int) -> QuerySet[CommitteeMember]:
    """Return the members of the Standing Committee of ``term``, in roster order."""
    return CommitteeMember.objects.filter(term=term).order_by("order", "pk")
