"""
Reads of the legislation side, each shaped for one page or endpoint.

Every selector runs a fixed number of queries, whatever the size of the bill.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Prefetch, QuerySet

from npc.roles import is_legislative_staff

from . import comparison
from .models import (
    Article,
    Bill,
    BillEvent,
    Chapter,
    DraftVersion,
    Paragraph,
    Section,
)


def visible_bills(user: Model | AnonymousUser) -> QuerySet[Bill]:
    """Return the bills ``user`` may read: all for staff, published ones for others."""
    if is_legislative_staff(user):
        return Bill.objects.all()
    return Bill.objects.published()


def visible_versions(user: Model | AnonymousUser, bill: Bill) -> QuerySet[DraftVersion]:
    """Return the versions of ``bill`` that ``user`` may read, oldest first."""
    versions = bill.versions.order_by("number")
    if is_legislative_staff(user):
        return versions
    return versions.filter(is_published=True)


def timeline(bill: Bill, *, public: bool) -> QuerySet[BillEvent]:
    """Return the bill's events, oldest first, with what each row shows."""
    events = bill.events.select_related(
        "meeting", "version", "recorded_by", "corrects"
    ).order_by("on", "recorded_at", "pk")
    return events.public() if public else events


def version_text(version: DraftVersion) -> DraftVersion:
    """
    Load a version's whole structure in five queries: chapters, sections, articles,
    paragraphs and items (as ``prefetched`` attributes).
    """
    return (
        DraftVersion.objects.select_related("bill")
        .prefetch_related(
            Prefetch("chapters", queryset=Chapter.objects.order_by("position")),
            Prefetch("sections", queryset=Section.objects.order_by("position")),
            Prefetch(
                "articles",
                queryset=Article.objects.order_by("position").prefetch_related(
                    Prefetch(
                        "paragraphs",
                        queryset=Paragraph.objects.order_by(
                            "position"
                        ).prefetch_related("items"),
                    )
                ),
            ),
        )
        .get(pk=version.pk)
    )


@dataclass
class OutlineNode:
    """A chapter or section heading followed by its articles, for rendering."""

    chapter: Chapter | None
    section: Section | None
    articles: list[Article]


def outline(version: DraftVersion) -> list[OutlineNode]:
    """Group a loaded version's articles under their chapter and section headings."""
    nodes: list[OutlineNode] = []
    sections = {s.pk: s for s in version.sections.all()}
    chapters = {c.pk: c for c in version.chapters.all()}
    for article in version.articles.all():
        chapter = chapters.get(article.chapter_id)
        section = sections.get(article.section_id)
        if not nodes or (nodes[-1].chapter, nodes[-1].section) != (chapter, section):
            nodes.append(OutlineNode(chapter=chapter, section=section, articles=[]))
        nodes[-1].articles.append(article)
    return nodes


def _sides(version: DraftVersion) -> tuple[list[comparison.Side], dict[int, int]]:
    rows = list(
        version.articles.order_by("position").values_list(
            "pk", "number", "text", "lineage_id"
        )
    )
    sides = [comparison.Side(key=pk, number=n, text=text) for pk, n, text, _ in rows]
    return sides, {pk: lineage for pk, _, _, lineage in rows}


def compare_versions(*, old: DraftVersion, new: DraftVersion) -> list[comparison.Row]:
    """
    Build the comparison table (修改对照表) from ``old`` to ``new``.

    Articles are paired by lineage — the content alignment made when each version
    was added, as corrected by staff — so any two versions of a bill compare, not
    only neighbours. Two queries.
    """
    old_sides, old_lineage = _sides(old)
    new_sides, new_lineage = _sides(new)
    by_lineage = {lineage: pk for pk, lineage in old_lineage.items()}
    pairs = {
        pk: by_lineage[lineage]
        for pk, lineage in new_lineage.items()
        if lineage in by_lineage
    }
    return comparison.compare(old_sides, new_sides, pairs)
