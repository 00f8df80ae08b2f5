from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdempotencyConfig(AppConfig):
    name = "npc.idempotency"
    label = "idempotency"
    verbose_name = _("重复提交防护")
    default_auto_field = "django.db.models.BigAutoField"
