"""Import batches of comments from a file."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .points import Consultation


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
