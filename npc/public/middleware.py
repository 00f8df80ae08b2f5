"""Chinese first: the site speaks Chinese unless the visitor chose English."""

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.http import url_has_allowed_host_and_scheme

# The query parameter of the language switch's links: ``?lang=en``.
LANGUAGE_PARAMETER = "lang"
API_PREFIX = "/api/"


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """
    Activate the language the visitor chose with the switch (the language
    cookie), else ``LANGUAGE_CODE`` — never the browser's Accept-Language.

    The city's site is in Chinese for everyone; a browser set to English does
    not turn it into a half-translated English site. The switch in the header
    is a pair of plain links to the same page with ``?lang=en`` or
    ``?lang=zh-hans``: such a GET sets the cookie and sends the visitor back to
    the page without the parameter. Links, not a form posting to
    ``set_language``, so that a public page carries no CSRF token and can be
    kept whole for every reader (:mod:`npc.core.responsecache`).
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        supported = {code for code, _name in settings.LANGUAGES}
        if (
            request.method in ("GET", "HEAD")
            and LANGUAGE_PARAMETER in request.GET
            and not request.path.startswith(API_PREFIX)  # clients follow no switch
        ):
            return _switch(request, request.GET[LANGUAGE_PARAMETER], supported)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        return None


def _switch(request: HttpRequest, language: str, supported: set[str]) -> HttpResponse:
    """Remember ``language`` (if supported) and redirect to the page without it."""
    query = request.GET.copy()
    query.pop(LANGUAGE_PARAMETER, None)
    url = request.path + (f"?{query.urlencode()}" if query else "")
    if not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        url = "/"  # a path such as //elsewhere.example/ is no way off the site
    response = HttpResponseRedirect(url)
    add_never_cache_headers(response)
    if language in supported:
        # As django.views.i18n.set_language sets it.
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
