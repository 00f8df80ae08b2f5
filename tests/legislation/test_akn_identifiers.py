"""Akoma Ntoso article identifiers (eId) follow the article's lineage."""

import datetime as dt

import pytest
from lxml import etree

from legislation import akn, services
from legislation.models import Regulation, Stage
from tests.conftest import DRAFT_TEXT
from tests.factories import BillFactory
from tests.legislation.lifecycle import Clock, walk_to
from tests.legislation.test_regulations import amendment

pytestmark = pytest.mark.django_db

NS = {"akn": akn.NAMESPACE}

# A new article 3 in front of the old one: old 3, 4, 5 become 4, 5, 6.
INSERTED = (
    DRAFT_TEXT.replace("第五条 本条例", "第六条 本条例")
    .replace("第四条 测试", "第五条 测试")
    .replace("第三条 市", "第三条 测试活动应当依法公开，接受社会监督。\n第四条 市")
)
# Then article 1 goes, and everything moves up by one.
DELETED = (
    INSERTED.replace("第一条 为了加强测试管理，保障人身和财产安全，制定本条例。\n", "")
    .replace("第二条 本市", "第一条 本市")
    .replace("第三条 测试活动", "第二条 测试活动")
    .replace("第四条 市", "第三条 市")
    .replace("第五条 测试", "第四条 测试")
    .replace("第六条 本条例", "第五条 本条例")
)


def add(bill, staff, text, on):
    bill.refresh_from_db()
    return services.add_draft_version(
        bill=bill,
        text=text,
        title="长治市测试管理条例",
        kind="revised",
        on=on,
        by=staff,
        confirm_numbering=True,
        is_published=True,
    )


def eids(document: bytes) -> dict[str, str]:
    """Article number → eId, after checking the document against the schema."""
    akn.validate(document)
    root = etree.fromstring(document)
    every = [e.get("eId") for e in root.iter() if e.get("eId")]
    assert len(every) == len(set(every)), "eIds repeat within the document"
    return {
        a.findtext("akn:num", namespaces=NS): a.get("eId")
        for a in root.iterfind(".//akn:article", NS)
    }


def test_a_renumbered_article_keeps_its_eid_in_every_later_draft(bill, staff, draft):
    second = add(bill, staff, INSERTED, dt.date(2024, 5, 1))
    third = add(bill, staff, DELETED, dt.date(2024, 7, 1))

    first_ids = eids(akn.version_document(draft))
    second_ids = eids(akn.version_document(second))
    third_ids = eids(akn.version_document(third))

    assert first_ids == {
        "第一条": "art_1",
        "第二条": "art_2",
        "第三条": "art_3",
        "第四条": "art_4",
        "第五条": "art_5",
    }
    # The old article 3 is article 4 now, then article 3 again: still art_3.
    assert second_ids["第四条"] == "art_3"
    assert third_ids["第三条"] == "art_3"
    # The article inserted as 3 cannot take art_3: it is named after its draft.
    assert second_ids["第三条"] == "art_3_v2"
    assert third_ids["第二条"] == "art_3_v2"
    assert second_ids["第六条"] == third_ids["第五条"] == "art_5"
    assert "art_1" not in third_ids.values()


def test_paragraphs_and_points_take_their_articles_eid(bill, staff, draft):
    second = add(bill, staff, INSERTED, dt.date(2024, 5, 1))
    root = etree.fromstring(akn.version_document(second))
    renumbered = root.find(".//akn:article[akn:num='第五条']", NS)
    assert renumbered.get("eId") == "art_4"
    points = [p.get("eId") for p in renumbered.iterfind(".//akn:point", NS)]
    assert points == [
        "art_4__para_1__point_1",
        "art_4__para_1__point_2",
        "art_4__para_1__point_3",
    ]


def test_the_lineage_stays_the_wid(bill, staff, draft):
    second = add(bill, staff, INSERTED, dt.date(2024, 5, 1))
    root = etree.fromstring(akn.version_document(second))
    moved = root.find(".//akn:article[akn:num='第四条']", NS)
    lineage = second.articles.get(number=4).lineage_id
    assert moved.get("wId") == f"lineage_{lineage}"


def test_an_article_keeps_its_eid_across_a_regulations_texts_in_force(bill, staff):
    clock = Clock()
    walk_to(bill, Stage.PROMULGATED, clock, staff)
    regulation = Regulation.objects.get(bill=bill)
    amendment(regulation, staff, INSERTED.replace("（草案）", "（修正）"), clock)
    first, second = regulation.texts.order_by("effective_on")

    before = eids(akn.text_in_force_document(first))
    after = eids(akn.text_in_force_document(second))

    assert before["第三条"] == after["第四条"] == "art_3"
    assert after["第三条"] == "art_3_t2"
    assert before["第五条"] == after["第六条"] == "art_5"


def test_two_articles_numbered_alike_in_one_draft_get_distinct_eids(staff):
    # A first draft with two articles 3, its numbering confirmed as it is.
    bill = BillFactory(slug="twice-three")
    twice = DRAFT_TEXT.replace("第四条 测试", "第三条 测试")
    version = add(bill, staff, twice, dt.date(2024, 5, 1))
    document = akn.version_document(version)
    eids(document)
    numbered_three = [
        a.get("eId")
        for a in etree.fromstring(document).iterfind(".//akn:article", NS)
        if a.findtext("akn:num", namespaces=NS) == "第三条"
    ]
    assert numbered_three == ["art_3", "art_3_v1"]


def test_the_public_downloads_carry_the_lineage_eids(client, bill, staff, draft):
    add(bill, staff, INSERTED, dt.date(2024, 5, 1))
    response = client.get(f"/bills/{bill.slug}/versions/2/akn.xml")
    assert eids(response.content)["第四条"] == "art_3"
    api = client.get(f"/api/v1/bills/{bill.slug}/versions/2/akn/")
    assert api["Content-Type"] == "application/akn+xml"
    assert api.content == response.content
    assert client.get(f"/api/v1/bills/{bill.slug}/versions/9/akn/").status_code == 404
