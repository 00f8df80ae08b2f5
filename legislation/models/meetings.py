"""A meeting of the Standing Committee, and its names."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
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
