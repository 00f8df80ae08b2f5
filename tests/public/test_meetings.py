"""
Meetings in public: the list by term and year, each meeting's page with its
agenda (every bill read, reviewed or voted there, with the result and a link)
and the members present where recorded, and the same agenda in the API. An
unpublished bill and contributors' personal data never show.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from legislation import services
from legislation.models import CommitteeMember, EventKind, Meeting
from tests.consultation.privacy import assert_no_personal_data
from tests.factories import MeetingFactory

from .conftest import HIDDEN_BILL_TITLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def sitting(site, staff):
    """
    The 22nd meeting of the public test site, at which its bill was voted
    (passed 40/2/1) and the hidden bill was read, with attendance recorded by
    name. The site's comments have contributors with names and numbers.
    """
    meeting = Meeting.objects.get(term=15, number=22)
    meeting.place = "市人大常委会会议厅"
    meeting.save()
    services.record_vote(
        bill=site["bill"],
        meeting=meeting,
        yes=40,
        no=2,
        abstain=1,
        by=staff,
        undecided_reason="会前送达的意见未及逐条研究（测试）。",
    )
    hidden = site["hidden"]
    services.start_drafting(bill=hidden, on=dt.date(2024, 3, 1), by=staff)
    services.submit_bill(bill=hidden, on=dt.date(2024, 4, 1), by=staff)
    services.record_reading(bill=hidden, meeting=meeting, by=staff)
    roster = [
        CommitteeMember.objects.create(
            term=15, name=f"委员甲{i:02d}", order=i, note="演示姓名"
        )
        for i in range(45)
    ]
    statuses = {m.pk: "present" for m in roster[:44]}
    statuses[roster[44].pk] = "on_leave"
    services.record_attendance(meeting=meeting, by=staff, statuses=statuses)
    meeting.refresh_from_db()
    return meeting


def test_the_meeting_page_shows_the_agenda_the_result_and_who_attended(
    client, sitting, bill
):
    page = client.get(f"/meetings/{sitting.pk}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert sitting.name in html and "市人大常委会会议厅" in html
    assert f'href="{bill.get_absolute_url()}"' in html
    assert "赞成 40 票，反对 2 票，弃权 1 票" in html and "表决通过" in html
    assert "出席 44 人，请假 1 人" in html
    assert "委员甲00" in html and "委员甲44" in html
    assert "演示姓名" in html  # made-up names say so
    assert HIDDEN_BILL_TITLE not in html
    assert_no_personal_data(html)


def test_the_meeting_list_by_term_and_year_links_every_meeting(client, sitting):
    other = MeetingFactory(term=16, number=1, date=dt.date(2027, 3, 1))

    everything = client.get("/meetings/").content.decode()
    term_15 = client.get("/meetings/", {"term": 15}).content.decode()
    in_2027 = client.get("/meetings/", {"year": 2027}).content.decode()

    assert sitting.get_absolute_url() in everything
    assert other.get_absolute_url() in everything
    assert sitting.get_absolute_url() in term_15
    assert other.get_absolute_url() not in term_15
    assert other.get_absolute_url() in in_2027
    assert sitting.get_absolute_url() not in in_2027
    assert client.get("/meetings/", {"term": 99}).status_code == 404
    api = client.get("/api/v1/meetings/", {"year": 2027, "term": 16}).json()
    assert [m["id"] for m in api["results"]] == [other.pk]
    assert_no_personal_data(everything)


def test_the_navigation_and_the_bill_timeline_link_the_meetings(client, sitting, bill):
    home = client.get("/").content.decode()
    timeline = client.get(bill.get_absolute_url()).content.decode()

    assert f'href="{reverse("public:meeting-list")}"' in home
    assert f'href="{sitting.get_absolute_url()}"' in timeline
    read_at = bill.events.filter(kind=EventKind.READING).first().meeting
    assert f'href="{read_at.get_absolute_url()}"' in timeline


def test_the_api_lists_the_agenda_of_a_meeting(client, sitting, bill, staff):
    body = client.get(f"/api/v1/meetings/{sitting.pk}/").json()

    assert [item["slug"] for item in body["agenda"]] == [bill.slug]
    (event,) = body["agenda"][0]["events"]
    assert event["kind"] == "vote" and event["to_stage"] == "passed"
    assert event["vote"] == {
        "members": 45,
        "yes": 40,
        "no": 2,
        "abstain": 1,
        "carried": True,
    }
    assert body["agenda"][0]["url"].endswith(bill.get_absolute_url())
    assert len(body["attendance"]["present"]) == 44
    assert_no_personal_data(str(body))
    # Staff see the unpublished bill read there too.
    client.force_login(staff)
    staff_view = client.get(f"/api/v1/meetings/{sitting.pk}/").json()
    assert {item["slug"] for item in staff_view["agenda"]} == {bill.slug, "hidden-bill"}


def test_a_meeting_without_attendance_shows_none_in_the_api_and_says_so(client):
    meeting = MeetingFactory()

    body = client.get(f"/api/v1/meetings/{meeting.pk}/").json()
    page = client.get(meeting.get_absolute_url()).content.decode()

    assert body["attendance"] is None and body["agenda"] == []
    assert "未逐人记录出席情况" in page


def test_the_agenda_is_in_the_openapi_description(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    detail = schema["paths"]["/api/v1/meetings/{id}/"]["get"]
    ref = detail["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]

    assert {"agenda", "attendance", "corrections"} <= set(component["properties"])
    assert "/api/v1/meetings/{id}/correction/" in schema["paths"]


def test_the_meeting_page_reads_a_fixed_number_of_queries(
    client, sitting, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert client.get(f"/meetings/{sitting.pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/meetings/").status_code == 200


def test_an_unknown_meeting_is_a_404(client):
    assert client.get("/meetings/999999/").status_code == 404
    assert not Meeting.objects.filter(pk=999999).exists()
