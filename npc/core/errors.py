"""
The base of every domain error, and how the API presents errors.

Services raise subclasses of :class:`DomainError`; pages show ``message`` and the
API answers with JSON ``{"code": …, "detail": …}`` and the class's HTTP status.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """A well-formed request that the rules of the legislative process forbid."""

    code = "domain_error"
    http_status = status.HTTP_400_BAD_REQUEST

    def __init__(self, message: Any, *, details: Any = None) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.details = details


class ConcurrentUpdate(DomainError):
    """The record changed since the caller read it; nothing was written."""

    code = "conflict"
    http_status = status.HTTP_409_CONFLICT


class PreconditionFailed(ConcurrentUpdate):
    """The caller's ``If-Match`` names a version that is no longer current."""

    code = "precondition_failed"
    http_status = status.HTTP_412_PRECONDITION_FAILED


class InUse(DomainError):
    """The record is still referred to by others and cannot be deleted."""

    code = "in_use"
    http_status = status.HTTP_409_CONFLICT


class NotPermitted(DomainError):
    """The actor may not do this to this record."""

    code = "permission_denied"
    http_status = status.HTTP_403_FORBIDDEN


class ErrorSerializer(serializers.Serializer):
    """The body of every refused API request (for the OpenAPI description)."""

    code = serializers.CharField(help_text="Stable, machine-readable error code.")
    detail = serializers.CharField(help_text="Human-readable explanation.")
    errors = serializers.JSONField(
        required=False,
        help_text="Per-field messages (code invalid) or the list of problems found.",
    )


UNAVAILABLE = _lazy("服务暂时不可用，请稍后重试。")


def server_error(request: HttpRequest) -> Any:
    """
    Answer an unhandled error: JSON under /api/ (a client there reads JSON, even
    when the error happened before any API view ran, e.g. with the database
    down), the site's error page elsewhere.
    """
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "server_error", "detail": str(_lazy("服务器内部错误。"))},
            status=500,
            json_dumps_params={"ensure_ascii": False},
        )
    return defaults.server_error(request)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Render domain errors and DRF errors alike: a stable ``code`` and a ``detail``."""
    if isinstance(exc, SuspiciousOperation):
        # Too many form fields, a body over the size limit…: the client's fault.
        exc = exceptions.ParseError(str(exc) or _("请求无法解析。"))
    elif isinstance(exc, ProtectedError | RestrictedError):
        exc = InUse(_("该记录仍被其他记录引用，不能删除。"))
    elif isinstance(exc, IntegrityError):
        # A race past the checks (two requests creating the same slug at once):
        # the database kept its invariant; tell the caller to retry.
        logger.warning("Integrity error answered with 409: %s", exc)
        exc = ConcurrentUpdate(_("数据与其他记录冲突，请刷新后重试。"))
    elif isinstance(exc, OperationalError | InterfaceError):
        # The database does not answer (restarting, overloaded): say so, in JSON.
        logger.error("Database unavailable: %s", exc)
        return Response(
            {"code": "service_unavailable", "detail": str(UNAVAILABLE)},
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"code": exc.code, "detail": exc.message}
        if exc.details is not None:
            body["errors"] = exc.details
        return Response(body, status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        # The same messages, with their codes (``unique``… read below).
        exc = exceptions.ValidationError(get_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "code": "invalid",
            "detail": _("请求数据无效。"),
            "errors": response.data,
        }
        codes = _codes(exc.get_codes())
        if codes == {"does_not_exist"}:
            # A well-formed request naming only records that do not exist (an
            # unknown consultation or bill id): not found, as for a path.
            response.status_code = status.HTTP_404_NOT_FOUND
            response.data["code"] = "not_found"
            response.data["detail"] = _("引用的记录不存在。")
        elif codes == {"unique"}:
            # A well-formed record that another one already holds the slug or
            # number of: a conflict with the current state, not a bad request.
            response.status_code = status.HTTP_409_CONFLICT
            response.data["code"] = "conflict"
            response.data["detail"] = _("与已有记录重复。")
    elif isinstance(exc, exceptions.APIException):
        detail = (
            response.data.get("detail", "") if isinstance(response.data, dict) else ""
        )
        response.data = {
            "code": exc.get_codes()
            if isinstance(exc.get_codes(), str)
            else exc.default_code,
            "detail": str(detail),
        }
    return response


def _codes(codes: Any) -> set[str]:
    """Every error code in a ValidationError's (nested) ``get_codes()``."""
    if isinstance(codes, dict):
        return set().union(*map(_codes, codes.values()))
    if isinstance(codes, list):
        return set().union(*map(_codes, codes))
    return {codes}
