"""A bill's near-duplicate comment groups, and deciding or changing a group."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from legislation.models import Bill
from legislation.selectors import visible_bills
from npc.core.apiviews import refused, validated

from ...grouping import decisions
from ...grouping import selectors as groups
from ...grouping.models import CommentGroup
from ..permissions import CanDecide
from ..serializers.groups import (
    ChangeGroupSerializer,
    CommentGroupDetailSerializer,
    CommentGroupSerializer,
    DecideGroupSerializer,
    GroupDecisionResultSerializer,
)

STALE_GROUP = {
    409: refused(
        "stale_group: a comment joined, left or was decided since you read the "
        "group (its revision); nothing was written."
    )
}
SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH, description="The bill.")


@extend_schema_view(
    list=extend_schema(
        summary="List a bill's comment groups",
        description="Staff only. Near-duplicate groups, largest first, each with "
        "its representative, articles, points, channels and pending count; "
        "``figures`` counts the comments as the points they make. min_size "
        "leaves out smaller groups.",
        parameters=[
            SLUG,
            OpenApiParameter(
                "min_size",
                {"type": "integer", "minimum": 1, "maximum": 999_999_999},
                description="Groups of at least this many comments (default 1).",
            ),
        ],
    ),
    retrieve=extend_schema(
        summary="Read a comment group",
        description="Its comments (the first 200) and the groups that may make "
        "the same point (suggestions only).",
        parameters=[SLUG],
        responses={200: CommentGroupDetailSerializer},
    ),
)
class CommentGroupViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Near-duplicate groups of a bill's comments (相似意见组)."""

    serializer_class = CommentGroupSerializer
    permission_classes = [CanDecide]
    filter_backends: list = []
    lookup_value_regex = "[0-9]{1,18}"

    def bill(self) -> Bill:
        if not hasattr(self, "_bill"):
            self._bill = get_object_or_404(
                visible_bills(self.request.user), slug=self.kwargs["slug"]
            )
        return self._bill

    def get_queryset(self) -> QuerySet[CommentGroup]:
        raw = self.request.query_params.get("min_size", "1")
        if not (raw.isascii() and raw.isdigit()) or len(raw) > 9 or int(raw) < 1:
            raise serializers.ValidationError(
                {"min_size": [_("应为 1 至 999999999 的整数。")]}
            )
        return groups.bill_groups(self.bill(), min_size=int(raw))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        facets = groups.group_facets(page)
        for group in page:
            group.facets = facets.get(group.pk, {})
        response = self.get_paginated_response(
            CommentGroupSerializer(page, many=True).data
        )
        response.data["figures"] = groups.group_figures(self.bill())
        return response

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        group = self.get_object()
        group.facets = groups.group_facets([group]).get(group.pk, {})
        group.member_rows = list(groups.group_members(group)[: groups.MEMBERS_SHOWN])
        found = groups.same_point_suggestions(self.bill()).get(group.pk, [])
        others = {
            g.pk: g
            for g in groups.bill_groups(self.bill()).filter(
                pk__in=[pk for pk, _s in found]
            )
        }
        group.suggestions = [
            {
                "group": pk,
                "size": others[pk].size,
                "text": others[pk].representative.text,
                "similarity": score,
            }
            for pk, score in found
            if pk in others
        ]
        return Response(CommentGroupDetailSerializer(group).data)

    def _present(self, group: CommentGroup) -> Response:
        group = groups.bill_groups(self.bill()).get(pk=group.pk)
        group.facets = groups.group_facets([group]).get(group.pk, {})
        return Response(CommentGroupSerializer(group).data)

    @extend_schema(
        summary="Decide a whole group",
        description="Staff only. The representative gets the decision, every "
        "other comment of the group is marked its duplicate; each gets a decision "
        "record. The rules are those of a bulk decision (400 invalid_decision); "
        "a group that changed since its revision was read is refused (409).",
        parameters=[SLUG],
        request=DecideGroupSerializer,
        responses={200: GroupDecisionResultSerializer, **STALE_GROUP},
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def decision(self, request: Request, slug: str, pk: str) -> Response:
        group = self.get_object()
        data = validated(DecideGroupSerializer, request)
        decided = decisions.decide_group(
            group=group,
            by=request.user,
            status=data["status"],
            reason=data["reason"],
            explanation=data["explanation"],
            articles=data.get("articles"),
            elsewhere=data["elsewhere"],
            expected_revision=data["revision"],
        )
        return Response(
            {
                "group": group.pk,
                "count": len(decided),
                "comments": [
                    {"id": c.pk, "status": c.status, "revision": c.revision}
                    for c in decided
                ],
            }
        )

    @extend_schema(
        summary="Take a comment out of a group",
        description="It leads a group of its own (answered). 409 if stale.",
        parameters=[SLUG],
        request=ChangeGroupSerializer,
        responses={200: CommentGroupSerializer, **STALE_GROUP},
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def remove(self, request: Request, slug: str, pk: str) -> Response:
        group = self.get_object()
        data = validated(ChangeGroupSerializer, request)
        if not data.get("comment"):
            raise serializers.ValidationError({"comment": [_("必填。")]})
        alone = decisions.remove_from_group(
            group=group,
            comment=data["comment"],
            by=request.user,
            expected_revision=data["revision"],
        )
        return self._present(alone)

    @extend_schema(
        summary="Move a comment to another group of the bill",
        description="The target group is answered. 409 if stale.",
        parameters=[SLUG],
        request=ChangeGroupSerializer,
        responses={200: CommentGroupSerializer, **STALE_GROUP},
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def move(self, request: Request, slug: str, pk: str) -> Response:
        group = self.get_object()
        data = validated(ChangeGroupSerializer, request)
        if not data.get("comment") or not data.get("to"):
            raise serializers.ValidationError({"to": [_("comment 与 to 均为必填。")]})
        to = get_object_or_404(self.get_queryset(), pk=data["to"])
        target = decisions.move_to_group(
            group=group,
            comment=data["comment"],
            to=to,
            by=request.user,
            expected_revisions={group.pk: data["revision"]},
        )
        return self._present(target)

    @extend_schema(
        summary="Merge a group into another (a same-point suggestion accepted)",
        description="Every comment moves to ``to``, answered. 409 if stale.",
        parameters=[SLUG],
        request=ChangeGroupSerializer,
        responses={200: CommentGroupSerializer, **STALE_GROUP},
    )
    @action(detail=True, methods=["post"], pagination_class=None)
    def merge(self, request: Request, slug: str, pk: str) -> Response:
        group = self.get_object()
        data = validated(ChangeGroupSerializer, request)
        if not data.get("to"):
            raise serializers.ValidationError({"to": [_("必填。")]})
        into = get_object_or_404(self.get_queryset(), pk=data["to"])
        target = decisions.merge_groups(
            group=group,
            into=into,
            by=request.user,
            expected_revisions={group.pk: data["revision"]},
        )
        return self._present(target)
