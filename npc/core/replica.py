"""
Public reads from a read replica (``DATABASE_REPLICA_URL``), everything else
from the primary.

A PostgreSQL streaming standby serves what anonymous readers of the public site
and the public API ask for; the primary keeps every write and every read that
must see the latest state. The rules, in the order they are applied:

- **Which requests.** :class:`ReplicaReadsMiddleware` lets a request read from
  the replica only when :func:`reads_from_primary` says no: a GET or HEAD to a
  view of the public site (namespace ``public``) or of the API (``api``), from
  a reader with no session cookie and no ``Authorization`` header, who has not
  written within ``NPC_REPLICA_PIN_SECONDS``. Staff pages, the admin, sign-in,
  the following-by-mail links and the pages that look up what the visitor has
  just submitted (:data:`PRIMARY_VIEWS`) always read from the primary. No
  session cookie (rather than "not signed in") keeps the session itself off the
  replica: a session written a moment ago by a sign-in may not be there yet.
- **Read-your-writes in a request.** Every write goes to the primary
  (:class:`ReplicaRouter`), and once a request has written (or while the
  primary is inside ``transaction.atomic``), its later reads go there too.
- **Read-your-writes across requests.** A POST, PUT, PATCH or DELETE that wrote
  sets the cookie :data:`PRIMARY_COOKIE` (the time of the write) for
  ``NPC_REPLICA_PIN_SECONDS``; while a request carries it, its reads come from
  the primary, so the visitor who just commented sees the comment on the next
  page even if the replica has not replayed it yet. The pin is longer than the
  largest lag the replica is used with plus the time between health checks.
- **Lag and failure.** Before the replica is used, a health check (at most
  every ``NPC_REPLICA_CHECK_SECONDS`` per process; other threads keep the last
  answer meanwhile) asks it how far it is behind: none if it has replayed the
  primary's current WAL position (right when the primary is idle), else the
  time since the last transaction it replayed. Unreachable, or behind by more
  than ``NPC_REPLICA_MAX_LAG_SECONDS``: the primary serves. A replica that fails
  within a request falls back to the primary for that request: a failed connect
  when the request first reads from it (the router catches it), a failure after
  that by running the view once more on the primary (a GET or HEAD that wrote
  nothing), or the whole request when the failure was answered already (the
  API's 503, a kept copy served stale). Either marks the replica down until
  the next check.

- **What is kept in the cache.** Versions kept in the cache move on when a
  change commits, before the replica has replayed it, so a page rendered from
  the replica in between would be kept under the new version. What is kept
  from the replica's reads is kept apart (:func:`key_part` in the key), never
  served to a reader of the primary, and the versions move on once more when
  the replica is sure to have the change (:func:`once_replayed`).

Outside a request (Celery tasks, management commands, the shell) every read and
write goes to the primary, and migrations run there only. Plain SQL bypasses
the router: a public read in SQL asks it, ``connections[router.db_for_read(M)]``.

For HTTP caches in front of the app: a response to a request for which
:func:`reads_from_primary` is true must not be marked shareable, since it may
show what only that visitor has seen yet. A caching proxy should pass requests
carrying :data:`PRIMARY_COOKIE` to the app (nginx: ``proxy_cache_bypass
$cookie_npc_wrote;``) so that the writer is not served a copy from before the
write.
"""

from __future__ import annotations

import contextvars
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    InterfaceError,
    OperationalError,
    connections,
)
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

REPLICA = "replica"
# The cookie of a visitor who wrote a moment ago: its value is when (Unix time).
PRIMARY_COOKIE = "npc_wrote"
SAFE_METHODS = frozenset({"GET", "HEAD"})
REPLICA_NAMESPACES = frozenset({"public", "api"})
# Public views that look up what the visitor has just written (a receipt page
# after the form, a link from the mail just sent): always read from the primary.
PRIMARY_VIEWS = frozenset(
    {
        "public:comment-done",
        "public:comment-mail-confirm",
        "public:comment-mail-unsubscribe",
    }
)


@dataclass
class _Reads:
    """Where one request may read from, and what it has done so far."""

    replica: bool
    wrote: bool = False
    used_replica: bool = False
    connected: bool = False
    retried: bool = False
    # Whether kept copies made now are the replica's (see key_part); once
    # said, the request's reads keep to it.
    decided: bool | None = None


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar(
    "npc_replica_reads", default=None
)


def configured() -> bool:
    """Say whether a replica is configured (``DATABASE_REPLICA_URL``)."""
    return REPLICA in connections.settings


# --- the replica's health, per process ------------------------------------------


