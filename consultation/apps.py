from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ConsultationConfig(AppConfig):
    name = "consultation"
    verbose_name = _("征求意见")

    def ready(self) -> None:
        from legislation.services import register_undecided_counter
        from npc.core.cache import register_version_key
        from npc.core.roles import ensure_roles

        from . import counters
        from .selectors import undecided_count

        # A vote needs the comments on its bill decided, or a reason.
        register_undecided_counter(undecided_count)

        # After a cache outage, the city's counts version moves on: a bump that
        # failed meanwhile must not leave kept counts looking current.
        for key in counters.GLOBAL_VERSION_KEYS:
            register_version_key(key)

        # The last app to migrate: every model's permissions exist by then. Also
        # runs after the flush of a transactional test, which empties the groups.
        post_migrate.connect(ensure_roles, sender=self, dispatch_uid="npc-roles")
