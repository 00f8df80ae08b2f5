"""Near-duplicate comment groups: the list, one group, and the acts on a group."""

from __future__ import annotations

from rest_framework import serializers

from legislation.filters import MAX_INTEGER

from ...grouping.forms import GROUP_DECISIONS
from ...models import Reason

_ID = {"min_value": 1, "max_value": MAX_INTEGER}


class GroupFacetsSerializer(serializers.Serializer):
    articles = serializers.ListField(child=serializers.CharField())
    points = serializers.ListField(child=serializers.CharField())
    channels = serializers.ListField(child=serializers.CharField())
    pending = serializers.IntegerField()


class CommentGroupSerializer(serializers.Serializer):
    """A group as listed: size, revision, its representative, where it came from."""

    id = serializers.IntegerField()
    size = serializers.IntegerField()
    revision = serializers.IntegerField()
    representative = serializers.IntegerField(source="representative_id")
    text = serializers.CharField(source="representative.text")
    status = serializers.CharField(source="representative.status")
    facets = GroupFacetsSerializer()


class GroupMemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    receipt_code = serializers.CharField()
    text = serializers.CharField()
    article = serializers.CharField(source="article.label", default=None)
    channel = serializers.CharField(source="consultation.channel")
    point = serializers.CharField(source="point.name", default=None)
    status = serializers.CharField()
    revision = serializers.IntegerField()


class SuggestionSerializer(serializers.Serializer):
    group = serializers.IntegerField()
    size = serializers.IntegerField()
    text = serializers.CharField()
    similarity = serializers.FloatField()


class CommentGroupDetailSerializer(CommentGroupSerializer):
    """One group with its comments (the first 200) and same-point suggestions."""

    members = GroupMemberSerializer(many=True, source="member_rows")
    suggestions = SuggestionSerializer(many=True)


class GroupFiguresSerializer(serializers.Serializer):
    comments = serializers.IntegerField()
    groups = serializers.IntegerField()
    repeated = serializers.IntegerField()
    by_status = serializers.ListField(child=serializers.DictField())


class DecideGroupSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=GROUP_DECISIONS)
    reason = serializers.ChoiceField(
        choices=Reason.choices, required=False, allow_blank=True, default=""
    )
    explanation = serializers.CharField(
        max_length=100_000, required=False, allow_blank=True, default=""
    )
    # Where the representative was taken up, as for a bulk decision.
    articles = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INTEGER),
        required=False,
        max_length=200,
        help_text="For adopted and partially_adopted: ids of the articles of a "
        "later version of the bill that took the group's point up.",
    )
    elsewhere = serializers.CharField(
        max_length=2000,
        required=False,
        allow_blank=True,
        default="",
        help_text="Not in the text: what was done instead.",
    )
    revision = serializers.IntegerField(
        help_text="The group's revision as you read it; a stale one gets 409.", **_ID
    )


class GroupDecisionResultSerializer(serializers.Serializer):
    group = serializers.IntegerField()
    count = serializers.IntegerField()
    comments = serializers.ListField(child=serializers.DictField())


class ChangeGroupSerializer(serializers.Serializer):
    """remove: comment; move: comment and to; merge: to (the group to merge into)."""

    comment = serializers.IntegerField(required=False, **_ID)
    to = serializers.IntegerField(required=False, **_ID)
    revision = serializers.IntegerField(**_ID)
