"""The consultation admin: decisions through the action, edits through services."""

import datetime as dt

import pytest
from django.urls import reverse

from consultation import services
from consultation.models import Comment, Consultation, Decision, DecisionRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def comments(consultation_a, staff):
    return [
        services.enter_comment(
            by=staff,
            consultation=consultation_a,
            text=f"意见{i}",
            contributor_name="王芳",
            contributor_contact="13912345678",
        )
        for i in range(3)
    ]


def test_staff_decide_selected_comments_with_the_action(
    client, administrator, comments
):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:consultation_comment_changelist"),
        {
            "action": "decide",
            "_selected_action": [c.pk for c in comments],
            "status": Decision.NOT_ADOPTED,
            "reason": "higher_law_provides",
            "explanation": "上位法已有规定。",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert Comment.objects.filter(status=Decision.NOT_ADOPTED).count() == 3
    assert DecisionRecord.objects.filter(decided_by=administrator).count() == 3


def test_an_incomplete_decision_in_the_admin_is_refused_with_a_message(
    client, administrator, comments
):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:consultation_comment_changelist"),
        {
            "action": "decide",
            "_selected_action": [c.pk for c in comments],
            "status": Decision.NOT_ADOPTED,
        },
        follow=True,
    )
    assert "须选择理由" in response.content.decode()
    assert not Comment.objects.decided().exists()


def test_a_comment_page_shows_its_contributor_and_history(client, staff, comments):
    client.force_login(staff)
    response = client.get(
        reverse("admin:consultation_comment_change", args=[comments[0].pk])
    )
    assert response.status_code == 200
    assert "13912345678" in response.content.decode()


def test_a_consultation_added_in_the_admin_goes_through_the_service(
    client, administrator, draft, point_a
):
    client.force_login(administrator)
    response = client.post(
        reverse("admin:consultation_consultation_add"),
        {
            "bill": draft.bill.pk,
            "version": draft.pk,
            "channel": "liaison_point",
            "point": point_a.pk,
            "title": "意见征询会",
            "held_on": "2024-09-20",
            "participants": "10",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    consultation = Consultation.objects.get()
    assert consultation.held_on == dt.date(2024, 9, 20)
    assert consultation.created_by == administrator
    assert draft.bill.events.filter(kind="consultation_opened").exists()


def test_a_frozen_change_in_the_admin_is_refused_with_a_message(
    client, administrator, consultation_a, comments
):
    client.force_login(administrator)
    url = reverse("admin:consultation_consultation_change", args=[consultation_a.pk])
    response = client.post(
        url,
        {
            "bill": consultation_a.bill_id,
            "version": consultation_a.version_id,
            "channel": "symposium",
            "point": consultation_a.point_id,
            "title": consultation_a.title,
            "held_on": "2024-09-10",
            "participants": "12",
            "is_published": "on",
        },
        follow=True,
    )
    assert "不能再更改" in response.content.decode()
    consultation_a.refresh_from_db()
    assert consultation_a.channel == "liaison_point"
