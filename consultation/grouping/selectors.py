"""Reads of near-duplicate groups for the triage board and the API."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, QuerySet, Sum

from legislation.models import Bill
from legislation.numerals import article_label

from ..models import Channel, Comment, Decision
from . import samepoint
from .models import CommentGroup

# Same-point suggestions compare the largest groups of a bill: the points most
# people made are where a merge saves most work, and the measure stays cheap.
SUGGESTED_GROUPS = 400
MEMBERS_SHOWN = 200


def bill_groups(bill: Bill, *, min_size: int = 1) -> QuerySet[CommentGroup]:
    """A bill's groups, largest first, with their representatives."""
    return (
        CommentGroup.objects.filter(bill=bill, size__gte=min_size)
        .select_related("representative__article")
        .order_by("-size", "pk")
    )


def group_facets(groups: list[CommentGroup]) -> dict[int, dict[str, Any]]:
    """
    For each of ``groups`` (a page): its articles, points, channels and how many
    of its comments are still pending, in one query.
    """
    rows = (
        Comment.objects.filter(signature__group__in=[g.pk for g in groups])
        .values(
            "signature__group",
            "article__number",
            "point__name",
            "consultation__channel",
            "status",
        )
        .annotate(n=Count("pk"))
        .order_by()
    )
    facets: dict[int, dict[str, Any]] = defaultdict(
        lambda: {"articles": set(), "points": set(), "channels": set(), "pending": 0}
    )
    labels = dict(Channel.choices)
    for row in rows:
        f = facets[row["signature__group"]]
        if row["article__number"] is not None:
            f["articles"].add(row["article__number"])
        if row["point__name"]:
            f["points"].add(row["point__name"])
        f["channels"].add(str(labels.get(row["consultation__channel"], "")))
        if row["status"] == Decision.PENDING:
            f["pending"] += row["n"]
    return {
        g: {
            "articles": [article_label(n) for n in sorted(f["articles"])],
            "points": sorted(f["points"]),
            "channels": sorted(f["channels"]),
            "pending": f["pending"],
        }
        for g, f in facets.items()
    }


def group_members(group: CommentGroup) -> QuerySet[Comment]:
    """The comments of ``group``, the representative first, then by id."""
    return (
        Comment.objects.filter(signature__group=group)
        .select_related("article", "point", "consultation", "contributor")
        .order_by("pk")
    )


def same_point_suggestions(bill: Bill) -> dict[int, list[tuple[int, float]]]:
    """
    Group id -> the groups that may make the same point, most similar first
    (among the bill's SUGGESTED_GROUPS largest groups). Suggestions only.
    """
    top = list(
        CommentGroup.objects.filter(bill=bill)
        .order_by("-size", "pk")
        .values_list("pk", "representative__article_id", "representative__text")[
            :SUGGESTED_GROUPS
        ]
    )
    found: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for a, b, score in samepoint.suggest(top):
        found[a].append((b, score))
        found[b].append((a, score))
    return dict(found)


def group_figures(bill: Bill) -> dict[str, Any]:
    """
    The bill's comments counted as the points they make: "1,240 comments
    making 37 points". ``comments`` (grouped), ``groups``, ``repeated`` (groups
    of two or more), and ``by_status``: per decision of the representatives,
    ``{"status", "label", "groups", "comments"}`` (a group counts with all its
    comments under its representative's decision). Two queries.
    """
    labels = dict(Decision.choices)
    rows = list(
        CommentGroup.objects.filter(bill=bill)
        .values("representative__status")
        .annotate(groups=Count("pk"), comments=Sum("size"))
        .order_by("representative__status")
    )
    repeated = CommentGroup.objects.filter(bill=bill, size__gte=2).count()
    return {
        "comments": sum(r["comments"] or 0 for r in rows),
        "groups": sum(r["groups"] for r in rows),
        "repeated": repeated,
        "by_status": [
            {
                "status": r["representative__status"],
                "label": str(labels.get(r["representative__status"], "")),
                "groups": r["groups"],
                "comments": r["comments"] or 0,
            }
            for r in rows
        ],
    }
