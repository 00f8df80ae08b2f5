"""What several consultation selectors share: the reader type, adoption, public versions."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import (
    Model,
    OuterRef,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from legislation import services as legislation_services
from legislation.models import Bill, Vote
from npc.core import cache as cache_reads
from npc.core import parts

from .. import counters
from ..models import (
    Comment,
    Decision,
)

User = Model | AnonymousUser


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
        _bills_version(),
        counters.version(counters.ANY),
        timezone.localdate().isoformat(),
    )


def _bills_version() -> Any:
    # Read once within a kept read (npc.core.cache.read_once), with what it
    # reads along.
    key = legislation_services.BILLS_VERSION_KEY
    return cache_reads.versions([key]).get(key, 0)


def city_versions(*_args: Any, **_kwargs: Any) -> tuple:
    """
    Return the versions the city-wide pages (home, /stats/) and the city's API
    statistics are kept under: the bills' version, the current period of
    NPC_PUBLIC_STATS_SECONDS (their figures are counted again at most that
    often, whatever the comments) and today. From the cache alone.
    """
    seconds = settings.NPC_PUBLIC_STATS_SECONDS or 1
    return (
        _bills_version(),
        int(time.time() // seconds),
        timezone.localdate().isoformat(),
    )


_BILL_PK = "public-bill-pk:{}"


def bill_public_versions(
    slug: str,
    read_pk: Callable[[], int | None],
    *,
    known_pk: Callable[[int], object] | None = None,
) -> tuple | None:
    """
    Return the versions of what public reads of one bill show (its page, its
    comments, its figures): the bills' version, that bill's counts version (not
    the city's, so that a comment on another bill leaves them kept) and today;
    None when ``read_pk()`` finds no such bill. From the cache alone once the
    slug's bill is known: its primary key is remembered under the bills'
    version (a bill renamed, or a slug given to another bill, moves that on).
    ``known_pk(pk)`` is called once the bill's key is known, before its counts
    versions are read (to name what to read along with them,
    :func:`npc.core.cache.read_along`).
    """
    key = _BILL_PK.format(slug)
    kept = cache_reads.read([legislation_services.BILLS_VERSION_KEY, key])
    bills_version = kept.get(legislation_services.BILLS_VERSION_KEY, 0)
    known = kept.get(key)
    if known is None or known[0] != bills_version:
        pk = read_pk()
        if pk is None:
            return None
        known = (bills_version, pk)
        cache.set(key, known, 24 * 3600)
    if known_pk is not None:
        known_pk(known[1])
    return (known[0], counters.version(known[1]), timezone.localdate().isoformat())


# What stats.kept_stats_years() is kept as (npc.core.parts).
STATS_YEARS_PART = ("stats-years",)


def stats_page_versions(*_args: Any, **_kwargs: Any) -> tuple:
    """
    :func:`city_versions`, with the years the statistics may show
    (``kept_stats_years``) read along: in the same round trip.
    """
    parts.read_along([STATS_YEARS_PART])
    return city_versions()


def stats_versions_of_request(request: Any, *_args: Any, **_kwargs: Any) -> tuple:
    """
    Return the versions of a public read of the statistics: those of one bill
    when it asks for one bill's (:func:`public_versions_of_request`), else the
    city's (:func:`city_versions`): the city's figures are counted again at
    most every NPC_PUBLIC_STATS_SECONDS, however many comments arrive. The
    years the statistics may show are read along unless a year is asked for.
    """
    if not request.GET.get("year", ""):
        parts.read_along([STATS_YEARS_PART])
    if request.GET.get("bill", ""):
        return public_versions_of_request(request)
    return city_versions()


def public_versions_of_request(request: Any, *_args: Any, **_kwargs: Any) -> tuple:
    """
    Return the versions of a public API read: those of one bill when it asks
    for one bill's records (``?bill=<slug>``), else :func:`public_versions`.
    """
    slug = request.GET.get("bill", "")
    if slug and len(request.GET.getlist("bill")) == 1:
        found = bill_public_versions(
            slug,
            lambda: (
                Bill.objects.filter(slug=slug, is_published=True)
                .values_list("pk", flat=True)
                .first()
            ),
        )
        if found is not None:
            return found
    return public_versions()


def adoption_rate(adopted: int, decided: int) -> float | None:
    """Return (adopted + partially adopted) / decided, or None when none decided."""
    return round(adopted / decided, 4) if decided else None


def undecided_count(bill: Bill) -> int:
    """Return how many comments on ``bill`` are still undecided (pending)."""
    return Comment.objects.filter(bill_id=bill.pk, status=Decision.PENDING).count()


def vote_undecided_reason() -> Subquery:
    """
    The reason recorded at the vote on a comment's bill for leaving comments
    undecided (blank or NULL if none), as an annotation of comments.
    """
    return Subquery(
        Vote.objects.filter(bill_id=OuterRef("bill_id"))
        .exclude(undecided_reason="")
        .order_by("-pk")
        .values("undecided_reason")[:1]
    )


def undecided_note(status: str, reason: str | None) -> str:
    """
    What the public reads instead of "being studied" on a comment still pending
    when its bill was voted on with a reason for leaving it so; blank otherwise.
    """
    if status != Decision.PENDING or not reason:
        return ""
    return _("表决前未逐条研究：%(reason)s") % {"reason": reason}