class _Health:
    """The last answer of the replica's health check, and when it was asked."""

    def __init__(self) -> None:
        self.usable = False
        self.checked = float("-inf")
        self.lock = threading.Lock()

    def usable_now(self) -> bool:
        """Return the last answer, asking again when it is older than allowed."""
        if time.monotonic() - self.checked < settings.NPC_REPLICA_CHECK_SECONDS:
            return self.usable
        # One thread asks; the others keep the last answer meanwhile.
        if not self.lock.acquire(blocking=False):
            return self.usable
        try:
            usable, why = _replica_is_current()
            if usable != self.usable:
                # Once per change, not at every check.
                logger.warning(
                    "Read replica %s", "in use" if usable else f"not used: {why}"
                )
            self.usable = usable
            self.checked = time.monotonic()
        finally:
            self.lock.release()
        return self.usable

    def mark_down(self, why: str) -> None:
        if self.usable:
            logger.warning("Read replica not used: %s", why)
        self.usable = False
        self.checked = time.monotonic()

    def forget(self) -> None:
        self.usable = False
        self.checked = float("-inf")


health = _Health()


def _replica_is_current() -> tuple[bool, str]:
    """
    Ask the primary for its WAL position, then the replica whether it has
    replayed that far, or else how long ago it replayed its last transaction.
    Say whether it may be read from, and if not why.
    """
    try:
        with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            (position,) = cursor.fetchone()
        with connections[REPLICA].cursor() as cursor:
            cursor.execute(
                "SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn, "
                "EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())",
                [position],
            )
            caught_up, behind = cursor.fetchone()
    except DatabaseError as exc:
        connections[REPLICA].close()
        return False, f"unavailable ({type(exc).__name__})"
    if caught_up:
        return True, ""
    # NULL when the server is no standby (promoted, or the primary itself).
    if behind is None:
        return False, "not replaying from the primary"
    if behind > settings.NPC_REPLICA_MAX_LAG_SECONDS:
        return False, f"{behind:.1f} s behind the primary"
    return True, ""


def _replica_ready(reads: _Reads) -> bool:
    """Connect to the replica once per request; a failure turns to the primary."""
    if reads.connected:
        return True
    connection = connections[REPLICA]
    try:
        connection.close_if_health_check_failed()
        connection.ensure_connection()
    except (OperationalError, InterfaceError) as exc:
        health.mark_down(f"did not answer ({type(exc).__name__})")
        connection.close()
        reads.replica = False
        return False
    reads.connected = True
    return True


# --- routing --------------------------------------------------------------------


class ReplicaRouter:
    """
    Reads to the replica when the request allows it and the replica is current;
    everything else, and every write, to the primary. With no replica
    configured it says nothing, and Django's defaults apply.
    """

    def db_for_read(self, model: type, **hints: Any) -> str | None:
        reads = _reads.get()
        if reads is None:
            return DEFAULT_DB_ALIAS if configured() else None
        if (
            reads.replica
            and not reads.wrote
            and reads.decided is not False
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
            and health.usable_now()
            and _replica_ready(reads)
        ):
            reads.used_replica = True
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        reads = _reads.get()
        if reads is not None:
            reads.wrote = True
        return DEFAULT_DB_ALIAS if configured() else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # The replica holds the primary's rows: an object read from either may
        # be related to one read from the other.
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        # The standby is read-only; it receives the schema through replication.
        return False if db == REPLICA else None


# --- what is kept in the cache ------------------------------------------------


def key_part() -> str:
    """
    Return what the key of anything kept in the cache from this request's reads
    must add: ``"replica"`` when they come from the replica, else ``""``.

    Versions kept in the cache move on when a change commits, before the
    replica has replayed it; a page rendered from the replica in between would
    be kept under the new version. Kept apart, such a copy is never served to
    a reader of the primary (the visitor who just wrote, staff), and
    :func:`once_replayed` leaves it behind soon after.
    """
    reads = _reads.get()
    if reads is None:
        return ""
    if reads.decided is None:
        reads.decided = reads.used_replica or (
            reads.replica and not reads.wrote and health.usable_now()
        )
    return "replica" if reads.decided else ""


class _Later:
    """Callbacks due later, by key, run by one thread of the process."""

    def __init__(self) -> None:
        self.due: dict[str, tuple[float, Callable[[], None]]] = {}
        self.condition = threading.Condition()
        self.thread: threading.Thread | None = None

    def add(self, key: str, when: float, callback: Callable[[], None]) -> None:
        with self.condition:
            # One call, at the latest time asked, covers every earlier one.
            self.due[key] = (max(when, self.due.get(key, (when,))[0]), callback)
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(
                    target=self._run, name="npc-replica-later", daemon=True
                )
                self.thread.start()
            self.condition.notify()

    def _run(self) -> None:
        while True:
            with self.condition:
                now = time.monotonic()
                ready = [k for k, (when, _) in self.due.items() if when <= now]
                if not ready:
                    first = min((when for when, _ in self.due.values()), default=None)
                    self.condition.wait(None if first is None else first - now)
                    continue
                callbacks = [self.due.pop(k)[1] for k in ready]
            for callback in callbacks:
                try:
                    callback()
                except Exception:  # noqa: BLE001 - the next change moves it on
                    logger.exception("Moving a version on after replay failed")


