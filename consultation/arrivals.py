"""
Each bill's comments numbered as they arrive, for the newest page of its
public list (:func:`npc.public.keeping.newest_comments`).

A comment entered lands on top of the bill's public list, so a list kept
under the bill's counts would be listed again (a query) by the next reader
after every comment, at the rate comments arrive during a live consultation.
Instead, once an entry commits, its writer numbers it (a counter of the bill's
arrivals, in the cache) and keeps under that number what the list reads of it
(:data:`LISTED_BY` and :data:`COLUMNS`) with the transaction that entered it
(:class:`Arrival`), or that the public list does not show it
(:data:`NOT_LISTED`: a comment of an unpublished consultation, say). A
reader that kept the newest page with the number it was listed at takes in
the arrivals numbered since: no query, until more arrived than it takes in
at once (:data:`TAKEN_AT_MOST`). The bill's outcome figures are kept and
brought up to date the same way (:func:`npc.public.keeping.outcome_statuses`),
each arrival counted under the status it was entered with: a comment entered
arrives published and undecided (so never folded under another), so it counts
in the figures exactly when the list shows it.

Where the numbers cannot be trusted, the reader lists the bill again:

- an arrival numbered but not kept (yet, or any more: kept for twice
  NPC_PUBLIC_CACHE_SECONDS or NPC_COUNTS_CACHE_SECONDS, the longer, after
  which nothing that needs it is kept): :func:`since` is None;
- the counter lost (evicted, the cache emptied) starts again far from any
  number it held (:func:`_number`), so no kept page takes what follows it;
- an import numbers its comments as one jump past what a reader takes in
  (:func:`arrived_in_bulk`).

Whatever else changes the list (a decision, moderation, an edit, a
consultation published or withdrawn) moves the bill's settled version, under
which the newest page and the figures are kept. A writer that dies between its
commit and the numbering leaves a kept page without its comment until the page
expires (NPC_PUBLIC_CACHE_SECONDS; the figures: NPC_COUNTS_CACHE_SECONDS), as
a version left unmoved would.

Numbers are counted with the cache's INCR: atomic on Redis and, within a
process, in local memory (:func:`numbered`).
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import Any, NamedTuple

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from django.db import transaction

from npc.core import cache as cache_reads
from npc.core.paging import records

from .selectors import public_comment_keys, without_folded_duplicates

# What the public list orders its comments by, and what else it reads of
# each (what a comment's item of the list is kept under).
LISTED_BY = "submitted_on"
COLUMNS = ("revision", "updated_at")
# Kept for an arrival that the public list does not show.
NOT_LISTED = "not-listed"
# The most arrivals a reader takes in (one round trip); after more, it lists
# the bill again.
TAKEN_AT_MOST = 50
# Where an import moves the count on: past what a reader takes in, so that
# the bill is listed again.
JUMP = 1_000_000

_NUMBER = "comment-arrivals:{}"
_ARRIVAL = "comment-arrival:v3:{}:{}"
# A copy of the bill's last arrival kept, with its number: read along with
# the counter, it spares the reader after one arrival its own round trip.
_LAST = "comment-arrival-last:v1:{}"


class Arrival(NamedTuple):
    """A comment that arrived on top of its bill's public list."""

    # What the list reads of it: a record of pk, LISTED_BY and COLUMNS.
    row: Any
    # The status the figures count it under (the tally's, as it was entered).
    status: str
    # The transaction that entered it (None off PostgreSQL): whether a sum of
    # the figures counted it (npc.core.snapshots).
    transaction: int | None


def arrival_key(bill_id: int, n: int) -> str:
    """What the arrival numbered ``n`` on ``bill_id`` is kept under."""
    return _ARRIVAL.format(bill_id, n)


def numbered() -> bool:
    """Whether the cache numbers arrivals without two writers sharing a number."""
    return isinstance(caches["default"], RedisCache | LocMemCache)


def number_key(bill_id: int) -> str:
    """The counter of the bill's arrivals (a reader may read it along)."""
    return _NUMBER.format(bill_id)


def last_key(bill_id: int) -> str:
    """The copy of the bill's last arrival, with its number (:func:`_record`)."""
    return _LAST.format(bill_id)


def read_along_keys(bill_id: int) -> list[str]:
    """
    What a page that takes in the bill's arrivals reads along with its
    versions: the counter, and the copy of the last arrival (:func:`since`).
    """
    return [number_key(bill_id), last_key(bill_id)]


def number(bill_id: int) -> int | None:
    """The number of the bill's last arrival; None if none is counted."""
    key = number_key(bill_id)
    return cache_reads.versions([key]).get(key)


