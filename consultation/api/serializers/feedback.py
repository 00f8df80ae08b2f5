"""Feedback to contributors: as recorded and as read."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from legislation.filters import MAX_INTEGER

from ...models import Feedback, LiaisonPoint


class RecordFeedbackSerializer(serializers.Serializer):
    """Record that contributors (or their point) were told what became of comments."""

    comments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INTEGER),
        min_length=1,
        max_length=10_000,
        help_text="Ids of the comments the feedback covers.",
    )
    channel = serializers.ChoiceField(choices=Feedback.Channel.choices)
    given_on = serializers.DateField()
    text = serializers.CharField(
        max_length=100_000, required=False, allow_blank=True, default=""
    )
    point = serializers.PrimaryKeyRelatedField(
        queryset=LiaisonPoint.objects.all(),
        required=False,
        allow_null=True,
        help_text="The point the feedback went through, if any.",
    )


class FeedbackSerializer(serializers.ModelSerializer):
    channel_display = serializers.CharField(
        source="get_channel_display", read_only=True
    )
    comments = serializers.SerializerMethodField()

    class Meta:
        model = Feedback
        fields = [
            "id",
            "channel",
            "channel_display",
            "given_on",
            "text",
            "point",
            "comments",
            "recorded_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_comments(self, feedback: Feedback) -> list[int]:
        return sorted(c.pk for c in feedback.comments.all())
