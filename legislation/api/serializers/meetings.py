"""Meetings of the Standing Committee, in full and as other resources mention them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ...models import Meeting


class MeetingSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    short_name = serializers.CharField(read_only=True)
    members = serializers.IntegerField(
        label=_("组成人员总数"), min_value=1, max_value=1000
    )
    term = serializers.IntegerField(label=_("届次"), min_value=1, max_value=100)
    number = serializers.IntegerField(label=_("会次"), min_value=1, max_value=1000)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "term",
            "number",
            "date",
            "members",
            "place",
            "name",
            "short_name",
        ]


class MeetingRefSerializer(serializers.ModelSerializer):
    """A meeting as other resources mention it."""

    short_name = serializers.CharField(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "date", "short_name"]
        read_only_fields = fields
