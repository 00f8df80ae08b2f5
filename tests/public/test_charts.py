"""The ring chart of shares and its table (npc.public.templatetags.charts)."""

import re

from django.template import engines
from django.utils import translation

from npc.public.charts import chart, outcome_chart


def _drawn(shape) -> str:
    template = engines["django"].from_string(
        '{% load charts %}{% donut_chart chart "outcomes" %}'
    )
    return template.render({"chart": shape})


def test_each_share_is_an_arc_and_a_row_named_counted_and_escaped():
    with translation.override("zh-hans"):
        page = _drawn(
            outcome_chart(
                [
                    {"label": "采纳", "count": 3, "key": "adopted"},
                    {"label": "<b>不予采纳</b>", "count": 1, "key": "not_adopted"},
                    {"label": "重复", "count": 0, "key": "duplicate"},
                ],
                "意见处理结果 & 反馈",
            )
        )
    assert 'id="outcomes-title">意见处理结果 &amp; 反馈</figcaption>' in page
    # Arcs out of 100, clockwise from the top: 75 then 25.
    assert re.findall(r'class="slice key-(\w+)".*?dasharray="([\d. ]+)" '
                      r'stroke-dashoffset="([-\d.]+)"', page) == [
        ("adopted", "75.0 25.0", "25.0"),
        ("not_adopted", "25.0 75.0", "-50.0"),
    ]  # fmt: skip
    assert "&lt;b&gt;不予采纳&lt;/b&gt;</th>" in page and "<b>" not in page
    assert '<td class="num">3</td><td class="num">75.0%</td>' in page
    assert '<td class="num">4</td><td class="num">100%</td>' in page  # the total
    assert page.count("<tr>") == 1 + 2 + 1  # a row a share shown, with heads and total


def test_a_chart_of_nothing_says_so_in_words():
    with translation.override("en"):
        page = _drawn(chart("Outcomes", [], donut=True))
    assert "<svg" not in page
    assert 'class="muted"' in page
