"""A bill's timeline, whole for staff or as the public sees it, and the feeds."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from ..models import (
    Bill,
    BillEvent,
    EventKind,
)


def timeline(bill: Bill, *, public: bool) -> QuerySet[BillEvent]:
    """
    Return the bill's events, oldest first, with what each row shows.

    The public timeline leaves out internal bookkeeping and the arrival of draft
    versions that are not published (their titles are not public yet).
    """
    if public:
        events = _public_events().filter(bill=bill).select_related("corrects")
    else:
        events = bill.events.select_related(
            "meeting", "version", "recorded_by", "corrects"
        )
    return events.order_by("on", "recorded_at", "pk")


def _public_events() -> QuerySet[BillEvent]:
    return (
        BillEvent.objects.public()
        .exclude(kind=EventKind.VERSION_ADDED, version__is_published=False)
        .select_related("meeting", "version")
    )


def with_public_timeline(bills: QuerySet[Bill]) -> QuerySet[Bill]:
    """
    Prefetch each bill's public timeline into ``public_events`` (one query for
    all), so that ``bill_status(bill, bill.public_events)`` runs none.
    """
    return bills.prefetch_related(
        Prefetch(
            "events",
            queryset=_public_events().order_by("on", "recorded_at", "pk"),
            to_attr="public_events",
        )
    )


def public_events(*, bill: Bill | None = None, limit: int = 50) -> QuerySet[BillEvent]:
    """
    Return the latest public events of published bills (of one bill if given),
    newest first, for feeds.
    """
    events = _public_events().filter(bill__is_published=True).select_related("bill")
    if bill is not None:
        events = events.filter(bill=bill)
    return events.order_by("-on", "-recorded_at", "-pk")[:limit]
