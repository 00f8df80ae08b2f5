"""Regulations for reading: the list, the text in force on a day, article history."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from ..models import (
    Article,
    Paragraph,
    Regulation,
    RegulationText,
    TextArticle,
)

IN_FORCE = "in_force"
AMENDED = "amended"
REPEALED = "repealed"
NOT_YET = "not_yet"


def regulation_status(regulation: Regulation, on: dt.date) -> str:
    """In force, amended (in force, changed since), repealed, or not yet in force."""
    if regulation.repealed_on and regulation.repealed_on <= on:
        return REPEALED
    effective = [t.effective_on for t in regulation.texts.all() if t.effective_on <= on]
    if not effective:
        return NOT_YET
    return AMENDED if len(effective) > 1 else IN_FORCE


@dataclass
class RegulationRow:
    regulation: Regulation
    status: str
    year: int | None
    texts: list[RegulationText]
    # With a text search, the articles found (legislation.search).
    matches: list = field(default_factory=list)


def regulations(
    *, on: dt.date, year: int | None = None, status: str | None = None
) -> list[RegulationRow]:
    """
    Every regulation with a text, its status on ``on`` and year of making; two
    queries, the texts with their versions' titles and their bills.
    """
    rows = []
    texts = (
        RegulationText.objects.select_related("version", "bill")
        .defer("version__source_text", "version__preamble")
        .order_by("effective_on")
    )
    queryset = Regulation.objects.prefetch_related(
        Prefetch("texts", queryset=texts)
    ).order_by("title")
    for regulation in queryset:
        texts = list(regulation.texts.all())
        if not texts:
            continue
        first = texts[0]
        made = (first.promulgated_on or first.effective_on).year
        row = RegulationRow(regulation, regulation_status(regulation, on), made, texts)
        if year is not None and made != year:
            continue
        if status and row.status != status:
            continue
        rows.append(row)
    return rows


def text_in_force(regulation: Regulation, on: dt.date) -> RegulationText | None:
    """The text of ``regulation`` in force on ``on``; None before it or once repealed."""
    if regulation.repealed_on and regulation.repealed_on <= on:
        return None
    return (
        regulation.texts.filter(effective_on__lte=on)
        .select_related("version", "bill")
        .order_by("-effective_on")
        .first()
    )


@dataclass
class ArticleHistoryEntry:
    text: RegulationText
    article: Article


@dataclass
class LawArticleView:
    article: Article
    history: list[ArticleHistoryEntry] = field(default_factory=list)


def text_articles(text: RegulationText) -> list[LawArticleView]:
    """
    The articles of a text in force, each with its history: the same article
    (by lineage) in every text of the regulation, oldest first. Four queries.
    """
    in_text = list(
        TextArticle.objects.filter(text=text)
        .select_related("article")
        .prefetch_related(
            Prefetch(
                "article__paragraphs",
                queryset=Paragraph.objects.order_by("position").prefetch_related(
                    "items"
                ),
            )
        )
        .order_by("article__position")
    )
    lineages = [t.lineage_id for t in in_text]
    others: dict[int, list[ArticleHistoryEntry]] = {}
    for entry in (
        TextArticle.objects.filter(lineage_id__in=lineages)
        .select_related("text", "article")
        .order_by("text__effective_on")
    ):
        others.setdefault(entry.lineage_id, []).append(
            ArticleHistoryEntry(entry.text, entry.article)
        )
    return [LawArticleView(t.article, others.get(t.lineage_id, [])) for t in in_text]


def changes(regulation: Regulation) -> QuerySet:
    """The bills that changed ``regulation``, with their texts in force."""
    return regulation.changes.select_related("bill").order_by("bill__effective_on")
