"""Open data: published bills with their events, versions and comment outcomes."""

from __future__ import annotations

from rest_framework import serializers

from ...models import Decision


class OpenDataEventSerializer(serializers.Serializer):
    on = serializers.DateField()
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    from_stage = serializers.CharField(allow_blank=True)
    to_stage = serializers.CharField(allow_blank=True)
    meeting = serializers.CharField(allow_blank=True)
    note = serializers.CharField(allow_blank=True)


class OpenDataVersionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    date = serializers.DateField()


class OpenDataOutcomesSerializer(serializers.Serializer):
    """How many of the bill's published comments got each outcome."""

    total = serializers.IntegerField()

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for value, label in Decision.choices:
            fields[value] = serializers.IntegerField(label=label)
        return fields


class OpenDataBillSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    kind = serializers.CharField()
    sponsor = serializers.CharField()
    plan_year = serializers.IntegerField()
    planned_readings = serializers.IntegerField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    announcement_number = serializers.CharField(allow_blank=True)
    effective_on = serializers.DateField(allow_null=True)
    url = serializers.URLField(help_text="The bill's public page.")
    api_url = serializers.URLField()
    events = OpenDataEventSerializer(many=True)
    versions = OpenDataVersionSerializer(many=True)
    comments = OpenDataOutcomesSerializer()


class OpenDataSerializer(serializers.Serializer):
    generated_at = serializers.DateTimeField()
    bills = OpenDataBillSerializer(many=True)
