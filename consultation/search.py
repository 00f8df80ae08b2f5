"""
Chinese full-text search over comments.

The words of a comment (text and summary) are cut by jieba when it is written,
into ``Comment.search_text``, and found through a GIN index on PostgreSQL, as
every searchable text is (:mod:`npc.core.words` holds that machinery and says
why). What is particular to comments is their number: a million of them, where
a common word's matches can be most of the table, so the search chooses its
plan by the words' frequency and its time is bounded (:func:`bounded`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, TypeVar

from django.apps import apps
from django.contrib.postgres.expressions import ArraySubquery
from django.db import (
    DEFAULT_DB_ALIAS,
    OperationalError,
    connection,
    connections,
    router,
    transaction,
)
from django.db.models import F, Lookup, Q, QuerySet
from django.utils.translation import gettext_lazy as _
from psycopg import errors as pg_errors
from rest_framework import status

from npc.core import words as text_words
from npc.core.errors import DomainError
from npc.core.words import MAX_QUERY_WORDS, query_words, search_words

# The word machinery is shared (npc.core.words); these names stay importable
# from here for the code that writes comments.
__all__ = [
    "MAX_QUERY_WORDS",
    "SearchTooLong",
    "bounded",
    "filter_comments",
    "query_words",
    "search_words",
]

T = TypeVar("T")


def _contains(term: str) -> Q:
    return Q(text__contains=term) | Q(summary__contains=term)


def filter_comments(queryset: QuerySet, value: str) -> QuerySet:
    """
    Keep the comments of ``queryset`` whose text or summary has every term of
    ``value``.

    On PostgreSQL, the terms' jieba words must all be among the comment's words
    (the GIN index finds them), and each term of two or more characters must
    also appear as written (checked on the rows the index found). A term of one
    character, which jieba seldom keeps as a word, is matched as a substring.
    Within :func:`bounded`, also sets the limits of the search's transaction
    for the path chosen (one query).
    """
    terms = text_words.terms(value)
    if connection.vendor != "postgresql":
        for term in terms:
            queryset = queryset.filter(_contains(term))
        return queryset
    indexed: list[str] = []
    for term in terms:
        indexed.extend(text_words.indexed_words(term))
        queryset = queryset.filter(_contains(term))
    bound = _bound.get()
    matches = 0 if not indexed or (bound and bound.index_only) else _matches(indexed)
    walk = matches > COMMON_MATCHES
    _limit(
        walk=walk,
        may_collect=matches <= COLLECT_MATCHES,
        collect=bool(indexed) and not walk,
    )
    if indexed:
        if walk:
            queryset = text_words.having_words(queryset, indexed)
        else:
            # The ids are collected first (ARRAY(…)), then only those are read,
            # newest first: as a join or IN (…), the planner may walk instead.
            found = text_words.having_words(
                queryset.model._base_manager.order_by(), indexed
            )
            queryset = queryset.filter(
                _AnyOf(F("pk"), ArraySubquery(found.values("pk")))
            )
    return queryset


# The search index: its name, and the expression it indexes (also used by the
# benchmark's generator, which builds it after its COPY).
INDEX = "consultation_comment_words_gin"
WORDS_SQL = text_words.WORDS_SQL.format(field="search_text")


class _AnyOf(Lookup):
    """``lhs = ANY(rhs)``, ``rhs`` an array (evaluated once, not per row)."""

    lookup_name = "any_of"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


# A word in more comments than this is "common": see _common.
COMMON_MATCHES = 30_000


def _common(words: list[str]) -> bool:
    """
    Whether every one of ``words`` is in more than COMMON_MATCHES comments, by
    the statistics PostgreSQL keeps on the search index (one catalog query).
    """
    return _matches(words) > COMMON_MATCHES


def _matches(words: list[str]) -> float:
    """
    Return how many comments the rarest of ``words`` is in, by the statistics
    PostgreSQL keeps on the search index (one catalog query); 0 for a word it
    does not count among the common ones, or without statistics.

    Newest matches first: for common words the newest comments hold enough of
    them, and walking the primary key down, checking each comment, finds a page
    at once, while collecting every match through the index would read most of
    the table. For rarer words (or matches clustered in old comments) that walk
    can go through the whole table: there the index collects the matches (a few
    thousand ids at most) and only those are sorted. The planner, estimating
    from the same statistics, cannot tell clustered matches from spread ones,
    so the choice is made here, by the rarest word (the words are ANDed).
    """
    bound = _bound.get()
    alias = bound.alias if bound else router.db_for_read(_comment_model())
    with connections[alias].cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, "
            "c.reltuples FROM pg_class c LEFT JOIN pg_stats s "
            "ON s.tablename = c.relname AND s.schemaname = current_schema() "
            "WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace",
            [INDEX],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return 0  # no statistics yet: a small or fresh table
    elements, frequencies, rows = row
    known = dict(zip(elements, frequencies, strict=False))
    return min(known.get(word, 0) * rows for word in words)


# How long a search may walk the newest comments before the index collects its
# matches instead, and how long a search may take at all (milliseconds).
WALK_TIMEOUT_MS = 300
SEARCH_TIMEOUT_MS = 3000
# A word in more comments than this is never collected through the index: that
# would read more of the table than the longest walk (see bounded).
COLLECT_MATCHES = 100_000


@dataclass
class _Bound:
    """The state of one :func:`bounded` search."""

    timeout_ms: int
    # The database the search reads from (the read replica for a public one).
    alias: str = DEFAULT_DB_ALIAS
    index_only: bool = False
    # Whether the search running walks and may collect through the index instead.
    may_collect: bool = False


_bound: ContextVar[_Bound | None] = ContextVar("search_bound", default=None)


class SearchTooLong(DomainError):
    """A search that even the index could not answer in time."""

    code = "search_timeout"
    http_status = status.HTTP_503_SERVICE_UNAVAILABLE


def bounded(run: Callable[[], T]) -> T:
    """
    Return ``run()``, which evaluates querysets filtered by
    :func:`filter_comments`, with the time of its search bounded.

    Without parallel workers: on a small machine serving many readers, each
    search taking three processes slows every other request down, and the
    plans are no faster alone. The walk of the newest comments chosen for
    common words is fast when their matches are spread, but a common word whose
    matches are all old would walk the whole table: after WALK_TIMEOUT_MS the
    search is run again with the index collecting the matches (as for rare
    words), unless the word is in more than COLLECT_MATCHES comments, which
    walks on instead (collecting them would take longer; a walk is also slow
    while a large import is being written, its rows not yet visible lying at
    the top of the table). A search that takes longer than SEARCH_TIMEOUT_MS
    in all is refused (:class:`SearchTooLong`, 503) rather than hold a worker.
    """
    if connection.vendor != "postgresql":
        return run()
    alias = router.db_for_read(_comment_model())
    bound = _Bound(timeout_ms=SEARCH_TIMEOUT_MS, alias=alias)
    token = _bound.set(bound)
    try:
        while True:
            try:
                with transaction.atomic(using=alias):
                    return run()
            except OperationalError as exc:
                if not _cancelled(exc):
                    raise
                if bound.index_only or not bound.may_collect:
                    message = _("搜索用时过长，请增加或更换关键词。")
                    raise SearchTooLong(message) from exc
            # Once more, the index collecting the matches, in the time left.
            bound.index_only = True
            bound.timeout_ms = SEARCH_TIMEOUT_MS - WALK_TIMEOUT_MS
    finally:
        _bound.reset(token)


def _comment_model() -> type:
    return apps.get_model("consultation", "Comment")


def _cancelled(exc: OperationalError) -> bool:
    return isinstance(exc.__cause__, pg_errors.QueryCanceled)


def _limit(*, walk: bool, may_collect: bool, collect: bool = False) -> None:
    """
    Within :func:`bounded`, set the limits of the search about to run, for the
    rest of its transaction: no parallel workers, and the walk's time if the
    index may collect the matches after it, the search's otherwise.

    When the index collects the matches, sorting is also discouraged: the
    planner cannot tell how many ids it will get (it assumes ten), so it may
    join every match and sort them all for one page (15,000 matches: 200 ms)
    where reading the ids newest first through the primary key stops after
    one page (20 ms).
    """
    bound = _bound.get()
    if bound is None:
        return
    bound.may_collect = walk and may_collect
    timeout = bound.timeout_ms
    if bound.may_collect:
        timeout = min(WALK_TIMEOUT_MS, timeout)
    with connections[bound.alias].cursor() as cursor:
        cursor.execute(
            "SELECT set_config('max_parallel_workers_per_gather', '0', true), "
            "set_config('statement_timeout', %s, true), "
            "set_config('enable_sort', %s, true)",
            [str(timeout), "off" if collect else "on"],
        )
