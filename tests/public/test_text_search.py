"""Bills found by the words of their articles; the comments page's keyword box."""

import datetime as dt

import pytest

from legislation import services
from tests.factories import BillFactory, CommentFactory, ConsultationFactory

pytestmark = pytest.mark.django_db

ELEVATOR = """长治市电梯安全条例（草案）

第一条 为了加强电梯安全管理，制定本条例。
第二条 发生电梯困人故障的，使用单位应当立即组织救援。
第三条 电梯维护保养单位应当在接到困人报告后三十分钟内到达现场。
"""


@pytest.fixture
def elevator(staff):
    bill = BillFactory(title="长治市电梯安全条例", slug="elevator")
    services.add_draft_version(
        bill=bill,
        text=ELEVATOR,
        title="长治市电梯安全条例（草案）",
        kind="draft",
        on=dt.date(2024, 4, 1),
        by=staff,
        is_published=True,
    )
    return bill


def test_the_api_finds_bills_by_the_words_of_their_articles(client, elevator, bill):
    found = client.get("/api/v1/bills/", {"q": "困人"}).json()["results"]
    assert [b["slug"] for b in found] == ["elevator"]
    both = client.get("/api/v1/bills/", {"q": "困人 三十分钟"}).json()["results"]
    assert [b["slug"] for b in both] == ["elevator"]
    none = client.get("/api/v1/bills/", {"q": "困人 停车场"}).json()["results"]
    assert none == []


def test_unpublished_texts_are_not_searched(client, elevator, staff):
    elevator.refresh_from_db()
    services.add_draft_version(
        bill=elevator,
        text=ELEVATOR.replace("三十分钟", "十五分钟"),
        title="修改稿",
        kind="revised",
        on=dt.date(2024, 5, 1),
        by=staff,
        is_published=False,
    )
    assert client.get("/api/v1/bills/", {"q": "十五分钟"}).json()["results"] == []


def test_the_bill_list_shows_the_matching_articles_highlighted(client, elevator):
    page = client.get("/bills/", {"q": "困人"}).content.decode()
    assert 'href="/bills/elevator/#article-2">第二条</a>' in page
    assert "发生电梯<mark>困人</mark>故障的" in page
    assert 'href="/bills/elevator/#article-1"' not in page


def test_the_comments_page_has_a_keyword_box_and_marks_the_words(client, bill, draft):
    consultation = ConsultationFactory(bill=bill, version=draft, is_published=True)
    CommentFactory(consultation=consultation, text="建议缩短电梯困人后的救援时间。")
    CommentFactory(consultation=consultation, text="建议增加停车位。")

    page = client.get(f"/bills/{bill.slug}/comments/", {"q": "困人"})
    html = page.content.decode()

    assert 'name="q"' in html
    assert 'value="困人"' in html
    assert "电梯<mark>困人</mark>后的救援时间" in html
    assert "停车位" not in html.split('id="comments-heading"')[1]


def test_highlighting_escapes_the_text(client, bill, draft):
    consultation = ConsultationFactory(bill=bill, version=draft, is_published=True)
    CommentFactory(consultation=consultation, text="<b>困人</b>时如何处理？")
    html = client.get(f"/bills/{bill.slug}/comments/", {"q": "困人"}).content.decode()
    assert "&lt;b&gt;<mark>困人</mark>&lt;/b&gt;" in html
