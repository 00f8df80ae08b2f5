"""Receipts: a comment's outcome looked up by its code, without an account."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from npc.core import guessing
from npc.core.apiviews import refused

from ... import selectors
from ..serializers import ReceiptSerializer


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
