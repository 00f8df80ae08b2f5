"""
Bills and their lifecycle, meetings, votes, documents and draft texts.

The lifecycle is data: :class:`Stage` and the :data:`TRANSITIONS` table beside it
are the only description of which stage may follow which. ``services`` enforces
it; pages and the API read it to offer only the moves that are possible.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .numerals import article_label, int_to_chinese


class Stage(models.TextChoices):
    PLANNED = "planned", _("立项")
    DRAFTING = "drafting", _("起草")
    SUBMITTED = "submitted", _("提请审议")
    FIRST_READING = "first_reading", _("一审")
    SECOND_READING = "second_reading", _("二审")
    THIRD_READING = "third_reading", _("三审")
    PASSED = "passed", _("表决通过")
    REJECTED = "rejected", _("表决未通过")
    APPROVAL_REQUESTED = "approval_requested", _("报请批准")
    APPROVED = "approved", _("批准")
    NOT_APPROVED = "not_approved", _("不予批准")
    PROMULGATED = "promulgated", _("公布")
    IN_FORCE = "in_force", _("施行")
    WITHDRAWN = "withdrawn", _("撤回")
    TERMINATED = "terminated", _("终止审议")


READINGS: tuple[Stage, ...] = (
    Stage.FIRST_READING,
    Stage.SECOND_READING,
    Stage.THIRD_READING,
)
# Stages from which the sponsor may withdraw or deliberation may end: any before
# the vote.
BEFORE_VOTE: frozenset[Stage] = frozenset(
    {Stage.PLANNED, Stage.DRAFTING, Stage.SUBMITTED, *READINGS}
)
_ENDINGS = frozenset({Stage.WITHDRAWN, Stage.TERMINATED})
_VOTE = frozenset({Stage.PASSED, Stage.REJECTED})

# The lifecycle in one place: which stage may follow which (DESIGN §1). Whether a
# reading may be followed by another reading or by the vote also depends on the
# number of readings planned; see :func:`next_stages`.
TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.PLANNED: frozenset({Stage.DRAFTING}) | _ENDINGS,
    Stage.DRAFTING: frozenset({Stage.SUBMITTED}) | _ENDINGS,
    Stage.SUBMITTED: frozenset({Stage.FIRST_READING}) | _ENDINGS,
    Stage.FIRST_READING: frozenset({Stage.SECOND_READING}) | _VOTE | _ENDINGS,
    Stage.SECOND_READING: frozenset({Stage.THIRD_READING}) | _VOTE | _ENDINGS,
    Stage.THIRD_READING: _VOTE | _ENDINGS,
    Stage.PASSED: frozenset({Stage.APPROVAL_REQUESTED}),
    Stage.REJECTED: frozenset(),
    Stage.APPROVAL_REQUESTED: frozenset({Stage.APPROVED, Stage.NOT_APPROVED}),
    Stage.APPROVED: frozenset({Stage.PROMULGATED}),
    Stage.NOT_APPROVED: frozenset(),
    Stage.PROMULGATED: frozenset({Stage.IN_FORCE}),
    Stage.IN_FORCE: frozenset(),
    Stage.WITHDRAWN: frozenset(),
    Stage.TERMINATED: frozenset(),
}

# The main line of stages, in order, for progress bars.
MAIN_LINE: tuple[Stage, ...] = (
    Stage.PLANNED,
    Stage.DRAFTING,
    Stage.SUBMITTED,
    *READINGS,
    Stage.PASSED,
    Stage.APPROVAL_REQUESTED,
    Stage.APPROVED,
    Stage.PROMULGATED,
    Stage.IN_FORCE,
)
FINAL: frozenset[Stage] = frozenset(s for s, nxt in TRANSITIONS.items() if not nxt)
UNDER_DELIBERATION: frozenset[Stage] = frozenset({Stage.SUBMITTED, *READINGS})


def reading_number(stage: str) -> int:
    """Return 1, 2 or 3 for a reading stage, and 0 before the first reading."""
    return READINGS.index(stage) + 1 if stage in READINGS else 0


def next_stages(stage: str, planned_readings: int) -> frozenset[Stage]:
    """
    Return the stages a bill in ``stage`` may move to next.

    A reading is followed by the next reading while fewer than ``planned_readings``
    readings were held, and by the vote after the last planned one.
    """
    allowed = TRANSITIONS[Stage(stage)]
    held = reading_number(stage)
    if not held:
        return allowed
    if held < planned_readings:
        return allowed - _VOTE
    return allowed - frozenset(READINGS)


def vote_carries(*, yes: int, members: int) -> bool:
    """
    Say whether a vote passes: more than half of ALL members vote yes.

    地方组织法 art. 51: the majority is of the whole Standing Committee, not of
    those present, so abstentions and absences count against the bill.
    """
    return yes * 2 > members


def votes_needed(members: int) -> int:
    """Return the fewest yes votes with which a vote of ``members`` passes."""
    return members // 2 + 1


class BillQuerySet(models.QuerySet):
    def published(self) -> BillQuerySet:
        return self.filter(is_published=True)

    def in_stage(self, *stages: str) -> BillQuerySet:
        return self.filter(stage__in=stages)


# The details staff may edit directly, in the order forms show them; the stage,
# the readings planned and the rest move through services. The service, the
# staff forms, the admin and the API all read this list.
BILL_EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "slug",
    "kind",
    "sponsor",
    "sponsor_detail",
    "drafting_body",
    "committee",
    "plan_year",
    "summary",
    "is_published",
)


class Bill(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", _("制定")
        REVISION = "revision", _("修订")
        AMENDMENT = "amendment", _("修正")
        REPEAL = "repeal", _("废止")

    class Sponsor(models.TextChoices):
        GOVERNMENT = "government", _("市人民政府")
        CHAIRPERSONS = "chairpersons", _("主任会议")
        SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
        MEMBERS = "members", _("常委会组成人员五人以上联名")

    title = models.CharField(_("标题"), max_length=200)
    slug = models.SlugField(
        _("网址标识"), max_length=200, unique=True, allow_unicode=True
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind, default=Kind.NEW)
    sponsor = models.CharField(
        _("提案人"), max_length=30, choices=Sponsor, default=Sponsor.GOVERNMENT
    )
    sponsor_detail = models.CharField(_("提案人说明"), max_length=200, blank=True)
    drafting_body = models.CharField(_("起草单位"), max_length=200, blank=True)
    committee = models.CharField(_("负责的委员会"), max_length=200, blank=True)
    plan_year = models.PositiveSmallIntegerField(_("立法计划年度"))
    planned_readings = models.PositiveSmallIntegerField(_("计划审议次数"), default=2)
    stage = models.CharField(
        _("阶段"), max_length=30, choices=Stage, default=Stage.PLANNED, editable=False
    )
    summary = models.TextField(_("简介"), blank=True)
    is_published = models.BooleanField(_("公开"), default=False)
    announcement_number = models.CharField(_("公告编号"), max_length=50, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    # Optimistic concurrency: every write bumps it; a writer that read an older
    # value is refused instead of overwriting someone else's change.
    version = models.PositiveIntegerField(_("版本号"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bills_created",
        null=True,
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bills_updated",
        null=True,
        editable=False,
    )

    objects = BillQuerySet.as_manager()

    class Meta:
        verbose_name = _("法规案")
        verbose_name_plural = _("法规案")
        ordering = ["-plan_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_readings__gte=1) & Q(planned_readings__lte=3),
                name="bill_planned_readings_1_to_3",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="bill_stage_valid"
            ),
        ]
        indexes = [models.Index(fields=["stage", "is_published"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:bill-detail", kwargs={"slug": self.slug})

    def get_staff_url(self) -> str:
        return reverse("staff:bill-detail", kwargs={"slug": self.slug})

    @property
    def next_stages(self) -> frozenset[Stage]:
        return next_stages(self.stage, self.planned_readings)

    def can_move_to(self, stage: str) -> bool:
        return stage in self.next_stages

    @property
    def readings_held(self) -> int:
        return reading_number(self.stage) if self.stage in READINGS else 0

    @property
    def is_final(self) -> bool:
        return self.stage in FINAL


class Meeting(models.Model):
    """A session of the Standing Committee, e.g. the 22nd meeting of the 15th term."""

    term = models.PositiveSmallIntegerField(_("届次"))
    number = models.PositiveSmallIntegerField(_("会次"))
    date = models.DateField(_("日期"))
    members = models.PositiveSmallIntegerField(_("组成人员总数"))
    place = models.CharField(_("地点"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("常委会会议")
        verbose_name_plural = _("常委会会议")
        ordering = ["date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="meeting_unique"),
            models.CheckConstraint(condition=Q(members__gt=0), name="meeting_members"),
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def name(self) -> str:
        """Render the full name, e.g. 长治市第十五届人民代表大会常务委员会第二十二次会议."""
        return (
            f"{settings.NPC_CITY_NAME}第{int_to_chinese(self.term)}届人民代表大会"
            f"常务委员会第{int_to_chinese(self.number)}次会议"
        )

    @property
    def short_name(self) -> str:
        """Render the short name, e.g. 市十五届人大常委会第二十二次会议."""
        return (
            f"市{int_to_chinese(self.term)}届人大常委会"
            f"第{int_to_chinese(self.number)}次会议"
        )


class EventKind(models.TextChoices):
    PLANNED = "planned", _("列入立法计划")
    DRAFTING_STARTED = "drafting_started", _("启动起草")
    SUBMITTED = "submitted", _("提请审议")
    READING = "reading", _("审议")
    VOTE = "vote", _("表决")
    APPROVAL_REQUESTED = "approval_requested", _("报请批准")
    APPROVAL_DECIDED = "approval_decided", _("省人大常委会审查批准")
    PROMULGATED = "promulgated", _("公布")
    IN_FORCE = "in_force", _("施行")
    WITHDRAWN = "withdrawn", _("撤回")
    TERMINATED = "terminated", _("终止审议")
    UNIFIED_REVIEW = "unified_review", _("法制委员会统一审议")
    VOTE_DEFERRED = "vote_deferred", _("暂不付表决")
    CONSULTATION_OPENED = "consultation_opened", _("公开征求意见")
    CONSULTATION_CLOSED = "consultation_closed", _("征求意见结束")
    VERSION_ADDED = "version_added", _("新的草案文本")
    DOCUMENT_PUBLISHED = "document_published", _("发布文件")
    FILED = "filed", _("报送备案")
    PLAN_CHANGED = "plan_changed", _("调整审议次数")
    DETAILS_CHANGED = "details_changed", _("修改基本信息")
    CORRECTION = "correction", _("更正")


# Events that only concern the office's own bookkeeping stay off public pages.
INTERNAL_EVENT_KINDS = frozenset({EventKind.DETAILS_CHANGED})


class BillEventQuerySet(models.QuerySet):
    def public(self) -> BillEventQuerySet:
        return self.exclude(kind__in=INTERNAL_EVENT_KINDS).filter(is_public=True)


class BillEvent(models.Model):
    """
    One entry of a bill's timeline. Appended, never edited: a mistake is put right
    by a new event of kind ``correction`` that points at it. Only ``is_public``
    follows what it records (an unpublished consultation's entry stays off the
    public timeline).
    """

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("事项"), max_length=30, choices=EventKind)
    on = models.DateField(_("日期"))
    from_stage = models.CharField(_("原阶段"), max_length=30, choices=Stage, blank=True)
    to_stage = models.CharField(_("新阶段"), max_length=30, choices=Stage, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
        verbose_name=_("会议"),
    )
    version = models.ForeignKey(
        "DraftVersion",
        on_delete=models.PROTECT,
        related_name="events",
        null=True,
        blank=True,
        verbose_name=_("草案文本"),
    )
    note = models.TextField(_("说明"), blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="corrections",
        null=True,
        blank=True,
        verbose_name=_("更正的事项"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bill_events",
        null=True,
        verbose_name=_("记录人"),
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)
    is_public = models.BooleanField(_("公开"), default=True)

    objects = BillEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("进程事项")
        verbose_name_plural = _("进程事项")
        ordering = ["on", "recorded_at", "pk"]
        indexes = [models.Index(fields=["bill", "on"])]

    def __str__(self) -> str:
        return f"{self.on} {self.get_kind_display()}"

    @property
    def changes_stage(self) -> bool:
        return bool(self.to_stage) and self.to_stage != self.from_stage


class Vote(models.Model):
    """A vote on a bill at a meeting, counted against all the meeting's members."""

    bill = models.ForeignKey(Bill, on_delete=models.PROTECT, related_name="votes")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="votes")
    members = models.PositiveSmallIntegerField(_("组成人员总数"))
    yes = models.PositiveSmallIntegerField(_("赞成"))
    no = models.PositiveSmallIntegerField(_("反对"))
    abstain = models.PositiveSmallIntegerField(_("弃权"))
    event = models.OneToOneField(
        BillEvent, on_delete=models.PROTECT, related_name="vote", null=True
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="votes",
        null=True,
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["meeting__date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(yes__lte=F("members") - F("no") - F("abstain")),
                name="vote_counts_within_members",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.bill} @ {self.meeting}: {self.yes}/{self.no}/{self.abstain}"

    @property
    def not_voting(self) -> int:
        return self.members - self.yes - self.no - self.abstain

    @property
    def carried(self) -> bool:
        return vote_carries(yes=self.yes, members=self.members)


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

    class Meta:
        verbose_name = _("草案文本")
        verbose_name_plural = _("草案文本")
        ordering = ["bill", "number"]
        constraints = [
            models.UniqueConstraint(fields=["bill", "number"], name="version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_kind_display()}）"


class Chapter(models.Model):
    version = models.ForeignKey(
        DraftVersion, on_delete=models.CASCADE, related_name="chapters"
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
    def anchor(self) -> str:
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
    similarity = models.FloatField(null=True, blank=True)
    aligned_by_hand = models.BooleanField(_("人工校正"), default=False)

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
        return article_label(self.number)

    @property
    def anchor(self) -> str:
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


class Document(models.Model):
    class Kind(models.TextChoices):
        DRAFTING_EXPLANATION = "drafting_explanation", _("起草说明")
        REVIEW_OPINION = "review_opinion", _("审议意见")
        REVISION_REPORT = "revision_report", _("修改情况的报告")
        REVIEW_RESULT_REPORT = "review_result_report", _("审议结果的报告")
        APPROVAL_DECISION = "approval_decision", _("批准决定")
        ANNOUNCEMENT = "announcement", _("公告")
        OTHER = "other", _("其他")

    bill = models.ForeignKey(Bill, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("类别"), max_length=30, choices=Kind)
    title = models.CharField(_("标题"), max_length=300)
    date = models.DateField(_("日期"))
    text = models.TextField(_("正文"), blank=True)
    file = models.FileField(_("附件"), upload_to="documents/%Y/", blank=True)
    stage = models.CharField(_("阶段"), max_length=30, choices=Stage, blank=True)
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
        blank=True,
        verbose_name=_("会议"),
    )
    version = models.ForeignKey(
        DraftVersion,
        on_delete=models.SET_NULL,
        related_name="documents",
        null=True,
        blank=True,
        verbose_name=_("草案文本"),
    )
    is_published = models.BooleanField(_("公开"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="documents",
        null=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return self.title


class Subscription(models.Model):
    """
    Someone following a bill by email. Personal data: the address is used for
    these mails only, never shown on a public page or written to a log.

    Nothing but the confirmation is sent until the address is confirmed.
    Unsubscribing deletes the row.
    """

    bill = models.ForeignKey(
        Bill, on_delete=models.CASCADE, related_name="subscriptions"
    )
    email = models.EmailField(_("电子邮箱"))
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("订阅时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("关注")
        verbose_name_plural = _("关注")
        ordering = ["bill", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["bill", "email"], name="subscription_once_per_bill"
            ),
        ]
        indexes = [models.Index(fields=["bill", "confirmed_at"])]

    def __str__(self) -> str:
        # The address stays out of __str__, which logs and the admin print.
        return f"{self.bill_id}/{self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Notification(models.Model):
    """
    One mail to one follower about one timeline event. The unique pair makes the
    notification task idempotent: a retried or redelivered task mails no one twice.
    """

    event = models.ForeignKey(
        BillEvent, on_delete=models.CASCADE, related_name="notifications"
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="notifications"
    )
    sent_at = models.DateTimeField()

    class Meta:
        verbose_name = _("关注通知")
        verbose_name_plural = _("关注通知")
        ordering = ["event", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "subscription"], name="notification_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_id} → {self.subscription_id}"


class DailyDigest(models.Model):
    """
    The record of one day's legal-clock check and the digest mailed to staff:
    the check runs once a day, so a retried or repeated run mails no one twice.
    """

    day = models.DateField(_("日期"), unique=True)
    cases = models.JSONField(_("事项"), default=dict)
    recipients = models.PositiveIntegerField(_("收件人数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("每日期限提醒")
        verbose_name_plural = _("每日期限提醒")
        ordering = ["-day"]

    def __str__(self) -> str:
        return str(self.day)
