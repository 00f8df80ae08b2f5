"""The pieces every staff page of the legislation side shares: access and the bill."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property

from npc.core.roles import is_legislative_staff

from ..models import Bill

PAGE_SIZE = 50


# --- access ----------------------------------------------------------------------


class LegislativeStaffRequired(LoginRequiredMixin, UserPassesTestMixin):
    """Legislative staff and administrators; anonymous users are sent to log in."""

    nav = "bills"

    def test_func(self) -> bool:
        return is_legislative_staff(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("nav", self.nav)
        return super().get_context_data(**kwargs)


class BillMixin(LegislativeStaffRequired):
    """A page about one bill, named by its slug in the URL."""

    @cached_property
    def bill(self) -> Bill:
        return get_object_or_404(Bill, slug=self.kwargs["slug"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("bill", self.bill)
        return super().get_context_data(**kwargs)
