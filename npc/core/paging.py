"""
Keyset pagination for long lists, public and staff ("newer" and "older" by id,
no OFFSET).

A page is ``WHERE id < after ORDER BY id DESC LIMIT n + 1`` (or the mirror image
for going back), so the millionth comment costs what the first does. The extra
row says whether there is another page; there is no COUNT.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet


@dataclass
class KeysetPage:
    """One page of rows, newest first, and the ids to ask for its neighbours."""

    rows: list[Any]
    newer: int | None  # pass as ?before= to get the page before this one
    older: int | None  # pass as ?after= to get the page after this one

    @property
    def has_other_pages(self) -> bool:
        return self.newer is not None or self.older is not None


def _positive_int(value: str | None) -> int | None:
    # ASCII digits only: int() would read other digits (２, or fail on ²), and
    # no id has more than 19 of them.
    if value is None or not (value.isascii() and value.isdigit()) or len(value) > 19:
        return None
    number = int(value)
    return number if 0 < number < 2**63 else None


def keyset_page(
    queryset: QuerySet, params: Mapping[str, str], *, size: int
) -> KeysetPage:
    """
    Return the page of ``queryset`` that ``params`` asks for, newest id first.

    ``?after=<id>`` gives the rows older than ``id``; ``?before=<id>`` the rows
    newer than it; neither gives the newest rows. A value that is not a
    positive id (a bigint) counts as absent. One query.
    """
    after = _positive_int(params.get("after"))
    before = _positive_int(params.get("before"))
    if before is not None and after is None:
        rows = list(queryset.filter(pk__gt=before).order_by("pk")[: size + 1])
        more_newer = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            rows=rows,
            newer=rows[0].pk if rows and more_newer else None,
            older=rows[-1].pk if rows else None,
        )
    if after is not None:
        queryset = queryset.filter(pk__lt=after)
    rows = list(queryset.order_by("-pk")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        rows=rows,
        newer=rows[0].pk if rows and after is not None else None,
        older=rows[-1].pk if rows and more_older else None,
    )
