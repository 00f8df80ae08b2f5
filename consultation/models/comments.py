"""
Comments as made, with their receipt codes, decisions' vocabulary, corrections,
kept counts, and who made them (personal data, apart in :class:`Contributor`).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from legislation.models import Article, Bill
from npc.core.history import history

from .points import Consultation, LiaisonPoint

RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECEIPT_LENGTH = 12


def new_receipt_code() -> str:
    """Return a fresh random receipt code (about 59 bits)."""
    return "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(RECEIPT_LENGTH))


def normalise_receipt_code(raw: str) -> str:
    """Strip separators and case from a code as a person types it."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def format_receipt_code(code: str) -> str:
    """Group a code in fours for reading aloud: ABCD-EFGH-JKMN."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class Decision(models.TextChoices):
    PENDING = "pending", _("待研究")
    ADOPTED = "adopted", _("采纳")
    PARTIALLY_ADOPTED = "partially_adopted", _("部分采纳")
    NOT_ADOPTED = "not_adopted", _("未采纳")
    FOR_REFERENCE = "for_reference", _("留作参考")
    OUT_OF_SCOPE = "out_of_scope", _("不属本法规调整范围")
    DUPLICATE = "duplicate", _("重复意见")


# Decisions that must give one of the reason codes.
NEEDS_REASON = frozenset({Decision.NOT_ADOPTED, Decision.PARTIALLY_ADOPTED})
# Decisions that say a comment was taken up somewhere (and name where).
ADOPTING = frozenset({Decision.ADOPTED, Decision.PARTIALLY_ADOPTED})


class Reason(models.TextChoices):
    HIGHER_LAW_PROVIDES = "higher_law_provides", _("上位法已有规定")
    CONFLICTS_HIGHER_LAW = "conflicts_higher_law", _("与上位法相抵触")
    BEYOND_POWER = "beyond_power", _("超出设区的市立法权限")
    IMPLEMENTATION = "implementation", _("属于实施层面的问题")
    ALREADY_IN_DRAFT = "already_in_draft", _("草案已有规定")
    NOT_MATURE = "not_mature", _("条件尚不成熟")
    BALANCED = "balanced", _("各方意见不一，已综合平衡")
    OTHER = "other", _("其他")


class Moderation(models.TextChoices):
    """Whether the public may read a comment (public submissions are checked first)."""

    PENDING = "pending", _("待审核")
    PUBLISHED = "published", _("已公开")
    WITHHELD = "withheld", _("未公开")


class WithheldReason(models.TextChoices):
    ABUSE = "abuse", _("含有辱骂、攻击等不当内容")
    PERSONAL_DATA = "personal_data", _("含有他人个人信息")
    ADVERTISING = "advertising", _("广告或推销信息")
    OFF_TOPIC = "off_topic", _("与法规草案无关")


class CommentQuerySet(models.QuerySet):
    def decided(self) -> CommentQuerySet:
        return self.exclude(status=Decision.PENDING)

    def publicly_visible(self) -> CommentQuerySet:
        """
        The comments the public may read: published after moderation (every
        comment staff entered or imported is), gathered in a published
        consultation on a published bill. Every public list, page, feed, export,
        search and API list of comments starts here.
        """
        return self.filter(PUBLICLY_VISIBLE)


# The condition of CommentQuerySet.publicly_visible, for a query that ORs it
# with another (the API's list for a clerk).
PUBLICLY_VISIBLE = Q(
    moderation=Moderation.PUBLISHED,
    bill__is_published=True,
    consultation__is_published=True,
)


class Comment(models.Model):
    """An opinion on a draft, kept as given, and the decision taken on it."""

    # No single-column index on consultation, bill, point, article or import
    # batch: the composite indexes of Meta (and the import-row constraint) start
    # with them and answer the same lookups, and each index more is written for
    # every comment entered or imported.
    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="comments", db_index=False
    )
    # Copied from the consultation, which never changes them once it has comments:
    # lists filter and scope by bill and point on a million rows without a join.
    bill = models.ForeignKey(
        Bill, on_delete=models.PROTECT, related_name="comments", db_index=False
    )
    point = models.ForeignKey(
        LiaisonPoint,
        on_delete=models.PROTECT,
        related_name="comments",
        null=True,
        db_index=False,
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.PROTECT,
        related_name="comments",
        null=True,
        blank=True,
        verbose_name=_("针对条文"),
        db_index=False,
    )
    text = models.TextField(_("意见原文"))
    summary = models.TextField(_("意见摘要"), blank=True)
    submitted_on = models.DateField(_("提出日期"))
    # Unique through Meta's constraint, not unique=True, which on PostgreSQL also
    # builds a varchar_pattern_ops copy of the index for LIKE: codes are only
    # ever looked up whole.
    receipt_code = models.CharField(
        _("回执码"), max_length=RECEIPT_LENGTH, default=new_receipt_code
    )
    status = models.CharField(
        _("处理结果"), max_length=20, choices=Decision, default=Decision.PENDING
    )
    reason = models.CharField(_("理由"), max_length=30, choices=Reason, blank=True)
    explanation = models.TextField(_("说明"), blank=True)
    # Indexed in Meta where set only: NULL on every comment entered or imported.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="duplicates",
        null=True,
        blank=True,
        verbose_name=_("重复于"),
        db_index=False,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="comments_decided",
        null=True,
        blank=True,
        db_index=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The text was corrected after it was first recorded: the public reads
    # "已更正"; the wordings, the first one included, are CommentRevision rows.
    # (db_default: the import loader inserts rows in SQL of its own.)
    corrected = models.BooleanField(
        _("已更正"), default=False, db_default=False, editable=False
    )
    import_batch = models.ForeignKey(
        "ImportBatch",
        on_delete=models.PROTECT,
        related_name="comments",
        null=True,
        blank=True,
        db_index=False,
    )
    import_row = models.PositiveIntegerField(null=True, blank=True)
    # Made by a member of the public on the site or through the API (not entered
    # or imported by staff): it stays off the public surfaces until moderated.
    # Defaults in the database too: the bulk loaders (imports, the benchmark's
    # generator) write comments with SQL of their own that does not name them.
    from_public = models.BooleanField(
        _("公众在线提交"), default=False, db_default=False, editable=False
    )
    moderation = models.CharField(
        _("公开状态"),
        max_length=10,
        choices=Moderation,
        default=Moderation.PUBLISHED,
        db_default=Moderation.PUBLISHED,
        editable=False,
    )
    withheld_reason = models.CharField(
        _("不予公开的理由"),
        max_length=20,
        choices=WithheldReason,
        blank=True,
        default="",
        db_default="",
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        db_index=False,
    )
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The words of text and summary, segmented by jieba (consultation.search);
    # PostgreSQL indexes it for full-text search.
    search_text = models.TextField(blank=True, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="comments_entered",
        null=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CommentQuerySet.as_manager()
    history = history(excluded_fields=["search_text", "updated_at"])

    class Meta:
        verbose_name = _("意见建议")
        verbose_name_plural = _("意见建议")
        ordering = ["-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status__in=NEEDS_REASON) | ~Q(reason=""),
                name="comment_reason_required",
            ),
            models.CheckConstraint(
                condition=Q(status="duplicate", duplicate_of__isnull=False)
                | (~Q(status="duplicate") & Q(duplicate_of__isnull=True)),
                name="comment_duplicate_points_at_kept",
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(explanation=""),
                name="comment_other_reason_explained",
            ),
            models.UniqueConstraint(
                fields=["receipt_code"], name="comment_receipt_code_unique"
            ),
            models.UniqueConstraint(
                fields=["import_batch", "import_row"],
                name="comment_import_row_once",
                condition=Q(import_batch__isnull=False),
            ),
            models.CheckConstraint(
                condition=Q(moderation="withheld", withheld_reason__in=WithheldReason)
                | (~Q(moderation="withheld") & Q(withheld_reason="")),
                name="comment_withheld_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(from_public=True) | Q(moderation="published"),
                name="comment_only_public_submissions_moderated",
            ),
        ]
        indexes = [
            models.Index(fields=["bill", "status", "id"]),
            models.Index(fields=["point", "id"]),
            models.Index(fields=["article", "id"]),
            models.Index(fields=["consultation", "id"]),
            # A bill's public comment list, newest first, a keyset page at a
            # time: read backwards, the first page is its first rows, not a
            # sort of every comment on the bill.
            models.Index(
                fields=["bill", "submitted_on", "id"], name="comment_bill_dated"
            ),
            # Lookups by equality imply NOT NULL: these indexes answer them.
            models.Index(
                fields=["duplicate_of"],
                name="comment_duplicate_of_set",
                condition=Q(duplicate_of__isnull=False),
            ),
            models.Index(
                fields=["decided_by"],
                name="comment_decided_by_set",
                condition=Q(decided_by__isnull=False),
            ),
            # The moderation queue and the counts of public submissions: a few
            # rows among a million, so a partial index.
            models.Index(
                fields=["bill", "moderation", "id"],
                name="comment_from_public",
                condition=Q(from_public=True),
            ),
        ]
        permissions = [("decide_comment", _("Can decide on comments"))]

    def __str__(self) -> str:
        return format_receipt_code(self.receipt_code)

    @property
    def receipt(self) -> str:
        return format_receipt_code(self.receipt_code)

    @property
    def is_publicly_visible(self) -> bool:
        return self.moderation == Moderation.PUBLISHED


class CommentRevision(models.Model):
    """
    One wording of a comment's text: number 1 as first recorded, then each
    correction with its reason. Appended, never changed.

    Written from the first correction on (the first wording is the comment's
    text until then), so that entering and importing comments writes no more.
    """

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("序号"))
    text = models.TextField(_("意见原文"))
    reason = models.TextField(_("更正理由"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(_("记录时间"))

    class Meta:
        verbose_name = _("意见原文版本")
        verbose_name_plural = _("意见原文版本")
        ordering = ["comment", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "number"], name="commentrevision_unique"
            ),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""),
                name="commentrevision_correction_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.comment_id}/{self.number}"

    @property
    def is_original(self) -> bool:
        return self.number == 1


class CommentCount(models.Model):
    """
    A change in the number of comments of one consultation, article, contributor
    kind, status and year; the count is the sum of the key's rows. Written and
    folded by :mod:`consultation.counters` only, so that statistics sum a few
    rows instead of counting a million comments.
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comment_counts"
    )
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="+", null=True
    )
    kind = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=Decision)
    year = models.PositiveSmallIntegerField()
    delta = models.IntegerField()

    class Meta:
        indexes = [
            # A bill's counts by status and consultation (its page's figures)
            # read from the index alone, in its order: no sort, no heap.
            models.Index(
                fields=["bill", "status", "consultation"],
                include=["delta"],
                name="commentcount_bill_status",
            ),
            models.Index(fields=["consultation", "article"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.consultation_id}/{self.article_id}/{self.status}: {self.delta:+d}"
        )


class CommentTally(models.Model):
    """
    A change in the number of comments of one consultation and status: the
    coarse twin of :class:`CommentCount`, written in the same transaction by
    :mod:`consultation.counters` only. A bill page's outcome figures, made again
    whenever comments arrive, sum a row per consultation and status here instead
    of one per article, contributor kind and year (tens of thousands on a busy
    bill).
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="comment_tallies"
    )
    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=Decision)
    delta = models.IntegerField()

    class Meta:
        indexes = [
            # Read from the index alone, in its order (as CommentCount's).
            models.Index(
                fields=["bill", "status", "consultation"],
                include=["delta"],
                name="commenttally_bill_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id}/{self.status}: {self.delta:+d}"


class Contributor(models.Model):
    """Who made a comment. Personal data: never on a public surface."""

    class Kind(models.TextChoices):
        RESIDENT = "resident", _("居民")
        DEPUTY = "deputy", _("人大代表")
        EXPERT = "expert", _("专家学者")
        LAWYER = "lawyer", _("律师")
        ENTERPRISE = "enterprise", _("企业")
        ORGANISATION = "organisation", _("社会组织")
        GOVERNMENT_BODY = "government_body", _("国家机关")
        OTHER = "other", _("其他")

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, primary_key=True, related_name="contributor"
    )
    name = models.CharField(_("姓名"), max_length=100, blank=True)
    contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    affiliation = models.CharField(_("单位"), max_length=200, blank=True)
    kind = models.CharField(
        _("身份"), max_length=20, choices=Kind, default=Kind.RESIDENT
    )

    history = history()

    class Meta:
        verbose_name = _("意见提出人")
        verbose_name_plural = _("意见提出人")
        indexes = [models.Index(fields=["kind"])]

    def __str__(self) -> str:
        return self.name or str(_("（匿名）"))
