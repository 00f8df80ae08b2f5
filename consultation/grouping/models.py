"""
Near-duplicate groups of a bill's comments, and what grouping keeps per comment.

Every grouped comment has a :class:`CommentSignature` (its MinHash signature and
its group); every group a representative, the comment that led it, whose band
keys (:class:`GroupKey`) let a new comment find the groups it may join.
Imported here by ``consultation.models``; written by
:mod:`consultation.grouping.services` only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from legislation.models import Bill


class CommentGroup(models.Model):
    """Comments of one bill with the same text up to small edits."""

    bill = models.ForeignKey(
        Bill, on_delete=models.CASCADE, related_name="comment_groups", db_index=False
    )
    # The comment that led the group: it gets the group's decision, the others
    # are marked as its duplicates.
    representative = models.OneToOneField(
        "consultation.Comment",
        on_delete=models.CASCADE,
        related_name="led_group",
        verbose_name=_("代表意见"),
    )
    size = models.PositiveIntegerField(_("意见条数"), default=1)
    # Bumped whenever a member joins, leaves or is decided: a decision on the
    # group names the revision it was shown, and a stale one is refused.
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("相似意见组")
        verbose_name_plural = _("相似意见组")
        ordering = ["-size", "pk"]
        indexes = [
            models.Index(fields=["bill", "-size", "id"], name="commentgroup_bill_size")
        ]

    def __str__(self) -> str:
        return f"{self.bill_id}/{self.pk} ({self.size})"


class CommentSignature(models.Model):
    """A comment's MinHash signature and the near-duplicate group it is in."""

    comment = models.OneToOneField(
        "consultation.Comment",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="signature",
    )
    group = models.ForeignKey(
        CommentGroup, on_delete=models.CASCADE, related_name="members"
    )
    # NUM_PERM little-endian 32-bit MinHash values (grouping.signatures).
    signature = models.BinaryField()

    class Meta:
        verbose_name = _("意见签名")
        verbose_name_plural = _("意见签名")

    def __str__(self) -> str:
        return f"{self.comment_id} → {self.group_id}"


class GroupKey(models.Model):
    """One locality-sensitive band key of a group's representative."""

    group = models.ForeignKey(
        CommentGroup, on_delete=models.CASCADE, related_name="keys"
    )
    # The band's hash, keyed by the bill: equal keys of two bills do not meet.
    key = models.BigIntegerField(db_index=True)

    class Meta:
        verbose_name = _("分组索引键")
        verbose_name_plural = _("分组索引键")

    def __str__(self) -> str:
        return f"{self.group_id}: {self.key}"
