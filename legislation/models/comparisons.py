"""The comparison table of two versions, kept once computed."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from .versions import DraftVersion


class KeptComparison(models.Model):
    """
    The comparison table (修改对照表) of two versions, as last computed.

    One row per (old, new) pair, so a repeated request, by anyone, on any
    worker, after any restart, reads the table instead of diffing the texts
    again. ``digest`` is a hash of everything the table was computed from (the
    articles' numbers and texts on both sides, the pairs of articles the
    lineage makes, the form of the table): a version's text is never rewritten,
    but staff may correct an alignment, and a kept table whose digest no longer
    matches is computed again and replaced (see selectors.compare_versions).
    It is derived data: deleting the rows costs only their recomputation.
    """

    old = models.ForeignKey(
        DraftVersion, on_delete=models.CASCADE, related_name="comparisons_from"
    )
    new = models.ForeignKey(
        DraftVersion, on_delete=models.CASCADE, related_name="comparisons_to"
    )
    digest = models.CharField(max_length=64)
    rows = models.JSONField()
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("修改对照表（已计算）")
        verbose_name_plural = _("修改对照表（已计算）")
        constraints = [
            models.UniqueConstraint(
                fields=["old", "new"], name="kept_comparison_unique_pair"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.old_id} → {self.new_id}"
