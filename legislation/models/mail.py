"""
Mail the legislation side sends, recorded so that no one is mailed twice:
followers' subscriptions and notifications, and staff's daily digest.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .bills import Bill
from .timeline import BillEvent


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
