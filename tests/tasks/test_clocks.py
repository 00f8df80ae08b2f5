"""
Legal clocks: the cases due and overdue today, the staff page that lists them,
and the daily check that mails staff the digest (once a day).

Cases are seeded relative to today, through the services where a stage moves.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from consultation import clocks
from consultation.models import Channel, Decision
from consultation.tasks import check_legal_clocks
from legislation import services
from legislation.clocks import add_months
from legislation.models import DailyDigest, Stage
from npc.core import roles
from tests.factories import (
    BillFactory,
    CommentFactory,
    ConsultationFactory,
    UserFactory,
)
from tests.legislation.lifecycle import Clock, walk_to

TODAY = timezone.localdate()


def _days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


class _Clock(Clock):
    """Meetings two days apart from early 2023: long before any seeded date."""

    def __init__(self) -> None:
        super().__init__()
        self.day = dt.date(2023, 1, 15)

    def date(self) -> dt.date:
        self.day += dt.timedelta(days=2)
        return self.day


_clock = _Clock()


@pytest.fixture(autouse=True)
def _fresh_clock() -> None:
    global _clock
    _clock = _Clock()


def _passed(title: str):  # noqa: ANN202
    return walk_to(BillFactory(title=title, plan_year=2023), Stage.PASSED, _clock)


def _approved(title: str):  # noqa: ANN202
    bill = _passed(title)
    services.request_approval(bill=bill, on=_days(-200), by=None)
    services.record_approval(bill=bill, approved=True, on=_days(-190), by=None)
    return bill


def _promulgated(title: str, on: dt.date):  # noqa: ANN202
    bill = _approved(title)
    services.promulgate(
        bill=bill, on=on, announcement_number="第1号", effective_on=_days(60), by=None
    )
    return bill


def _submitted(title: str, on: dt.date):  # noqa: ANN202
    bill = BillFactory(title=title, plan_year=2023)
    services.start_drafting(bill=bill, on=dt.date(2023, 2, 1), by=None)
    services.submit_bill(bill=bill, on=on, by=None)
    return bill


@pytest.fixture
def seeded(bill, draft, point_a):
    """One case of each kind, due or overdue, and as many that are not cases."""
    approval_overdue = _passed("审批逾期条例")
    services.request_approval(bill=approval_overdue, on=add_months(TODAY, -5), by=None)
    approval_due = _passed("审批将到期条例")
    services.request_approval(
        bill=approval_due, on=add_months(TODAY, -4) + dt.timedelta(days=10), by=None
    )
    approval_fresh = _passed("刚报批条例")
    services.request_approval(bill=approval_fresh, on=_days(-20), by=None)

    filing_overdue = _promulgated("备案逾期条例", _days(-45))
    filing_due = _promulgated("备案期内条例", _days(-10))
    filed = _promulgated("已备案条例", _days(-40))
    services.record_filing(bill=filed, on=_days(-20), by=None)

    shelved = _submitted("搁置两年条例", add_months(TODAY, -24) - dt.timedelta(days=5))
    shelved_soon = _submitted("将满两年条例", add_months(TODAY, -24) + dt.timedelta(30))
    _submitted("新提请条例", _days(-100))

    ConsultationFactory(
        bill=bill,
        version=draft,
        channel=Channel.ONLINE,
        point=None,
        title="期限过短的网上征求意见",
        held_on=None,
        opens_on=_days(-5),
        closes_on=_days(10),
    )
    ConsultationFactory(
        bill=bill,
        version=draft,
        channel=Channel.ONLINE,
        point=None,
        title="即将截止的网上征求意见",
        held_on=None,
        opens_on=_days(-28),
        closes_on=_days(2),
    )
    ConsultationFactory(
        bill=bill,
        version=draft,
        channel=Channel.ONLINE,
        point=None,
        title="早已结束的网上征求意见",
        held_on=None,
        opens_on=_days(-100),
        closes_on=_days(-60),
    )
    meeting = ConsultationFactory(
        bill=bill, version=draft, point=point_a, held_on=_days(-20), title="座谈会甲"
    )
    CommentFactory.create_batch(2, consultation=meeting)
    CommentFactory(
        consultation=meeting,
        status=Decision.ADOPTED,
        explanation="已采纳",
    )
    decided = ConsultationFactory(
        bill=bill, version=draft, point=point_a, held_on=_days(-20), title="座谈会乙"
    )
    CommentFactory(consultation=decided, status=Decision.FOR_REFERENCE)
    upcoming = ConsultationFactory(
        bill=bill, version=draft, point=point_a, held_on=_days(5), title="座谈会丙"
    )
    CommentFactory(consultation=upcoming)

    return {
        ("approval_pending", approval_overdue.title, True),
        ("approval_pending", approval_due.title, False),
        ("filing_due", filing_overdue.title, True),
        ("filing_due", filing_due.title, False),
        ("shelved", shelved.title, True),
        ("shelved", shelved_soon.title, False),
        ("short_period", bill.title, True),
        ("closing_soon", bill.title, False),
        ("comments_pending", bill.title, False),
    }


def test_the_day_s_cases_are_the_seeded_ones_overdue_first(seeded):
    cases = clocks.all_cases(TODAY)

    assert {(c.kind, c.bill.title, c.overdue) for c in cases} == seeded
    assert [c.overdue for c in cases] == sorted(
        (c.overdue for c in cases), reverse=True
    )
    pending = next(c for c in cases if c.kind == "comments_pending")
    assert pending.subject == "座谈会甲"
    assert "2条意见待研究" in pending.detail
    short = next(c for c in cases if c.kind == "short_period")
    assert "共16日，少于法定的30日" in short.detail


def test_the_minimum_comment_period_is_a_setting(seeded, settings):
    settings.NPC_MIN_COMMENT_PERIOD_DAYS = 15

    kinds = {c.kind for c in clocks.all_cases(TODAY)}

    assert "short_period" not in kinds


def test_add_months_keeps_the_day_or_takes_the_month_s_last():
    assert add_months(dt.date(2024, 10, 31), 4) == dt.date(2025, 2, 28)
    assert add_months(dt.date(2024, 1, 15), -24) == dt.date(2022, 1, 15)


def test_staff_see_the_due_and_overdue_page(client, staff, seeded):
    client.force_login(staff)

    response = client.get(reverse("staff:due"))

    page = response.content.decode()
    assert response.status_code == 200
    for _kind, title, _overdue in seeded:
        assert title in page
    assert "已逾期或需立即处理（4）" in page
    assert "即将到期及待办（5）" in page
    assert "刚报批条例" not in page
    assert "已备案条例" not in page


def test_the_due_page_costs_the_same_queries_with_more_cases(
    client, staff, seeded, django_assert_num_queries, django_assert_max_num_queries
):
    client.force_login(staff)
    client.get(reverse("staff:due"))  # warm up: sessions, content types
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("staff:due"))
    _promulgated("又一部备案逾期条例", _days(-50))
    _submitted("又一部搁置两年条例", add_months(TODAY, -25))

    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(reverse("staff:due"))
    assert "又一部备案逾期条例" in response.content.decode()


@pytest.mark.parametrize("who", ["anonymous", "clerk_a"])
def test_the_due_page_is_for_legislative_staff(client, who, request, db):
    if who != "anonymous":
        client.force_login(request.getfixturevalue(who))

    response = client.get(reverse("staff:due"))

    assert response.status_code in (302, 403)
    if who == "anonymous":
        assert response["Location"].startswith(reverse("login"))


def test_the_daily_check_mails_staff_the_digest_once_a_day(
    seeded, staff, clerk_a, settings
):
    settings.SITE_URL = "https://laws.example.org"
    staff.email = "staff@example.org"
    staff.save()
    UserFactory(username="staff2", email="", role=roles.LEGISLATIVE_STAFF)
    UserFactory(
        username="gone", email="gone@example.org", role=roles.LEGISLATIVE_STAFF
    ).__class__.objects.filter(username="gone").update(is_active=False)
    clerk_a.email = "clerk@example.org"
    clerk_a.save()

    check_legal_clocks.delay(TODAY.isoformat())

    (message,) = mail.outbox
    assert message.to == ["staff@example.org"]
    assert "已逾期4项，即将到期5项" in message.subject
    for _kind, title, _overdue in seeded:
        assert title in message.body
    assert "https://laws.example.org/staff/due/" in message.body
    digest = DailyDigest.objects.get(day=TODAY)
    assert digest.recipients == 1
    assert digest.cases["overdue"] == 4
    assert digest.cases["due"] == 5
    assert digest.cases["by_kind"]["filing_due"] == 2

    check_legal_clocks.delay(TODAY.isoformat())  # beat fires again, or a retry
    assert len(mail.outbox) == 1


def test_a_day_with_nothing_due_is_recorded_and_mails_no_one(staff):
    staff.email = "staff@example.org"
    staff.save()

    check_legal_clocks.delay(TODAY.isoformat())

    assert mail.outbox == []
    assert DailyDigest.objects.get(day=TODAY).cases["overdue"] == 0


def test_the_daily_check_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["legal-clocks-daily"]

    assert entry["task"] == check_legal_clocks.name
    assert entry["schedule"].hour == {7}
