"""
Comments: the list (kept whole for the public), one comment, entering and
correcting it, and the decisions on one comment or many at once.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from npc.core import roles
from npc.core.apiviews import refused, validated
from npc.core.conditional import expected_number, precondition, with_etag
from npc.core.pagination import CursorPagination

from ... import access, search, selectors, services
from ...filters import CommentFilter
from ...models import Comment
from ..permissions import CanDecide, HasConsultationAccess, InternalOrReadOnly
from ..serializers import (
    BulkDecisionResultSerializer,
    BulkDecisionSerializer,
    CommentDetailSerializer,
    CommentRevisionSerializer,
    CommentRowsSerializer,
    CommentSerializer,
    DecideCommentSerializer,
    EditCommentSerializer,
    EnterCommentSerializer,
    MoveCommentSerializer,
    contributor_changes,
)
from ._common import IF_MATCH, REVISION_ETAG, STALE, _shared


def _unfiltered(queryset: QuerySet, name: str, value: str) -> QuerySet:
    return queryset


class VisibleCommentFilter(CommentFilter):
    """CommentFilter, less the contributor's kind for those who may not see it."""

    def __init__(self, *args: Any, request: Request | None = None, **kwargs: Any):
        super().__init__(*args, request=request, **kwargs)
        if request is None or not roles.is_internal(request.user):
            # Still read, so that a kind that is no choice is refused (400)
            # as the description says, but filtering nothing.
            self.filters["kind"].method = _unfiltered


