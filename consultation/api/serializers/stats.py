"""Statistics: the year's headline figures, comments and points, and the query."""

from __future__ import annotations

from rest_framework import serializers

from ...models import District
from .points import PointRefSerializer


class GroupCountSerializer(serializers.Serializer):
    key = serializers.JSONField(allow_null=True, help_text="A value, or null: none.")
    label = serializers.CharField(allow_blank=True)
    count = serializers.IntegerField()
    adoption_rate = serializers.FloatField(allow_null=True, required=False)


class PublicSubmissionsSerializer(serializers.Serializer):
    received = serializers.IntegerField(help_text="Submitted online by the public.")
    pending = serializers.IntegerField(help_text="Of those, awaiting moderation.")
    published = serializers.IntegerField()
    withheld = serializers.IntegerField(
        help_text="Not shown to the public (still received and decided)."
    )
    online_by_staff = serializers.IntegerField(
        help_text="Online-channel comments entered or imported by staff."
    )


class CommentStatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    decided = serializers.IntegerField()
    adopted = serializers.IntegerField()
    partially_adopted = serializers.IntegerField()
    adoption_rate = serializers.FloatField(allow_null=True)
    by_status = GroupCountSerializer(many=True)
    by_channel = GroupCountSerializer(many=True)
    by_point = GroupCountSerializer(many=True)
    by_article = GroupCountSerializer(many=True)
    by_kind = GroupCountSerializer(many=True)
    public_submissions = PublicSubmissionsSerializer()


class PointStatsSerializer(serializers.Serializer):
    point = PointRefSerializer()
    district = serializers.ChoiceField(
        source="point.district", choices=District.choices
    )
    consultations = serializers.IntegerField()
    participants = serializers.IntegerField()
    comments = serializers.IntegerField()
    adopted = serializers.IntegerField()
    decided = serializers.IntegerField()
    adoption_rate = serializers.FloatField(allow_null=True)


class HeadlineSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    liaison_points = serializers.IntegerField()
    symposia = serializers.IntegerField()
    consultations = serializers.IntegerField()
    comments = serializers.IntegerField()
    regulations = serializers.IntegerField()
    adoption_rate = serializers.FloatField(allow_null=True)
    meetings = serializers.IntegerField(
        help_text="Standing Committee meetings held in the year."
    )


class StatsSerializer(serializers.Serializer):
    headline = HeadlineSerializer()
    comments = CommentStatsSerializer()
    points = PointStatsSerializer(many=True)


class StatsQuerySerializer(serializers.Serializer):
    year = serializers.IntegerField(
        required=False,
        min_value=1949,
        max_value=2999,
        help_text="Default: the latest year in which a regulation was passed (else "
        "the latest year with a meeting), as on the statistics page.",
    )
    # A slug, looked up by the view: an unknown bill is a 404, not a 400.
    bill = serializers.CharField(
        required=False,
        max_length=200,
        help_text="Count one published bill's comments only (404 if there is "
        "no such published bill).",
    )
