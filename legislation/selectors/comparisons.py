"""Two versions of a bill compared article by article (修改对照表)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model

from .. import comparison, kept_tables
from ..models import (
    Bill,
    DraftVersion,
    KeptComparison,
)
from ..numerals import article_label
from .versions import visible_versions


def _sides(version: DraftVersion) -> tuple[list[comparison.Side], dict[int, int]]:
    rows = list(
        version.articles.order_by("position").values_list(
            "pk", "number", "suffix", "text", "lineage_id"
        )
    )
    sides = [
        comparison.Side(
            key=pk, number=n, text=text, label=article_label(n, suffix), suffix=suffix
        )
        for pk, n, suffix, text, _ in rows
    ]
    return sides, {pk: lineage for pk, _, _, _, lineage in rows}


def compare_versions(*, old: DraftVersion, new: DraftVersion) -> list[comparison.Row]:
    """
    Build the comparison table (修改对照表) from ``old`` to ``new``.

    Articles are paired by lineage — the content alignment made when each version
    was added, as corrected by staff — so any two versions of a bill compare, not
    only neighbours.

    The table is kept per pair of versions (KeptComparison), under a fingerprint
    of what it was computed from: a repeated request reads it back and compares
    nothing; one made after staff corrected the alignment finds the fingerprint
    changed and computes (and keeps) the table again. Three queries when kept;
    on the first request, one more to keep it.
    """
    old_sides, old_lineage = _sides(old)
    new_sides, new_lineage = _sides(new)
    by_lineage = {lineage: pk for pk, lineage in old_lineage.items()}
    pairs = {
        pk: by_lineage[lineage]
        for pk, lineage in new_lineage.items()
        if lineage in by_lineage
    }
    digest = kept_tables.fingerprint(old_sides, new_sides, pairs)
    kept = (
        KeptComparison.objects.filter(old=old, new=new, digest=digest)
        .values_list("rows", flat=True)
        .first()
    )
    if kept is not None:
        return kept_tables.rows_from_data(kept)
    rows = comparison.compare(old_sides, new_sides, pairs)
    # One statement, whether the pair is new or its kept table stale; two
    # requests keeping the same pair at once both succeed, the last one wins.
    KeptComparison.objects.bulk_create(
        [
            KeptComparison(
                old=old, new=new, digest=digest, rows=kept_tables.rows_to_data(rows)
            )
        ],
        update_conflicts=True,
        unique_fields=["old", "new"],
        update_fields=["digest", "rows", "computed_at"],
    )
    return rows


class NoSuchVersion(LookupError):
    """
    A version asked for is not one of the bill's that the reader may see, or
    its number is not a number. ``versions`` are those they may see.
    """

    def __init__(self, versions: list[DraftVersion]) -> None:
        super().__init__("no such version")
        self.versions = versions


@dataclass(frozen=True)
class VersionComparison:
    """Two versions of a bill compared article by article (修改对照表)."""

    versions: list[DraftVersion]  # all the reader may see, oldest first
    old: DraftVersion
    new: DraftVersion
    rows: list[comparison.Row]

    @property
    def summary(self) -> dict[str, int]:
        return comparison_summary(self.rows)


def version_comparison(
    *,
    bill: Bill,
    user: Model | AnonymousUser,
    old: int | str | None = None,
    new: int | str | None = None,
) -> VersionComparison:
    """
    Compare two versions of ``bill`` that ``user`` may read, by number.

    The one rule for the public page, the staff page and the API: ``new``
    defaults to the latest version; ``old`` to the version before ``new`` (to
    ``new`` itself when it is the first). Unpublished versions exist for staff
    only. A number may come as given in a query string: empty or None is left
    out, anything else must be the number of a version ``user`` may read, or
    NoSuchVersion is raised. Four queries once the table is kept (see
    compare_versions).
    """
    versions = list(visible_versions(user, bill).defer("source_text"))
    by_number = {version.number: version for version in versions}
    new_number = _version_number(new, versions)
    if new_number is None and versions:
        new_number = versions[-1].number
    if new_number not in by_number:
        raise NoSuchVersion(versions)
    old_number = _version_number(old, versions)
    if old_number is None:
        earlier = [v.number for v in versions if v.number < new_number]
        old_number = earlier[-1] if earlier else new_number
    if old_number not in by_number:
        raise NoSuchVersion(versions)
    older, newer = by_number[old_number], by_number[new_number]
    return VersionComparison(
        versions=versions,
        old=older,
        new=newer,
        rows=compare_versions(old=older, new=newer),
    )


def _version_number(
    value: int | str | None, versions: list[DraftVersion]
) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, int):
        return value
    if value.isascii() and value.isdigit() and len(value) <= 9:
        return int(value)
    raise NoSuchVersion(versions)


def comparison_summary(rows: Sequence[comparison.Row]) -> dict[str, int]:
    """Count the rows of a comparison table by status, with a ``total``."""
    counts = dict.fromkeys(
        (
            comparison.UNCHANGED,
            comparison.CHANGED,
            comparison.ADDED,
            comparison.DELETED,
            comparison.RENUMBERED,
        ),
        0,
    )
    for row in rows:
        counts[row.status] += 1
    counts["total"] = len(rows)
    return counts
