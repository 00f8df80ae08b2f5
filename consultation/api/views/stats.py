"""Statistics: the year in numbers, kept whole for the public."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from legislation.models import Bill
from npc.core.parts import city_figure

from ... import selectors
from ..serializers import StatsQuerySerializer, StatsSerializer
from ._common import _shared_stats


class StatsView(APIView):
    """The year in numbers: headline figures, comments and liaison points."""

    permission_classes: list = []

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # The same for every anonymous reader until what it counts changes.
        respond = super().dispatch
        return _shared_stats(request, lambda: respond(request, *args, **kwargs))

    @extend_schema(
        summary="Statistics of published consultations",
        parameters=[StatsQuerySerializer],
        responses={200: StatsSerializer},
    )
    def get(self, request: Request) -> Response:
        # A plain dict, not the QueryDict: DRF reads a blank form field as "not
        # given", and ?bill= or ?year= is a malformed request (400).
        query = StatsQuerySerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year") or selectors.kept_stats_years()[0]
        slug = query.validated_data.get("bill")
        bill = None
        if slug is not None:
            bill = get_object_or_404(Bill.objects.published(), slug=slug)
        # The city's figures, as the statistics page shows them: counted
        # again at most every NPC_PUBLIC_STATS_SECONDS, not with each comment
        # (a bill's follow its comments).
        if bill is None:
            comments = city_figure(
                "comments", lambda: selectors.comment_stats(year=year), year
            )
        else:
            comments = selectors.comment_stats(bill=bill, year=year)
        data = {
            "headline": city_figure(
                "headline", lambda: selectors.headline_numbers(year), year
            ),
            "comments": comments,
            "points": city_figure(
                "points", lambda: selectors.point_stats(year=year), year
            ),
        }
        return Response(StatsSerializer(data).data)
