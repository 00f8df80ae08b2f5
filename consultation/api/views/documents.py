"""
The bills endpoint with what the consultation side adds: the comments behind
each row of a comparison, and the documents staff hand over (the comparison
table, the adoption report, feedback letters) as DOCX or XLSX.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import renderers, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from legislation import selectors as legislation_selectors
from legislation.api.serializers import ComparisonRowSerializer, ComparisonSerializer
from legislation.api.views import BillViewSet as LegislationBillViewSet
from legislation.api.views._common import VERSION_NUMBER
from npc.core.apiviews import validated
from npc.core.roles import is_legislative_staff

from ... import documents, selectors, services
from .document_jobs import DocumentJobSerializer, RequestDocumentSerializer


class LinkedComparisonRowSerializer(ComparisonRowSerializer):
    comments = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Ids of the comments whose adoption changed this row's article.",
    )
    comment_count = serializers.IntegerField()


class LinkedComparisonSerializer(ComparisonSerializer):
    rows = LinkedComparisonRowSerializer(many=True)


class DocxRenderer(renderers.BaseRenderer):
    media_type = documents.DOCX
    format = "docx"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: Any = None, context: Any = None):  # noqa: ANN201
        return data


class XlsxRenderer(DocxRenderer):
    media_type = documents.XLSX
    format = "xlsx"


JSON_AND_FILES = [
    renderers.JSONRenderer,
    renderers.BrowsableAPIRenderer,
    DocxRenderer,
    XlsxRenderer,
]
FORMAT = OpenApiParameter(
    "format",
    str,
    enum=["json", "docx", "xlsx"],
    description="docx or xlsx for the document; JSON by default.",
)


def _file(request: Request, body: bytes, name: str, kind: str) -> Response:
    # Answered as the file whatever Accept said (no format: a DOCX).
    renderer = DocxRenderer() if kind == "docx" else XlsxRenderer()
    request.accepted_renderer = renderer
    request.accepted_media_type = renderer.media_type
    response = Response(
        body, content_type=documents.DOCX if kind == "docx" else documents.XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


class BillViewSet(LegislationBillViewSet):
    __doc__ = LegislationBillViewSet.__doc__

    def handle_exception(self, exc: Exception) -> Response:
        # A refusal answers in the API's JSON error format, whatever was asked.
        response = super().handle_exception(exc)
        if not isinstance(
            getattr(self.request, "accepted_renderer", None), renderers.JSONRenderer
        ):
            self.request.accepted_renderer = renderers.JSONRenderer()
            self.request.accepted_media_type = "application/json"
        return response

    def _format(self, request: Request) -> str:
        return getattr(request.accepted_renderer, "format", "json")

    @extend_schema(
        summary="Compare two versions article by article (修改对照表)",
        description="Articles are paired by lineage (by content, not by number). "
        "Without from and to, the latest two versions are compared. Each row "
        "carries the ids and the number of the comments whose adoption changed "
        "its article. format=docx or xlsx answers the comparison table as a "
        "document (renumbered=fold|list says how articles only renumbered show).",
        parameters=[
            OpenApiParameter(
                "from", VERSION_NUMBER, description="Number of the older version."
            ),
            OpenApiParameter(
                "to", VERSION_NUMBER, description="Number of the newer version."
            ),
            FORMAT,
            OpenApiParameter("renumbered", str, enum=["fold", "list"]),
        ],
        responses={
            (200, "application/json"): LinkedComparisonSerializer,
            (200, documents.DOCX): OpenApiResponse(OpenApiTypes.BINARY),
            (200, documents.XLSX): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        filter_backends=[],
        pagination_class=None,
        renderer_classes=JSON_AND_FILES,
    )
    def compare(self, request: Request, slug: str) -> Response:
        kind = self._format(request)
        public = not is_legislative_staff(request.user)
        if kind in ("docx", "xlsx"):
            bill = self.get_object()
            try:
                shown = legislation_selectors.version_comparison(
                    bill=bill,
                    user=request.user,
                    old=request.query_params.get("from"),
                    new=request.query_params.get("to"),
                )
            except legislation_selectors.NoSuchVersion as missing:
                raise NotFound(_("该法规案没有可供对比的这一文本。")) from missing
            build = (
                documents.comparison_docx
                if kind == "docx"
                else documents.comparison_xlsx
            )
            body = build(
                bill=bill,
                old=shown.old,
                new=shown.new,
                rows=shown.rows,
                public=public,
                renumbered="list"
                if request.query_params.get("renumbered") == "list"
                else "fold",
            )
            return _file(request, body, f"{slugify(bill.slug)}-compare", kind)
        response = super().compare(request, slug)
        data = response.data
        old = self._version(slug, data["old"]["number"])
        new = self._version(slug, data["new"]["number"])
        behind = selectors.row_comments(old=old, new=new, public=public)
        for row in data["rows"]:
            found = behind.get(row["new"]["id"]) if row["new"] else None
            row["comments"] = found.comment_ids if found else []
            row["comment_count"] = found.count if found else 0
        return response

    def _version(self, slug: str, number: int):  # noqa: ANN202
        return self.get_object().versions.get(number=number)

    def _staff_only(self, request: Request) -> None:
        if not is_legislative_staff(request.user):
            raise PermissionDenied(_("只有立法工作人员可以下载该文件。"))

    @extend_schema(
        summary="Build a document in the background",
        description="Staff only. For a large bill: the comparison table "
        "(kind comparison, from, to, renumbered), the adoption report (report) or "
        "the feedback letters (letters, by). Answers 202 with the job; follow "
        "its progress at its url and download it when done.",
        request=RequestDocumentSerializer,
        responses={202: DocumentJobSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="document-jobs",
        url_name="document-jobs",
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[renderers.JSONRenderer],
    )
    def request_document(self, request: Request, slug: str) -> Response:
        self._staff_only(request)
        bill = self.get_object()
        data = validated(RequestDocumentSerializer, request)
        kind, format_ = data.pop("kind"), data.pop("format")
        job = services.request_document(
            bill=bill, kind=kind, format=format_, by=request.user, params=data
        )
        job.refresh_from_db()
        return Response(
            DocumentJobSerializer(job, context=self.get_serializer_context()).data,
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(
        summary="The comment-adoption report (意见采纳情况报告)",
        description="Staff only. Totals by channel, point, article and outcome "
        "(the statistics' own numbers), adopted comments with the change each "
        "caused, the reasons for not adopting, the consultations held.",
        parameters=[FORMAT],
        responses={
            (200, documents.DOCX): OpenApiResponse(OpenApiTypes.BINARY),
            (200, documents.XLSX): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="adoption-report",
        url_name="adoption-report",
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[renderers.JSONRenderer, DocxRenderer, XlsxRenderer],
    )
    def adoption_report(self, request: Request, slug: str) -> Response:
        self._staff_only(request)
        bill = self.get_object()
        kind = self._format(request)
        if kind == "xlsx":
            body = documents.adoption_report_xlsx(bill=bill)
        else:
            kind, body = "docx", documents.adoption_report_docx(bill=bill)
        return _file(request, body, f"{slugify(bill.slug)}-adoption-report", kind)

    @extend_schema(
        summary="Feedback letters (反馈函), one page each",
        description="Staff only. by=point: a letter to each liaison point; "
        "by=contributor: to each contributor who left a contact.",
        parameters=[OpenApiParameter("by", str, enum=["point", "contributor"])],
        responses={(200, documents.DOCX): OpenApiResponse(OpenApiTypes.BINARY)},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="feedback-letters",
        url_name="feedback-letters",
        filter_backends=[],
        pagination_class=None,
        renderer_classes=[renderers.JSONRenderer, DocxRenderer],
    )
    def feedback_letters(self, request: Request, slug: str) -> Response:
        self._staff_only(request)
        bill = self.get_object()
        by = request.query_params.get("by", "point")
        if by not in ("point", "contributor"):
            raise ValidationError({"by": _("须为 point 或 contributor。")})
        body = documents.feedback_letters_docx(bill=bill, by=by, user=request.user)
        return _file(request, body, f"{slugify(bill.slug)}-feedback-{by}", "docx")
