"""Staff pages for bills: parse the request, call a service or selector, present."""

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from npc.roles import is_legislative_staff

from .models import Bill


class LegislativeStaffRequired(LoginRequiredMixin, UserPassesTestMixin):
    """Only legislative staff and administrators."""

    def test_func(self) -> bool:
        return is_legislative_staff(self.request.user)


class StaffHomeView(LoginRequiredMixin, TemplateView):
    template_name = "staff/home.html"


class BillWorkspaceView(LegislativeStaffRequired, DetailView):
    template_name = "staff/bill_detail.html"
    context_object_name = "bill"

    def get_object(self, queryset=None):  # noqa: ANN001, ANN201
        return get_object_or_404(Bill, slug=self.kwargs["slug"])
