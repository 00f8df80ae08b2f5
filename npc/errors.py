"""
The base of every domain error, and how the API presents errors.

Services raise subclasses of :class:`DomainError`; pages show ``message`` and the
API answers with JSON ``{"code": …, "detail": …}`` and the class's HTTP status.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler


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


class NotPermitted(DomainError):
    """The actor may not do this to this record."""

    code = "permission_denied"
    http_status = status.HTTP_403_FORBIDDEN


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """Render domain errors and DRF errors alike: a stable ``code`` and a ``detail``."""
    if isinstance(exc, DomainError):
        body: dict[str, Any] = {"code": exc.code, "detail": exc.message}
        if exc.details is not None:
            body["errors"] = exc.details
        return Response(body, status=exc.http_status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else exc.messages
        )
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
            "detail": "请求数据无效。",
            "errors": response.data,
        }
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
