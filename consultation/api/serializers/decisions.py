"""Decisions on comments: on one, on many at once, and what a bulk decision did."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from legislation.filters import MAX_INTEGER

from ...models import Comment, Decision, Reason


class _DecisionFields(serializers.Serializer):
    status = serializers.ChoiceField(choices=Decision.choices)
    reason = serializers.ChoiceField(
        choices=Reason.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required for not_adopted and partially_adopted.",
    )
    explanation = serializers.CharField(
        max_length=100_000, required=False, allow_blank=True, default=""
    )
    duplicate_of = serializers.PrimaryKeyRelatedField(
        queryset=Comment.objects.all(),
        required=False,
        allow_null=True,
        help_text="For duplicate: the comment this one repeats.",
    )


class DecideCommentSerializer(_DecisionFields):
    """Decide on one comment."""

    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The revision you read; stale: 409 (or send If-Match: 412).",
    )


class BulkDecisionSerializer(_DecisionFields):
    """Decide on many comments at once, with one reason and explanation."""

    comments = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INTEGER),
        min_length=1,
        max_length=10_000,
        help_text="Ids of the comments.",
    )
    revisions = serializers.DictField(
        child=serializers.IntegerField(min_value=1),
        required=False,
        help_text="Optional {comment id: revision read}; if any is stale, nothing "
        "is written (409).",
    )

    def validate_revisions(self, value: dict[str, int]) -> dict[int, int]:
        try:
            return {int(key): revision for key, revision in value.items()}
        except ValueError as exc:
            raise serializers.ValidationError(_("键须为意见编号。")) from exc


class BulkDecisionResultSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    comments = serializers.ListField(
        child=serializers.DictField(child=serializers.IntegerField()),
        help_text="[{id, revision}] of each comment decided.",
    )
