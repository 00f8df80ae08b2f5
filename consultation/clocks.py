"""
The legal clocks of consultations, and all the day's cases together.

- an online comment period runs at least NPC_MIN_COMMENT_PERIOD_DAYS days, first
  and last day included (立法法 art. 40): shorter ones still open are flagged;
- online comment periods closing within three days are due;
- comments still pending after their consultation closed are due;
- decided comments nobody was told about: feedback is due NPC_FEEDBACK_DAYS
  after the vote on the bill (or after the decision, before a vote), listed
  per point.

:func:`all_cases` adds the bill lifecycle's clocks (``legislation.clocks``); the
staff page "due and overdue" and the daily digest both read it.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, F, Max, Min
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from legislation import clocks
from legislation.clocks import Case, ClockKind
from legislation.models import Bill, BillEvent, EventKind

from .models import Channel, Comment, Consultation, Decision

CLOSING_SOON_DAYS = 3


def period_days(consultation: Consultation) -> int:
    """Return the length of a comment period in days, both ends included."""
    return (consultation.closes_on - consultation.opens_on).days + 1


def comment_period_cases(today: dt.date) -> list[Case]:
    """Online comment periods still open or to come: too short, or closing soon."""
    minimum = settings.NPC_MIN_COMMENT_PERIOD_DAYS
    periods = (
        Consultation.objects.filter(
            channel=Channel.ONLINE,
            opens_on__isnull=False,
            closes_on__gte=today,
        )
        .select_related("bill")
        .order_by("closes_on", "pk")
    )
    cases = []
    for consultation in periods:
        days = period_days(consultation)
        if days < minimum:
            cases.append(
                Case(
                    kind=ClockKind.SHORT_PERIOD,
                    bill=consultation.bill,
                    deadline=consultation.closes_on,
                    overdue=True,
                    subject=consultation.title,
                    detail=_(
                        "%(opens)s至%(closes)s，共%(days)d日，少于法定的%(minimum)d日"
                    )
                    % {
                        "opens": consultation.opens_on,
                        "closes": consultation.closes_on,
                        "days": days,
                        "minimum": minimum,
                    },
                )
            )
        if consultation.closes_on <= today + dt.timedelta(days=CLOSING_SOON_DAYS):
            left = (consultation.closes_on - today).days
            cases.append(
                Case(
                    kind=ClockKind.CLOSING_SOON,
                    bill=consultation.bill,
                    deadline=consultation.closes_on,
                    overdue=False,
                    subject=consultation.title,
                    detail=_("%(closes)s截止（还有%(left)d日）")
                    % {"closes": consultation.closes_on, "left": left}
                    if left
                    else _("今日截止"),
                )
            )
    return cases


def pending_comment_cases(today: dt.date) -> list[Case]:
    """
    Consultations over (period closed, or meeting held) with comments pending.

    Two queries: the pending comments counted per consultation in one pass over
    the comment table (a million comments: a fraction of a second, where a count
    joined per consultation takes seconds), then the consultations that ended.
    """
    pending = dict(
        Comment.objects.filter(status=Decision.PENDING)
        .order_by()
        .values_list("consultation_id")
        .annotate(n=Count("pk"))
    )
    if not pending:
        return []
    consultations = (
        Consultation.objects.annotate(ended_on=Coalesce(F("closes_on"), F("held_on")))
        .filter(ended_on__lt=today, pk__in=list(pending))
        .select_related("bill")
        .order_by("ended_on", "pk")
    )
    return [
        Case(
            kind=ClockKind.COMMENTS_PENDING,
            bill=consultation.bill,
            deadline=consultation.ended_on,
            overdue=False,
            subject=consultation.title,
            detail=_("%(ended)s结束，%(pending)d条意见待研究")
            % {"ended": consultation.ended_on, "pending": pending[consultation.pk]},
        )
        for consultation in consultations
    ]


# A feedback case shows this long before it is due.
FEEDBACK_WARNING = dt.timedelta(days=7)


def feedback_cases(today: dt.date) -> list[Case]:
    """
    Per bill and point, the decided comments without feedback whose feedback
    is due within a week or overdue. Two queries.
    """
    days = dt.timedelta(days=settings.NPC_FEEDBACK_DAYS)
    votes = dict(
        BillEvent.objects.filter(kind=EventKind.VOTE)
        .order_by()
        .values_list("bill_id")
        .annotate(on=Max("on"))
    )
    groups = (
        Comment.objects.exclude(status=Decision.PENDING)
        .filter(feedback__isnull=True)
        .order_by()
        .values("bill_id", "bill__title", "bill__slug", "point_id", "point__name")
        .annotate(n=Count("pk"), first=Min("decided_at"))
    )
    cases = []
    for group in groups:
        start = votes.get(group["bill_id"]) or timezone.localdate(group["first"])
        deadline = start + days
        if deadline > today + FEEDBACK_WARNING:
            continue
        bill = Bill(
            pk=group["bill_id"], title=group["bill__title"], slug=group["bill__slug"]
        )
        cases.append(
            Case(
                kind=ClockKind.FEEDBACK_DUE,
                bill=bill,
                deadline=deadline,
                overdue=deadline < today,
                subject=group["point__name"] or _("未经基层立法联系点的意见"),
                detail=_("%(count)d条已处理的意见尚未反馈，应于%(deadline)s前反馈")
                % {"count": group["n"], "deadline": deadline},
            )
        )
    return cases


def all_cases(today: dt.date) -> list[Case]:
    """Every deadline due or overdue on ``today``, overdue first."""
    return clocks.ordered(
        [
            *comment_period_cases(today),
            *pending_comment_cases(today),
            *feedback_cases(today),
            *clocks.bill_cases(today),
        ]
    )
