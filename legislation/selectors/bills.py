"""Lists of bills: those a reader may see, the public lists, the staff's lists."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Model, QuerySet

from npc.core.roles import is_legislative_staff

from ..models import (
    FINAL,
    Bill,
    BillEvent,
    EventKind,
    Stage,
)
from .events import with_public_timeline


def visible_bills(user: Model | AnonymousUser) -> QuerySet[Bill]:
    """Return the bills ``user`` may read: all for staff, published ones for others."""
    if is_legislative_staff(user):
        return Bill.objects.all()
    return Bill.objects.published()


def bills_in_progress() -> QuerySet[Bill]:
    """Published bills on their way (not in a final stage), most recent plan first."""
    return with_public_timeline(
        Bill.objects.published()
        .exclude(stage__in=FINAL)
        .order_by("-plan_year", "title", "pk")
    )


def public_bill_list() -> QuerySet[Bill]:
    """Published bills for the public list, newest plan year first."""
    return Bill.objects.published().order_by("-plan_year", "title", "pk")


def stage_counts() -> dict[str, int]:
    """Count all bills by stage, for the staff home page. One query."""
    rows = Bill.objects.order_by().values_list("stage").annotate(n=Count("pk"))
    return dict(rows)


def staff_bills() -> QuerySet[Bill]:
    """All bills for the staff list, newest plan year first."""
    return Bill.objects.order_by("-plan_year", "title", "pk")


def regulations_passed_years() -> list[int]:
    """Return the years in which a published bill was passed, latest first."""
    return sorted(
        {
            d.year
            for d in BillEvent.objects.filter(
                kind=EventKind.VOTE, to_stage=Stage.PASSED, bill__is_published=True
            ).dates("on", "year")
        },
        reverse=True,
    )