def started(bill_id: int) -> int | None:
    """
    The number of the bill's last arrival, the counter started if it is not
    there (so that a page listed now is kept under a number that the next
    arrival follows); None if the cache does not answer.
    """
    key = number_key(bill_id)
    start = _start()
    if cache.add(key, start, None):
        return start
    return cache.get(key)


def arrived(bill_id: int, comment_id: int, entered_in: int | None) -> None:
    """
    Number the comment ``comment_id`` just entered on ``bill_id`` once the
    transaction commits, with what the list reads of it: before, no reader
    can list it, and a reader that listed the bill without it, and kept the
    page under an earlier number, takes it in after. ``entered_in``: the
    transaction that entered it, on PostgreSQL (:func:`counters.add` returns
    it), for the figures to count it once (:mod:`npc.core.snapshots`).
    """
    if not numbered():
        return
    # Robust: the comment is in; numbering it must not fail the request.
    transaction.on_commit(lambda: _keep(bill_id, comment_id, entered_in), robust=True)


def arrived_in_bulk(bill_ids: Iterable[int]) -> None:
    """Number comments imported on ``bill_ids`` as a jump, once they commit."""
    if not numbered():
        return
    bill_ids = set(bill_ids)

    def jump() -> None:
        for bill_id in bill_ids:
            _number(bill_id, JUMP)

    transaction.on_commit(jump, robust=True)


def arrived_unlisted(bill_id: int) -> None:
    """
    Number, at once, an arrival on ``bill_id`` that its public list does not
    show: readers take in nothing for it (what the benchmark's
    every-request-a-miss rows count as a comment arriving, with no comment).
    """
    if numbered() and (n := _number(bill_id, 1)) is not None:
        _record(bill_id, n, NOT_LISTED)


def since(bill_id: int, listed_at: int | None, now: int | None) -> list[Arrival] | None:
    """
    The arrivals on ``bill_id`` after number ``listed_at`` up to ``now`` that
    the public list shows; None if they cannot all be told: a number missing,
    a counter started again, more than :data:`TAKEN_AT_MOST`. One round trip,
    none if there are none, if they were read before in the same read of a
    page (an arrival's record is never changed), or if the one arrival is the
    bill's last and its copy was read along (:func:`read_along_keys`).
    """
    if listed_at == now:
        return []
    if listed_at is None or now is None or not 0 < now - listed_at <= TAKEN_AT_MOST:
        return None
    keys = [arrival_key(bill_id, n) for n in range(listed_at + 1, now + 1)]
    if len(keys) == 1:  # one arrival: its copy may have been read along
        last = cache_reads.take(last_key(bill_id))
        if last is not None and last[0] and last[1][0] == now:
            cache_reads.known_unchanging(keys[0], last[1][1])
    found = cache_reads.read_unchanging(keys)
    if len(found) < len(keys):
        return None
    return [found[key] for key in keys if found[key] != NOT_LISTED]


def _number(bill_id: int, by: int) -> int | None:
    """
    Move the bill's counter on by ``by``; its new value, or None if the cache
    did not count it. A counter that is not there starts at a random point
    far from any it held: a page kept under an old number never matches it.
    """
    return cache_reads.count_on(number_key(bill_id), by, _start())


def _kept_for() -> int:
    # The newest page is listed again NPC_PUBLIC_CACHE_SECONDS after it was
    # listed, the figures summed again NPC_COUNTS_CACHE_SECONDS after they
    # were summed: what arrived before is never read after that.
    return 2 * max(settings.NPC_PUBLIC_CACHE_SECONDS, settings.NPC_COUNTS_CACHE_SECONDS)


def _start() -> int:
    return secrets.randbelow(2**20) * 2**32


def _keep(bill_id: int, comment_id: int, entered_in: int | None) -> None:
    # Numbered first: until what the list reads of it is kept (or if reading
    # it fails), the number has nothing under it, and readers list the bill.
    n = _number(bill_id, 1)
    if n is None:
        return
    found = records(
        without_folded_duplicates(public_comment_keys(bill=bill_id)).filter(
            pk=comment_id
        ),
        (LISTED_BY, *COLUMNS, "status"),
    )
    if found:
        row = found[0]
        status = row.status
        del row.status  # not what the list reads
        kept: Any = Arrival(row, status, entered_in)
    else:
        kept = NOT_LISTED
    _record(bill_id, n, kept)


def _record(bill_id: int, n: int, kept: Any) -> None:
    """
    Keep what arrived as number ``n``, and a copy of it as the bill's last
    arrival (one round trip). Two writers may write the copy out of order:
    a reader uses it only for the number it holds.
    """
    cache_reads.write_many(
        {arrival_key(bill_id, n): kept, last_key(bill_id): (n, kept)},
        _kept_for(),
    )
