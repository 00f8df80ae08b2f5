"""A vote on a bill, and the majority by which it carries."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .bills import Bill
from .meetings import Meeting
from .timeline import BillEvent


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
    # The comments on the bill still undecided when the vote was recorded, and
    # why they were not decided first; the public reads the reason on them.
    undecided_comments = models.PositiveIntegerField(_("表决时未研究的意见"), default=0)
    undecided_reason = models.TextField(_("未逐条研究的理由"), blank=True)

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
