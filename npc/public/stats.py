"""
The statistics page (/stats/): the year in numbers, like the "数说" of the
annual report. Its figures aggregate every comment of the year, so they are
counted at most every NPC_PUBLIC_STATS_SECONDS (:func:`npc.core.parts.city_figure`).
"""

from __future__ import annotations

import functools
from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from consultation import selectors as consultations
from consultation.models import Channel, District
from npc.core.parts import city_figure
from npc.core.responsecache import cache_public

from . import keeping
from .charts import chart, outcome_chart
from .forms import int_param


def stats_year(request: HttpRequest) -> tuple[int, list[int]]:
    """
    Return the year a statistics page shows, and the years it may show; by
    default :func:`consultation.selectors.stats_years`', as the API's.
    """
    default, years = consultations.kept_stats_years()
    asked = int_param(request, "year")
    if asked in years:
        return asked, years
    if asked is not None:
        raise Http404
    return default, years


@method_decorator(cache_public(consultations.stats_page_versions), name="dispatch")
class StatsView(TemplateView):
    """The year in numbers, like the "数说" of the annual report."""

    template_name = "public/stats.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year, years = stats_year(self.request)
        context.update(
            year=year,
            years=years,
            # The figures and charts are drawn into a part kept under the
            # city's versions: a request with other parameters (or none new)
            # reads them only when the part is made again.
            city_version=consultations.city_versions(),
            figures=functools.cache(lambda: _figures(year)),
        )
        return context


def _figures(year: int) -> dict[str, Any]:
    """The year's figures and the charts drawn from them."""
    stats = city_figure(
        "comments", lambda: consultations.comment_stats(year=year), year
    )
    by_district: dict[str, int] = {}
    point_rows = city_figure(
        "points", lambda: consultations.point_stats(year=year), year
    )
    for row in point_rows:
        by_district[row.point.district] = (
            by_district.get(row.point.district, 0) + row.comments
        )
    return {
        "numbers": keeping.headline(year),
        "stats": stats,
        "outcome_chart": outcome_chart(
            stats["by_status"], _("%(year)s年意见处理结果") % {"year": year}
        ),
        "channel_chart": chart(
            _("按征求意见渠道"),
            [(r["label"], r["count"], r["key"] or "") for r in stats["by_channel"]],
        ),
        "kind_chart": chart(
            _("按意见提出人身份"),
            [(r["label"], r["count"], r["key"] or "") for r in stats["by_kind"]],
        ),
        "district_chart": chart(
            _("按区县（基层立法联系点收集）"),
            [
                (District(key).label, count, key)
                for key, count in sorted(by_district.items(), key=lambda item: -item[1])
                if count
            ],
            # The two charts count different things; say so, with numbers.
            caption=_(
                "按区县统计的是在基层立法联系点收集的全部%(points)s条意见，"
                "包括在联系点举行的座谈会、论证会等活动收集的意见；"
                "“按征求意见渠道”中的“基层立法联系点”（%(channel)s条）"
                "只计联系点意见征询会这一渠道。因此两个数字不同。"
            )
            % {
                "points": sum(by_district.values()),
                "channel": next(
                    (
                        r["count"]
                        for r in stats["by_channel"]
                        if r["key"] == Channel.LIAISON_POINT
                    ),
                    0,
                ),
            },
        ),
        "point_chart": chart(
            _("收集意见最多的十个基层立法联系点"),
            [
                (
                    r["label"],
                    r["count"],
                    "",
                    reverse("public:point-detail", kwargs={"pk": r["key"]}),
                )
                for r in stats["by_point"]
                if r["key"] is not None
            ],
            limit=10,
            caption=_("占比为占全部基层立法联系点所收集意见的比例。"),
        ),
        "bill_chart": chart(
            _("按法规案"),
            [
                (
                    r["label"],
                    r["count"],
                    "",
                    reverse("public:bill-detail", kwargs={"slug": r["key"]}),
                )
                for r in city_figure(
                    "bills", lambda: consultations.comments_by_bill(year=year), year
                )
            ],
        ),
    }
