"""Liaison points and the consultations held on drafts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from legislation.models import Bill, BillEvent, DraftVersion
from npc.core.history import history


class District(models.TextChoices):
    LUZHOU = "luzhou", _("潞州区")
    SHANGDANG = "shangdang", _("上党区")
    TUNLIU = "tunliu", _("屯留区")
    LUCHENG = "lucheng", _("潞城区")
    XIANGYUAN = "xiangyuan", _("襄垣县")
    PINGSHUN = "pingshun", _("平顺县")
    LICHENG = "licheng", _("黎城县")
    HUGUAN = "huguan", _("壶关县")
    ZHANGZI = "zhangzi", _("长子县")
    WUXIANG = "wuxiang", _("武乡县")
    QINXIAN = "qinxian", _("沁县")
    QINYUAN = "qinyuan", _("沁源县")


class LiaisonPoint(models.Model):
    """A grassroots legislative liaison point (基层立法联系点)."""

    class HostKind(models.TextChoices):
        STREET = "street", _("街道")
        TOWNSHIP = "township", _("乡镇")
        COMMUNITY = "community", _("社区")
        VILLAGE = "village", _("村")
        ENTERPRISE = "enterprise", _("企业")
        PARK = "park", _("园区")
        SCHOOL = "school", _("学校")
        LAW_FIRM = "law_firm", _("律师事务所")
        DEPUTIES_STATION = "deputies_station", _("人大代表联络站")
        OTHER = "other", _("其他")

    name = models.CharField(_("名称"), max_length=200, unique=True)
    district = models.CharField(_("区县"), max_length=20, choices=District)
    host_kind = models.CharField(_("依托单位类型"), max_length=30, choices=HostKind)
    address = models.CharField(_("地址"), max_length=300, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=50, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)
    clerks = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="liaison_points",
        blank=True,
        verbose_name=_("联络员"),
    )

    history = history(m2m_fields=[clerks])

    class Meta:
        verbose_name = _("基层立法联系点")
        verbose_name_plural = _("基层立法联系点")
        ordering = ["district", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public:point-detail", kwargs={"pk": self.pk})


class Channel(models.TextChoices):
    LIAISON_POINT = "liaison_point", _("基层立法联系点")
    SYMPOSIUM = "symposium", _("座谈会")
    EXPERT_HEARING = "expert_hearing", _("论证会")
    PUBLIC_HEARING = "public_hearing", _("听证会")
    ONLINE = "online", _("网上公开征求意见")
    WRITTEN = "written", _("书面征求意见")
    DEPUTIES = "deputies", _("代表意见")


class Consultation(models.Model):
    """One round of gathering opinions on one draft version through one channel."""

    bill = models.ForeignKey(
        Bill, on_delete=models.PROTECT, related_name="consultations"
    )
    version = models.ForeignKey(
        DraftVersion,
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name=_("草案文本"),
    )
    channel = models.CharField(_("渠道"), max_length=30, choices=Channel)
    point = models.ForeignKey(
        LiaisonPoint,
        on_delete=models.PROTECT,
        related_name="consultations",
        null=True,
        blank=True,
        verbose_name=_("基层立法联系点"),
    )
    title = models.CharField(_("名称"), max_length=300)
    held_on = models.DateField(_("举行日期"), null=True, blank=True)
    opens_on = models.DateField(_("开始日期"), null=True, blank=True)
    closes_on = models.DateField(_("截止日期"), null=True, blank=True)
    place = models.CharField(_("地点"), max_length=300, blank=True)
    participants = models.PositiveIntegerField(_("参加人数"), default=0)
    summary = models.TextField(_("情况摘要"), blank=True)
    is_published = models.BooleanField(_("公开"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="consultations_created",
        null=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # Its entry on the bill's timeline, shown to the public while it is published.
    opened_event = models.OneToOneField(
        BillEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    history = history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("征求意见活动")
        verbose_name_plural = _("征求意见活动")
        ordering = ["-held_on", "-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(channel="liaison_point") | Q(point__isnull=False),
                name="consultation_point_required",
            ),
            models.CheckConstraint(
                condition=Q(held_on__isnull=False)
                | (Q(opens_on__isnull=False) & Q(closes_on__isnull=False)),
                name="consultation_dated",
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True)
                | Q(closes_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="consultation_period_ordered",
            ),
        ]
        indexes = [models.Index(fields=["bill", "channel"])]

    def __str__(self) -> str:
        return self.title

    @property
    def date(self):  # noqa: ANN201 - a date or None
        return self.held_on or self.opens_on

    @property
    def is_period(self) -> bool:
        return self.opens_on is not None and self.closes_on is not None


class ConsultationReopening(models.Model):
    """
    Staff opened a closed consultation again, until a day, and said why: comments
    may be entered, imported or moved into it until then. Appended, never edited.
    """

    consultation = models.ForeignKey(
        Consultation, on_delete=models.CASCADE, related_name="reopenings"
    )
    until = models.DateField(_("开放至"))
    reason = models.TextField(_("重新开放的理由"))
    reopened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    reopened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("重新开放记录")
        verbose_name_plural = _("重新开放记录")
        ordering = ["consultation", "-reopened_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=""), name="consultationreopening_reason_given"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consultation_id} → {self.until}"
