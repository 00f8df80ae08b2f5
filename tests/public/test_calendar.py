"""
The iCalendar feed at /calendar.ics: meetings and open comment periods, read
back with a real parser (icalendar's own) and checked against RFC 5545 as
calendar programs need it: the required properties, whole days as VALUE=DATE
(no time zone needed), CRLF lines folded at 75 octets without splitting a
character, text escaped. No contributor's data.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from icalendar import Calendar

from consultation import services as consultation_services
from legislation import services
from legislation.models import Meeting
from tests.consultation.privacy import assert_no_personal_data

from .conftest import HIDDEN_BILL_TITLE

pytestmark = pytest.mark.django_db

# A place with every character the standard escapes in text (, ; \ and a newline).
PLACE = "市人大常委会会议厅, 四楼; 东侧\\北门\n（演示）"


@pytest.fixture
def feed(client, site, staff) -> bytes:
    meeting = Meeting.objects.get(term=15, number=22)
    services.update_meeting(meeting=meeting, by=staff, place=PLACE)
    services.record_vote(
        bill=site["bill"],
        meeting=meeting,
        yes=40,
        no=2,
        abstain=1,
        by=staff,
        undecided_reason="会前送达的意见未及逐条研究（测试）。",
    )
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content


def _events(raw: bytes) -> list:
    calendar = Calendar.from_ical(raw)
    return [c for c in calendar.walk() if c.name == "VEVENT"]


def test_the_feed_parses_with_the_required_properties(feed):
    calendar = Calendar.from_ical(feed)

    assert calendar.name == "VCALENDAR"
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    events = _events(feed)
    assert len(events) == 4  # three meetings and the open period
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    for event in events:
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"):
            assert name in event, name
        assert isinstance(event.decoded("DTSTAMP"), dt.datetime)
        assert event.decoded("DTSTAMP").utcoffset() == dt.timedelta(0)
        # Whole days: a date, no time and so no time zone to define.
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is dt.date and type(end) is dt.date
        assert end > start
    assert b"DTSTART;VALUE=DATE:" in feed
    assert b"VTIMEZONE" not in feed and b"TZID" not in feed


def test_meetings_and_the_open_period_are_in_it_with_their_days(feed, site):
    events = {str(e["SUMMARY"]): e for e in _events(feed)}
    meeting = Meeting.objects.get(term=15, number=22)

    entry = events[meeting.name]
    assert entry.decoded("DTSTART") == dt.date(2024, 10, 30)
    assert entry.decoded("DTEND") == dt.date(2024, 10, 31)
    assert str(entry["URL"]).endswith(meeting.get_absolute_url())
    assert site["bill"].title in str(entry["DESCRIPTION"])
    period = events[f"征求意见：{site['bill'].title}"]
    online = site["online"]
    assert period.decoded("DTSTART") == online.opens_on
    # DTEND is exclusive: the day after the last day of the period.
    assert period.decoded("DTEND") == online.closes_on + dt.timedelta(days=1)


def test_text_is_escaped_and_comes_back_whole(feed):
    events = {str(e["SUMMARY"]): e for e in _events(feed)}
    meeting = Meeting.objects.get(term=15, number=22)

    assert str(events[meeting.name]["LOCATION"]) == PLACE
    unfolded = feed.replace(b"\r\n ", b"")
    assert (
        "LOCATION:市人大常委会会议厅\\, 四楼\\; 东侧\\\\北门\\n（演示）".encode()
        in (unfolded)
    )


def test_lines_end_in_crlf_and_fold_at_75_octets(feed):
    assert feed.endswith(b"\r\n")
    lines = feed.split(b"\r\n")[:-1]
    assert all(b"\n" not in line for line in lines)
    assert all(len(line) <= 75 for line in lines)
    # Long Chinese names were folded, and never inside a character.
    assert any(line.startswith(b" ") for line in lines)
    for line in lines:
        line.decode("utf-8")


def test_a_closed_or_unpublished_period_and_hidden_bills_stay_out(client, site, staff):
    online = site["online"]
    hidden = consultation_services.record_consultation(
        by=staff,
        bill=site["bill"],
        version=site["revised"],
        channel="online",
        title="内部征求意见",
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + dt.timedelta(days=30),
        is_published=False,
    )

    raw = client.get("/calendar.ics").content

    summaries = [str(e["SUMMARY"]) for e in _events(raw)]
    assert summaries.count(f"征求意见：{site['bill'].title}") == 1
    assert hidden.title not in raw.decode()
    assert HIDDEN_BILL_TITLE not in raw.decode()
    assert online.closes_on >= timezone.localdate()
    assert_no_personal_data(raw.decode())


def test_a_corrected_meeting_keeps_its_uid_with_a_higher_sequence(client, site, staff):
    meeting = Meeting.objects.get(term=15, number=19)  # read at: on record
    before = {str(e["UID"]): e for e in _events(client.get("/calendar.ics").content)}

    services.correct_meeting(
        meeting=meeting, date=dt.date(2024, 6, 27), reason="以会议纪要为准", by=staff
    )
    after = {str(e["UID"]): e for e in _events(client.get("/calendar.ics").content)}

    assert before.keys() == after.keys()
    uid = next(u for u, e in after.items() if str(e["SUMMARY"]) == meeting.name)
    assert after[uid].decoded("DTSTART") == dt.date(2024, 6, 27)
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])


def test_the_footer_links_the_calendar(client, site):
    assert 'href="/calendar.ics"' in client.get("/").content.decode()
