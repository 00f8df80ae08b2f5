"""A clerk's points, and the consultations: list, record, change, detail."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from legislation.selectors import visible_bills
from npc.core.paging import keyset_page

from .. import access, selectors, services
from ..errors import DomainError
from ..filters import ConsultationFilter
from ..forms import ConsultationForm, ReopenForm
from ..models import Channel, ImportBatch
from .common import (
    PAGE_SIZE,
    ConsultationAccessRequired,
    form_error,
    mark_rows,
    query_with,
    save_or_show,
    visible_consultation,
)


class PointOverviewView(ConsultationAccessRequired, TemplateView):
    """A clerk's points (staff: all points), their numbers, and recent work."""

    template_name = "staff/consultation/points.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        stats = {row.point.pk: row for row in selectors.point_stats(public=False)}
        points = list(access.points_for(user).order_by("district", "name"))
        rows = [
            (point, stat, stat.comments - stat.decided if stat else 0)
            for point in points
            for stat in [stats.get(point.pk)]
        ]
        recent_imports = (
            ImportBatch.objects.filter(
                consultation__in=access.visible_consultations(user)
            )
            .select_related("consultation")
            .order_by("-created_at", "-pk")[:10]
        )
        can_decide = access.can_decide(user)
        # The bills whose comments staff decide on, each with its triage board.
        boards = (
            visible_bills(user)
            .filter(consultations__isnull=False)
            .distinct()
            .order_by("-plan_year", "title")
            if can_decide
            else []
        )
        return super().get_context_data(
            nav="consultation-points",
            rows=rows,
            consultations=list(selectors.consultation_list(user)[:10]),
            imports=list(recent_imports),
            boards=list(boards),
            can_decide=can_decide,
            **kwargs,
        )


class PointChangesView(ConsultationAccessRequired, TemplateView):
    """What changed in one of the reader's points (its details, its clerks)."""

    template_name = "staff/consultation/point_changes.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        point = get_object_or_404(
            access.points_for(self.request.user), pk=self.kwargs["pk"]
        )
        return super().get_context_data(
            nav="consultation-points",
            point=point,
            changes=selectors.point_changes(point),
            **kwargs,
        )


class ConsultationListView(ConsultationAccessRequired, TemplateView):
    """The consultations the user may manage, filtered, a page at a time."""

    template_name = "staff/consultation/consultation_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        filterset = ConsultationFilter(
            self.request.GET, queryset=selectors.consultation_list(user)
        )
        page = keyset_page(filterset.qs, self.request.GET, size=PAGE_SIZE)
        rows, next_after = page.rows, page.older
        return super().get_context_data(
            nav="consultation-list",
            filter=filterset,
            consultations=rows,
            next_query=query_with(self.request, after=next_after)
            if next_after
            else None,
            first_query=query_with(self.request, after=None)
            if self.request.GET.get("after")
            else None,
            bills=visible_bills(user).order_by("-plan_year", "title"),
            points=access.points_for(user).order_by("district", "name"),
            channels=Channel.choices,
            **kwargs,
        )


class ConsultationCreateView(ConsultationAccessRequired, TemplateView):
    """Record a consultation (a clerk at their own points)."""

    template_name = "staff/consultation/consultation_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", ConsultationForm(user=self.request.user))
        return super().get_context_data(nav="consultation-list", **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ConsultationForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                consultation = services.record_consultation(
                    by=request.user, **form.service_arguments()
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("已记录征求意见活动。"))
                return redirect("staff:consultation-detail", pk=consultation.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ConsultationUpdateView(ConsultationAccessRequired, TemplateView):
    """Change a consultation; a stale revision gets a conflict, nothing written."""

    template_name = "staff/consultation/consultation_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or not self.test_func():
            return self.handle_no_permission()
        self.consultation = visible_consultation(request.user, kwargs["pk"])
        if not access.can_edit_consultation(request.user, self.consultation):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault(
            "form", ConsultationForm(user=self.request.user, instance=self.consultation)
        )
        return super().get_context_data(
            nav="consultation-list", consultation=self.consultation, **kwargs
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ConsultationForm(
            request.POST, user=request.user, instance=self.consultation
        )
        return save_or_show(
            self,
            form,
            lambda: services.update_consultation(
                consultation=self.consultation,
                by=request.user,
                expected_revision=form.cleaned_data["revision"],
                **form.service_arguments(),
            ),
            saved=_("已保存。"),
            then=redirect("staff:consultation-detail", pk=self.consultation.pk),
            context={"form": form},
        )


class ConsultationDetailView(ConsultationAccessRequired, TemplateView):
    """A consultation and its comments, with who made them to those allowed."""

    template_name = "staff/consultation/consultation_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        consultation = get_object_or_404(
            selectors.consultation_list(user), pk=self.kwargs["pk"]
        )
        page = keyset_page(
            selectors.comment_list(user).filter(consultation=consultation),
            self.request.GET,
            size=PAGE_SIZE,
        )
        comments, next_after = page.rows, page.older
        state, today = services.closing_of(consultation), timezone.localdate()
        return super().get_context_data(
            nav="consultation-list",
            consultation=consultation,
            comments=mark_rows(user, comments),
            next_query=query_with(self.request, after=next_after)
            if next_after
            else None,
            first_query=query_with(self.request, after=None)
            if self.request.GET.get("after")
            else None,
            imports=list(consultation.imports.order_by("-created_at", "-pk")[:10]),
            closing=state.describe(today),
            accepting=state.accepts_on(today),
            reopenings=list(
                consultation.reopenings.select_related("reopened_by").order_by(
                    "-reopened_at", "-pk"
                )
            ),
            reopen_form=kwargs.pop("reopen_form", None) or ReopenForm(),
            can_edit=access.can_edit_consultation(user, consultation),
            can_enter=access.can_enter_comment(user, consultation),
            can_decide=access.can_decide(user),
            changes=selectors.consultation_changes(consultation),
            **kwargs,
        )


class ConsultationReopenView(ConsultationDetailView):
    """Staff reopen a closed consultation until a day, with a recorded reason."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_decide(request.user):
            raise PermissionDenied
        consultation = get_object_or_404(
            selectors.consultation_list(request.user), pk=kwargs["pk"]
        )
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                services.reopen_consultation(
                    consultation=consultation,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    until=form.cleaned_data["until"],
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("已重新开放，理由已记录。"))
                return redirect("staff:consultation-detail", pk=consultation.pk)
        return self.render_to_response(
            self.get_context_data(reopen_form=form), status=400
        )
