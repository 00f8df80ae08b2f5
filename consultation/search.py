"""
Chinese full-text search over comments.

Chinese has no spaces between words, and PostgreSQL's parsers do not segment
it; pg_trgm cannot use its index for two-character words (法律). So comments
are segmented with jieba's dictionary (jieba-rs, through rjieba: the same
words as Python's jieba, about twenty times faster) when they are written, into ``Comment.search_text``
(space-separated words, search mode: 电梯安全 also yields 电梯 and 安全). On
PostgreSQL a GIN index on the words as an array, ``string_to_array(search_text,
' ')``, answers a query's words ANDed together (``@>``, contains all); elsewhere
(SQLite) a plain substring match does. The words are jieba's already: an array
costs a split per comment written, where a text-search vector cost a parse
several times dearer, the larger part of writing a comment.

jieba cuts a text into blocks at punctuation and spaces and segments each block
alone, so segmenting block by block (with a cache) gives the same words as
segmenting the whole text, faster when blocks repeat. Only short blocks are
kept (phrases that repeat: 市场监管部门, 电梯); a long block is mostly unique,
and keeping every one grew a worker by gigabytes over a large import. The cache
is bounded in entries and in each entry's size, so at most a few megabytes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

import rjieba
from django.apps import apps
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import (
    DEFAULT_DB_ALIAS,
    OperationalError,
    connection,
    connections,
    router,
    transaction,
)
from django.db.models import F, Func, Lookup, Q, QuerySet, TextField
from django.utils.translation import gettext_lazy as _
from psycopg import errors as pg_errors
from rest_framework import status

from npc.core.errors import DomainError

T = TypeVar("T")

# jieba's own block pattern (jieba.re_han_default): what it segments; the rest
# (punctuation, spaces) it passes through one character at a time.
_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)")
MAX_QUERY_WORDS = 5


# Blocks up to this many characters are kept, this many at most.
CACHED_BLOCK_LENGTH = 24
CACHED_BLOCKS = 20_000


def _segment(block: str) -> tuple[str, ...]:
    return tuple(
        word.lower() for word in rjieba.cut_for_search(block, False) if word.strip()
    )


_cached_segment = lru_cache(maxsize=CACHED_BLOCKS)(_segment)


def _block_words(block: str) -> tuple[str, ...]:
    if len(block) <= CACHED_BLOCK_LENGTH:
        return _cached_segment(block)
    return _segment(block)


def search_words(*texts: str) -> str:
    """Return the words of ``texts`` for the search column, space-separated."""
    words: list[str] = []
    for text in texts:
        for block in _BLOCK.findall(text or ""):
            words.extend(_block_words(block))
    return " ".join(words)


def query_words(value: str) -> list[list[str]]:
    """
    Split a search box's ``value`` into words: for each space-separated term (at
    most five), the words jieba finds in it (precise mode).
    """
    terms = value.split()[:MAX_QUERY_WORDS]
    result = []
    for term in terms:
        words = [
            w.lower()
            for block in _BLOCK.findall(term)
            for w in rjieba.cut(block, False)
            if w.strip()
        ]
        result.append(words)
    return result


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
    terms = value.split()[:MAX_QUERY_WORDS]
    if connection.vendor != "postgresql":
        for term in terms:
            queryset = queryset.filter(_contains(term))
        return queryset
    indexed: list[str] = []
    for term, words in zip(terms, query_words(value), strict=True):
        if len(term) > 1 and words:
            indexed.extend(words)
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
            queryset = _having_words(queryset, indexed)
        else:
            # The ids are collected first (ARRAY(…)), then only those are read,
            # newest first: as a join or IN (…), the planner may walk instead.
            found = _having_words(queryset.model._base_manager.order_by(), indexed)
            queryset = queryset.filter(
                _AnyOf(F("pk"), ArraySubquery(found.values("pk")))
            )
    return queryset


# The search index: its name, and the expression it indexes (also used by the
# benchmark's generator, which builds it after its COPY).
INDEX = "consultation_comment_words_gin"
WORDS_SQL = "string_to_array(search_text, ' ')"


class _Words(Func):
    """The comment's search words as an array: the search index's expression."""

    function = "string_to_array"
    # The separator written out, not a parameter: the planner matches the
    # query's expression to the index's only if they are the same.
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = ArrayField(TextField())


class _AnyOf(Lookup):
    """``lhs = ANY(rhs)``, ``rhs`` an array (evaluated once, not per row)."""

    lookup_name = "any_of"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = compiler.compile(self.rhs)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)


def _having_words(queryset: QuerySet, words: list[str]) -> QuerySet:
    """Keep the comments of ``queryset`` that have all of ``words`` (parameters)."""
    return queryset.alias(search_words=_Words(F("search_text"))).filter(
        search_words__contains=words
    )


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
