"""
An iCalendar feed (RFC 5545) of the Standing Committee's meetings and of the
public comment periods still open or to come, for calendar programs to subscribe
to at ``/calendar.ics``.

Written with the ``icalendar`` package, which folds long lines, escapes text
and types the values. Every event is a whole day (``VALUE=DATE``): a meeting on
its date, a comment period from its first to its last day (DTEND is the day
after, as the standard has it), so no time zone is involved. UIDs are stable
(the record's kind and id) and SEQUENCE follows a meeting's version, so that a
corrected date replaces the old entry in a subscriber's calendar. Nothing about
contributors is read.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from icalendar import Calendar, Event

from consultation import selectors as consultations
from legislation import selectors as bills
from legislation.models import Meeting
from npc.core.responsecache import cache_public

from .templatetags.public_site import event_heading

PRODID = "-//npc-legislation//calendar 1.0//ZH"


def _uid(kind: str, pk: int, request: HttpRequest) -> str:
    return f"{kind}-{pk}@{request.get_host().split(':')[0] or 'localhost'}"


def _meeting_event(
    meeting: Meeting, agenda: list[bills.AgendaItem], request: HttpRequest, now: Any
) -> Event:
    event = Event()
    event.add("uid", _uid("meeting", meeting.pk, request))
    event.add("dtstamp", now)
    event.add("dtstart", meeting.date)
    event.add("dtend", meeting.date + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("sequence", meeting.version - 1)
    event.add("summary", meeting.name)
    if meeting.place:
        event.add("location", meeting.place)
    event.add("url", request.build_absolute_uri(meeting.get_absolute_url()))
    lines = [
        f"{item.bill.title}：" + "、".join(event_heading(e) for e in item.events)
        for item in agenda
    ]
    if lines:
        event.add("description", "\n".join([_("审议、表决的法规案："), *lines]))
    event.add("categories", [_("常委会会议")])
    return event


def _period_event(consultation: Any, request: HttpRequest, now: Any) -> Event:
    event = Event()
    event.add("uid", _uid("consultation", consultation.pk, request))
    event.add("dtstamp", now)
    event.add("dtstart", consultation.opens_on)
    event.add("dtend", consultation.closes_on + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add(
        "summary",
        _("征求意见：%(bill)s") % {"bill": consultation.bill.title},
    )
    event.add("url", request.build_absolute_uri(consultation.bill.get_absolute_url()))
    event.add(
        "description",
        _("%(title)s，%(opens)s至%(closes)s。")
        % {
            "title": consultation.title,
            "opens": consultation.opens_on,
            "closes": consultation.closes_on,
        },
    )
    event.add("categories", [_("征求意见")])
    return event


def build_calendar(request: HttpRequest) -> Calendar:
    """
    Return the calendar: every meeting, and the published comment periods open
    today or to come. Three queries.
    """
    now = timezone.now().astimezone(dt.UTC)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    name = _("%(city)s人大常委会会议和征求意见") % {"city": settings.NPC_CITY_NAME}
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    meetings = list(Meeting.objects.order_by("date", "number", "pk"))
    agendas = bills.meeting_agendas(meetings, public=True)
    for meeting in meetings:
        calendar.add_component(
            _meeting_event(meeting, agendas.get(meeting.pk, []), request, now)
        )
    for period in consultations.comment_periods_from(timezone.localdate()):
        calendar.add_component(_period_event(period, request, now))
    return calendar


@method_decorator(cache_public(consultations.public_versions), name="dispatch")
class CalendarView(View):
    """``/calendar.ics``: the feed, as ``text/calendar``."""

    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(
            build_calendar(request).to_ical(),
            content_type="text/calendar; charset=utf-8",
        )
        response["Content-Disposition"] = 'inline; filename="calendar.ics"'
        return response
