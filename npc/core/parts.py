"""
Parts of pages kept under the version of what they show, rebuilt by one reader.

A public page is made of parts that change at different rates: a bill's text
only with a new draft version (never, for one version: a version's text is
written once, by ``add_draft_version``, and is read-only everywhere after), its
timeline with the bill, its outcome figures with every comment. :func:`part`
keeps each under a *key* (what it is: the bill, the version, the language) and a
*version* (the counter a change of what it shows moves on), so that a comment
arriving makes the next reader render the figures and nothing else.

One slot per key holds the last copy and the version it was made under. When
the version moved on, or the copy is older than ``fresh_for``, the copy is
stale; then one reader (whoever adds the key's lock to the cache first) makes
it again while the others are served the stale copy. The lock expires after
``stale_for`` seconds, which bounds both how long the others are served the
previous copy and how long a rebuild that died holds the part: after it, the
next reader takes the lock and makes the part. However fast the version moves,
at most one process rebuilds a part at a time.

Within a read of a public page (:func:`npc.core.cache.read_once`), what a
reader makes is kept when the read ends, with the page's other writes in one
round trip, and its lock released after it (:func:`npc.core.cache.write`);
until then the reader itself is handed what it made.

With no copy at all (the first read, or the slot evicted), the readers who do
not hold the lock wait for the holder's copy (kept when its read ends), up to
``WAIT_SECONDS``: a miss of a page takes milliseconds, and one process making
it while the others wait costs less than every process making it at once on
two cores. A reader that waited in vain (the holder is slow or gone) makes
the part itself.

The cache is never needed (:mod:`npc.core.cache`): when it does not answer,
every reader computes the part, as with no cache at all. A copy made before an
outage is never served stale after it: the changes made meanwhile could not
move their versions on, so the copies carry the cache's epoch, which moves on
when the cache comes back, and a copy of an earlier epoch is only a miss.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import get_language

from . import cache as cache_reads
from .cache import register_version_key

T = TypeVar("T")

_PREFIX = "part:v1:"
_LOCK_PREFIX = "part-lock:v1:"
# Moved on when the cache comes back after an outage (npc.core.cache).
EPOCH_KEY = "part:epoch"
register_version_key(EPOCH_KEY)
# How long a reader with no copy to serve waits for the one making it.
WAIT_SECONDS = 0.5
_POLL_SECONDS = 0.01


def _key(key_parts: Iterable[object]) -> str:
    raw = "\x1f".join(str(part) for part in key_parts)
    return _PREFIX + hashlib.blake2b(raw.encode(), digest_size=20).hexdigest()


def read_along(many_key_parts: Iterable[Iterable[object]]) -> None:
    """
    Within a read of a public page (:func:`npc.core.cache.read_once`), read the
    slots of the parts ``many_key_parts`` with the page's versions, in the
    same round trip, for :func:`part` to take: a page that knows its parts'
    keys before it reads them asks the cache once for all of them.
    """
    cache_reads.read_along([*(_key(k) for k in many_key_parts), EPOCH_KEY])


def _taken(key: str) -> tuple[Any, Any] | None:
    """The slot of ``key`` and the epoch, if read along; else None."""
    taken = cache_reads.take(key)
    if taken is None:
        return None
    epoch = cache_reads.versions([EPOCH_KEY]).get(EPOCH_KEY, 0)
    return taken[1], epoch


class Prefetched:
    """
    The slots of several parts read from the cache in one round trip
    (:func:`prefetch`), for :func:`part` to use instead of reading each;
    those already read along with the page's versions are not read again.
    """

    def __init__(self, keys: Iterable[str]) -> None:
        self.keys = frozenset(keys)
        self.found: dict[str, Any] = {}
        unread = []
        for key in self.keys:
            taken = cache_reads.take(key)
            if taken is None:
                unread.append(key)
            elif taken[0]:
                self.found[key] = taken[1]
        if unread:
            self.found.update(cache.get_many([*unread, EPOCH_KEY]))
        elif self.keys:
            self.found[EPOCH_KEY] = cache_reads.versions([EPOCH_KEY]).get(EPOCH_KEY, 0)

    def slot(self, key: str) -> tuple[Any, Any] | None:
        """The slot and epoch read for ``key``; None if it was not read."""
        if key not in self.keys:
            return None
        return self.found.get(key), self.found.get(EPOCH_KEY, 0)


def prefetch(many_key_parts: Iterable[Iterable[object]]) -> Prefetched:
    """Read the slots of the parts ``many_key_parts`` in one round trip."""
    return Prefetched(_key(key_parts) for key_parts in many_key_parts)


def _always(_value: object) -> bool:
    return True


def part(
    key_parts: Iterable[object],
    compute: Callable[[], T],
    *,
    version: object = None,
    fresh_for: float | None = None,
    stale_for: float | None = None,
    timeout: float | None = None,
    keep: Callable[[T], bool] = _always,
    usable: Callable[[T], bool] = _always,
    prefetched: Prefetched | None = None,
) -> T:
    """
    Return the part ``key_parts`` made under ``version``, from the cache or
    from ``compute()`` (see the module's docstring).

    ``fresh_for``: seconds after which a copy is stale even if the version did
    not move (None: only a moved version makes it stale). ``stale_for``: the
    longest a rebuild keeps the others on the previous copy (default
    NPC_PUBLIC_REBUILD_SECONDS; 0: none, every reader with a stale copy makes
    the part, as the benchmark's every-request-a-miss rows need). ``timeout``: how
    long the slot is kept at all (default NPC_PUBLIC_PARTS_SECONDS; 0 keeps
    nothing and always computes). ``keep(value)`` says whether a value may be
    kept (an error page may not); ``usable(value)`` whether a kept one may be
    served, fresh or stale (one made from what is no longer there may not).
    ``prefetched``: the slots already read (:func:`prefetch`), if this part's
    is among them.
    """
    if timeout is None:
        timeout = settings.NPC_PUBLIC_PARTS_SECONDS
    if not timeout:
        return compute()
    if stale_for is None:
        stale_for = settings.NPC_PUBLIC_REBUILD_SECONDS
    key = _key(key_parts)
    mine = cache_reads.written(key)  # made earlier in this read, not yet sent
    read = (mine, mine[3]) if mine is not None else None
    if read is None and prefetched is not None:
        read = prefetched.slot(key)
    if read is None:
        read = _taken(key)
    if read is None:
        found = cache.get_many([key, EPOCH_KEY])
        read = found.get(key), found.get(EPOCH_KEY, 0)
    kept, epoch = read
    if kept is not None and kept[3] != epoch:
        # Made before an outage: neither current (a version read before the
        # cache came back may still match it) nor to be served stale.
        kept = None
    if kept is not None and _fresh(kept, version, fresh_for):
        if usable(kept[1]):
            return kept[1]
        kept = None  # current, but made from what is no longer there
    if not stale_for:  # no stale copy served: every reader makes its own
        value = compute()
        if keep(value):
            cache_reads.write(key, (version, value, time.time(), epoch), timeout)
        return value
    lock = _LOCK_PREFIX + key
    if not cache.add(lock, 1, max(1, round(stale_for))):
        if kept is not None and usable(kept[1]):
            return kept[1]  # another reader is making it: the previous copy
        if cache.get(lock) is not None:  # else the cache is down: compute
            waited = _wait(key, lock, epoch)
            if waited is not None:
                return waited[1]
        return compute()
    try:
        value = compute()
        if keep(value):
            cache_reads.write(key, (version, value, time.time(), epoch), timeout)
    finally:
        # Released once the copy is kept (after it, in the same round trip).
        # A rebuild that outlived its lock may release the next holder's: at
        # worst one more reader rebuilds the part, as on a miss.
        cache_reads.release(lock)
    return value


def each(
    keys: Sequence[Iterable[object]],
    make: Callable[[list[int]], list[T]],
    *,
    fresh_for: float | None = None,
    timeout: float | None = None,
) -> list[T]:
    """
    Return many small parts at once, each kept under its key alone (what it
    shows is all in the key, e.g. a record's last change) and made again
    ``fresh_for`` seconds after it was made: one round trip to read them all
    and one to keep those made, instead of two for each. ``make(indexes)``
    makes those of ``keys[i]`` not kept, in one go (what they are drawn from
    is then read once, and only for them). With no lock: a part this small
    costs less to make twice than to wait for.
    """
    if timeout is None:
        timeout = settings.NPC_PUBLIC_PARTS_SECONDS
    if not timeout:
        return make(list(range(len(keys))))
    hashed = [_key(key_parts) for key_parts in keys]
    found = cache.get_many([*hashed, EPOCH_KEY])
    epoch = found.get(EPOCH_KEY, 0)
    values: list[Any] = []
    missing = []
    for i, key in enumerate(hashed):
        kept = found.get(key)
        if kept is not None and kept[3] == epoch and _fresh(kept, None, fresh_for):
            values.append(kept[1])
        else:
            values.append(None)
            missing.append(i)
    if missing:
        made = make(missing)
        now = time.time()
        for i, value in zip(missing, made, strict=True):
            values[i] = value
        cache_reads.write_many(
            {hashed[i]: (None, values[i], now, epoch) for i in missing}, timeout
        )
    return values


def city_figure(name: str, compute: Callable[[], Any], *key: object) -> Any:
    """
    Keep a whole-city statistic, counted again at most every
    NPC_PUBLIC_STATS_SECONDS (per language, as its labels are translated): they
    aggregate every comment, so they are not counted again with each one; one
    reader counts while the others get the previous figures.
    """
    seconds = settings.NPC_PUBLIC_STATS_SECONDS
    if not seconds:
        return compute()
    return part(
        ("public-stats", name, get_language(), *key),
        compute,
        fresh_for=seconds,
        timeout=max(
            settings.NPC_PUBLIC_PARTS_SECONDS,
            seconds + settings.NPC_PUBLIC_REBUILD_SECONDS,
        ),
    )


def peek(key_parts: Iterable[object]) -> Any:
    """Return the last copy kept of the part ``key_parts``, whatever its age, or None."""
    kept = cache.get(_key(key_parts))
    return None if kept is None else kept[1]


def put(
    key_parts: Iterable[object],
    value: Any,
    *,
    version: object,
    made_at: float,
    timeout: float | None = None,
) -> None:
    """
    Keep ``value`` as the part ``key_parts`` under ``version``, as made at
    ``made_at`` (a time.time()): what a reader made of a kept part and what
    came since, for the next reader, as fresh as the part it was made from.
    """
    if timeout is None:
        timeout = settings.NPC_PUBLIC_PARTS_SECONDS
    if not timeout:
        return
    epoch = cache_reads.versions([EPOCH_KEY]).get(EPOCH_KEY, 0)
    cache_reads.write(_key(key_parts), (version, value, made_at, epoch), timeout)


def _fresh(kept: tuple, version: object, fresh_for: float | None) -> bool:
    made_under, _value, made_at, _epoch = kept
    if made_under != version:
        return False
    return fresh_for is None or time.time() - made_at < fresh_for


def _wait(key: str, lock: str, epoch: object) -> Any:
    """Wait for the lock holder's copy; None if it did not come in time."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(_POLL_SECONDS)
        kept = cache.get(key)
        if kept is not None and kept[3] == epoch:  # the holder's (or a later one)
            return kept
        if cache.get(lock) is None:  # released with nothing kept (an error page)
            return None
    return None
