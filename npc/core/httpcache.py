"""
Public responses fit for a shared HTTP cache (a reverse proxy, a CDN) in front.

A public page or public API read is the same for every anonymous reader of its
URL (its language is in the URL too: :mod:`npc.public.middleware`). Marked

    Cache-Control: public, max-age=0, s-maxage=10, stale-while-revalidate=30,
                   stale-if-error=86400

with an ``ETag``, it can be served by the cache in front for NPC_SHARED_CACHE_SECONDS
(``s-maxage``) without reaching the app: a rush of readers costs the app about one
request per page every few seconds, and a change shows within that lifetime. For
NPC_SHARED_CACHE_STALE_SECONDS more the cache may serve the old copy while it
fetches the new one in the background (no stampede on the app when a copy ages),
and for NPC_SHARED_CACHE_ERROR_SECONDS it may serve it while the app does not
answer. Browsers keep nothing (``max-age=0``, NPC_BROWSER_CACHE_SECONDS): they
ask again each time with ``If-None-Match`` and get ``304 Not Modified`` when the
copy they hold is still current — from the cache in front, or from the app.

Shared is only what can be the same for everyone (fail closed):
- a GET or HEAD answered 200, on the public site (namespace ``public``) or the
  API (``api``), except the addresses that belong to one reader
  (:data:`PERSONAL_VIEWS`: receipt lookups, the comment form and its receipt,
  mail confirmations);
- to a request with no ``Authorization`` header and no session cookie (so from
  nobody signed in), whose answer sets no cookie (a form's CSRF token, a
  message, a session: all per reader) and carries no ``Cache-Control`` of its
  own (a view that said ``private`` or ``no-store`` is obeyed).
Any other response without a ``Cache-Control`` of its own is marked ``private,
no-store``: no cache in front keeps an error page, a redirect or a form.

A shared response does not say ``Vary: Cookie``, which the session and CSRF
middleware add whenever they look (a lookup is all it takes to find that nobody
is signed in): it was made from no cookie, and with that header a shared cache
would keep one copy per visitor's cookies (analytics and the like) or none at
all. A proxy must not serve a kept copy to a signed-in reader: it passes every
request carrying the session cookie or an ``Authorization`` header on to the app
(nginx: ``proxy_cache_bypass``/``proxy_no_cache`` on ``$cookie_sessionid``), as
the configuration in ``tests/proxy`` does; their answers are ``private,
no-store`` whatever the proxy does.

This middleware sits outside the session, CSRF and locale middleware (just
after WhiteNoise) so that it sees their headers and cookies.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control

from .responsecache import is_shared

SHARED_NAMESPACES = ("public", "api")
# Public addresses whose answer is one reader's: what a receipt code looks up,
# the comment form and the receipt shown after it, tokens from a mail.
PERSONAL_VIEWS = frozenset(
    {
        "public:receipt",
        "public:bill-comment",
        "public:comment-done",
        "public:comment-mail-confirm",
        "public:comment-mail-unsubscribe",
        "api:receipt",
        "api:bill-public-comments",
        "api:token",
        "api:tokens",
    }
)


def is_shareable(request: HttpRequest, response: HttpResponse) -> bool:
    """Say whether ``response`` to ``request`` may be kept by a shared cache."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if "Cache-Control" in response:
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or not is_shared(request):
        return False
    match = getattr(request, "resolver_match", None)
    if match is None or match.view_name in PERSONAL_VIEWS:
        return False
    return bool(match.namespaces) and match.namespaces[0] in SHARED_NAMESPACES


def _drop_vary_cookie(response: HttpResponse) -> None:
    vary = [
        field.strip()
        for field in response.get("Vary", "").split(",")
        if field.strip() and field.strip().lower() != "cookie"
    ]
    if vary:
        response["Vary"] = ", ".join(vary)
    elif "Vary" in response:
        del response["Vary"]


def _mark_shared(response: HttpResponse) -> None:
    seconds = settings.NPC_SHARED_CACHE_SECONDS
    if seconds:
        patch_cache_control(
            response,
            public=True,
            max_age=settings.NPC_BROWSER_CACHE_SECONDS,
            s_maxage=seconds,
            stale_while_revalidate=settings.NPC_SHARED_CACHE_STALE_SECONDS,
            stale_if_error=settings.NPC_SHARED_CACHE_ERROR_SECONDS,
        )
    else:
        # Kept by nobody without asking, still answered 304 when unchanged.
        patch_cache_control(response, no_cache=True)
    _drop_vary_cookie(response)
    if "ETag" not in response:
        # A view's own ETag (a bill's version) is kept: clients send it back in
        # If-Match. Otherwise the body's digest: equal bodies, equal tags.
        digest = hashlib.blake2b(response.content, digest_size=16).hexdigest()
        response["ETag"] = f'"{digest}"'


class SharedCacheMiddleware:
    """Mark shareable responses for the cache in front, the rest private."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if is_shareable(request, response):
            _mark_shared(response)
            return get_conditional_response(
                request, etag=response["ETag"], response=response
            )
        if "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response
