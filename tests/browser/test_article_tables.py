"""
A table inside an article, seen in a real browser: in the comparison table it
stays a table (cells side by side, header shown) on each side at desktop and
phone widths, and the page still fits a 360-pixel phone.

The demo has no article with a table, and a database test cannot share this
process with the browser (Playwright's event loop), so the comparison cells are
written by the same filter the page uses, over a comparison computed here, and
shown in the comparison page's markup at the demo site's address, with the
site's own stylesheet.
"""

from __future__ import annotations

import pytest
from django.template import Context, Template

from legislation import comparison

from .conftest import _new_page, screenshot

pytestmark = pytest.mark.browser

OLD = "收费标准如下：\n| 项目 | 标准（元） |\n| --- | --- |\n| 初检 | 100 |\n| 复检 | 50 |\n收费标准应当公开。"
NEW = OLD.replace("| 复检 | 50 |", "| 复检 | 80 |\n| 年检 | 120 |")

PAGE = Template(
    """{% load static article_text %}<!DOCTYPE html>
<html lang="zh-hans"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>对照</title><link rel="stylesheet" href="{% static 'css/site.css' %}"></head>
<body><main class="wrap"><h1>对照</h1>
<table class="compare"><caption>第1稿 → 第2稿</caption>
<thead><tr><th scope="col">原文</th><th scope="col">修改后</th>
<th scope="col" class="col-status">变化</th></tr></thead>
<tbody>{% for row in rows %}<tr class="row-{{ row.status }}">
<td><span class="compare-cell-label">原文</span><span class="art-label">第二条</span>
<div class="text">{{ row.old_segments|marked_text }}</div></td>
<td><span class="compare-cell-label">修改后</span><span class="art-label">第二条</span>
<div class="text">{{ row.new_segments|marked_text }}</div></td>
<td class="row-status"><span class="tag tag-warn">修改</span></td></tr>{% endfor %}
</tbody></table></main></body></html>"""
)


@pytest.mark.parametrize("width", [1280, 360])
def test_a_compared_table_stays_a_table_at_every_width(chromium, demo_site, width):
    rows = comparison.compare(
        [comparison.Side(key=1, number=2, text=OLD)],
        [comparison.Side(key=2, number=2, text=NEW)],
        {2: 1},
    )
    html = PAGE.render(Context({"rows": rows}))
    context, tab = _new_page(chromium, width=width, height=900, locale="zh-CN")
    try:
        tab.goto(demo_site.url + "/receipt/")  # the site's origin, for its CSS
        tab.set_content(html, wait_until="load")
        assert tab.locator("table.compare .article-table").count() == 2
        shape = tab.evaluate(
            """() => [...document.querySelectorAll('.compare .article-table')]
                .map(t => {
                  const head = [...t.querySelectorAll('th')]
                    .map(c => c.getBoundingClientRect());
                  return {
                    row: getComputedStyle(t.querySelector('tr')).display,
                    sideBySide: head.length === 2
                      && Math.abs(head[0].top - head[1].top) < 1
                      && head[0].right <= head[1].left + 1,
                    headerShown: head[0].height > 0,
                  };
                })"""
        )
        expected = {"row": "table-row", "sideBySide": True, "headerShown": True}
        assert all(s == expected for s in shape), shape
        used = tab.evaluate("document.documentElement.scrollWidth")
        assert used <= width, f"{used}px wide"
        changed = tab.locator(".article-table .cell-changed")
        assert changed.count() == 4  # 50 → 80 on each side, the added row's two
        screenshot(tab, f"compare-table-{width}")
    finally:
        context.close()
