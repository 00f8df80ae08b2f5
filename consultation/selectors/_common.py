"""What several consultation selectors share: the reader type, adoption, public versions."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import (
    Model,
)
from django.utils import timezone

from legislation import services as legislation_services

from .. import counters
from ..models import (
    Decision,
)

User = Model | AnonymousUser

ADOPTED = (Decision.ADOPTED, Decision.PARTIALLY_ADOPTED)


def public_versions(*_args: Any, **_kwargs: Any) -> tuple:
    """
    Return the versions of what public pages and public API reads show, for
    keeping them whole (:mod:`npc.core.responsecache`): the bills' version (moved by
    every legislation service: bills, timelines, versions), the city's comment
    counts version (moved by every comment entered, corrected or decided and
    every change of a consultation), and today (open periods, key dates, the
    default year). From the cache alone, no query: reading a bill's own
    ``version`` took half of a kept answer's time; the price is that a change of
    one bill's comments renders the other bills' pages once more. What moves
    none of them (a liaison point renamed) shows within NPC_PUBLIC_CACHE_SECONDS.
    Takes and ignores a view's arguments.
    """
    return (
        cache.get(legislation_services.BILLS_VERSION_KEY, 0),
        counters.version(counters.ANY),
        timezone.localdate().isoformat(),
    )


def adoption_rate(adopted: int, decided: int) -> float | None:
    """Return (adopted + partially adopted) / decided, or None when none decided."""
    return round(adopted / decided, 4) if decided else None
