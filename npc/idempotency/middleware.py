"""
Honour ``Idempotency-Key`` on POST requests (the API), and the hidden
``_idempotency_key`` field of staff forms that create something and of the
public comment form.

The first request with a key runs and its answer is kept (in the database, for
``NPC_IDEMPOTENCY_HOURS``). The same key again:

- with the same method, path and body: the kept answer, and nothing is done again;
- with another body: 422 ``idempotency_key_reused``;
- while the first is still running: 409 ``idempotency_in_progress``.

Only a success (2xx, or a redirect after a form) is kept: after a refusal or an
error, the same key may be sent again, with a corrected body.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils import timezone
from django.utils.translation import gettext as _

from npc.core.clientip import client_address

from .models import IdempotentRequest

HEADER = "HTTP_IDEMPOTENCY_KEY"
# A first request still "running" after this long died with its process: a retry
# with the same key runs again.
ABANDONED_AFTER = dt.timedelta(minutes=10)
FORM_FIELD = "_idempotency_key"
# Where a form's hidden key counts: staff pages, and the public comment form.
FORM_PATHS = re.compile(r"^/staff/|^/bills/[^/]+/comment/$")
MAX_KEY_LENGTH = 255


def _scope(request: HttpRequest) -> str:
    """Whose key this is: the signed-in user, the token sent, or the address."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        who = f"user:{user.pk}"
    elif "HTTP_AUTHORIZATION" in request.META:
        who = f"auth:{request.META['HTTP_AUTHORIZATION']}"
    else:
        who = f"addr:{client_address(request)}"
    return hashlib.sha256(who.encode()).hexdigest()


def _fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    content_type = request.content_type or ""
    if content_type.startswith(("multipart/", "application/x-www-form-urlencoded")):
        for name in sorted(request.POST):
            if name in (FORM_FIELD, "csrfmiddlewaretoken"):
                continue
            for value in request.POST.getlist(name):
                digest.update(f"{name}={value}\n".encode())
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                digest.update(f"{name}:{upload.name}\n".encode())
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
    else:
        digest.update(request.body)
    return digest.hexdigest()


def _refusal(code: str, detail: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"code": code, "detail": detail},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


def _replay(kept: IdempotentRequest) -> HttpResponse:
    response = HttpResponse(
        bytes(kept.body), status=kept.status, content_type=kept.content_type or None
    )
    if kept.location:
        response["Location"] = kept.location
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    """See the module docstring. Placed after authentication and sessions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def _key(self, request: HttpRequest) -> str | None:
        if request.method != "POST":
            return None
        key = request.META.get(HEADER)
        if key is None and FORM_PATHS.match(request.path):
            key = request.POST.get(FORM_FIELD)
        return key or None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = self._key(request)
        if key is None:
            return self.get_response(request)
        if len(key) > MAX_KEY_LENGTH:
            return _refusal(
                "invalid", _("Idempotency-Key 过长（最多255个字符）。"), 400
            )
        try:
            scope, fingerprint = _scope(request), _fingerprint(request)
        except MultiPartParserError:
            # A multipart body without a valid boundary: the client's fault.
            return _refusal("invalid", _("请求无法解析。"), 400)
        cutoff = timezone.now() - dt.timedelta(hours=settings.NPC_IDEMPOTENCY_HOURS)
        IdempotentRequest.objects.filter(
            scope=scope, key=key, created_at__lt=cutoff
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotentRequest.objects.create(
                    scope=scope,
                    key=key,
                    method=request.method,
                    path=request.path[:2000],
                    fingerprint=fingerprint,
                )
        except IntegrityError:
            kept = IdempotentRequest.objects.filter(scope=scope, key=key).first()
            if kept is None:  # expired and removed in between: run it
                return self.get_response(request)
            if kept.fingerprint != fingerprint:
                return _refusal(
                    "idempotency_key_reused",
                    _("该 Idempotency-Key 已用于另一个请求，请换一个新的键。"),
                    422,
                )
            if (
                kept.status is None
                and kept.created_at < timezone.now() - ABANDONED_AFTER
            ):
                kept.delete()
                return self(request)
            if kept.status is None:
                return _refusal(
                    "idempotency_in_progress",
                    _("使用该 Idempotency-Key 的请求仍在处理中，请稍后重试。"),
                    409,
                )
            return _replay(kept)
        try:
            response = self.get_response(request)
        except BaseException:
            record.delete()
            raise
        if response.status_code >= 400 or response.streaming:
            record.delete()
            return response
        record.status = response.status_code
        record.content_type = response.get("Content-Type", "")
        record.location = response.get("Location", "")[:2000]
        record.body = response.content
        record.save(update_fields=["status", "content_type", "location", "body"])
        return response


def purge(*, older_than: dt.timedelta) -> int:
    """Delete the kept answers older than ``older_than``; return how many."""
    cutoff = timezone.now() - older_than
    deleted, _ = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def schema_hook(result: dict, generator, request, public) -> dict:  # noqa: ANN001
    """Describe the ``Idempotency-Key`` header on every POST of the API."""
    parameter = {
        "in": "header",
        "name": "Idempotency-Key",
        "required": False,
        "schema": {"type": "string", "maxLength": MAX_KEY_LENGTH},
        "description": "Any unique string (e.g. a UUID). Sent again with the same "
        "body within 24 hours, the request is not done again: the first answer "
        "is returned (header Idempotent-Replayed: true). With another body: 422.",
    }
    for item in result.get("paths", {}).values():
        operation = item.get("post")
        if operation is None:
            continue
        operation.setdefault("parameters", []).append(parameter)
        responses = operation.setdefault("responses", {})
        # The error body every refusal shares (declared by npc.api for 400).
        error = responses.get("400", {}).get("content")
        for code, description in (
            ("409", "The request first sent with this Idempotency-Key still runs."),
            ("422", "This Idempotency-Key was first sent with another request."),
        ):
            responses.setdefault(code, {"description": description})
            if error and "content" not in responses[code]:
                responses[code]["content"] = error
    return result
