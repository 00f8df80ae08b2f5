"""
Search over the texts of bills: the words of their published articles, and
the marking of the words found.

A term is matched as written (each space-separated term, at most five, all
required), as the comment search's final check does (consultation.search):
articles are few (thousands, not a million comments), so they are read
without the comment search's word index, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import re

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Article

MAX_TERMS = 5  # as many as the comment search takes (consultation.search)
_EXCERPT = 60  # characters around the first match in an excerpt


def terms(value: str) -> list[str]:
    """The terms of a search box's ``value``: space-separated, at most five."""
    return value.split()[:MAX_TERMS]


def published_articles() -> QuerySet[Article]:
    """Articles of published versions of published bills."""
    return Article.objects.filter(
        version__is_published=True, version__bill__is_published=True
    )


def filter_bills(queryset: QuerySet, value: str) -> QuerySet:
    """
    Keep the bills whose title, summary or a published article contains every
    term of ``value`` (each term anywhere in them, not necessarily together).
    """
    for term in terms(value):
        in_articles = published_articles().filter(
            version__bill=OuterRef("pk"), text__contains=term
        )
        queryset = queryset.filter(
            Q(title__icontains=term) | Q(summary__icontains=term) | Exists(in_articles)
        )
    return queryset


def matching_articles(bill_ids: list[int], value: str, per_bill: int = 3) -> dict:
    """
    The articles of each bill's latest published version holding every term of
    ``value``, ``per_bill`` at most: ``{bill id: [Article, …]}``. One query.
    """
    words = terms(value)
    if not words or not bill_ids:
        return {}
    queryset = published_articles().filter(version__bill_id__in=bill_ids)
    for term in words:
        queryset = queryset.filter(text__contains=term)
    found: dict[int, list[Article]] = {}
    latest: dict[int, int] = {}
    for article in queryset.select_related("version").order_by(
        "-version__number", "position"
    ):
        bill_id = article.version.bill_id
        latest.setdefault(bill_id, article.version.number)
        if article.version.number != latest[bill_id]:
            continue
        found.setdefault(bill_id, [])
        if len(found[bill_id]) < per_bill:
            found[bill_id].append(article)
    return found


def highlight(text: str, value: str, *, excerpt: bool = False) -> SafeString:
    """
    Return ``text`` escaped, with every term of ``value`` marked (``<mark>``).
    With ``excerpt``, only the part around the first match, with ellipses.
    """
    words = sorted({t for t in terms(value or "") if t}, key=len, reverse=True)
    if excerpt and words:
        first = min((i for i in (text.find(w) for w in words) if i >= 0), default=0)
        start = max(0, first - _EXCERPT // 2)
        end = min(len(text), start + _EXCERPT * 2)
        text = (
            ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")
        )
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    parts = []
    position = 0
    for match in pattern.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped
