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


class CommentQuerySet(models.QuerySet):
    def decided(self) -> CommentQuerySet:
        return self.exclude(status=Decision.PENDING)


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
    import_batch = models.ForeignKey(
        "ImportBatch",
        on_delete=models.PROTECT,
        related_name="comments",
        null=True,
        blank=True,
        db_index=False,
    )
    import_row = models.PositiveIntegerField(null=True, blank=True)
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
        ]
        permissions = [("decide_comment", _("Can decide on comments"))]

    def __str__(self) -> str:
        return format_receipt_code(self.receipt_code)

    @property
    def receipt(self) -> str:
        return format_receipt_code(self.receipt_code)


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


# The grouping models live beside their services; importing them here makes
# them the app's models.
from .grouping.models import CommentGroup, CommentSignature, GroupKey  # noqa: E402, F401
