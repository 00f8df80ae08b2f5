"""
The API's text search: bills and regulations found by the words of their
articles, each with the articles found, the words marked and the text escaped;
at the same cost in queries whatever the number of results.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from legislation import services
from legislation.services import regulations as laws
from tests.factories import BillFactory

pytestmark = pytest.mark.django_db

ELEVATOR = """长治市电梯安全条例（草案）

第一条 为了加强电梯安全管理，制定本条例。
第二条 发生电梯困人故障的，使用单位应当立即组织救援。
第三条 电梯维护保养单位应当在接到困人报告后三十分钟内到达现场。
第四条 电梯显示屏不得显示<script>alert(1)</script>等代码。
"""


def _bill(slug: str, text: str, by) -> None:  # noqa: ANN001
    bill = BillFactory(title=f"长治市{slug}条例", slug=slug)
    services.add_draft_version(
        bill=bill,
        text=text,
        title="草案",
        kind="draft",
        on=dt.date(2024, 4, 1),
        by=by,
        is_published=True,
    )


def _regulation(slug: str, text: str, by) -> None:  # noqa: ANN001
    laws.record_earlier_regulation(
        title=f"长治市{slug}条例",
        slug=slug,
        text=text,
        announcement_number="第1号",
        promulgated_on=dt.date(2020, 1, 1),
        effective_on=dt.date(2020, 3, 1),
        by=by,
    )


def test_bills_are_listed_with_the_articles_holding_the_words(anon, staff, bill):
    _bill("elevator", ELEVATOR, staff)

    found = anon.get("/api/v1/bills/", {"q": "困人"}).json()["results"]

    assert [b["slug"] for b in found] == ["elevator"]
    matches = found[0]["matches"]
    assert [(m["label"], m["anchor"], m["version"]) for m in matches] == [
        ("第二条", "article-2", 1),
        ("第三条", "article-3", 1),
    ]
    assert matches[0]["excerpt"] == "发生电梯困人故障的，使用单位应当立即组织救援。"
    assert matches[0]["highlighted"] == (
        "发生电梯<mark>困人</mark>故障的，使用单位应当立即组织救援。"
    )
    unsearched = anon.get("/api/v1/bills/").json()["results"]
    assert {b["slug"]: b["matches"] for b in unsearched} == {
        "elevator": [],
        bill.slug: [],
    }


def test_the_highlighted_excerpt_is_escaped(anon, staff):
    _bill("elevator", ELEVATOR, staff)

    found = anon.get("/api/v1/bills/", {"q": "<script>"}).json()["results"]

    (match,) = found[0]["matches"]
    assert match["label"] == "第四条"
    assert "<script>alert(1)</script>" in match["excerpt"]
    assert match["highlighted"] == (
        "电梯显示屏不得显示<mark>&lt;script&gt;</mark>alert(1)&lt;/script&gt;等代码。"
    )


def test_regulations_are_found_by_their_text_in_force(anon, staff):
    _regulation("elevator-law", ELEVATOR, staff)
    _regulation(
        "water-law", "水源条例\n\n第一条 为了保护饮用水水源，制定本条例。\n", staff
    )

    found = anon.get("/api/v1/laws/", {"q": "困人 三十分钟"}).json()["results"]

    assert [r["slug"] for r in found] == ["elevator-law"]
    assert [m["label"] for m in found[0]["matches"]] == ["第三条", "第二条"]
    assert found[0]["matches"][0]["version"] is None
    assert "<mark>三十分钟</mark>" in found[0]["matches"][0]["highlighted"]
    assert anon.get("/api/v1/laws/", {"q": "停车场"}).json()["results"] == []
    everything = anon.get("/api/v1/laws/").json()["results"]
    assert {r["slug"]: r["matches"] for r in everything} == {
        "elevator-law": [],
        "water-law": [],
    }
    assert anon.get("/api/v1/laws/", {"q": "长" * 101}).status_code == 400


def _queries(client, url: str, params: dict) -> int:  # noqa: ANN001
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params)
    assert response.status_code == 200
    assert response.json()["results"], url
    return len(captured.captured_queries)


def test_a_search_costs_the_same_queries_for_one_result_as_for_many(anon, staff):
    _bill("b0", ELEVATOR, staff)
    _regulation("r0", ELEVATOR, staff)
    one = {
        url: _queries(anon, url, {"q": "困人 电梯"})
        for url in ("/api/v1/bills/", "/api/v1/laws/")
    }
    for n in range(1, 8):
        _bill(f"b{n}", ELEVATOR, staff)
        _regulation(f"r{n}", ELEVATOR, staff)
    many = {
        url: _queries(anon, url, {"q": "困人 电梯"})
        for url in ("/api/v1/bills/", "/api/v1/laws/")
    }
    assert many == one
    # The bills and their matches; the regulations and theirs.
    assert one["/api/v1/laws/"] <= 3, one
