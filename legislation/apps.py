from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegislationConfig(AppConfig):
    name = "legislation"
    verbose_name = _("地方立法")

    def ready(self) -> None:
        from npc.core.cache import register_version_key

        from .services import BILLS_VERSION_KEY

        # After a cache outage the bills' version moves on: a bump that failed
        # meanwhile must not leave kept public pages looking current.
        register_version_key(BILLS_VERSION_KEY)
