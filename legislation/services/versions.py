"""
Draft versions: parsing a text, storing its structure, aligning its articles with
the previous version's, correcting an alignment, publishing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from npc.core import words

from .. import comparison, parsing, tasks
from ..errors import DraftNumberingProblems, InvalidDraft
from ..models import (
    Article,
    ArticleLineage,
    Bill,
    BillEvent,
    Chapter,
    DraftVersion,
    EventKind,
    Item,
    Paragraph,
    Part,
    Section,
)
from ._common import User, _lock, _require_staff, _touch

# No draft of the city's regulations predates the People's Republic: an earlier
# date is a typing slip (1900 for 2000), and would misorder the versions.
EARLIEST_DRAFT_DATE = dt.date(1949, 1, 1)


def preview_draft(*, text: str) -> parsing.ParsedDraft:
    """Parse a draft for staff to check before saving; raises InvalidDraft."""
    try:
        parsed = parsing.parse_draft(text)
    except parsing.DraftFormatError as exc:
        raise InvalidDraft(str(exc)) from exc
    if not parsed.articles:
        raise InvalidDraft(_("没有识别出任何条文（应以“第一条”等开头）。"))
    return parsed


def _sides(articles: Iterable[Article]) -> list[comparison.Side]:
    return [
        comparison.Side(key=a.pk, number=a.number, text=a.text, suffix=a.suffix)
        for a in articles
    ]


@transaction.atomic
def add_draft_version(
    *,
    bill: Bill,
    text: str,
    title: str,
    kind: str,
    on: dt.date,
    by: User | None,
    confirm_numbering: bool = False,
    is_published: bool = False,
    expected_version: int | None = None,
) -> DraftVersion:
    """
    Parse ``text`` and store it as the bill's next version.

    Broken numbering is refused (DraftNumberingProblems, with each problem) unless
    staff confirm it. The new articles are aligned with the previous version's by
    content, so each inherits its lineage; unmatched articles start a new lineage.
    """
    _require_staff(by)
    if on < EARLIEST_DRAFT_DATE:
        raise InvalidDraft(
            _("草案文本的日期不能早于%(year)d年。") % {"year": EARLIEST_DRAFT_DATE.year}
        )
    parsed = preview_draft(text=text)
    if parsed.problems and not confirm_numbering:
        raise DraftNumberingProblems(
            _("文本编号有%(count)s处问题，请核对，确认无误后再保存。")
            % {"count": len(parsed.problems)},
            details=[p.message for p in parsed.problems],
        )
    locked = _lock(bill, expected_version)
    previous = locked.versions.order_by("-number").first()
    version = DraftVersion.objects.create(
        bill=locked,
        number=(previous.number + 1) if previous else 1,
        kind=kind,
        title=title,
        date=on,
        preamble=parsed.preamble,
        source_text=text,
        numbering_confirmed=bool(parsed.problems),
        is_published=is_published,
        created_by=by,
    )
    _store_structure(version, parsed)
    if previous is not None:
        _align_with(version, previous)
    event = BillEvent.objects.create(
        bill=locked,
        kind=EventKind.VERSION_ADDED,
        on=on,
        version=version,
        note=title,
        recorded_by=by,
    )
    _touch(locked, by)
    if is_published:
        tasks.notify_followers.delay_on_commit(event.pk)
    return version


def _store_structure(version: DraftVersion, parsed: parsing.ParsedDraft) -> None:
    """
    Store the parts, chapters, sections and articles of ``parsed``.

    Each article belongs to the chapter and section read last above it, so
    chapters whose numbers start again in each part (编), or repeat in a
    draft whose numbering staff confirmed, hold their own articles.
    """
    divisions = sorted(
        [*parsed.parts, *parsed.chapters, *parsed.sections], key=lambda d: d.line
    )
    part: Part | None = None
    subpart: Part | None = None
    chapter: Chapter | None = None
    section: Section | None = None
    positions = {"part": 0, "chapter": 0, "section": 0}
    at_line: dict[int, tuple[Chapter | None, Section | None]] = {}
    articles_by_line = iter(sorted(parsed.articles, key=lambda a: a.line))
    upcoming = next(articles_by_line, None)

    def place_articles_before(line: int) -> None:
        nonlocal upcoming
        while upcoming is not None and upcoming.line < line:
            at_line[upcoming.line] = (chapter, section)
            upcoming = next(articles_by_line, None)

    for division in divisions:
        place_articles_before(division.line)
        if division.kind in ("part", "subpart"):
            parent = part if division.kind == "subpart" else None
            created = Part.objects.create(
                version=version,
                kind=division.kind,
                parent=parent,
                number=division.number,
                title=division.title,
                position=positions["part"],
            )
            positions["part"] += 1
            if division.kind == "part":
                part, subpart = created, None
            else:
                subpart = created
            chapter = section = None
        elif division.kind == "chapter":
            chapter = Chapter.objects.create(
                version=version,
                part=subpart or part,
                number=division.number,
                title=division.title,
                position=positions["chapter"],
            )
            positions["chapter"] += 1
            section = None
        else:
            section = Section.objects.create(
                version=version,
                chapter=chapter,
                number=division.number,
                title=division.title,
                position=positions["section"],
            )
            positions["section"] += 1
    place_articles_before(10**9)
    lineages = ArticleLineage.objects.bulk_create(
        [ArticleLineage(bill_id=version.bill_id) for _ in parsed.articles]
    )
    articles = Article.objects.bulk_create(
        [
            Article(
                version=version,
                number=parsed_article.number,
                suffix=parsed_article.suffix,
                heading=parsed_article.heading,
                chapter=at_line[parsed_article.line][0],
                section=at_line[parsed_article.line][1],
                position=position,
                text=parsed_article.text,
                lineage=lineage,
                search_text=words.search_words(
                    parsed_article.heading, parsed_article.text
                ),
            )
            for position, (parsed_article, lineage) in enumerate(
                zip(parsed.articles, lineages, strict=True)
            )
        ]
    )
    paragraphs = Paragraph.objects.bulk_create(
        [
            Paragraph(article=article, position=position, text=paragraph.text)
            for article, parsed_article in zip(articles, parsed.articles, strict=True)
            for position, paragraph in enumerate(parsed_article.paragraphs)
        ]
    )
    flat = [p for a in parsed.articles for p in a.paragraphs]
    Item.objects.bulk_create(
        [
            Item(paragraph=paragraph, number=item.number, text=item.text)
            for paragraph, parsed_paragraph in zip(paragraphs, flat, strict=True)
            for item in parsed_paragraph.items
        ]
    )


def _align_with(version: DraftVersion, previous: DraftVersion) -> None:
    """Give each article of ``version`` the lineage of its match in ``previous``."""
    old = list(previous.articles.all())
    new = list(version.articles.all())
    old_sides, new_sides = _sides(old), _sides(new)
    pairs = comparison.align(old_sides, new_sides)
    splits = comparison.split_sources(old_sides, new_sides, pairs)
    by_pk = {a.pk: a for a in old}
    orphaned: list[int] = []
    changed: list[Article] = []
    for article in new:
        match = by_pk.get(pairs.get(article.pk))
        if match is None:
            if article.pk in splits:
                # A new lineage, which remembers the article it came from.
                article.split_from = by_pk[splits[article.pk]]
                changed.append(article)
            continue
        orphaned.append(article.lineage_id)
        article.lineage_id = match.lineage_id
        article.predecessor = match
        article.similarity = comparison.similarity(match.text, article.text)
        changed.append(article)
    Article.objects.bulk_update(
        changed, ["lineage", "predecessor", "similarity", "split_from"]
    )
    ArticleLineage.objects.filter(pk__in=orphaned).delete()


@transaction.atomic
def correct_alignment(
    *,
    article: Article,
    predecessor: Article | None,
    by: User | None,
    expected_version: int | None = None,
) -> Article:
    """
    Say by hand which article of the previous version ``article`` continues
    (or that it is new). Its lineage, and that of its successors, follows.
    The bill's version moves on, so a stale alignment form is refused.
    """
    _require_staff(by)
    locked = _lock(article.version.bill, expected_version)
    article = Article.objects.select_for_update().get(pk=article.pk)
    if predecessor is not None:
        if predecessor.version.bill_id != article.version.bill_id or (
            predecessor.version.number >= article.version.number
        ):
            raise InvalidDraft(_("对应条文须为本法规案较早文本中的条文。"))
        taken = Article.objects.filter(
            version=article.version, lineage_id=predecessor.lineage_id
        ).exclude(pk=article.pk)
        if taken.exists():
            # The article that held this lineage becomes a new article.
            for other in taken:
                _relineage(
                    other, ArticleLineage.objects.create(bill_id=other.version.bill_id)
                )
                other.predecessor = None
                other.aligned_by_hand = True
                other.save(update_fields=["predecessor", "aligned_by_hand"])
        lineage = predecessor.lineage
        similarity = comparison.similarity(predecessor.text, article.text)
    else:
        lineage = ArticleLineage.objects.create(bill_id=article.version.bill_id)
        similarity = None
    _relineage(article, lineage)
    article.predecessor = predecessor
    article.similarity = similarity
    article.aligned_by_hand = True
    article.save(update_fields=["predecessor", "similarity", "aligned_by_hand"])
    _touch(locked, by)
    return article


def _relineage(article: Article, lineage: ArticleLineage) -> None:
    """Move ``article`` and the chain of its successors to ``lineage``."""
    chain = [article]
    while chain:
        current = chain.pop()
        Article.objects.filter(pk=current.pk).update(lineage=lineage)
        chain.extend(current.successors.all())
    ArticleLineage.objects.filter(
        bill_id=article.version.bill_id, articles__isnull=True
    ).delete()


@transaction.atomic
def publish_version(
    *,
    version: DraftVersion,
    by: User | None,
    publish: bool = True,
    expected_version: int | None = None,
) -> DraftVersion:
    """Publish (or unpublish) a draft version on the public site."""
    _require_staff(by)
    locked = _lock(version.bill, expected_version)
    version.is_published = publish
    version.save(update_fields=["is_published"])
    _touch(locked, by)
    arrival = version.events.filter(kind=EventKind.VERSION_ADDED).order_by("pk").first()
    if publish and arrival is not None:
        # Followers hear of it once, however often it is unpublished and published.
        tasks.notify_followers.delay_on_commit(arrival.pk)
    return version
