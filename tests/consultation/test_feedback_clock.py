"""
Feedback has a clock: decided comments nobody was told about are due
NPC_FEEDBACK_DAYS after the vote (or the decision), listed per point on the
due-dates page and in the daily digest, until feedback is recorded.
"""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from consultation import clocks, services
from consultation.models import Decision, Feedback
from consultation.tasks import check_legal_clocks

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(consultation_a, consultation_b, staff):
    made = [
        services.enter_comment(by=staff, consultation=c, text=f"意见{i}")
        for i, c in enumerate((consultation_a, consultation_a, consultation_b))
    ]
    services.decide_comments(
        comments=made, status=Decision.FOR_REFERENCE, by=staff, explanation="参考。"
    )
    return made


def _feedback(today):
    return [c for c in clocks.all_cases(today) if c.kind == "feedback_due"]


def test_feedback_is_due_per_point_after_the_decision(decided, settings, point_a):
    settings.NPC_FEEDBACK_DAYS = 10
    today = timezone.localdate()
    assert _feedback(today) == []  # due in ten days: not yet shown
    later = today + dt.timedelta(days=11)
    cases = {c.subject: c for c in _feedback(later)}
    assert set(cases) == {point_a.name, decided[2].point.name}
    case = cases[point_a.name]
    assert case.overdue and case.deadline == today + dt.timedelta(days=10)
    assert "2条已处理的意见尚未反馈" in case.detail


def test_recorded_feedback_stops_the_clock(decided, settings, staff, point_a):
    settings.NPC_FEEDBACK_DAYS = 0
    services.record_feedback(
        by=staff,
        comments=decided[:2],
        channel=Feedback.Channel.POINT,
        given_on=timezone.localdate(),
    )
    later = timezone.localdate() + dt.timedelta(days=1)
    assert [c.subject for c in _feedback(later)] == [decided[2].point.name]


def test_the_due_page_and_the_digest_list_overdue_feedback(
    decided, settings, client, staff, point_b
):
    settings.NPC_FEEDBACK_DAYS = 0
    settings.SITE_URL = "https://laws.example.org"
    staff.email = "staff@example.org"
    staff.save()
    client.force_login(staff)
    page = client.get("/staff/due/").content.decode()
    assert "意见办理情况待反馈" in page and point_b.name in page
    later = timezone.localdate() + dt.timedelta(days=1)
    check_legal_clocks.delay(later.isoformat())
    (message,) = mail.outbox
    assert point_b.name in message.body
