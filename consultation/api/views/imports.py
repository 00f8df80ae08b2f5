"""Imports: spreadsheets of comments started, listed and followed."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from npc.core.apiviews import validated

from ... import selectors, services
from ...filters import ImportFilter
from ...models import ImportBatch
from ..permissions import HasConsultationAccess
from ..serializers import ImportBatchSerializer, StartImportSerializer


@extend_schema_view(
    list=extend_schema(summary="List import batches"),
    retrieve=extend_schema(summary="An import's status, progress and row errors"),
)
class ImportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Spreadsheets of comments, checked whole before any row is written."""

    serializer_class = ImportBatchSerializer
    permission_classes = [HasConsultationAccess]
    # A spreadsheet is uploaded as a file, never as JSON.
    parser_classes = [MultiPartParser]
    filterset_class = ImportFilter
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self) -> QuerySet[ImportBatch]:
        return selectors.api_imports(self.request.user)

    @extend_schema(
        summary="Import a spreadsheet of comments",
        description="Multipart: file (CSV or XLSX) and consultation. Answers 202 at "
        "once with the batch (Location: its URL); GET it for status, progress and "
        "row errors. Any bad row fails the whole batch and writes nothing. A file "
        "whose content is being imported into the consultation, or was imported "
        "into it (unless different_comments is true), is refused with 409 "
        "duplicate_import, naming the earlier batch.",
        request={"multipart/form-data": StartImportSerializer},
        responses={202: ImportBatchSerializer},
    )
    def create(self, request: Request) -> Response:
        data = validated(StartImportSerializer, request)
        batch = services.start_import(
            by=request.user,
            consultation=data["consultation"],
            uploaded_file=data["file"],
            different_comments=data["different_comments"],
        )
        batch.refresh_from_db()
        body = self.get_serializer(batch).data
        return Response(
            body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]}
        )
