"""
Chinese full-text search over comments.

Chinese has no spaces between words, and PostgreSQL's parsers do not segment
it; pg_trgm cannot use its index for two-character words (法律). So comments
are segmented with jieba's dictionary (jieba-rs, through rjieba: the same
words as Python's jieba, about twenty times faster) when they are written, into ``Comment.search_text``
(space-separated words, search mode: 电梯安全 also yields 电梯 and 安全). On
PostgreSQL a GIN index on ``to_tsvector('simple', search_text)`` answers a
query's words ANDed together; elsewhere (SQLite) a plain substring match does.

jieba cuts a text into blocks at punctuation and spaces and segments each block
alone, so segmenting block by block (with a cache) gives the same words as
segmenting the whole text, faster when blocks repeat.
"""

from __future__ import annotations

import re
from functools import lru_cache

import rjieba
from django.db import connection
from django.db.models import Q, QuerySet

# jieba's own block pattern (jieba.re_han_default): what it segments; the rest
# (punctuation, spaces) it passes through one character at a time.
_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)")
MAX_QUERY_WORDS = 5


@lru_cache(maxsize=50_000)
def _block_words(block: str) -> tuple[str, ...]:
    return tuple(
        word.lower() for word in rjieba.cut_for_search(block, False) if word.strip()
    )


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
    if indexed:
        words = " ".join(indexed)
        if _common(indexed):
            where = _MATCH.format(table="consultation_comment")
        else:
            where = (
                "consultation_comment.id = ANY(ARRAY("
                "SELECT found.id FROM consultation_comment found WHERE "
                + _MATCH.format(table="found")
                + "))"
            )
        queryset = queryset.extra(where=[where], params=[words])
    return queryset


_MATCH = "to_tsvector('simple', {table}.search_text) @@ plainto_tsquery('simple', %s)"
INDEX = "consultation_comment_search_gin"
# A word in more comments than this is "common": see _common.
COMMON_MATCHES = 30_000


def _common(words: list[str]) -> bool:
    """
    Whether every one of ``words`` is in more than COMMON_MATCHES comments, by
    the statistics PostgreSQL keeps on the search index (one catalog query).

    Newest matches first: for common words the newest comments hold enough of
    them, and walking the primary key down, checking each comment, finds a page
    at once, while collecting every match through the index would read most of
    the table. For rarer words (or matches clustered in old comments) that walk
    can go through the whole table: there the index collects the matches (a few
    thousand ids at most) and only those are sorted. The planner, estimating
    from the same statistics, cannot tell clustered matches from spread ones,
    so the choice is made here, by the rarest word (the words are ANDed).
    """
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, "
            "c.reltuples FROM pg_class c LEFT JOIN pg_stats s "
            "ON s.tablename = c.relname AND s.schemaname = current_schema() "
            "WHERE c.relname = %s AND c.relnamespace = current_schema()::regnamespace",
            [INDEX],
        )
        row = cursor.fetchone()
    if row is None or row[0] is None:
        return False  # no statistics yet: a small or fresh table
    elements, frequencies, rows = row
    known = dict(zip(elements, frequencies, strict=False))
    return all(known.get(word, 0) * rows > COMMON_MATCHES for word in words)
