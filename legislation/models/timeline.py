"""A bill's timeline: the kinds of event, and the events appended to it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .bills import Bill
from .meetings import Meeting
from .stages import Stage


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