_later = _Later()


def once_replayed(key: str, callback: Callable[[], None]) -> None:
    """
    Call ``callback`` (which moves the version ``key`` on) again once every
    read from the replica includes what has just committed: after the largest
    lag it is read with, plus the time between two health checks, plus a
    second. Call it after the commit. Nothing with no replica configured.
    """
    if not configured():
        return
    delay = (
        settings.NPC_REPLICA_MAX_LAG_SECONDS + settings.NPC_REPLICA_CHECK_SECONDS + 1
    )
    _later.add(key, time.monotonic() + delay, callback)


def forget() -> None:
    """Forget the replica's health and the versions due to move on (tests)."""
    health.forget()
    with _later.condition:
        _later.due.clear()


# --- requests -------------------------------------------------------------------


def wrote_recently(request: HttpRequest) -> bool:
    """Say whether ``request`` comes from a visitor who wrote a moment ago."""
    stamp = request.COOKIES.get(PRIMARY_COOKIE)
    if not stamp:
        return False
    try:
        written = int(stamp)
    except ValueError:
        return False
    return time.time() - written < settings.NPC_REPLICA_PIN_SECONDS


def reads_from_primary(request: HttpRequest) -> bool:
    """
    Say whether ``request`` must read from the primary whether or not a replica
    is configured: it writes, it is not a public page or public API read, it
    may be signed in (session cookie, ``Authorization``), or its visitor wrote
    within ``NPC_REPLICA_PIN_SECONDS``. Its response must not be marked
    shareable by an HTTP cache. Known once the URL has been resolved.
    """
    if request.method not in SAFE_METHODS:
        return True
    match = getattr(request, "resolver_match", None)
    if (
        match is None
        or match.namespace not in REPLICA_NAMESPACES
        or match.view_name in PRIMARY_VIEWS
    ):
        return True
    if "HTTP_AUTHORIZATION" in request.META:
        return True
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return True
    return wrote_recently(request)


def _replica_failed(request: HttpRequest, reads: _Reads) -> bool:
    """Say whether a read that wrote nothing failed on the replica's connection."""
    if (
        not reads.used_replica
        or reads.retried
        or reads.wrote
        or request.method not in SAFE_METHODS
    ):
        return False
    connection = connections[REPLICA]
    # A cancelled statement (a search past its time) leaves the connection usable.
    return connection.errors_occurred and not connection.is_usable()


def _turn_to_primary(reads: _Reads, why: str) -> None:
    health.mark_down(why)
    connections[REPLICA].close()
    reads.replica = False
    reads.retried = True


class ReplicaReadsMiddleware:
    """
    Decide, once the view is known, whether the request may read from the
    replica; afterwards, pin a visitor who wrote to the primary for a moment.
    See the module's docstring.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not configured():
            return self.get_response(request)
        reads = _Reads(replica=False)
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
            if _replica_failed(request, reads):
                # Answered all the same (the API's 503, a stale kept copy):
                # once more, from the primary.
                _turn_to_primary(reads, "failed mid-request")
                response = self.get_response(request)
        finally:
            _reads.reset(token)
        if reads.wrote and request.method not in SAFE_METHODS:
            response.set_cookie(
                PRIMARY_COOKIE,
                str(int(time.time())),
                max_age=settings.NPC_REPLICA_PIN_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        if request.method in SAFE_METHODS and wrote_recently(request):
            # What this visitor sees now may be newer than a shared copy.
            patch_cache_control(response, private=True)
        return response

    def process_view(
        self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict
    ) -> None:
        reads = _reads.get()
        if reads is not None:
            reads.replica = not reads.wrote and not reads_from_primary(request)

    def process_exception(
        self, request: HttpRequest, exc: Exception
    ) -> HttpResponse | None:
        """Run a read the replica failed once more, on the primary."""
        reads = _reads.get()
        if (
            reads is None
            or not reads.used_replica
            or reads.retried
            or reads.wrote
            or not isinstance(exc, (OperationalError, InterfaceError))
        ):
            return None
        _turn_to_primary(reads, f"failed mid-request ({type(exc).__name__})")
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        if callable(getattr(response, "render", None)) and not response.is_rendered:
            response = response.render()
        return response
