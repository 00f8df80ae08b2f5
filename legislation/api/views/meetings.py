"""Standing Committee meetings: plain records, read by all, kept by staff."""

from __future__ import annotations

from drf_spectacular.utils import (
    extend_schema,
    extend_schema_view,
)
from rest_framework import viewsets

from npc.core.apiviews import refused

from ...filters import MeetingFilter
from ...models import Meeting
from ..permissions import StaffOrReadOnly
from ..serializers import (
    MeetingSerializer,
)

MEETING_TAKEN = refused("Another meeting has the term and number.")


@extend_schema_view(
    list=extend_schema(summary="List the Standing Committee's meetings"),
    retrieve=extend_schema(summary="Read a meeting"),
    create=extend_schema(
        summary="Add a meeting",
        responses={201: MeetingSerializer, 409: MEETING_TAKEN},
    ),
    update=extend_schema(
        summary="Replace a meeting",
        responses={200: MeetingSerializer, 409: MEETING_TAKEN},
    ),
    partial_update=extend_schema(
        summary="Change a meeting",
        responses={200: MeetingSerializer, 409: MEETING_TAKEN},
    ),
    destroy=extend_schema(
        summary="Delete a meeting",
        responses={204: None, 409: refused("Readings, votes or events refer to it.")},
    ),
)
class MeetingViewSet(viewsets.ModelViewSet):
    """Standing Committee meetings: plain records, read by all, kept by staff."""

    serializer_class = MeetingSerializer
    permission_classes = [StaffOrReadOnly]
    filterset_class = MeetingFilter
    ordering_fields = ["date", "number"]
    ordering = ["date", "number", "pk"]

    def get_queryset(self):  # noqa: ANN201 - a QuerySet[Meeting]
        return Meeting.objects.order_by(*self.ordering)
