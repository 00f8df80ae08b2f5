from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "npc.accounts"
    label = "accounts"
    verbose_name = _("账户")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import alerts  # noqa: F401 - connects the login-protection logging
