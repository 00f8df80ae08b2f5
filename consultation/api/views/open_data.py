"""Open data: all published bills, as a JSON file and as a CSV file."""

from __future__ import annotations

import codecs
import csv
import io
from typing import Any

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import renderers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from legislation.models import Stage

from ... import selectors
from ...exports import neutralise
from ...models import Decision
from ..serializers import OpenDataSerializer


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(
        self, data: Any, accepted_media_type: Any = None, renderer_context: Any = None
    ) -> bytes:
        return data if isinstance(data, bytes) else str(data).encode()


OUTCOMES = [value for value, _label in Decision.choices]


def _open_data(request: Request) -> list[dict[str, Any]]:
    bills = []
    for bill, outcomes in selectors.open_data_bills():
        bills.append(
            {
                "slug": bill.slug,
                "title": bill.title,
                "kind": bill.kind,
                "sponsor": bill.sponsor,
                "plan_year": bill.plan_year,
                "planned_readings": bill.planned_readings,
                "stage": bill.stage,
                "stage_label": str(Stage(bill.stage).label),
                "announcement_number": bill.announcement_number,
                "effective_on": bill.effective_on,
                "url": request.build_absolute_uri(bill.get_absolute_url()),
                "api_url": request.build_absolute_uri(
                    reverse("api:bill-detail", kwargs={"slug": bill.slug})
                ),
                "events": [
                    {
                        "on": event.on,
                        "kind": event.kind,
                        "kind_label": event.get_kind_display(),
                        "from_stage": event.from_stage,
                        "to_stage": event.to_stage,
                        "meeting": event.meeting.name if event.meeting else "",
                        "note": event.note,
                    }
                    for event in bill.public_events
                ],
                "versions": [
                    {
                        "number": version.number,
                        "kind": version.kind,
                        "title": version.title,
                        "date": version.date,
                    }
                    for version in bill.public_versions
                ],
                "comments": {
                    "total": sum(outcomes.values()),
                    **{value: outcomes.get(value, 0) for value in OUTCOMES},
                },
            }
        )
    return bills


class _OwnFormat:
    """Answer in the view's first renderer's format, whatever Accept says."""

    def select_parser(self, request: Request, parsers: list) -> Any:
        return parsers[0] if parsers else None

    def select_renderer(
        self, request: Request, renderers_: list, format_suffix: str | None = None
    ) -> tuple:
        return renderers_[0], renderers_[0].media_type


def _attachment(response: HttpResponse | Response, name: str) -> Any:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class OpenDataJSONView(APIView):
    """All published bills with their events, versions and comment outcomes."""

    permission_classes: list = []
    renderer_classes = [renderers.JSONRenderer]
    content_negotiation_class = _OwnFormat

    @extend_schema(
        operation_id="open_data_bills_json",
        summary="Open data: all published bills (JSON)",
        description="Each published bill with its public timeline, its published "
        "versions and how many comments got each outcome. No personal data.",
        responses={200: OpenDataSerializer},
    )
    def get(self, request: Request) -> Response:
        data = {"generated_at": timezone.now(), "bills": _open_data(request)}
        return _attachment(Response(OpenDataSerializer(data).data), "bills.json")


class OpenDataCSVView(APIView):
    """The open-data bills as one CSV row each (UTF-8 with BOM, for Excel)."""

    permission_classes: list = []
    renderer_classes = [CSVRenderer]
    content_negotiation_class = _OwnFormat

    def handle_exception(self, exc: Exception) -> Response:
        # A refusal (a bad token, too many requests) answers in the API's JSON
        # error format, as its description says, not as a CSV file.
        response = super().handle_exception(exc)
        self.request.accepted_renderer = renderers.JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response

    @extend_schema(
        operation_id="open_data_bills_csv",
        summary="Open data: all published bills (CSV)",
        description="One row per bill; its timeline and versions in one cell each "
        "(entries separated by line breaks); one column per comment outcome.",
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)},
    )
    def get(self, request: Request) -> HttpResponse:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(
            [
                "slug",
                "title",
                "kind",
                "sponsor",
                "plan_year",
                "planned_readings",
                "stage",
                "announcement_number",
                "effective_on",
                "url",
                "events",
                "versions",
                "comments_total",
                *(f"comments_{value}" for value in OUTCOMES),
            ]
        )
        for bill in OpenDataSerializer(
            {"generated_at": timezone.now(), "bills": _open_data(request)}
        ).data["bills"]:
            events = "\n".join(
                f"{e['on']} {e['kind_label']}"
                + (f"（{e['meeting']}）" if e["meeting"] else "")
                + (f"：{e['note']}" if e["note"] else "")
                for e in bill["events"]
            )
            versions = "\n".join(
                f"{v['number']} {v['title']} {v['date']}" for v in bill["versions"]
            )
            row = [
                bill["slug"],
                bill["title"],
                bill["kind"],
                bill["sponsor"],
                bill["plan_year"],
                bill["planned_readings"],
                bill["stage"],
                bill["announcement_number"],
                bill["effective_on"] or "",
                bill["url"],
                events,
                versions,
                bill["comments"]["total"],
                *(bill["comments"][value] for value in OUTCOMES),
            ]
            writer.writerow([neutralise(value) for value in row])
        body = codecs.BOM_UTF8 + out.getvalue().encode("utf-8")
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
        return _attachment(response, "bills.csv")
