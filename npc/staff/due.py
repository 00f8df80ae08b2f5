"""The staff page "due and overdue": every legal deadline near or passed, today."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import timezone
from django.views.generic import TemplateView

from consultation import clocks
from legislation.views import LegislativeStaffRequired


class DueView(LegislativeStaffRequired, TemplateView):
    """List the day's cases (the same as the daily digest), overdue first."""

    template_name = "staff/due.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        cases = clocks.all_cases(today)
        context.update(
            nav="due",
            today=today,
            overdue=[c for c in cases if c.overdue],
            due=[c for c in cases if not c.overdue],
            min_period_days=settings.NPC_MIN_COMMENT_PERIOD_DAYS,
        )
        return context
