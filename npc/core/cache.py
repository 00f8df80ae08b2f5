"""
A cache that is never a point of failure.

Everything the app keeps in the cache can be recomputed: kept pages, statistics,
the versions they are kept under, guard counters. So a cache that does not answer
(Redis stopped, a network cut) must not fail a request or a write:
:class:`ResilientRedisCache` answers a read as a miss and a write as not done,
and, for a few seconds after an error, does not try again, so that requests do
not each wait for a dead server.

What a failed write may leave behind is a version that did not move while the
data it stands for changed. When the cache answers again, every version key
registered with :func:`register_version_key` is moved on, so nothing kept
before the outage is served as current.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

# After an error, the cache is not asked again for this many seconds.
RETRY_AFTER_SECONDS = 5.0

_version_keys: set[str] = set()


def register_version_key(key: str) -> None:
    """Move ``key`` on whenever the cache comes back after an outage."""
    _version_keys.add(key)


def move_on(*keys: str) -> None:
    """
    Move the counters ``keys`` on (each created if missing); never fail.

    Versions are counters that readers put in the keys of what they keep: a
    moved version leaves what was kept under the old one behind. On Redis, one
    round trip for all of them (INCR starts a missing counter at 0); a comment
    arriving moves several, and a reader waits for every round trip.
    """
    reads = _read.get()
    if reads is not None:
        for key in keys:
            reads.versions.pop(key, None)
            reads.loaded.pop(key, None)
    many = getattr(cache, "move_on_many", None)
    if many is not None:
        many(keys)
        return
    for key in keys:
        cache.add(key, 0, None)
        try:
            cache.incr(key)
        except ValueError:  # evicted in between, or the cache is down
            cache.set(key, 1, None)


def count_on(key: str, by: int, start: int) -> int | None:
    """
    Move the counter ``key`` on by ``by``, started at ``start`` if it is not
    there, and return its new value; None if the cache did not count it.
    Atomic on Redis (one round trip) and within a local-memory cache; each
    caller gets a value of its own.
    """
    counted = getattr(cache, "count_on", None)
    if counted is not None:
        return counted(key, by, start)
    cache.add(key, start, None)
    try:
        return cache.incr(key, by)
    except ValueError:  # evicted in between, or the cache is down
        return None


class _Reads:
    """What one read of a public page has read from the cache (:func:`read_once`)."""

    def __init__(self) -> None:
        self.versions: dict[str, Any] = {}  # version counters, None if unset
        self.along: set[str] = set()  # to read with the next round trip
        self.loaded: dict[str, Any] = {}  # read along, not taken yet
        self.unchanging: dict[str, Any] = {}  # found by read_unchanging
        # Written at the end of the read, in order (write(), release()):
        # key -> (value to set and its timeout) or _RELEASED.
        self.writes: dict[str, tuple[Any, Any] | object] = {}


_read: ContextVar[_Reads | None] = ContextVar("cache_reads", default=None)
# A key read along and found missing (None is a value a slot never holds).
_ABSENT = object()
# A key to delete when the read's writes are made (release()).
_RELEASED = object()


class _Unread:
    """A value read along as the cache holds it, made an object when taken."""

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data


def _loaded(value: Any) -> Any:
    return cache.loads(value.data) if isinstance(value, _Unread) else value


@contextmanager
def read_once() -> Iterator[None]:
    """
    Within the block, :func:`versions` reads each version from the cache once:
    a page and its parts put the same versions in their keys, and each read is
    a round trip. A version moved on within the block (:func:`move_on`) is read
    again. Keys named with :func:`read_along` are read in the same round trips,
    and what the block writes (:func:`write`, :func:`release`) is written when
    it ends, in one round trip.
    """
    reads = _Reads()
    token = _read.set(reads)
    try:
        yield
    finally:
        _read.reset(token)
        _flush(reads.writes)


def write(key: str, value: Any, timeout: Any) -> None:
    """
    ``cache.set(key, value, timeout)``; within :func:`read_once`, when the
    read ends, with the block's other writes in one round trip: a page made
    again keeps several parts, and each write is a round trip. Until then
    :func:`written` hands the value to the block itself.
    """
    reads = _read.get()
    if reads is None:
        cache.set(key, value, timeout)
        return
    reads.writes.pop(key, None)  # kept in the order written
    reads.writes[key] = (value, timeout)


def write_many(values: dict[str, Any], timeout: Any) -> None:
    """:func:`write` for each of ``values``; outside a read, in one round trip."""
    if _read.get() is None:
        _send([(key, value, timeout) for key, value in values.items()])
        return
    for key, value in values.items():
        write(key, value, timeout)


def release(key: str) -> None:
    """
    ``cache.delete(key)`` (a lock); within :func:`read_once`, with the block's
    writes, after those written before it: a lock is released once what it
    guards is kept.
    """
    reads = _read.get()
    if reads is None:
        cache.delete(key)
        return
    reads.writes.pop(key, None)
    reads.writes[key] = _RELEASED


def written(key: str) -> Any:
    """What this read wrote of ``key`` and has not yet sent (:func:`write`), or None."""
    reads = _read.get()
    found = None if reads is None else reads.writes.get(key)
    return None if found is None or found is _RELEASED else found[0]


def _flush(writes: dict[str, tuple[Any, Any] | object]) -> None:
    if writes:
        _send(
            [
                (key, None, None) if op is _RELEASED else (key, *op)
                for key, op in writes.items()
            ]
        )


def _send(ops: list[tuple[str, Any, Any]]) -> None:
    """Set or delete (a value of None) each key of ``ops``, in order; on Redis at once."""
    many = getattr(cache, "write_many", None)
    if many is not None:
        many(ops)
        return
    for key, value, timeout in ops:
        if value is None:
            cache.delete(key)
        else:
            cache.set(key, value, timeout)


def read_along(keys: Iterable[str]) -> None:
    """
    Within :func:`read_once`, read ``keys`` with the next round trip the read
    makes anyway (its versions), for :func:`take` to hand over: what a page
    will read is known before it is read, and each read is a round trip. Does
    nothing outside :func:`read_once`.
    """
    reads = _read.get()
    if reads is not None:
        reads.along.update(key for key in keys if key not in reads.loaded)


def take(key: str) -> tuple[bool, Any] | None:
    """
    The value of ``key`` as read along (:func:`read_along`): ``(True, value)``
    if it was kept, ``(False, None)`` if not; None if it was not read along.
    Handed over once: a second read of the key asks the cache again.
    """
    reads = _read.get()
    if reads is None:
        return None
    if key in reads.along:
        _get(reads, [])
    value = reads.loaded.pop(key, None)
    if value is None:
        return None
    return (False, None) if value is _ABSENT else (True, _loaded(value))


def _get(reads: _Reads, keys: list[str]) -> dict[str, Any]:
    """
    ``cache.get_many(keys)``, with the keys waiting to be read along. What is
    read along is made an object only when taken: a page kept whole reads the
    parts it would be made of, and uses none of them.
    """
    along = reads.along.difference(keys)
    reads.along.clear()
    raw = getattr(cache, "get_many_raw", None)
    if raw is None or not along:
        found = cache.get_many([*keys, *along])
        for key in along:
            reads.loaded[key] = found.get(key, _ABSENT)
        return found
    found = raw([*keys, *along])
    for key in along:
        reads.loaded[key] = _Unread(found[key]) if key in found else _ABSENT
    return {key: cache.loads(found[key]) for key in keys if key in found}


def read(keys: Iterable[str]) -> dict[str, Any]:
    """``cache.get_many(keys)``, and within :func:`read_once` the keys read along."""
    reads = _read.get()
    keys = list(keys)
    return cache.get_many(keys) if reads is None else _get(reads, keys)


def read_unchanging(keys: Iterable[str]) -> dict[str, Any]:
    """
    :func:`read` for keys whose values, once written, never change (what is
    kept of an arrival, say): within :func:`read_once`, each found is read
    once, however many parts of a page ask for it.
    """
    keys = list(keys)
    reads = _read.get()
    if reads is None:
        return cache.get_many(keys)
    memo = reads.unchanging
    unread = [key for key in keys if key not in memo]
    if unread:
        memo.update(_get(reads, unread))
    return {key: memo[key] for key in keys if key in memo}


def known_unchanging(key: str, value: Any) -> None:
    """
    Within :func:`read_once`, hand ``value`` over for ``key`` from
    :func:`read_unchanging` without asking the cache: a copy of it read along
    under another key (a value that, once written, never changes).
    """
    reads = _read.get()
    if reads is not None:
        reads.unchanging.setdefault(key, value)


def versions(keys: Iterable[str]) -> dict[str, Any]:
    """
    The values of the version counters ``keys`` (those set), in one round trip
    for those not read yet within :func:`read_once`.
    """
    keys = list(keys)
    reads = _read.get()
    if reads is None:
        return cache.get_many(keys)
    memo = reads.versions
    for key in keys:
        if key not in memo and key in reads.loaded:  # read along
            value = reads.loaded.pop(key)
            memo[key] = None if value is _ABSENT else _loaded(value)
    unread = [key for key in keys if key not in memo]
    if unread:
        found = _get(reads, unread)
        for key in unread:
            memo[key] = found.get(key)
    return {key: memo[key] for key in keys if memo[key] is not None}


class _Outage:
    """
    Whether the cache server was found not answering, for the whole process.

    Django gives each thread its own cache object; the outage is the server's,
    so every thread of the process skips it, and the first call that reaches it
    again (from any thread) moves the versions on.
    """

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.until: dict[str, float] = {}  # server location -> skip it until
        self.down: set[str] = set()


_outage = _Outage()


class ResilientRedisCache(RedisCache):
    """Django's Redis cache; a server that does not answer is a miss, not an error."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        options = params.setdefault("OPTIONS", {})
        # A server that hangs must not hang the request: give up within a second.
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        super().__init__(server, params)
        self._server = str(server)

    def _call(self, name: str, fallback: Any, *args: Any, **kwargs: Any) -> Any:
        method = getattr(super(), name)
        return self._guarded(lambda: method(*args, **kwargs), fallback)

    def _guarded(self, run: Callable[[], Any], fallback: Any) -> Any:
        if time.monotonic() < _outage.until.get(self._server, 0.0):
            return fallback
        try:
            result = run()
        except (RedisError, OSError) as exc:
            with _outage.lock:
                if self._server not in _outage.down:
                    log.error("cache unavailable, serving without it: %s", exc)
                _outage.down.add(self._server)
                _outage.until[self._server] = time.monotonic() + RETRY_AFTER_SECONDS
            return fallback
        if self._server in _outage.down:
            self._recovered()
        return result

    def move_on_many(self, keys: Iterable[str]) -> None:
        """INCR each of ``keys`` (:func:`move_on`), in one round trip."""
        keys = [self.make_and_validate_key(key) for key in keys]
        if not keys:
            return

        def run() -> None:
            pipe = self._cache.get_client(write=True).pipeline(transaction=False)
            for key in keys:
                pipe.incr(key)
            pipe.execute()

        self._guarded(run, None)

    def count_on(self, key: str, by: int, start: int) -> int | None:
        """:func:`count_on`, in one round trip (SET NX, then INCRBY)."""
        key = self.make_and_validate_key(key)

        def run() -> int:
            pipe = self._cache.get_client(write=True).pipeline(transaction=False)
            pipe.set(key, start, nx=True)
            pipe.incrby(key, by)
            return pipe.execute()[1]

        return self._guarded(run, None)

    def get_many_raw(self, keys: list[str]) -> dict[str, bytes]:
        """``get_many``, each value as the server holds it (:meth:`loads`)."""

        def run() -> dict[str, bytes]:
            made = [self.make_and_validate_key(key) for key in keys]
            values = self._cache.get_client(None).mget(made)
            return {k: v for k, v in zip(keys, values, strict=True) if v is not None}

        return self._guarded(run, {})

    def loads(self, data: bytes) -> Any:
        """A value of :meth:`get_many_raw`, as ``get`` returns it."""
        return self._cache._serializer.loads(data)

    def write_many(self, ops: list[tuple[str, Any, Any]]) -> None:
        """
        Set or delete several keys in one round trip (:func:`write`), in
        order: ``(key, value, timeout)``, a value of None deleting the key.
        """

        def run() -> None:
            pipe = self._cache.get_client(write=True).pipeline(transaction=False)
            for key, value, timeout in ops:
                key = self.make_and_validate_key(key)
                seconds = self.get_backend_timeout(timeout)
                if value is None or seconds == 0:  # as RedisCacheClient.set
                    pipe.delete(key)
                else:
                    pipe.set(key, self._cache._serializer.dumps(value), ex=seconds)
            pipe.execute()

        self._guarded(run, None)

    def _recovered(self) -> None:
        with _outage.lock:
            if self._server not in _outage.down:
                return
            _outage.down.discard(self._server)
        log.warning("cache available again; moving versions on")
        move_on(*sorted(_version_keys))

    def ping(self) -> None:
        """Ask the server directly; raise if it does not answer (for /healthz)."""
        self._cache.get_client(write=False).ping()

    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._call("get", default, key, default, version)

    def get_many(self, keys: Any, version: Any = None) -> dict:
        return self._call("get_many", {}, keys, version)

    def has_key(self, key: Any, version: Any = None) -> bool:
        return self._call("has_key", False, key, version)

    def add(self, key: Any, value: Any, timeout: Any = ..., version: Any = None):  # noqa: ANN201
        kwargs = {} if timeout is ... else {"timeout": timeout}
        return self._call("add", False, key, value, version=version, **kwargs)

    def set(self, key: Any, value: Any, timeout: Any = ..., version: Any = None):  # noqa: ANN201
        kwargs = {} if timeout is ... else {"timeout": timeout}
        return self._call("set", None, key, value, version=version, **kwargs)

    def set_many(self, data: Any, timeout: Any = ..., version: Any = None) -> list:
        kwargs = {} if timeout is ... else {"timeout": timeout}
        return self._call("set_many", list(data), data, version=version, **kwargs)

    def touch(self, key: Any, timeout: Any = ..., version: Any = None) -> bool:
        kwargs = {} if timeout is ... else {"timeout": timeout}
        return self._call("touch", False, key, version=version, **kwargs)

    def delete(self, key: Any, version: Any = None) -> bool:
        return self._call("delete", False, key, version)

    def delete_many(self, keys: Any, version: Any = None) -> None:
        return self._call("delete_many", None, keys, version)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> int:
        missing = object()
        result = self._call("incr", missing, key, delta, version)
        if result is missing:
            raise ValueError("the cache is unavailable")
        return result

    def clear(self) -> bool:
        return self._call("clear", False)
