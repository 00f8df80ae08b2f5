"""Imports of spreadsheets of comments: the batch, its row errors, the upload."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import Consultation, ImportBatch


class ImportErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="Spreadsheet row.")
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class ImportBatchSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:import-detail")
    status_display = serializers.CharField(source="get_state_display", read_only=True)
    stalled = serializers.BooleanField(
        read_only=True,
        help_text="Running, but its worker went silent: being retried on its own.",
    )
    progress = serializers.IntegerField(read_only=True, help_text="Per cent.")
    errors = ImportErrorSerializer(many=True, read_only=True)

    class Meta:
        model = ImportBatch
        fields = [
            "url",
            "id",
            "consultation",
            "original_name",
            "status",
            "status_display",
            "stalled",
            "total_rows",
            "processed_rows",
            "progress",
            "created_count",
            "error_count",
            "errors",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields


@extend_schema_field({"type": "string", "format": "binary", "minLength": 1})
class _NonEmptyFileField(serializers.FileField):
    """An uploaded file of at least one byte (an empty one is refused)."""


class StartImportSerializer(serializers.Serializer):
    """A CSV or XLSX file of comments for one consultation (multipart)."""

    file = _NonEmptyFileField(help_text="CSV (UTF-8 or GB18030) or XLSX.")
    consultation = serializers.PrimaryKeyRelatedField(
        queryset=Consultation.objects.all()
    )
    different_comments = serializers.BooleanField(
        default=False,
        help_text="Import even though a file with the same content was imported "
        "into the consultation before (the clerk confirms it holds other comments).",
    )
