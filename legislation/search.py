"""
Search over the texts of bills and regulations: the words of their articles, and
the articles found, with the words marked.

The same Chinese word search as the comments' (:mod:`npc.core.words`): each
article's heading and text are cut into words when its version is written
(``Article.search_text``); on PostgreSQL a GIN index over those words finds the
articles holding a term's words, and the term is also checked as written; on
SQLite the terms are matched as written. Each space-separated term (at most
five) is required, anywhere in the bill or regulation (its title, or any
article), not necessarily in one article; the articles shown are those holding
the most terms. Articles are thousands, not a million comments: no plan is
chosen by the words' frequency, and no time bound is needed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils.safestring import SafeString

from npc.core import words

from .models import Article, DraftVersion
from .selectors.regulations import AMENDED, IN_FORCE, RegulationRow

# The fields of an article a term is looked for in.
_FIELDS = ("heading", "text")
# Articles shown under each bill or regulation found.
PER_RESULT = 3


def _holds(term: str) -> Q:
    """The condition that an article holds ``term``."""
    return words.term_condition(term, fields=_FIELDS)


@dataclass
class ArticleMatch:
    """An article found by a search: where it is and its words marked."""

    article: Article
    # The number of the bill's version it is in, and whether that is the
    # latest published one (the text a reader sees first); a regulation's
    # matches are in its text in force on the day asked.
    version: int | None
    latest: bool
    # How many of the search's terms it holds.
    held: int
    excerpt: str
    highlighted: SafeString

    @property
    def label(self) -> str:
        return self.article.label

    @property
    def anchor(self) -> str:
        return self.article.anchor


def published_articles() -> QuerySet[Article]:
    """Articles of published versions of published bills."""
    return Article.objects.filter(
        version__is_published=True, version__bill__is_published=True
    )


def filter_bills(queryset: QuerySet, value: str) -> QuerySet:
    """
    Keep the bills whose title, summary or a published article holds every
    term of ``value`` (each term anywhere in them, not necessarily together).
    """
    for term in words.terms(value):
        in_articles = published_articles().filter(
            _holds(term), version__bill=OuterRef("pk")
        )
        queryset = queryset.filter(
            Q(title__icontains=term) | Q(summary__icontains=term) | Exists(in_articles)
        )
    return queryset


def _found(
    queryset: QuerySet[Article], value: str
) -> Iterable[tuple[Article, set[int]]]:
    """
    Each article of ``queryset`` holding a term of ``value``, with the terms it
    holds (their places in ``value``); one query.
    """
    found = words.terms(value)
    if not found:
        return []
    flags = {
        f"holds_{n}": ExpressionWrapper(_holds(term), output_field=BooleanField())
        for n, term in enumerate(found)
    }
    anywhere = Q()
    for term in found:
        anywhere |= _holds(term)
    return (
        (article, {n for n, flag in enumerate(flags) if getattr(article, flag)})
        for article in queryset.filter(anywhere).annotate(**flags).order_by()
    )


def _match(
    article: Article, value: str, *, version: int | None, latest: bool, held: int
) -> ArticleMatch:
    # The heading (条旨) is searched too, so it is shown as the text shows it.
    shown = f"【{article.heading}】{article.text}" if article.heading else article.text
    return ArticleMatch(
        article=article,
        version=version,
        latest=latest,
        held=held,
        excerpt=words.excerpt_of(shown, value),
        highlighted=words.highlight(shown, value, excerpt=True),
    )


def _best(
    found: list[tuple[Article, set[int]]], value: str, *, version: int | None = None
) -> list[ArticleMatch]:
    """
    The articles of ``found`` (each with the terms it holds) holding the most
    terms, in the order of the text, marked; ``version`` the number of the
    bill's version they are in.
    """
    found.sort(key=lambda pair: (-len(pair[1]), pair[0].position))
    return [
        _match(
            article,
            value,
            version=version,
            latest=version is None or version == article.latest_number,
            held=len(held),
        )
        for article, held in found[:PER_RESULT]
    ]


def matching_articles(bill_ids: list[int], value: str) -> dict[int, list[ArticleMatch]]:
    """
    The articles of each bill holding terms of ``value``: of its latest
    published version holding any, those holding the most terms, three at
    most; ``{bill id: [ArticleMatch, …]}``. One query.
    """
    if not bill_ids or not words.terms(value):
        return {}
    latest = (
        DraftVersion.objects.published()
        .filter(bill_id=OuterRef("version__bill_id"))
        .order_by("-number")
        .values("number")[:1]
    )
    queryset = (
        published_articles()
        .filter(version__bill_id__in=bill_ids)
        .select_related("version")
        .only(
            "number",
            "suffix",
            "heading",
            "text",
            "position",
            "version__number",
            "version__bill_id",
        )
        .annotate(latest_number=Subquery(latest))
    )
    by_bill: dict[int, dict[int, list[tuple[Article, set[int]]]]] = {}
    for article, held in _found(queryset, value):
        versions = by_bill.setdefault(article.version.bill_id, {})
        versions.setdefault(article.version.number, []).append((article, held))
    return {
        bill_id: _best(versions[max(versions)], value, version=max(versions))
        for bill_id, versions in by_bill.items()
    }


def text_in_force(row: RegulationRow, on: dt.date):  # noqa: ANN201 - RegulationText | None
    """The text of ``row``'s regulation in force on ``on``, from its texts."""
    if row.status not in (IN_FORCE, AMENDED):
        return None
    return [t for t in row.texts if t.effective_on <= on][-1]


def filter_regulations(
    rows: list[RegulationRow], value: str, *, on: dt.date
) -> list[RegulationRow]:
    """
    Keep the regulations of ``rows`` whose title or text in force on ``on``
    holds every term of ``value``, each with the articles holding the most
    terms (``row.matches``). One query.

    A regulation repealed or not yet in force on ``on`` has no text in force:
    only its title is searched.
    """
    found = words.terms(value)
    if not found:
        return rows
    texts = {row.regulation.pk: text_in_force(row, on) for row in rows}
    versions = [text.version_id for text in texts.values() if text is not None]
    held: dict[int, set[int]] = {}
    found_in: dict[int, list[tuple[Article, set[int]]]] = {}
    queryset = Article.objects.filter(version_id__in=versions).only(
        "version_id", "number", "suffix", "heading", "text", "position"
    )
    for article, holds in _found(queryset, value) if versions else []:
        held.setdefault(article.version_id, set()).update(holds)
        found_in.setdefault(article.version_id, []).append((article, holds))
    kept = []
    for row in rows:
        text = texts[row.regulation.pk]
        version = text.version_id if text is not None else None
        title = row.regulation.title.lower()
        in_title = {n for n, term in enumerate(found) if term.lower() in title}
        if in_title | held.get(version, set()) != set(range(len(found))):
            continue
        row.matches = _best(found_in.get(version, []), value)
        kept.append(row)
    return kept
