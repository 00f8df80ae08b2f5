"""
Comment counts kept as they change, so statistics never count a million rows.

:class:`~consultation.models.CommentCount` rows are deltas: the number of
comments of one consultation, article, contributor kind, status and year is the
SUM of its rows' ``delta``. A service that creates comments or changes one of
those columns appends its deltas in one insert, inside its own transaction; no
row is updated, so concurrent writers never wait on a counter row. ``compact``
folds the deltas into one row per key (a periodic task, and after bulk loads);
``recount`` rebuilds a consultation's rows from its comments.

Each bill's counts also carry a version (:func:`version`), bumped in the cache
once a change of them commits, so that a page can keep what it summed under the
version it summed (:func:`cached`) and read it again only after a change. A
second version (:func:`settled_version`) moves with it on every change except a
comment arriving (entered, imported or submitted): what a page shows of the
bill's consultations and of the decisions on its comments (which comments were
taken up where) is kept under that one, so that a stream of new comments makes
the figures alone be counted again.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.conf import settings
from django.db import connection, transaction

from npc.core import replica
from npc.core.cache import move_on, versions
from npc.core.parts import part

from .models import CommentCount, CommentTally

# consultation_id, bill_id, article_id (or None), kind, status, year
Key = tuple[int, int, int | None, str, str, int]
T = TypeVar("T")

_TABLE = CommentCount._meta.db_table
_COLUMNS = "consultation_id, bill_id, article_id, kind, status, year"
_TALLY = CommentTally._meta.db_table
_TALLY_COLUMNS = "consultation_id, bill_id, status"


def key(
    *,
    consultation_id: int,
    bill_id: int,
    article_id: int | None,
    kind: str,
    status: str,
    submitted_on: dt.date,
) -> Key:
    """Return the counter key of one comment."""
    return (consultation_id, bill_id, article_id, kind, status, submitted_on.year)


_VERSION = "comment-counts:version:{}"
_SETTLED = "comment-counts:settled:{}"
_ALL = "all"  # moved on by a recount
ANY = "any"  # moved on with any bill's counts: the version of the city's counts
# Moving these on moves every bill's counts version and the city's.
GLOBAL_VERSION_KEYS = (_VERSION.format(_ALL), _VERSION.format(ANY))


def version(bill_id: int | str) -> str:
    """
    Return the version of a bill's counts (of every bill's, for ANY): it
    changes whenever they change.
    """
    return _versions(bill_id)[0]


def settled_version(bill_id: int | str) -> str:
    """
    Return the version of what a bill's public pages show of its consultations
    and of the decisions on its comments: :func:`version` but for comments
    arriving, which leave it where it is.
    """
    return _versions(bill_id)[1]


def _versions(bill_id: int | str) -> tuple[str, str]:
    # Both read at once: a bill's page keeps parts under each.
    keys = [_VERSION.format(_ALL), _VERSION.format(bill_id), _SETTLED.format(bill_id)]
    found = versions(keys)
    every, counts, settled = (found.get(k, 0) for k in keys)
    # What is summed from the read replica is kept apart (npc.core.replica).
    tail = replica.key_part()
    return f"{every}.{counts}{tail}", f"{every}.{settled}{tail}"


def _bump(bill_ids: Iterable[int | str], *, arrivals: bool = False) -> None:
    """
    Move the given bills' versions on, now and once the transaction commits: a
    reader that summed the old counts in between kept them under the
    in-between version, which the commit leaves behind. ``arrivals``: the change
    is new comments only, which leaves the settled versions where they are.
    """
    bill_ids = set(bill_ids)
    keys = [_VERSION.format(b) for b in {*bill_ids, ANY}]
    if not arrivals:
        keys += [_SETTLED.format(b) for b in bill_ids]

    def bump() -> None:
        move_on(*keys)

    if keys:
        bump()
        transaction.on_commit(bump)
        # Once more when the read replica, if any, has replayed the change.
        for k in keys:
            transaction.on_commit(
                lambda k=k: replica.once_replayed(k, lambda: move_on(k))
            )


def move_versions(bill_ids: Iterable[int | str]) -> None:
    """
    Move the given bills' counts versions (and the city's) on now, outside any
    transaction: what was kept under them is made again at the next read (the
    benchmark's every-request-a-miss rows).
    """
    move_on(*(_VERSION.format(bill_id) for bill_id in {*bill_ids, ANY}))


def settled_cached(bill_id: int | str, name: str, compute: Callable[[], T]) -> T:
    """
    Return ``compute()``, kept under the bill's settled version
    (:func:`settled_version`) for NPC_COUNTS_CACHE_SECONDS: made again after a
    decision, a moderation or a consultation changed, and otherwise at most
    that often however fast comments arrive (so what it counts of them may lag
    by that long).
    """
    return _kept(bill_id, name, compute, settled_version(bill_id))


def cached(bill_id: int | str, name: str, compute: Callable[[], T]) -> T:
    """
    Return ``compute()``, kept under the bill's counts version for
    NPC_COUNTS_CACHE_SECONDS: a change of the counts commits a new version, so
    the next read sums again. The timeout bounds how long a process whose cache
    missed the bump (a local memory cache) may serve the old sums.
    """
    return _kept(bill_id, name, compute, version(bill_id))


def kept_parts(bill_id: int | str, *names: str) -> list[tuple]:
    """
    What :func:`cached` and :func:`settled_cached` keep ``names`` of a bill
    under: parts (:mod:`npc.core.parts`) that a page may read along with the
    bill's versions (:func:`npc.core.parts.read_along`).
    """
    # What is summed from the read replica is kept apart (npc.core.replica).
    return [("comment-counts", name, bill_id, replica.key_part()) for name in names]


def _kept(bill_id: int | str, name: str, compute: Callable[[], T], under: str) -> T:
    seconds = settings.NPC_COUNTS_CACHE_SECONDS
    if not seconds:
        return compute()
    # Summed again by each reader that finds the version moved: a reader who
    # follows a change sees it at once, never a previous copy.
    return part(
        kept_parts(bill_id, name)[0],
        compute,
        version=under,
        fresh_for=seconds,
        stale_for=0,
        timeout=seconds,
    )


def add(
    deltas: Counter[Key] | Iterable[tuple[Key, int]],
    *,
    quiet: bool = False,
    arrivals: bool = False,
) -> int | None:
    """
    Append ``deltas`` (key → change in count), and their tally by consultation
    and status, in one statement on PostgreSQL; zeros are left out. Returns,
    on PostgreSQL, the id of the transaction that appended them (what
    :mod:`consultation.arrivals` numbers a comment with), else None.

    ``quiet`` leaves the versions where they are: the kept sums and public
    pages show the change once they expire (NPC_COUNTS_CACHE_SECONDS,
    NPC_PUBLIC_CACHE_SECONDS) or the next change moves the versions on.
    ``arrivals``: the deltas count new comments, nothing else, so the settled
    versions stay (:func:`settled_version`).
    """
    items = list(deltas.items() if isinstance(deltas, Counter) else deltas)
    rows = [(*k, n) for k, n in items if n]
    if not rows:
        return None
    for start in range(0, len(rows), _BATCH):
        written_in = _append(rows[start : start + _BATCH])
    if not quiet:
        _bump((row[1] for row in rows), arrivals=arrivals)
    return written_in


_BATCH = 1000
# The counts' rows and, from what they return, the tally's, and the
# transaction's id: one round trip.
_APPEND = """WITH counted AS (
        INSERT INTO {table} ({columns}, delta) VALUES {values}
        RETURNING consultation_id, bill_id, status, delta
    ), tallied AS (
        INSERT INTO {tally} ({tally_columns}, delta)
        SELECT consultation_id, bill_id, status, SUM(delta) FROM counted
        GROUP BY consultation_id, bill_id, status HAVING SUM(delta) <> 0
    )
    SELECT pg_current_xact_id()::text
"""


def _append(rows: list[tuple]) -> int | None:
    """
    Append counter rows (key…, delta) and their tally; the transaction's id
    on PostgreSQL.
    """
    if connection.vendor == "postgresql":
        values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(rows))
        sql = _APPEND.format(
            table=_TABLE,
            columns=_COLUMNS,
            values=values,
            tally=_TALLY,
            tally_columns=_TALLY_COLUMNS,
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for row in rows for value in row])
            return int(cursor.fetchone()[0])
    CommentCount.objects.bulk_create(
        CommentCount(
            consultation_id=c,
            bill_id=b,
            article_id=a,
            kind=k,
            status=s,
            year=y,
            delta=n,
        )
        for c, b, a, k, s, y, n in rows
    )
    tallies: Counter[tuple[int, int, str]] = Counter()
    for c, b, _a, _k, s, _y, n in rows:
        tallies[c, b, s] += n
    CommentTally.objects.bulk_create(
        CommentTally(consultation_id=c, bill_id=b, status=s, delta=n)
        for (c, b, s), n in tallies.items()
        if n
    )
    return None


def move(old: Iterable[Key], new: Iterable[Key]) -> None:
    """Count comments that moved from the ``old`` keys to the ``new`` ones."""
    deltas: Counter[Key] = Counter()
    deltas.update(new)
    deltas.subtract(old)
    add(deltas)


_SELECT = """
    SELECT c.consultation_id, c.bill_id, c.article_id,
           COALESCE(p.kind, 'resident'), c.status, {year}, COUNT(*)
    FROM consultation_comment c
    LEFT JOIN consultation_contributor p ON p.comment_id = c.id
    {where}
    GROUP BY c.consultation_id, c.bill_id, c.article_id, p.kind, c.status, {year}
"""


def _year_sql() -> str:
    if connection.vendor == "postgresql":
        return "CAST(EXTRACT(YEAR FROM c.submitted_on) AS integer)"
    return "CAST(strftime('%%Y', c.submitted_on) AS integer)"


@transaction.atomic
def recount(consultation_ids: Iterable[int] | None = None) -> None:
    """Rebuild the counts of the given consultations (all if None) from comments."""
    ids = None if consultation_ids is None else sorted(set(consultation_ids))
    if ids == []:
        return
    year = _year_sql()
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(f"DELETE FROM {_TABLE}")
            where, params = "", []
        else:
            marks = ", ".join(["%s"] * len(ids))
            cursor.execute(
                f"DELETE FROM {_TABLE} WHERE consultation_id IN ({marks})", ids
            )
            where, params = f"WHERE c.consultation_id IN ({marks})", ids
        _bump([_ALL])
        cursor.execute(
            f"INSERT INTO {_TABLE} ({_COLUMNS}, delta) "
            + _SELECT.format(year=year, where=where),
            params,
        )
        where = where.replace("c.consultation_id", "consultation_id")
        cursor.execute(f"DELETE FROM {_TALLY} {where}", params)
        cursor.execute(
            f"INSERT INTO {_TALLY} ({_TALLY_COLUMNS}, delta) "
            f"SELECT {_TALLY_COLUMNS}, SUM(delta) FROM {_TABLE} {where} "
            f"GROUP BY {_TALLY_COLUMNS}",
            params,
        )


@transaction.atomic
def compact() -> None:
    """
    Fold the delta rows into one row per key (none for a zero total), in both
    tables (the counts and their tally by consultation and status).
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers append meanwhile; hold them for the short fold.
            cursor.execute(f"LOCK TABLE {_TABLE}, {_TALLY} IN EXCLUSIVE MODE")
        for table, columns in ((_TABLE, _COLUMNS), (_TALLY, _TALLY_COLUMNS)):
            cursor.execute(
                f"CREATE TEMPORARY TABLE comment_count_fold AS "
                f"SELECT {columns}, SUM(delta) AS delta FROM {table} "
                f"GROUP BY {columns}"
            )
            cursor.execute(f"DELETE FROM {table}")
            cursor.execute(
                f"INSERT INTO {table} ({columns}, delta) "
                f"SELECT {columns}, delta FROM comment_count_fold WHERE delta <> 0"
            )
            cursor.execute("DROP TABLE comment_count_fold")
