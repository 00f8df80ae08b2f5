"""Documents attached to a bill: as read, and as attached."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import Document, Meeting
from ._common import BILL_VERSION_HELP, _stage_or_blank
from .meetings import MeetingRefSerializer


class DocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    stage = _stage_or_blank("The bill's stage when the document was attached.")
    stage_display = serializers.CharField(source="get_stage_display", read_only=True)
    meeting = MeetingRefSerializer(read_only=True, allow_null=True)
    version = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        allow_null=True,
        help_text="Number of the draft version the document concerns.",
    )
    file_url = serializers.SerializerMethodField(help_text="The attached file, if any.")

    class Meta:
        model = Document
        fields = [
            "id",
            "kind",
            "kind_display",
            "title",
            "date",
            "stage",
            "stage_display",
            "meeting",
            "version",
            "text",
            "file_url",
            "is_published",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_file_url(self, document: Document) -> str | None:
        if not document.file:
            return None
        request = self.context.get("request")
        url = document.file.url
        return request.build_absolute_uri(url) if request else url


class AddDocumentSerializer(serializers.Serializer):
    """Attach a document to the bill: its text, an uploaded file, or both."""

    kind = serializers.ChoiceField(choices=Document.Kind.choices, label=_("类别"))
    title = serializers.CharField(max_length=300, label=_("标题"))
    date = serializers.DateField(label=_("日期"))
    text = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=1_000_000
    )
    file = serializers.FileField(
        required=False, allow_null=True, help_text="Multipart requests only."
    )
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), required=False, allow_null=True
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=32767,
        help_text="Number of the draft version the document concerns.",
    )
    is_published = serializers.BooleanField(
        default=True,
        help_text="Published documents show on the public site and the timeline.",
    )
    bill_version = serializers.IntegerField(
        required=False, min_value=1, help_text=BILL_VERSION_HELP
    )

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("text", "").strip() and not attrs.get("file"):
            raise serializers.ValidationError(_("请填写正文或上传附件。"))
        return attrs
