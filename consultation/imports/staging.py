"""
Stage an import's clean rows in a temporary table and move them into comments.

The SQL of :mod:`consultation.imports.load`: the staging table of the
connection (COPY on PostgreSQL), and the INSERT … SELECT statements that write
its rows as comments and contributors, and count them.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db import DatabaseError, connection
from django.utils import timezone

from .. import arrivals, counters
from ..models import Comment, Consultation, Contributor, Decision, ImportBatch

logger = logging.getLogger(__name__)

# The clean rows of the import in progress, in a temporary table of the
# connection (PostgreSQL: of the session, kept in its own memory and files).
STAGING = "consultation_import_staging"
STAGED_COLUMNS = (
    "import_row",
    "article_id",
    "submitted_on",
    "year",
    "text",
    "summary",
    "search_text",
    "receipt_code",
    "name",
    "contact",
    "affiliation",
    "kind",
)


def create_staging() -> None:
    """
    Create the empty staging table. On PostgreSQL each staged row draws its
    comment's id from the comments' own sequence, so contributors are written
    without joining the comments back.
    """
    drop_staging()
    id_column = ""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_get_serial_sequence(%s, 'id')", [Comment._meta.db_table]
            )
            (sequence,) = cursor.fetchone()
        id_column = f"id bigint NOT NULL DEFAULT nextval('{sequence}'::regclass), "
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE {STAGING} ({id_column}"
            "import_row integer NOT NULL, article_id bigint, submitted_on date "
            "NOT NULL, year integer NOT NULL, text text NOT NULL, summary text "
            "NOT NULL, search_text text NOT NULL, receipt_code varchar(12) NOT "
            "NULL, name varchar(100) NOT NULL, contact varchar(100) NOT NULL, "
            "affiliation varchar(200) NOT NULL, kind varchar(20) NOT NULL)"
        )


def drop_staging() -> None:
    """Drop the staging table, if there is one."""
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {STAGING}")
    except DatabaseError:
        # The connection is gone, and its temporary table with it.
        logger.warning("could not drop the import staging table", exc_info=True)


def stage(values: list[tuple]) -> None:
    """Add ``values`` (rows of STAGED_COLUMNS) to the staging table."""
    columns = ", ".join(STAGED_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {STAGING} ({columns}) FROM STDIN") as copy:
                for value in values:
                    copy.write_row(value)
        else:
            marks = ", ".join(["%s"] * len(STAGED_COLUMNS))
            cursor.executemany(
                f"INSERT INTO {STAGING} ({columns}) VALUES ({marks})", values
            )


# What COPY's text format escapes in a value (its field and row separators and
# its escape character); everything else goes as it is.
_COPY_SPECIAL = re.compile(r"[\\\t\n\r]")
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value: Any) -> str:
    if value is None:
        return "\\N"
    if isinstance(value, str):
        if _COPY_SPECIAL.search(value):
            return value.translate(_COPY_ESCAPES)
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def copy_payload(values: list[tuple]) -> bytes:
    """
    Return ``values`` (rows of STAGED_COLUMNS) as the data of a text-format COPY
    (PostgreSQL), for :func:`stage_payload`.

    Made by the thread that checks the rows: formatted by the writing thread,
    which had to share the interpreter with the checking thread meanwhile, the
    rows of each chunk kept the database waiting; now the writing thread only
    sends them.
    """
    return "".join(
        "\t".join(map(_copy_field, value)) + "\n" for value in values
    ).encode()


def stage_payload(payload: bytes) -> None:
    """Add rows formatted by :func:`copy_payload` to the staging table."""
    columns = ", ".join(STAGED_COLUMNS)
    with connection.cursor() as cursor:
        with cursor.copy(f"COPY {STAGING} ({columns}) FROM STDIN") as copy:
            copy.write(payload)


def add_counts(
    consultation: Consultation, counts: Mapping[tuple[int | None, str, int], int]
) -> None:
    """Count new pending comments of ``consultation``: (article, kind, year) → n."""
    counters.add(
        Counter(
            {
                counters.key(
                    consultation_id=consultation.pk,
                    bill_id=consultation.bill_id,
                    article_id=article_id,
                    kind=kind,
                    status=Decision.PENDING.value,
                    submitted_on=dt.date(year, 1, 1),
                ): n
                for (article_id, kind, year), n in counts.items()
            }
        ),
        arrivals=True,
    )
    # The bill's public list is listed again, not taken in comment by comment.
    arrivals.arrived_in_bulk([consultation.bill_id])


def insert_comments(
    cursor: Any, batch: ImportBatch, consultation: Consultation, *, only_missing: bool
) -> int:
    """
    Insert the staged rows as comments, skipping rows whose receipt code is
    taken (or, with ``only_missing``, rows already inserted); return how many.
    """
    table = Comment._meta.db_table
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    pg = connection.vendor == "postgresql"
    where = "WHERE true"  # SQLite needs a WHERE before ON CONFLICT
    params: list[Any] = [
        consultation.pk,
        consultation.bill_id,
        consultation.point_id,
        Decision.PENDING.value,
        batch.pk,
        batch.created_by_id,
        now,
        now,
    ]
    if only_missing:
        where = (
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} c WHERE c.import_batch_id = "
            "%s AND c.import_row = s.import_row)"
        )
        params.append(batch.pk)
    cursor.execute(
        # One statement: the inserting query is visible as such to anyone
        # watching the database.
        f'INSERT INTO "{table}" ({"id, " if pg else ""}consultation_id, bill_id, '
        "point_id, article_id, text, summary, submitted_on, receipt_code, status, "
        "reason, explanation, revision, import_batch_id, import_row, search_text, "
        "created_by_id, created_at, updated_at) "
        f"SELECT {'s.id, ' if pg else ''}%s, %s, %s, s.article_id, s.text, "
        "s.summary, s.submitted_on, s.receipt_code, %s, '', '', 1, %s, "
        "s.import_row, s.search_text, %s, %s, %s "
        f"FROM {STAGING} s {where} "
        "ON CONFLICT (receipt_code) DO NOTHING",
        params,
    )
    return cursor.rowcount


def insert_contributors(cursor: Any, batch_id: int) -> None:
    """Insert the contributors of the staged rows' comments."""
    columns = "comment_id, name, contact, affiliation, kind"
    values = "s.name, s.contact, s.affiliation, s.kind"
    if connection.vendor == "postgresql":
        source = f"SELECT s.id, {values} FROM {STAGING} s"
        params: list[Any] = []
    else:
        source = (
            f"SELECT c.id, {values} FROM {STAGING} s JOIN "
            f"{Comment._meta.db_table} c ON c.import_batch_id = %s "
            "AND c.import_row = s.import_row"
        )
        params = [batch_id]
    cursor.execute(
        f"INSERT INTO {Contributor._meta.db_table} ({columns}) {source}", params
    )
