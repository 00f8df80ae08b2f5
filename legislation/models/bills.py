"""A bill: its details, its stage and the fields staff may edit."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from npc.core.history import history

from .stages import FINAL, READINGS, Stage, next_stages, reading_number

SUMMARY_MAX_LENGTH = 5000


class BillQuerySet(models.QuerySet):
    def published(self) -> BillQuerySet:
        return self.filter(is_published=True)

    def in_stage(self, *stages: str) -> BillQuerySet:
        return self.filter(stage__in=stages)


# The details staff may edit directly, in the order forms show them; the stage,
# the readings planned and the rest move through services. The service, the
# staff forms, the admin and the API all read this list.
BILL_EDITABLE_FIELDS: tuple[str, ...] = (
    "title",
    "slug",
    "kind",
    "sponsor",
    "sponsor_detail",
    "drafting_body",
    "committee",
    "plan_year",
    "summary",
    "is_published",
)


class Bill(models.Model):
    class Kind(models.TextChoices):
        NEW = "new", _("制定")
        REVISION = "revision", _("修订")
        AMENDMENT = "amendment", _("修正")
        REPEAL = "repeal", _("废止")

    class Sponsor(models.TextChoices):
        GOVERNMENT = "government", _("市人民政府")
        CHAIRPERSONS = "chairpersons", _("主任会议")
        SPECIAL_COMMITTEE = "special_committee", _("专门委员会")
        MEMBERS = "members", _("常委会组成人员五人以上联名")

    title = models.CharField(_("标题"), max_length=200)
    slug = models.SlugField(
        _("网址标识"), max_length=200, unique=True, allow_unicode=True
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind, default=Kind.NEW)
    sponsor = models.CharField(
        _("提案人"), max_length=30, choices=Sponsor, default=Sponsor.GOVERNMENT
    )
    sponsor_detail = models.CharField(_("提案人说明"), max_length=200, blank=True)
    drafting_body = models.CharField(_("起草单位"), max_length=200, blank=True)
    committee = models.CharField(_("负责的委员会"), max_length=200, blank=True)
    plan_year = models.PositiveSmallIntegerField(_("立法计划年度"))
    planned_readings = models.PositiveSmallIntegerField(_("计划审议次数"), default=2)
    stage = models.CharField(
        _("阶段"), max_length=30, choices=Stage, default=Stage.PLANNED, editable=False
    )
    # A summary is a paragraph or two; a megabyte pasted by mistake is refused.
    summary = models.TextField(
        _("简介"),
        blank=True,
        max_length=SUMMARY_MAX_LENGTH,
        validators=[MaxLengthValidator(SUMMARY_MAX_LENGTH)],
    )
    is_published = models.BooleanField(_("公开"), default=False)
    announcement_number = models.CharField(_("公告编号"), max_length=50, blank=True)
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    # Optimistic concurrency: every write bumps it; a writer that read an older
    # value is refused instead of overwriting someone else's change.
    version = models.PositiveIntegerField(_("版本号"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bills_created",
        null=True,
        editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bills_updated",
        null=True,
        editable=False,
    )

    objects = BillQuerySet.as_manager()
    history = history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("法规案")
        verbose_name_plural = _("法规案")
        ordering = ["-plan_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_readings__gte=1) & Q(planned_readings__lte=3),
                name="bill_planned_readings_1_to_3",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="bill_stage_valid"
            ),
        ]
        indexes = [models.Index(fields=["stage", "is_published"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("public:bill-detail", kwargs={"slug": self.slug})

    def get_staff_url(self) -> str:
        return reverse("staff:bill-detail", kwargs={"slug": self.slug})

    @property
    def next_stages(self) -> frozenset[Stage]:
        return next_stages(self.stage, self.planned_readings)

    def can_move_to(self, stage: str) -> bool:
        return stage in self.next_stages

    @property
    def readings_held(self) -> int:
        return reading_number(self.stage) if self.stage in READINGS else 0

    @property
    def is_final(self) -> bool:
        return self.stage in FINAL
