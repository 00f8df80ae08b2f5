"""
How two versions relate: the comparison table (修改对照表) and which article
of an earlier version each article continues.
"""

from __future__ import annotations

from rest_framework import serializers

from ...models import Article
from ._common import BILL_VERSION_HELP
from .versions import DraftVersionSerializer


class ComparedArticleSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="key")
    number = serializers.IntegerField()
    suffix = serializers.IntegerField(help_text="第十二条之一: 1; 0 otherwise")
    label = serializers.CharField()
    text = serializers.CharField()


class SegmentSerializer(serializers.Serializer):
    op = serializers.ChoiceField(choices=["equal", "insert", "delete"])
    text = serializers.CharField()


class ComparisonRowSerializer(serializers.Serializer):
    """One line of the comparison table (修改对照表)."""

    status = serializers.ChoiceField(
        choices=["unchanged", "changed", "added", "deleted", "renumbered"]
    )
    old = ComparedArticleSerializer(allow_null=True)
    new = ComparedArticleSerializer(allow_null=True)
    renumbered = serializers.BooleanField()
    moved = serializers.BooleanField()
    similarity = serializers.FloatField()
    old_segments = SegmentSerializer(many=True)
    new_segments = SegmentSerializer(many=True)
    split_from = ComparedArticleSerializer(
        allow_null=True,
        help_text="For an added article: the old article it was split off.",
    )
    merged_into = ComparedArticleSerializer(
        allow_null=True,
        help_text="For a deleted article: the new article it was merged into.",
    )


class ComparisonSerializer(serializers.Serializer):
    old = DraftVersionSerializer(source="old_version")
    new = DraftVersionSerializer(source="new_version")
    rows = ComparisonRowSerializer(many=True)


class CompareQuerySerializer(serializers.Serializer):
    """Which two versions to compare, by number; the latest two when left out."""

    from_ = serializers.IntegerField(required=False, min_value=1, max_value=32767)
    to = serializers.IntegerField(required=False, min_value=1, max_value=32767)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields


class AlignArticleSerializer(serializers.Serializer):
    """Say which article of an earlier version this article continues."""

    predecessor = serializers.PrimaryKeyRelatedField(
        queryset=Article.objects.select_related("version"),
        allow_null=True,
        help_text="Id of the article of an earlier version of this bill that this "
        "article continues; null for a new article.",
    )
    bill_version = serializers.IntegerField(
        required=False, min_value=1, help_text=BILL_VERSION_HELP
    )


class ArticleAlignmentSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True, help_text="e.g. 第十二条")

    class Meta:
        model = Article
        fields = [
            "id",
            "number",
            "label",
            "lineage",
            "predecessor",
            "similarity",
            "aligned_by_hand",
        ]
        read_only_fields = fields
