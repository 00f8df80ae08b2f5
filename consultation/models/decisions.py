"""What became of comments: decisions, feedback, where an adoption went."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from legislation.models import Article
from npc.core.history import history

from .comments import Comment, Decision, Reason
from .points import LiaisonPoint


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
