"""
The consultation API: liaison points, consultations, comments and decisions,
imports, receipts, statistics and the open-data export.

Each view parses with an input serializer, calls a service or a selector and
renders with an output serializer; ``consultation.access`` and the services
decide who may do what. Reads are scoped by the selectors: the public sees what
is published, a clerk also their own points' records, staff everything.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, renderers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from legislation.api.views import refused
from legislation.models import Stage
from npc.core import guessing, roles
from npc.core.conditional import expected_number, precondition, with_etag
from npc.core.pagination import CursorPagination
from npc.core.responsecache import cache_public

from .. import search, selectors, services
from ..exports import neutralise
from ..filters import CommentFilter, ConsultationFilter
from ..models import (
    Comment,
    Consultation,
    Decision,
    Feedback,
    ImportBatch,
    LiaisonPoint,
)
from .permissions import (
    AdministratorOrReadOnly,
    CanDecide,
    HasConsultationAccess,
    InternalOrReadOnly,
)
from .serializers import (
    BulkDecisionResultSerializer,
    BulkDecisionSerializer,
    CommentRowsSerializer,
    CommentSerializer,
    ConsultationSerializer,
    DecideCommentSerializer,
    EditCommentSerializer,
    EnterCommentSerializer,
    FeedbackSerializer,
    ImportBatchSerializer,
    LiaisonPointSerializer,
    OpenDataSerializer,
    ReceiptSerializer,
    RecordConsultationSerializer,
    RecordFeedbackSerializer,
    StartImportSerializer,
    StatsQuerySerializer,
    StatsSerializer,
    UpdateConsultationSerializer,
    WriteLiaisonPointSerializer,
    contributor_changes,
)

IF_MATCH = OpenApiParameter(
    "If-Match",
    location=OpenApiParameter.HEADER,
    required=False,
    description='The ETag you read (the revision, e.g. "2"). A stale one gets 412 '
    "and nothing is written.",
)
REVISION_ETAG = {"x-etag": "revision"}
STALE = {
    409: refused("The record changed since you read it (revision in the body)."),
    412: refused("If-Match does not name the current revision."),
}


def _valid(serializer_class: type, request: Request, **kwargs: Any) -> dict:
    serializer = serializer_class(
        data=request.data, context={"request": request}, **kwargs
    )
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- liaison points ------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List the liaison points"),
    retrieve=extend_schema(summary="Read a liaison point"),
    create=extend_schema(
        summary="Add a liaison point",
        request=WriteLiaisonPointSerializer,
        responses={201: LiaisonPointSerializer},
    ),
    update=extend_schema(
        summary="Replace a liaison point",
        request=WriteLiaisonPointSerializer,
        responses={200: LiaisonPointSerializer},
    ),
    partial_update=extend_schema(
        summary="Change a liaison point",
        request=WriteLiaisonPointSerializer,
        responses={200: LiaisonPointSerializer},
    ),
    destroy=extend_schema(
        summary="Delete a liaison point",
        responses={204: None, 409: refused("Consultations or comments refer to it.")},
    ),
)
class LiaisonPointViewSet(viewsets.ModelViewSet):
    """Grassroots legislative liaison points: read by all, kept by administrators."""

    permission_classes = [AdministratorOrReadOnly]
    filterset_fields = ["district", "host_kind", "is_active"]
    ordering_fields = ["name", "district"]
    ordering = ["district", "name", "pk"]

    def get_queryset(self) -> QuerySet[LiaisonPoint]:
        points = LiaisonPoint.objects.order_by(*self.ordering)
        if roles.is_admin(self.request.user):
            points = points.prefetch_related("clerks")
        return points

    def get_serializer_class(self) -> type:
        if self.request.method in ("POST", "PUT", "PATCH"):
            return WriteLiaisonPointSerializer
        return LiaisonPointSerializer

    def _present(self, point: LiaisonPoint, code: int) -> Response:
        point = self.get_queryset().get(pk=point.pk)
        data = LiaisonPointSerializer(point, context=self.get_serializer_context()).data
        return Response(data, status=code)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        point = serializer.save()
        return self._present(point, status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(
            self.get_object(), data=request.data, partial=kwargs.get("partial", False)
        )
        serializer.is_valid(raise_exception=True)
        point = serializer.save()
        return self._present(point, status.HTTP_200_OK)


# --- consultations -----------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(
        summary="List consultations",
        description="Published consultations on published bills; a clerk also "
        "sees their points', staff all.",
    ),
    retrieve=extend_schema(summary="Read a consultation", extensions=REVISION_ETAG),
)
class ConsultationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Consultations (征求意见): one draft, one channel, at a point or not."""

    serializer_class = ConsultationSerializer
    permission_classes = [InternalOrReadOnly]
    filterset_class = ConsultationFilter
    ordering_fields = ["held_on", "opens_on", "closes_on", "id"]
    ordering = ["-held_on", "-opens_on", "-pk"]

    def get_queryset(self) -> QuerySet[Consultation]:
        return selectors.api_consultations(self.request.user)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        consultation = self.get_object()
        data = self.get_serializer(consultation).data
        return with_etag(Response(data), consultation.revision)

    def _present(self, consultation: Consultation, code: int) -> Response:
        fresh = self.get_queryset().get(pk=consultation.pk)
        data = self.get_serializer(fresh).data
        return with_etag(Response(data, status=code), fresh.revision)

    @extend_schema(
        summary="Record a consultation",
        description="Staff anywhere; a clerk at their own points only (403 "
        "otherwise). Appends a consultation_opened event to the bill's timeline.",
        request=RecordConsultationSerializer,
        responses={201: ConsultationSerializer},
        extensions=REVISION_ETAG,
    )
    def create(self, request: Request) -> Response:
        data = _valid(RecordConsultationSerializer, request)
        consultation = services.record_consultation(by=request.user, **data)
        return self._present(consultation, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a consultation",
        description="Send only what changes. Bill, version, channel and point are "
        "frozen once it has comments (409 consultation_frozen).",
        parameters=[IF_MATCH],
        request=UpdateConsultationSerializer,
        responses={200: ConsultationSerializer, **STALE},
        extensions=REVISION_ETAG,
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        consultation = self.get_object()
        serializer = UpdateConsultationSerializer(
            data=request.data,
            context={"request": request, "consultation_bill": consultation.bill},
        )
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        expected = expected_number(
            request,
            body_value=data.pop("revision", None),
            current=consultation.revision,
        )
        with precondition(request):
            consultation = services.update_consultation(
                consultation=consultation,
                by=request.user,
                expected_revision=expected,
                **data,
            )
        return self._present(consultation, status.HTTP_200_OK)


# --- comments ----------------------------------------------------------------------


@cache_public(selectors.public_versions)
def _shared(request: HttpRequest, respond: Callable[[], Response]) -> Response:
    """
    Return ``respond()``, kept for every anonymous reader of the same URL under
    the counts version (:mod:`npc.core.responsecache`), when it is JSON: the
    browsable API's HTML carries the reader's CSRF token, which no other reader
    may get, so it is marked private and never kept.
    """
    response = respond()
    renderer = getattr(response, "accepted_renderer", None)
    if renderer is not None and renderer.media_type != "application/json":
        response["Cache-Control"] = "private"
    return response


class VisibleCommentFilter(CommentFilter):
    """CommentFilter, less the contributor's kind for those who may not see it."""

    def __init__(self, *args: Any, request: Request | None = None, **kwargs: Any):
        super().__init__(*args, request=request, **kwargs)
        if request is None or not roles.is_internal(request.user):
            self.filters.pop("kind", None)


@extend_schema_view(
    list=extend_schema(
        summary="List comments",
        description="Newest first, by cursor. The public sees comments gathered in "
        "published consultations, without receipt codes or contributors; a clerk "
        "also their points' comments, with them; staff all. Filter kind (the "
        "contributor's) applies for internal users only. A search (q) that "
        "cannot be answered in time gets 503 search_timeout.",
        responses={
            200: CommentSerializer(many=True),
            503: refused("The search took too long; try other or more words."),
        },
    ),
    retrieve=extend_schema(summary="Read a comment", extensions=REVISION_ETAG),
)
class CommentViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Comments (意见建议) and the decisions on them."""

    serializer_class = CommentSerializer
    permission_classes = [InternalOrReadOnly]
    filterset_class = VisibleCommentFilter
    pagination_class = CursorPagination
    # The cursor needs a unique ordering; comments order by id only.
    ordering_fields = ["id"]
    ordering = ["-id"]

    def get_queryset(self) -> QuerySet[Comment]:
        return selectors.api_comments(self.request.user)

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # The list is the same for every anonymous reader: keep it whole, under
        # the versions of what it shows (a comment entered or decided moves them
        # on). Wrapped here, not in list(): DRF renders in dispatch.
        respond = super().dispatch
        if self.action_map.get(request.method.lower()) != "list":
            return respond(request, *args, **kwargs)
        return _shared(request, lambda: respond(request, *args, **kwargs))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if request.query_params.get("q", "").strip():
            page = search.bounded(self._page)
        else:
            page = self._page()
        context = self.get_serializer_context()
        data = CommentRowsSerializer(page, many=True, context=context).data
        return self.get_paginated_response(data)

    def _page(self) -> list[dict[str, Any]]:
        comments = self.filter_queryset(self.get_queryset())
        # Plain rows, read in the one query: 50 model instances with their
        # related objects, each through a dozen serializer fields, cost more
        # than all the SQL of the page.
        rows = selectors.api_comment_rows(
            comments, personal=roles.is_internal(self.request.user)
        )
        return self.paginate_queryset(rows)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        comment = self.get_object()
        return with_etag(Response(self.get_serializer(comment).data), comment.revision)

    def _present(self, comment: Comment, code: int = status.HTTP_200_OK) -> Response:
        # Read back as a row of the list: one query, no related instances.
        fresh = selectors.api_comment_rows(
            self.get_queryset().filter(pk=comment.pk),
            personal=roles.is_internal(self.request.user),
        ).get()
        data = CommentRowsSerializer(fresh, context=self.get_serializer_context()).data
        return with_etag(Response(data, status=code), fresh["revision"])

    @extend_schema(
        summary="Enter a comment",
        description="Staff for any consultation; a clerk for their points' (403 "
        "otherwise). The answer carries the receipt code to hand to the "
        "contributor.",
        request=EnterCommentSerializer,
        responses={201: CommentSerializer},
        extensions=REVISION_ETAG,
    )
    def create(self, request: Request) -> Response:
        data = _valid(EnterCommentSerializer, request)
        comment = services.enter_comment(
            by=request.user,
            consultation=data["consultation"],
            text=data["text"],
            summary=data["summary"],
            submitted_on=data.get("submitted_on"),
            article=data.get("article"),
            **contributor_changes(data.get("contributor")),
        )
        return self._present(comment, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Correct a comment",
        description="Send only what changes. Staff any comment; a clerk their "
        "points' comments while pending (403 otherwise). The decision changes "
        "through POST decision.",
        parameters=[IF_MATCH],
        request=EditCommentSerializer,
        responses={200: CommentSerializer, **STALE},
        extensions=REVISION_ETAG,
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        comment = self.get_object()
        data = _valid(EditCommentSerializer, request)
        expected = expected_number(
            request, body_value=data.pop("revision", None), current=comment.revision
        )
        changes = contributor_changes(data.pop("contributor", None))
        with precondition(request):
            comment = services.edit_comment(
                comment=comment,
                by=request.user,
                expected_revision=expected,
                **data,
                **changes,
            )
        return self._present(comment)

    @extend_schema(
        summary="Decide on a comment",
        description="Staff only. not_adopted and partially_adopted need a reason; "
        "reason other an explanation; duplicate the comment it repeats (400 "
        "invalid_decision otherwise). Appended to the comment's decision history.",
        parameters=[IF_MATCH],
        request=DecideCommentSerializer,
        responses={200: CommentSerializer, **STALE},
        extensions=REVISION_ETAG,
    )
    @action(
        detail=True,
        methods=["post"],
        permission_classes=[CanDecide],
        filter_backends=[],
    )
    def decision(self, request: Request, pk: str) -> Response:
        comment = self.get_object()
        data = _valid(DecideCommentSerializer, request)
        expected = expected_number(
            request, body_value=data.pop("revision", None), current=comment.revision
        )
        with precondition(request):
            comment = services.decide_comment(
                comment=comment, by=request.user, expected_revision=expected, **data
            )
        return self._present(comment)

    @extend_schema(
        summary="Decide on many comments at once",
        description="Staff only. One decision, reason and explanation for all; "
        "with revisions, any stale one refuses the whole set (409).",
        request=BulkDecisionSerializer,
        responses={200: BulkDecisionResultSerializer, 409: STALE[409]},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="bulk-decision",
        url_name="bulk-decision",
        permission_classes=[CanDecide],
        filter_backends=[],
        pagination_class=None,
    )
    def bulk_decision(self, request: Request) -> Response:
        data = _valid(BulkDecisionSerializer, request)
        decided = services.decide_comments(
            comments=data.pop("comments"),
            by=request.user,
            expected_revisions=data.pop("revisions", None),
            **data,
        )
        return Response(
            {
                "count": len(decided),
                "comments": [{"id": c.pk, "revision": c.revision} for c in decided],
            }
        )


# --- feedback ---------------------------------------------------------------------


class FeedbackViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Feedback to contributors: staff for any comment, a clerk for their points'."""

    serializer_class = FeedbackSerializer
    permission_classes = [HasConsultationAccess]

    def get_queryset(self) -> QuerySet:
        return Feedback.objects.none()

    @extend_schema(
        summary="Record feedback",
        description="How and when the contributors of some comments, or their "
        "point, were told what became of them. One feedback covers many comments. "
        "A clerk only for their points' comments (403 otherwise); not in the "
        "future (400 invalid_feedback).",
        request=RecordFeedbackSerializer,
        responses={201: FeedbackSerializer},
    )
    def create(self, request: Request) -> Response:
        data = _valid(RecordFeedbackSerializer, request)
        feedback = services.record_feedback(by=request.user, **data)
        body = FeedbackSerializer(feedback).data
        return Response(body, status=status.HTTP_201_CREATED)


# --- imports ----------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="List import batches"),
    retrieve=extend_schema(summary="An import's status, progress and row errors"),
)
class ImportViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Spreadsheets of comments, checked whole before any row is written."""

    serializer_class = ImportBatchSerializer
    permission_classes = [HasConsultationAccess]
    filterset_fields = ["consultation", "status"]
    ordering_fields = ["created_at", "id"]
    ordering = ["-created_at", "-pk"]

    def get_queryset(self) -> QuerySet[ImportBatch]:
        return selectors.api_imports(self.request.user)

    @extend_schema(
        summary="Import a spreadsheet of comments",
        description="Multipart: file (CSV or XLSX) and consultation. Answers 202 at "
        "once with the batch (Location: its URL); GET it for status, progress and "
        "row errors. Any bad row fails the whole batch and writes nothing. A file "
        "whose content is being imported into the consultation, or was imported "
        "into it (unless different_comments is true), is refused with 409 "
        "duplicate_import, naming the earlier batch.",
        request={"multipart/form-data": StartImportSerializer},
        responses={202: ImportBatchSerializer},
    )
    def create(self, request: Request) -> Response:
        data = _valid(StartImportSerializer, request)
        batch = services.start_import(
            by=request.user,
            consultation=data["consultation"],
            uploaded_file=data["file"],
            different_comments=data["different_comments"],
        )
        batch.refresh_from_db()
        body = self.get_serializer(batch).data
        return Response(
            body, status=status.HTTP_202_ACCEPTED, headers={"Location": body["url"]}
        )


# --- receipts, statistics, open data -------------------------------------------------


class ReceiptView(APIView):
    """Look up a comment's outcome by its receipt code, without an account."""

    permission_classes: list = []

    @extend_schema(
        summary="Look up a comment by receipt code",
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description="The receipt code, e.g. ABCD-EFGH-JKMN (any case, "
                "dashes optional).",
            )
        ],
        description="Public. Any case, with or without dashes. Shows the comment "
        "and its outcome, never who made it. A client that has missed many codes "
        "is slowed to one look-up per few seconds (429 with `Retry-After`), "
        "the same guard as the receipt page's.",
        responses={
            200: ReceiptSerializer,
            404: refused("No published comment has this code."),
            429: refused("Too many missed codes from this client; wait."),
        },
    )
    def get(self, request: Request, code: str) -> Response:
        wait = guessing.receipts.wait(request)
        if wait:
            raise exceptions.Throttled(wait=wait)
        receipt = selectors.receipt_lookup(code)
        if receipt is None:
            guessing.receipts.missed(request)
            return Response(
                {"code": "not_found", "detail": _("没有找到该回执码对应的意见。")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(ReceiptSerializer(receipt).data)


class StatsView(APIView):
    """The year in numbers: headline figures, comments and liaison points."""

    permission_classes: list = []

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # The same for every anonymous reader until what it counts changes.
        respond = super().dispatch
        return _shared(request, lambda: respond(request, *args, **kwargs))

    @extend_schema(
        summary="Statistics of published consultations",
        parameters=[StatsQuerySerializer],
        responses={200: StatsSerializer},
    )
    def get(self, request: Request) -> Response:
        query = StatsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or timezone.localdate().year
        bill = query.validated_data.get("bill")
        data = {
            "headline": selectors.headline_numbers(year),
            "comments": selectors.comment_stats(bill=bill, year=year),
            "points": selectors.point_stats(year=year),
        }
        return Response(StatsSerializer(data).data)


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
