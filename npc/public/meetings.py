"""
The Standing Committee's meetings in public: the list by term and year, and each
meeting with who attended (where recorded) and every bill read, reviewed or voted
at it. Members of the Standing Committee are public officials; no contributor's
data is read here.
"""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.decorators import method_decorator
from django.views.generic import TemplateView

from consultation import selectors as consultations
from legislation import selectors as bills
from legislation.models import Meeting
from npc.core.responsecache import cache_public

MEETINGS_PER_PAGE = 30


def _choice(value: str, allowed: list[int]) -> int | None:
    """The integer ``value`` if it is among ``allowed``; None if empty; else 404."""
    if not value:
        return None
    if value.isdigit() and int(value) in allowed:
        return int(value)
    raise Http404


@method_decorator(cache_public(consultations.public_versions), name="dispatch")
class MeetingListView(TemplateView):
    """The meetings, latest first, grouped by year; filtered by term and year."""

    template_name = "public/meeting_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        terms, years = bills.meeting_terms(), bills.meeting_years()
        term = _choice(self.request.GET.get("term", ""), terms)
        year = _choice(self.request.GET.get("year", ""), years)
        meetings = bills.meeting_list(term=term, year=year, public=True)
        page = Paginator(meetings, MEETINGS_PER_PAGE).get_page(
            self.request.GET.get("page")
        )
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            terms=terms,
            years=years,
            term=term,
            year=year,
            page_obj=page,
            by_year=[
                (group_year, list(rows))
                for group_year, rows in groupby(page.object_list, lambda m: m.date.year)
            ],
            query=query.urlencode(),
        )
        return context


@method_decorator(cache_public(consultations.public_versions), name="dispatch")
class MeetingDetailView(TemplateView):
    """A meeting: date, place, members present, and what it did with each bill."""

    template_name = "public/meeting_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        meeting = get_object_or_404(Meeting, pk=self.kwargs["pk"])
        attendance = bills.meeting_attendance(meeting)
        recorded = [m for members in attendance.values() for m in members]
        context.update(
            meeting=meeting,
            agenda=bills.meeting_agenda(meeting, public=True),
            attendance=attendance,
            attendance_recorded=bool(recorded),
            roster_notes=sorted({m.note for m in recorded if m.note}),
            corrections=list(bills.meeting_corrections(meeting)),
        )
        return context
