"""
Standing Committee meetings: read by all, kept by staff through the meeting
services (a meeting on record is frozen; a correction needs a reason).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from npc.core.apiviews import refused, validated
from npc.core.conditional import expected_number, precondition, with_etag
from npc.core.roles import is_legislative_staff

from ... import selectors, services
from ...filters import MeetingFilter
from ...models import Meeting
from ..permissions import StaffOrReadOnly
from ..serializers import (
    CorrectMeetingSerializer,
    MeetingDetailSerializer,
    MeetingInputSerializer,
    MeetingSerializer,
    RecordAttendanceSerializer,
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description='The meeting\'s ETag as read (its version, e.g. "3"). A stale one '
    "gets 412 and nothing is written.",
)
# Operations answering with the meeting's version in ETag (see npc.api).
MEETING_ETAG = {"x-etag": "meeting's version"}
MEETING_TAKEN = refused("Another meeting has the term and number.")
ON_RECORD = refused(
    "meeting_on_record: a reading, review or vote refers to the meeting, so its "
    "term, number and date change only by a correction; members_below_tally: "
    "fewer members than a vote recorded at it counted; conflict: the term and "
    "number are taken, or the meeting changed since you read it."
)
STALE = refused("If-Match does not name the meeting's current version.")
WRITE_RESPONSES = {
    200: MeetingDetailSerializer,
    400: refused("Invalid input."),
    409: ON_RECORD,
    412: STALE,
}


@extend_schema_view(
    list=extend_schema(summary="List the Standing Committee's meetings"),
    retrieve=extend_schema(
        summary="Read a meeting and its agenda",
        extensions=MEETING_ETAG,
        description="The agenda lists every bill read, reviewed or voted at the "
        "meeting (published bills for the public), with what was done and a "
        "vote's tally; attendance lists the members by name where it was "
        "recorded. The meeting's version is in the ETag header.",
        responses={200: MeetingDetailSerializer},
    ),
    destroy=extend_schema(
        summary="Delete a meeting",
        responses={204: None, 409: refused("Readings, votes or events refer to it.")},
    ),
)
class MeetingViewSet(viewsets.ModelViewSet):
    """Standing Committee meetings: read by all, kept by staff."""

    serializer_class = MeetingSerializer
    permission_classes = [StaffOrReadOnly]
    filterset_class = MeetingFilter
    ordering_fields = ["date", "number"]
    ordering = ["date", "number", "pk"]

    def get_queryset(self):  # noqa: ANN201 - a QuerySet[Meeting]
        return Meeting.objects.order_by(*self.ordering)

    def _detail(self, meeting: Meeting, code: int = status.HTTP_200_OK) -> Response:
        """Render ``meeting`` with its agenda, attendance and corrections."""
        meeting.refresh_from_db()
        staff = is_legislative_staff(self.request.user)
        meeting.agenda = selectors.meeting_agenda(meeting, public=not staff)
        attendance = selectors.meeting_attendance(meeting)
        meeting.attendance_by_status = attendance if any(attendance.values()) else None
        meeting.recorded_corrections = list(selectors.meeting_corrections(meeting))
        body = MeetingDetailSerializer(meeting, context={"request": self.request}).data
        return with_etag(Response(body, status=code), meeting.version)

    def _expected(self, meeting: Meeting, body_value: int | None) -> int | None:
        return expected_number(
            self.request, body_value=body_value, current=meeting.version
        )

    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        return self._detail(self.get_object())

    @extend_schema(
        summary="Add a meeting",
        extensions=MEETING_ETAG,
        request=MeetingInputSerializer,
        responses={201: MeetingDetailSerializer, 409: MEETING_TAKEN},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = validated(MeetingInputSerializer, request)
        data.pop("version", None)
        meeting = services.create_meeting(by=request.user, **data)
        return self._detail(meeting, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Replace a meeting's details",
        extensions=MEETING_ETAG,
        description="A meeting on record keeps its term, number and date (409 "
        "meeting_on_record: POST a correction instead) and never has fewer "
        "members than a recorded tally (409 members_below_tally).",
        parameters=[IF_MATCH],
        request=MeetingInputSerializer,
        responses=WRITE_RESPONSES,
    )
    def update(self, request: Request, *args, **kwargs) -> Response:
        partial = kwargs.get("partial", False)
        meeting = self.get_object()
        data = validated(MeetingInputSerializer, request, partial=partial)
        expected = self._expected(meeting, data.pop("version", None))
        with precondition(request):
            meeting = services.update_meeting(
                meeting=meeting, by=request.user, expected_version=expected, **data
            )
        return self._detail(meeting)

    @extend_schema(
        summary="Change a meeting's details",
        extensions=MEETING_ETAG,
        description="Send only the fields that change; the rules of the full "
        "update apply.",
        parameters=[IF_MATCH],
        request=MeetingInputSerializer,
        responses=WRITE_RESPONSES,
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        return self.update(request, *args, partial=True, **kwargs)

    @extend_schema(
        summary="Correct a meeting on record",
        extensions=MEETING_ETAG,
        description="Correct its date or number with the reason (required). The "
        "timeline entries that show the meeting's date move with it and each "
        "bill concerned gets a correction entry; a new date that would put a "
        "bill's readings out of order is refused (400 meeting_out_of_order).",
        parameters=[IF_MATCH],
        request=CorrectMeetingSerializer,
        responses={
            201: MeetingDetailSerializer,
            400: refused("No reason, nothing to correct, or out of order."),
            409: MEETING_TAKEN,
            412: STALE,
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def correction(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = validated(CorrectMeetingSerializer, request)
        expected = self._expected(meeting, data.pop("version", None))
        with precondition(request):
            services.correct_meeting(
                meeting=meeting, by=request.user, expected_version=expected, **data
            )
        return self._detail(meeting, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Record who attended a meeting",
        extensions=MEETING_ETAG,
        description="By name, from the term's roster; optional beside the numbers. "
        "Replaces what was recorded; an empty list clears it.",
        parameters=[IF_MATCH],
        request=RecordAttendanceSerializer,
        responses={
            200: MeetingDetailSerializer,
            400: refused("Not of the term's roster, or more than the members."),
            409: refused("Fewer present than a recorded tally."),
            412: STALE,
        },
    )
    @action(detail=True, methods=["put"], filter_backends=[])
    def attendance(self, request: Request, pk: str) -> Response:
        meeting = self.get_object()
        data = validated(RecordAttendanceSerializer, request)
        expected = self._expected(meeting, data.get("version"))
        statuses = {row["member"]: row["status"] for row in data["attendance"]}
        with precondition(request):
            services.record_attendance(
                meeting=meeting,
                by=request.user,
                statuses=statuses,
                expected_version=expected,
            )
        return self._detail(meeting)
