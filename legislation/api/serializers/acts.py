"""The acts that change no stage, one serializer each, and the act that names them."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ...acts import SIDE_ACTS
from ...models import BillEvent, Meeting
from ._common import BILL_VERSION_HELP


class RecordActSerializer(serializers.Serializer):
    """Which act: the rest of the body is that act's (see the act serializers)."""

    act = serializers.ChoiceField(choices=[(a, a) for a in SIDE_ACTS])


class _ActSerializer(serializers.Serializer):
    """The fields every act shares: the act's name, a note, the bill's version."""

    act_name = ""

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = {
            "act": serializers.ChoiceField(
                choices=[(self.act_name, self.act_name)],
                help_text="Names the act (the body's discriminator).",
            )
        }
        fields.update(super().get_fields())
        fields["note"] = serializers.CharField(
            required=False, allow_blank=True, default="", max_length=10_000
        )
        fields["bill_version"] = serializers.IntegerField(
            required=False, min_value=1, help_text=BILL_VERSION_HELP
        )
        return fields


class RecordUnifiedReviewSerializer(_ActSerializer):
    """The legislative affairs committee's unified review (统一审议), during readings."""

    act_name = "unified_review"
    on = serializers.DateField(label=_("日期"))
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=32767,
        help_text="Number of the draft version the review produced or concerns.",
    )


class DeferVoteSerializer(_ActSerializer):
    """The meeting decided not to put the bill to the vote yet (暂不付表决)."""

    act_name = "defer_vote"
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=Meeting.objects.all(), help_text="Meeting id."
    )


class RecordFilingSerializer(_ActSerializer):
    """The regulation was sent for filing (备案), once, after promulgation."""

    act_name = "filing"
    on = serializers.DateField(label=_("日期"))


class ChangePlannedReadingsSerializer(_ActSerializer):
    """Change how many readings the bill will have, until the vote."""

    act_name = "planned_readings"
    planned_readings = serializers.IntegerField(
        min_value=1, max_value=3, label=_("计划审议次数")
    )


class CorrectEventSerializer(_ActSerializer):
    """Correct a timeline entry: the entry stays, the correction is appended."""

    act_name = "correction"
    event = serializers.PrimaryKeyRelatedField(
        queryset=BillEvent.objects.none(), help_text="Id of an event of this bill."
    )

    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        bill = self.context.get("bill")
        if bill is not None:
            fields["event"].queryset = bill.events.all()
        fields["note"] = serializers.CharField(
            max_length=10_000, label=_("更正内容"), help_text="What is corrected."
        )
        return fields


ACT_SERIALIZERS: dict[str, type[_ActSerializer]] = {
    s.act_name: s
    for s in (
        RecordUnifiedReviewSerializer,
        DeferVoteSerializer,
        RecordFilingSerializer,
        ChangePlannedReadingsSerializer,
        CorrectEventSerializer,
    )
}  # one for each of acts.SIDE_ACTS (tests/api/test_acts.py checks it)
