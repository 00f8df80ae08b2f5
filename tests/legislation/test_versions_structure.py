"""Versions whose texts have inserted articles, parts, bare headings and tables."""

import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse

from legislation import services
from legislation.models import Article, Chapter, Part
from legislation.selectors import compare_versions

pytestmark = pytest.mark.django_db

TEXTS = Path(__file__).parent / "texts"

ORIGINAL = """# 示例市水库保护条例

## 第一章　总则

第一条　为了加强水库保护，保障供水安全，根据有关法律、法规，结合本市实际，制定本条例。

第二条　本条例适用于本市行政区域内水库的保护和管理活动。

第三条　市、县（区）人民政府负责本行政区域内的水库保护工作。

## 第二章　保护措施

第四条　水库保护范围内禁止下列行为：
（一）新建排污口；
（二）网箱养殖；
（三）倾倒垃圾。

第五条　水库周边的农业生产应当减少化肥、农药的使用。

## 第三章　监督管理

第六条　生态环境主管部门应当定期对水库水质进行监测。

第七条　任何单位和个人有权举报破坏水库的行为。

## 第四章　附则

第八条　本条例自2016年1月1日起施行。
"""


def add(bill, staff, text, *, on, kind="revised"):
    bill.refresh_from_db()
    return services.add_draft_version(
        bill=bill,
        text=text,
        title="示例市水库保护条例",
        kind=kind,
        on=on,
        by=staff,
        is_published=True,
    )


def test_inserted_articles_are_stored_compared_and_shown(client, bill, staff):
    old = add(bill, staff, ORIGINAL, on=dt.date(2024, 2, 1))
    amended = (TEXTS / "reservoir_amended.md").read_text(encoding="utf-8")
    new = add(bill, staff, amended, on=dt.date(2024, 3, 1))

    inserted = new.articles.get(number=2, suffix=1)
    assert inserted.label == "第二条之一"
    assert inserted.anchor == "article-2-1"
    assert inserted.chapter.title == "总则"
    assert new.articles.get(number=7).chapter.title == "监督管理"
    assert [c.title for c in new.chapters.all()] == [
        "总则",
        "保护措施",
        "监督管理",
        "附则",
    ]

    rows = compare_versions(old=old, new=new)
    assert [(r.new.label if r.new else None, r.status) for r in rows] == [
        ("第一条", "unchanged"),
        ("第二条", "unchanged"),
        ("第二条之一", "added"),
        ("第三条", "unchanged"),
        ("第四条", "unchanged"),
        ("第四条之一", "added"),
        ("第四条之二", "added"),
        ("第五条", "unchanged"),
        ("第六条", "changed"),
        ("第七条", "unchanged"),
        ("第八条", "unchanged"),
    ]
    # Articles after the insertions keep their lineage.
    assert (
        new.articles.get(number=5).lineage_id == old.articles.get(number=5).lineage_id
    )

    page = client.get(reverse("public:bill-detail", kwargs={"slug": bill.slug}))
    html = page.content.decode()
    assert 'id="article-2-1"' in html
    assert "第二条之一" in html
    # The Markdown rule under the first row makes it the table's header.
    assert (
        '<table class="article-table"><thead><tr><th scope="col">监测项目</th>'
        '<th scope="col">频次</th></tr></thead><tbody><tr><td>溶解氧</td>' in html
    )


def test_chapters_restarting_in_each_part_belong_to_their_part(client, bill, staff):
    text = (TEXTS / "code_parts.md").read_text(encoding="utf-8")
    version = add(bill, staff, text, on=dt.date(2024, 2, 1))

    parts = {(p.kind, p.number): p for p in Part.objects.filter(version=version)}
    assert parts[("subpart", 2)].parent == parts[("part", 2)]
    first_chapters = Chapter.objects.filter(version=version, number=1)
    assert sorted(c.part.label for c in first_chapters) == ["第一分编", "第一编"]
    article = Article.objects.get(version=version, number=4)
    assert (article.chapter.number, article.chapter.part.title) == (1, "大气")
    assert article.chapter.top_part.title == "污染防治"

    page = client.get(reverse("public:bill-detail", kwargs={"slug": bill.slug}))
    html = page.content.decode()
    assert html.count('<h3 class="part">第二编 污染防治</h3>') == 1
    assert '<h3 class="part">第二分编 水</h3>' in html
