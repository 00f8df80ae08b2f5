"""What a liaison-point clerk's start page shows: their points and what waits."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from .. import access
from ..models import Consultation, Decision, ImportBatch, LiaisonPoint
from ..services.closing import closing_of
from ._common import User

# How many of each list the start page shows.
SHOWN = 5


@dataclass
class ClerkOverview:
    """A clerk's points, where they can work today, and what waits for them."""

    points: list[LiaisonPoint]
    # The latest consultations at their points, each with whether it takes
    # comments today (entry and import are offered only where it does).
    recent: list[tuple[Consultation, bool]] = field(default_factory=list)
    # Consultations with decided comments whose contributors were not told.
    unanswered: list[Consultation] = field(default_factory=list)
    unanswered_total: int = 0
    failed_imports: list[ImportBatch] = field(default_factory=list)


def clerk_overview(user: User) -> ClerkOverview:
    """
    Return what ``user`` (a clerk) works on: their points; their points' latest
    consultations; the consultations whose decided comments have no feedback
    yet (with the count), and the imports into their points that failed. A
    fixed number of queries.
    """
    points = list(access.points_for(user).order_by("district", "name"))
    consultations = Consultation.objects.filter(point__in=[p.pk for p in points])
    recent = list(
        consultations.select_related("bill", "version").order_by(
            "-held_on", "-opens_on", "-pk"
        )[:SHOWN]
    )
    waiting = Count(
        "comments",
        filter=~Q(comments__status=Decision.PENDING)
        & Q(comments__feedback__isnull=True),
    )
    unanswered = list(
        consultations.annotate(waiting=waiting)
        .filter(waiting__gt=0)
        .select_related("bill")
        .order_by("-waiting", "-pk")
    )
    failed = list(
        ImportBatch.objects.filter(
            consultation__in=consultations, status=ImportBatch.Status.FAILED
        )
        .select_related("consultation")
        .order_by("-created_at", "-pk")[:SHOWN]
    )
    today = timezone.localdate()
    return ClerkOverview(
        points=points,
        recent=[(c, closing_of(c).accepts_on(today)) for c in recent],
        unanswered=unanswered[:SHOWN],
        unanswered_total=sum(c.waiting for c in unanswered),
        failed_imports=failed,
    )
