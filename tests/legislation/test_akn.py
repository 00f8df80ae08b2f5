"""Akoma Ntoso export, validated against the official schema."""

import datetime as dt
from pathlib import Path

import pytest
from lxml import etree

from legislation import akn, services
from tests.conftest import DRAFT_TEXT

pytestmark = pytest.mark.django_db

TEXTS = Path(__file__).parent / "texts"
NS = {"akn": akn.NAMESPACE}


def add(bill, staff, text, on):
    bill.refresh_from_db()
    return services.add_draft_version(
        bill=bill,
        text=text,
        title="示例市水库保护条例",
        kind="revised",
        on=on,
        by=staff,
        confirm_numbering=True,
        is_published=True,
    )


@pytest.mark.parametrize(
    "name", ["reservoir_amended.md", "code_parts.md", "greening_draft.md"]
)
def test_every_version_exports_a_valid_document(bill, staff, name):
    version = add(
        bill, staff, (TEXTS / name).read_text(encoding="utf-8"), dt.date(2024, 5, 1)
    )
    document = akn.version_document(version)
    akn.validate(document)
    root = etree.fromstring(document)
    articles = root.findall(".//akn:article", NS)
    assert len(articles) == version.articles.count()


def test_structure_tables_and_inserted_articles_are_kept(bill, staff):
    text = (TEXTS / "reservoir_amended.md").read_text(encoding="utf-8")
    root = etree.fromstring(
        akn.version_document(add(bill, staff, text, dt.date(2024, 5, 1)))
    )
    inserted = root.find(".//akn:article[@eId='art_2_1']", NS)
    assert inserted.findtext("akn:num", namespaces=NS) == "第二条之一"
    assert root.find(".//akn:chapter[@eId='chp_3']/akn:heading", NS).text == "监督管理"
    cells = [
        td.findtext("akn:p", namespaces=NS) for td in root.iterfind(".//akn:td", NS)
    ]
    assert cells == ["监测项目", "频次", "溶解氧", "每月一次"]
    # Found by number: its eId is its lineage's, which the first draft began.
    points = root.findall(".//akn:article[akn:num='第四条']//akn:point", NS)
    assert [p.findtext("akn:num", namespaces=NS) for p in points] == [
        "（一）",
        "（二）",
        "（三）",
    ]


def test_article_wids_follow_the_lineage_across_versions(bill, staff, draft):
    inserted = (
        DRAFT_TEXT.replace("第五条 本条例", "第六条 本条例")
        .replace("第四条 测试", "第五条 测试")
        .replace("第三条 市", "第三条 测试活动应当依法公开。\n第四条 市")
    )
    second = add(bill, staff, inserted, dt.date(2024, 5, 1))
    old = etree.fromstring(akn.version_document(draft))
    new = etree.fromstring(akn.version_document(second))
    old_ids = {
        a.findtext("akn:num", namespaces=NS): a.get("wId")
        for a in old.iterfind(".//akn:article", NS)
    }
    new_ids = {
        a.findtext("akn:num", namespaces=NS): a.get("wId")
        for a in new.iterfind(".//akn:article", NS)
    }
    assert new_ids["第四条"] == old_ids["第三条"]
    assert new_ids["第六条"] == old_ids["第五条"]
    assert new_ids["第三条"] not in old_ids.values()


def test_a_text_in_force_exports_a_valid_act(staff):
    regulation = services.record_earlier_regulation(
        title="长治市测试管理条例",
        slug="test-law",
        text=DRAFT_TEXT,
        announcement_number="第1号",
        promulgated_on=dt.date(2016, 1, 1),
        effective_on=dt.date(2016, 3, 1),
        by=staff,
    )
    document = akn.text_in_force_document(regulation.texts.get())
    akn.validate(document)
    root = etree.fromstring(document)
    assert root.find("akn:act", NS).get("name") == "regulation"
    this = root.find(".//akn:FRBRExpression/akn:FRBRthis", NS).get("value")
    assert this == "/akn/cn/act/2016/test-law/zho@2016-03-01/!main"


def test_the_public_pages_and_the_api_download_valid_documents(
    client, bill, staff, draft
):
    regulation = services.record_earlier_regulation(
        title="长治市测试管理条例",
        slug="test-law",
        text=DRAFT_TEXT,
        announcement_number="第1号",
        promulgated_on=dt.date(2016, 1, 1),
        effective_on=dt.date(2016, 3, 1),
        by=staff,
    )
    law = client.get(f"/laws/{regulation.slug}/akn.xml", {"on": "2020-01-01"})
    assert law["Content-Type"].startswith("application/akn+xml")
    akn.validate(law.content)
    api = client.get(f"/api/v1/laws/{regulation.slug}/akn/")
    akn.validate(api.content)
    assert (
        client.get(f"/laws/{regulation.slug}/akn.xml", {"on": "2010-01-01"}).status_code
        == 404
    )
    version = client.get(f"/bills/{bill.slug}/versions/1/akn.xml")
    akn.validate(version.content)
    assert client.get(f"/bills/{bill.slug}/versions/9/akn.xml").status_code == 404
