"""Draft versions of a bill's text: as listed, in their whole structure, as added."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import Article, Chapter, DraftVersion, Item, Paragraph, Section


class DraftVersionSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = DraftVersion
        fields = [
            "url",
            "number",
            "kind",
            "kind_display",
            "title",
            "date",
            "is_published",
            "numbering_confirmed",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, version: DraftVersion) -> str:
        from django.urls import reverse

        path = reverse(
            "api:bill-version-detail",
            kwargs={"slug": version.bill.slug, "number": version.number},
        )
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = Item
        fields = ["number", "text"]
        read_only_fields = fields


class ParagraphSerializer(serializers.ModelSerializer):
    items = ItemSerializer(many=True, read_only=True)

    class Meta:
        model = Paragraph
        fields = ["position", "text", "items"]
        read_only_fields = fields


class ChapterSerializer(serializers.ModelSerializer):
    class Meta:
        model = Chapter
        fields = ["id", "number", "title"]
        read_only_fields = fields


class SectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Section
        fields = ["id", "chapter", "number", "title"]
        read_only_fields = fields


class ArticleSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="e.g. 第十二条")
    paragraphs = ParagraphSerializer(many=True, read_only=True)

    class Meta:
        model = Article
        fields = [
            "id",
            "number",
            "label",
            "heading",
            "chapter",
            "section",
            "text",
            "lineage",
            "predecessor",
            "paragraphs",
        ]
        read_only_fields = fields


class DraftVersionDetailSerializer(DraftVersionSerializer):
    """A version with its whole structure (load it with ``selectors.version_text``)."""

    preamble = serializers.CharField(read_only=True)
    chapters = ChapterSerializer(many=True, read_only=True)
    sections = SectionSerializer(many=True, read_only=True)
    articles = ArticleSerializer(many=True, read_only=True)

    class Meta(DraftVersionSerializer.Meta):
        fields = [
            *DraftVersionSerializer.Meta.fields,
            "preamble",
            "chapters",
            "sections",
            "articles",
        ]
        read_only_fields = fields


class AddDraftVersionSerializer(serializers.Serializer):
    """Add the next version of a bill's text."""

    text = serializers.CharField(
        max_length=1_000_000,
        help_text="The whole text; articles start with 第一条, 第二条 …",
    )
    title = serializers.CharField(max_length=300)
    kind = serializers.ChoiceField(
        choices=DraftVersion.Kind.choices, default=DraftVersion.Kind.DRAFT
    )
    date = serializers.DateField()
    confirm_numbering = serializers.BooleanField(
        default=False,
        help_text="Save even though the numbering has problems (listed in the 400 "
        "answer with code draft_numbering_problems).",
    )
    is_published = serializers.BooleanField(default=False)


class PublishVersionSerializer(serializers.Serializer):
    is_published = serializers.BooleanField()
