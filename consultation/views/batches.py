"""Imports of comment spreadsheets: upload, templates, progress and errors."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .. import access, imports, services
from ..errors import DomainError
from ..forms import ImportForm
from ..models import Contributor, ImportBatch
from ..services.imports import DuplicateImport
from .common import (
    CSV,
    XLSX,
    ConsultationAccessRequired,
    attachment,
    visible_consultation,
)


class ImportCreateView(ConsultationAccessRequired, TemplateView):
    """Upload a CSV or XLSX file of comments for one consultation."""

    template_name = "staff/consultation/import_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated or not self.test_func():
            return self.handle_no_permission()
        self.consultation = visible_consultation(request.user, kwargs["pk"])
        if not access.can_enter_comment(request.user, self.consultation):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        kwargs.setdefault("form", ImportForm())
        return super().get_context_data(
            nav="consultation-list",
            consultation=self.consultation,
            headers=imports.HEADERS,
            required=imports.REQUIRED,
            max_text=imports.MAX_TEXT_LENGTH,
            kinds=Contributor.Kind.labels,
            **kwargs,
        )

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = ImportForm(request.POST, request.FILES)
        duplicate = None
        if form.is_valid():
            try:
                batch = services.start_import(
                    by=request.user,
                    consultation=self.consultation,
                    uploaded_file=form.cleaned_data["file"],
                    different_comments=form.cleaned_data["different_comments"],
                )
            except DuplicateImport as exc:
                form.add_error("file", exc.message)
                duplicate = exc.batch
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("staff:import-detail", pk=batch.pk)
        return self.render_to_response(
            self.get_context_data(form=form, duplicate=duplicate)
        )


class ImportTemplateView(ConsultationAccessRequired, View):
    """Download the empty spreadsheet to fill in: CSV or XLSX."""

    def get(self, request: HttpRequest, fmt: str) -> HttpResponse:
        if fmt == "csv":
            return attachment(imports.template_csv(), _("意见导入模板.csv"), CSV)
        if fmt == "xlsx":
            return attachment(imports.template_xlsx(), _("意见导入模板.xlsx"), XLSX)
        raise Http404


def _batch(user: Any, pk: int) -> ImportBatch:
    return get_object_or_404(
        ImportBatch.objects.filter(
            consultation__in=access.visible_consultations(user)
        ).select_related("consultation__bill"),
        pk=pk,
    )


def _progress(batch: ImportBatch) -> dict[str, Any]:
    return {
        "status": batch.status,
        "status_label": batch.get_state_display(),
        "progress": batch.progress,
        "processed_rows": batch.processed_rows,
        "total_rows": batch.total_rows,
        "created_count": batch.created_count,
        "error_count": batch.error_count,
        "finished": batch.status
        in (ImportBatch.Status.DONE, ImportBatch.Status.FAILED),
    }


class ImportDetailView(ConsultationAccessRequired, TemplateView):
    """A batch's progress; when it failed, every error by row and column."""

    template_name = "staff/consultation/import_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        batch = _batch(self.request.user, self.kwargs["pk"])
        state = _progress(batch)
        return super().get_context_data(
            nav="consultation-list",
            batch=batch,
            consultation=batch.consultation,
            state=state,
            stalled=batch.stalled,
            more_errors=max(0, batch.error_count - len(batch.errors)),
            **kwargs,
        )


class ImportProgressView(ConsultationAccessRequired, View):
    """The batch's progress as JSON, for the page's poll."""

    def get(self, request: HttpRequest, pk: int) -> JsonResponse:
        return JsonResponse(_progress(_batch(request.user, pk)))
