"""API tokens: issue one, revoke one, revoke all of a user's ("sign out everywhere")."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from .models import ApiToken, digest

# A user keeps at most this many live tokens; issuing another ends the oldest.
MAX_TOKENS_PER_USER = 10


def issue_token(*, user: AbstractBaseUser) -> tuple[ApiToken, str]:
    """
    Issue a new token for ``user``; return it and its key, which is not stored.

    Expired tokens of the user are deleted, and the oldest live ones beyond
    ``MAX_TOKENS_PER_USER``.
    """
    now = timezone.now()
    key = secrets.token_hex(20)
    token = ApiToken.objects.create(
        user=user,
        key_digest=digest(key),
        prefix=key[:8],
        auth_hash=user.get_session_auth_hash(),
        created_at=now,
        # Getting the token is its first use; later uses are written at most
        # every few minutes (authentication.TOUCH_EVERY).
        last_used_at=now,
        expires_at=now + dt.timedelta(hours=settings.NPC_TOKEN_TTL_HOURS),
    )
    mine = ApiToken.objects.filter(user=user)
    mine.filter(expires_at__lte=now).delete()
    # Name the old ones to delete, rather than the ones to keep: a token issued
    # at the same moment by another request must not be swept away with them.
    oldest = mine.order_by("-created_at", "-pk").values_list("pk", flat=True)[
        MAX_TOKENS_PER_USER:
    ]
    ApiToken.objects.filter(pk__in=list(oldest)).delete()
    return token, key


def revoke_token(*, token: ApiToken) -> None:
    """End one token."""
    token.delete()


def revoke_all_tokens(*, user: AbstractBaseUser) -> int:
    """End every token of ``user`` ("sign out everywhere"); return how many."""
    count, _ = ApiToken.objects.filter(user=user).delete()
    return count
