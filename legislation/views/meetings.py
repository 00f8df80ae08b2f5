"""
Standing Committee meetings: the list, a new meeting, its details, the
correction of a meeting on record and who attended. Every write goes through
the meeting services, which refuse what would falsify the record.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView

from .. import forms, selectors, services
from ..errors import DomainError
from ..models import Meeting
from .base import PAGE_SIZE, LegislativeStaffRequired


class MeetingListView(LegislativeStaffRequired, ListView):
    template_name = "staff/meeting_list.html"
    nav = "meetings"
    paginate_by = PAGE_SIZE
    context_object_name = "meetings"

    def get_queryset(self) -> Any:
        return selectors.meeting_list(public=False)


class MeetingCreateView(LegislativeStaffRequired, FormView):
    template_name = "staff/meeting_form.html"
    nav = "meetings"
    form_class = forms.MeetingForm

    def form_valid(self, form: forms.MeetingForm) -> HttpResponse:
        data = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}
        try:
            meeting = services.create_meeting(by=self.request.user, **data)
        except DomainError as error:
            form.add_error(None, error.message)
            return self.form_invalid(form)
        messages.success(self.request, _("已保存%(name)s。") % {"name": meeting.name})
        return redirect("staff:meeting-list")


class MeetingMixin(LegislativeStaffRequired):
    """A page about one meeting, named by its id in the URL."""

    nav = "meetings"

    @cached_property
    def meeting(self) -> Meeting:
        return get_object_or_404(Meeting, pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("object", self.meeting)
        kwargs.setdefault("meeting", self.meeting)
        kwargs.setdefault("on_record", services.on_record(self.meeting))
        kwargs.setdefault("corrections", selectors.meeting_corrections(self.meeting))
        return super().get_context_data(**kwargs)


class MeetingUpdateView(MeetingMixin, FormView):
    """
    A meeting's details. On a meeting on record, a new date or number is refused
    by the service with its reason, shown above the form; nothing is saved.
    """

    template_name = "staff/meeting_form.html"
    form_class = forms.MeetingForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("changes", selectors.meeting_changes(self.meeting))
        return super().get_context_data(**kwargs)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.meeting, on_record=services.on_record(self.meeting))
        return kwargs

    def form_valid(self, form: forms.MeetingForm) -> HttpResponse:
        data = {name: form.cleaned_data[name] for name in services.MEETING_FIELDS}
        try:
            meeting = services.update_meeting(
                meeting=self.meeting,
                by=self.request.user,
                expected_version=form.cleaned_data.get("expected_version"),
                **data,
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.render_to_response(
                self.get_context_data(form=form), status=error.http_status
            )
        messages.success(self.request, _("已保存%(name)s。") % {"name": meeting.name})
        return redirect("staff:meeting-list")


class MeetingCorrectView(MeetingMixin, FormView):
    """Correct the date or number of a meeting on record, with the reason."""

    template_name = "staff/meeting_correct.html"
    form_class = forms.CorrectMeetingForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def form_valid(self, form: forms.CorrectMeetingForm) -> HttpResponse:
        try:
            services.correct_meeting(
                meeting=self.meeting,
                by=self.request.user,
                date=form.cleaned_data["date"],
                number=form.cleaned_data["number"],
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data.get("expected_version"),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.render_to_response(
                self.get_context_data(form=form), status=error.http_status
            )
        messages.success(self.request, _("已更正会议，并记入相关法规案的进程。"))
        return redirect("staff:meeting-edit", pk=self.meeting.pk)


class MeetingAttendanceView(MeetingMixin, FormView):
    """Who of the term's roster attended the meeting (optional, by name)."""

    template_name = "staff/meeting_attendance.html"
    form_class = forms.AttendanceForm

    def get_form_kwargs(self) -> dict[str, Any]:
        recorded = {
            member.pk: status
            for status, members in selectors.meeting_attendance(self.meeting).items()
            for member in members
        }
        return {
            **super().get_form_kwargs(),
            "meeting": self.meeting,
            "roster": selectors.term_roster(self.meeting.term),
            "recorded": recorded,
        }

    def form_valid(self, form: forms.AttendanceForm) -> HttpResponse:
        try:
            services.record_attendance(
                meeting=self.meeting,
                by=self.request.user,
                statuses=form.statuses(),
                expected_version=form.cleaned_data.get("expected_version"),
            )
        except DomainError as error:
            form.add_error(None, error.message)
            return self.render_to_response(
                self.get_context_data(form=form), status=error.http_status
            )
        messages.success(self.request, _("已保存出席情况。"))
        return redirect("staff:meeting-edit", pk=self.meeting.pk)