@extend_schema_view(
    list=extend_schema(
        summary="List comments",
        description="Newest first, by cursor. The public sees comments gathered in "
        "published consultations, without receipt codes or contributors; a clerk "
        "also their points' comments, with them; staff all. Filter kind (the "
        "contributor's) applies for internal users only. A search (q) that "
        "cannot be answered in time gets 503 search_timeout.",
        responses={
            200: CommentSerializer(many=True),
            503: refused("The search took too long; try other or more words."),
        },
    ),
    retrieve=extend_schema(
        summary="Read a comment",
        description="With adopted_into: where an adopted comment was taken up.",
        responses=CommentDetailSerializer,
        extensions=REVISION_ETAG,
    ),
)
class CommentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Comments (意见建议) and the decisions on them."""

    serializer_class = CommentSerializer
    permission_classes = [InternalOrReadOnly]
    filterset_class = VisibleCommentFilter
    pagination_class = CursorPagination
    # The cursor needs a unique ordering; comments order by id only.
    ordering_fields = ["id"]
    ordering = ["-id"]

    def get_queryset(self) -> QuerySet[Comment]:
        return selectors.api_comments(self.request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # The list is the same for every anonymous reader: keep it whole, under
        # the versions of what it shows (a comment entered or decided moves them
        # on). Wrapped here, not in list(): DRF renders in dispatch.
        respond = super().dispatch
        if self.action_map.get(request.method.lower()) != "list":
            return respond(request, *args, **kwargs)
        return _shared(request, lambda: respond(request, *args, **kwargs))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if request.query_params.get("q", "").strip():
            page = search.bounded(self._page)
        else:
            page = self._page()
        context = self.get_serializer_context()
        data = CommentRowsSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def _page(self) -> list[dict[str, Any]]:
        comments = self.filter_queryset(self.get_queryset())
        # Plain rows, read in the one query: 50 model instances with their
        # related objects, each through a dozen serializer fields, cost more
        # than all the SQL of the page.
        rows = selectors.api_comment_rows(
            comments, personal=roles.is_internal(self.request.user)
        )
        return self.paginate_queryset(rows)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        comment = self.get_object()
        data = CommentDetailSerializer(
            comment, context=self.get_serializer_context()
        ).data
        return with_etag(Response(data), comment.revision)

    def _present(self, comment: Comment, code: int = status.HTTP_200_OK) -> Response:
        # Read back as a row of the list: one query, no related instances.
        fresh = selectors.api_comment_rows(
            self.get_queryset().filter(pk=comment.pk),
            personal=roles.is_internal(self.request.user),
        ).get()
        data = CommentRowsSerializer(fresh, context=self.get_serializer_context()).data
        return with_etag(Response(data, status=code), fresh["revision"])

    @extend_schema(
        summary="Enter a comment",
        description="Staff for any consultation; a clerk for their points' (403 "
        "otherwise). The answer carries the receipt code to hand to the "
        "contributor.",
        request=EnterCommentSerializer,
        responses={201: CommentSerializer},
        extensions=REVISION_ETAG,
    )
    def create(self, request: Request) -> Response:
        data = validated(EnterCommentSerializer, request)
        comment = services.enter_comment(
            by=request.user,
            consultation=data["consultation"],
            text=data["text"],
            summary=data["summary"],
            submitted_on=data.get("submitted_on"),
            article=data.get("article"),
            **contributor_changes(data.get("contributor")),
        )
        return self._present(comment, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct a comment",
        description="Send only what changes. Staff any comment; a clerk their "
        "points' comments while pending (403 otherwise). The decision changes "
        "through POST decision.",
        parameters=[IF_MATCH],
        request=EditCommentSerializer,
        responses={200: CommentSerializer, **STALE},
        extensions=REVISION_ETAG,
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        comment = self.get_object()
        data = validated(EditCommentSerializer, request)
        expected = expected_number(
            request, body_value=data.pop("revision", None), current=comment.revision
        )
        changes = contributor_changes(data.pop("contributor", None))
        with precondition(request):
            comment = services.edit_comment(
                comment=comment,
                by=request.user,
                expected_revision=expected,
                **data,
                **changes,
            )
        return self._present(comment)

    @extend_schema(
        summary="Move a comment into another consultation",
        description="For a comment recorded under the wrong consultation: into "
        "another consultation on the same bill (400 invalid_comment otherwise, "
        "or when its article is not in that consultation's draft), which must "
        "accept comments today (409 consultation_closed). Who may correct the "
        "comment and enter comments there may move it.",
        parameters=[IF_MATCH],
        request=MoveCommentSerializer,
        responses={200: CommentSerializer, **STALE},
        extensions=REVISION_ETAG,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def move(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        data = validated(MoveCommentSerializer, request)
        expected = expected_number(
            request, body_value=data.pop("revision", None), current=comment.revision
        )
        with precondition(request):
            comment = services.move_comment(
                comment=comment,
                to=data["consultation"],
                by=request.user,
                expected_revision=expected,
            )
        return self._present(comment)

    @extend_schema(
        summary="A comment's wordings",
        description="The text as first recorded (number 1) and every correction "
        "with its reason, oldest first; empty while the text was never "
        "corrected. Staff, and the clerk of the comment's point (403 otherwise); "
        "the public reads the current text and the corrected flag only.",
        responses={
            200: CommentRevisionSerializer(many=True),
            403: refused("You may not read this comment's revisions."),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        permission_classes=[HasConsultationAccess],
        filter_backends=[],
        pagination_class=None,
    )
    def revisions(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        if not access.can_see_personal_data(request.user, comment):
            raise PermissionDenied
        rows = selectors.comment_revisions(comment)
        return Response(CommentRevisionSerializer(rows, many=True).data)

    @extend_schema(
        summary="Decide on a comment",
        description="Staff only. not_adopted and partially_adopted need a reason; "
        "reason other an explanation; duplicate the comment it repeats (400 "
        "invalid_decision otherwise). Appended to the comment's decision history.",
        parameters=[IF_MATCH],
        request=DecideCommentSerializer,
        responses={200: CommentSerializer, **STALE},
        extensions=REVISION_ETAG,
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[CanDecide],
        filter_backends=[],
    )
    def decision(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        data = validated(DecideCommentSerializer, request)
        expected = expected_number(
            request, body_value=data.pop("revision", None), current=comment.revision
        )
        with precondition(request):
            comment = services.decide_comment(
                comment=comment, by=request.user, expected_revision=expected, **data
            )
        return self._present(comment)

    @extend_schema(
        summary="Decide on many comments at once",
        description="Staff only. One decision, reason and explanation for all; "
        "with revisions, any stale one refuses the whole set (409).",
        request=BulkDecisionSerializer,
        responses={200: BulkDecisionResultSerializer, 409: STALE[409]},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk-decision",
        url_name="bulk-decision",
        permission_classes=[CanDecide],
        filter_backends=[],
        pagination_class=None,
    )
    def bulk_decision(self, request: Request) -> Response:
        data = validated(BulkDecisionSerializer, request)
        decided = services.decide_comments(
            comments=data.pop("comments"),
            by=request.user,
            expected_revisions=data.pop("revisions", None),
            **data,
        )
        return Response(
            {
                "count": len(decided),
                "comments": [{"id": c.pk, "revision": c.revision} for c in decided],
            }
        )
