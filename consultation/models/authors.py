"""The mails to the authors of public comments, and which were sent."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .comments import Comment


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
