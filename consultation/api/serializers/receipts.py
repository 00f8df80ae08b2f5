"""Receipts: what a receipt code tells anyone about a comment."""

from __future__ import annotations

from rest_framework import serializers

from ...models import Decision


class ReceiptSerializer(serializers.Serializer):
    """What a receipt code tells anyone: the comment and its outcome, no one's name."""

    code = serializers.CharField()
    bill_title = serializers.CharField()
    bill_slug = serializers.CharField()
    version_title = serializers.CharField()
    article_label = serializers.CharField(allow_blank=True)
    text = serializers.CharField()
    corrected = serializers.BooleanField(
        help_text="The text was corrected after it was first recorded."
    )
    submitted_on = serializers.DateField()
    status = serializers.ChoiceField(choices=Decision.choices)
    status_label = serializers.CharField()
    reason_label = serializers.CharField(allow_blank=True)
    explanation = serializers.CharField(allow_blank=True)
    decided_on = serializers.DateField(allow_null=True)
    channel_label = serializers.CharField()
