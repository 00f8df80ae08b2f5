"""
Chinese word search, shared by every text that can be searched: comments
(consultation.search) and the articles of bills and regulations
(legislation.search).

Chinese has no spaces between words, and PostgreSQL's parsers do not segment
it; pg_trgm cannot use its index for two-character words (法律). So a text is
segmented with jieba's dictionary (jieba-rs, through rjieba: the same words as
Python's jieba, about twenty times faster) when it is written, into a
``search_text`` column (space-separated words, search mode: 电梯安全 also
yields 电梯 and 安全). On PostgreSQL a GIN index on the words as an array,
``string_to_array(search_text, ' ')``, finds the rows that hold all of a
query's words (``@>``); each term is then also checked as written, on the rows
the index found. Elsewhere (SQLite) the terms are matched as written only.

jieba cuts a text into blocks at punctuation and spaces and segments each block
alone, so segmenting block by block (with a cache) gives the same words as
segmenting the whole text, faster when blocks repeat. Only short blocks are
kept (phrases that repeat: 市场监管部门, 电梯); a long block is mostly unique,
and keeping every one grew a worker by gigabytes over a large import. The cache
is bounded in entries and in each entry's size, so at most a few megabytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import rjieba
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.fields.array import ArrayContains
from django.db import connection
from django.db.models import F, Func, Q, QuerySet, TextField
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# jieba's own block pattern (jieba.re_han_default): what it segments; the rest
# (punctuation, spaces) it passes through one character at a time.
_BLOCK = re.compile(r"([\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]+)")
# A search box's terms beyond this many are ignored.
MAX_QUERY_WORDS = 5

# Blocks up to this many characters are kept, this many at most.
CACHED_BLOCK_LENGTH = 24
CACHED_BLOCKS = 20_000

# The expression every words index is built on, ``field`` its column.
WORDS_SQL = "string_to_array({field}, ' ')"


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
    """Return the words of ``texts`` for a search column, space-separated."""
    words: list[str] = []
    for text in texts:
        for block in _BLOCK.findall(text or ""):
            words.extend(_block_words(block))
    return " ".join(words)


def terms(value: str) -> list[str]:
    """The terms of a search box's ``value``: space-separated, at most five."""
    return (value or "").split()[:MAX_QUERY_WORDS]


def query_words(value: str) -> list[list[str]]:
    """
    Split a search box's ``value`` into words: for each space-separated term (at
    most five), the words jieba finds in it (precise mode).
    """
    return [_term_words(term) for term in terms(value)]


def _term_words(term: str) -> list[str]:
    return [
        w.lower()
        for block in _BLOCK.findall(term)
        for w in rjieba.cut(block, False)
        if w.strip()
    ]


def indexed_words(term: str) -> list[str]:
    """
    The words of ``term`` the index is asked for: none for a term of one
    character, which jieba seldom keeps as a word (it is matched as written).
    """
    return _term_words(term) if len(term) > 1 else []


class Words(Func):
    """A search column's words as an array: the expression the index is on."""

    function = "string_to_array"
    # The separator written out, not a parameter: the planner matches the
    # query's expression to the index's only if they are the same.
    template = "%(function)s(%(expressions)s, ' ')"
    output_field = ArrayField(TextField())


def having_words(
    queryset: QuerySet, words: list[str], field: str = "search_text"
) -> QuerySet:
    """Keep the rows of ``queryset`` whose ``field`` holds all of ``words``."""
    return queryset.alias(search_words=Words(F(field))).filter(
        search_words__contains=words
    )


def term_condition(
    term: str, *, fields: Sequence[str] = ("text",), words_field: str = "search_text"
) -> Q:
    """
    The condition that a row holds ``term``: as written in one of ``fields``,
    and, on PostgreSQL, with all its words among ``words_field``'s (which lets
    the GIN index find the rows).
    """
    written = Q()
    for name in fields:
        written |= Q(**{f"{name}__contains": term})
    if connection.vendor != "postgresql":
        return written
    words = indexed_words(term)
    if not words:
        return written
    return Q(ArrayContains(Words(F(words_field)), words)) & written


# Characters shown around the first match in an excerpt.
EXCERPT_LENGTH = 120


def _pattern(value: str) -> re.Pattern | None:
    """The terms of ``value`` as one pattern, longest first; None without any."""
    found = sorted({t for t in terms(value) if t}, key=len, reverse=True)
    if not found:
        return None
    return re.compile("|".join(re.escape(t) for t in found), re.IGNORECASE)


def excerpt_of(text: str, value: str) -> str:
    """
    The part of ``text`` around the first term of ``value`` it holds (its
    beginning if none), with ellipses where the text goes on.
    """
    text = text or ""
    pattern = _pattern(value)
    found = pattern.search(text) if pattern else None
    first = found.start() if found else 0
    start = max(0, first - EXCERPT_LENGTH // 4)
    end = min(len(text), start + EXCERPT_LENGTH)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def highlight(text: str, value: str, *, excerpt: bool = False) -> SafeString:
    """
    Return ``text`` escaped, with every term of ``value`` marked (``<mark>``).

    The terms are marked as written, as every search also checks them (see
    above). With ``excerpt``, only the part around the first match (see
    :func:`excerpt_of`).
    """
    text = text or ""
    if excerpt:
        text = excerpt_of(text, value)
    pattern = _pattern(value)
    if pattern is None:
        return escape(text)
    parts = []
    position = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped
