"""
The legal clocks of the bill lifecycle (DESIGN §1): which deadlines are near and
which have passed, on a given day.

- provincial approval is due within four months of the request (立法法 art. 81);
- the filing (备案) is due within 30 days of promulgation (art. 109);
- a bill on the Standing Committee's agenda (submitted, or between readings)
  and shelved for two years before the vote may be terminated
  (art. 45).

Selectors only: each check is one query, whatever the number of bills. The
consultation side adds its own clocks (comment periods, pending comments) in
``consultation.clocks``, which combines both for the staff page and the digest.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, Max, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import UNDER_DELIBERATION, Bill, BillEvent, EventKind, Stage

APPROVAL_MONTHS = 4
FILING_DAYS = 30
SHELVED_YEARS = 2
# How long before a deadline a case appears as "due".
APPROVAL_WARNING = dt.timedelta(days=30)
SHELVED_WARNING = dt.timedelta(days=90)


class ClockKind:
    """Stable codes of the kinds of cases, with their labels."""

    SHORT_PERIOD = "short_period"
    CLOSING_SOON = "closing_soon"
    COMMENTS_PENDING = "comments_pending"
    APPROVAL_PENDING = "approval_pending"
    FILING_DUE = "filing_due"
    SHELVED = "shelved"
    FEEDBACK_DUE = "feedback_due"

    LABELS = {
        SHORT_PERIOD: gettext_lazy("征求意见期限不足"),
        CLOSING_SOON: gettext_lazy("征求意见即将截止"),
        COMMENTS_PENDING: gettext_lazy("征求意见结束后仍有意见待研究"),
        APPROVAL_PENDING: gettext_lazy("报请批准待省人大常委会批准"),
        FILING_DUE: gettext_lazy("公布后报送备案"),
        SHELVED: gettext_lazy("搁置审议满两年"),
        FEEDBACK_DUE: gettext_lazy("意见办理情况待反馈"),
    }


@dataclass(frozen=True)
class Case:
    """One deadline that needs staff's attention."""

    kind: str
    bill: Bill
    deadline: dt.date
    overdue: bool
    detail: str
    # The object the case is about, for the staff page's link (a bill by default).
    url: str = ""
    subject: str = ""

    @property
    def label(self) -> str:
        return str(ClockKind.LABELS[self.kind])

    @property
    def link(self) -> str:
        return self.url or reverse("staff:bill-detail", kwargs={"slug": self.bill.slug})

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary, without personal data."""
        return {
            "kind": self.kind,
            "bill": self.bill.pk,
            "title": self.bill.title,
            "subject": self.subject,
            "deadline": self.deadline.isoformat(),
            "overdue": self.overdue,
            "detail": self.detail,
        }


def add_months(day: dt.date, months: int) -> dt.date:
    """Add calendar months; the 31st becomes the month's last day if shorter."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _date_of(kind: EventKind) -> Max:
    return Max("events__on", filter=Q(events__kind=kind))


def approval_cases(today: dt.date) -> list[Case]:
    """Bills sent for provincial approval whose four months end soon or ended."""
    bills = (
        Bill.objects.filter(stage=Stage.APPROVAL_REQUESTED)
        .annotate(requested_on=_date_of(EventKind.APPROVAL_REQUESTED))
        .filter(requested_on__isnull=False)
        .order_by("requested_on", "pk")
    )
    cases = []
    for bill in bills:
        deadline = add_months(bill.requested_on, APPROVAL_MONTHS)
        if today < deadline - APPROVAL_WARNING:
            continue
        cases.append(
            Case(
                kind=ClockKind.APPROVAL_PENDING,
                bill=bill,
                deadline=deadline,
                overdue=today > deadline,
                detail=_("%(on)s报请批准，应在四个月内获批")
                % {"on": bill.requested_on},
            )
        )
    return cases


def filing_cases(today: dt.date) -> list[Case]:
    """Promulgated regulations not yet sent for filing, due or overdue."""
    filed = BillEvent.objects.filter(bill=OuterRef("pk"), kind=EventKind.FILED)
    bills = (
        Bill.objects.filter(stage__in=(Stage.PROMULGATED, Stage.IN_FORCE))
        .annotate(promulgated_on=_date_of(EventKind.PROMULGATED), filed=Exists(filed))
        .filter(filed=False, promulgated_on__isnull=False)
        .order_by("promulgated_on", "pk")
    )
    cases = []
    for bill in bills:
        deadline = bill.promulgated_on + dt.timedelta(days=FILING_DAYS)
        cases.append(
            Case(
                kind=ClockKind.FILING_DUE,
                bill=bill,
                deadline=deadline,
                overdue=today > deadline,
                detail=_("%(on)s公布，应在三十日内报送备案，尚未记录备案")
                % {"on": bill.promulgated_on},
            )
        )
    return cases


def shelved_cases(today: dt.date) -> list[Case]:
    """
    Bills on the agenda whose stage has not changed for (nearly) two years.

    Article 45 concerns bills put before the Standing Committee (submitted, or
    read and not yet voted on); a bill still planned or being drafted is not
    under deliberation, so it cannot be shelved.
    """
    bills = (
        Bill.objects.filter(stage__in=UNDER_DELIBERATION)
        .annotate(last_move=Max("events__on", filter=~Q(events__to_stage="")))
        .filter(last_move__isnull=False)
        .order_by("last_move", "pk")
    )
    cases = []
    for bill in bills:
        deadline = add_months(bill.last_move, 12 * SHELVED_YEARS)
        if today < deadline - SHELVED_WARNING:
            continue
        cases.append(
            Case(
                kind=ClockKind.SHELVED,
                bill=bill,
                deadline=deadline,
                overdue=today >= deadline,
                detail=_("自%(on)s起停留在“%(stage)s”阶段，搁置满两年的可终止审议")
                % {"on": bill.last_move, "stage": bill.get_stage_display()},
            )
        )
    return cases


def bill_cases(today: dt.date) -> list[Case]:
    """Every case of the bill lifecycle on ``today``."""
    return [*approval_cases(today), *filing_cases(today), *shelved_cases(today)]


def ordered(cases: list[Case]) -> list[Case]:
    """Overdue first, then by deadline."""
    return sorted(cases, key=lambda c: (not c.overdue, c.deadline, c.kind, c.bill.pk))
