"""
The ring chart of shares (e.g. the outcomes of comments) with its table beside
it: the table is the chart's legend and its text equivalent, and colours are
never the only cue (every share is named and counted in words).

Drawn in Python rather than through a template: the ring sits among a bill's
figures and beside its comments, drawn again whenever comments arrive, and a
template spent some 0.3 ms on its few dozen values each time. Every text is
escaped as a template would (:func:`_text`); numbers are written unlocalised.
"""

from __future__ import annotations

import html

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from npc.public.charts import Chart

register = template.Library()


def _text(value: object) -> str:
    """``value`` escaped as a template escapes it (what is marked safe, not)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag
def donut_chart(chart: Chart, chart_id: str) -> SafeString:
    """The ring chart of ``chart`` (with slices) in a figure titled ``chart_id``-title."""
    figure = _text(chart_id)
    caption = (
        f'<span class="chart-note">{_text(chart.caption)}</span>'
        if chart.caption
        else ""
    )
    parts = [
        f'<figure class="chart" aria-labelledby="{figure}-title">\n'
        f'<figcaption id="{figure}-title">{_text(chart.title)}{caption}</figcaption>\n'
    ]
    if chart.is_empty:
        parts.append(f'<p class="muted">{_text(_("暂无数据。"))}</p>\n')
    else:
        parts.append(
            '<div class="donut-chart">\n'
            '<svg class="donut" viewBox="0 0 42 42" aria-hidden="true" focusable="false">\n'
            '<circle class="ring" cx="21" cy="21" r="15.9155"/>\n'
        )
        parts.extend(
            f'<circle class="slice key-{_text(s.key)}" cx="21" cy="21" r="15.9155" '
            f'stroke-dasharray="{s.dasharray}" stroke-dashoffset="{s.offset}"/>'
            for s in chart.slices
        )
        parts.append(
            f'\n<text class="donut-total" x="21" y="22.5">{chart.total}</text>\n'
            f'<text class="donut-label" x="21" y="27.5">{_text(_("条意见"))}</text>\n'
            "</svg>\n"
            '<div class="table-scroll">\n<table class="bar-table">\n'
            f'<thead><tr><th scope="col">{_text(_("处理结果"))}</th>'
            f'<th scope="col" class="num">{_text(_("数量"))}</th>'
            f'<th scope="col" class="num">{_text(_("占比"))}</th></tr></thead>\n'
            "<tbody>\n"
        )
        parts.extend(
            f'<tr><th scope="row"><span class="swatch key-{_text(b.key)}" '
            f'aria-hidden="true"></span>{_text(b.label)}</th>'
            f'<td class="num">{b.value}</td><td class="num">{b.percent}%</td></tr>\n'
            for b in chart.bars
        )
        parts.append(
            "</tbody>\n"
            f'<tfoot><tr><th scope="row">{_text(_("合计"))}</th>'
            f'<td class="num">{chart.total}</td><td class="num">100%</td></tr></tfoot>\n'
            "</table>\n</div>\n</div>\n"
        )
    parts.append("</figure>")
    return mark_safe("".join(parts))  # noqa: S308 (every text escaped above)
