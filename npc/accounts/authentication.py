"""The API's token authentication: expiring tokens, ended by a password change."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions

from .models import ApiToken, digest

# How often a token's "last used" time is written (not on every request).
TOUCH_EVERY = dt.timedelta(minutes=5)


class TokenAuthentication(authentication.TokenAuthentication):
    """``Authorization: Token <key>`` against :class:`ApiToken`."""

    model = ApiToken

    def authenticate_credentials(self, key: str) -> tuple[Any, ApiToken]:
        try:
            token = ApiToken.objects.select_related("user").get(key_digest=digest(key))
        except ApiToken.DoesNotExist:
            raise exceptions.AuthenticationFailed(_("令牌无效。")) from None
        user = token.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("用户已停用。"))
        now = timezone.now()
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取。"))
        if not constant_time_compare(token.auth_hash, user.get_session_auth_hash()):
            raise exceptions.AuthenticationFailed(_("密码已更改，令牌已失效。"))
        if token.last_used_at is None or now - token.last_used_at > TOUCH_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return user, token
