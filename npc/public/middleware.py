"""
Chinese first: the site speaks Chinese unless the visitor chose English.

The language of a public page is in its URL: Chinese at the plain address
(``/bills/``), English under ``/en/`` (``/en/bills/``), as
``i18n_patterns(prefix_default_language=False)`` lays them out in
:mod:`npc.urls`. A shared cache in front (a reverse proxy, a CDN) keys on the URL
alone, so it can keep both languages of every page without ``Vary: Cookie`` or
``Vary: Accept-Language`` (:mod:`npc.core.httpcache`); a link, a bookmark or a
search result carries its language with it.

The API takes ``?lang=en`` (anything else is Chinese): a client names the
language on each request, the URL again being the cache's whole key. An
``/en/api/`` would double every endpoint in the OpenAPI description for the
labels of a few ``*_display`` fields.

Only the signed-in surfaces (staff pages, the admin, the login pages), whose
answers are private and never shared, still follow the language cookie.
"""

import functools

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.urls import get_urlconf, translate_url
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

# The query parameter of the old language links (``?lang=en``) and of the API.
LANGUAGE_PARAMETER = "lang"
API_PREFIX = "/api/"
# Surfaces for signed-in people, outside the language prefixes: their language
# is the one last chosen with the switch (the cookie).
COOKIE_PREFIXES = ("/staff/", "/admin/", "/accounts/")


def _supported() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """
    Activate the language of the URL (``/en/…`` English, else Chinese) — never
    the browser's Accept-Language, and on the public site never a cookie.

    The city's site is in Chinese for everyone; a browser set to English does
    not turn it into a half-translated English site. The switch in the header
    is a pair of plain links to the page's address in each language; the older
    ``?lang=en`` links still work: such a GET sends the visitor to the page's
    address in that language (and sets the cookie the staff pages follow).
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        supported = _supported()
        from_path = translation.get_language_from_path(path)
        if path.startswith(API_PREFIX):
            asked = request.GET.get(LANGUAGE_PARAMETER, "")
            language = asked if asked in supported else settings.LANGUAGE_CODE
        elif from_path:
            language = from_path
        elif path.startswith(COOKIE_PREFIXES):
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
            language = chosen if chosen in supported else settings.LANGUAGE_CODE
        else:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        if (
            request.method in ("GET", "HEAD")
            and LANGUAGE_PARAMETER in request.GET
            and not path.startswith(API_PREFIX)  # the API reads the parameter
        ):
            return _switch(request, request.GET[LANGUAGE_PARAMETER], supported)
        return None

    def process_response(
        self, request: HttpRequest, response: HttpResponse
    ) -> HttpResponse:
        # No Vary: Accept-Language, unlike Django's: that header never chooses.
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def language_url(request: HttpRequest, language: str) -> str:
    """
    Return the address of the page ``request`` shows, in ``language``.

    A public page has one address per language; any other page (staff, errors)
    has one address, and its link carries ``?lang=`` for the switch.
    """
    query = request.GET.copy()
    query.pop(LANGUAGE_PARAMETER, None)
    target = _translated(
        request.path,
        language,
        translation.get_language(),
        settings.ROOT_URLCONF,
        get_urlconf(),
    )
    if target == request.path and language != translation.get_language():
        query[LANGUAGE_PARAMETER] = language
    return target + (f"?{query.urlencode()}" if query else "")


@functools.lru_cache(maxsize=2048)
def _translated(path: str, language: str, *_resolved_under: object) -> str:
    """
    ``translate_url(path, language)``, remembered: a page draws its address in
    each language several times (the switch, the alternates), and each is a
    resolve and a reverse. Keyed by what the path is resolved under too (the
    active language, the URLconf, which a test may change).
    """
    return translate_url(path, language)


def _switch(request: HttpRequest, language: str, supported: set[str]) -> HttpResponse:
    """Redirect to the page in ``language`` (if supported), remembering it."""
    query = request.GET.copy()
    query.pop(LANGUAGE_PARAMETER, None)
    path = translate_url(request.path, language) if language in supported else None
    url = (path or request.path) + (f"?{query.urlencode()}" if query else "")
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        url = "/"  # a path such as //elsewhere.example/ is no way off the site
    response = HttpResponseRedirect(url)
    add_never_cache_headers(response)
    if language in supported:
        # As django.views.i18n.set_language sets it, for the signed-in surfaces.
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    return response
