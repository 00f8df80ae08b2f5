"""What the apps' API views share: refusals in the description, reading a body."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse
from rest_framework.request import Request

from .errors import ErrorSerializer


def refused(description: str) -> OpenApiResponse:
    """Describe a refusal: the API's error body, ``{"code", "detail"}``."""
    return OpenApiResponse(ErrorSerializer, description=description)


def validated(
    serializer_class: type,
    request: Request,
    *,
    context: dict[str, Any] | None = None,
    **kwargs: Any,
) -> dict[str, Any]:
    """Return the body of ``request`` as ``serializer_class`` validates it, or 400."""
    serializer = serializer_class(
        data=request.data, context={"request": request, **(context or {})}, **kwargs
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)
