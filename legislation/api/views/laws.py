"""Regulations (法规) and their texts in force: read by all."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from ... import akn, search
from ...models import Regulation
from ...selectors import regulations as selectors
from ..serializers.laws import (
    LawDetailSerializer,
    LawListQuerySerializer,
    LawListSerializer,
    LawQuerySerializer,
    LawSerializer,
)


@dataclass
class _Detail:
    regulation: Regulation
    status: str
    year: int
    texts: list
    on: object
    text: object
    articles: list


class LawViewSet(viewsets.GenericViewSet):
    """Regulations with their texts in force; ``?on=YYYY-MM-DD`` for a past day."""

    lookup_field = "slug"
    serializer_class = LawSerializer
    queryset = Regulation.objects.none()  # for the schema; reads go through selectors

    def _on(self, request: Request):  # noqa: ANN202
        if request.query_params.get("on", None) == "":
            # Blank is refused, as the API's filters refuse it.
            raise ValidationError({"on": [_("请填写日期，格式为YYYY-MM-DD。")]})
        query = LawQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return query.validated_data.get("on") or timezone.localdate()

    @extend_schema(
        parameters=[LawListQuerySerializer], responses=LawListSerializer(many=True)
    )
    def list(self, request: Request) -> Response:
        on = self._on(request)
        query = LawListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.regulations(on=on)
        words = query.validated_data.get("q", "")
        if words:
            rows = search.filter_regulations(rows, words, on=on)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(LawListSerializer(page, many=True).data)

    @extend_schema(parameters=[LawQuerySerializer], responses=LawDetailSerializer)
    def retrieve(self, request: Request, slug: str) -> Response:
        on = self._on(request)
        regulation = get_object_or_404(Regulation, slug=slug)
        texts = list(regulation.texts.select_related("bill", "version"))
        if not texts:
            return Response(status=404)
        first = min(texts, key=lambda t: t.effective_on)
        text = selectors.text_in_force(regulation, on)
        detail = _Detail(
            regulation=regulation,
            status=selectors.regulation_status(regulation, on),
            year=(first.promulgated_on or first.effective_on).year,
            texts=sorted(texts, key=lambda t: t.effective_on),
            on=on,
            text=text,
            articles=selectors.text_articles(text) if text else [],
        )
        return Response(LawDetailSerializer(detail).data)

    @extend_schema(
        parameters=[LawQuerySerializer],
        responses={(200, "application/akn+xml"): bytes},
    )
    @action(detail=True, methods=["get"])
    def akn(self, request: Request, slug: str) -> HttpResponse:
        """The text in force on ``on`` (today) as Akoma Ntoso 3.0 XML."""
        on = self._on(request)
        regulation = get_object_or_404(Regulation, slug=slug)
        text = selectors.text_in_force(regulation, on)
        if text is None:
            return Response(status=404)
        return HttpResponse(
            akn.text_in_force_document(text), content_type="application/akn+xml"
        )
