"""Bills: their fields, timeline, stages and acts, versions, comparison, votes and documents."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from npc.core.apiviews import refused, validated
from npc.core.conditional import expected_number, precondition, with_etag
from npc.core.parsers import JSONParser
from npc.core.roles import is_legislative_staff

from ... import akn, search, selectors, services
from ...filters import BillFilter
from ...models import Bill
from ..permissions import BillWritersOrReadOnly
from ..serializers import (
    ACT_SERIALIZERS,
    AddDocumentSerializer,
    AddDraftVersionSerializer,
    AdvanceBillSerializer,
    AlignArticleSerializer,
    ArticleAlignmentSerializer,
    BillEventSerializer,
    BillListSerializer,
    BillSerializer,
    CompareQuerySerializer,
    ComparisonSerializer,
    CreateBillSerializer,
    DocumentSerializer,
    DraftVersionDetailSerializer,
    DraftVersionSerializer,
    PublishVersionSerializer,
    RecordActSerializer,
    RecordVoteSerializer,
    UpdateBillSerializer,
    VoteSerializer,
)
from ._common import BILL_ETAG, IF_MATCH, SLUG_REGEX, STALE, VERSION_NUMBER, _draft


class BillViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """
    Bills (法规案) and what happens to them.

    Unpublished bills and versions do not exist for the public (404). Writes are
    for legislative staff; every write goes through ``legislation.services`` and
    answers with the bill's new version in ``ETag``.
    """

    lookup_field = "slug"
    lookup_value_regex = SLUG_REGEX
    serializer_class = BillSerializer
    permission_classes = [BillWritersOrReadOnly]
    filterset_class = BillFilter
    ordering_fields = ["title", "plan_year", "stage", "updated_at"]
    ordering = ["-plan_year", "title", "pk"]

    def get_queryset(self):  # noqa: ANN201 - a QuerySet[Bill]
        return selectors.visible_bills(self.request.user).order_by(*self.ordering)

    @property
    def is_staff(self) -> bool:
        return is_legislative_staff(self.request.user)

    def _expected(self, bill: Bill, body_value: int | None = None) -> int | None:
        return expected_number(
            self.request, body_value=body_value, current=bill.version
        )

    def _bill_response(self, bill: Bill, code: int = status.HTTP_200_OK) -> Response:
        bill.refresh_from_db()
        data = BillSerializer(bill, context=self.get_serializer_context()).data
        return with_etag(Response(data, status=code), bill.version)

    @extend_schema(
        summary="List bills",
        description="Published bills; legislative staff also see unpublished ones. "
        "With `q`, the bills whose title, summary or published articles hold "
        "every word, each with the articles found (`matches`).",
        responses=BillListSerializer(many=True),
    )
    def list(self, request: Request, *args, **kwargs) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        bills = list(page)
        # The words as the filter took them (a q it refused has answered 400).
        words = request.query_params.get("q", "")
        found = search.matching_articles([bill.pk for bill in bills], words)
        for bill in bills:
            bill.search_matches = found.get(bill.pk, [])
        data = BillListSerializer(
            bills, many=True, context=self.get_serializer_context()
        ).data
        return self.get_paginated_response(data)

    @extend_schema(
        summary="Read a bill",
        extensions=BILL_ETAG,
        responses={
            200: OpenApiResponse(
                BillSerializer,
                description="The bill; its version is in the ETag header.",
            )
        },
    )
    def retrieve(self, request: Request, *args, **kwargs) -> Response:
        bill = self.get_object()
        return with_etag(Response(self.get_serializer(bill).data), bill.version)

    @extend_schema(
        summary="List a new bill in the legislative plan",
        extensions=BILL_ETAG,
        request=CreateBillSerializer,
        responses={201: BillSerializer, 409: refused("Another bill has the slug.")},
    )
    def create(self, request: Request, *args, **kwargs) -> Response:
        data = validated(CreateBillSerializer, request)
        bill = services.create_bill(by=request.user, **data)
        return self._bill_response(bill, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a bill's details",
        description="Send only the fields that change. The stage changes through "
        "transitions and votes, never here. Optimistic concurrency: send the ETag "
        "you read as If-Match (stale: 412) or the version in the body (stale: 409).",
        parameters=[IF_MATCH],
        extensions=BILL_ETAG,
        request=UpdateBillSerializer,
        responses={200: BillSerializer, **STALE},
    )
    def partial_update(self, request: Request, *args, **kwargs) -> Response:
        bill = self.get_object()
        data = validated(UpdateBillSerializer, request, partial=True)
        expected = self._expected(bill, data.pop("version", None))
        with precondition(request):
            bill = services.update_bill(
                bill=bill, by=request.user, expected_version=expected, **data
            )
        return self._bill_response(bill)

    # --- the timeline and the lifecycle ---------------------------------------

    @extend_schema(
        summary="The bill's timeline",
        description="Events oldest first; internal bookkeeping events are for staff.",
        responses={200: BillEventSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], filter_backends=[])
    def events(self, request: Request, slug: str) -> Response:
        bill = self.get_object()
        events = selectors.timeline(bill, public=not self.is_staff)
        page = self.paginate_queryset(events)
        serializer = BillEventSerializer(page, many=True)
        return self.get_paginated_response(serializer.data)

    @extend_schema(
        summary="Move the bill to its next stage",
        description="Any move the lifecycle allows except the vote (POST votes). A "
        "reading needs a meeting; promulgation an announcement number and an "
        "effective date; withdrawal and termination a reason (note). A refused "
        "move is 409 transition_not_allowed; a date before the previous step 400 "
        "meeting_out_of_order.",
        parameters=[IF_MATCH],
        extensions=BILL_ETAG,
        request=AdvanceBillSerializer,
        responses={
            201: BillEventSerializer,
            400: refused("Invalid or out of order."),
            **STALE,
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def transitions(self, request: Request, slug: str) -> Response:
        bill = self.get_object()
        data = validated(AdvanceBillSerializer, request)
        with precondition(request):
            event = services.advance_bill(
                bill=bill,
                to=data["to"],
                by=request.user,
                on=data.get("on"),
                meeting=data.get("meeting"),
                version=_draft(bill, data.get("version")),
                note=data["note"],
                announcement_number=data["announcement_number"],
                effective_on=data.get("effective_on"),
                expected_version=self._expected(bill),
            )
        bill.refresh_from_db()
        body = BillEventSerializer(event).data
        return with_etag(Response(body, status=status.HTTP_201_CREATED), bill.version)

    @extend_schema(
        methods=["get"],
        summary="The bill's votes",
        responses={200: VoteSerializer(many=True)},
    )
    @extend_schema(
        methods=["post"],
        summary="Record the vote",
        description="Passes with more than half of ALL the meeting's members voting "
        "yes (地方组织法 art. 51): with 45 members 23 yes pass, 22 do not. The bill "
        "moves to passed or rejected. While comments on the bill are undecided, "
        "undecided_reason is required (409 undecided_comments with their number).",
        parameters=[IF_MATCH],
        extensions=BILL_ETAG,
        request=RecordVoteSerializer,
        responses={201: VoteSerializer, **STALE},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def votes(self, request: Request, slug: str) -> Response:
        bill = self.get_object()
        if request.method == "GET":
            votes = bill.votes.select_related("meeting").order_by("meeting__date", "pk")
            page = self.paginate_queryset(votes)
            return self.get_paginated_response(VoteSerializer(page, many=True).data)
        data = validated(RecordVoteSerializer, request)
        with precondition(request):
            vote = services.record_vote(
                bill=bill,
                meeting=data["meeting"],
                yes=data["yes"],
                no=data["no"],
                abstain=data["abstain"],
                version=_draft(bill, data.get("version")),
                note=data["note"],
                undecided_reason=data["undecided_reason"],
                by=request.user,
                expected_version=self._expected(bill),
            )
        bill.refresh_from_db()
        body = VoteSerializer(vote).data
        return with_etag(Response(body, status=status.HTTP_201_CREATED), bill.version)

    @extend_schema(
        summary="Record an act that changes no stage",
        description="One of: the legislative affairs committee's unified review "
        "(unified_review, during the readings), a deferred vote (defer_vote, when "
        "the bill could be put to the vote), the filing (filing, once, after "
        "promulgation), a change of the planned readings (planned_readings, until "
        "the vote, never below the readings held), a correction of a timeline "
        "entry (correction: the entry stays, the correction is appended). The "
        "body's act names it. An act not possible now is 409 "
        "transition_not_allowed and writes nothing.",
        parameters=[IF_MATCH],
        extensions=BILL_ETAG,
        request=PolymorphicProxySerializer(
            component_name="BillAct",
            serializers=ACT_SERIALIZERS,
            resource_type_field_name="act",
        ),
        responses={
            201: OpenApiResponse(
                BillEventSerializer, description="The act's event on the timeline."
            ),
            **STALE,
        },
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def acts(self, request: Request, slug: str) -> Response:
        bill = self.get_object()
        act = validated(RecordActSerializer, request)["act"]
        payload = validated(ACT_SERIALIZERS[act], request, context={"bill": bill})
        del payload["act"]
        expected = self._expected(bill, payload.pop("bill_version", None))
        if "version" in payload:
            payload["version"] = _draft(bill, payload["version"])
        with precondition(request):
            event = services.record_act(
                bill=bill,
                act=act,
                by=request.user,
                expected_version=expected,
                **payload,
            )
        bill.refresh_from_db()
        body = BillEventSerializer(event).data
        return with_etag(Response(body, status=status.HTTP_201_CREATED), bill.version)

    @extend_schema(
        methods=["get"],
        summary="The bill's documents",
        description="Oldest first. The public sees the published documents of "
        "published bills; staff see all.",
        responses={200: DocumentSerializer(many=True)},
    )
    @extend_schema(
        methods=["post"],
        summary="Attach a document to the bill",
        description="起草说明, 审议意见, 修改情况的报告, … with its text, an uploaded "
        "file (multipart), or both. A published document also goes on the "
        "timeline.",
        parameters=[IF_MATCH],
        extensions=BILL_ETAG,
        request={
            "multipart/form-data": AddDocumentSerializer,
            "application/json": AddDocumentSerializer,
        },
        responses={201: DocumentSerializer, **STALE},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        filter_backends=[],
        parser_classes=[JSONParser, MultiPartParser],
    )
    def documents(self, request: Request, slug: str) -> Response:
        bill = self.get_object()
        context = self.get_serializer_context()
        if request.method == "GET":
            documents = selectors.visible_documents(request.user, bill)
            page = self.paginate_queryset(documents)
            serializer = DocumentSerializer(page, many=True, context=context)
            return self.get_paginated_response(serializer.data)
        data = validated(AddDocumentSerializer, request)
        expected = self._expected(bill, data.pop("bill_version", None))
        with precondition(request):
            document = services.add_document(
                bill=bill,
                kind=data["kind"],
                title=data["title"],
                on=data["date"],
                text=data["text"],
                file=data.get("file"),
                meeting=data.get("meeting"),
                version=_draft(bill, data.get("version")),
                is_published=data["is_published"],
                by=request.user,
                expected_version=expected,
            )
        bill.refresh_from_db()
        body = DocumentSerializer(document, context=context).data
        return with_etag(Response(body, status=status.HTTP_201_CREATED), bill.version)

    # --- draft versions --------------------------------------------------------

    @extend_schema(
        methods=["get"],
        summary="The bill's draft versions",
        responses={200: DraftVersionSerializer(many=True)},
    )
    @extend_schema(
        methods=["post"],
        summary="Add the next draft version",
        description="The text is parsed into chapters, sections, articles, "
        "paragraphs and items, and its articles aligned with the previous "
        "version's. Broken numbering is refused with 400 draft_numbering_problems "
        "and the list of problems in errors, unless confirm_numbering is true.",
        parameters=[IF_MATCH],
        extensions=BILL_ETAG,
        request=AddDraftVersionSerializer,
        responses={201: DraftVersionSerializer, **STALE},
    )
    @action(detail=True, methods=["get", "post"], filter_backends=[])
    def versions(self, request: Request, slug: str) -> Response:
        bill = self.get_object()
        if request.method == "GET":
            versions = selectors.visible_versions(request.user, bill)
            page = self.paginate_queryset(versions)
            serializer = DraftVersionSerializer(
                page, many=True, context=self.get_serializer_context()
            )
            return self.get_paginated_response(serializer.data)
        data = validated(AddDraftVersionSerializer, request)
        with precondition(request):
            version = services.add_draft_version(
                bill=bill,
                text=data["text"],
                title=data["title"],
                kind=data["kind"],
                on=data["date"],
                confirm_numbering=data["confirm_numbering"],
                is_published=data["is_published"],
                by=request.user,
                expected_version=self._expected(bill),
            )
        bill.refresh_from_db()
        body = DraftVersionSerializer(
            version, context=self.get_serializer_context()
        ).data
        return with_etag(Response(body, status=status.HTTP_201_CREATED), bill.version)

    @extend_schema(
        methods=["get"],
        summary="One draft version with its articles",
        responses={200: DraftVersionDetailSerializer},
    )
    @extend_schema(
        methods=["patch"],
        summary="Publish or unpublish a draft version",
        request=PublishVersionSerializer,
        responses={200: DraftVersionSerializer},
    )
    @action(
        detail=True,
        methods=["get", "patch"],
        url_path=r"versions/(?P<number>[0-9]{1,5})",
        url_name="version-detail",
        filter_backends=[],
        pagination_class=None,
    )
    def version_detail(self, request: Request, slug: str, number: str) -> Response:
        bill = self.get_object()
        version = get_object_or_404(
            selectors.visible_versions(request.user, bill), number=int(number)
        )
        if request.method == "GET":
            loaded = selectors.version_text(version)
            return Response(
                DraftVersionDetailSerializer(
                    loaded, context=self.get_serializer_context()
                ).data
            )
        data = validated(PublishVersionSerializer, request)
        version = services.publish_version(
            version=version, by=request.user, publish=data["is_published"]
        )
        return Response(
            DraftVersionSerializer(version, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary="One draft version as Akoma Ntoso 3.0 XML",
        description="A bill document valid against the OASIS schema. Each "
        "article's eId follows its lineage: the same in every version of the bill "
        "whatever the article's number (art_3 for the article that was 第三条 "
        "when it first appeared, art_3_v2 for a later one first numbered 3 in "
        "version 2); its wId is the lineage's key.",
        responses={(200, "application/akn+xml"): bytes},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"versions/(?P<number>[0-9]{1,5})/akn",
        url_name="version-akn",
        filter_backends=[],
        pagination_class=None,
    )
    def version_akn(self, request: Request, slug: str, number: str) -> HttpResponse:
        bill = self.get_object()
        version = get_object_or_404(
            selectors.visible_versions(request.user, bill), number=int(number)
        )
        return HttpResponse(
            akn.version_document(version), content_type="application/akn+xml"
        )

    @extend_schema(
        summary="Correct which earlier article an article continues",
        description="Articles are aligned with the previous version's by content "
        "when a version is added; this says by hand which article of an earlier "
        "version of the bill the article continues (null: a new article). Its "
        "lineage, and its successors', follows; an article of the same version "
        "that held that lineage becomes a new article. A predecessor that is not "
        "of an earlier version of this bill is 400 invalid_draft.",
        parameters=[
            IF_MATCH,
            OpenApiParameter(
                "article",
                int,
                location=OpenApiParameter.PATH,
                description="Number of the article in the version (12 for 第十二条).",
            ),
        ],
        extensions=BILL_ETAG,
        request=AlignArticleSerializer,
        responses={200: ArticleAlignmentSerializer, **STALE},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"versions/(?P<number>[0-9]{1,5})/articles/(?P<article>[0-9]{1,5})"
        r"/alignment",
        url_name="article-alignment",
        filter_backends=[],
        pagination_class=None,
    )
    def alignment(
        self, request: Request, slug: str, number: str, article: str
    ) -> Response:
        bill = self.get_object()
        version = get_object_or_404(bill.versions, number=int(number))
        target = (
            version.articles.filter(number=int(article)).order_by("position").first()
        )
        if target is None:
            raise Http404
        data = validated(AlignArticleSerializer, request)
        expected = self._expected(bill, data.get("bill_version"))
        with precondition(request):
            aligned = services.correct_alignment(
                article=target,
                predecessor=data["predecessor"],
                by=request.user,
                expected_version=expected,
            )
        bill.refresh_from_db()
        aligned.refresh_from_db()
        return with_etag(
            Response(ArticleAlignmentSerializer(aligned).data), bill.version
        )

    @extend_schema(
        summary="Compare two versions article by article (修改对照表)",
        description="Articles are paired by lineage (by content, not by number). "
        "Without from and to, the latest two versions are compared.",
        parameters=[
            OpenApiParameter(
                "from",
                VERSION_NUMBER,
                description="Number of the older version; by default the version "
                "before to (to itself when it is the first).",
            ),
            OpenApiParameter(
                "to",
                VERSION_NUMBER,
                description="Number of the newer version; by default the latest.",
            ),
        ],
        responses={
            200: ComparisonSerializer,
            404: refused("No such bill, or no such version of it to compare."),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
    )
    def compare(self, request: Request, slug: str) -> Response:
        bill = self.get_object()
        query = CompareQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            shown = selectors.version_comparison(
                bill=bill,
                user=request.user,
                old=query.validated_data.get("from"),
                new=query.validated_data.get("to"),
            )
        except selectors.NoSuchVersion as missing:
            # A number that is not one of the bill's versions, as on the public
            # page: nothing there to compare.
            raise NotFound(_("该法规案没有可供对比的这一文本。")) from missing
        data = ComparisonSerializer(
            {"old_version": shown.old, "new_version": shown.new, "rows": shown.rows},
            context=self.get_serializer_context(),
        ).data
        return Response(data)
