"""
A bill's draft versions: those a reader may see, a version's whole text and
its outline, and the alignment of its articles with the previous version's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, Prefetch, QuerySet, prefetch_related_objects

from npc.core.roles import is_legislative_staff

from ..models import (
    Article,
    Bill,
    Chapter,
    DraftVersion,
    Paragraph,
    Section,
)


def visible_versions(user: Model | AnonymousUser, bill: Bill) -> QuerySet[DraftVersion]:
    """Return the versions of ``bill`` that ``user`` may read, oldest first."""
    versions = bill.versions.order_by("number")
    if is_legislative_staff(user):
        return versions
    return versions.filter(is_published=True)


def version_text(version: DraftVersion) -> DraftVersion:
    """
    Load a version's whole structure in five queries: chapters, sections, articles,
    paragraphs and items (as ``prefetched`` attributes of the given version,
    which is returned; it is not read again).
    """
    prefetch_related_objects(
        [version],
        Prefetch("chapters", queryset=Chapter.objects.order_by("position")),
        Prefetch("sections", queryset=Section.objects.order_by("position")),
        Prefetch(
            "articles",
            queryset=Article.objects.order_by("position").prefetch_related(
                Prefetch(
                    "paragraphs",
                    queryset=Paragraph.objects.order_by("position").prefetch_related(
                        "items"
                    ),
                )
            ),
        ),
    )
    return version


@dataclass
class OutlineNode:
    """A chapter or section heading followed by its articles, for rendering."""

    chapter: Chapter | None
    section: Section | None
    articles: list[Article]


def outline(version: DraftVersion) -> list[OutlineNode]:
    """Group a loaded version's articles under their chapter and section headings."""
    return _outline(
        version.articles.all(),
        chapters={c.pk: c for c in version.chapters.select_related("part__parent")},
        sections={s.pk: s for s in version.sections.all()},
    )


def text_outline(version: DraftVersion) -> list[OutlineNode]:
    """
    The :func:`outline` of a version's text as read, in three queries: articles
    with their chapter and section, paragraphs, items. The headings are those
    of the articles (a heading with no article under it shows nothing anyway).
    """
    articles = list(
        version.articles.select_related("chapter__part__parent", "section")
        .order_by("position")
        .prefetch_related(
            Prefetch(
                "paragraphs",
                queryset=Paragraph.objects.order_by("position").prefetch_related(
                    "items"
                ),
            )
        )
    )
    return _outline(
        articles,
        chapters={a.chapter_id: a.chapter for a in articles if a.chapter_id},
        sections={a.section_id: a.section for a in articles if a.section_id},
    )


def _outline(
    articles: Iterable[Article],
    *,
    chapters: dict[int, Chapter],
    sections: dict[int, Section],
) -> list[OutlineNode]:
    nodes: list[OutlineNode] = []
    for article in articles:
        chapter = chapters.get(article.chapter_id)
        section = sections.get(article.section_id)
        if not nodes or (nodes[-1].chapter, nodes[-1].section) != (chapter, section):
            nodes.append(OutlineNode(chapter=chapter, section=section, articles=[]))
        nodes[-1].articles.append(article)
    return nodes


def version_alignment(version: DraftVersion) -> QuerySet[Article]:
    """
    Return the articles of ``version`` with the article of the previous version
    each continues (``predecessor``, with its version), in order. One query.
    """
    return version.articles.select_related("predecessor__version").order_by("position")
