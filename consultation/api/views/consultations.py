"""Consultations: listed, read, recorded and changed."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from npc.core.apiviews import validated
from npc.core.conditional import expected_number, precondition, with_etag

from ... import selectors, services
from ...filters import ConsultationFilter
from ...models import Consultation
from ..permissions import CanDecide, InternalOrReadOnly
from ..serializers import (
    ConsultationSerializer,
    RecordConsultationSerializer,
    ReopenConsultationSerializer,
    ReopeningSerializer,
    UpdateConsultationSerializer,
)
from ._common import IF_MATCH, REVISION_ETAG, STALE


@extend_schema_view(
    list=extend_schema(
        summary="List consultations",
        description="Published consultations on published bills; a clerk also "
        "sees their points', staff all.",
    ),
    retrieve=extend_schema(summary="Read a consultation", extensions=REVISION_ETAG),
)
class ConsultationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Consultations (征求意见): one draft, one channel, at a point or not."""

    serializer_class = ConsultationSerializer
    permission_classes = [InternalOrReadOnly]
    filterset_class = ConsultationFilter
    ordering_fields = ["held_on", "opens_on", "closes_on", "id"]
    ordering = ["-held_on", "-opens_on", "-pk"]

    def get_queryset(self) -> QuerySet[Consultation]:
        return selectors.api_consultations(self.request.user)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        consultation = self.get_object()
        data = self.get_serializer(consultation).data
        return with_etag(Response(data), consultation.revision)

    def _present(self, consultation: Consultation, code: int) -> Response:
        fresh = self.get_queryset().get(pk=consultation.pk)
        data = self.get_serializer(fresh).data
        return with_etag(Response(data, status=code), fresh.revision)

    @extend_schema(
        summary="Record a consultation",
        description="Staff anywhere; a clerk at their own points only (403 "
        "otherwise). Appends a consultation_opened event to the bill's timeline.",
        request=RecordConsultationSerializer,
        responses={201: ConsultationSerializer},
        extensions=REVISION_ETAG,
    )
    def create(self, request: Request) -> Response:
        data = validated(RecordConsultationSerializer, request)
        consultation = services.record_consultation(by=request.user, **data)
        return self._present(consultation, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a consultation",
        description="Send only what changes. Bill, version, channel and point are "
        "frozen once it has comments (409 consultation_frozen).",
        parameters=[IF_MATCH],
        request=UpdateConsultationSerializer,
        responses={200: ConsultationSerializer, **STALE},
        extensions=REVISION_ETAG,
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        consultation = self.get_object()
        serializer = UpdateConsultationSerializer(
            data=request.data,
            context={"request": request, "consultation_bill": consultation.bill},
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = expected_number(
            request,
            body_value=data.pop("revision", None),
            current=consultation.revision,
        )
        with precondition(request):
            consultation = services.update_consultation(
                consultation=consultation,
                by=request.user,
                expected_revision=expected,
                **data,
            )
        return self._present(consultation, status.HTTP_200_OK)

    @extend_schema(
        methods=["get"],
        summary="The consultation's reopenings",
        description="Staff only: when it was reopened, until when, by whom, why.",
        responses={200: ReopeningSerializer(many=True)},
    )
    @extend_schema(
        methods=["post"],
        summary="Reopen a closed consultation",
        description="Staff only. A consultation closes after its end date, or "
        "without one once its bill is voted on; then comments can be neither "
        "entered, imported nor moved into it (409 consultation_closed). Reopening "
        "accepts them again until the given day (inclusive), and keeps the reason "
        "(400 invalid_reopening without one, or for a day already past).",
        request=ReopenConsultationSerializer,
        responses={201: ReopeningSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[CanDecide],
        filter_backends=[],
        pagination_class=None,
    )
    def reopenings(self, request: Request, pk: str) -> Response:
        consultation = self.get_object()
        if request.method == "GET":
            rows = consultation.reopenings.select_related("reopened_by").order_by(
                "-reopened_at", "-pk"
            )
            return Response(ReopeningSerializer(rows, many=True).data)
        data = validated(ReopenConsultationSerializer, request)
        reopening = services.reopen_consultation(
            consultation=consultation,
            by=request.user,
            reason=data["reason"],
            until=data["until"],
        )
        return Response(
            ReopeningSerializer(reopening).data, status=status.HTTP_201_CREATED
        )
