"""
Draft versions of a bill's text, parsed into chapters, sections, articles,
paragraphs and items, and the lineage of each article across versions.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from npc.core.history import history

from ..numerals import article_label, int_to_chinese
from .bills import Bill


class DraftVersionQuerySet(models.QuerySet):
    def published(self) -> DraftVersionQuerySet:
        return self.filter(is_published=True, bill__is_published=True)


class DraftVersion(models.Model):
    """The text of a bill at one point in time, parsed into its structure."""

    class Kind(models.TextChoices):
        EXISTING = "existing", _("现行文本")
        DRAFT = "draft", _("草案")
        REVISED = "revised", _("草案修改稿")
        SECOND_REVISED = "second_revised", _("二次审议稿")
        FOR_VOTE = "for_vote", _("表决稿")
        PROMULGATED = "promulgated", _("公布稿")

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(
        _("文本类型"), max_length=20, choices=Kind, default=Kind.DRAFT
    )
    title = models.CharField(_("标题"), max_length=300)
    date = models.DateField(_("日期"))
    preamble = models.TextField(_("序言"), blank=True)
    source_text = models.TextField(_("原文"))
    numbering_confirmed = models.BooleanField(
        _("已确认编号问题"),
        default=False,
        help_text=_("文本编号有问题，经工作人员确认后保存。"),
    )
    is_published = models.BooleanField(_("公开"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="draft_versions",
        null=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = DraftVersionQuerySet.as_manager()
    # The metadata: the text itself is the version, never rewritten.
    history = history(excluded_fields=["source_text", "preamble"])

    class Meta:
        verbose_name = _("草案文本")
        verbose_name_plural = _("草案文本")
        ordering = ["bill", "number"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "number"], name="version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_kind_display()}）"


class Part(models.Model):
    """A part (编) of a long text, or a sub-part (分编) of a part."""

    class Kind(models.TextChoices):
        PART = "part", _("编")
        SUBPART = "subpart", _("分编")

    version = models.ForeignKey(
        DraftVersion, on_delete=models.CASCADE, related_name="parts"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=Kind)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        related_name="subparts",
        null=True,
        blank=True,
    )
    number = models.PositiveSmallIntegerField(_("编号"))
    title = models.CharField(_("名称"), max_length=200)
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("编")
        verbose_name_plural = _("编")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return f"{self.label} {self.title}"

    @property
    def label(self) -> str:
        unit = "分编" if self.kind == self.Kind.SUBPART else "编"
        return f"第{int_to_chinese(self.number)}{unit}"


class Chapter(models.Model):
    version = models.ForeignKey(
        DraftVersion, on_delete=models.CASCADE, related_name="chapters"
    )
    # The part (编) or sub-part (分编) it belongs to; chapter numbers start
    # again in each part.
    part = models.ForeignKey(
        Part, on_delete=models.CASCADE, related_name="chapters", null=True, blank=True
    )
    number = models.PositiveSmallIntegerField(_("章号"))
    title = models.CharField(_("章名"), max_length=200)
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("章")
        verbose_name_plural = _("章")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return f"第{int_to_chinese(self.number)}章 {self.title}"

    @property
    def top_part(self) -> Part | None:
        """The part (编) the chapter is in, through its sub-part if it has one."""
        if self.part is None:
            return None
        return self.part.parent or self.part

    @property
    def subpart(self) -> Part | None:
        """The sub-part (分编) the chapter is in, if any."""
        return self.part if self.part is not None and self.part.parent_id else None

    @property
    def label(self) -> str:
        return f"第{int_to_chinese(self.number)}章"

    @property
    def anchor(self) -> str:
        if self.part_id is not None:
            return f"chapter-{self.part_id}-{self.number}"
        return f"chapter-{self.number}"


class Section(models.Model):
    version = models.ForeignKey(
        DraftVersion, on_delete=models.CASCADE, related_name="sections"
    )
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="sections", null=True
    )
    number = models.PositiveSmallIntegerField(_("节号"))
    title = models.CharField(_("节名"), max_length=200)
    position = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("节")
        verbose_name_plural = _("节")
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return f"第{int_to_chinese(self.number)}节 {self.title}"

    @property
    def label(self) -> str:
        return f"第{int_to_chinese(self.number)}节"


class ArticleLineage(models.Model):
    """The identity of one article across a bill's versions, whatever its number."""

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="lineages")

    class Meta:
        verbose_name = _("条文沿革")
        verbose_name_plural = _("条文沿革")

    def __str__(self) -> str:
        return f"{self.bill_id}/{self.pk}"


class Article(models.Model):
    version = models.ForeignKey(
        DraftVersion, on_delete=models.CASCADE, related_name="articles"
    )
    number = models.PositiveSmallIntegerField(_("条号"))
    # 第十二条之一: 1, an article inserted by an amendment after article 12.
    suffix = models.PositiveSmallIntegerField(_("之几"), default=0)
    heading = models.CharField(_("条旨"), max_length=100, blank=True)
    chapter = models.ForeignKey(
        Chapter,
        on_delete=models.CASCADE,
        related_name="articles",
        null=True,
        blank=True,
    )
    section = models.ForeignKey(
        Section,
        on_delete=models.CASCADE,
        related_name="articles",
        null=True,
        blank=True,
    )
    position = models.PositiveIntegerField()
    text = models.TextField(_("条文"))
    lineage = models.ForeignKey(
        ArticleLineage, on_delete=models.PROTECT, related_name="articles"
    )
    predecessor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="successors",
        null=True,
        blank=True,
        verbose_name=_("上一文本中的对应条文"),
    )
    # An article split off another (which carries on in its own lineage).
    split_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        related_name="split_into",
        null=True,
        blank=True,
        verbose_name=_("拆分自"),
    )
    similarity = models.FloatField(null=True, blank=True)
    aligned_by_hand = models.BooleanField(_("人工校正"), default=False)
    # The words of heading and text, segmented by jieba when the version is
    # written (npc.core.words); PostgreSQL indexes them for the text search.
    search_text = models.TextField(blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("条文")
        verbose_name_plural = _("条文")
        ordering = ["version", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "position"], name="article_unique_position"
            ),
        ]
        indexes = [models.Index(fields=["version", "number"])]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return article_label(self.number, self.suffix)

    @property
    def anchor(self) -> str:
        if self.suffix:
            return f"article-{self.number}-{self.suffix}"
        return f"article-{self.number}"


class Paragraph(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="paragraphs"
    )
    position = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        verbose_name = _("款")
        verbose_name_plural = _("款")
        ordering = ["article", "position"]

    def __str__(self) -> str:
        return self.text[:40]

    @property
    def is_table(self) -> bool:
        """A table, written one ``| a | b |`` row a line (see legislation.tables)."""
        return self.text.startswith("|")


class Item(models.Model):
    paragraph = models.ForeignKey(
        Paragraph, on_delete=models.CASCADE, related_name="items"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField()

    class Meta:
        verbose_name = _("项")
        verbose_name_plural = _("项")
        ordering = ["paragraph", "number"]

    def __str__(self) -> str:
        return f"（{int_to_chinese(self.number)}）{self.text[:40]}"
