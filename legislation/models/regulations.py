"""
Regulations (法规) and their texts in force.

A regulation comes into being when its bill is promulgated; the promulgated
text is its first text in force. An amendment (修正) or revision (修订) bill
names the regulation it changes (:class:`RegulationChange`); when it enters into
force the regulation gets a new text in force. Each text in force is one of the
bill's versions (its structure, articles and all); the articles of successive
texts are linked by a regulation-wide lineage (:class:`LawArticle`), as the
articles of a bill's drafts are by theirs.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from npc.core.history import history

from .bills import Bill
from .versions import Article, DraftVersion


class Regulation(models.Model):
    title = models.CharField(_("标题"), max_length=200)
    slug = models.SlugField(_("网址标识"), max_length=80, unique=True)
    # The bill that made it (制定); none for a regulation older than the records.
    bill = models.OneToOneField(
        Bill,
        on_delete=models.PROTECT,
        related_name="regulation",
        null=True,
        blank=True,
    )
    repealed_on = models.DateField(_("废止日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = history()

    class Meta:
        verbose_name = _("法规")
        verbose_name_plural = _("法规")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class RegulationChange(models.Model):
    """An amendment, revision or repeal bill and the regulation it changes."""

    regulation = models.ForeignKey(
        Regulation, on_delete=models.PROTECT, related_name="changes"
    )
    bill = models.OneToOneField(
        Bill, on_delete=models.PROTECT, related_name="regulation_change"
    )
    history = history()

    class Meta:
        verbose_name = _("法规修改")
        verbose_name_plural = _("法规修改")

    def __str__(self) -> str:
        return f"{self.bill} → {self.regulation}"


class RegulationText(models.Model):
    """One text of a regulation, in force from ``effective_on`` until the next."""

    regulation = models.ForeignKey(
        Regulation, on_delete=models.CASCADE, related_name="texts"
    )
    version = models.OneToOneField(
        DraftVersion, on_delete=models.PROTECT, related_name="text_in_force"
    )
    bill = models.ForeignKey(
        Bill,
        on_delete=models.PROTECT,
        related_name="texts_in_force",
        null=True,
        blank=True,
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Bill.Kind)
    announcement_number = models.CharField(_("公告编号"), max_length=50, blank=True)
    promulgated_on = models.DateField(_("公布日期"), null=True, blank=True)
    effective_on = models.DateField(_("施行日期"))
    history = history()

    class Meta:
        verbose_name = _("现行文本")
        verbose_name_plural = _("现行文本")
        ordering = ["regulation", "effective_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["regulation", "effective_on"],
                name="regulation_text_unique_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.regulation}（{self.effective_on}）"


class LawArticle(models.Model):
    """The identity of one article across a regulation's texts in force."""

    regulation = models.ForeignKey(
        Regulation, on_delete=models.CASCADE, related_name="law_articles"
    )

    class Meta:
        verbose_name = _("法规条文沿革")
        verbose_name_plural = _("法规条文沿革")

    def __str__(self) -> str:
        return f"{self.regulation_id}/{self.pk}"


class TextArticle(models.Model):
    """An article of a text in force, with its regulation-wide lineage."""

    text = models.ForeignKey(
        RegulationText, on_delete=models.CASCADE, related_name="text_articles"
    )
    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="in_force"
    )
    lineage = models.ForeignKey(
        LawArticle, on_delete=models.CASCADE, related_name="text_articles"
    )

    class Meta:
        verbose_name = _("现行条文")
        verbose_name_plural = _("现行条文")
        constraints = [
            models.UniqueConstraint(
                fields=["text", "lineage"], name="text_article_unique_lineage"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.text_id}/{self.article_id}"
