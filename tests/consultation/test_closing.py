"""
A consultation closes: after its end date, or without one after the vote on its
bill, no comment enters it (entry page, API, import, move) unless staff reopen it
with a reason, which is kept and shown to staff.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from consultation import services
from consultation.errors import ConsultationClosed, InvalidReopening, NotPermitted
from consultation.models import (
    Channel,
    Comment,
    ConsultationReopening,
    DecisionRecord,
    ImportBatch,
)
from legislation import services as legislation_services
from tests.api.conftest import client_for

from .test_imports import csv_bytes
from .test_views import entry_data

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
ROW = ["建议明确检查频次。", "", "", "", "", "", "", ""]


def voted(bill, staff, meetings):
    """Take ``bill`` through its readings to a vote at the last meeting."""
    legislation_services.start_drafting(bill=bill, on=dt.date(2024, 1, 22), by=staff)
    legislation_services.submit_bill(bill=bill, on=dt.date(2024, 1, 25), by=staff)
    for meeting in meetings[: bill.planned_readings]:
        legislation_services.record_reading(bill=bill, meeting=meeting, by=staff)
    return legislation_services.record_vote(
        bill=bill,
        meeting=meetings[-1],
        yes=40,
        no=0,
        abstain=0,
        by=staff,
        undecided_reason="送达较晚。",
    )


@pytest.fixture
def past_period(draft, staff):
    """An online comment period that ended yesterday."""
    return services.record_consultation(
        by=staff,
        bill=draft.bill,
        version=draft,
        channel=Channel.ONLINE,
        title="网上公开征求意见",
        opens_on=TODAY - dt.timedelta(days=40),
        closes_on=TODAY - dt.timedelta(days=1),
    )


@pytest.fixture
def open_period(draft, staff):
    """An online comment period that ends today."""
    return services.record_consultation(
        by=staff,
        bill=draft.bill,
        version=draft,
        channel=Channel.ONLINE,
        title="网上公开征求意见（第二次）",
        opens_on=TODAY - dt.timedelta(days=29),
        closes_on=TODAY,
    )


# --- the rule -----------------------------------------------------------------


def test_a_period_accepts_comments_up_to_and_including_its_last_day(
    open_period, past_period
):
    assert services.is_accepting(open_period)
    assert not services.is_accepting(open_period, on=TODAY + dt.timedelta(days=1))
    assert not services.is_accepting(past_period)
    with pytest.raises(ConsultationClosed, match="截止"):
        services.ensure_accepting(past_period)


def test_a_meeting_without_end_date_closes_with_the_vote_on_its_bill(
    consultation_a, bill, staff, meetings
):
    assert services.is_accepting(consultation_a)
    vote = voted(bill, staff, meetings)
    assert not services.is_accepting(consultation_a)
    assert services.is_accepting(consultation_a, on=vote.meeting.date - dt.timedelta(1))
    with pytest.raises(ConsultationClosed, match="表决"):
        services.ensure_accepting(consultation_a)


# --- entry --------------------------------------------------------------------


def test_the_entry_page_refuses_a_comment_after_the_end_and_writes_nothing(
    client, staff, past_period
):
    client.force_login(staff)
    url = reverse("staff:comment-entry", args=[past_period.pk])
    response = client.post(url, entry_data())
    assert response.status_code == 200
    assert "本次征求意见已于" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_api_refuses_a_comment_after_the_vote_with_409(
    consultation_a, bill, staff, meetings
):
    voted(bill, staff, meetings)
    response = client_for(staff).post(
        "/api/v1/comments/",
        {"consultation": consultation_a.pk, "text": "建议加强宣传。"},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "consultation_closed"
    assert not Comment.objects.exists()


def test_the_consultation_page_offers_no_entry_once_closed(
    client, staff, past_period, open_period
):
    client.force_login(staff)
    closed = client.get(reverse("staff:consultation-detail", args=[past_period.pk]))
    entry = reverse("staff:comment-entry", args=[past_period.pk])
    assert entry not in closed.content.decode()
    assert "截止" in closed.content.decode()
    still = client.get(reverse("staff:consultation-detail", args=[open_period.pk]))
    assert reverse("staff:comment-entry", args=[open_period.pk]) in (
        still.content.decode()
    )


# --- import -------------------------------------------------------------------


def test_an_import_into_a_closed_consultation_is_refused_whole_at_upload(
    staff, past_period, media_root
):
    response = client_for(staff).post(
        "/api/v1/imports/",
        {
            "consultation": past_period.pk,
            "file": SimpleUploadedFile("意见.csv", csv_bytes([ROW, ROW])),
        },
        format="multipart",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "consultation_closed"
    assert "不能再录入、导入或移入意见" in response.json()["detail"]
    assert not ImportBatch.objects.exists() and not Comment.objects.exists()


def test_a_batch_whose_consultation_closed_before_it_ran_fails_with_nothing_written(
    consultation_a, bill, staff, meetings, media_root
):
    batch = services.start_import(
        by=staff,
        consultation=consultation_a,
        uploaded_file=SimpleUploadedFile("意见.csv", csv_bytes([ROW, ROW])),
    )
    voted(bill, staff, meetings)  # before the queued batch runs
    batch = services.run_import(batch_id=batch.pk)
    assert batch.status == ImportBatch.Status.FAILED
    assert "该法规案已于" in batch.errors[0]["message"]
    assert not Comment.objects.exists()


# --- move ---------------------------------------------------------------------


def test_a_comment_moves_into_an_open_consultation_of_the_same_bill(
    staff, consultation_a, open_period
):
    comment = services.enter_comment(
        by=staff, consultation=consultation_a, text="建议加强宣传。"
    )
    response = client_for(staff).post(
        f"/api/v1/comments/{comment.pk}/move/",
        {"consultation": open_period.pk, "revision": comment.revision},
        format="json",
    )
    assert response.status_code == 200, response.json()
    comment.refresh_from_db()
    assert comment.consultation == open_period and comment.point_id is None
    assert response.json()["consultation"] == open_period.pk


def test_a_comment_is_not_moved_into_a_closed_consultation(
    staff, consultation_a, past_period
):
    comment = services.enter_comment(
        by=staff, consultation=consultation_a, text="建议加强宣传。"
    )
    response = client_for(staff).post(
        f"/api/v1/comments/{comment.pk}/move/",
        {"consultation": past_period.pk},
        format="json",
    )
    assert response.status_code == 409
    assert response.json()["code"] == "consultation_closed"
    comment.refresh_from_db()
    assert comment.consultation == consultation_a and comment.revision == 1


# --- reopening ----------------------------------------------------------------


def test_staff_reopen_with_a_reason_and_comments_enter_again(staff, past_period):
    until = TODAY + dt.timedelta(days=3)
    response = client_for(staff).post(
        f"/api/v1/consultations/{past_period.pk}/reopenings/",
        {"until": until.isoformat(), "reason": "书面意见逾期送达，补录。"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json()["reason"] == "书面意见逾期送达，补录。"
    assert response.json()["reopened_by"] == "staff"
    services.enter_comment(by=staff, consultation=past_period, text="建议加强宣传。")
    assert not services.is_accepting(past_period, on=until + dt.timedelta(days=1))
    listed = client_for(staff).get(
        f"/api/v1/consultations/{past_period.pk}/reopenings/"
    )
    assert [r["until"] for r in listed.json()] == [until.isoformat()]


@pytest.mark.parametrize(
    ("reason", "until", "code"),
    [
        ("", 3, "invalid_reopening"),
        ("补录。", -1, "invalid_reopening"),
    ],
)
def test_a_reopening_needs_a_reason_and_a_day_not_past(
    staff, past_period, reason, until, code
):
    with pytest.raises(InvalidReopening):
        services.reopen_consultation(
            consultation=past_period,
            by=staff,
            reason=reason,
            until=TODAY + dt.timedelta(days=until),
        )
    assert not ConsultationReopening.objects.exists()


def test_a_clerk_cannot_reopen(clerk_a, consultation_a, bill, staff, meetings):
    voted(bill, staff, meetings)
    with pytest.raises(NotPermitted):
        services.reopen_consultation(
            consultation=consultation_a, by=clerk_a, reason="补录。", until=TODAY
        )
    response = client_for(clerk_a).post(
        f"/api/v1/consultations/{consultation_a.pk}/reopenings/",
        {"until": TODAY.isoformat(), "reason": "补录。"},
        format="json",
    )
    assert response.status_code == 403


def test_the_staff_page_reopens_and_shows_the_reopening(client, staff, past_period):
    client.force_login(staff)
    detail = reverse("staff:consultation-detail", args=[past_period.pk])
    page = client.get(detail).content.decode()
    assert reverse("staff:consultation-reopen", args=[past_period.pk]) in page
    refused = client.post(
        reverse("staff:consultation-reopen", args=[past_period.pk]),
        {"until": TODAY.isoformat(), "reason": ""},
    )
    assert refused.status_code == 400 and not ConsultationReopening.objects.exists()
    response = client.post(
        reverse("staff:consultation-reopen", args=[past_period.pk]),
        {"until": TODAY.isoformat(), "reason": "联系点补交座谈会记录。"},
    )
    assert response.status_code == 302
    page = client.get(detail).content.decode()
    assert "联系点补交座谈会记录。" in page and "已重新开放" in page
    assert reverse("staff:comment-entry", args=[past_period.pk]) in page
    assert not DecisionRecord.objects.exists()
