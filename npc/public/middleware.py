"""Chinese first: the site speaks Chinese unless the visitor chose English."""

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """
    Activate the language the visitor chose with the switch (the language
    cookie), else ``LANGUAGE_CODE`` — never the browser's Accept-Language.

    The city's site is in Chinese for everyone; a browser set to English does
    not turn it into a half-translated English site. The switch in the header
    (Django's ``set_language`` view) sets the cookie.
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
