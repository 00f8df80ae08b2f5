"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_noop

# The default city's name, for the catalogue: a city set by NPC_CITY_NAME that
# the catalogue does not know is shown as it is set.
gettext_noop("长治市")


def site(request: HttpRequest) -> dict[str, str]:
    """Give templates the city's name and the site's title, in the language shown."""
    city = gettext(settings.NPC_CITY_NAME)
    return {
        "city_name": city,
        "site_title": gettext("%(city)s地方立法公开平台") % {"city": city},
    }
