from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history import register

from npc.core.history import SurfaceHistory, TrackedHistory, history_user


def digest(key: str) -> str:
    """Return what is stored of a token: its SHA-256, never the token itself."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def live(self) -> ApiTokenQuerySet:
        return self.filter(expires_at__gt=timezone.now())


class ApiToken(models.Model):
    """
    A key for the API, sent as ``Authorization: Token <key>``.

    Only the key's digest is stored: the key is shown once, when issued. A token
    ends at ``expires_at``, when its owner's password changes (``auth_hash`` is
    the owner's session hash when it was issued, as Django does for sessions), or
    when revoked.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="api_tokens",
        verbose_name=_("用户"),
    )
    key_digest = models.CharField(_("令牌摘要"), max_length=64, unique=True)
    prefix = models.CharField(_("令牌开头"), max_length=8)
    auth_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    expires_at = models.DateTimeField(_("到期时间"))
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.user})"

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()


# Users' roles (their groups, staff and superuser flags) have a history like
# every domain record; the password and the last login are not part of it.
register(
    User,
    app="npc.accounts",
    records_class=TrackedHistory,
    m2m_fields=["groups"],
    excluded_fields=["password", "last_login"],
    bases=[SurfaceHistory],
    get_user=history_user,
    user_db_constraint=False,
)
