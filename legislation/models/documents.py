"""A document attached to a bill: explanations, reports, decisions, announcements."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from npc.core.history import history

from .bills import Bill
from .meetings import Meeting
from .stages import Stage
from .versions import DraftVersion


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

    history = history()

    class Meta:
        verbose_name = _("文件")
        verbose_name_plural = _("文件")
        ordering = ["date", "pk"]

    def __str__(self) -> str:
        return self.title
