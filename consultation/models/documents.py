"""Documents generated in the background for staff."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from legislation.models import Bill


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
