"""Consultations: as read, and as staff or a clerk record and change them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from legislation.models import Bill
from legislation.selectors import visible_bills, visible_versions

from ...models import Channel, Consultation, ConsultationReopening, LiaisonPoint
from .points import PointRefSerializer


class ConsultationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:consultation-detail")
    bill = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    bill_title = serializers.CharField(source="bill.title", read_only=True)
    version = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        help_text="Number of the draft version consulted on.",
    )
    channel_display = serializers.CharField(
        source="get_channel_display", read_only=True
    )
    point = PointRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Consultation
        fields = [
            "url",
            "id",
            "bill",
            "bill_title",
            "version",
            "channel",
            "channel_display",
            "point",
            "title",
            "held_on",
            "opens_on",
            "closes_on",
            "place",
            "participants",
            "summary",
            "is_published",
            "revision",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class _ConsultationInput(serializers.Serializer):
    """The fields of a consultation as staff or a clerk record them."""

    bill = serializers.SlugRelatedField(
        slug_field="slug", queryset=Bill.objects.none(), help_text="The bill's slug."
    )
    version = serializers.IntegerField(
        min_value=1,
        max_value=32767,
        help_text="Number of the bill's draft version consulted on.",
    )
    channel = serializers.ChoiceField(choices=Channel.choices)
    point = serializers.PrimaryKeyRelatedField(
        queryset=LiaisonPoint.objects.all(), required=False, allow_null=True
    )
    title = serializers.CharField(max_length=300)
    held_on = serializers.DateField(required=False, allow_null=True)
    opens_on = serializers.DateField(required=False, allow_null=True)
    closes_on = serializers.DateField(required=False, allow_null=True)
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    participants = serializers.IntegerField(
        min_value=0, max_value=1_000_000, required=False
    )
    summary = serializers.CharField(
        max_length=100_000, required=False, allow_blank=True
    )
    is_published = serializers.BooleanField(required=False)

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["bill"].queryset = visible_bills(request.user)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """Turn the version number into the bill's version (400 if none)."""
        if "version" in attrs:
            bill = attrs.get("bill") or self.context.get("consultation_bill")
            request = self.context["request"]
            version = (
                visible_versions(request.user, bill)
                .filter(number=attrs["version"])
                .first()
            )
            if version is None:
                raise serializers.ValidationError(
                    {"version": [_("该法规案没有这个草案文本。")]}
                )
            attrs["version"] = version
        return attrs


class RecordConsultationSerializer(_ConsultationInput):
    """Record a consultation: a meeting (held_on) or a period (opens/closes on)."""


class UpdateConsultationSerializer(_ConsultationInput):
    """Change a consultation's details; send only what changes."""

    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The revision you read; stale: 409 (or send If-Match: 412).",
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for name, field in fields.items():
            if name != "revision":
                field.required = False
        return fields


class ReopenConsultationSerializer(serializers.Serializer):
    """Open a closed consultation to comments again until a day, saying why."""

    until = serializers.DateField(help_text="Last day comments are accepted.")
    reason = serializers.CharField(help_text="Why it is reopened; kept.")


class ReopeningSerializer(serializers.ModelSerializer):
    reopened_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ConsultationReopening
        fields = ["id", "until", "reason", "reopened_by", "reopened_at"]
        read_only_fields = fields
