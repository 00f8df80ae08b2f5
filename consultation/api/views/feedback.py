"""Feedback to contributors: recorded by staff, or by a clerk for their points."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from npc.core.apiviews import validated

from ... import services
from ...models import Feedback
from ..permissions import HasConsultationAccess
from ..serializers import FeedbackSerializer, RecordFeedbackSerializer


class FeedbackViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Feedback to contributors: staff for any comment, a clerk for their points'."""

    serializer_class = FeedbackSerializer
    permission_classes = [HasConsultationAccess]

    def get_queryset(self) -> QuerySet:
        return Feedback.objects.none()

    @extend_schema(
        summary="Record feedback",
        description="How and when the contributors of some comments, or their "
        "point, were told what became of them. One feedback covers many comments. "
        "A clerk only for their points' comments (403 otherwise); not in the "
        "future (400 invalid_feedback).",
        request=RecordFeedbackSerializer,
        responses={201: FeedbackSerializer},
    )
    def create(self, request: Request) -> Response:
        data = validated(RecordFeedbackSerializer, request)
        feedback = services.record_feedback(by=request.user, **data)
        body = FeedbackSerializer(feedback).data
        return Response(body, status=status.HTTP_201_CREATED)
