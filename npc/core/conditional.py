"""
Conditional requests for optimistic concurrency: ``ETag`` out, ``If-Match`` in.

A bill's ETag is its ``version``, a comment's its ``revision``. A client sends the
ETag it read back in ``If-Match`` (or the number in the body); the service then
refuses the write if the record changed meanwhile. A stale ``If-Match`` answers
412 Precondition Failed, a stale body field 409 Conflict; neither writes anything.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _
from rest_framework.request import Request
from rest_framework.response import Response

from .errors import ConcurrentUpdate, PreconditionFailed

_ETAG = re.compile(r'\s*(?:W/)?"?([^",\s]*)"?\s*')


def etag(number: int) -> str:
    """Return the strong ETag for a version or revision number."""
    return f'"{number}"'


def with_etag(response: Response, number: int) -> Response:
    response["ETag"] = etag(number)
    return response


def if_match(request: Request) -> list[str] | None:
    """Return the entity tags of ``If-Match`` (unquoted), or None without one."""
    header = request.headers.get("If-Match")
    if header is None:
        return None
    return [m.group(1) for m in _ETAG.finditer(header) if m.group(1)]


def expected_number(
    request: Request, *, body_value: int | None, current: int
) -> int | None:
    """
    Return the version the caller claims to have read, or None if it claims none.

    With ``If-Match``, the caller's tags must include ``current`` (the version just
    read), else 412 at once; ``*`` matches any version. The service checks the
    returned number again under its row lock, so a write in between is refused too.
    """
    tags = if_match(request)
    if tags is None:
        return body_value
    if "*" in tags:
        return None
    if str(current) in tags:
        return current
    raise PreconditionFailed(
        _("数据已被他人修改（当前版本 %(current)s），请刷新后重试。")
        % {"current": current}
    )


@contextmanager
def precondition(request: Request) -> Iterator[None]:
    """Turn a service's ConcurrentUpdate into 412 when the caller sent If-Match."""
    try:
        yield
    except ConcurrentUpdate as exc:
        if if_match(request) is not None and not isinstance(exc, PreconditionFailed):
            raise PreconditionFailed(exc.message) from exc
        raise
