"""
A meeting of the Standing Committee and its names; the members of each term
(the roster), who attended a sitting, and the corrections of a meeting on record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from npc.core.history import history

from ..numerals import int_to_chinese


class Meeting(models.Model):
    """A session of the Standing Committee, e.g. the 22nd meeting of the 15th term."""

    term = models.PositiveSmallIntegerField(_("届次"))
    number = models.PositiveSmallIntegerField(_("会次"))
    date = models.DateField(_("日期"))
    members = models.PositiveSmallIntegerField(_("组成人员总数"))
    place = models.CharField(_("地点"), max_length=200, blank=True)
    # Moves on with every change: a form or a client that read an older one is
    # refused (optimistic concurrency, as a bill's version).
    version = models.PositiveIntegerField(_("版本号"), default=1, editable=False)

    history = history()

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

    def get_absolute_url(self) -> str:
        return reverse("public:meeting-detail", kwargs={"pk": self.pk})

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


class CommitteeMember(models.Model):
    """
    A member of the Standing Committee of one term (组成人员), as the roster lists
    them. Members are public officials: their names appear on public pages.
    """

    class Position(models.TextChoices):
        CHAIR = "chair", _("主任")
        VICE_CHAIR = "vice_chair", _("副主任")
        SECRETARY_GENERAL = "secretary_general", _("秘书长")
        MEMBER = "member", _("委员")

    term = models.PositiveSmallIntegerField(_("届次"))
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(
        _("职务"), max_length=20, choices=Position, default=Position.MEMBER
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    note = models.CharField(_("备注"), max_length=100, blank=True)
    history = history()

    class Meta:
        verbose_name = _("常委会组成人员")
        verbose_name_plural = _("常委会组成人员")
        ordering = ["term", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["term", "name"], name="committee_member_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """Whether a member of the meeting's term attended it; recorded by name, optional."""

    class Status(models.TextChoices):
        PRESENT = "present", _("出席")
        ON_LEAVE = "on_leave", _("请假")
        ABSENT = "absent", _("缺席")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance"
    )
    member = models.ForeignKey(
        CommitteeMember, on_delete=models.PROTECT, related_name="attendance"
    )
    status = models.CharField(_("出席情况"), max_length=20, choices=Status)
    history = history()

    class Meta:
        verbose_name = _("出席情况")
        verbose_name_plural = _("出席情况")
        ordering = ["meeting", "member__order", "member__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "member"], name="attendance_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} @ {self.meeting}: {self.get_status_display()}"


class MeetingCorrection(models.Model):
    """
    A correction of a meeting on record (its date or number), with its reason:
    appended, never edited, like the timeline entries it moves.
    """

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="corrections"
    )
    old_date = models.DateField(_("原日期"))
    new_date = models.DateField(_("更正后日期"))
    old_number = models.PositiveSmallIntegerField(_("原会次"))
    new_number = models.PositiveSmallIntegerField(_("更正后会次"))
    reason = models.TextField(_("更正理由"))
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="meeting_corrections",
        null=True,
        verbose_name=_("更正人"),
    )
    corrected_at = models.DateTimeField(_("更正时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("会议更正")
        verbose_name_plural = _("会议更正")
        ordering = ["meeting", "corrected_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="meeting_correction_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.meeting}: {self.reason[:30]}"
