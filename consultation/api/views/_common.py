"""
What several views share: the If-Match parameter and the stale answers, and
keeping a public response whole.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from drf_spectacular.utils import OpenApiParameter
from rest_framework.response import Response

from npc.core.apiviews import refused
from npc.core.responsecache import cache_public

from ... import selectors

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description='The ETag you read (the revision, e.g. "2"). A stale one gets 412 '
    "and nothing is written.",
)
REVISION_ETAG = {"x-etag": "revision"}
STALE = {
    409: refused("The record changed since you read it (revision in the body)."),
    412: refused("If-Match does not name the current revision."),
}


@cache_public(selectors.public_versions_of_request)
def _shared(request: HttpRequest, respond: Callable[[], Response]) -> Response:
    """
    Return ``respond()``, kept for every anonymous reader of the same URL under
    the counts version (of the one bill it asks for, if it does:
    :func:`consultation.selectors.public_versions_of_request`;
    :mod:`npc.core.responsecache`), when it is JSON: the
    browsable API's HTML carries the reader's CSRF token, which no other reader
    may get, so it is marked private and never kept.
    """
    return _json_shared(respond())


@cache_public(selectors.stats_versions_of_request)
def _shared_stats(request: HttpRequest, respond: Callable[[], Response]) -> Response:
    """
    :func:`_shared` for the statistics: the city's are kept under the city's
    period (:func:`consultation.selectors.stats_versions_of_request`), as on
    the statistics page, not moved on by every comment.
    """
    return _json_shared(respond())


def _json_shared(response: Response) -> Response:
    renderer = getattr(response, "accepted_renderer", None)
    if renderer is not None and renderer.media_type != "application/json":
        response["Cache-Control"] = "private"
    return response
