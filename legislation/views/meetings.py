"""Standing Committee meetings: plain CRUD."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import CreateView, ListView, UpdateView

from .. import forms, selectors
from ..models import Meeting
from .base import PAGE_SIZE, LegislativeStaffRequired


class MeetingListView(LegislativeStaffRequired, ListView):
    template_name = "staff/meeting_list.html"
    nav = "meetings"
    paginate_by = PAGE_SIZE
    context_object_name = "meetings"

    def get_queryset(self) -> Any:
        return Meeting.objects.order_by("-date", "-number")


class MeetingCreateView(LegislativeStaffRequired, CreateView):
    template_name = "staff/meeting_form.html"
    nav = "meetings"
    model = Meeting
    form_class = forms.MeetingForm

    def get_success_url(self) -> str:
        messages.success(
            self.request, _("已保存%(name)s。") % {"name": self.object.name}
        )
        return reverse("staff:meeting-list")


class MeetingUpdateView(LegislativeStaffRequired, UpdateView):
    template_name = "staff/meeting_form.html"
    nav = "meetings"
    model = Meeting
    form_class = forms.MeetingForm

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("changes", selectors.meeting_changes(self.object))
        return super().get_context_data(**kwargs)

    def get_success_url(self) -> str:
        messages.success(
            self.request, _("已保存%(name)s。") % {"name": self.object.name}
        )
        return reverse("staff:meeting-list")
