"""
Where adopted comments went (:class:`~consultation.models.AdoptionLink`), read
both ways: from comments to the articles they changed, and from the rows of a
comparison table to the comments behind them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery

from legislation.models import Article, DraftVersion

from ..models import ADOPTING, AdoptionLink, Moderation


@dataclass
class RowComments:
    """The comments that led to one article of a comparison's newer version."""

    article_id: int
    comment_ids: list[int] = field(default_factory=list)
    # Receipt codes are not shown here: the public sees ids and counts only.
    examples: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.comment_ids)


def _visible(public: bool) -> Q:
    """
    The links the public may see: of comments it may read (a withheld or
    pending public comment may be decided and adopted all the same) to
    articles of published versions.
    """
    if not public:
        return Q()
    return Q(
        comment__moderation=Moderation.PUBLISHED,
        comment__consultation__is_published=True,
        comment__bill__is_published=True,
        article__version__is_published=True,
    )


def row_comments(
    *, old: DraftVersion, new: DraftVersion, public: bool = True
) -> dict[int, RowComments]:
    """
    Map each article of ``new`` to the comments whose adoption changed it
    between ``old`` and ``new``: links to an article of a version after ``old``
    and up to ``new``, found by the article's lineage (so a renumbering in
    between does not lose them). ``public`` keeps to published consultations
    and versions. Two queries.
    """
    by_lineage = dict(new.articles.values_list("lineage_id", "pk"))
    links = (
        AdoptionLink.objects.filter(
            _visible(public),
            article__version__bill_id=new.bill_id,
            article__version__number__gt=old.number,
            article__version__number__lte=new.number,
            article__lineage_id__in=list(by_lineage),
        )
        .order_by("comment_id")
        .values_list("article__lineage_id", "comment_id", "comment__text")
    )
    rows: dict[int, RowComments] = {}
    for lineage, comment_id, text in links:
        row = rows.setdefault(by_lineage[lineage], RowComments(by_lineage[lineage]))
        if comment_id not in row.comment_ids:
            row.comment_ids.append(comment_id)
            if len(row.examples) < 3:
                row.examples.append(text)
    return rows


@dataclass(frozen=True)
class Place:
    """Where one comment was taken up: an article of a later version, or not."""

    article: Article | None
    elsewhere: str
    old_text: str = ""  # the article as commented on (or its forebear), if any
    old_label: str = ""


def comment_places(
    comment_ids: Iterable[int], *, public: bool = False
) -> dict[int, list[Place]]:
    """
    Map comments to where they were taken up, articles with their versions and
    the text they replaced (the same lineage in the version commented on).
    ``public`` leaves out articles of unpublished versions. Two queries.
    """
    visible = Q()
    if public:
        visible = Q(article__isnull=True) | Q(
            article__version__is_published=True,
            article__version__bill__is_published=True,
        )
    links = list(
        AdoptionLink.objects.filter(visible, comment_id__in=list(comment_ids))
        .select_related("article__version", "comment__consultation")
        .order_by("comment_id", "pk")
    )
    wanted = {
        (link.comment.consultation.version_id, link.article.lineage_id)
        for link in links
        if link.article is not None
    }
    before = {}
    if wanted:
        query = Q()
        for version_id, lineage_id in wanted:
            query |= Q(version_id=version_id, lineage_id=lineage_id)
        before = {
            (a.version_id, a.lineage_id): a
            for a in Article.objects.filter(query).only(
                "version_id", "lineage_id", "number", "text"
            )
        }
    places: dict[int, list[Place]] = defaultdict(list)
    for link in links:
        if link.article is None:
            places[link.comment_id].append(Place(None, link.elsewhere))
            continue
        old = before.get(
            (link.comment.consultation.version_id, link.article.lineage_id)
        )
        places[link.comment_id].append(
            Place(
                link.article,
                "",
                old_text=old.text if old else "",
                old_label=old.label if old else "",
            )
        )
    return dict(places)


@dataclass(frozen=True)
class CommentChange:
    """One article that comments changed, for the bill page."""

    article: Article
    count: int
    example: str


def give_places(comments: Iterable[Any], *, public: bool = False) -> None:
    """
    Set each comment's ``places``: where it was taken up
    (:func:`comment_places`), empty for a comment not adopted. Only adopted
    and partially adopted comments are looked up; no query when none is.
    """
    comments = list(comments)
    adopted = [c.pk for c in comments if c.status in ADOPTING]
    places = comment_places(adopted, public=public) if adopted else {}
    for comment in comments:
        comment.places = places.get(comment.pk, [])


def changes_from_comments(*, bill_id: int, limit: int = 5) -> list[CommentChange]:
    """
    The published articles of ``bill_id`` changed by the most public comments,
    with one example comment each (the earliest). One query, counted and
    ranked in the database: it returns ``limit`` rows however many comments
    were adopted (the bill page's figures are made again after every comment,
    so they must not read every link).
    """
    earliest = (
        AdoptionLink.objects.filter(_visible(True), article=OuterRef("pk"))
        .order_by("comment_id")
        .values("comment__text")[:1]
    )
    # The filter on the links comes before the count: only visible links count.
    articles = (
        Article.objects.filter(
            version__bill_id=bill_id,
            version__is_published=True,
            adoption_links__comment__moderation=Moderation.PUBLISHED,
            adoption_links__comment__consultation__is_published=True,
            adoption_links__comment__bill__is_published=True,
        )
        .annotate(count=Count("adoption_links"), example=Subquery(earliest))
        .select_related("version")
        .order_by("-count", "pk")[:limit]
    )
    return [CommentChange(a, a.count, a.example) for a in articles]
