"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """Give templates the city's name."""
    return {"city_name": settings.NPC_CITY_NAME}
