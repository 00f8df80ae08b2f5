"""Documents built in the background: request one, follow its progress, download it."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request

from npc.core.roles import is_legislative_staff

from ...models import DocumentJob


class RequestDocumentSerializer(serializers.Serializer):
    """Which document to build: its kind, format and what it is of."""

    kind = serializers.ChoiceField(choices=DocumentJob.Kind.choices)
    format = serializers.ChoiceField(choices=["docx", "xlsx"], default="docx")
    from_ = serializers.IntegerField(required=False, min_value=1, max_value=32767)
    to = serializers.IntegerField(required=False, min_value=1, max_value=32767)
    renumbered = serializers.ChoiceField(choices=["fold", "list"], default="fold")
    by = serializers.ChoiceField(choices=["point", "contributor"], default="point")

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class DocumentJobSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:document-job-detail")
    download = serializers.SerializerMethodField(
        help_text="Where to download the document, once done."
    )

    class Meta:
        model = DocumentJob
        fields = [
            "url",
            "id",
            "kind",
            "format",
            "params",
            "status",
            "progress",
            "download",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_download(self, job: DocumentJob) -> str | None:
        if job.status != DocumentJob.Status.DONE:
            return None
        request = self.context.get("request")
        path = f"/api/v1/document-jobs/{job.pk}/download/"
        return request.build_absolute_uri(path) if request else path


class StaffOnly(permissions.BasePermission):
    def has_permission(self, request: Request, view: object) -> bool:
        return is_legislative_staff(request.user)


class DocumentJobViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Documents built in the background (staff only): progress, then download."""

    serializer_class = DocumentJobSerializer
    permission_classes = [StaffOnly]
    queryset = DocumentJob.objects.all()
    filter_backends: list = []

    @extend_schema(
        summary="Download a document built in the background",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
            404: OpenApiResponse(description="No such job, or not done yet."),
        },
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        job = self.get_object()
        if job.status != DocumentJob.Status.DONE or not job.file:
            raise NotFound("The document is not ready.")
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=f"{job.bill.slug}-{job.kind}.{job.format}",
        )
