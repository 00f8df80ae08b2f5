"""Comments from the public: anonymous, during an open online period."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from npc.core.apiviews import refused, validated

from ... import guard, services
from ..serializers import PublicCommentReceiptSerializer, SubmitPublicCommentSerializer


class PublicCommentView(APIView):
    """Submit a comment on a bill as a member of the public, without an account."""

    authentication_classes: list = []
    permission_classes: list = []

    @extend_schema(
        operation_id="bills_public_comments_create",
        summary="Comment on a bill as a member of the public",
        parameters=[
            OpenApiParameter(
                "slug", str, OpenApiParameter.PATH, description="The bill's slug."
            )
        ],
        description="Anonymous. Only while an online comment period of the bill "
        "is open (a published online consultation whose dates include today); "
        "otherwise 409 `commenting_closed`, saying when the next period opens or "
        "when the last closed. Answers at once with the receipt code; the comment "
        "is published on the site after moderation. Name and contact are never "
        "published, and kept only with `consent`. Rate limited per client address "
        "and per bill (429 with `Retry-After`). Send an `Idempotency-Key`: a "
        "retry with the same key creates one comment.",
        request=SubmitPublicCommentSerializer,
        responses={
            201: PublicCommentReceiptSerializer,
            400: refused("The text, article or contact does not fit."),
            404: refused("No published bill has this slug."),
            409: refused("No online comment period of this bill is open today."),
            429: refused("Too many comments from this address or on this bill."),
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        # Its id, kept in the cache: no bill row is read.
        bill = services.public.commentable_bill(slug)
        if bill is None:
            raise Http404
        # The form asks for a captcha past the soft limit; the API cannot.
        if guard.verdict(request, bill.pk) is not guard.Verdict.OK:
            raise exceptions.Throttled(wait=guard.WINDOW_SECONDS)
        data = validated(SubmitPublicCommentSerializer, request)
        comment = services.submit_public_comment(
            bill=bill,
            text=data["text"],
            article_number=data.get("article"),
            contributor_name=data.get("name", ""),
            contributor_contact=data.get("contact", ""),
            contributor_kind=data.get("kind", ""),
            consent=data["consent"],
        )
        guard.submitted(request, bill.pk)
        body = PublicCommentReceiptSerializer(
            {
                "receipt_code": comment.receipt,
                "receipt_url": request.build_absolute_uri(reverse("public:receipt")),
                "moderation": comment.moderation,
                "bill": bill.slug,
                "article": data.get("article") if comment.article_id else None,
            }
        ).data
        return Response(body, status=status.HTTP_201_CREATED)
