"""
Whole public responses kept in the cache.

A public page or public API list is the same for every anonymous reader who
asks for it in one language and one format, until the records it shows change.
So a view may keep its whole response under a key made of the request (path,
query, language, ``Accept``) and of *versions* the view names: the bill's
``version``, the version of its kept comment counts
(:func:`consultation.counters.version`), … A change that moves one of them
shows at once; any other change shows within NPC_PUBLIC_CACHE_SECONDS, the
life of every kept response (0 keeps nothing).

Only what is the same for everyone is kept: GET and HEAD from a reader who is
not signed in (no session user, no ``Authorization`` header), answered 200 with
no cookie set. Headers added by middleware afterwards (security, CSP, language)
are not kept; they are added to every response, kept or not.

A response is kept once per request, with the versions it was made under: when
they move on, one reader makes it again while the others are served the
previous copy for a bounded time (:mod:`npc.core.parts`), so that a comment
arriving while many read the page does not make every process render it.

That copy is kept, whatever the versions, for NPC_PUBLIC_STALE_SECONDS: while
the database does not answer, a reader gets it (marked ``X-Served-Stale``)
rather than an error page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import get_language

from npc.core import replica

from .cache import read_once
from .parts import part, peek, read_along

_PREFIX = "public-response:v1:"
# The header that marks a copy served while the database does not answer.
STALE_HEADER = "X-Served-Stale"
# Headers of the view's own response worth keeping (the rest is middleware's).
_KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Vary", "ETag", "Link")


def is_shared(request: HttpRequest) -> bool:
    """Say whether ``request`` gets the response every anonymous reader gets."""
    if request.method not in ("GET", "HEAD"):
        return False
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _key(request: HttpRequest, parts: Iterable[object], prefix: str = _PREFIX) -> str:
    raw = "\x1f".join(
        str(part)
        for part in (
            request.get_full_path(),
            get_language(),
            request.META.get("HTTP_ACCEPT", ""),
            # A copy made from the read replica is kept apart (npc.core.replica).
            replica.key_part(),
            *parts,
        )
    )
    return prefix + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


def _response(kept: tuple) -> HttpResponse:
    content, headers = kept
    response = HttpResponse(content)
    for name, value in headers:
        response.headers[name] = value
    return response


def last_kept(request: HttpRequest) -> HttpResponse | None:
    """Return the last response kept for ``request``, marked stale, if any."""
    kept = peek((_key(request, ()),))
    if not isinstance(kept, tuple):
        return None
    response = _response(kept)
    response[STALE_HEADER] = "database-unavailable"
    response["Cache-Control"] = "no-store"
    return response


def _keepable(response: HttpResponseBase) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and "Cache-Control" not in response.headers
    )


def _frozen(response: HttpResponseBase) -> tuple | HttpResponseBase:
    """
    Return what is kept of ``response`` (its content and the view's headers),
    or the response itself when it may not be kept.
    """
    render = getattr(response, "render", None)
    if render is not None and not getattr(response, "is_rendered", True):
        response = render() or response
    if not _keepable(response):
        return response
    headers = [(h, response.headers[h]) for h in _KEPT_HEADERS if h in response]
    return (response.content, headers)


def cached_response(
    request: HttpRequest,
    respond: Callable[[], HttpResponseBase],
    *parts: object,
) -> HttpResponseBase:
    """
    Return the kept response for ``request`` and ``parts``, or ``respond()``,
    kept for the next reader when it can be shared.

    One copy is kept per request, with the ``parts`` it was made under
    (:func:`npc.core.parts.part`): when they moved on, one reader makes the
    response again while the others are served the previous copy, for at most
    NPC_PUBLIC_REBUILD_SECONDS; a reader who follows a change sees it at once.
    """
    seconds = settings.NPC_PUBLIC_CACHE_SECONDS
    if not seconds or not is_shared(request):
        return respond()
    try:
        kept = part(
            (_key(request, ()),),
            lambda: _frozen(respond()),
            version=parts,
            fresh_for=seconds,
            # The copy outlives its freshness: the previous copy while one
            # reader makes it again, the last one while the database is down.
            timeout=max(
                seconds + settings.NPC_PUBLIC_REBUILD_SECONDS,
                settings.NPC_PUBLIC_STALE_SECONDS,
            ),
            keep=lambda value: isinstance(value, tuple),
        )
    except (OperationalError, InterfaceError):
        stale = last_kept(request)
        if stale is None:
            raise
        return stale
    return _response(kept) if isinstance(kept, tuple) else kept


def cache_public(
    versions: Callable[..., Iterable[object]] = lambda request, *a, **kw: (),
) -> Callable:
    """
    Keep a view's shared responses, under the versions ``versions(request,
    *args, **kwargs)`` names (see the module's docstring). Decorates a view
    function, or a class-based view's ``dispatch`` through ``method_decorator``.
    """

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            if not settings.NPC_PUBLIC_CACHE_SECONDS or not is_shared(request):
                return view(request, *args, **kwargs)
            # The versions the page is kept under are those its parts are
            # kept under: each read from the cache once, and the kept page
            # read with them.
            with read_once():
                read_along([(_key(request, ()),)])
                try:
                    parts = tuple(versions(request, *args, **kwargs))
                except (OperationalError, InterfaceError):
                    stale = last_kept(request)
                    if stale is None:
                        raise
                    return stale
                return cached_response(
                    request, lambda: view(request, *args, **kwargs), *parts
                )

        return wrapper

    return decorate
