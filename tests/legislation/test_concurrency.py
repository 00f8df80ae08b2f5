"""
Two staff changing the same bill at once: the second is refused, nothing is
overwritten. Stale forms are tested everywhere; real simultaneous requests need
PostgreSQL, whose row locks SQLite does not have.
"""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from legislation import services
from legislation.models import Bill, BillEvent, EventKind, Meeting, Stage, Vote
from npc.core import roles
from tests.factories import BillFactory, UserFactory

from .lifecycle import Clock, walk_to


def url(name: str, bill: Bill) -> str:
    return reverse(f"staff:{name}", kwargs={"slug": bill.slug})


def edit_form(client: Client, bill: Bill) -> dict:
    form = client.get(url("bill-edit", bill)).context["form"]
    return {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None
    }


# --- stale forms ----------------------------------------------------------------


@pytest.mark.django_db
def test_stale_edit_form_gets_the_conflict_and_the_first_edit_survives(
    client, staff, bill
):
    other = Client()
    other.force_login(UserFactory(username="staff2", role=roles.LEGISLATIVE_STAFF))
    client.force_login(staff)
    mine = edit_form(client, bill)
    theirs = edit_form(other, bill)

    first = other.post(url("bill-edit", bill), {**theirs, "drafting_body": "市水务局"})
    second = client.post(
        url("bill-edit", bill), {**mine, "drafting_body": "市生态环境局"}
    )

    assert first.status_code == 302
    assert second.status_code == 409
    page = second.content.decode()
    assert "保存冲突：该法规案已被他人修改" in page
    assert "staff2" in page  # who changed it
    assert "市水务局" in page and "市生态环境局" in page  # what differs
    assert f'href="{url("bill-edit", bill)}"' in page  # reload
    bill.refresh_from_db()
    assert bill.drafting_body == "市水务局"
    assert bill.events.filter(kind=EventKind.DETAILS_CHANGED).count() == 1


@pytest.mark.django_db
def test_stale_act_form_is_refused_and_records_nothing(client, staff):
    clock = Clock()
    bill = walk_to(BillFactory(), Stage.SUBMITTED, clock)
    meeting = clock.meeting()
    stale = bill.version
    services.update_bill(
        bill=bill, by=staff, expected_version=stale, committee="法制委员会"
    )
    events = bill.events.count()
    client.force_login(staff)

    response = client.post(
        url("bill-reading", bill), {"version": stale, "meeting": meeting.pk}
    )

    assert response.status_code == 409
    assert "保存冲突" in response.content.decode()
    bill.refresh_from_db()
    assert (bill.stage, bill.events.count()) == (Stage.SUBMITTED, events)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("bill-document", {"kind": "other", "title": "文件", "on": "2024-03-01", "text": "正文"}),
        ("bill-correct", {"event": "FIRST", "note": "更正"}),
        ("bill-planned-readings", {"planned_readings": 3}),
        ("bill-unified-review", {"on": "2024-06-01"}),
    ],
)  # fmt: skip
def test_every_act_carries_the_version_it_was_shown(client, staff, name, data):
    bill = walk_to(BillFactory(), Stage.FIRST_READING, Clock())
    data = dict(data)
    if data.get("event") == "FIRST":
        data["event"] = bill.events.order_by("pk").first().pk
    stale = bill.version
    services.update_bill(bill=bill, by=staff, expected_version=stale, summary="改")
    before = bill.events.count()
    client.force_login(staff)

    response = client.post(url(name, bill), {"version": stale, **data})

    assert response.status_code == 409
    assert bill.events.count() == before


# --- simultaneous requests on PostgreSQL ------------------------------------------


def race(requests: list) -> list:
    """Send the requests at the same moment, each from its own thread and connection."""
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index: int, request) -> None:  # noqa: ANN001
        try:
            barrier.wait()
            results[index] = request()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, request))
        for index, request in enumerate(requests)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


# Real transactions, each thread on its own connection. The groups of the roles
# come from a data migration, which the flush after each test would lose.
race_db = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_staff():
    users = [
        UserFactory(username=f"racer{n}", role=roles.LEGISLATIVE_STAFF) for n in (1, 2)
    ]
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


@pytest.mark.postgres
@race_db
def test_two_staff_recording_the_same_reading_at_once_one_wins(two_staff):
    bill = walk_to(BillFactory(), Stage.SUBMITTED, Clock())
    meeting = Meeting.objects.create(
        term=15, number=50, date=dt.date(2025, 6, 1), members=45
    )
    data = {"version": bill.version, "meeting": meeting.pk}

    responses = race(
        [lambda c=c: c.post(url("bill-reading", bill), data) for c in two_staff]
    )

    assert sorted(r.status_code for r in responses) == [302, 409]
    refused = next(r for r in responses if r.status_code == 409)
    assert "保存冲突" in refused.content.decode()
    bill.refresh_from_db()
    assert bill.stage == Stage.FIRST_READING
    assert BillEvent.objects.filter(bill=bill, kind=EventKind.READING).count() == 1


@pytest.mark.postgres
@race_db
def test_two_staff_recording_the_same_vote_at_once_one_wins(two_staff):
    clock = Clock()
    bill = walk_to(BillFactory(planned_readings=1), Stage.FIRST_READING, clock)
    meeting = clock.meeting()
    data = {
        "version": bill.version,
        "meeting": meeting.pk,
        "yes": 40,
        "no": 0,
        "abstain": 1,
        "confirm": "1",
    }

    responses = race(
        [lambda c=c: c.post(url("bill-vote", bill), data) for c in two_staff]
    )

    assert sorted(r.status_code for r in responses) == [302, 409]
    bill.refresh_from_db()
    assert bill.stage == Stage.PASSED
    assert Vote.objects.filter(bill=bill).count() == 1


@pytest.mark.postgres
@race_db
def test_stale_writers_without_a_version_are_serialised_by_the_row_lock(two_staff):
    """Even a caller that sends no version cannot record the same reading twice."""
    bill = walk_to(BillFactory(planned_readings=3), Stage.SUBMITTED, Clock())
    meeting = Meeting.objects.create(
        term=15, number=51, date=dt.date(2025, 6, 1), members=45
    )

    def record():  # noqa: ANN202
        try:
            services.record_reading(
                bill=Bill.objects.get(pk=bill.pk), meeting=meeting, by=None
            )
        except services.MeetingOutOfOrder as error:
            return error
        return "ok"

    results = race([record, record])

    assert results.count("ok") == 1
    bill.refresh_from_db()
    assert bill.stage == Stage.FIRST_READING
