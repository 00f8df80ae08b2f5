"""
Liaison points, consultations, comments and what became of them.

Who made a comment is personal data: it lives in :class:`Contributor`, apart from
the comment, and only the roles of DESIGN §2 may read it.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from legislation.models import Article, Bill, BillEvent, DraftVersion
from npc.core.history import history


class District(models.TextChoices):
    LUZHOU = "luzhou", _("潞州区")
    SHANGDANG = "shangdang", _("上党区")
    TUNLIU = "tunliu", _("屯留区")
    LUCHENG = "lucheng", _("潞城区")
    XIANGYUAN = "xiangyuan", _("襄垣县")
    PINGSHUN = "pingshun", _("平顺县")
    LICHENG = "licheng", _("黎城县")
    HUGUAN = "huguan", _("壶关县")
    ZHANGZI = "zhangzi", _("长子县")
    WUXIANG = "wuxiang", _("武乡县")
    QINXIAN = "qinxian", _("沁县")
    QINYUAN = "qinyuan", _("沁源县")


class LiaisonPoint(models.Model):
    """A grassroots legislative liaison point (基层立法联系点)."""

    class HostKind(models.TextChoices):
        STREET = "street", _("街道")
        TOWNSHIP = "township", _("乡镇")
        COMMUNITY = "community", _("社区")
        VILLAGE = "village", _("村")
        ENTERPRISE = "enterprise", _("企业")
        PARK = "park", _("园区")
        SCHOOL = "school", _("学校")
        LAW_FIRM = "law_firm", _("律师事务所")
        DEPUTIES_STATION = "deputies_station", _("人大代表联络站")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=200, unique=True)
    district = models.CharField(_("区县"), max_length=20, choices=District)
    host_kind = models.CharField(_("依托单位类型"), max_length=30, choices=HostKind)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="liaison_points",
        blank=True,
        verbose_name=_("联络员"),
    )

    history = history(m2m_fields=[clerks])

    class Meta:
        verbose_name = _("基层立法联系点")
        verbose_name_plural = _("基层立法联系点")
        ordering = ["district", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:point-detail", kwargs={"pk": self.pk})


class Channel(models.TextChoices):
    LIAISON_POINT = "liaison_point", _("基层立法联系点")
    SYMPOSIUM = "symposium", _("座谈会")
    EXPERT_HEARING = "expert_hearing", _("论证会")
    PUBLIC_HEARING = "public_hearing", _("听证会")
    ONLINE = "online", _("网上公开征求意见")
    WRITTEN = "written", _("书面征求意见")
    DEPUTIES = "deputies", _("代表意见")


class Consultation(models.Model):
    """One round of gathering opinions on one draft version through one channel."""

    bill = models.ForeignKey(
        Bill, on_delete=models.PROTECT, related_name="consultations"
    )
    version = models.ForeignKey(
        DraftVersion,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("草案文本"),
    )
    channel = models.CharField(_("渠道"), max_length=30, choices=Channel)
    point = models.ForeignKey(
        LiaisonPoint,
        on_delete=models.PROTECT,
        related_name="consultations",
        null=True,
        blank=True,
        verbose_name=_("基层立法联系点"),
    )
    title = models.CharField(_("名称"), max_length=300)
    held_on = models.DateField(_("举行日期"), null=True, blank=True)
    opens_on = models.DateField(_("开始日期"), null=True, blank=True)
    closes_on = models.DateField(_("截止日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=300, blank=True)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
    summary = models.TextField(_("情况摘要"), blank=True)
    is_published = models.BooleanField(_("公开"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultations_created",
        null=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # Its entry on the bill's timeline, shown to the public while it is published.
    opened_event = models.OneToOneField(
        BillEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("征求意见活动")
        verbose_name_plural = _("征求意见活动")
        ordering = ["-held_on", "-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="liaison_point") | Q(point__isnull=False),
                name="consultation_point_required",
            ),
            models.CheckConstraint(
                condition=Q(held_on__isnull=False)
                | (Q(opens_on__isnull=False) & Q(closes_on__isnull=False)),
                name="consultation_dated",
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="consultation_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["bill", "channel"])]

    def __str__(self) -> str:
        return self.title

    @property
    def date(self):  # noqa: ANN201 - a date or None
        return self.held_on or self.opens_on

    @property
    def is_period(self) -> bool:
        return self.opens_on is not None and self.closes_on is not None


class ConsultationReopening(models.Model):
    """
    Staff opened a closed consultation again, until a day, and said why: comments
    may be entered, imported or moved into it until then. Appended, never edited.
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="reopenings"
    )
    until = models.DateField(_("开放至"))
    reason = models.TextField(_("重新开放的理由"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reopened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("重新开放记录")
        verbose_name_plural = _("重新开放记录")
        ordering = ["consultation", "-reopened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="consultationreopening_reason_given"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} → {self.until}"


# Unambiguous characters only: no 0/O, 1/I/L.
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
            models.Index(fields=["bill", "status"]),
            models.Index(fields=["consultation", "article"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.consultation_id}/{self.article_id}/{self.status}: {self.delta:+d}"
        )


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


class DecisionRecord(models.Model):
    """One decision taken on a comment; revisions append, never overwrite."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="decisions"
    )
    status = models.CharField(max_length=20, choices=Decision)
    reason = models.CharField(max_length=30, choices=Reason, blank=True)
    explanation = models.TextField(blank=True)
    duplicate_of = models.ForeignKey(
        Comment, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    decided_at = models.DateTimeField()

    class Meta:
        verbose_name = _("处理记录")
        verbose_name_plural = _("处理记录")
        ordering = ["comment", "decided_at", "pk"]

    def __str__(self) -> str:
        return f"{self.comment_id}: {self.status}"


class Feedback(models.Model):
    """How and when contributors (or their point) were told what became of comments."""

    class Channel(models.TextChoices):
        SMS = "sms", _("短信")
        PHONE = "phone", _("电话")
        LETTER = "letter", _("书面函告")
        POINT = "point", _("通过联系点反馈")
        WEBSITE = "website", _("网站公布")
        MEETING = "meeting", _("反馈会")
        UNREACHABLE = "unreachable", _("无法联系")

    channel = models.CharField(_("反馈方式"), max_length=20, choices=Channel)
    given_on = models.DateField(_("反馈日期"))
    text = models.TextField(_("反馈内容"), blank=True)
    point = models.ForeignKey(
        LiaisonPoint,
        on_delete=models.PROTECT,
        related_name="feedback",
        null=True,
        blank=True,
    )
    comments = models.ManyToManyField(Comment, related_name="feedback")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("反馈记录")
        verbose_name_plural = _("反馈记录")
        ordering = ["-given_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.given_on} {self.get_channel_display()}"


class ImportBatch(models.Model):
    """A CSV or XLSX file of comments, validated whole before any row is written."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("处理中")
        FAILED = "failed", _("未通过校验")
        DONE = "done", _("已导入")

    consultation = models.ForeignKey(
        Consultation, on_delete=models.PROTECT, related_name="imports"
    )
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    # At most imports.MAX_ERRORS row errors are kept; error_count counts them all.
    errors = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The file's bytes, hashed: the same comments uploaded twice are recognised
    # whatever the file is called.
    content_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    # Written at claim and with each progress update while a worker runs the
    # batch; a running batch whose heartbeat is older than
    # NPC_IMPORT_STALL_SECONDS has lost its worker and is taken over.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # When the periodic sweep last queued the batch again (None: never).
    queued_at = models.DateTimeField(null=True, blank=True)
    # How many times a worker claimed the batch (1 unless it was taken over).
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("导入批次")
        verbose_name_plural = _("导入批次")
        ordering = ["-created_at"]
        constraints = [
            # One file's comments are imported into a consultation by one
            # batch at a time.
            models.UniqueConstraint(
                fields=["consultation", "content_sha256"],
                condition=Q(status__in=["pending", "running"]) & ~Q(content_sha256=""),
                name="importbatch_one_active_per_content",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    @property
    def stalled(self) -> bool:
        """Whether the batch is running but its worker has not been heard of lately."""
        if self.status != self.Status.RUNNING:
            return False
        # A batch claimed before heartbeats were written counts from its upload.
        last_heard = self.heartbeat_at or self.created_at
        limit = dt.timedelta(seconds=settings.NPC_IMPORT_STALL_SECONDS)
        return last_heard < timezone.now() - limit

    def get_state_display(self) -> str:
        """The status as the clerk should read it: a stalled batch is being retried."""
        if self.stalled:
            return str(_("处理中断，正在自动重试…"))
        return self.get_status_display()

    @property
    def progress(self) -> int:
        """Return the share of rows processed, in per cent."""
        if not self.total_rows:
            return 100 if self.status in (self.Status.DONE, self.Status.FAILED) else 0
        return min(100, self.processed_rows * 100 // self.total_rows)


class AuthorMailing(models.Model):
    """
    The email address the author of a public comment gave, for mails about that
    comment only: its receipt, its decision, the feedback on it. Personal data:
    never on a public page, in a log or in a task's arguments.

    Nothing but the confirmation is sent until the address is confirmed (double
    opt-in); unsubscribing deletes the row.
    """

    comment = models.OneToOneField(
        Comment, on_delete=models.CASCADE, primary_key=True, related_name="mailing"
    )
    email = models.EmailField(_("电子邮箱"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("意见结果通知")
        verbose_name_plural = _("意见结果通知")
        indexes = [models.Index(fields=["email", "confirmation_sent_at"])]

    def __str__(self) -> str:
        # The address stays out of __str__, which logs and the admin print.
        return str(self.comment_id)

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class AuthorNotice(models.Model):
    """
    One mail to the author of a public comment: its receipt, a decision (by its
    DecisionRecord) or a feedback (by its Feedback). The unique triple makes the
    mail tasks idempotent: a retried task mails no one twice.
    """

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("回执")
        DECISION = "decision", _("处理结果")
        FEEDBACK = "feedback", _("反馈")

    mailing = models.ForeignKey(
        AuthorMailing, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=10, choices=Kind)
    ref = models.PositiveBigIntegerField(default=0)
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("意见结果通知记录")
        verbose_name_plural = _("意见结果通知记录")
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "kind", "ref"], name="author_notice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mailing_id}/{self.kind}/{self.ref}"


class AdoptionLink(models.Model):
    """
    Where an adopted (or partially adopted) comment was taken up: an article of
    a later version of its bill, or, with ``elsewhere`` and no article, what was
    done instead of changing the text. Written by the decision services only.

    A comparison of any two versions finds the link through the article's
    lineage, so it holds when later versions renumber the article.
    """

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="adoption_links"
    )
    article = models.ForeignKey(
        Article,
        on_delete=models.CASCADE,
        related_name="adoption_links",
        null=True,
        blank=True,
        verbose_name=_("写入条文"),
    )
    elsewhere = models.TextField(_("未写入条文的处理"), blank=True)
    linked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    linked_at = models.DateTimeField(auto_now_add=True)
    history = history()

    class Meta:
        verbose_name = _("意见采纳去向")
        verbose_name_plural = _("意见采纳去向")
        ordering = ["comment", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(article__isnull=False) & Q(elsewhere=""))
                | (Q(article__isnull=True) & ~Q(elsewhere="")),
                name="adoptionlink_article_or_elsewhere",
            ),
            models.UniqueConstraint(
                fields=["comment", "article"],
                condition=Q(article__isnull=False),
                name="adoptionlink_once_per_article",
            ),
        ]
        indexes = [models.Index(fields=["article", "comment"])]

    def __str__(self) -> str:
        return f"{self.comment_id} → {self.article_id or self.elsewhere[:20]}"


class DocumentJob(models.Model):
    """
    A document generated in the background for a large bill, with its progress:
    requested by staff, built by a worker, then downloaded.
    """

    class Kind(models.TextChoices):
        COMPARISON = "comparison", _("修改对照表")
        REPORT = "report", _("意见采纳情况报告")
        LETTERS = "letters", _("反馈函")

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已生成")
        FAILED = "failed", _("生成失败")

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind)
    format = models.CharField(max_length=4, default="docx")
    # What the document is of: from/to and renumbered, or by (point/contributor).
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status, default=Status.PENDING)
    progress = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(upload_to="documents/%Y/%m/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("文件生成任务")
        verbose_name_plural = _("文件生成任务")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="documentjob_progress_percent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.format})"


# The grouping models live beside their services; importing them here makes
# them the app's models.
from .grouping.models import CommentGroup, CommentSignature, GroupKey  # noqa: E402, F401
