"""Meetings of the Standing Committee, in full and as other resources mention them."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import (
    Attendance,
    BillEvent,
    CommitteeMember,
    Meeting,
    MeetingCorrection,
    Vote,
)


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
            "version",
        ]
        read_only_fields = ["version"]


class MeetingRefSerializer(serializers.ModelSerializer):
    """A meeting as other resources mention it."""

    short_name = serializers.CharField(read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "date", "short_name"]
        read_only_fields = fields


class MeetingInputSerializer(serializers.Serializer):
    """A meeting's details as a client sends them; the services decide."""

    term = serializers.IntegerField(label=_("届次"), min_value=1, max_value=100)
    number = serializers.IntegerField(label=_("会次"), min_value=1, max_value=1000)
    date = serializers.DateField(label=_("日期"))
    members = serializers.IntegerField(
        label=_("组成人员总数"), min_value=1, max_value=1000
    )
    place = serializers.CharField(
        label=_("地点"), max_length=200, required=False, allow_blank=True
    )
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="The meeting's version as read (or send If-Match); stale: 409.",
    )


class CorrectMeetingSerializer(serializers.Serializer):
    """Correct the date or number of a meeting on record, with the reason."""

    date = serializers.DateField(required=False, label=_("更正后日期"))
    number = serializers.IntegerField(
        required=False, min_value=1, max_value=1000, label=_("更正后会次")
    )
    reason = serializers.CharField(max_length=2000, label=_("更正理由"))
    version = serializers.IntegerField(required=False, min_value=1)


class RecordAttendanceSerializer(serializers.Serializer):
    """Who of the term's roster attended; members left out are not recorded."""

    class Row(serializers.Serializer):
        member = serializers.IntegerField(min_value=1, help_text="Roster member id.")
        status = serializers.ChoiceField(choices=Attendance.Status.choices)

    attendance = Row(many=True, allow_empty=True)
    version = serializers.IntegerField(required=False, min_value=1)


class CommitteeMemberSerializer(serializers.ModelSerializer):
    position_display = serializers.CharField(
        source="get_position_display", read_only=True
    )

    class Meta:
        model = CommitteeMember
        fields = ["id", "name", "position", "position_display", "note"]
        read_only_fields = fields


class AgendaVoteSerializer(serializers.ModelSerializer):
    carried = serializers.BooleanField(read_only=True)

    class Meta:
        model = Vote
        fields = ["members", "yes", "no", "abstain", "carried"]
        read_only_fields = fields


class AgendaEventSerializer(serializers.ModelSerializer):
    """What the meeting did with a bill: a reading, a review, a vote."""

    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    to_stage_display = serializers.CharField(
        source="get_to_stage_display", read_only=True
    )
    vote = serializers.SerializerMethodField()

    class Meta:
        model = BillEvent
        fields = [
            "id",
            "kind",
            "kind_display",
            "to_stage",
            "to_stage_display",
            "note",
            "vote",
        ]
        read_only_fields = fields

    @extend_schema_field(AgendaVoteSerializer(allow_null=True))
    def get_vote(self, event: BillEvent) -> dict | None:
        vote = getattr(event, "vote", None)
        return AgendaVoteSerializer(vote).data if vote is not None else None


class AgendaBillSerializer(serializers.Serializer):
    slug = serializers.CharField(source="bill.slug")
    title = serializers.CharField(source="bill.title")
    url = serializers.SerializerMethodField(help_text="The bill's public page.")
    events = AgendaEventSerializer(many=True)

    def get_url(self, item: Any) -> str:
        url = item.bill.get_absolute_url()
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


class AttendanceSerializer(serializers.Serializer):
    present = CommitteeMemberSerializer(many=True)
    on_leave = CommitteeMemberSerializer(many=True)
    absent = CommitteeMemberSerializer(many=True)


class MeetingCorrectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = MeetingCorrection
        fields = [
            "id",
            "old_date",
            "new_date",
            "old_number",
            "new_number",
            "reason",
            "corrected_at",
        ]
        read_only_fields = fields


class MeetingDetailSerializer(MeetingSerializer):
    """A meeting with its agenda: every bill read, reviewed or voted at it."""

    agenda = AgendaBillSerializer(many=True, read_only=True)
    attendance = AttendanceSerializer(
        source="attendance_by_status",
        read_only=True,
        allow_null=True,
        help_text="Members by name where attendance was recorded; null otherwise.",
    )
    corrections = MeetingCorrectionSerializer(
        source="recorded_corrections", many=True, read_only=True
    )

    class Meta(MeetingSerializer.Meta):
        fields = [
            *MeetingSerializer.Meta.fields,
            "agenda",
            "attendance",
            "corrections",
        ]
