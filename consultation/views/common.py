"""Helpers shared by the consultation pages: role checks, page size, answers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, UserPassesTestMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import (
    content_disposition_header,
    url_has_allowed_host_and_scheme,
)

from .. import access
from ..errors import ConcurrentUpdate, DomainError, NotPermitted
from ..models import Comment, Consultation

PAGE_SIZE = 50
ENTRY_SESSION_KEEP = 200  # comments of one fast-entry session listed on its page


class ConsultationAccessRequired(LoginRequiredMixin, UserPassesTestMixin):
    """Clerks with a point, legislative staff and administrators."""

    def test_func(self) -> bool:
        return access.has_consultation_access(self.request.user)


class DecideRequired(LoginRequiredMixin, UserPassesTestMixin):
    """Those who decide on comments: legislative staff and administrators."""

    def test_func(self) -> bool:
        return access.can_decide(self.request.user)


def positive_int(value: str | None) -> int | None:
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value) or None


def query_with(request: HttpRequest, **changes: Any) -> str:
    """Return the request's query string with ``changes`` applied (None drops)."""
    params = request.GET.copy()
    for name, value in changes.items():
        params.pop(name, None)
        if value is not None:
            params[name] = value
    return params.urlencode()


def safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def attachment(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"


def mark_rows(user: Any, comments: list[Comment]) -> list[Comment]:
    """Mark each comment with whether ``user`` may read who made it, and edit it."""
    for comment in comments:
        comment.show_personal = access.can_see_personal_data(user, comment)
        comment.can_edit = access.can_edit_comment(user, comment)
    return comments


def form_error(form: Any, exc: DomainError) -> None:
    form.add_error(None, exc.message)


def save_or_show(
    view: Any,
    form: Any,
    save: Callable[[], Any],
    *,
    saved: str,
    then: HttpResponse,
    context: dict[str, Any] | None = None,
) -> HttpResponse:
    """
    Run ``save()`` (a service call) for a valid ``form`` and go on to ``then``
    with the message ``saved``; else show the form again with the service's
    refusal on it: 403 when the user may not, 409 with the conflict shown when
    someone else changed the record first.
    """
    context = context or {}
    if form.is_valid():
        try:
            save()
        except NotPermitted as exc:
            raise PermissionDenied(exc.message) from exc
        except DomainError as exc:
            form_error(form, exc)
            if isinstance(exc, ConcurrentUpdate):
                return view.render_to_response(
                    view.get_context_data(**context, conflict=True), status=409
                )
        else:
            messages.success(view.request, saved)
            return then
    return view.render_to_response(view.get_context_data(**context))


def visible_consultation(user: Any, pk: int) -> Consultation:
    return get_object_or_404(
        access.visible_consultations(user).select_related("bill", "version", "point"),
        pk=pk,
    )
