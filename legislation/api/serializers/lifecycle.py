"""
A bill's way through its stages: the timeline's entries, a move to the next
stage, and the vote.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ...models import BillEvent, Meeting, Stage, Vote
from ._common import _stage_or_blank
from .meetings import MeetingRefSerializer


class BillEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    from_stage = _stage_or_blank("Empty for an event that changes no stage.")
    to_stage = _stage_or_blank("Empty for an event that changes no stage.")
    from_stage_display = serializers.CharField(
        source="get_from_stage_display", read_only=True
    )
    to_stage_display = serializers.CharField(
        source="get_to_stage_display", read_only=True
    )
    meeting = MeetingRefSerializer(read_only=True, allow_null=True)
    version = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        allow_null=True,
        help_text="Number of the draft version the event concerns.",
    )
    corrects = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = BillEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "on",
            "from_stage",
            "from_stage_display",
            "to_stage",
            "to_stage_display",
            "meeting",
            "version",
            "note",
            "corrects",
            "recorded_at",
        ]
        read_only_fields = fields


class AdvanceBillSerializer(serializers.Serializer):
    """Move a bill to its next stage (every move but the vote)."""

    to = serializers.ChoiceField(choices=Stage.choices, label=_("目标阶段"))
    on = serializers.DateField(
        required=False, help_text="Date of the step; a reading takes its meeting's."
    )
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(),
        required=False,
        allow_null=True,
        help_text="Meeting id; required for a reading.",
    )
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=32767,
        help_text="Number of the draft version read at a reading.",
    )
    note = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Note; the reason, for a withdrawal or termination.",
    )
    announcement_number = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=50
    )
    effective_on = serializers.DateField(
        required=False, allow_null=True, help_text="Required for promulgation."
    )


class RecordVoteSerializer(serializers.Serializer):
    """Record the vote on a bill at a meeting."""

    meeting = serializers.PrimaryKeyRelatedField(queryset=Meeting.objects.all())
    yes = serializers.IntegerField(min_value=0, max_value=32767, label=_("赞成"))
    no = serializers.IntegerField(min_value=0, max_value=32767, label=_("反对"))
    abstain = serializers.IntegerField(min_value=0, max_value=32767, label=_("弃权"))
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=32767,
        help_text="Number of the draft version voted on (表决稿).",
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    undecided_reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Required while comments on the bill are undecided (409 "
        "undecided_comments, naming how many, otherwise): why they were not "
        "decided before the vote. The public reads it on those comments.",
    )


class VoteSerializer(serializers.ModelSerializer):
    meeting = MeetingRefSerializer(read_only=True)
    not_voting = serializers.IntegerField(read_only=True)
    carried = serializers.BooleanField(
        read_only=True, help_text="More than half of ALL members voted yes."
    )

    class Meta:
        model = Vote
        fields = [
            "id",
            "meeting",
            "members",
            "yes",
            "no",
            "abstain",
            "not_voting",
            "carried",
            "event",
            "recorded_at",
            "undecided_comments",
            "undecided_reason",
        ]
        read_only_fields = fields
