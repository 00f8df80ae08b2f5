"""
A meeting that carries the record is frozen: its term, number and date change
only by a correction with a reason, which moves the timeline with it and keeps
the readings in order; its members never drop below a recorded tally. The same
refusal on the API, the staff page and the admin, since all three call one
service. Attendance by name is optional beside the numbers.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from legislation import services
from legislation.errors import MeetingOutOfOrder, MembersBelowTally
from legislation.models import (
    Attendance,
    BillEvent,
    CommitteeMember,
    EventKind,
    Meeting,
    MeetingCorrection,
    Stage,
)
from npc.core import roles
from tests.api.conftest import client_for
from tests.factories import BillFactory, MeetingFactory, UserFactory

from .lifecycle import Clock, walk_to
from .test_concurrency import race, race_db

pytestmark = pytest.mark.django_db


@pytest.fixture
def voted(staff):
    """
    A bill read at two meetings and voted at a third (tally 40 + 2 + 1 = 43 of
    45 members); returns (bill, first reading's meeting, second, vote meeting).
    """
    clock = Clock()
    bill = BillFactory(planned_readings=2)
    walk_to(bill, Stage.SECOND_READING, clock, by=staff)
    first, second = (
        e.meeting for e in bill.events.filter(kind=EventKind.READING).order_by("pk")
    )
    meeting = clock.meeting()
    services.record_vote(bill=bill, meeting=meeting, yes=40, no=2, abstain=1, by=staff)
    return bill, first, second, meeting


def _snapshot(meeting: Meeting) -> tuple:
    meeting.refresh_from_db()
    return (
        meeting.term,
        meeting.number,
        meeting.date,
        meeting.members,
        meeting.version,
    )


# --- one refusal, three surfaces ---------------------------------------------------


def _via_api(staff, meeting: Meeting, changes: dict) -> tuple[int, str]:
    body = {
        k: v.isoformat() if isinstance(v, dt.date) else v for k, v in changes.items()
    }
    response = client_for(staff).patch(
        f"/api/v1/meetings/{meeting.pk}/", body, format="json"
    )
    return response.status_code, response.json().get("code", "")


def _form(meeting: Meeting, changes: dict) -> dict:
    """The form as the page shows it now, with ``changes`` made."""
    meeting.refresh_from_db()
    data = {
        "term": meeting.term,
        "number": meeting.number,
        "date": meeting.date.isoformat(),
        "members": meeting.members,
        "place": meeting.place,
        "expected_version": meeting.version,
    }
    data.update(
        {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in changes.items()}
    )
    return data


def _via_page(staff, meeting: Meeting, changes: dict, client) -> tuple[int, str]:
    client.force_login(staff)
    response = client.post(
        reverse("staff:meeting-edit", kwargs={"pk": meeting.pk}),
        _form(meeting, changes),
    )
    return response.status_code, response.content.decode()


def _via_admin(administrator, meeting: Meeting, changes: dict, client) -> tuple:
    client.force_login(administrator)
    data = _form(meeting, changes)
    for prefix in ("attendance", "corrections"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    response = client.post(
        reverse("admin:legislation_meeting_change", args=[meeting.pk]), data
    )
    shown = " ".join(str(m) for m in get_messages(response.wsgi_request))
    return response.status_code, shown


REFUSED_CHANGES = [
    pytest.param({"date": dt.date(2025, 1, 1)}, "meeting_on_record", id="date"),
    pytest.param({"number": 99}, "meeting_on_record", id="number"),
    pytest.param({"term": 16}, "meeting_on_record", id="term"),
    pytest.param({"members": 42}, "members_below_tally", id="members-below-tally"),
]
REASONS = {
    "meeting_on_record": "已有审议或表决记录",
    "members_below_tally": "组成人员总数不能少于 43",
}


@pytest.mark.parametrize(("changes", "code"), REFUSED_CHANGES)
def test_the_api_refuses_to_change_a_meeting_on_record(voted, staff, changes, code):
    meeting = voted[3]
    before = _snapshot(meeting)

    status, answered = _via_api(staff, meeting, changes)

    assert (status, answered) == (409, code)
    assert _snapshot(meeting) == before


@pytest.mark.parametrize(("changes", "code"), REFUSED_CHANGES)
def test_the_staff_page_refuses_to_change_a_meeting_on_record(
    voted, staff, client, changes, code
):
    meeting = voted[3]
    before = _snapshot(meeting)

    status, page = _via_page(staff, meeting, changes, client)

    assert status == 409
    assert REASONS[code] in page
    assert _snapshot(meeting) == before


@pytest.mark.parametrize(("changes", "code"), REFUSED_CHANGES)
def test_the_admin_refuses_to_change_a_meeting_on_record(
    voted, administrator, client, changes, code
):
    meeting = voted[3]
    before = _snapshot(meeting)

    status, shown = _via_admin(administrator, meeting, changes, client)

    assert status == 302
    assert REASONS[code] in shown
    assert _snapshot(meeting) == before


def test_a_reading_alone_freezes_its_meeting(voted, staff):
    first_reading = voted[1]

    assert _via_api(staff, first_reading, {"date": dt.date(2024, 2, 2)}) == (
        409,
        "meeting_on_record",
    )


def test_what_the_record_does_not_fix_still_changes_on_every_surface(
    voted, staff, administrator, client
):
    meeting = voted[3]

    assert _via_api(staff, meeting, {"place": "常委会会议厅"})[0] == 200
    assert _via_page(staff, meeting, {"members": 43}, client)[0] == 302
    assert _via_admin(administrator, meeting, {"members": 50}, client)[0] == 302

    meeting.refresh_from_db()
    assert (meeting.place, meeting.members) == ("常委会会议厅", 50)
    # The vote keeps the count it was recorded against.
    assert meeting.votes.get().members == 45


def test_a_meeting_nothing_refers_to_changes_freely(staff):
    meeting = MeetingFactory(number=30, date=dt.date(2025, 4, 1))

    status, _ = _via_api(staff, meeting, {"date": dt.date(2025, 4, 2), "number": 31})

    meeting.refresh_from_db()
    assert status == 200
    assert (meeting.number, meeting.date) == (31, dt.date(2025, 4, 2))


def test_a_stale_version_is_refused_and_writes_nothing(voted, staff):
    meeting = voted[3]
    api = client_for(staff)
    stale = api.patch(
        f"/api/v1/meetings/{meeting.pk}/",
        {"place": "一楼"},
        format="json",
        headers={"If-Match": f'"{meeting.version + 5}"'},
    )
    assert stale.status_code == 412
    current = api.get(f"/api/v1/meetings/{meeting.pk}/")
    fresh = api.patch(
        f"/api/v1/meetings/{meeting.pk}/",
        {"place": "一楼"},
        format="json",
        headers={"If-Match": current["ETag"]},
    )
    assert fresh.status_code == 200
    assert fresh["ETag"] == f'"{meeting.version + 1}"'


# --- corrections ---------------------------------------------------------------


def _correct(staff, meeting: Meeting, body: dict):  # noqa: ANN202
    return client_for(staff).post(
        f"/api/v1/meetings/{meeting.pk}/correction/", body, format="json"
    )


def test_a_correction_moves_the_timeline_and_records_why(voted, staff):
    bill, _first, second, meeting = voted
    old = meeting.date
    new = old + dt.timedelta(days=2)

    response = _correct(
        staff, meeting, {"date": new.isoformat(), "reason": "会议通知中的日期有误"}
    )

    assert response.status_code == 201, response.content
    assert response.json()["date"] == new.isoformat()
    assert response.json()["corrections"][0]["reason"] == "会议通知中的日期有误"
    vote_event = bill.events.get(kind=EventKind.VOTE)
    assert vote_event.on == new
    correction = bill.events.get(kind=EventKind.CORRECTION)
    assert correction.corrects == vote_event
    assert "会议通知中的日期有误" in correction.note and str(new) in correction.note
    assert MeetingCorrection.objects.get(meeting=meeting).old_date == old
    # The bill's public timeline shows the corrected date.
    timeline = client_for(None).get(f"/api/v1/bills/{bill.slug}/events/").json()
    assert new.isoformat() in [e["on"] for e in timeline["results"]]
    assert old.isoformat() not in [e["on"] for e in timeline["results"]]


def test_a_correction_needs_a_reason(voted, staff):
    meeting = voted[3]
    before = _snapshot(meeting)

    response = _correct(staff, meeting, {"date": "2025-06-01", "reason": "  "})

    assert response.status_code == 400
    assert _snapshot(meeting) == before
    assert not MeetingCorrection.objects.exists()


@pytest.mark.parametrize("which", ["before-the-previous", "same-as-the-previous"])
def test_a_correction_that_puts_the_readings_out_of_order_is_refused(
    voted, staff, which
):
    bill, first, second, _vote = voted
    target = (
        first.date - dt.timedelta(days=1)
        if which == "before-the-previous"
        else (first.date)
    )
    before = _snapshot(second)
    events_before = list(bill.events.values_list("pk", "on"))

    response = _correct(staff, second, {"date": target.isoformat(), "reason": "x"})

    assert (response.status_code, response.json()["code"]) == (
        400,
        "meeting_out_of_order",
    )
    assert _snapshot(second) == before
    assert list(bill.events.values_list("pk", "on")) == events_before
    assert not MeetingCorrection.objects.exists()


def test_a_correction_cannot_put_the_vote_after_what_followed_it(staff):
    clock = Clock()
    bill = BillFactory(planned_readings=1)
    walk_to(bill, Stage.APPROVAL_REQUESTED, clock, by=staff)
    meeting = bill.votes.get().meeting
    requested = bill.events.get(to_stage=Stage.APPROVAL_REQUESTED).on

    response = _correct(
        staff,
        meeting,
        {"date": (requested + dt.timedelta(days=3)).isoformat(), "reason": "录入错误"},
    )

    assert response.status_code == 400
    assert response.json()["code"] == "meeting_out_of_order"


def test_the_ordering_rule_holds_after_a_correction(staff):
    clock = Clock()
    bill = BillFactory(planned_readings=2)
    walk_to(bill, Stage.FIRST_READING, clock, by=staff)
    read_at = bill.events.get(kind=EventKind.READING).meeting
    later = clock.meeting()
    # The first reading was in fact held later; a reading at a meeting before
    # its corrected date is then refused.
    services.correct_meeting(
        meeting=read_at,
        date=later.date + dt.timedelta(days=5),
        reason="会期推迟",
        by=staff,
    )

    with pytest.raises(MeetingOutOfOrder):
        services.record_reading(bill=bill, meeting=later, by=staff)


def test_the_staff_page_corrects_with_a_reason(voted, staff, client):
    bill, _first, _second, meeting = voted
    client.force_login(staff)
    url = reverse("staff:meeting-correct", kwargs={"pk": meeting.pk})
    new = meeting.date + dt.timedelta(days=1)

    missing = client.post(
        url,
        {"date": new.isoformat(), "number": meeting.number, "reason": ""},
    )
    done = client.post(
        url,
        {
            "date": new.isoformat(),
            "number": meeting.number,
            "reason": "以会议纪要为准",
            "expected_version": meeting.version,
        },
    )

    assert missing.status_code == 200 and "reason" in missing.context["form"].errors
    assert done.status_code == 302
    assert bill.events.get(kind=EventKind.VOTE).on == new


def test_the_staff_pages_say_a_meeting_is_on_record_and_offer_the_correction(
    voted, staff, client
):
    meeting = voted[3]
    client.force_login(staff)

    listed = client.get(reverse("staff:meeting-list")).content.decode()
    edit = client.get(reverse("staff:meeting-edit", kwargs={"pk": meeting.pk}))
    correct = client.get(reverse("staff:meeting-correct", kwargs={"pk": meeting.pk}))

    assert meeting.name in listed
    assert "本次会议已有审议或表决记录" in edit.content.decode()
    assert reverse("staff:meeting-correct", kwargs={"pk": meeting.pk}) in (
        edit.content.decode()
    )
    assert correct.status_code == 200
    assert correct.context["form"]["date"].value() == meeting.date


def test_a_correction_to_a_number_another_meeting_has_is_refused(voted, staff):
    _bill, first, second, _vote = voted

    response = _correct(staff, second, {"number": first.number, "reason": "x"})

    assert (response.status_code, response.json()["code"]) == (409, "conflict")


# --- attendance by name ------------------------------------------------------------


@pytest.fixture
def roster():
    return [
        CommitteeMember.objects.create(term=15, name=f"委员{i:02d}", order=i)
        for i in range(45)
    ]


def test_attendance_is_recorded_by_name_and_kept_above_the_tally(voted, staff, roster):
    meeting = voted[3]
    api = client_for(staff)
    url = f"/api/v1/meetings/{meeting.pk}/attendance/"
    rows = [{"member": m.pk, "status": "present"} for m in roster[:43]]
    rows += [{"member": m.pk, "status": "on_leave"} for m in roster[43:]]

    too_few = api.put(url, {"attendance": rows[:42]}, format="json")
    recorded = api.put(url, {"attendance": rows}, format="json")

    assert (too_few.status_code, too_few.json()["code"]) == (409, "members_below_tally")
    assert recorded.status_code == 200, recorded.content
    attendance = recorded.json()["attendance"]
    assert len(attendance["present"]) == 43
    assert [m["name"] for m in attendance["on_leave"]] == ["委员43", "委员44"]
    assert Attendance.objects.filter(meeting=meeting).count() == 45


def test_attendance_takes_only_members_of_the_meetings_term(voted, staff):
    other_term = CommitteeMember.objects.create(term=14, name="前届委员")

    response = client_for(staff).put(
        f"/api/v1/meetings/{voted[3].pk}/attendance/",
        {"attendance": [{"member": other_term.pk, "status": "present"}]},
        format="json",
    )

    assert (response.status_code, response.json()["code"]) == (
        400,
        "invalid_attendance",
    )
    assert not Attendance.objects.exists()


def test_the_staff_attendance_page_records_and_members_cannot_drop_below_it(
    staff, client, roster
):
    meeting = MeetingFactory(members=45)
    client.force_login(staff)
    url = reverse("staff:meeting-attendance", kwargs={"pk": meeting.pk})
    form = {f"member_{m.pk}": "present" for m in roster[:30]}
    form[f"member_{roster[30].pk}"] = "absent"

    assert client.get(url).status_code == 200
    assert client.post(url, form).status_code == 302
    assert meeting.attendance.filter(status="present").count() == 30
    with pytest.raises(MembersBelowTally):
        services.update_meeting(meeting=meeting, by=staff, members=30)


def test_a_tally_needs_only_the_number_without_attendance(staff):
    clock = Clock()
    bill = BillFactory(planned_readings=1)
    walk_to(bill, Stage.PASSED, clock, by=staff)

    assert bill.votes.get().meeting.attendance.count() == 0
    assert BillEvent.objects.filter(bill=bill, kind=EventKind.VOTE).exists()


# --- at the same moment, on PostgreSQL ----------------------------------------------


@pytest.fixture
def two_staff():
    clients = []
    for n in (1, 2):
        client = Client()
        client.force_login(
            UserFactory(username=f"corrector{n}", role=roles.LEGISLATIVE_STAFF)
        )
        clients.append(client)
    return clients


@pytest.mark.postgres
@race_db
def test_a_reading_recorded_while_its_meeting_is_corrected_shows_the_final_date(
    two_staff,
):
    bill = walk_to(BillFactory(), Stage.SUBMITTED, Clock())
    meeting = Meeting.objects.create(
        term=15, number=50, date=dt.date(2025, 6, 1), members=45
    )
    reading = {"version": bill.version, "meeting": meeting.pk}
    correction = {
        "date": "2025-06-03",
        "number": 50,
        "reason": "以会议纪要为准",
        "expected_version": meeting.version,
    }

    responses = race(
        [
            lambda: two_staff[0].post(
                reverse("staff:bill-reading", kwargs={"slug": bill.slug}), reading
            ),
            lambda: two_staff[1].post(
                reverse("staff:meeting-correct", kwargs={"pk": meeting.pk}), correction
            ),
        ]
    )

    assert [r.status_code for r in responses] == [302, 302]
    meeting.refresh_from_db()
    event = BillEvent.objects.get(bill=bill, kind=EventKind.READING)
    # Whichever came first, the reading shows the meeting's corrected date.
    assert event.on == meeting.date == dt.date(2025, 6, 3)
