"""
Which transactions a read saw, on PostgreSQL.

A figure summed once and then brought up to date with what was written after
(:func:`npc.public.keeping.outcome_statuses`) must count each write once. The
writes are numbered as they commit (:mod:`consultation.arrivals`), and a write
that commits while the sum is read may be numbered after the number the sum
was kept under: taken in, it would be counted twice. So the sum is read with
the snapshot of its own statement (:func:`rows_with_snapshot`), each write
carries the id of its transaction (PostgreSQL's ``pg_current_xact_id()``,
read in the transaction: :func:`consultation.counters.add`), and
:meth:`Snapshot.saw` tells whether the sum counted it: exactly, whatever order
the writers commit in.

Other databases have no such snapshot: there, :func:`supported` is False and
nothing is carried forward.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, connections
from django.db.models import QuerySet


def supported() -> bool:
    """Whether the database tells a statement's snapshot (PostgreSQL)."""
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class Snapshot:
    """
    What a statement saw: the transactions completed before it started,
    those below ``xmin``, and those below ``xmax`` but not ``running``.
    """

    xmin: int
    xmax: int
    running: frozenset[int]

    @classmethod
    def parse(cls, text: str) -> Snapshot:
        """From PostgreSQL's ``xmin:xmax:xip,…``."""
        xmin, xmax, running = text.split(":")
        return cls(
            int(xmin), int(xmax), frozenset(int(x) for x in running.split(",") if x)
        )

    def saw(self, xid: int) -> bool:
        """Whether the statement saw what transaction ``xid`` committed."""
        return xid < self.xmin or (xid < self.xmax and xid not in self.running)


def rows_with_snapshot(queryset: QuerySet) -> tuple[list[tuple], Snapshot | None]:
    """
    The rows of ``queryset`` (a ``values_list``) and the snapshot they were
    read in, in one statement (each statement of a READ COMMITTED transaction
    reads in a snapshot of its own), on the database the queryset reads from.
    The snapshot is None where it cannot tell which writes the rows hold: off
    PostgreSQL, and where the statement's own transaction had written (what it
    writes later cannot be told from what it wrote before; a public read writes
    nothing). Every row must have a column that is not NULL.
    """
    database = connections[queryset.db]
    sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    with database.cursor() as cursor:
        if database.vendor != "postgresql":
            cursor.execute(sql, params)
            return cursor.fetchall(), None
        # Joined to one row, so that the snapshot comes back with no rows too.
        cursor.execute(
            "SELECT pg_current_snapshot()::text, "
            "pg_current_xact_id_if_assigned() IS NOT NULL, q.* "
            f"FROM (SELECT 1) AS one LEFT JOIN ({sql}) AS q ON TRUE",
            params,
        )
        found = cursor.fetchall()
    text, wrote = found[0][:2]
    rows = [row[2:] for row in found if any(value is not None for value in row[2:])]
    return rows, None if wrote else Snapshot.parse(text)
